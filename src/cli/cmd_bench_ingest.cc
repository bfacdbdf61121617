// dryport bench ingest: durable end-to-end ingest through the clearance
// engine (decode, validate, decide, group commit with fsync, receipts back),
// beside the read-only ceiling of the same bytes (ceb::Reader::Read on as
// many threads) measured in the same run. The figure that matters is the
// ratio; absolute rates depend on the machine and its disk.
//
// Producers call Engine::Ingest concurrently, as the gateway's connections
// would, so the engine's group commit can merge their batches into one
// transaction and one fsync. Per-message latency is the time from handing a
// message to Ingest until its receipts come back (durable).
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "clearance/engine.h"
#include "clearance/summary.h"
#include "cli/commands.h"
#include "core/time.h"
#include "store/store.h"
#include "traffic/generator.h"

namespace dryport::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Json = nlohmann::ordered_json;

struct IngestBenchOptions {
  bool json = false;
  int orders = 4000;
  uint64_t seed = 1;
  int producers = 4;
  std::string mix;  // "" = the generator's default
  int summary_lists = 1'000'000;
  std::string dir;  // where the database goes; "" = a fresh temporary directory
};

double PeakRssMb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;  // Linux: kilobytes
}

double Seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

// Runs fn(i) for every i in [0, n) on `threads` threads.
template <typename Fn>
void Parallel(size_t n, int threads, Fn fn) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(t, i);
    });
  }
  for (auto& th : pool) th.join();
}

// The read-only ceiling: Reader::Read of every message, best of 3 rounds.
double CeilingMessagesPerS(const std::vector<std::string>& corpus, int threads) {
  double best = 0;
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<ceb::Reader>> readers;
    for (int t = 0; t < threads; ++t) readers.push_back(std::make_unique<ceb::Reader>());
    std::atomic<size_t> unreadable{0};
    const auto start = Clock::now();
    Parallel(corpus.size(), threads, [&](int t, size_t i) {
      if (!readers[static_cast<size_t>(t)]->Read(corpus[i]).message) unreadable.fetch_add(1);
    });
    best = std::max(best, static_cast<double>(corpus.size()) / Seconds(start, Clock::now()));
  }
  return best;
}

double Percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const size_t k = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
  return v[k];
}

// n released, summarisable export lists of a few dozen exporters, 1-3
// lines each, as the store would give them to the summary.
std::vector<clearance::ExportList> SyntheticLists(int n) {
  static const char* kHs[] = {"7013370000", "6912001000", "0712909990", "0714200000", "8541430000",
                              "4202220000", "6109100021", "9503008900", "3304990099", "2008999000"};
  static const char* kCountries[] = {"116", "304", "502", "344", "601", "133", "112", "303"};
  std::vector<clearance::ExportList> out;
  out.reserve(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) {
    clearance::ExportList l;
    l.key = fmt::format("1401980001|C{:012}", i);
    l.invt_no = fmt::format("14012025E{:09}", i);
    l.agent = "1401980001";
    l.ebc = fmt::format("14019600{:02}", i % 37);
    l.ebp = "1401960099";
    l.owner = l.ebc;
    l.order_no = fmt::format("O{:012}", i);
    l.logistics_no = fmt::format("L{:012}", i);
    l.customs = "0501";
    l.port = i % 3 == 0 ? "0501" : "0503";
    l.country = kCountries[i % 8];
    l.traf_mode = i % 4 == 0 ? "3" : "5";
    l.trade_mode = "9610";
    l.statistics_flag = "B";
    l.status = 800;
    l.released_ms = 1'761'300'000'000 + int64_t{i} * 1000;
    l.gross_weight = Decimal::FromUnits(1500 + i % 900, 3);
    l.net_weight = Decimal::FromUnits(1200 + i % 700, 3);
    for (int g = 1; g <= 1 + i % 3; ++g) {
      clearance::ExportLine line;
      line.gnum = g;
      line.hs = kHs[(i + g) % 10];
      line.gname = fmt::format("商品{}", (i + g) % 10);
      line.country = l.country;
      line.currency = "142";
      line.unit1 = "011";
      line.qty = Decimal::FromInt(1 + (i + g) % 4);
      line.qty1 = line.qty;
      line.price = Decimal::FromUnits(1999 + (i * 7 + g) % 5000, 2);
      line.total = line.price * line.qty;
      l.lines.push_back(std::move(line));
    }
    out.push_back(std::move(l));
  }
  return out;
}

int RunIngestBench(const IngestBenchOptions& opt) {
  auto say = [&](const std::string& s) {
    if (!opt.json) std::cout << s << std::flush;
  };
  // 1. A clean corpus, in memory, in send order.
  traffic::GenOptions gen;
  gen.orders = opt.orders;
  gen.seed = opt.seed;
  if (!opt.mix.empty()) {
    if (Status s = traffic::ParseMix(opt.mix, gen); !s.ok()) {
      std::cerr << "dryport bench ingest: " << s.message() << "\n";
      return kExitUsage;
    }
  }
  say(fmt::format("Generating {} orders of clean traffic...\n", opt.orders));
  std::vector<std::string> corpus;
  size_t bytes = 0;
  traffic::Generator generator(gen);
  if (Status s = generator.Generate([&](traffic::GeneratedFile&& f) {
        bytes += f.bytes.size();
        corpus.push_back(std::move(f.bytes));
      });
      !s.ok()) {
    std::cerr << "dryport bench ingest: " << s.message() << "\n";
    return kExitInvalid;
  }
  const int threads = std::max(1, opt.producers);
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());

  // 2. The ceiling: reading the same bytes, nothing else, on every core.
  say(fmt::format("corpus: {} messages, {:.1f} MB; measuring the read-only ceiling...\n", corpus.size(),
                  static_cast<double>(bytes) / 1e6));
  const double ceiling = CeilingMessagesPerS(corpus, static_cast<int>(cores));

  // 3. Durable ingest into a fresh database.
  std::string dir = opt.dir;
  bool remove_dir = false;
  if (dir.empty()) {
    std::string templ = (fs::temp_directory_path() / "dryport-bench-ingest-XXXXXX").string();
    if (mkdtemp(templ.data()) == nullptr) {
      std::cerr << "dryport bench ingest: cannot create a temporary directory\n";
      return kExitUsage;
    }
    dir = templ;
    remove_dir = true;
  }
  const std::string db_path = (fs::path(dir) / "bench.db").string();
  std::error_code ec;
  fs::remove(db_path, ec);
  fs::remove(db_path + "-wal", ec);
  fs::remove(db_path + "-shm", ec);
  Result<std::unique_ptr<store::Store>> store = store::OpenSqlite(db_path);
  if (!store.ok()) {
    std::cerr << "dryport bench ingest: " << store.status().message() << "\n";
    return kExitUsage;
  }
  clearance::EngineOptions options;
  options.clock = clearance::ClockMode::kMessage;
  options.risk = clearance::RiskConfig::Builtin();
  Result<std::unique_ptr<clearance::Engine>> engine = clearance::Engine::Open(**store, options);
  if (!engine.ok()) {
    std::cerr << "dryport bench ingest: " << engine.status().message() << "\n";
    return kExitInvalid;
  }
  say(fmt::format("ingesting with {} producer threads into {} (fsync per group commit)...\n", threads, db_path));
  const double rss_before = PeakRssMb();
  std::vector<std::vector<double>> latencies(static_cast<size_t>(threads));
  std::atomic<size_t> failures{0};
  std::atomic<size_t> receipts{0};
  const auto start = Clock::now();
  Parallel(corpus.size(), threads, [&](int t, size_t i) {
    const auto t0 = Clock::now();
    Result<clearance::Outcome> outcome = (*engine)->Ingest(corpus[i], "bench");
    const auto t1 = Clock::now();
    if (!outcome.ok()) {
      failures.fetch_add(1);
      return;
    }
    receipts.fetch_add(outcome->receipts.size());
    latencies[static_cast<size_t>(t)].push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
  });
  const double ingest_s = Seconds(start, Clock::now());
  const double rss_peak = PeakRssMb();
  const clearance::Engine::Counters counters = (*engine)->counters();
  std::vector<double> all;
  for (auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  const double p50 = Percentile(all, 0.50), p99 = Percentile(all, 0.99);
  const double rate = static_cast<double>(corpus.size()) / ingest_s;

  // 4. Replay: what a restart costs (Engine::Open re-reads the whole log).
  engine->reset();
  const auto replay_start = Clock::now();
  Result<std::unique_ptr<clearance::Engine>> reopened = clearance::Engine::Open(**store, options);
  const double replay_s = Seconds(replay_start, Clock::now());
  if (!reopened.ok()) {
    std::cerr << "dryport bench ingest: replay: " << reopened.status().message() << "\n";
    return kExitInvalid;
  }
  reopened->reset();
  const uintmax_t db_bytes = fs::file_size(db_path, ec) + fs::file_size(db_path + "-wal", ec);

  // 5. Summarising released export lists (summary.h), in memory.
  double summary_s = 0;
  size_t declarations = 0;
  if (opt.summary_lists > 0) {
    say(fmt::format("summarising {} released export lists...\n", opt.summary_lists));
    const std::vector<clearance::ExportList> lists = SyntheticLists(opt.summary_lists);
    const auto s0 = Clock::now();
    declarations = clearance::Consolidate(lists, clearance::SummaryOptions{}).size();
    summary_s = Seconds(s0, Clock::now());
  }
  const double rss_end = PeakRssMb();

  store->reset();
  if (remove_dir) fs::remove_all(dir, ec);

  Json out = {{"messages_per_s", rate},
              {"ceiling_messages_per_s", ceiling},
              {"ratio", ceiling > 0 ? rate / ceiling : 0.0},
              {"p50_ms", p50},
              {"p99_ms", p99},
              {"peak_rss_mb", rss_peak},
              {"rss_before_ingest_mb", rss_before},
              {"messages", corpus.size()},
              {"bytes", bytes},
              {"orders", opt.orders},
              {"producers", threads},
              {"hardware_threads", cores},
              {"seconds", ingest_s},
              {"failures", failures.load()},
              {"receipts", receipts.load()},
              {"released", counters.released},
              {"rejected", counters.rejected},
              {"replay_messages_per_s", static_cast<double>(corpus.size()) / replay_s},
              {"db_mb", static_cast<double>(db_bytes) / 1e6},
              {"target_messages_per_s", 50000}};
  if (opt.summary_lists > 0) {
    out["summary_lists"] = opt.summary_lists;
    out["summary_s"] = summary_s;
    out["summary_declarations"] = declarations;
    out["peak_rss_with_summary_mb"] = rss_end;
  }
  if (opt.json) {
    std::cout << out.dump(1) << "\n";
  } else {
    std::cout << fmt::format(
        "\ndurable ingest      {:>9.0f} messages/s  ({} messages in {:.2f} s, {} producers, {} failures)\n"
        "read-only ceiling   {:>9.0f} messages/s  (ceb::Reader::Read on {} threads)\n"
        "ratio               {:>9.3f}             (target 50,000 messages/s: {})\n"
        "latency to receipt  p50 {:.2f} ms, p99 {:.2f} ms\n"
        "peak RSS            {:.0f} MB ({:.0f} MB before the ingest: corpus and generator)\n"
        "replay at Open      {:.0f} messages/s ({:.2f} s)\n"
        "database            {:.1f} MB, {} receipts, {} released, {} rejected\n",
        rate, corpus.size(), ingest_s, threads, failures.load(), ceiling, cores, rate / ceiling,
        rate >= 50000 ? "met" : "NOT met", p50, p99, rss_peak, rss_before,
        static_cast<double>(corpus.size()) / replay_s, replay_s, static_cast<double>(db_bytes) / 1e6,
        receipts.load(), counters.released, counters.rejected);
    if (opt.summary_lists > 0) {
      std::cout << fmt::format("summary             {} released lists -> {} declarations in {:.2f} s (Consolidate)\n",
                               opt.summary_lists, declarations, summary_s);
    }
  }
  return failures.load() == 0 ? kExitOk : kExitInvalid;
}

}  // namespace

void RegisterIngestBench(CLI::App& bench, ExitCode& exit_code) {
  auto opt = std::make_shared<IngestBenchOptions>();
  CLI::App* cmd = bench.add_subcommand(
      "ingest",
      "Durable end-to-end ingest through the clearance engine (messages/s, latency to receipt, peak memory)\n"
      "beside the read-only ceiling of the same generated corpus, and the time to summarise released export\n"
      "lists");
  cmd->add_flag("--json", opt->json, "Print one JSON object");
  cmd->add_option("--orders", opt->orders, "Orders to generate (about 5 messages each)")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--seed", opt->seed, "Generator seed")->capture_default_str();
  cmd->add_option("--producers", opt->producers, "Threads calling Engine::Ingest concurrently")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->add_option("--mix", opt->mix, "Flow shares as for dryport gen (export=..,direct=..,bonded=..)");
  cmd->add_option("--summary-lists", opt->summary_lists, "Released export lists to summarise (0: skip)")
      ->check(CLI::Range(0, 20'000'000))
      ->capture_default_str();
  cmd->add_option("--dir", opt->dir, "Put the database here (kept) instead of a temporary directory");
  cmd->callback([opt, &exit_code] { exit_code.value = RunIngestBench(*opt); });
}

}  // namespace dryport::cli
