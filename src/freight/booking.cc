#include "freight/booking.h"

#include <fmt/format.h>
#include <sqlite3.h>

#include <set>

namespace dryport::freight {
namespace {

Status ValidateRequest(const BookingRequest& r) {
  if (r.reference.empty()) return Status::InvalidArgument("a booking needs a reference");
  if (r.legs.empty()) return Status::InvalidArgument("a booking needs at least one departure");
  std::set<std::string_view> keys;
  for (const auto& leg : r.legs) {
    if (leg.amount <= 0) return Status::InvalidArgument(fmt::format("{}: amount must be positive", leg.departure_key));
    if (leg.capacity < 0) return Status::InvalidArgument(fmt::format("{}: negative capacity", leg.departure_key));
    if (!keys.insert(leg.departure_key).second) {
      return Status::InvalidArgument(fmt::format("{} appears twice in one booking", leg.departure_key));
    }
  }
  return Status::Ok();
}

std::string Amount(CapacityUnit unit, int64_t v) {
  if (v >= kUnlimited) return "unlimited";
  return unit == CapacityUnit::kContainer ? Decimal::FromUnits(v, 2).ToString(2) + " TEU" : fmt::format("{} kg", v);
}

Status FullError(const BookingLeg& leg, int64_t used) {
  return Status::FailedPrecondition(fmt::format("departure {} is full: {} left of {}, {} requested", leg.departure_key,
                                                Amount(leg.unit, std::max<int64_t>(0, leg.capacity - used)),
                                                Amount(leg.unit, leg.capacity), Amount(leg.unit, leg.amount)));
}

}  // namespace

// ---- In memory ------------------------------------------------------------

Result<int64_t> InMemoryBookingStore::Book(const BookingRequest& request) {
  DRYPORT_RETURN_IF_ERROR(ValidateRequest(request));
  std::lock_guard<std::mutex> lock(mu_);
  if (bookings_.count(request.reference)) {
    return Status::AlreadyExists(fmt::format("booking {} exists", request.reference));
  }
  for (const auto& leg : request.legs) {
    const int64_t used = used_[leg.departure_key];
    if (used + leg.amount > leg.capacity) return FullError(leg, used);
  }
  for (const auto& leg : request.legs) used_[leg.departure_key] += leg.amount;
  BookingRecord rec{next_id_++, request.reference, false, request.legs, request.note};
  bookings_.emplace(request.reference, rec);
  return rec.id;
}

Status InMemoryBookingStore::Cancel(std::string_view reference) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = bookings_.find(std::string(reference));
  if (it == bookings_.end()) return Status::NotFound(fmt::format("no booking {}", reference));
  if (it->second.cancelled) return Status::FailedPrecondition(fmt::format("booking {} is already cancelled", reference));
  for (const auto& leg : it->second.legs) used_[leg.departure_key] -= leg.amount;
  it->second.cancelled = true;
  return Status::Ok();
}

Result<BookingRecord> InMemoryBookingStore::Get(std::string_view reference) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = bookings_.find(std::string(reference));
  if (it == bookings_.end()) return Status::NotFound(fmt::format("no booking {}", reference));
  return it->second;
}

Result<int64_t> InMemoryBookingStore::Used(std::string_view departure_key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = used_.find(std::string(departure_key));
  return it == used_.end() ? 0 : it->second;
}

Result<std::unordered_map<std::string, int64_t>> InMemoryBookingStore::UsedAll() {
  std::lock_guard<std::mutex> lock(mu_);
  std::unordered_map<std::string, int64_t> out;
  for (const auto& [k, v] : used_) {
    if (v != 0) out.emplace(k, v);
  }
  return out;
}

// ---- SQLite ---------------------------------------------------------------

struct SqliteBookingStore::Impl {
  sqlite3* db = nullptr;
  std::string path;

  ~Impl() {
    if (db) sqlite3_close_v2(db);
  }

  Status Error(std::string_view what) const {
    return Status::IOError(fmt::format("{}: {}: {}", path, what, sqlite3_errmsg(db)));
  }

  Status Exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IOError(fmt::format("{}: {}", path, msg));
    }
    return Status::Ok();
  }
};

// A prepared statement that finalises itself.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  Stmt& Bind(int i, int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Stmt& Bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  int Step() { return sqlite3_step(stmt_); }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }
  std::string Text(int col) {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p)) : std::string();
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

namespace {

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite3* db) : db_(db) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction() {
    if (open_) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }
  int Begin() {
    const int rc = sqlite3_exec(db_, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    open_ = rc == SQLITE_OK;
    return rc;
  }
  int Commit() {
    const int rc = sqlite3_exec(db_, "COMMIT", nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) open_ = false;
    return rc;
  }

 private:
  sqlite3* db_;
  bool open_ = false;
};

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS departure_use (
  key  TEXT PRIMARY KEY,
  used INTEGER NOT NULL CHECK (used >= 0)
) STRICT;
CREATE TABLE IF NOT EXISTS booking (
  id        INTEGER PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  cancelled INTEGER NOT NULL DEFAULT 0,
  note      TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE IF NOT EXISTS booking_leg (
  booking_id INTEGER NOT NULL REFERENCES booking(id),
  key        TEXT NOT NULL,
  unit       TEXT NOT NULL CHECK (unit IN ('cTEU', 'kg')),
  amount     INTEGER NOT NULL CHECK (amount > 0),
  capacity   INTEGER NOT NULL,
  PRIMARY KEY (booking_id, key)
) STRICT;
)sql";

}  // namespace

SqliteBookingStore::SqliteBookingStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SqliteBookingStore::~SqliteBookingStore() = default;

Result<std::unique_ptr<SqliteBookingStore>> SqliteBookingStore::Open(const std::string& path) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  if (sqlite3_open_v2(path.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                      nullptr) != SQLITE_OK) {
    return Status::IOError(fmt::format("cannot open booking store {}: {}", path,
                                       impl->db ? sqlite3_errmsg(impl->db) : "out of memory"));
  }
  // Writers wait for each other instead of failing; 30 s is far above any
  // transaction here.
  sqlite3_busy_timeout(impl->db, 30000);
  for (const char* pragma : {"PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA foreign_keys=ON"}) {
    DRYPORT_RETURN_IF_ERROR(impl->Exec(pragma));
  }
  {
    Transaction tx(impl->db);
    if (tx.Begin() != SQLITE_OK) return impl->Error("begin");
    DRYPORT_RETURN_IF_ERROR(impl->Exec(kSchema));
    if (tx.Commit() != SQLITE_OK) return impl->Error("create schema");
  }
  return std::unique_ptr<SqliteBookingStore>(new SqliteBookingStore(std::move(impl)));
}

Result<int64_t> SqliteBookingStore::Book(const BookingRequest& request) {
  DRYPORT_RETURN_IF_ERROR(ValidateRequest(request));
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3* db = impl_->db;
  Transaction tx(db);
  // BEGIN IMMEDIATE takes the write lock up front, so the capacity read and
  // the update below see no concurrent writer.
  if (tx.Begin() != SQLITE_OK) return impl_->Error("begin");
  int64_t id = 0;
  {
    Stmt ins(db, "INSERT INTO booking (reference, note) VALUES (?1, ?2) RETURNING id");
    if (!ins.ok()) return impl_->Error("prepare");
    ins.Bind(1, request.reference).Bind(2, request.note);
    const int rc = ins.Step();
    if (rc == SQLITE_CONSTRAINT) return Status::AlreadyExists(fmt::format("booking {} exists", request.reference));
    if (rc != SQLITE_ROW) return impl_->Error("insert booking");
    id = ins.Int(0);
  }
  for (const auto& leg : request.legs) {
    Stmt seed(db, "INSERT INTO departure_use (key, used) VALUES (?1, 0) ON CONFLICT (key) DO NOTHING");
    Stmt take(db, "UPDATE departure_use SET used = used + ?2 WHERE key = ?1 AND used + ?2 <= ?3");
    Stmt record(db, "INSERT INTO booking_leg (booking_id, key, unit, amount, capacity) VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!seed.ok() || !take.ok() || !record.ok()) return impl_->Error("prepare");
    if (seed.Bind(1, leg.departure_key).Step() != SQLITE_DONE) return impl_->Error("seed departure");
    if (take.Bind(1, leg.departure_key).Bind(2, leg.amount).Bind(3, leg.capacity).Step() != SQLITE_DONE) {
      return impl_->Error("take capacity");
    }
    if (sqlite3_changes(db) == 0) {
      Stmt used(db, "SELECT used FROM departure_use WHERE key = ?1");
      used.Bind(1, leg.departure_key);
      const int64_t u = used.Step() == SQLITE_ROW ? used.Int(0) : 0;
      return FullError(leg, u);
    }
    record.Bind(1, id)
        .Bind(2, leg.departure_key)
        .Bind(3, leg.unit == CapacityUnit::kContainer ? "cTEU" : "kg")
        .Bind(4, leg.amount)
        .Bind(5, leg.capacity);
    if (record.Step() != SQLITE_DONE) return impl_->Error("record leg");
  }
  if (tx.Commit() != SQLITE_OK) return impl_->Error("commit");
  return id;
}

Status SqliteBookingStore::Cancel(std::string_view reference) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3* db = impl_->db;
  Transaction tx(db);
  if (tx.Begin() != SQLITE_OK) return impl_->Error("begin");
  int64_t id = 0;
  {
    Stmt find(db, "SELECT id, cancelled FROM booking WHERE reference = ?1");
    find.Bind(1, reference);
    if (find.Step() != SQLITE_ROW) return Status::NotFound(fmt::format("no booking {}", reference));
    if (find.Int(1) != 0) return Status::FailedPrecondition(fmt::format("booking {} is already cancelled", reference));
    id = find.Int(0);
  }
  {
    Stmt give(db,
              "UPDATE departure_use SET used = used - (SELECT amount FROM booking_leg WHERE booking_id = ?1 AND "
              "booking_leg.key = departure_use.key) WHERE key IN (SELECT key FROM booking_leg WHERE booking_id = ?1)");
    if (!give.ok() || give.Bind(1, id).Step() != SQLITE_DONE) return impl_->Error("give back capacity");
    Stmt mark(db, "UPDATE booking SET cancelled = 1 WHERE id = ?1");
    if (!mark.ok() || mark.Bind(1, id).Step() != SQLITE_DONE) return impl_->Error("cancel");
  }
  if (tx.Commit() != SQLITE_OK) return impl_->Error("commit");
  return Status::Ok();
}

Result<BookingRecord> SqliteBookingStore::Get(std::string_view reference) {
  std::lock_guard<std::mutex> lock(mu_);
  sqlite3* db = impl_->db;
  BookingRecord rec;
  Stmt find(db, "SELECT id, reference, cancelled, note FROM booking WHERE reference = ?1");
  find.Bind(1, reference);
  if (find.Step() != SQLITE_ROW) return Status::NotFound(fmt::format("no booking {}", reference));
  rec.id = find.Int(0);
  rec.reference = find.Text(1);
  rec.cancelled = find.Int(2) != 0;
  rec.note = find.Text(3);
  Stmt legs(db, "SELECT key, unit, amount, capacity FROM booking_leg WHERE booking_id = ?1 ORDER BY rowid");
  legs.Bind(1, rec.id);
  int rc;
  while ((rc = legs.Step()) == SQLITE_ROW) {
    rec.legs.push_back({legs.Text(0), legs.Text(1) == "kg" ? CapacityUnit::kWeight : CapacityUnit::kContainer,
                        legs.Int(2), legs.Int(3)});
  }
  if (rc != SQLITE_DONE) return impl_->Error("read legs");
  return rec;
}

Result<int64_t> SqliteBookingStore::Used(std::string_view departure_key) {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt q(impl_->db, "SELECT used FROM departure_use WHERE key = ?1");
  q.Bind(1, departure_key);
  const int rc = q.Step();
  if (rc == SQLITE_ROW) return q.Int(0);
  if (rc == SQLITE_DONE) return int64_t{0};
  return impl_->Error("read use");
}

Result<std::unordered_map<std::string, int64_t>> SqliteBookingStore::UsedAll() {
  std::lock_guard<std::mutex> lock(mu_);
  Stmt q(impl_->db, "SELECT key, used FROM departure_use WHERE used <> 0");
  std::unordered_map<std::string, int64_t> out;
  int rc;
  while ((rc = q.Step()) == SQLITE_ROW) out.emplace(q.Text(0), q.Int(1));
  if (rc != SQLITE_DONE) return impl_->Error("read use");
  return out;
}

Result<std::vector<int64_t>> RemainingCapacity(const Timetable& tt, BookingStore& store) {
  auto used = store.UsedAll();
  if (!used.ok()) return used.status();
  std::vector<int64_t> remaining = tt.FullCapacity();
  if (used->empty()) return remaining;
  for (uint32_t i = 0; i < tt.size(); ++i) {
    if (auto it = used->find(tt.Key(DepartureIdx(i))); it != used->end()) {
      remaining[i] = std::max<int64_t>(0, remaining[i] - it->second);
    }
  }
  return remaining;
}

BookingRequest MakeBookingRequest(const Timetable& tt, const Itinerary& it, std::string reference) {
  BookingRequest r;
  r.reference = std::move(reference);
  const Network& net = tt.network();
  for (const Leg& leg : it.legs) {
    if (!leg.departure) continue;
    const Service& s = net.service(leg.service);
    r.legs.push_back({tt.Key(*leg.departure), s.capacity_unit, leg.quantity, tt.capacities()[leg.departure->value()]});
    r.note += (r.note.empty() ? "" : " ") + tt.Key(*leg.departure);
  }
  return r;
}

}  // namespace dryport::freight
