// The clearance engine: the customs side of the cross-border e-commerce
// "unified version". It turns a stream of CEB messages into receipts,
// releases and tax bills.
//
// What it offers: Engine::Ingest takes one message's bytes and returns every
// receipt that message caused (its own, and those of other documents it
// completed: a CEB621 that completes three-document matching also answers
// the order, payment and waybill with 120). Receipts are returned only after
// the message is durable in the store.
//
// State: the engine's in-memory state is a pure function of the messages it
// accepted, in order (officer decisions and clock ticks are stored as
// messages too). Opening an engine on an existing store replays them, so a
// crash at any moment loses nothing acknowledged and a restarted engine
// decides exactly as an uninterrupted one would.
//
// Thread-safety: Ingest, Decide and Tick may be called from any thread; the
// decisions are taken one message at a time in a single order (a mutex), and
// commits are grouped (store::GroupCommitWriter) across callers.
// Ownership: the Engine borrows the Store, which must outlive it.
#ifndef DRYPORT_CLEARANCE_ENGINE_H_
#define DRYPORT_CLEARANCE_ENGINE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clearance/risk.h"
#include "clearance/rule_book.h"
#include "core/status.h"
#include "store/store.h"

namespace dryport::clearance {

// Which clock judges matching windows, quota years and summary periods.
enum class ClockMode {
  kWall,     // the time the message was received
  kMessage,  // the message's own business time (appTime...): a past day replays to the same result
};

struct EngineOptions {
  ClockMode clock = ClockMode::kWall;
  // An inventory whose order, payment or waybill has not arrived waits this
  // long, then is rejected (customs-rules.md §3: no official window; 24 h).
  int64_t matching_window_ms = 24LL * 3600 * 1000;
  RuleBook rules = RuleBook::Builtin();
  RiskConfig risk;  // RiskConfig::Off() disables selection
  store::GroupCommitOptions group_commit;
};

struct Receipt {
  std::string type;       // "CEB622Message"
  std::string file_name;  // unique, sortable: <seq>-<n>-CEB622-<key>.xml
  std::string xml;
};

struct Outcome {
  int64_t message_seq = 0;      // 0 when the message was not stored (not well-formed: CEB900)
  bool duplicate = false;       // the same message again: its stored receipts are returned
  std::vector<Receipt> receipts;
};

// An officer's decision on an inventory waiting in 300 (manual review) or
// 500 (inspection).
enum class Decision { kRelease, kDetainClearance, kDetainSmuggling, kDetainLegal, kDetainOther, kReturn };
std::optional<Decision> DecisionFromName(std::string_view name);  // release, detain, detain-smuggling, ..., return
std::string_view DecisionName(Decision d);

struct PendingItem {
  std::string kind;  // "inventory"
  std::string key;
  int status = 0;    // 300 or 500
  std::string rule;  // why it was selected
  std::string summary;
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> Open(store::Store& store, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Takes one message; returns once it is durable. A message that is not
  // well-formed gets a CEB900 receipt and is not stored; a Status error means
  // the store failed (the engine then refuses further input).
  Result<Outcome> Ingest(std::string_view bytes, std::string_view source);

  // Expires inventories that waited past the matching window. `now_ms` is
  // China civil time in ms (see core/time.h).
  Result<Outcome> Tick(int64_t now_ms);

  Result<Outcome> Decide(std::string_view inventory_key, Decision decision, std::string_view officer,
                         std::string_view note);
  std::vector<PendingItem> Pending() const;

  struct Counters {
    uint64_t messages = 0, duplicates = 0, rejected = 0, released = 0, receipts = 0;
  };
  Counters counters() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace dryport::clearance

#endif  // DRYPORT_CLEARANCE_ENGINE_H_
