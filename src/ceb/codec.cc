// Message-level entry points: type lookup, writing, JSON, schema validation.
#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "ceb/codec.h"
#include "ceb/codec_support.h"

namespace dryport::ceb {

const MessageInfo& Info(MessageType type) { return internal::kMessages[static_cast<int>(type)]; }

std::optional<MessageType> MessageTypeFromRoot(std::string_view root_name) {
  for (int i = 0; i < kMessageTypeCount; ++i) {
    if (internal::kMessages[i].root == root_name) return static_cast<MessageType>(i);
  }
  return std::nullopt;
}

std::optional<MessageType> MessageTypeFromCode(std::string_view code) {
  if (code.starts_with("CEB")) code.remove_prefix(3);
  if (code.ends_with("Message")) code.remove_suffix(7);
  for (int i = 0; i < kMessageTypeCount; ++i) {
    if (internal::kMessages[i].code == code) return static_cast<MessageType>(i);
  }
  return std::nullopt;
}

std::string_view LevelName(Level level) { return level == Level::kSchema ? "schema" : "document"; }
std::string_view SeverityName(Severity severity) { return severity == Severity::kError ? "error" : "warning"; }

void AssignLines(std::vector<Finding>& findings, std::string_view source) {
  // One pass over the text however many findings there are.
  std::vector<size_t> order(findings.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return findings[a].offset < findings[b].offset; });
  size_t pos = 0;
  int line = 1;
  for (size_t i : order) {
    Finding& f = findings[i];
    if (f.offset == 0) continue;
    const size_t target = std::min<size_t>(f.offset - 1, source.size());
    for (; pos < target; ++pos) line += source[pos] == '\n';
    f.line = line;
  }
}

bool ReadResult::HasErrors(bool strict) const {
  if (!message) return true;
  return std::any_of(findings.begin(), findings.end(),
                     [&](const Finding& f) { return strict || f.severity == Severity::kError; });
}

std::string WriteXml(const Message& message) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  const std::string root_name = "ceb:" + std::string(message.info().root);
  pugi::xml_node root = doc.append_child(root_name.c_str());
  internal::WriteContext ctx;
  internal::WriteBody(root, message.body, ctx);
  // Namespace declarations go after guid/version, as in the official samples.
  root.append_attribute("xmlns:ceb") = std::string(kCebNamespace).c_str();
  if (ctx.has_signature()) root.append_attribute("xmlns:ds") = std::string(kDsigNamespace).c_str();

  struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
  } writer;
  doc.save(writer, "\t", pugi::format_indent, pugi::encoding_utf8);
  return ctx.Splice(std::move(writer.out));
}

std::string ToJson(const Message& message, int indent) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  internal::BodyToJson(message.body, out[std::string(message.info().root)]);
  return out.dump(indent);
}

ReadResult FromJson(std::string_view json_text) {
  ReadResult result;
  nlohmann::ordered_json in;
  try {
    in = nlohmann::ordered_json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    Finding f;
    f.rule = "json.well-formed";
    f.path = "/";
    f.message = fmt::format("not well-formed JSON at byte {}: {}", e.byte, e.what());
    result.findings.push_back(std::move(f));
    return result;
  } catch (const nlohmann::json::exception& e) {
    // The parser throws more than parse_error: a number too large for a
    // double is out_of_range.406 (found by fuzz/ceb_json_fuzz).
    Finding f;
    f.rule = "json.well-formed";
    f.path = "/";
    f.message = fmt::format("not readable JSON: {}", e.what());
    result.findings.push_back(std::move(f));
    return result;
  }
  if (!in.is_object() || in.size() != 1) {
    Finding f;
    f.rule = "json.not-ceb";
    f.path = "/";
    f.message = "a CEB message in JSON is an object with one key, the message's root name (\"CEB311Message\")";
    result.findings.push_back(std::move(f));
    return result;
  }
  const std::string root = in.begin().key();
  const std::optional<MessageType> type = MessageTypeFromRoot(root);
  if (!type) {
    Finding f;
    f.rule = "json.not-ceb";
    f.path = "/" + root;
    f.message = fmt::format("{} is not a CEB message of the 2022-05 edition", root);
    result.findings.push_back(std::move(f));
    return result;
  }
  Message message;
  internal::JsonContext ctx(root, result.findings);
  internal::BodyFromJson(in.begin().value(), *type, message.body, ctx);
  result.message = std::move(message);
  return result;
}

void ValidateSchema(const Message& message, const CodeTables& codes, std::vector<Finding>& out) {
  internal::ValidateContext ctx(std::string(message.info().root), codes, out);
  internal::ValidateBody(message.body, ctx);
}

CheckResult Check(Reader& reader, std::string_view bytes, const CodeTables& codes, bool strict) {
  CheckResult check;
  ReadResult read = reader.Read(bytes);
  check.findings = std::move(read.findings);
  if (read.message) {
    const size_t first_new = check.findings.size();
    ValidateSchema(*read.message, codes, check.findings);
    ValidateDocument(*read.message, check.findings);
    std::vector<Finding> added(std::make_move_iterator(check.findings.begin() + first_new),
                               std::make_move_iterator(check.findings.end()));
    check.findings.resize(first_new);
    AssignLines(added, reader.source());
    for (auto& f : added) check.findings.push_back(std::move(f));
    check.message = std::move(read.message);
  }
  check.valid = check.message.has_value() &&
                std::none_of(check.findings.begin(), check.findings.end(),
                             [&](const Finding& f) { return strict || f.severity == Severity::kError; });
  return check;
}

}  // namespace dryport::ceb
