// Nothing acknowledged is ever lost, end to end through the engine: a forked
// child ingests a generated corpus (~3,000 messages, default faults) and
// writes (seq, file) to a pipe only after Engine::Ingest returned -- the
// moment a gateway would send the receipts on. The parent SIGKILLs it at
// seeded random moments; each round restarts the child on the same database
// (Engine::Open replays it) and re-sends everything from the start.
//
//  - Sequential: one producer in file order, like `dryport ingest`. After
//    every kill each acknowledged message is stored exactly once with its
//    bytes; at the end every document, event and receipt equals those of an
//    uninterrupted run into a separate database.
//  - Concurrent: four producers, as the gateway's connections would call
//    Ingest; decisions then follow no fixed order, so the end state is
//    checked against the stored log itself: a fresh engine fed the stored
//    messages in seq order reaches exactly the stored documents.
//
// Seeded: DRYPORT_CLEARANCE_CRASH_SEED=<n> replays a run.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "clearance/engine.h"
#include "store/store.h"
#include "tests/clearance/ingest_test_util.h"

namespace dryport::clearance {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;

struct Ack {
  int64_t seq;
  int64_t file;
};

EngineOptions Options(bool sequential) {
  EngineOptions options;
  options.clock = ClockMode::kMessage;
  options.risk = RiskConfig::Builtin();
  if (sequential) options.group_commit.max_delay = std::chrono::microseconds(0);
  return options;
}

uint64_t Seed() {
  const char* env = std::getenv("DRYPORT_CLEARANCE_CRASH_SEED");
  return env ? std::strtoull(env, nullptr, 10) : static_cast<uint64_t>(Clock::now().time_since_epoch().count());
}

const test::Corpus& Corpus() {
  static const test::Corpus corpus = [] {
    traffic::GenOptions gen;
    gen.seed = 5;
    gen.orders = 600;
    gen.export_share = 0;  // the import flow: the one this engine decides
    gen.faults = traffic::FaultRates::Default();
    return test::Generate(gen);
  }();
  return corpus;
}

// The child: never returns. 2: open failed, 3: an Ingest failed, 4: the pipe broke.
[[noreturn]] void Child(const std::string& path, int producers, int fd) {
  auto store = store::OpenSqlite(path);
  if (!store.ok()) _exit(2);
  auto engine = Engine::Open(**store, Options(producers == 1));
  if (!engine.ok()) _exit(2);
  const auto& files = Corpus().files;
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < files.size(); i = next.fetch_add(1)) {
      Result<Outcome> o = (*engine)->Ingest(files[i].bytes, files[i].name);
      if (!o.ok()) _exit(3);
      if (o->message_seq == 0) continue;  // not a CEB message: answered, never stored
      const Ack ack{o->message_seq, static_cast<int64_t>(i)};
      // Only now is the message acknowledged. 16 bytes < PIPE_BUF: atomic.
      if (write(fd, &ack, sizeof ack) != static_cast<ssize_t>(sizeof ack)) _exit(4);
    }
  };
  std::vector<std::thread> threads;
  for (int p = 1; p < producers; ++p) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  _exit(0);
}

void ReadAcks(int fd, std::string& pending, std::vector<Ack>& acks, bool* eof) {
  char buf[8192];
  const ssize_t n = read(fd, buf, sizeof buf);
  if (n == 0) *eof = true;
  if (n <= 0) return;
  pending.append(buf, static_cast<size_t>(n));
  const size_t whole = pending.size() / sizeof(Ack) * sizeof(Ack);
  for (size_t at = 0; at < whole; at += sizeof(Ack)) {
    Ack a;
    std::memcpy(&a, pending.data() + at, sizeof a);
    acks.push_back(a);
  }
  pending.erase(0, whole);
}

// Runs a child and kills it once it has acknowledged `kill_at` messages
// (plus a random 0-3 ms, so the kill lands anywhere in the next message's
// decode, decision or commit). kill_at < 0: let it finish.
std::vector<Ack> RunChild(const std::string& path, int producers, int64_t kill_at, std::mt19937_64& rng,
                          bool* killed) {
  std::vector<Ack> acks;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    ADD_FAILURE() << "pipe2 failed";
    return acks;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    ADD_FAILURE() << "fork failed";
    return acks;
  }
  if (pid == 0) {
    close(fds[0]);
    Child(path, producers, fds[1]);
  }
  close(fds[1]);
  std::string pending;
  bool eof = false;
  const auto give_up = Clock::now() + std::chrono::seconds(120);
  while (!eof && Clock::now() < give_up) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 100) > 0) ReadAcks(fds[0], pending, acks, &eof);
    if (kill_at >= 0 && static_cast<int64_t>(acks.size()) >= kill_at) {
      std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
      break;
    }
  }
  kill(pid, SIGKILL);
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  // Acks written before the kill are still in the pipe: they count.
  while (!eof) ReadAcks(fds[0], pending, acks, &eof);
  close(fds[0]);
  EXPECT_TRUE(pending.empty()) << "a torn ack record";
  *killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
  if (!*killed) EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  return acks;
}

// Every acknowledged message is stored, once, with the bytes that were sent.
void VerifyAcks(const std::string& path, const std::vector<Ack>& acks) {
  auto store = store::OpenSqlite(path);  // recovers the WAL
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const auto& files = Corpus().files;
  size_t checked = 0;
  for (const Ack& a : acks) {
    Result<std::optional<store::MessageRow>> row = (*store)->MessageBySeq(a.seq);
    ASSERT_TRUE(row.ok()) << row.status().ToString();
    ASSERT_TRUE(row->has_value()) << "acknowledged seq " << a.seq << " (" << files[a.file].name << ") was lost";
    EXPECT_EQ((*row)->raw, files[a.file].bytes) << "seq " << a.seq;
    Result<std::vector<store::MessageRow>> same = (*store)->MessagesByGuid((*row)->guid);
    ASSERT_TRUE(same.ok());
    size_t identical = 0;
    for (const auto& m : *same) identical += m.raw == files[a.file].bytes ? 1 : 0;
    EXPECT_EQ(identical, 1u) << files[a.file].name << " stored " << identical << " times";
    ++checked;
  }
  EXPECT_EQ(checked, acks.size());
}

// Everything the engine stored about the documents, comparable across runs.
struct Snapshot {
  std::map<std::string, std::string> documents;  // kind|key -> status, updated, state
  std::map<std::string, std::vector<std::string>> events;
  std::map<int64_t, std::vector<std::string>> receipts;
  int64_t messages = 0;
};

Snapshot Take(store::Store& store) {
  Snapshot s;
  std::vector<store::DocumentRow> docs;
  EXPECT_TRUE(store
                  .ForEachDocument([&](store::DocumentRow&& d) {
                    s.documents[d.kind + "|" + d.key] =
                        fmt::format("{} {} {}", d.status, d.updated_ms, d.state);
                    docs.push_back(std::move(d));
                    return Status::Ok();
                  })
                  .ok());
  for (const auto& d : docs) {
    for (const auto& e : *store.Events(d.kind, d.key)) {
      s.events[d.kind + "|" + d.key].push_back(
          fmt::format("{} {} {} {} {}", e.status, e.rule, e.info, e.message_seq, e.at_ms));
    }
  }
  EXPECT_TRUE(store
                  .ForEachMessage(1,
                                  [&](store::MessageRow&& m) {
                                    ++s.messages;
                                    for (const auto& r : *store.ReceiptsForMessage(m.seq)) {
                                      s.receipts[m.seq].push_back(r.name + "\n" + r.xml);
                                    }
                                    return Status::Ok();
                                  })
                  .ok());
  return s;
}

void ExpectSame(const Snapshot& got, const Snapshot& want) {
  EXPECT_EQ(got.messages, want.messages);
  EXPECT_EQ(got.documents.size(), want.documents.size());
  size_t differ = 0;
  for (const auto& [id, state] : want.documents) {
    auto it = got.documents.find(id);
    if (it == got.documents.end() || it->second != state) {
      if (++differ <= 5) {
        ADD_FAILURE() << id << ": uninterrupted " << state << "\n  crashed " << (it == got.documents.end() ? "(none)" : it->second);
      }
    }
  }
  EXPECT_EQ(differ, 0u) << "documents that differ from the uninterrupted run";
  EXPECT_TRUE(got.events == want.events) << "the status histories differ";
  EXPECT_TRUE(got.receipts == want.receipts) << "the stored receipts differ";
}

void IngestAll(const std::string& path, bool sequential) {
  auto store = store::OpenSqlite(path);
  ASSERT_TRUE(store.ok());
  auto engine = Engine::Open(**store, Options(sequential));
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  for (const auto& f : Corpus().files) ASSERT_TRUE((*engine)->Ingest(f.bytes, f.name).ok()) << f.name;
}

TEST(ClearanceCrashTest, SequentialKillsEndLikeAnUninterruptedRun) {
  const auto& files = Corpus().files;
  ASSERT_GT(files.size(), 2500u);
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const uint64_t seed = Seed();
  SCOPED_TRACE(fmt::format("DRYPORT_CLEARANCE_CRASH_SEED={}", seed));
  std::mt19937_64 rng(seed);

  const std::string reference = dir.File("uninterrupted.db");
  IngestAll(reference, /*sequential=*/true);

  const std::string crashed = dir.File("crashed.db");
  // Kill points: after n acknowledgements, n growing through the corpus,
  // so every round makes progress and re-sends what came before.
  std::vector<int64_t> kill_at;
  for (int r = 0; r < kRounds; ++r) {
    const int64_t lo = static_cast<int64_t>(files.size()) * r / (kRounds + 1) + 1;
    const int64_t hi = static_cast<int64_t>(files.size()) * (r + 1) / (kRounds + 1);
    kill_at.push_back(lo + static_cast<int64_t>(rng() % static_cast<uint64_t>(hi - lo + 1)));
  }
  int kills = 0;
  for (int r = 0; r < kRounds; ++r) {
    bool killed = false;
    const std::vector<Ack> acks = RunChild(crashed, 1, kill_at[static_cast<size_t>(r)], rng, &killed);
    kills += killed ? 1 : 0;
    VerifyAcks(crashed, acks);
    if (HasFatalFailure()) return;
  }
  EXPECT_GE(kills, kRounds - 1) << "the child finished before most kills";
  // The last restart runs to the end.
  bool killed = false;
  const std::vector<Ack> acks = RunChild(crashed, 1, -1, rng, &killed);
  EXPECT_FALSE(killed);
  VerifyAcks(crashed, acks);

  auto want = store::OpenSqlite(reference);
  auto got = store::OpenSqlite(crashed);
  ASSERT_TRUE(want.ok() && got.ok());
  ExpectSame(Take(**got), Take(**want));
}

TEST(ClearanceCrashTest, ConcurrentKillsLoseNothingAcknowledged) {
  const auto& files = Corpus().files;
  test::TempDir dir;
  ASSERT_TRUE(dir.ok());
  const uint64_t seed = Seed() ^ 0x9E3779B97F4A7C15ULL;
  SCOPED_TRACE(fmt::format("DRYPORT_CLEARANCE_CRASH_SEED={} (xor golden ratio)", seed ^ 0x9E3779B97F4A7C15ULL));
  std::mt19937_64 rng(seed);
  const std::string crashed = dir.File("crashed.db");
  constexpr int kProducers = 4;
  for (int r = 0; r < kRounds - 2; ++r) {
    const int64_t at = static_cast<int64_t>(files.size()) * (r + 1) / kRounds -
                       static_cast<int64_t>(rng() % (files.size() / (2 * kRounds)));
    bool killed = false;
    VerifyAcks(crashed, RunChild(crashed, kProducers, at, rng, &killed));
    if (HasFatalFailure()) return;
  }
  bool killed = false;
  VerifyAcks(crashed, RunChild(crashed, kProducers, -1, rng, &killed));
  EXPECT_FALSE(killed);

  // Every readable message of the corpus is stored exactly once.
  auto got = store::OpenSqlite(crashed);
  ASSERT_TRUE(got.ok());
  std::map<std::string, int> stored;
  std::vector<store::MessageRow> log;
  ASSERT_TRUE((*got)
                  ->ForEachMessage(1,
                                   [&](store::MessageRow&& m) {
                                     ++stored[m.raw];
                                     log.push_back(std::move(m));
                                     return Status::Ok();
                                   })
                  .ok());
  std::set<std::string> distinct;
  for (const auto& [raw, n] : stored) EXPECT_EQ(n, 1) << "a message stored " << n << " times";
  {
    // Which files are readable messages: a clean sequential run knows.
    test::TempDir ref_dir;
    auto ref = store::OpenSqlite(ref_dir.File("ref.db"));
    ASSERT_TRUE(ref.ok());
    auto engine = Engine::Open(**ref, Options(true));
    ASSERT_TRUE(engine.ok());
    for (const auto& f : files) {
      Result<Outcome> o = (*engine)->Ingest(f.bytes, f.name);
      ASSERT_TRUE(o.ok());
      if (o->message_seq > 0) distinct.insert(f.bytes);
    }
  }
  EXPECT_EQ(stored.size(), distinct.size());

  // The stored documents are what the stored log, replayed in order, makes.
  const std::string replayed = dir.File("replayed.db");
  {
    auto store = store::OpenSqlite(replayed);
    ASSERT_TRUE(store.ok());
    auto engine = Engine::Open(**store, Options(true));
    ASSERT_TRUE(engine.ok());
    for (const auto& m : log) {
      Result<Outcome> o = (*engine)->Ingest(m.raw, m.source);
      ASSERT_TRUE(o.ok());
      EXPECT_EQ(o->message_seq, m.seq);
      EXPECT_FALSE(o->duplicate);
    }
  }
  auto want = store::OpenSqlite(replayed);
  ASSERT_TRUE(want.ok());
  const Snapshot a = Take(**got), b = Take(**want);
  EXPECT_EQ(a.documents, b.documents);
  EXPECT_TRUE(a.events == b.events);
  EXPECT_TRUE(a.receipts == b.receipts);
}

}  // namespace
}  // namespace dryport::clearance
