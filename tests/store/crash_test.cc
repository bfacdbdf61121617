// Nothing acknowledged is ever lost: a forked child ingests numbered
// messages through GroupCommitWriter and reports each seq on a pipe only
// after its future completed OK (the moment the engine would send the
// receipt). The parent SIGKILLs it at a random moment, reopens the file and
// checks that every reported seq is there exactly once, that every stored
// message is whole (its keys, document, event, receipt and counter came in
// the same transaction) and that PRAGMA integrity_check passes. The next
// round re-sends what is missing, like a restarted engine; at the end the
// rest is re-sent and the set must be complete without duplicates.
//
// Seeded: DRYPORT_STORE_CRASH_SEED=<n> replays a run.
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <future>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/store.h"
#include "tests/store/test_util.h"

namespace dryport::store {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kMessages = 20'000;
constexpr int kRounds = 5;
constexpr int kProducers = 4;
constexpr size_t kWindow = 64;  // futures each producer keeps in flight

// The child: never returns. Exit codes: 0 all done, 2 open failed,
// 3 an Apply failed, 4 the pipe broke.
[[noreturn]] void ChildIngest(const std::string& path, const std::vector<int64_t>& todo, int fd) {
  auto store = OpenSqlite(path);
  if (!store.ok()) _exit(2);
  GroupCommitWriter writer(**store);
  std::atomic<size_t> next{0};
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&] {
      std::deque<std::pair<int64_t, std::future<Status>>> window;
      auto ack_oldest = [&] {
        auto [seq, future] = std::move(window.front());
        window.pop_front();
        if (!future.get().ok()) _exit(3);
        // Only now is the message acknowledged. 8 bytes < PIPE_BUF: atomic.
        if (write(fd, &seq, sizeof seq) != static_cast<ssize_t>(sizeof seq)) _exit(4);
      };
      while (true) {
        const size_t i = next.fetch_add(1);
        if (i >= todo.size()) break;
        window.emplace_back(todo[i], writer.Submit(test::MessageBatch(todo[i])));
        if (window.size() >= kWindow) ack_oldest();
      }
      while (!window.empty()) ack_oldest();
    });
  }
  for (auto& t : producers) t.join();
  _exit(0);
}

struct RoundResult {
  std::vector<int64_t> acked;
  bool killed = false;  // false: the child finished before the kill
};

void ReadAcks(int fd, std::string& pending, std::vector<int64_t>& acked, bool* eof) {
  char buf[8192];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n == 0) *eof = true;
  if (n <= 0) return;
  pending.append(buf, static_cast<size_t>(n));
  size_t whole = pending.size() / sizeof(int64_t) * sizeof(int64_t);
  for (size_t at = 0; at < whole; at += sizeof(int64_t)) {
    int64_t seq;
    std::memcpy(&seq, pending.data() + at, sizeof seq);
    acked.push_back(seq);
  }
  pending.erase(0, whole);
}

// Kills the child kill_after after the fork, or (from_first_ack) after its
// first acknowledgement, which guarantees the kill lands mid-ingest even on a
// loaded machine where start-up is slow.
RoundResult RunAndKill(const std::string& path, const std::vector<int64_t>& todo,
                       std::chrono::milliseconds kill_after, bool from_first_ack) {
  RoundResult result;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed";
    return result;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return result;
  }
  if (pid == 0) {
    close(fds[0]);
    ChildIngest(path, todo, fds[1]);
  }
  close(fds[1]);
  // Without an ack within 20 s the child is stuck: kill it and fail below.
  auto deadline = Clock::now() + (from_first_ack ? std::chrono::milliseconds(20'000) : kill_after);
  std::string pending;
  bool eof = false;
  while (!eof) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) > 0) {
      const bool had_acks = !result.acked.empty();
      ReadAcks(fds[0], pending, result.acked, &eof);
      if (from_first_ack && !had_acks && !result.acked.empty()) {
        deadline = Clock::now() + kill_after;
      }
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  // Acks written before the kill are still in the pipe: they count.
  while (!eof) ReadAcks(fds[0], pending, result.acked, &eof);
  close(fds[0]);
  EXPECT_TRUE(pending.empty()) << "a torn ack record";
  result.killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (!result.killed) {
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  }
  return result;
}

// Straight SQL for what the Store interface does not expose.
std::vector<std::string> QueryStrings(const std::string& path, const char* sql) {
  std::vector<std::string> rows;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
  while (sqlite3_step(st) == SQLITE_ROW) {
    const auto* text = sqlite3_column_text(st, 0);
    rows.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return rows;
}

// Checks the file after a crash; returns the seqs present.
std::set<int64_t> Verify(const std::string& path, const std::set<int64_t>& acked,
                         bool check_every_raw) {
  std::set<int64_t> present;
  {
    auto store = OpenSqlite(path);  // recovers the WAL
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return present;
    Status s = (*store)->ForEachMessage(0, [&](MessageRow&& m) {
      EXPECT_TRUE(present.insert(m.seq).second) << "seq " << m.seq << " twice";
      EXPECT_EQ(m.guid, fmt::format("G{}", m.seq));
      if (check_every_raw || m.seq % 97 == 0) {
        EXPECT_EQ(m.raw, test::MessageRaw(m.seq)) << "seq " << m.seq;
      }
      return Status::Ok();
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    for (int64_t seq : acked) {
      EXPECT_TRUE(present.count(seq)) << "acknowledged seq " << seq << " was lost";
    }
    // Exactly once through a secondary path too: one message per guid.
    size_t i = 0;
    for (int64_t seq : present) {
      if (i++ % 997 == 0) {
        EXPECT_EQ((*store)->MessagesByGuid(fmt::format("G{}", seq))->size(), 1u) << "seq " << seq;
      }
    }
  }
  EXPECT_EQ(QueryStrings(path, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  const std::string n = std::to_string(present.size());
  // Whole transactions only, never duplicated: each stored message has
  // exactly its two keys, one event, one receipt, its document and counter.
  EXPECT_EQ(QueryStrings(path, "SELECT count(*) FROM message_keys"),
            std::vector<std::string>{std::to_string(2 * present.size())});
  for (const char* sql : {"SELECT count(*) FROM events", "SELECT count(*) FROM receipts",
                          "SELECT count(*) FROM documents", "SELECT count(*) FROM counters",
                          "SELECT count(DISTINCT message_seq) FROM events",
                          "SELECT count(DISTINCT message_seq) FROM receipts"}) {
    EXPECT_EQ(QueryStrings(path, sql), std::vector<std::string>{n}) << sql;
  }
  EXPECT_EQ(QueryStrings(path,
                         "SELECT count(*) FROM messages m WHERE NOT EXISTS "
                         "(SELECT 1 FROM receipts r WHERE r.message_seq = m.seq)"),
            std::vector<std::string>{"0"});
  return present;
}

TEST(CrashTest, KillNineNeverLosesAnAcknowledgedMessage) {
  uint64_t seed = 20251028;
  if (const char* env = std::getenv("DRYPORT_STORE_CRASH_SEED")) {
    seed = std::strtoull(env, nullptr, 10);
  }
  std::cout << "[          ] seed " << seed << " (DRYPORT_STORE_CRASH_SEED)\n";
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> kill_ms(0, 400);

  test::TempDir dir;
  const std::string path = dir.File("crash.db");
  std::set<int64_t> acked;
  std::set<int64_t> present;
  int killed_with_acks = 0;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<int64_t> todo;  // a restarted engine re-sends what is not stored
    for (int64_t seq = 1; seq <= kMessages; ++seq) {
      if (!present.count(seq)) todo.push_back(seq);
    }
    // Every other round may die anywhere, start-up and migrations included.
    const bool from_first_ack = round % 2 == 0;
    const auto after = std::chrono::milliseconds(kill_ms(rng));
    RoundResult r = RunAndKill(path, todo, after, from_first_ack);
    std::cout << fmt::format(
        "[          ] round {}: {} to send, killed {} ms after {}: {}, {} acknowledged\n", round,
        todo.size(), after.count(), from_first_ack ? "the first ack" : "the fork",
        r.killed ? "yes" : "no (finished)", r.acked.size());
    for (int64_t seq : r.acked) {
      EXPECT_TRUE(acked.insert(seq).second) << "seq " << seq << " acknowledged twice";
    }
    if (r.killed && !r.acked.empty()) ++killed_with_acks;
    if (acked.empty()) continue;
    present = Verify(path, acked, /*check_every_raw=*/false);
    ASSERT_FALSE(HasFailure()) << "round " << round;
  }
  // The test means something only if kills landed mid-ingest (the rounds
  // timed from the first ack always do).
  EXPECT_GE(killed_with_acks, (kRounds + 1) / 2);

  // Re-send everything not stored, then the set must be exactly 1..N.
  {
    auto store = OpenSqlite(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Batch batch;
    for (int64_t seq = 1; seq <= kMessages; ++seq) {
      if (present.count(seq)) continue;
      batch.Append(test::MessageBatch(seq));
      if (batch.messages.size() == 1000) {
        ASSERT_TRUE((*store)->Apply(batch).ok());
        batch = Batch();
      }
    }
    ASSERT_TRUE((*store)->Apply(batch).ok());
  }
  present = Verify(path, acked, /*check_every_raw=*/true);
  ASSERT_EQ(present.size(), static_cast<size_t>(kMessages));
  EXPECT_EQ(*present.begin(), 1);
  EXPECT_EQ(*present.rbegin(), kMessages);
}

}  // namespace
}  // namespace dryport::store
