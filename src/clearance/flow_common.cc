// What every flow shares: admission of a declaration, status moves with
// their receipts, rejections by return code.
#include <fmt/format.h>

#include "clearance/engine_internal.h"

namespace dryport::clearance::internal {

std::string Key(std::string_view a, std::string_view b) { return fmt::format("{}|{}", a, b); }

bool Live(const Doc* d) { return d != nullptr && (d->status == kDeclared || d->status == kAccepted); }

// Findings of one business element: `/CEB311Message/Order[2]` (the reader
// writes `/CEB311Message/Order` when there is only one).
std::string ElementError(const std::vector<ceb::Finding>& findings, std::string_view root, std::string_view element,
                         size_t index, size_t count) {
  std::string e = FirstError(findings, fmt::format("/{}/{}[{}]", root, element, index));
  if (e.empty() && count == 1) e = FirstError(findings, fmt::format("/{}/{}", root, element));
  return e;
}

void SendReceipt(Context& ctx, const Doc& d, int status, std::string_view info) {
  if (d.export_side) {
    SendExportReceipt(ctx, d, status, info);
  } else {
    SendImportReceipt(ctx, d, status, info);
  }
}

// Moves a document and answers its sender.
void Move(Context& ctx, Doc& d, int status, std::string_view rule, const std::string& info) {
  ctx.SetStatus(d, status, rule, info);
  if (status > 0) SendReceipt(ctx, d, status, info);
}

void Reject(Context& ctx, Doc& d, std::string_view code_id, std::string_view detail) {
  const ReturnCode& code = ctx.rules().Code(code_id);
  const std::string info = ctx.rules().Info(code_id, detail);
  if (code.customs) {
    Move(ctx, d, kRejected, code_id, info);
  } else {
    // An E-Port rejection: the negative code is the returnStatus. Of a
    // declaration that never became a document only the event is kept (a
    // live document of the same key stays as it is); a stored document
    // rejected later (the single limit, found at matching) ends here, with
    // the negative code as its terminal mark like kRevoked, so it neither
    // waits forever in 2 nor blocks a corrected declaration of its order.
    const int status = std::stoi(code.code);
    if (ctx.Find(d.kind, d.key) == &d) {
      ctx.SetStatus(d, status, code_id, info);
    } else {
      ctx.RecordEvent(d.kind, d.key, status, code_id, info);
    }
    SendReceipt(ctx, d, status, info);
  }
  ++ctx.core_counters().rejected;
}

// ---------------------------------------------------------------- admission

// What every declaration goes through: format, appType, appStatus, duplicates.
// Returns the stored document when it was accepted as declared (status 2).
Doc* Admit(Context& ctx, Doc incoming, const ceb::Text& app_type, const ceb::Text& app_status,
           const std::string& error) {
  if (!error.empty()) {
    Reject(ctx, incoming, "format", error);
    return nullptr;
  }
  Doc* existing = ctx.Find(incoming.kind, incoming.key);
  const std::string type = app_type.value.empty() ? "1" : app_type.value;
  const bool existing_live = existing != nullptr && existing->status >= kStaged;
  if (type == "1" && existing_live && existing->status != kStaged) {
    Reject(ctx, incoming, incoming.kind == kOrder ? "order-duplicate" : "duplicate-key",
           fmt::format("{} {} is already declared", incoming.kind, incoming.key));
    return nullptr;
  }
  if ((type == "2" || type == "3") && !existing_live) {
    Reject(ctx, incoming, "modify-unknown", fmt::format("{} {} was never declared", incoming.kind, incoming.key));
    return nullptr;
  }
  if ((type == "2" || type == "3") && existing->status >= kAccepted) {
    Reject(ctx, incoming, "order-declared",
           fmt::format("{} {} is already accepted by customs ({})", incoming.kind, incoming.key, existing->status));
    return nullptr;
  }
  if (type == "3") {
    Move(ctx, *existing, kDeleted, "app-type-3", "删除成功");
    SendReceipt(ctx, *existing, kDeclared, fmt::format("删除申报成功[{}]", existing->guid));
    return nullptr;
  }
  incoming.message_seq = ctx.seq();
  incoming.declared_ms = ctx.now_ms();
  Doc& d = ctx.Put(std::move(incoming));
  if (app_status.value == "1") {
    Move(ctx, d, kStaged, "app-status-1", "电子口岸已暂存");
    return nullptr;
  }
  Move(ctx, d, kDeclared, "accepted",
       fmt::format("{}申报成功[{}]", type == "2" ? "变更" : "新增", d.guid));
  return &d;
}

}  // namespace dryport::clearance::internal
