#include "bench/codec_bench_support.h"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#if DRYPORT_BENCH_HAVE_TRAFFIC
#include "traffic/generator.h"
#endif

namespace dryport::bench {
namespace {

namespace fs = std::filesystem;

// [begin, end) of the encoding pseudo-attribute's value in the XML
// declaration; begin == end == npos when there is no declaration or no
// encoding in it.
std::pair<size_t, size_t> DeclaredEncodingSpan(std::string_view text) {
  constexpr auto npos = std::string_view::npos;
  if (!text.starts_with("<?xml")) return {npos, npos};
  const std::string_view decl = text.substr(0, text.find("?>"));
  const size_t at = decl.find("encoding");
  if (at == npos) return {npos, npos};
  const size_t open = decl.find_first_of("\"'", at);
  if (open == npos) return {npos, npos};
  const size_t close = decl.find(decl[open], open + 1);
  if (close == npos) return {npos, npos};
  return {open + 1, close};
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsGbLabel(std::string_view label) {
  const std::string l = Lower(label);
  return l == "gb2312" || l == "gbk" || l == "gb18030" || l == "cp936" || l == "x-gbk" || l == "euc-cn";
}

// `text` with its declared encoding set to `label`; a declaration is added
// when there is none.
std::string Relabel(std::string_view text, std::string_view label) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const auto [begin, end] = DeclaredEncodingSpan(text);
  if (begin != std::string_view::npos) {
    return fmt::format("{}{}{}", text.substr(0, begin), label, text.substr(end));
  }
  if (text.starts_with("<?xml")) {
    const size_t close = text.find("?>");
    if (close != std::string_view::npos) {
      return fmt::format("{} encoding=\"{}\"{}", text.substr(0, close), label, text.substr(close));
    }
  }
  return fmt::format("<?xml version=\"1.0\" encoding=\"{}\"?>\n{}", label, text);
}

// iconv of a whole string; failure names the first byte that did not convert.
Result<std::string> Convert(std::string_view in, const char* from, const char* to) {
  iconv_t cd = iconv_open(to, from);
  if (cd == reinterpret_cast<iconv_t>(-1)) return Status::Unsupported(fmt::format("iconv {} -> {}", from, to));
  std::string out(in.size() * 2 + 16, '\0');
  char* inp = const_cast<char*>(in.data());
  size_t in_left = in.size();
  char* outp = out.data();
  size_t out_left = out.size();
  Status status;
  while (in_left > 0) {
    if (iconv(cd, &inp, &in_left, &outp, &out_left) != static_cast<size_t>(-1)) break;
    if (errno != E2BIG) {
      status = Status::InvalidArgument(
          fmt::format("offset {} cannot be converted from {} to {}", in.size() - in_left, from, to));
      break;
    }
    const size_t used = static_cast<size_t>(outp - out.data());
    out.resize(out.size() * 2);
    outp = out.data() + used;
    out_left = out.size() - used;
  }
  iconv_close(cd);
  if (!status.ok()) return status;
  out.resize(static_cast<size_t>(outp - out.data()));
  return out;
}

// A message as the main (UTF-8) corpus carries it.
Result<std::string> AsUtf8(std::string bytes) {
  const auto [begin, end] = DeclaredEncodingSpan(bytes);
  if (begin == std::string_view::npos || !IsGbLabel(std::string_view(bytes).substr(begin, end - begin))) {
    return bytes;
  }
  Result<std::string> utf8 = Convert(bytes, "GB18030", "UTF-8");
  if (!utf8.ok()) return utf8.status();
  return Relabel(*utf8, "UTF-8");
}

Status AddMessage(Corpus& corpus, std::string bytes, std::string_view name) {
  Result<std::string> utf8 = AsUtf8(std::move(bytes));
  if (!utf8.ok()) return Status::InvalidArgument(fmt::format("{}: {}", name, utf8.status().message()));
  corpus.bytes += utf8->size();
  corpus.messages.push_back(std::move(*utf8));
  return Status::Ok();
}

Result<Corpus> ReadDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Status::NotFound(fmt::format("{} is not a folder", dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && Lower(entry.path().extension().string()) == ".xml") files.push_back(entry.path());
  }
  if (ec) return Status::IOError(fmt::format("{}: {}", dir, ec.message()));
  std::sort(files.begin(), files.end());
  Corpus corpus;
  for (const fs::path& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return Status::IOError(fmt::format("cannot read {}", path.string()));
    DRYPORT_RETURN_IF_ERROR(AddMessage(corpus, std::move(bytes), path.string()));
  }
  if (corpus.messages.empty()) return Status::NotFound(fmt::format("{} holds no .xml file", dir));
  corpus.description = fmt::format("{} ({} files)", dir, corpus.messages.size());
  return corpus;
}

// The measuring thread's CPU time, as Google Benchmark uses by default: on a
// machine shared with builds and other benchmarks, wall time counts the time
// the thread waited for a core, CPU time does not.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

#if DRYPORT_BENCH_HAVE_TRAFFIC
Status Generate(int orders, uint64_t seed, Corpus& corpus) {
  traffic::GenOptions options;
  options.seed = seed;
  options.orders = orders;
  options.faults = {};  // clean traffic: the benchmark measures the path valid messages take
  traffic::Generator generator(options);
  Status added;
  Status generated = generator.Generate([&](traffic::GeneratedFile&& file) {
    if (!added.ok() || !file.name.ends_with(".xml")) return;  // e.g. a manifest
    added = AddMessage(corpus, std::move(file.bytes), file.name);
  });
  DRYPORT_RETURN_IF_ERROR(generated);
  return added;
}
#endif

}  // namespace

bool HaveGenerator() { return DRYPORT_BENCH_HAVE_TRAFFIC != 0; }

Result<Corpus> BuildCorpus(const CorpusOptions& options) {
  if (!options.dir.empty()) return ReadDir(options.dir);
#if DRYPORT_BENCH_HAVE_TRAFFIC
  int orders = options.orders;
  if (orders <= 0) {
    // Messages per order depend on the generator's mix; a small probe run
    // with the same seed sizes the real one.
    constexpr int kProbeOrders = 500;
    Corpus probe;
    DRYPORT_RETURN_IF_ERROR(Generate(kProbeOrders, options.seed, probe));
    if (probe.messages.empty()) return Status::Internal("the traffic generator produced no XML message");
    const double per_order = static_cast<double>(probe.messages.size()) / kProbeOrders;
    orders = std::max(1, static_cast<int>(static_cast<double>(options.target_messages) / per_order + 0.5));
  }
  Corpus corpus;
  DRYPORT_RETURN_IF_ERROR(Generate(orders, options.seed, corpus));
  if (corpus.messages.empty()) return Status::Internal("the traffic generator produced no XML message");
  corpus.description = fmt::format("dryport gen --orders {} --seed {} ({} messages)", orders, options.seed,
                                   corpus.messages.size());
  return corpus;
#else
  Result<Corpus> corpus = ReadDir(DRYPORT_SHARED_DIR "/conformance/public-samples");
  if (corpus.ok()) corpus->description += "; this build has no traffic generator";
  return corpus;
#endif
}

Result<Corpus> ToGb18030(const Corpus& utf8) {
  Corpus gb;
  gb.messages.reserve(utf8.messages.size());
  for (size_t i = 0; i < utf8.messages.size(); ++i) {
    std::string_view text = utf8.messages[i];
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    Result<std::string> converted = Convert(text, "UTF-8", "GB18030");
    if (!converted.ok()) {
      return Status::InvalidArgument(fmt::format("message {}: {}", i + 1, converted.status().message()));
    }
    // The declaration is ASCII, so relabelling after transcoding is safe.
    std::string bytes = Relabel(*converted, "GB2312");
    gb.bytes += bytes.size();
    gb.messages.push_back(std::move(bytes));
  }
  gb.description = utf8.description + ", transcoded to GB18030, declared GB2312";
  return gb;
}

bool CodecKernels::ParseOnly(std::string_view bytes) {
  buffer_.assign(bytes);
  return static_cast<bool>(
      doc_.load_buffer_inplace(buffer_.data(), buffer_.size(), pugi::parse_default, pugi::encoding_utf8));
}

bool CodecKernels::Read(std::string_view bytes) { return reader_.Read(bytes).message.has_value(); }

bool CodecKernels::ReadValidate(std::string_view bytes) {
  return ceb::Check(reader_, bytes, codes_, /*strict=*/false).valid;
}

Throughput Measure(CodecKernels& kernels, Kernel kernel, const Corpus& corpus, double min_seconds) {
  Throughput t;
  if (corpus.messages.empty()) return t;
  const double start = ThreadCpuSeconds();
  bool first_pass = true;
  do {
    size_t failures = 0;
    for (const std::string& m : corpus.messages) {
      bool ok = false;
      switch (kernel) {
        case Kernel::kParseOnly:
          ok = kernels.ParseOnly(m);
          break;
        case Kernel::kRead:
          ok = kernels.Read(m);
          break;
        case Kernel::kReadValidate:
          ok = kernels.ReadValidate(m);
          break;
      }
      failures += !ok;
    }
    if (first_pass) t.failures = failures;
    first_pass = false;
    t.messages += corpus.messages.size();
    t.bytes += corpus.bytes;
    t.seconds = ThreadCpuSeconds() - start;
  } while (t.seconds < min_seconds);
  return t;
}

CodecFigures MeasureAll(const Corpus& corpus, double min_seconds, int rounds) {
  rounds = std::max(1, rounds);
  const double per_round = min_seconds / rounds;
  CodecKernels kernels;
  // One untimed pass each: first-touch page faults, the code tables' lazy
  // initialisation and the buffers' growth are not what we measure.
  Measure(kernels, Kernel::kParseOnly, corpus, 0);
  Measure(kernels, Kernel::kReadValidate, corpus, 0);

  CodecFigures best;
  auto keep_best = [](Throughput& best_so_far, const Throughput& t) {
    if (t.messages_per_s() > best_so_far.messages_per_s()) best_so_far = t;
  };
  for (int r = 0; r < rounds; ++r) {
    keep_best(best.ceiling, Measure(kernels, Kernel::kParseOnly, corpus, per_round));
    keep_best(best.read, Measure(kernels, Kernel::kRead, corpus, per_round));
    keep_best(best.read_validate, Measure(kernels, Kernel::kReadValidate, corpus, per_round));
  }
  return best;
}

}  // namespace dryport::bench
