#!/usr/bin/env bash
# Runs the libFuzzer targets for a bounded time and fails on any crash, leak,
# timeout or sanitizer report.
#
#   tools/run-fuzz.sh BUILD_DIR SECONDS SHARED_DIR
#
# BUILD_DIR is a DRYPORT_FUZZ=ON clang build (`make fuzz` makes one). The
# targets run side by side, each for SECONDS, one core each:
#   ceb_reader_fuzz  seeds: SHARED_DIR/conformance/public-samples + fuzz/seeds/xml
#   ceb_json_fuzz    seeds: fuzz/seeds/json
# Each target's corpus grows in fuzz/corpus-work/<target>/ (gitignored, kept
# between local runs); a failing input is written to
# fuzz/corpus-work/artifacts/ and its path printed with the command that
# reproduces it.
set -uo pipefail

if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD_DIR SECONDS SHARED_DIR" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd) || exit 2
seconds=$2
shared_dir=$3
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/fuzz/corpus-work"
artifacts="$work/artifacts"
samples="$shared_dir/conformance/public-samples"

if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
  echo "run-fuzz: SECONDS must be a positive whole number, is '$seconds'" >&2
  exit 2
fi
if [ ! -d "$samples" ]; then
  echo "run-fuzz: no public samples at $samples (SHARED_DIR)" >&2
  exit 2
fi
mkdir -p "$artifacts"

# Seeds are copied, never fuzzed in place: libFuzzer writes new inputs into
# the first corpus folder it is given.
seed() {  # seed TARGET SOURCE_DIR...
  local dir="$work/$1"
  shift
  mkdir -p "$dir"
  for src in "$@"; do
    find "$src" -maxdepth 1 -type f \( -name '*.xml' -o -name '*.json' \) -exec cp -n {} "$dir/" \;
  done
}
seed ceb_reader_fuzz "$samples" "$root/fuzz/seeds/xml"
seed ceb_json_fuzz "$root/fuzz/seeds/json"

# UBSan only reports and continues by default; halting turns every report
# into a crash that libFuzzer records.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:${UBSAN_OPTIONS:-}"
export ASAN_OPTIONS="detect_leaks=1:${ASAN_OPTIONS:-}"

targets=(ceb_reader_fuzz ceb_json_fuzz)
pids=()
for t in "${targets[@]}"; do
  bin="$build_dir/fuzz/$t"
  if [ ! -x "$bin" ]; then
    echo "run-fuzz: $bin is missing; build with -DDRYPORT_FUZZ=ON (make fuzz)" >&2
    exit 2
  fi
  "$bin" "$work/$t" \
    -dict="$root/fuzz/ceb.dict" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -detect_leaks=1 \
    -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$artifacts/$t-" >"$work/$t.log" 2>&1 &
  pids+=($!)
done

failed=0
for i in "${!targets[@]}"; do
  t=${targets[$i]}
  wait "${pids[$i]}"
  rc=$?
  log="$work/$t.log"
  # The last status line carries executions and coverage.
  summary=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  execs=$(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')
  if [ "$rc" -eq 0 ]; then
    echo "run-fuzz: $t: ok, ${execs:-?} executions in ${seconds}s; $summary"
    continue
  fi
  failed=1
  echo "run-fuzz: $t: FAILED (exit $rc) after ${execs:-?} executions; full log: $log" >&2
  # The sanitizer or libFuzzer report, without the long mutation trail.
  grep -E -A40 '^==[0-9]+==ERROR|runtime error:|^==[0-9]+== ERROR|deadly signal|ERROR: libFuzzer' "$log" | head -n 60 >&2
  input=$(grep -oE "Test unit written to [^ ]+" "$log" | tail -n 1 | sed 's/Test unit written to //')
  if [ -n "$input" ]; then
    echo "run-fuzz: failing input: $input" >&2
    echo "run-fuzz: reproduce: $build_dir/fuzz/$t $input" >&2
  fi
done
exit "$failed"
