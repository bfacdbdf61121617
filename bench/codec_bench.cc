// Google Benchmark view of the CEB codec: pugixml parse-only (the ceiling),
// Reader::Read and read + validate over the same corpus, one message per
// iteration, on the UTF-8 corpus and on its GB18030 (declared GB2312) copy.
// After the runs it prints read+validate / ceiling, the figure
// `dryport bench codec` reports as "ratio".
//
//   build-bench/bench/codec_bench [--benchmark_min_time=2]
//   DRYPORT_BENCH_CORPUS=DIR  use DIR's *.xml files instead of generated traffic
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include <benchmark/benchmark.h>

#include "bench/codec_bench_support.h"

namespace dryport::bench {
namespace {

struct Corpora {
  Corpus utf8;
  Corpus gb18030;
};

const Corpora& TheCorpora() {
  static const Corpora* corpora = [] {
    CorpusOptions options;
    if (const char* dir = std::getenv("DRYPORT_BENCH_CORPUS")) options.dir = dir;
    Result<Corpus> utf8 = BuildCorpus(options);
    if (!utf8.ok()) {
      std::fprintf(stderr, "codec_bench: %s\n", utf8.status().ToString().c_str());
      std::exit(2);
    }
    Result<Corpus> gb = ToGb18030(*utf8);
    if (!gb.ok()) {
      std::fprintf(stderr, "codec_bench: %s\n", gb.status().ToString().c_str());
      std::exit(2);
    }
    std::fprintf(stderr, "corpus: %s; %zu messages, %zu bytes\n", utf8->description.c_str(),
                 utf8->messages.size(), utf8->bytes);
    return new Corpora{std::move(*utf8), std::move(*gb)};
  }();
  return *corpora;
}

const Corpus& CorpusFor(bool gb) { return gb ? TheCorpora().gb18030 : TheCorpora().utf8; }

// One message per iteration, cycling through the corpus; bytes and items are
// the messages actually processed, so the rates are msg/s and B/s.
template <typename Fn>
void RunKernel(benchmark::State& state, const Corpus& corpus, Fn&& kernel) {
  const auto& messages = corpus.messages;
  size_t i = 0;
  size_t bytes = 0;
  size_t failures = 0;
  for (auto _ : state) {
    const std::string& m = messages[i];
    const bool ok = kernel(m);
    benchmark::DoNotOptimize(ok);
    failures += !ok;
    bytes += m.size();
    if (++i == messages.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
  state.counters["failed"] = benchmark::Counter(static_cast<double>(failures), benchmark::Counter::kAvgIterations);
}

void BM_PugixmlParseOnly(benchmark::State& state, bool gb) {
  CodecKernels kernels;
  RunKernel(state, CorpusFor(gb), [&](std::string_view m) { return kernels.ParseOnly(m); });
}

void BM_Read(benchmark::State& state, bool gb) {
  CodecKernels kernels;
  RunKernel(state, CorpusFor(gb), [&](std::string_view m) { return kernels.Read(m); });
}

void BM_ReadValidate(benchmark::State& state, bool gb) {
  CodecKernels kernels;
  RunKernel(state, CorpusFor(gb), [&](std::string_view m) { return kernels.ReadValidate(m); });
}

BENCHMARK_CAPTURE(BM_PugixmlParseOnly, utf8, false);
BENCHMARK_CAPTURE(BM_Read, utf8, false);
BENCHMARK_CAPTURE(BM_ReadValidate, utf8, false);
BENCHMARK_CAPTURE(BM_PugixmlParseOnly, gb18030, true);
BENCHMARK_CAPTURE(BM_Read, gb18030, true);
BENCHMARK_CAPTURE(BM_ReadValidate, gb18030, true);

// The console report, plus the items/s of each run for the ratio lines.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      const auto it = run.counters.find("items_per_second");
      if (it != run.counters.end()) items_per_second_[run.benchmark_name()] = it->second.value;
    }
  }

  void PrintRatios() const {
    for (const char* corpus : {"utf8", "gb18030"}) {
      const auto ceiling = items_per_second_.find(std::string("BM_PugixmlParseOnly/") + corpus);
      const auto ours = items_per_second_.find(std::string("BM_ReadValidate/") + corpus);
      if (ceiling == items_per_second_.end() || ours == items_per_second_.end() || ceiling->second <= 0) continue;
      std::printf("ratio %-8s read+validate / pugixml parse-only = %.2f (goal >= 0.50)\n", corpus,
                  ours->second / ceiling->second);
    }
  }

 private:
  std::map<std::string, double> items_per_second_;
};

}  // namespace
}  // namespace dryport::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  dryport::bench::TheCorpora();  // built before any timing starts
  dryport::bench::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  return 0;
}
