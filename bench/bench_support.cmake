# dryport_bench_support: the codec benchmark's corpus, kernels and timed loop,
# shared by `dryport bench codec` (src/cli) and bench/codec_bench. It needs no
# Google Benchmark, so the CLI has it even when DRYPORT_BUILD_BENCH is off;
# both src/cli and bench/ include this file, whichever comes first defines it.
include_guard(GLOBAL)

add_library(dryport_bench_support STATIC ${CMAKE_CURRENT_LIST_DIR}/codec_bench_support.cc)
target_include_directories(dryport_bench_support PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(dryport_bench_support
  PUBLIC dryport_ceb dryport_core pugixml::pugixml
  PRIVATE fmt::fmt Iconv::Iconv dryport_warnings)
# The traffic generator is optional here, and may be defined after this file
# is read: a generator expression decides at generate time.
target_link_libraries(dryport_bench_support PRIVATE $<$<TARGET_EXISTS:dryport_traffic>:dryport_traffic>)
target_compile_definitions(dryport_bench_support PRIVATE
  DRYPORT_BENCH_HAVE_TRAFFIC=$<TARGET_EXISTS:dryport_traffic>
  DRYPORT_SHARED_DIR="${DRYPORT_SHARED_DIR}")
