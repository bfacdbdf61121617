// GroupCommitWriter: concurrent producers, grouping, failures confined to
// the offending batch, Flush, draining on destruction.
#include <chrono>
#include <set>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "store/store.h"
#include "tests/store/test_util.h"

namespace dryport::store {
namespace {

using test::TempDir;

std::unique_ptr<Store> MustOpen(const std::string& path) {
  auto s = OpenSqlite(path);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(s).value() : nullptr;
}

Batch Small(int64_t seq) {
  Batch b;
  b.messages.push_back({seq, fmt::format("G{}", seq), "CEB311Message", "", "t", seq, 0,
                        fmt::format("<m>{}</m>", seq)});
  b.keys.push_back({seq, "orderNo", fmt::format("O{}", seq)});
  b.events.push_back({0, "order", fmt::format("O{}", seq), 1, "accept", "", seq, seq});
  return b;
}

TEST(GroupCommit, EightThreadsTwoThousandEachAllStoredOnce) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  constexpr int kThreads = 8;
  constexpr int kPerThread = 2000;
  GroupCommitWriter writer(*store);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Submit everything, then wait: a producer that does not block on
      // each receipt (the engine's way) is what lets groups form.
      std::vector<std::future<Status>> futures;
      futures.reserve(kPerThread);
      for (int i = 0; i < kPerThread; ++i) {
        futures.push_back(writer.Submit(Small(t * kPerThread + i + 1)));
      }
      for (auto& f : futures) {
        Status s = f.get();
        EXPECT_TRUE(s.ok()) << s.ToString();
        if (s.ok()) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(ok.load(), kThreads * kPerThread);
  ASSERT_TRUE(writer.Flush().ok());

  const auto stats = writer.stats();
  EXPECT_EQ(stats.batches, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_EQ(stats.messages, static_cast<uint64_t>(kThreads * kPerThread));
  EXPECT_LT(stats.groups * 20, stats.batches) << "groups: " << stats.groups;  // grouping happened
  std::cout << "[          ] " << stats.batches << " batches in " << stats.groups << " groups\n";

  // Every seq exactly once, with its key and its single event.
  int64_t expect = 1;
  Status scan = store->ForEachMessage(0, [&](MessageRow&& m) {
    EXPECT_EQ(m.seq, expect);
    EXPECT_EQ(m.raw, fmt::format("<m>{}</m>", m.seq));
    ++expect;
    return Status::Ok();
  });
  ASSERT_TRUE(scan.ok()) << scan.ToString();
  EXPECT_EQ(expect, kThreads * kPerThread + 1);
  for (int64_t seq : {1, 777, 2000, 2001, 9999, 16000}) {
    EXPECT_THAT(*store->MessagesByKey("orderNo", fmt::format("O{}", seq)),
                ::testing::ElementsAre(seq));
    EXPECT_EQ(store->Events("order", fmt::format("O{}", seq))->size(), 1u);
  }
}

TEST(GroupCommit, ABadBatchFailsAloneInsideItsGroup) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->Apply(Small(1000)).ok());
  // A long max_delay so the 200 submissions share a few groups.
  GroupCommitWriter writer(
      *store, {.max_group_messages = 4096, .max_delay = std::chrono::milliseconds(200)});
  std::vector<std::future<Status>> futures;
  for (int64_t seq = 1; seq <= 200; ++seq) {
    futures.push_back(writer.Submit(Small(seq == 77 ? 1000 : seq)));
  }
  for (int64_t seq = 1; seq <= 200; ++seq) {
    Status s = futures[static_cast<size_t>(seq - 1)].get();
    if (seq == 77) {
      EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
    } else {
      EXPECT_TRUE(s.ok()) << seq << ": " << s.ToString();
      EXPECT_TRUE(store->MessageBySeq(seq)->has_value()) << seq;
      EXPECT_EQ(store->Events("order", fmt::format("O{}", seq))->size(), 1u)
          << seq;  // applied once, not twice
    }
  }
  EXPECT_FALSE(store->MessageBySeq(77)->has_value());
  EXPECT_EQ(store->Events("order", "O1000")->size(), 1u);  // the duplicate's event was rolled back
  EXPECT_LT(writer.stats().groups, 20u) << "the bad batch did not share a group";
}

TEST(GroupCommit, FlushReportsFailuresSinceTheLastFlush) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  GroupCommitWriter writer(*store,
                           {.max_group_messages = 4096, .max_delay = std::chrono::seconds(5)});
  auto a = writer.Submit(Small(1));
  auto dup = writer.Submit(Small(1));
  auto b = writer.Submit(Small(2));
  const auto start = std::chrono::steady_clock::now();
  Status s = writer.Flush();
  // Flush cuts the 5 s wait for company short.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_TRUE(a.get().ok());
  EXPECT_EQ(dup.get().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(b.get().ok());
  auto c = writer.Submit(Small(3));
  EXPECT_TRUE(writer.Flush().ok());  // the earlier failure was reported already
  EXPECT_TRUE(c.get().ok());
  EXPECT_TRUE(writer.Flush().ok());  // nothing pending
}

TEST(GroupCommit, DestructorDrainsTheQueue) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  std::vector<std::future<Status>> futures;
  {
    GroupCommitWriter writer(
        *store, {.max_group_messages = 64, .max_delay = std::chrono::milliseconds(50)});
    for (int64_t seq = 1; seq <= 1000; ++seq) futures.push_back(writer.Submit(Small(seq)));
  }
  for (auto& f : futures) {
    ASSERT_EQ(f.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_TRUE(f.get().ok());
  }
  EXPECT_EQ(*store->MaxMessageSeq(), 1000);
}

TEST(GroupCommit, GroupsRespectMaxGroupMessages) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  GroupCommitWriter writer(*store,
                           {.max_group_messages = 50, .max_delay = std::chrono::milliseconds(100)});
  std::vector<std::future<Status>> futures;
  for (int64_t i = 0; i < 100; ++i) {
    Batch ten;
    for (int64_t k = 1; k <= 10; ++k) ten.Append(Small(i * 10 + k));
    futures.push_back(writer.Submit(std::move(ten)));
  }
  for (auto& f : futures) EXPECT_TRUE(f.get().ok());
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_GE(writer.stats().groups, 20u);  // 1,000 messages, at most 50 per group
  EXPECT_EQ(writer.stats().messages, 1000u);
  EXPECT_EQ(*store->MaxMessageSeq(), 1000);
}

TEST(GroupCommit, NoDelayStillWorksForOneProducer) {
  TempDir dir;
  auto store = MustOpen(dir.File("s.db"));
  ASSERT_TRUE(store);
  GroupCommitWriter writer(*store,
                           {.max_group_messages = 4096, .max_delay = std::chrono::microseconds(0)});
  for (int64_t seq = 1; seq <= 50; ++seq) {
    ASSERT_TRUE(writer.Submit(Small(seq)).get().ok());
    // Acknowledged means readable by anyone from now on.
    EXPECT_TRUE(store->MessageBySeq(seq)->has_value());
  }
  ASSERT_TRUE(writer.Flush().ok());       // stats count a group once its futures are completed
  EXPECT_EQ(writer.stats().groups, 50u);  // a blocking producer gets no company
}

}  // namespace
}  // namespace dryport::store
