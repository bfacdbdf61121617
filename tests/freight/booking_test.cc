// Booking stores: all-or-nothing capacity, cancellation, durability, and no
// over-booking under concurrent writers (threads and processes).
#include "freight/booking.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "test_util.h"

namespace dryport::freight {
namespace {

std::string TempDb(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("dryport-freight-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path.string();
}

BookingRequest Req(std::string ref, std::vector<BookingLeg> legs) { return {std::move(ref), std::move(legs), ""}; }

void ExerciseSemantics(BookingStore& store) {
  // Train T: 3 TEU (300 cTEU); ship S: 2 TEU.
  const BookingLeg t{"T@2025-10-28T04:51Z", CapacityUnit::kContainer, 100, 300};
  const BookingLeg s{"S@2025-11-01T12:00Z", CapacityUnit::kContainer, 100, 200};
  ASSERT_TRUE(store.Book(Req("b1", {t, s})).ok());
  ASSERT_TRUE(store.Book(Req("b2", {t, s})).ok());
  EXPECT_EQ(*store.Used(t.departure_key), 200);
  EXPECT_EQ(*store.Used(s.departure_key), 200);
  // The ship is full: b3 takes nothing, not even its train leg.
  auto full = store.Book(Req("b3", {t, s}));
  ASSERT_FALSE(full.ok());
  EXPECT_EQ(full.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(full.status().message().find("S@2025-11-01T12:00Z is full: 0.00 TEU left of 2.00 TEU"),
            std::string::npos)
      << full.status().message();
  EXPECT_EQ(*store.Used(t.departure_key), 200);
  // The train alone still has 1 TEU.
  EXPECT_TRUE(store.Book(Req("b4", {t})).ok());
  EXPECT_FALSE(store.Book(Req("b5", {t})).ok());
  // Duplicate reference, bad requests.
  EXPECT_EQ(store.Book(Req("b1", {s})).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(store.Book(Req("b6", {})).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Book(Req("b6", {t, t})).status().code(), StatusCode::kInvalidArgument);
  BookingLeg zero = t;
  zero.amount = 0;
  EXPECT_EQ(store.Book(Req("b6", {zero})).status().code(), StatusCode::kInvalidArgument);
  // Cancel gives capacity back, once.
  ASSERT_TRUE(store.Cancel("b1").ok());
  EXPECT_EQ(*store.Used(t.departure_key), 200);
  EXPECT_EQ(*store.Used(s.departure_key), 100);
  EXPECT_EQ(store.Cancel("b1").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.Cancel("nope").code(), StatusCode::kNotFound);
  EXPECT_TRUE(store.Book(Req("b7", {s})).ok());
  auto rec = store.Get("b1");
  ASSERT_TRUE(rec.ok());
  EXPECT_TRUE(rec->cancelled);
  ASSERT_EQ(rec->legs.size(), 2u);
  EXPECT_EQ(rec->legs[1].departure_key, s.departure_key);
  auto all = store.UsedAll();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(s.departure_key), 200);
}

TEST(BookingTest, InMemorySemantics) {
  InMemoryBookingStore store;
  ExerciseSemantics(store);
}

TEST(BookingTest, SqliteSemanticsAndDurability) {
  const std::string path = TempDb("semantics.db");
  {
    auto store = SqliteBookingStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ExerciseSemantics(**store);
  }
  // Reopened: everything is still there.
  auto store = SqliteBookingStore::Open(path);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->Used("T@2025-10-28T04:51Z"), 200);  // b2 + b4
  EXPECT_EQ(*(*store)->Used("S@2025-11-01T12:00Z"), 200);
  EXPECT_TRUE((*store)->Get("b1")->cancelled);
  EXPECT_FALSE((*store)->Get("b2")->cancelled);
}

TEST(BookingTest, SqliteOpenFailsClearly) {
  auto store = SqliteBookingStore::Open("/nonexistent-dir/x/y.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("cannot open booking store"), std::string::npos);
}

// Many threads, each with its own connection, race for 10 TEU; bookings of
// 1 TEU on a pair of departures. Exactly 10 win and the use is exactly full.
TEST(BookingTest, ConcurrentThreadsCannotOverbook) {
  const std::string path = TempDb("threads.db");
  { ASSERT_TRUE(SqliteBookingStore::Open(path).ok()); }
  constexpr int kThreads = 6, kTries = 8;
  std::atomic<int> won{0}, refused{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto store = SqliteBookingStore::Open(path);
      if (!store.ok()) {
        ++failed;
        return;
      }
      for (int i = 0; i < kTries; ++i) {
        auto r = (*store)->Book(Req(fmt::format("t{}-{}", t, i),
                                    {{"A@x", CapacityUnit::kContainer, 100, 1000},
                                     {"B@x", CapacityUnit::kContainer, 100, 1200}}));
        if (r.ok()) {
          ++won;
        } else if (r.status().code() == StatusCode::kFailedPrecondition) {
          ++refused;
        } else {
          ++failed;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(won.load(), 10);
  EXPECT_EQ(refused.load(), kThreads * kTries - 10);
  auto store = SqliteBookingStore::Open(path);
  EXPECT_EQ(*(*store)->Used("A@x"), 1000);
  EXPECT_EQ(*(*store)->Used("B@x"), 1000);
}

// The same with separate processes on one file, interleaving book and
// cancel: the capacity is never exceeded and ends exactly accounted for.
TEST(BookingTest, ConcurrentProcessesCannotOverbook) {
  const std::string path = TempDb("processes.db");
  { ASSERT_TRUE(SqliteBookingStore::Open(path).ok()); }
  constexpr int kProcesses = 4, kTries = 10;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: book kTries times, cancel every third success; exit code =
      // net bookings held (or 100 + error).
      auto store = SqliteBookingStore::Open(path);
      if (!store.ok()) ::_exit(100);
      int held = 0;
      for (int i = 0; i < kTries; ++i) {
        const std::string ref = "p" + std::to_string(p) + "-" + std::to_string(i);
        auto r = (*store)->Book(Req(ref, {{"C@x", CapacityUnit::kContainer, 100, 1500}}));
        if (r.ok()) {
          ++held;
          if (i % 3 == 0) {
            if (!(*store)->Cancel(ref).ok()) ::_exit(101);
            --held;
          }
        } else if (r.status().code() != StatusCode::kFailedPrecondition) {
          ::_exit(102);
        }
      }
      ::_exit(held);
    }
    children.push_back(pid);
  }
  int held = 0;
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_LT(WEXITSTATUS(status), 100) << "child error " << WEXITSTATUS(status);
    held += WEXITSTATUS(status);
  }
  auto store = SqliteBookingStore::Open(path);
  const int64_t used = *(*store)->Used("C@x");
  EXPECT_LE(used, 1500);
  EXPECT_EQ(used, held * 100);
  // 40 attempts for 15 slots with cancellations: the departure ends full.
  EXPECT_EQ(used, 1500);
}

// Booking an itinerary from the router and routing again sees the room
// taken: the "is there still room on Tuesday's train?".
TEST(BookingTest, RouteBookRouteSeesCapacity) {
  const Network& net = BuiltinNetwork();
  // Ready Monday 00:30: + 12 h export clearance = 12:30, just before the
  // 1 d cut-off of Tuesday 12:51.
  const UtcMinutes ready = *ParseIsoTime("2025-10-27T00:30", 8 * 60);
  auto tt = Timetable::Build(net, {.start = ready, .weeks = 4});
  ASSERT_TRUE(tt.ok());
  InMemoryBookingStore store;
  const auto key = "R5@2025-10-28T04:51Z";
  const auto d = tt->FindKey(key);
  ASSERT_TRUE(d.has_value());
  // Fill Tuesday's Minsk train but 1 TEU.
  ASSERT_TRUE(store.Book(Req("big", {{key, CapacityUnit::kContainer, 49 * 200 + 100, 50 * 200}})).ok());
  auto remaining = RemainingCapacity(*tt, store);
  ASSERT_TRUE(remaining.ok());
  EXPECT_EQ((*remaining)[d->value()], 100);
  Router router(net, *tt);
  RouteQuery q;
  q.origins = *net.ResolvePlace("CN-TYZD");
  q.destinations = *net.ResolvePlace("Minsk");
  q.ready = ready;
  q.load = *MakeLoad({.teu = 1});
  auto its = router.Route(q, *remaining);
  ASSERT_TRUE(its.ok());
  ASSERT_FALSE(its->empty());
  ASSERT_EQ(its->front().legs.size(), 1u);
  EXPECT_EQ(tt->Key(*its->front().legs[0].departure), key);
  EXPECT_EQ(its->front().legs[0].remaining, 100);
  ASSERT_TRUE(store.Book(MakeBookingRequest(*tt, its->front(), "mine")).ok());
  remaining = RemainingCapacity(*tt, store);
  its = router.Route(q, *remaining);
  ASSERT_TRUE(its.ok());
  ASSERT_FALSE(its->empty());
  // Now the first train is the next Tuesday's.
  EXPECT_EQ(tt->Key(*its->front().legs[0].departure), "R5@2025-11-04T04:51Z");
  ASSERT_TRUE(store.Cancel("mine").ok());
  remaining = RemainingCapacity(*tt, store);
  its = router.Route(q, *remaining);
  EXPECT_EQ(tt->Key(*its->front().legs[0].departure), key);
}

}  // namespace
}  // namespace dryport::freight
