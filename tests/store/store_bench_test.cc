// Store throughput, run by hand (DISABLED_: not part of the suite):
//   build-store/tests/store/store_test --gtest_also_run_disabled_tests
//       --gtest_filter='StoreBench.*'
// Figures go to docs/store.md. Rows are generated before the clock starts;
// the file lives in $TMPDIR (the same disk as the checkout on the build VM).
#include <chrono>
#include <deque>
#include <filesystem>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <time.h>

#include "store/store.h"
#include "tests/store/test_util.h"

namespace dryport::store {
namespace {

using Clock = std::chrono::steady_clock;

// 1,000 distinct ~3 KB messages, reused round-robin under fresh seqs.
const std::vector<std::string>& Raws() {
  static const std::vector<std::string> raws = [] {
    std::vector<std::string> v;
    for (int64_t i = 1; i <= 1000; ++i) v.push_back(test::OrderXml(i));
    return v;
  }();
  return raws;
}

// kind "message": the message and 3 keys. kind "full": what the engine
// writes per accepted order: message, 3 keys, document upsert, event,
// receipt (~600 B), counter upsert.
Batch Make(int64_t seq, bool full) {
  Batch b;
  const std::string order_no = fmt::format("O{}", seq);
  b.messages.push_back({seq, fmt::format("G{}", seq), "CEB311Message", "1105912345", "bench", seq,
                        seq, Raws()[static_cast<size_t>(seq) % Raws().size()]});
  b.keys = {{seq, "orderNo", order_no},
            {seq, "ebpCode", "1105912345"},
            {seq, "logisticsNo", fmt::format("L{}", seq)}};
  if (full) {
    b.documents.push_back(
        {"order", "1105912345|" + order_no, 2, seq, R"({"status":2,"amount":"123.40"})"});
    b.events.push_back({0, "order", "1105912345|" + order_no, 2, "accept", "", seq, seq});
    b.receipts.push_back(
        {0, seq, "CEB312Message", fmt::format("R{}.xml", seq), std::string(600, 'r')});
    b.counters.push_back({"quota", fmt::format("B{}|2025", seq % 5000), "1234.50"});
  }
  return b;
}

struct Figure {
  double messages_per_s;
  double rows_per_s;
  double cpu_us_per_message;  // this thread's CPU (user + system): what the commit path costs
  double bytes_per_message;
};

// CPU time of the calling thread. Wall-clock figures depend on the disk and
// on whatever else the machine runs; this one does not.
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

Figure RunApply(size_t group, int64_t total, bool full, bool compress) {
  test::TempDir dir;
  const std::string path = dir.File("bench.db");
  SqliteOptions options;
  options.compress = compress;
  auto store = OpenSqlite(path, options);
  EXPECT_TRUE(store.ok());
  std::vector<Batch> groups;
  size_t rows = 0;
  for (int64_t seq = 1; seq <= total;) {
    Batch g;
    for (size_t i = 0; i < group && seq <= total; ++i) g.Append(Make(seq++, full));
    rows += g.messages.size() + g.keys.size() + g.documents.size() + g.events.size() +
            g.receipts.size() + g.counters.size();
    groups.push_back(std::move(g));
  }
  const double cpu_start = ThreadCpuSeconds();
  const auto start = Clock::now();
  for (const Batch& g : groups) EXPECT_TRUE((*store)->Apply(g).ok());
  const double s = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = ThreadCpuSeconds() - cpu_start;
  store->reset();  // checkpoint, so the file size is the data
  return {static_cast<double>(total) / s, static_cast<double>(rows) / s,
          cpu * 1e6 / static_cast<double>(total),
          static_cast<double>(std::filesystem::file_size(path)) / static_cast<double>(total)};
}

TEST(StoreBench, DISABLED_ApplyGroupSizes) {
  std::cout << "raw message: " << Raws()[0].size() << " bytes\n";
  std::cout << "| rows per message | messages per Apply | zstd | messages/s | rows/s | CPU "
               "µs/message | file bytes/message |\n";
  struct Case {
    bool full;
    size_t group;
    int64_t total;
    bool compress;
  };
  for (const Case c :
       {Case{false, 1, 1000, true}, Case{false, 100, 20000, true}, Case{false, 1000, 50000, true},
        Case{true, 1, 1000, true}, Case{true, 100, 20000, true}, Case{true, 1000, 50000, true},
        Case{true, 1000, 50000, false}}) {
    const Figure f = RunApply(c.group, c.total, c.full, c.compress);
    std::cout << fmt::format("| {} | {} | {} | {:.0f} | {:.0f} | {:.1f} | {:.0f} |\n",
                             c.full ? "8 (full)" : "4 (message+keys)", c.group,
                             c.compress ? "on" : "off", f.messages_per_s, f.rows_per_s,
                             f.cpu_us_per_message, f.bytes_per_message);
  }
}

TEST(StoreBench, DISABLED_GroupCommitProducers) {
  std::cout << "| producers | in flight each | messages/s | messages per group |\n";
  for (const auto& [producers, window] :
       {std::pair{1, 1}, std::pair{8, 1}, std::pair{8, 64}, std::pair{64, 1}}) {
    test::TempDir dir;
    auto store = OpenSqlite(dir.File("bench.db"));
    ASSERT_TRUE(store.ok());
    const int64_t per_producer = producers * window == 1 ? 1000 : 50000 / producers;
    std::vector<std::vector<Batch>> inputs(static_cast<size_t>(producers));
    for (int p = 0; p < producers; ++p) {
      for (int64_t i = 0; i < per_producer; ++i) {
        inputs[static_cast<size_t>(p)].push_back(Make(p * per_producer + i + 1, true));
      }
    }
    GroupCommitWriter writer(**store);
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int p = 0; p < producers; ++p) {
      threads.emplace_back([&, p, window = window] {
        std::deque<std::future<Status>> inflight;
        for (Batch& b : inputs[static_cast<size_t>(p)]) {
          inflight.push_back(writer.Submit(std::move(b)));
          if (inflight.size() >= static_cast<size_t>(window)) {
            EXPECT_TRUE(inflight.front().get().ok());
            inflight.pop_front();
          }
        }
        for (auto& f : inflight) EXPECT_TRUE(f.get().ok());
      });
    }
    for (auto& t : threads) t.join();
    const double s = std::chrono::duration<double>(Clock::now() - start).count();
    ASSERT_TRUE(writer.Flush().ok());
    const auto stats = writer.stats();
    std::cout << fmt::format(
        "| {} | {} | {:.0f} | {:.1f} |\n", producers, window,
        static_cast<double>(stats.messages) / s,
        static_cast<double>(stats.messages) / static_cast<double>(stats.groups));
  }
}

}  // namespace
}  // namespace dryport::store
