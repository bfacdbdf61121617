// The CEB codec benchmark's shared parts: the corpus, the three per-message
// kernels (pugixml parse-only = the ceiling, Reader::Read, read + validate)
// and the timed loop. `dryport bench codec` and bench/codec_bench (Google
// Benchmark) both use them, so the two measure exactly the same work.
//
// Thread-safety: a CodecKernels holds a Reader and a pugixml document; use
// one per thread. Corpus values are plain data.
#ifndef DRYPORT_BENCH_CODEC_BENCH_SUPPORT_H_
#define DRYPORT_BENCH_CODEC_BENCH_SUPPORT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "ceb/codec.h"
#include "core/code_table.h"
#include "core/status.h"

namespace dryport::bench {

// The messages one measurement cycles through, as raw file bytes.
struct Corpus {
  std::vector<std::string> messages;
  size_t bytes = 0;          // sum of the messages' sizes
  std::string description;   // where the messages came from, for the report
};

struct CorpusOptions {
  // Orders for traffic::Generator; 0 = enough for about `target_messages`.
  int orders = 0;
  uint64_t seed = 1;
  size_t target_messages = 20000;
  // A folder of *.xml files to use instead of generated traffic.
  std::string dir;
};

// True when this build has the traffic generator (`dryport gen`); without it
// BuildCorpus falls back to the public samples.
bool HaveGenerator();

// A clean generated corpus (or `options.dir`'s files, or the public samples
// when there is no generator). Messages that declare a GB encoding are
// transcoded to UTF-8 and relabelled, so the main figures measure the UTF-8
// path only; the GB path is measured separately on ToGb18030's corpus.
Result<Corpus> BuildCorpus(const CorpusOptions& options);

// The same messages transcoded to GB18030 and declared encoding="GB2312",
// as Chinese senders often send them.
Result<Corpus> ToGb18030(const Corpus& utf8);

// One message's worth of each measured operation. The parse-only kernel does
// what the reader must do at least: copy the bytes into a reused buffer and
// let pugixml parse it in place with a reused document.
class CodecKernels {
 public:
  explicit CodecKernels(const CodeTables& codes = CodeTables::Builtin()) : codes_(codes) {}

  // Each returns true when the message came through (parsed / read / valid):
  // the caller counts failures, and the result keeps the work observable.
  bool ParseOnly(std::string_view bytes);
  bool Read(std::string_view bytes);
  bool ReadValidate(std::string_view bytes);

 private:
  const CodeTables& codes_;
  std::string buffer_;
  pugi::xml_document doc_;
  ceb::Reader reader_;
};

enum class Kernel { kParseOnly, kRead, kReadValidate };

struct Throughput {
  size_t messages = 0;
  size_t bytes = 0;
  size_t failures = 0;  // messages the kernel returned false for (per pass)
  double seconds = 0;

  double messages_per_s() const { return seconds > 0 ? static_cast<double>(messages) / seconds : 0; }
  double mb_per_s() const { return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0; }
};

// Whole passes over the corpus until at least `min_seconds` of the thread's
// CPU time have passed; `seconds` is that CPU time.
Throughput Measure(CodecKernels& kernels, Kernel kernel, const Corpus& corpus, double min_seconds);

// The three kernels on one corpus. Each is measured in `rounds` interleaved
// rounds of min_seconds / rounds and the best round is kept: on a shared
// machine the best round is the one least disturbed by other processes, and
// interleaving exposes all three kernels to the same conditions.
struct CodecFigures {
  Throughput ceiling;
  Throughput read;
  Throughput read_validate;

  // read + validate against the ceiling, in messages/s (equal to the MB/s
  // ratio, since both run over the same bytes).
  double ratio() const {
    return ceiling.messages_per_s() > 0 ? read_validate.messages_per_s() / ceiling.messages_per_s() : 0;
  }
};
inline constexpr int kDefaultRounds = 5;
CodecFigures MeasureAll(const Corpus& corpus, double min_seconds, int rounds = kDefaultRounds);

}  // namespace dryport::bench

#endif  // DRYPORT_BENCH_CODEC_BENCH_SUPPORT_H_
