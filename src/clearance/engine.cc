// The engine's frame: decode, one-at-a-time decisions, group commit, replay.
#include "clearance/engine.h"

#include <condition_variable>
#include <set>

#include <fmt/format.h>

#include "clearance/engine_internal.h"
#include "core/code_table.h"
#include "core/time.h"

namespace dryport::clearance {

using internal::Context;
using internal::Doc;
using internal::EngineCore;

namespace {

// Engine-made messages (officer decisions, clock ticks) are stored in the
// message log beside the CEB messages, so replay sees them in order.
constexpr std::string_view kDecisionType = "dryport.decision";
constexpr std::string_view kTickType = "dryport.tick";

uint64_t BytesHash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h ^ s.size();
}

// The message's own business time: the first appTime in the text. Every
// declaration carries one; scanning the bytes is cheaper than walking the
// model, and the digits read the same in UTF-8 and GB18030.
int64_t MessageBusinessMs(std::string_view bytes) {
  const size_t at = bytes.find("appTime>");
  if (at == std::string_view::npos) return 0;
  return internal::BusinessMs(ceb::Text(std::string(bytes.substr(at + 8, 14))));
}

std::string SenderOf(const ceb::Message& message) {
  std::string sender;
  std::visit(
      [&](const auto& m) {
        if constexpr (requires { m.baseTransfer.copCode; }) sender = m.baseTransfer.copCode.value;
      },
      message.body);
  return sender;
}

// A CEB900: the answer to bytes that are not a readable CEB message.
Receipt FormatFailure(std::string_view bytes, const std::vector<ceb::Finding>& findings, int64_t now_ms,
                      std::string_view source) {
  ceb::imp::CEB900Message r;
  r.guid = fmt::format("{:08X}-0000-4000-8000-{:012X}", static_cast<uint32_t>(BytesHash(bytes) >> 32),
                       BytesHash(bytes) & 0xFFFFFFFFFFFFULL);
  r.version = "1.0";
  auto& ret = r.messageReturn;
  ret.guid = r.guid.value;
  ret.returnStatus = "-1";
  std::string info = findings.empty() ? "not a CEB message" : findings.front().message;
  if (!findings.empty() && findings.front().line > 0) info = fmt::format("line {}: {}", findings.front().line, info);
  ret.returnInfo = info.substr(0, 4000);
  ret.returnTime = Timestamp::FromMillis(now_ms).Format(TimeFormat::kCompactMillis);
  ret.oriCopMsgId = std::string(source.substr(0, 36));
  ret.oriMessageType = "Unknown";
  ret.oriBizMessage = "";
  Receipt receipt;
  receipt.type = "CEB900Message";
  receipt.file_name = fmt::format("CEB900-{:016X}.xml", BytesHash(bytes));
  receipt.xml = ceb::WriteXml(ceb::Message{std::move(r)});
  return receipt;
}

}  // namespace

struct Engine::Impl {
  explicit Impl(store::Store& store, EngineOptions options)
      : core{store, std::move(options), {}, 1, {}}, writer(store, core.options.group_commit) {}

  EngineCore core;
  store::GroupCommitWriter writer;
  mutable std::mutex mu;
  Status failure;  // once the store failed, the in-memory state may be ahead of it: refuse input
  // Seqs decided but not yet durable (guarded by mu). A duplicate of one of
  // them must wait: answering it earlier would acknowledge a message that a
  // crash could still lose.
  std::set<int64_t> in_flight;
  std::condition_variable durable_cv;

  int64_t Now(int64_t business_ms) const {
    if (core.options.clock == ClockMode::kMessage) {
      return business_ms ? std::max(business_ms, core.state.last_business_ms) : core.state.last_business_ms;
    }
    return Timestamp::Now().millis();
  }

  // Applies one decoded message to the state. Used live and in replay.
  void Apply(Context& ctx, const ceb::Message& message, const std::vector<ceb::Finding>& findings) {
    if (message.info().side == ceb::Side::kImport) {
      internal::HandleImport(ctx, message, findings);
    } else {
      internal::HandleExport(ctx, message, findings);
    }
  }

  Result<Outcome> Commit(std::unique_lock<std::mutex>& lock, Context& ctx) {
    Outcome outcome;
    outcome.message_seq = ctx.seq();
    for (const Receipt& r : ctx.receipts()) {
      store::ReceiptRow row;
      row.message_seq = ctx.seq();
      row.type = r.type;
      row.name = r.file_name;
      row.xml = r.xml;
      ctx.batch().receipts.push_back(std::move(row));
    }
    outcome.receipts = std::move(ctx.receipts());
    core.counters.receipts += outcome.receipts.size();
    // Submitted under the lock, so the store sees batches in decision order.
    std::future<Status> durable = writer.Submit(std::move(ctx.batch()));
    in_flight.insert(ctx.seq());
    lock.unlock();
    Status s = durable.get();
    {
      std::lock_guard<std::mutex> relock(mu);
      in_flight.erase(ctx.seq());
      if (!s.ok()) failure = s;
    }
    durable_cv.notify_all();
    if (!s.ok()) return s;
    return outcome;
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Open(store::Store& store, EngineOptions options) {
  auto impl = std::make_unique<Impl>(store, std::move(options));
  EngineCore& core = impl->core;
  // Replay: the state is what the stored messages, in order, made it.
  ceb::Reader reader;
  const CodeTables& codes = CodeTables::Builtin();
  Status replayed = store.ForEachMessage(1, [&](store::MessageRow&& row) -> Status {
    core.next_seq = row.seq + 1;
    if (row.type == kTickType) {
      // A tick ran at the time it was given and did not move the message
      // clock (Engine::Tick); replay must do the same, or the messages after
      // it would be judged at another time than they were live.
      Context ctx(core, row.seq, core.options.clock == ClockMode::kMessage ? row.business_ms : row.received_ms,
                  /*replaying=*/true);
      internal::HandleTick(ctx);
      return Status::Ok();
    }
    const int64_t now = core.options.clock == ClockMode::kMessage
                            ? std::max(row.business_ms, core.state.last_business_ms)
                            : row.received_ms;
    if (row.business_ms) core.state.last_business_ms = std::max(core.state.last_business_ms, row.business_ms);
    Context ctx(core, row.seq, now, /*replaying=*/true);
    if (row.type == kDecisionType) {
      return internal::HandleDecision(ctx, nlohmann::json::parse(row.raw, nullptr, false));
    }
    ceb::CheckResult check = ceb::Check(reader, row.raw, codes, /*strict=*/false);
    if (!check.message) return Status::Corruption(fmt::format("stored message {} no longer reads", row.seq));
    core.state.guids[row.guid].push_back({row.seq, BytesHash(row.raw)});
    ++core.counters.messages;
    impl->Apply(ctx, *check.message, check.findings);
    return Status::Ok();
  });
  if (!replayed.ok()) return replayed;
  Result<int64_t> max_seq = store.MaxMessageSeq();
  if (!max_seq.ok()) return max_seq.status();
  core.next_seq = std::max(core.next_seq, *max_seq + 1);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Result<Outcome> Engine::Ingest(std::string_view bytes, std::string_view source) {
  thread_local ceb::Reader reader;
  // Decoding and validation run outside the lock, in the caller's thread.
  ceb::CheckResult check = ceb::Check(reader, bytes, CodeTables::Builtin(), /*strict=*/false);
  if (!check.message) {
    Outcome outcome;
    outcome.receipts.push_back(FormatFailure(bytes, check.findings, Timestamp::Now().millis(), source));
    return outcome;
  }
  const ceb::Message& message = *check.message;
  if (message.info().direction == ceb::Direction::kReceipt) {
    return Status::InvalidArgument(fmt::format("{} is a receipt; the engine takes declarations", message.info().root));
  }
  std::string guid;
  std::visit([&](const auto& m) { guid = m.guid.value; }, message.body);
  const uint64_t hash = BytesHash(bytes);
  const int64_t business_ms = MessageBusinessMs(bytes);

  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->failure.ok()) return impl_->failure;
  EngineCore& core = impl_->core;
  auto& seen = core.state.guids[guid];
  for (const auto& [seen_seq, h] : seen) {
    if (h != hash) continue;
    // The same message again: same receipts, no second effect -- once the
    // first one is durable (it may still be in the commit under way).
    const int64_t original = seen_seq;  // the wait below may reallocate `seen`
    impl_->durable_cv.wait(lock, [&] { return !impl_->in_flight.count(original) || !impl_->failure.ok(); });
    if (!impl_->failure.ok()) return impl_->failure;
    lock.unlock();
    Outcome outcome;
    outcome.message_seq = original;
    outcome.duplicate = true;
    Result<std::vector<store::ReceiptRow>> rows = core.store.ReceiptsForMessage(original);
    if (!rows.ok()) return rows.status();
    for (auto& r : *rows) outcome.receipts.push_back(Receipt{r.type, r.name, std::move(r.xml)});
    std::lock_guard<std::mutex> relock(impl_->mu);
    ++core.counters.duplicates;
    return outcome;
  }
  const int64_t seq = core.next_seq++;
  seen.push_back({seq, hash});
  const int64_t now = impl_->Now(business_ms);
  if (business_ms) core.state.last_business_ms = std::max(core.state.last_business_ms, business_ms);
  Context ctx(core, seq, now, /*replaying=*/false);
  store::MessageRow row;
  row.seq = seq;
  row.guid = guid;
  row.type = std::string(message.info().root);
  row.sender = SenderOf(message);
  row.source = std::string(source);
  row.received_ms = core.options.clock == ClockMode::kWall ? now : Timestamp::Now().millis();
  row.business_ms = business_ms;
  row.raw = std::string(bytes);
  ctx.batch().messages.push_back(std::move(row));
  ++core.counters.messages;
  impl_->Apply(ctx, message, check.findings);
  return impl_->Commit(lock, ctx);
}

Result<Outcome> Engine::Tick(int64_t now_ms) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->failure.ok()) return impl_->failure;
  EngineCore& core = impl_->core;
  bool due = false;
  for (const std::string& key : core.state.waiting) {
    const Doc* d = Context(core, 0, now_ms, true).Find(internal::kInventory, key);
    due = due || (d != nullptr && d->deadline_ms <= now_ms);
  }
  if (!due) return Outcome{};
  const int64_t seq = core.next_seq++;
  Context ctx(core, seq, now_ms, /*replaying=*/false);
  store::MessageRow row;
  row.seq = seq;
  row.guid = fmt::format("tick-{}", seq);
  row.type = std::string(kTickType);
  row.received_ms = now_ms;
  row.business_ms = core.options.clock == ClockMode::kMessage ? now_ms : 0;
  row.raw = fmt::format("{{\"now_ms\":{}}}", now_ms);
  ctx.batch().messages.push_back(std::move(row));
  internal::HandleTick(ctx);
  return impl_->Commit(lock, ctx);
}

Result<Outcome> Engine::Decide(std::string_view inventory_key, Decision decision, std::string_view officer,
                               std::string_view note) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  if (!impl_->failure.ok()) return impl_->failure;
  EngineCore& core = impl_->core;
  const nlohmann::json body = {{"inventory", inventory_key},
                               {"decision", DecisionName(decision)},
                               {"officer", officer},
                               {"note", note}};
  const int64_t now = impl_->Now(0);
  const int64_t seq = core.next_seq;
  Context ctx(core, seq, now, /*replaying=*/false);
  Status s = internal::HandleDecision(ctx, body);
  if (!s.ok()) return s;  // nothing changed: no seq used
  core.next_seq++;
  store::MessageRow row;
  row.seq = seq;
  row.guid = fmt::format("decision-{}", seq);
  row.type = std::string(kDecisionType);
  row.sender = std::string(officer);
  row.received_ms = now;
  row.business_ms = core.options.clock == ClockMode::kMessage ? now : 0;
  row.raw = body.dump();
  ctx.batch().messages.insert(ctx.batch().messages.begin(), std::move(row));
  return impl_->Commit(lock, ctx);
}

std::vector<PendingItem> Engine::Pending() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  std::vector<PendingItem> out;
  for (const auto& [id, d] : impl_->core.state.docs) {
    if (d.kind != internal::kInventory) continue;
    if (d.status != internal::kManualReview && d.status != internal::kInspection) continue;
    out.push_back({d.kind, d.key, d.status, d.risk_rule,
                   fmt::format("order {} buyer {} value {} CNY", d.order_no, d.buyer.name, d.goods_value.ToString(2))});
  }
  return out;
}

Engine::Counters Engine::counters() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->core.counters;
}

std::optional<Decision> DecisionFromName(std::string_view name) {
  if (name == "release") return Decision::kRelease;
  if (name == "detain" || name == "detain-clearance") return Decision::kDetainClearance;
  if (name == "detain-smuggling") return Decision::kDetainSmuggling;
  if (name == "detain-legal") return Decision::kDetainLegal;
  if (name == "detain-other") return Decision::kDetainOther;
  if (name == "return") return Decision::kReturn;
  return std::nullopt;
}

std::string_view DecisionName(Decision d) {
  switch (d) {
    case Decision::kRelease: return "release";
    case Decision::kDetainClearance: return "detain-clearance";
    case Decision::kDetainSmuggling: return "detain-smuggling";
    case Decision::kDetainLegal: return "detain-legal";
    case Decision::kDetainOther: return "detain-other";
    case Decision::kReturn: return "return";
  }
  return "release";
}

}  // namespace dryport::clearance
