// dryport ingest / status / officer: the clearance engine (src/clearance) on
// the command line.
//
//  - ingest: feeds message files to the engine in file-name order, writes
//    every receipt to an outbox (atomically, after the engine has made the
//    message durable), and prints what was released, rejected and left
//    pending. --watch keeps taking files dropped into a directory, like an
//    enterprise's file-drop gateway.
//  - status: one document's whole timeline, from the store alone.
//  - officer: what waits for a decision (300 manual review, 500 inspection),
//    and the decisions themselves.
//
// A database remembers the clock mode and the risk rules it was built with
// (counters "dryport.config"): the engine rebuilds its state by replaying
// the stored messages, and a replay under other rules would not reach the
// state the receipts were sent from. Later calls adopt what is recorded;
// asking for something else is refused.
//
// One process writes a database at a time (FILE.lock): a second writer would
// assign the same message seqs and keep a state that misses the other's
// messages.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "clearance/engine.h"
#include "clearance/summary.h"
#include "cli/commands.h"
#include "cli/files.h"
#include "core/embedded_file.h"
#include "core/time.h"
#include "store/store.h"

namespace dryport::clearance {
// Generated from data/clearance/* (src/clearance/CMakeLists.txt).
std::span<const EmbeddedFile> BuiltinRuleFiles();
}  // namespace dryport::clearance

namespace dryport::cli {
namespace {

namespace fs = std::filesystem;
using clearance::ClockMode;
using clearance::Engine;
using clearance::EngineOptions;
using clearance::Outcome;
using clearance::Receipt;
using Json = nlohmann::ordered_json;

// A CEB message is refused above this size by the reader (ReadOptions); a
// larger file is not even read into memory.
constexpr uintmax_t kMaxMessageBytes = 64u << 20;

// ------------------------------------------------------------ small helpers

std::string FormatMs(int64_t ms) {
  if (ms == 0) return "-";
  std::string s = Timestamp::FromMillis(ms).Format(TimeFormat::kIso8601);
  std::replace(s.begin(), s.end(), 'T', ' ');
  return s;
}

std::string Unescape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    static constexpr std::pair<std::string_view, char> kEntities[] = {
        {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&apos;", '\''}};
    bool done = false;
    for (const auto& [entity, c] : kEntities) {
      if (s.substr(i, entity.size()) == entity) {
        out += c;
        i += entity.size() - 1;
        done = true;
        break;
      }
    }
    if (!done) out += '&';
  }
  return out;
}

// The text of the first element called `name` (any prefix) in a receipt the
// engine wrote (canonical XML: no CDATA, no attributes on these elements).
std::string XmlField(std::string_view xml, std::string_view name) {
  for (size_t at = xml.find(name); at != std::string_view::npos; at = xml.find(name, at + 1)) {
    if (at == 0 || (xml[at - 1] != ':' && xml[at - 1] != '<')) continue;
    if (at + name.size() >= xml.size() || xml[at + name.size()] != '>') continue;
    const size_t begin = at + name.size() + 1;
    const size_t end = xml.find('<', begin);
    if (end == std::string_view::npos) return {};
    return Unescape(xml.substr(begin, end - begin));
  }
  return {};
}

// What a receipt says, for summaries and timelines.
struct ReceiptView {
  std::string type;    // CEB622Message
  std::string status;  // returnStatus, "" when the receipt has none (816, 818)
  std::string info;
  // The rejection reason: the customs code of "[Code:1313;...]" (status
  // 100), or the negative E-Port status; "" when this is no rejection.
  std::string reason;
  std::string reason_text;
};

ReceiptView ViewReceipt(std::string_view type, std::string_view xml) {
  ReceiptView v;
  v.type = std::string(type);
  v.status = XmlField(xml, "returnStatus");
  v.info = XmlField(xml, "returnInfo");
  if (v.status == "100") {
    v.reason = "100";
    v.reason_text = v.info;
    if (v.info.starts_with("[Code:")) {
      const size_t semi = v.info.find(';');
      if (semi != std::string::npos) v.reason = v.info.substr(6, semi - 6);
      const size_t desc = v.info.find("Desc:");
      if (desc != std::string::npos) {
        v.reason_text = v.info.substr(desc + 5);
        // Up to the detail the engine appends after a full-width comma, or the bracket.
        for (std::string_view stop : {"，", "]"}) {
          const size_t at = v.reason_text.find(stop);
          if (at != std::string::npos) v.reason_text.resize(at);
        }
      }
    }
  } else if (!v.status.empty() && v.status[0] == '-') {
    v.reason = v.type == "CEB900Message" ? "CEB900" : v.status;
    v.reason_text = v.info.substr(0, v.info.find(": "));
    if (v.reason_text.size() > 120) v.reason_text = v.reason_text.substr(0, 120) + "...";
  }
  return v;
}

// The message's business time as the engine takes it: its first appTime.
int64_t BusinessMsOf(std::string_view bytes) {
  const size_t at = bytes.find("appTime>");
  if (at == std::string_view::npos || at + 8 + 14 > bytes.size()) return 0;
  Result<Timestamp> t = Timestamp::Parse(bytes.substr(at + 8, 14), TimeFormat::kCompactSeconds);
  return t.ok() ? t->millis() : 0;
}

// Written to a temporary name first and renamed: a gateway that picks files
// from the outbox never sees half a receipt. Not fsync'd: the receipts are
// durable in the database, and re-sending a message rewrites them.
Status WriteAtomically(const fs::path& dir, const std::string& name, std::string_view content) {
  const fs::path target = dir / name;
  const fs::path temp = dir / ("." + name + ".tmp");
  DRYPORT_RETURN_IF_ERROR(WriteWholeFile(temp.string(), content));
  std::error_code ec;
  fs::rename(temp, target, ec);
  if (ec) return Status::IOError(fmt::format("{}: cannot rename into place: {}", target.string(), ec.message()));
  return Status::Ok();
}

Status WriteReceipts(const std::string& outbox, const std::vector<Receipt>& receipts) {
  if (outbox.empty()) return Status::Ok();
  for (const Receipt& r : receipts) DRYPORT_RETURN_IF_ERROR(WriteAtomically(outbox, r.file_name, r.xml));
  return Status::Ok();
}

int ExitForStatus(const Status& s) {
  switch (s.code()) {
    case StatusCode::kIOError:
    case StatusCode::kNotFound:
    case StatusCode::kCorruption:
    case StatusCode::kInvalidArgument:
      return kExitUsage;
    default:
      return kExitInvalid;
  }
}

// ------------------------------------------------------------ the database

// Holds FILE.lock for the life of the process (see the file comment).
class WriterLock {
 public:
  static Result<std::unique_ptr<WriterLock>> Acquire(const std::string& db) {
    const std::string path = db + ".lock";
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Status::IOError(fmt::format("{}: cannot open the lock file", path));
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
      close(fd);
      return Status::FailedPrecondition(
          fmt::format("{} is being written by another dryport process (ingest --watch or officer); "
                      "one writer at a time",
                      db));
    }
    return std::unique_ptr<WriterLock>(new WriterLock(fd));
  }
  ~WriterLock() { close(fd_); }
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

 private:
  explicit WriterLock(int fd) : fd_(fd) {}
  int fd_;
};

constexpr std::string_view kConfigCounter = "dryport.config";

// The rules a database was built with, as recorded in it.
struct DbConfig {
  std::optional<std::string> clock;  // "wall" | "message"
  std::optional<std::string> risk;   // "off" | the risk rules' TOML text
};

Result<DbConfig> ReadDbConfig(store::Store& store) {
  DbConfig c;
  Result<std::optional<std::string>> clock = store.Counter(kConfigCounter, "clock");
  if (!clock.ok()) return clock.status();
  c.clock = *clock;
  Result<std::optional<std::string>> risk = store.Counter(kConfigCounter, "risk");
  if (!risk.ok()) return risk.status();
  c.risk = *risk;
  return c;
}

std::string BuiltinRiskToml() {
  for (const EmbeddedFile& f : clearance::BuiltinRuleFiles()) {
    if (f.name == "risk.toml") return std::string(f.content);
  }
  return {};
}

// The engine options a command runs with: what the database recorded, else
// what was asked, else the defaults (wall clock, built-in risk rules).
struct EngineSetup {
  EngineOptions options;
  std::string clock_name;
  std::string risk_text;  // "off" or TOML
  std::string risk_label;
  bool record = false;  // the database has no config yet: write it
};

Result<EngineSetup> ResolveSetup(const DbConfig& recorded, const std::string& db, const std::string& clock_opt,
                                 const std::string& risk_opt) {
  EngineSetup setup;
  // Clock.
  if (!clock_opt.empty() && recorded.clock && *recorded.clock != clock_opt) {
    return Status::FailedPrecondition(fmt::format(
        "{} was built with --clock {}; replaying its messages with --clock {} would judge them at other times "
        "than their receipts were sent. Leave --clock out (or give --clock {}), or use a new --db.",
        db, *recorded.clock, clock_opt, *recorded.clock));
  }
  setup.clock_name = recorded.clock ? *recorded.clock : clock_opt.empty() ? "wall" : clock_opt;
  setup.options.clock = setup.clock_name == "message" ? ClockMode::kMessage : ClockMode::kWall;
  // Risk rules.
  std::string wanted;
  std::string label;
  if (risk_opt.empty()) {
    wanted = recorded.risk ? *recorded.risk : BuiltinRiskToml();
    label = recorded.risk ? "as recorded in the database" : "built-in (data/clearance/risk.toml)";
  } else if (risk_opt == "off") {
    wanted = "off";
    label = "off";
  } else {
    Result<std::string> text = ReadWholeFile(risk_opt);
    if (!text.ok()) return Status::InvalidArgument(fmt::format("--risk {}: {}", risk_opt, text.status().message()));
    wanted = *text;
    label = risk_opt;
  }
  if (!risk_opt.empty() && recorded.risk && *recorded.risk != wanted) {
    return Status::FailedPrecondition(fmt::format(
        "{} was built with other risk rules ({}); the engine replays its past decisions with the rules they were "
        "taken under. Leave --risk out, or use a new --db.",
        db, *recorded.risk == "off" ? "--risk off" : "a different rule file"));
  }
  if (wanted == "off") {
    setup.options.risk = clearance::RiskConfig::Off();
    if (label != "off") label = "off (" + label + ")";
  } else {
    Result<clearance::RiskConfig> risk = clearance::RiskConfig::Parse(wanted, risk_opt.empty() ? "risk rules" : risk_opt);
    if (!risk.ok()) return Status::InvalidArgument(risk.status().message());
    setup.options.risk = std::move(risk).value();
  }
  setup.risk_text = std::move(wanted);
  setup.risk_label = std::move(label);
  setup.record = !recorded.clock || !recorded.risk;
  return setup;
}

Status RecordSetup(store::Store& store, const EngineSetup& setup) {
  if (!setup.record) return Status::Ok();
  store::Batch batch;
  batch.counters.push_back({std::string(kConfigCounter), "clock", setup.clock_name});
  batch.counters.push_back({std::string(kConfigCounter), "risk", setup.risk_text});
  return store.Apply(batch);
}

// Everything a writing command holds.
struct OpenDb {
  std::unique_ptr<WriterLock> lock;
  std::unique_ptr<store::Store> store;
  EngineSetup setup;
  std::unique_ptr<Engine> engine;
};

// Opens (creating when `create`) the database, adopts or records its config
// and replays it into an engine. On error prints and returns the exit code.
std::variant<OpenDb, int> OpenForWriting(std::string_view command, const std::string& db, bool create,
                                         const std::string& clock_opt, const std::string& risk_opt,
                                         bool sequential) {
  auto fail = [&](const Status& s, int code) -> std::variant<OpenDb, int> {
    std::cerr << "dryport " << command << ": " << s.message() << "\n";
    return code;
  };
  OpenDb open;
  if (!create && !fs::exists(db)) return fail(Status::NotFound(db + ": no such database"), kExitUsage);
  Result<std::unique_ptr<WriterLock>> lock = WriterLock::Acquire(db);
  if (!lock.ok()) return fail(lock.status(), ExitForStatus(lock.status()));
  open.lock = std::move(lock).value();
  store::SqliteOptions sqlite;
  sqlite.create_if_missing = create;
  Result<std::unique_ptr<store::Store>> store = store::OpenSqlite(db, sqlite);
  if (!store.ok()) return fail(store.status(), kExitUsage);
  open.store = std::move(store).value();
  Result<DbConfig> recorded = ReadDbConfig(*open.store);
  if (!recorded.ok()) return fail(recorded.status(), kExitUsage);
  Result<EngineSetup> setup = ResolveSetup(*recorded, db, clock_opt, risk_opt);
  if (!setup.ok()) return fail(setup.status(), kExitUsage);
  open.setup = std::move(setup).value();
  if (Status s = RecordSetup(*open.store, open.setup); !s.ok()) return fail(s, kExitUsage);
  EngineOptions options = open.setup.options;
  // One caller waiting for each message in turn: a group never gains by
  // waiting for company, so commit at once.
  if (sequential) options.group_commit.max_delay = std::chrono::microseconds(0);
  Result<std::unique_ptr<Engine>> engine = Engine::Open(*open.store, std::move(options));
  if (!engine.ok()) return fail(engine.status(), ExitForStatus(engine.status()));
  open.engine = std::move(engine).value();
  return open;
}

// ------------------------------------------------------------ ingest

struct IngestOptions {
  std::string db;
  std::string outbox;
  bool watch = false;
  std::string clock;  // "" = as recorded, else wall
  std::string risk;   // "" = as recorded, else built-in
  std::vector<std::string> paths;
  bool json = false;
  bool verbose = false;
  int poll_ms = 200;
};

struct Tally {
  uint64_t files = 0, messages = 0, duplicates = 0, invalid = 0, refused = 0, unreadable = 0, receipts = 0,
           released = 0, rejected = 0;
  std::map<std::string, uint64_t> by_reason;
  std::map<std::string, std::string> reason_text;
  int64_t last_business_ms = 0;
  bool store_failed = false;
};

void Count(Tally& t, const Outcome& outcome) {
  t.receipts += outcome.receipts.size();
  if (outcome.duplicate) return;  // answered again, decided before
  for (const Receipt& r : outcome.receipts) {
    const ReceiptView v = ViewReceipt(r.type, r.xml);
    if (v.type == "CEB622Message" && v.status == "800") ++t.released;
    if (v.reason.empty()) continue;
    ++t.rejected;
    ++t.by_reason[v.reason];
    t.reason_text.emplace(v.reason, v.reason_text);
  }
}

volatile std::sig_atomic_t g_stop = 0;
extern "C" void OnStopSignal(int) { g_stop = 1; }

class Ingester {
 public:
  Ingester(const IngestOptions& opt, OpenDb& db) : opt_(opt), db_(db) {}

  // One file: read, ingest, write its receipts. False when the store failed
  // (nothing more can be acknowledged).
  bool File(const std::string& path) {
    ++tally_.files;
    const std::string name = fs::path(path).filename().string();
    std::error_code ec;
    const uintmax_t size = fs::file_size(path, ec);
    if (ec) {
      Problem(path, fmt::format("cannot read: {}", ec.message()));
      ++tally_.unreadable;
      return true;
    }
    if (size > kMaxMessageBytes) {
      Problem(path, fmt::format("{} bytes is more than the {} MiB a CEB message may have; not ingested", size,
                                kMaxMessageBytes >> 20));
      ++tally_.refused;
      return true;
    }
    Result<std::string> bytes = ReadWholeFile(path);
    if (!bytes.ok()) {
      Problem(path, bytes.status().message());
      ++tally_.unreadable;
      return true;
    }
    Result<Outcome> outcome = db_.engine->Ingest(*bytes, name);
    if (!outcome.ok()) {
      if (outcome.status().code() == StatusCode::kInvalidArgument) {  // e.g. a receipt sent as a declaration
        Problem(path, outcome.status().message());
        ++tally_.refused;
        return true;
      }
      Problem(path, "the database failed: " + outcome.status().ToString());
      tally_.store_failed = true;
      return false;
    }
    if (outcome->message_seq == 0) {
      ++tally_.invalid;
      const ReceiptView v = outcome->receipts.empty() ? ReceiptView{}
                                                      : ViewReceipt(outcome->receipts[0].type, outcome->receipts[0].xml);
      Problem(path, "not a readable CEB message (CEB900): " + v.info);
    } else if (outcome->duplicate) {
      ++tally_.duplicates;
    } else {
      ++tally_.messages;
      tally_.last_business_ms = std::max(tally_.last_business_ms, BusinessMsOf(*bytes));
    }
    Count(tally_, *outcome);
    if (opt_.verbose) Describe(name, *outcome);
    if (Status s = WriteReceipts(opt_.outbox, outcome->receipts); !s.ok()) {
      Problem(path, s.message());
      ++tally_.unreadable;
    }
    return true;
  }

  // Expires inventories whose matching window has passed at `now_ms`.
  bool Tick(int64_t now_ms) {
    Result<Outcome> outcome = db_.engine->Tick(now_ms);
    if (!outcome.ok()) {
      std::cerr << "dryport ingest: tick: " << outcome.status().ToString() << "\n";
      tally_.store_failed = true;
      return false;
    }
    Count(tally_, *outcome);
    tick_rejected_ += outcome->receipts.size();
    if (opt_.verbose && !outcome->receipts.empty()) Describe("tick " + FormatMs(now_ms), *outcome);
    if (Status s = WriteReceipts(opt_.outbox, outcome->receipts); !s.ok()) {
      std::cerr << "dryport ingest: " << s.message() << "\n";
      ++tally_.unreadable;
    }
    return true;
  }

  Tally& tally() { return tally_; }
  size_t tick_receipts() const { return tick_rejected_; }

 private:
  void Problem(const std::string& path, const std::string& what) {
    if (!opt_.json) std::cout << path << ": " << what << "\n";
  }

  void Describe(const std::string& name, const Outcome& outcome) {
    std::cout << fmt::format("{}: seq {}{}\n", name, outcome.message_seq, outcome.duplicate ? " (duplicate)" : "");
    for (const Receipt& r : outcome.receipts) {
      const ReceiptView v = ViewReceipt(r.type, r.xml);
      std::cout << fmt::format("  -> {} {} {}\n", r.file_name, v.status, v.info);
    }
  }

  const IngestOptions& opt_;
  OpenDb& db_;
  Tally tally_;
  size_t tick_rejected_ = 0;
};

bool IsCandidate(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.empty() || name[0] == '.') return false;  // hidden, and files still being written (.x.tmp)
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".xml";
}

// The *.xml files of a directory (recursively), in file-name order.
std::vector<fs::path> ListDirectory(const std::string& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) && IsCandidate(it->path())) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end(), [](const fs::path& a, const fs::path& b) {
    return std::pair(a.filename().string(), a.string()) < std::pair(b.filename().string(), b.string());
  });
  return found;
}

// Pending inventories by status, from the store's documents.
std::map<int, uint64_t> PendingInventories(store::Store& store) {
  std::map<int, uint64_t> out;
  (void)store.ForEachDocument([&](store::DocumentRow&& d) {
    if (d.kind == "inventory" && (d.status == 2 || d.status == 120 || d.status == 300 || d.status == 500)) {
      ++out[d.status];
    }
    return Status::Ok();
  });
  return out;
}

void PrintSummary(const IngestOptions& opt, const OpenDb& db, Ingester& ing, double seconds,
                  const std::string& tick_note) {
  const Tally& t = ing.tally();
  const std::map<int, uint64_t> pending = PendingInventories(*db.store);
  uint64_t pending_total = 0;
  for (const auto& [status, n] : pending) pending_total += n;
  auto pending_of = [&](int status) { return pending.count(status) ? pending.at(status) : 0; };
  if (opt.json) {
    Json reasons = Json::array();
    for (const auto& [reason, n] : t.by_reason) {
      reasons.push_back({{"reason", reason}, {"count", n}, {"text", t.reason_text.at(reason)}});
    }
    Json out = {{"db", opt.db},
                {"clock", db.setup.clock_name},
                {"risk", db.setup.risk_label},
                {"files", t.files},
                {"messages", t.messages},
                {"duplicates", t.duplicates},
                {"invalid", t.invalid},
                {"refused", t.refused},
                {"unreadable", t.unreadable},
                {"receipts", t.receipts},
                {"released", t.released},
                {"rejected", t.rejected},
                {"rejected_by_reason", std::move(reasons)},
                {"pending",
                 {{"total", pending_total},
                  {"waiting_for_documents", pending_of(2) + pending_of(120)},
                  {"manual_review", pending_of(300)},
                  {"inspection", pending_of(500)}}},
                {"tick", tick_note},
                {"seconds", seconds}};
    if (!opt.outbox.empty()) out["outbox"] = opt.outbox;
    std::cout << out.dump(1) << "\n";
    return;
  }
  std::cout << fmt::format("dryport ingest: {} file{} -> {} in {:.1f} s (clock {}, risk {})\n", t.files,
                           t.files == 1 ? "" : "s", opt.db, seconds, db.setup.clock_name, db.setup.risk_label);
  std::cout << fmt::format("  messages:  {} stored, {} duplicate{} (answered again, not re-applied), {} invalid (CEB900), "
                           "{} refused, {} unreadable\n",
                           t.messages, t.duplicates, t.duplicates == 1 ? "" : "s", t.invalid, t.refused, t.unreadable);
  std::cout << fmt::format("  receipts:  {}{}\n", t.receipts, opt.outbox.empty() ? "" : " written to " + opt.outbox);
  std::cout << fmt::format("  released:  {} inventor{} (800)\n", t.released, t.released == 1 ? "y" : "ies");
  std::cout << fmt::format("  rejected:  {} (by reason, returnInfo code or E-Port status)\n", t.rejected);
  std::vector<std::pair<uint64_t, std::string>> sorted;
  for (const auto& [reason, n] : t.by_reason) sorted.emplace_back(n, reason);
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  for (const auto& [n, reason] : sorted) {
    std::cout << fmt::format("    {:>6}  {:<9} {}\n", n, reason, t.reason_text.at(reason));
  }
  std::cout << fmt::format("  pending:   {} inventor{} in the database: {} waiting for documents, {} manual review (300), "
                           "{} inspection (500)\n",
                           pending_total, pending_total == 1 ? "y" : "ies", pending_of(2) + pending_of(120),
                           pending_of(300), pending_of(500));
  if (!tick_note.empty()) std::cout << "  tick:      " << tick_note << "\n";
}

int RunIngest(const IngestOptions& opt) {
  if (!opt.outbox.empty()) {
    std::error_code ec;
    fs::create_directories(opt.outbox, ec);
    if (ec || !fs::is_directory(opt.outbox)) {
      std::cerr << "dryport ingest: --outbox " << opt.outbox << ": cannot create the directory\n";
      return kExitUsage;
    }
  }
  std::vector<std::string> dirs;
  for (const std::string& p : opt.paths) {
    if (fs::is_directory(p)) dirs.push_back(p);
  }
  if (opt.watch && dirs.empty()) {
    std::cerr << "dryport ingest: --watch needs at least one directory to watch\n";
    return kExitUsage;
  }
  std::variant<OpenDb, int> opened =
      OpenForWriting("ingest", opt.db, /*create=*/true, opt.clock, opt.risk, /*sequential=*/true);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  OpenDb& db = std::get<OpenDb>(opened);
  const bool message_clock = db.setup.options.clock == ClockMode::kMessage;
  const int64_t window = db.setup.options.matching_window_ms;

  Ingester ing(opt, db);
  const auto start = std::chrono::steady_clock::now();
  std::string tick_note;
  // Files named on the command line and the directories' files now present.
  std::set<std::string> done;
  bool ok = true;
  for (const std::string& p : opt.paths) {
    if (!fs::is_directory(p)) {
      ok = ing.File(p);
    } else {
      for (const fs::path& f : ListDirectory(p)) {
        if (!(ok = ing.File(f.string()))) break;
        done.insert(f.string());
      }
    }
    if (!ok) break;
  }

  if (ok && !opt.watch) {
    // One shot: with the message clock, the day is over when its last
    // message is: inventories still waiting a matching window after it are
    // rejected now, so the same files always end the same way.
    const int64_t now = message_clock ? ing.tally().last_business_ms + window : Timestamp::Now().millis();
    if (!message_clock || ing.tally().last_business_ms > 0) {
      const uint64_t before = ing.tally().rejected;
      ok = ing.Tick(now);
      tick_note = fmt::format("at {} ({}): {} inventor{} rejected for documents that never came", FormatMs(now),
                              message_clock ? "last business time + the matching window" : "wall clock",
                              ing.tally().rejected - before, ing.tally().rejected - before == 1 ? "y" : "ies");
    }
  }

  if (ok && opt.watch) {
    std::signal(SIGINT, OnStopSignal);
    std::signal(SIGTERM, OnStopSignal);
    if (!opt.json) {
      std::cout << fmt::format("dryport ingest: watching {} (every {} ms; Ctrl-C stops)\n", fmt::join(dirs, ", "),
                               opt.poll_ms)
                << std::flush;
    }
    // A new file is taken once its size and time stayed the same over one
    // poll: a gateway that writes in place is not read half-way.
    std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> seen;
    std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> taken;
    int64_t last_tick_wall = 0;
    int64_t ticked_business = 0;
    while (ok && !g_stop) {
      std::vector<fs::path> ready;
      for (const std::string& d : dirs) {
        for (const fs::path& f : ListDirectory(d)) {
          std::error_code ec;
          const auto stamp = std::make_pair(fs::file_size(f, ec), fs::last_write_time(f, ec));
          if (ec) continue;
          const std::string key = f.string();
          if (done.count(key) && !taken.count(key)) taken[key] = stamp;  // from the first pass
          if (taken.count(key) && taken[key] == stamp) continue;
          auto it = seen.find(key);
          if (it != seen.end() && it->second == stamp) {
            ready.push_back(f);
          } else {
            seen[key] = stamp;
          }
        }
      }
      std::sort(ready.begin(), ready.end(), [](const fs::path& a, const fs::path& b) {
        return std::pair(a.filename().string(), a.string()) < std::pair(b.filename().string(), b.string());
      });
      for (const fs::path& f : ready) {
        if (g_stop || !(ok = ing.File(f.string()))) break;
        taken[f.string()] = seen[f.string()];
        seen.erase(f.string());
      }
      if (!ok) break;
      if (message_clock) {
        // Expire what is overdue by the messages' own clock; the stream may
        // go on, so no window is added.
        if (ing.tally().last_business_ms > ticked_business) {
          ticked_business = ing.tally().last_business_ms;
          ok = ing.Tick(ticked_business);
        }
      } else if (Timestamp::Now().millis() - last_tick_wall >= 1000) {
        last_tick_wall = Timestamp::Now().millis();
        ok = ing.Tick(last_tick_wall);
      }
      for (int slept = 0; ok && !g_stop && slept < opt.poll_ms; slept += 20) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    if (!opt.json) std::cout << "dryport ingest: stopped\n";
  }

  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  PrintSummary(opt, db, ing, seconds, tick_note);
  const Tally& t = ing.tally();
  if (t.store_failed || t.unreadable > 0) return kExitUsage;
  if (t.rejected > 0 || t.invalid > 0 || t.refused > 0) return kExitInvalid;
  return kExitOk;
}

// ------------------------------------------------------------ status

constexpr std::string_view kKeyNames[] = {"orderNo", "logisticsNo", "invtNo", "copNo", "payTransactionId"};

struct Timeline {
  std::vector<store::DocumentRow> documents;
  std::map<std::string, std::vector<store::EventRow>> events;  // by kind|key
  std::set<int64_t> seqs;
};

// Documents whose key is KEY or ends in |KEY, or whose state names KEY as
// one of its keys.
Status FindDocuments(store::Store& store, const std::string& key, Timeline& t) {
  const std::string quoted = "\"" + key + "\"";
  return store.ForEachDocument([&](store::DocumentRow&& d) {
    bool match = d.key == key || (d.key.size() > key.size() && d.key.ends_with("|" + key));
    if (!match && d.state.find(quoted) != std::string::npos) {
      const Json state = Json::parse(d.state, nullptr, false);
      if (state.is_object()) {
        for (std::string_view name : kKeyNames) {
          auto it = state.find(name);
          if (it != state.end() && it->is_string() && it->get<std::string>() == key) match = true;
        }
      }
    }
    if (match) t.documents.push_back(std::move(d));
    return Status::Ok();
  });
}

Status CollectSeqs(store::Store& store, std::string_view name, const std::string& value, std::set<int64_t>& out) {
  if (value.empty()) return Status::Ok();
  Result<std::vector<int64_t>> seqs = store.MessagesByKey(name, value);
  if (!seqs.ok()) return seqs.status();
  out.insert(seqs->begin(), seqs->end());
  return Status::Ok();
}

int RunStatus(const std::string& db, const std::string& key, bool json) {
  if (!fs::exists(db)) {
    std::cerr << "dryport status: " << db << ": no such database\n";
    return kExitUsage;
  }
  store::SqliteOptions sqlite;
  sqlite.create_if_missing = false;
  Result<std::unique_ptr<store::Store>> opened = store::OpenSqlite(db, sqlite);
  if (!opened.ok()) {
    std::cerr << "dryport status: " << opened.status().message() << "\n";
    return kExitUsage;
  }
  store::Store& store = **opened;
  Timeline t;
  auto fail = [&](const Status& s) {
    std::cerr << "dryport status: " << s.message() << "\n";
    return kExitUsage;
  };
  if (Status s = FindDocuments(store, key, t); !s.ok()) return fail(s);
  for (std::string_view name : kKeyNames) {
    if (Status s = CollectSeqs(store, name, key, t.seqs); !s.ok()) return fail(s);
  }
  if (t.documents.empty() && t.seqs.empty()) {
    std::cerr << "dryport status: no message or document has the key " << key << " in " << db << "\n";
    return kExitInvalid;
  }
  // The documents' own keys bring in the rest of their story (a CEB513 by
  // logisticsNo, a CEB623 by invtNo), and their events name the messages
  // (ticks, officer decisions) that moved them.
  std::set<std::string> words = {key};
  for (const store::DocumentRow& d : t.documents) {
    const Json state = Json::parse(d.state, nullptr, false);
    for (std::string_view name : kKeyNames) {
      if (!state.is_object()) break;
      auto it = state.find(name);
      if (it == state.end() || !it->is_string()) continue;
      words.insert(it->get<std::string>());
      if (Status s = CollectSeqs(store, name, it->get<std::string>(), t.seqs); !s.ok()) return fail(s);
    }
    Result<std::vector<store::EventRow>> events = store.Events(d.kind, d.key);
    if (!events.ok()) return fail(events.status());
    for (const store::EventRow& e : *events) {
      if (e.message_seq > 0) t.seqs.insert(e.message_seq);
    }
    t.events[d.kind + "|" + d.key] = std::move(events).value();
  }
  std::set<int64_t> direct;  // found through a key, not only through an event
  for (std::string_view name : kKeyNames) {
    for (const std::string& w : words) {
      if (Status s = CollectSeqs(store, name, w, direct); !s.ok()) return fail(s);
    }
  }

  Json out_docs = Json::array();
  for (const store::DocumentRow& d : t.documents) {
    out_docs.push_back({{"kind", d.kind},
                        {"key", d.key},
                        {"status", d.status},
                        {"updated", FormatMs(d.updated_ms)},
                        {"state", Json::parse(d.state, nullptr, false)}});
  }
  Json timeline = Json::array();
  for (int64_t seq : t.seqs) {
    Result<std::optional<store::MessageRow>> m = store.MessageBySeq(seq);
    if (!m.ok()) return fail(m.status());
    Json entry = {{"seq", seq}};
    if (m->has_value()) {
      const store::MessageRow& row = **m;
      entry["type"] = row.type;
      entry["source"] = row.source;
      entry["sender"] = row.sender;
      entry["received"] = FormatMs(row.received_ms);
      entry["business_time"] = FormatMs(row.business_ms);
      if (row.type == "dryport.decision" || row.type == "dryport.tick") {
        entry["detail"] = Json::parse(row.raw, nullptr, false);
      }
    }
    Json events = Json::array();
    for (const store::DocumentRow& d : t.documents) {
      for (const store::EventRow& e : t.events[d.kind + "|" + d.key]) {
        if (e.message_seq != seq) continue;
        events.push_back({{"event_seq", e.seq},
                          {"kind", e.kind},
                          {"key", e.key},
                          {"status", e.status},
                          {"rule", e.rule},
                          {"info", e.info},
                          {"at", FormatMs(e.at_ms)}});
      }
    }
    std::sort(events.begin(), events.end(),
              [](const Json& a, const Json& b) { return a["event_seq"].get<int64_t>() < b["event_seq"].get<int64_t>(); });
    entry["events"] = std::move(events);
    Result<std::vector<store::ReceiptRow>> receipts = store.ReceiptsForMessage(seq);
    if (!receipts.ok()) return fail(receipts.status());
    Json rs = Json::array();
    for (const store::ReceiptRow& r : *receipts) {
      // A tick or a decision answers many documents: keep this one's.
      if (!direct.count(seq)) {
        bool mine = false;
        for (const std::string& w : words) mine = mine || r.xml.find(w) != std::string::npos;
        if (!mine) continue;
      }
      const ReceiptView v = ViewReceipt(r.type, r.xml);
      rs.push_back({{"name", r.name}, {"type", r.type}, {"status", v.status}, {"info", v.info}});
    }
    entry["receipts"] = std::move(rs);
    timeline.push_back(std::move(entry));
  }

  if (json) {
    std::cout << Json{{"key", key}, {"documents", out_docs}, {"timeline", timeline}}.dump(1) << "\n";
    return kExitOk;
  }
  std::cout << fmt::format("{} in {}\n\ndocuments:\n", key, db);
  for (const store::DocumentRow& d : t.documents) {
    std::cout << fmt::format("  {:<9} {:<42} status {:>4}  (since {})\n", d.kind, d.key, d.status,
                             FormatMs(d.updated_ms));
  }
  if (t.documents.empty()) std::cout << "  (none: every declaration was rejected before it became a document)\n";
  std::cout << "\ntimeline:\n";
  for (const Json& e : timeline) {
    std::cout << fmt::format("  #{} {} {}{}{}\n", e["seq"].get<int64_t>(), e.value("business_time", "-"),
                             e.value("type", "?"),
                             e.value("source", "").empty() ? "" : " from " + e.value("source", ""),
                             e.value("sender", "").empty() ? "" : " (" + e.value("sender", "") + ")");
    if (e.contains("detail")) std::cout << "      " << e["detail"].dump() << "\n";
    for (const Json& ev : e["events"]) {
      std::cout << fmt::format("      {} {} -> {}  [{}] {}\n", ev["kind"].get<std::string>(), ev["key"].get<std::string>(),
                               ev["status"].get<int>(), ev["rule"].get<std::string>(), ev["info"].get<std::string>());
    }
    for (const Json& r : e["receipts"]) {
      std::cout << fmt::format("      <- {} {} {}\n", r["type"].get<std::string>(), r["status"].get<std::string>(),
                               r["info"].get<std::string>());
    }
  }
  return kExitOk;
}

// ------------------------------------------------------------ officer

struct OfficerOptions {
  std::string db;
  std::vector<std::string> decide;
  std::string officer;
  std::string note;
  std::string outbox;
  bool json = false;
};

int RunOfficer(const OfficerOptions& opt) {
  // Parse every decision before touching the database: a typo decides nothing.
  std::vector<std::pair<std::string, clearance::Decision>> decisions;
  for (const std::string& d : opt.decide) {
    const size_t eq = d.rfind('=');
    std::optional<clearance::Decision> decision =
        eq == std::string::npos ? std::nullopt : clearance::DecisionFromName(d.substr(eq + 1));
    if (!decision) {
      std::cerr << "dryport officer: --decide " << d
                << ": expected KEY=release|detain|detain-smuggling|detain-legal|detain-other|return\n";
      return kExitUsage;
    }
    decisions.emplace_back(d.substr(0, eq), *decision);
  }
  if (!opt.outbox.empty()) {
    std::error_code ec;
    fs::create_directories(opt.outbox, ec);
  }
  std::variant<OpenDb, int> opened = OpenForWriting("officer", opt.db, /*create=*/false, "", "", /*sequential=*/true);
  if (std::holds_alternative<int>(opened)) return std::get<int>(opened);
  OpenDb& db = std::get<OpenDb>(opened);
  std::string officer = opt.officer;
  if (officer.empty()) officer = std::getenv("USER") ? std::getenv("USER") : "officer";

  if (decisions.empty()) {
    const std::vector<clearance::PendingItem> pending = db.engine->Pending();
    if (opt.json) {
      Json items = Json::array();
      for (const auto& p : pending) {
        items.push_back({{"kind", p.kind}, {"key", p.key}, {"status", p.status}, {"rule", p.rule}, {"summary", p.summary}});
      }
      std::cout << Json{{"pending", items}}.dump(1) << "\n";
      return kExitOk;
    }
    std::cout << fmt::format("{} item{} waiting for a decision in {}\n", pending.size(), pending.size() == 1 ? "" : "s",
                             opt.db);
    for (const auto& p : pending) {
      std::cout << fmt::format("  {} {:<40} {:>3} {:<24} {}\n", p.kind, p.key, p.status,
                               p.status == 300 ? "manual review" : "inspection", "rule " + p.rule);
      std::cout << fmt::format("      {}\n", p.summary);
    }
    if (!pending.empty()) {
      std::cout << "decide with: dryport officer --db " << opt.db
                << " --decide KEY=release|detain|detain-smuggling|detain-legal|detain-other|return\n";
    }
    return kExitOk;
  }

  int exit_code = kExitOk;
  Json results = Json::array();
  for (const auto& [key, decision] : decisions) {
    Result<Outcome> outcome = db.engine->Decide(key, decision, officer, opt.note);
    if (!outcome.ok()) {
      std::cerr << "dryport officer: " << key << ": " << outcome.status().message() << "\n";
      const bool store_failed = outcome.status().code() == StatusCode::kIOError ||
                                outcome.status().code() == StatusCode::kCorruption;
      exit_code = std::max(exit_code, store_failed ? kExitUsage : kExitInvalid);
      results.push_back({{"key", key}, {"decision", clearance::DecisionName(decision)}, {"error", outcome.status().message()}});
      if (store_failed) break;
      continue;
    }
    Json rs = Json::array();
    if (!opt.json) {
      std::cout << fmt::format("{} {}: seq {}\n", key, clearance::DecisionName(decision), outcome->message_seq);
    }
    for (const Receipt& r : outcome->receipts) {
      const ReceiptView v = ViewReceipt(r.type, r.xml);
      rs.push_back({{"name", r.file_name}, {"type", r.type}, {"status", v.status}, {"info", v.info}});
      if (!opt.json) std::cout << fmt::format("  <- {} {} {}\n", r.type, v.status, v.info);
    }
    if (Status s = WriteReceipts(opt.outbox, outcome->receipts); !s.ok()) {
      std::cerr << "dryport officer: " << s.message() << "\n";
      exit_code = kExitUsage;
    }
    results.push_back({{"key", key}, {"decision", clearance::DecisionName(decision)}, {"seq", outcome->message_seq},
                       {"receipts", std::move(rs)}});
  }
  if (opt.json) std::cout << Json{{"decisions", results}}.dump(1) << "\n";
  return exit_code;
}


// ------------------------------------------------------------ summary

struct SummaryCliOptions {
  std::string db;
  std::string month;
  bool by_owner = false;
  bool by_item_name = false;
  bool json = false;
};

// The month's released export lists consolidated into customs declarations
// (clearance/summary.h: the same Consolidate the engine runs for a CEB701).
int RunSummary(const SummaryCliOptions& opt) {
  Result<std::pair<int64_t, int64_t>> range = clearance::MonthRange(opt.month);
  if (!range.ok()) {
    std::cerr << "dryport summary: --month: " << range.status().message() << "\n";
    return kExitUsage;
  }
  if (!fs::exists(opt.db)) {
    std::cerr << "dryport summary: " << opt.db << ": no such database\n";
    return kExitUsage;
  }
  store::SqliteOptions sqlite;
  sqlite.create_if_missing = false;
  Result<std::unique_ptr<store::Store>> store = store::OpenSqlite(opt.db, sqlite);
  if (!store.ok()) {
    std::cerr << "dryport summary: " << store.status().message() << "\n";
    return kExitUsage;
  }
  Result<std::vector<clearance::ExportList>> lists =
      clearance::ReleasedExportLists(**store, range->first, range->second);
  if (!lists.ok()) {
    std::cerr << "dryport summary: " << lists.status().message() << "\n";
    return kExitUsage;
  }
  size_t simplified = 0, summarised = 0, open = 0;
  std::set<std::string> sum_nos;
  for (const clearance::ExportList& l : *lists) {
    if (l.statistics_flag != "B") {
      ++simplified;
    } else if (!l.sum_no.empty()) {
      ++summarised;
      sum_nos.insert(l.sum_no);
    } else {
      ++open;
    }
  }
  clearance::SummaryOptions options;
  options.by_owner = opt.by_owner;
  options.by_item_name = opt.by_item_name;
  const std::vector<clearance::Declaration> declarations = clearance::Consolidate(*lists, options);
  if (opt.json) {
    Json decls = Json::array();
    for (const clearance::Declaration& d : declarations) {
      Json lines = Json::array();
      for (const clearance::DeclarationLine& l : d.lines) {
        lines.push_back({{"seq", l.seq}, {"gcode", l.hs}, {"name", l.name}, {"currency", l.currency},
                         {"country", l.country}, {"qty", l.qty.ToString()}, {"totalPrice", l.total.ToString(2)},
                         {"items", l.items}});
      }
      decls.push_back({{"ebcCode", d.header.ebc}, {"trafMode", d.header.traf_mode}, {"ownerCode", d.header.owner},
                       {"country", d.header.country}, {"portCode", d.header.port},
                       {"tradeMode", d.header.trade_mode}, {"lists", d.invt_nos.size()},
                       {"grossWeight", d.gross_weight.ToString()}, {"netWeight", d.net_weight.ToString()},
                       {"lines", std::move(lines)}});
    }
    std::cout << Json{{"month", opt.month},
                      {"released_lists", lists->size()},
                      {"simplified", simplified},
                      {"summarised", summarised},
                      {"summaries", sum_nos.size()},
                      {"to_summarise", open},
                      {"declarations", std::move(decls)}}
                     .dump(1)
              << "\n";
    return kExitOk;
  }
  std::cout << fmt::format(
      "{}: {} export lists released in {}: {} simplified (statisticsFlag A, no summary), {} already summarised by "
      "{} CEB701 application{}, {} to summarise -> {} customs declaration{}\n",
      opt.db, lists->size(), opt.month, simplified, summarised, sum_nos.size(), sum_nos.size() == 1 ? "" : "s", open,
      declarations.size(), declarations.size() == 1 ? "" : "s");
  for (const clearance::Declaration& d : declarations) {
    std::cout << fmt::format("  consignor {} country {} port {} transport {} {}: {} lists, {} lines, gross {} kg\n",
                             d.header.ebc, d.header.country, d.header.port, d.header.traf_mode, d.header.trade_mode,
                             d.invt_nos.size(), d.lines.size(), d.gross_weight.ToString());
    for (const clearance::DeclarationLine& l : d.lines) {
      std::cout << fmt::format("    {:>3} {} {} x{} {} {} ({} items)\n", l.seq, l.hs, l.name, l.qty.ToString(),
                               l.total.ToString(2), l.currency, l.items);
    }
  }
  return kExitOk;
}

}  // namespace

void RegisterClearanceCommands(CLI::App& app, ExitCode& exit_code) {
  auto in = std::make_shared<IngestOptions>();
  CLI::App* ingest = app.add_subcommand(
      "ingest",
      "Feed CEB message files to the clearance engine in file-name order (directories: their *.xml files) and\n"
      "answer each with its receipts. A receipt is written only after its message is durable in --db; repeated\n"
      "calls on the same --db continue the same state (a message sent again is answered again, not re-applied).\n"
      "With --clock message a one-shot ingest ends with a clock tick at the last business time + the matching\n"
      "window (24 h), so inventories whose order, payment or waybill never came end rejected (1333), the same\n"
      "way on every replay of the same files. The database records its clock and risk rules; later calls adopt\n"
      "them. Exit 0: all accepted; 1: something was rejected, invalid or refused; 2: usage, an unreadable file\n"
      "or a database error.");
  ingest->add_option("--db", in->db, "SQLite database (created if missing)")->required();
  ingest->add_option("--outbox", in->outbox, "Write every receipt into this directory as an XML file (atomically)");
  ingest->add_flag("--watch", in->watch,
                   "Keep taking new *.xml files dropped into the directories (every 200 ms) until SIGINT/SIGTERM;\n"
                   "a file is taken once its size stayed the same over one poll");
  ingest->add_option("--clock", in->clock,
                     "wall: judge matching windows and quota years by the time of receipt (the default for a new\n"
                     "database); message: by the messages' own business times, so a past day replays to the same\n"
                     "result")
      ->check(CLI::IsMember({"wall", "message"}));
  ingest->add_option("--risk", in->risk, "Risk rules: a TOML file (see data/clearance/risk.toml, the default) or off");
  ingest->add_flag("--json", in->json, "Print the summary as JSON");
  ingest->add_flag("-v,--verbose", in->verbose, "Print every message's receipts");
  ingest->add_option("paths", in->paths, "Message files and directories")->required();
  ingest->callback([in, &exit_code] { exit_code.value = RunIngest(*in); });

  auto st = std::make_shared<std::pair<std::string, std::string>>();
  auto st_json = std::make_shared<bool>(false);
  CLI::App* status = app.add_subcommand(
      "status",
      "A document's whole timeline: every message, status change (with the rule that fired) and receipt.\n"
      "KEY: an orderNo, logisticsNo, invtNo, copNo, payTransactionId, or a document key such as\n"
      "ebpCode|orderNo. Exit 0: found; 1: nothing has that key; 2: usage or the database cannot be read.");
  status->add_option("--db", st->first, "SQLite database")->required();
  status->add_option("key", st->second, "The key to look up")->required();
  status->add_flag("--json", *st_json, "Print JSON");
  status->callback([st, st_json, &exit_code] { exit_code.value = RunStatus(st->first, st->second, *st_json); });

  auto of = std::make_shared<OfficerOptions>();
  CLI::App* officer = app.add_subcommand(
      "officer",
      "List the inventories waiting for a customs officer (300 manual review, 500 inspection), or decide:\n"
      "release (-> 800), detain (501; also detain-smuggling 502, detain-legal 503, detain-other 599) or\n"
      "return (700, re-export). Prints the receipts each decision sent. Exit 0: done; 1: a decision was\n"
      "refused (no such inventory, not waiting); 2: usage or a database error.");
  officer->add_option("--db", of->db, "SQLite database")->required();
  officer->add_option("--decide", of->decide,
                      "KEY=release|detain|detain-smuggling|detain-legal|detain-other|return (repeatable); KEY is\n"
                      "the inventory key as listed");
  officer->add_option("--officer", of->officer, "Who decides (recorded with the decision; default $USER)");
  officer->add_option("--note", of->note, "A note recorded with the decisions");
  officer->add_option("--outbox", of->outbox, "Also write the decisions' receipts into this directory");
  officer->add_flag("--json", of->json, "Print JSON");
  officer->callback([of, &exit_code] { exit_code.value = RunOfficer(*of); });

  auto su = std::make_shared<SummaryCliOptions>();
  CLI::App* summary = app.add_subcommand(
      "summary",
      "Export summary (汇总): the export lists released in a month, and the customs declarations the ones still\n"
      "to summarise (statisticsFlag B, no CEB701 yet) consolidate into. Exit 0: done; 2: usage or the database\n"
      "cannot be read.");
  summary->add_option("--db", su->db, "SQLite database")->required();
  summary->add_option("--month", su->month, "The month, YYYY-MM (China time)")->required();
  summary->add_flag("--by-owner", su->by_owner, "Also keep producers/sellers apart (CEB701 summaryFlag 2)");
  summary->add_flag("--by-item-name", su->by_item_name, "Merge items only under the same name (itemNameFlag 1)");
  summary->add_flag("--json", su->json, "Print JSON");
  summary->callback([su, &exit_code] { exit_code.value = RunSummary(*su); });
}

}  // namespace dryport::cli
