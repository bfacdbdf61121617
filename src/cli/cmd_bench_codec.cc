// dryport bench codec: how fast this machine reads and validates CEB
// messages, against pugixml's parse-only speed on the same bytes measured in
// the same run (the ceiling). The figure that matters is the ratio; absolute
// rates depend on the machine. bench/codec_bench measures the same kernels
// with Google Benchmark.
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/codec_bench_support.h"
#include "cli/commands.h"

namespace dryport::cli {
namespace {

struct CodecBenchOptions {
  bool json = false;
  int orders = 0;  // 0 = enough for about 20,000 messages
  uint64_t seed = 1;
  double seconds = 2.0;
  std::string corpus_dir;
};

// Below this the codec, not pugixml, dominates the time of a message.
constexpr double kRatioGoal = 0.5;

nlohmann::ordered_json FiguresJson(const bench::Corpus& corpus, const bench::CodecFigures& f, double seconds) {
  return {
      {"messages_per_s", f.read_validate.messages_per_s()},
      {"mb_per_s", f.read_validate.mb_per_s()},
      {"ceiling_messages_per_s", f.ceiling.messages_per_s()},
      {"ceiling_mb_per_s", f.ceiling.mb_per_s()},
      {"ratio", f.ratio()},
      {"read_only_messages_per_s", f.read.messages_per_s()},
      {"read_only_mb_per_s", f.read.mb_per_s()},
      {"messages", corpus.messages.size()},
      {"bytes", corpus.bytes},
      {"invalid_messages", f.read_validate.failures},
      {"seconds", seconds},  // minimum measuring time of each figure
  };
}

void PrintRows(std::string_view path, const bench::CodecFigures& f) {
  const double ceiling = f.ceiling.messages_per_s();
  auto row = [&](std::string_view stage, const bench::Throughput& t) {
    std::cout << fmt::format("{:<9}{:<31}{:>12.0f}{:>10.1f}{:>11.2f}\n", path, stage, t.messages_per_s(),
                             t.mb_per_s(), ceiling > 0 ? t.messages_per_s() / ceiling : 0.0);
  };
  row("pugixml parse-only (ceiling)", f.ceiling);
  row("read", f.read);
  row("read + validate", f.read_validate);
}

int RunCodecBench(const CodecBenchOptions& opt) {
  bench::CorpusOptions corpus_options;
  corpus_options.orders = opt.orders;
  corpus_options.seed = opt.seed;
  corpus_options.dir = opt.corpus_dir;
  if (!opt.json) std::cout << "Building the corpus...\n" << std::flush;
  Result<bench::Corpus> utf8 = bench::BuildCorpus(corpus_options);
  if (!utf8.ok()) {
    std::cerr << "dryport bench codec: " << utf8.status().message() << "\n";
    return opt.corpus_dir.empty() ? kExitInvalid : kExitUsage;
  }
  Result<bench::Corpus> gb = bench::ToGb18030(*utf8);
  if (!gb.ok()) {
    std::cerr << "dryport bench codec: cannot transcode the corpus to GB18030: " << gb.status().message() << "\n";
    return kExitInvalid;
  }
  if (!opt.json) {
    std::cout << fmt::format(
                     "corpus: {}\n        {} messages, {:.1f} MB UTF-8 / {:.1f} MB GB18030; one thread; each figure "
                     "is the best of {} interleaved rounds, {:.1f} s of CPU time in all per figure\n",
                     utf8->description, utf8->messages.size(), static_cast<double>(utf8->bytes) / 1e6,
                     static_cast<double>(gb->bytes) / 1e6, bench::kDefaultRounds, opt.seconds)
              << std::flush;
  }

  const bench::CodecFigures main_figures = bench::MeasureAll(*utf8, opt.seconds);
  const bench::CodecFigures gb_figures = bench::MeasureAll(*gb, opt.seconds);

  if (opt.json) {
    nlohmann::ordered_json out = FiguresJson(*utf8, main_figures, opt.seconds);
    out["ratio_goal"] = kRatioGoal;
    out["corpus"] = utf8->description;
    out["generated"] = opt.corpus_dir.empty() && bench::HaveGenerator();
    out["threads"] = 1;
    out["timing"] = "thread CPU time";
    out["hardware_threads"] = std::thread::hardware_concurrency();
    out["gb18030"] = FiguresJson(*gb, gb_figures, opt.seconds);
    std::cout << out.dump(1) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("\n{:<9}{:<31}{:>12}{:>10}{:>11}\n", "path", "stage", "msg/s", "MB/s", "x ceiling");
  PrintRows("UTF-8", main_figures);
  PrintRows("GB18030", gb_figures);
  std::cout << fmt::format("\nratio (read + validate / pugixml parse-only, UTF-8): {:.2f}  (goal: at least {:.2f})\n",
                           main_figures.ratio(), kRatioGoal);
  if (main_figures.read_validate.failures > 0) {
    std::cout << fmt::format(
        "note: {} of the {} messages are not valid, so part of the time went into reporting findings\n",
        main_figures.read_validate.failures, utf8->messages.size());
  }
  return kExitOk;
}

}  // namespace

void RegisterCodecBench(CLI::App& bench, ExitCode& exit_code) {
  auto opt = std::make_shared<CodecBenchOptions>();
  CLI::App* codec = bench.add_subcommand(
      "codec",
      "CEB read + validate throughput (messages/s, MB/s) on generated traffic, beside pugixml's parse-only\n"
      "throughput of the same bytes (the ceiling), for UTF-8 and GB18030 messages");
  codec->add_flag("--json", opt->json, "Print one JSON object instead of the table");
  codec->add_option("--orders", opt->orders, "Orders to generate (default: enough for about 20,000 messages)")
      ->check(CLI::PositiveNumber);
  codec->add_option("--seed", opt->seed, "Generator seed")->capture_default_str();
  codec->add_option("--seconds", opt->seconds, "Minimum measuring time of each figure")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  codec->add_option("--corpus", opt->corpus_dir, "Measure this folder's *.xml files instead of generated traffic")
      ->check(CLI::ExistingDirectory);
  codec->callback([opt, &exit_code] { exit_code.value = RunCodecBench(*opt); });
}

}  // namespace dryport::cli
