// Booking shipments onto departures: capacity taken atomically and durably,
// given back on cancellation, never over-booked, also under concurrency.
//
// A booking holds an amount on each of its departures (named by timetable
// key, e.g. "R5@2025-10-28T04:51Z", in the service's capacity unit). Book
// takes all legs or none: if any departure lacks room it fails with
// FailedPrecondition naming that departure. The capacity of record is the
// network's, passed with each leg; the store keeps what is used.
//
// Implementations:
//  - SqliteBookingStore: a file in WAL mode, synchronous=FULL; each Book or
//    Cancel is one BEGIN IMMEDIATE transaction with the capacity check
//    inside it (UPDATE ... WHERE used + amount <= capacity), so concurrent
//    writers (threads or processes, each with its own connection) serialise
//    on SQLite's write lock and cannot over-book.
//  - InMemoryBookingStore: the same semantics under a mutex (tests,
//    what-if planning).
//
// Thread-safety: both are safe to share between threads (a mutex guards the
// connection). For parallel writers, open one SqliteBookingStore per thread
// or process on the same file.
#ifndef DRYPORT_FREIGHT_BOOKING_H_
#define DRYPORT_FREIGHT_BOOKING_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "freight/router.h"
#include "freight/timetable.h"

namespace dryport::freight {

struct BookingLeg {
  std::string departure_key;
  CapacityUnit unit = CapacityUnit::kContainer;
  int64_t amount = 0;    // > 0, in `unit` (cTEU or kg)
  int64_t capacity = 0;  // the departure's capacity (network figure)
};

struct BookingRequest {
  std::string reference;  // the client's unique booking reference
  std::vector<BookingLeg> legs;
  std::string note;  // free text kept with the booking (e.g. the itinerary)
};

struct BookingRecord {
  int64_t id = 0;
  std::string reference;
  bool cancelled = false;
  std::vector<BookingLeg> legs;
  std::string note;
};

class BookingStore {
 public:
  virtual ~BookingStore() = default;
  // Returns the booking's id. AlreadyExists if the reference was used;
  // FailedPrecondition if a departure lacks room; InvalidArgument for a bad
  // request (no legs, an amount <= 0, a departure twice).
  virtual Result<int64_t> Book(const BookingRequest& request) = 0;
  // Gives the capacity back. NotFound for an unknown reference;
  // FailedPrecondition if it was already cancelled.
  virtual Status Cancel(std::string_view reference) = 0;
  virtual Result<BookingRecord> Get(std::string_view reference) = 0;
  // Capacity used on a departure (0 if never booked).
  virtual Result<int64_t> Used(std::string_view departure_key) = 0;
  // Every departure with capacity in use.
  virtual Result<std::unordered_map<std::string, int64_t>> UsedAll() = 0;
};

class InMemoryBookingStore final : public BookingStore {
 public:
  Result<int64_t> Book(const BookingRequest& request) override;
  Status Cancel(std::string_view reference) override;
  Result<BookingRecord> Get(std::string_view reference) override;
  Result<int64_t> Used(std::string_view departure_key) override;
  Result<std::unordered_map<std::string, int64_t>> UsedAll() override;

 private:
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> used_;
  std::unordered_map<std::string, BookingRecord> bookings_;
  int64_t next_id_ = 1;
};

class SqliteBookingStore final : public BookingStore {
 public:
  // Opens (creating if needed) the store at `path`.
  static Result<std::unique_ptr<SqliteBookingStore>> Open(const std::string& path);
  ~SqliteBookingStore() override;
  SqliteBookingStore(const SqliteBookingStore&) = delete;
  SqliteBookingStore& operator=(const SqliteBookingStore&) = delete;

  Result<int64_t> Book(const BookingRequest& request) override;
  Status Cancel(std::string_view reference) override;
  Result<BookingRecord> Get(std::string_view reference) override;
  Result<int64_t> Used(std::string_view departure_key) override;
  Result<std::unordered_map<std::string, int64_t>> UsedAll() override;

 private:
  struct Impl;
  explicit SqliteBookingStore(std::unique_ptr<Impl> impl);
  std::mutex mu_;
  std::unique_ptr<Impl> impl_;
};

// Remaining capacity of every departure of `tt`: capacity minus what the
// store has booked on it.
Result<std::vector<int64_t>> RemainingCapacity(const Timetable& tt, BookingStore& store);

// The request that books `it` (its scheduled legs; on-demand legs have no
// shared capacity) under `reference`.
BookingRequest MakeBookingRequest(const Timetable& tt, const Itinerary& it, std::string reference);

}  // namespace dryport::freight

#endif  // DRYPORT_FREIGHT_BOOKING_H_
