#include "ceb/codec_support.h"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <limits>

#include <fmt/format.h>

#include "core/decimal.h"

namespace dryport::ceb::internal {
namespace {

// Characters, as the XSD length facets count them: UTF-8 code points.
size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsXmlSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsXmlSpace(s.back())) s.remove_suffix(1);
  return s;
}

// xs:whiteSpace="collapse": trim, and runs of white space become one space.
std::string_view Collapse(std::string_view s, std::string& scratch) {
  s = Trim(s);
  bool needs_copy = false;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsXmlSpace(s[i]) && (s[i] != ' ' || (i + 1 < s.size() && IsXmlSpace(s[i + 1])))) {
      needs_copy = true;
      break;
    }
  }
  if (!needs_copy) return s;
  scratch.clear();
  bool in_space = false;
  for (char c : s) {
    if (IsXmlSpace(c)) {
      in_space = true;
      continue;
    }
    if (in_space) scratch.push_back(' ');
    in_space = false;
    scratch.push_back(c);
  }
  return scratch;
}

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (same ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

// " (did you mean 'consignee'?)" for a misspelt element or key.
std::string Suggestion(std::string_view name, const TypeSpec& type) {
  std::string_view best;
  size_t best_distance = 3;
  auto consider = [&](const FieldSpec& f) {
    const size_t d = EditDistance(name, f.name);
    if (d < best_distance) {
      best_distance = d;
      best = f.name;
    }
  };
  for (const auto& f : type.fields) consider(f);
  for (const auto& f : type.attributes) consider(f);
  if (best.empty()) return {};
  return fmt::format(" (did you mean '{}'?)", best);
}

std::string_view PrefixOf(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
}

// A qualified name split at its first ':' in one inline pass. Element names
// are short; strlen + memchr calls for every element showed in profiles.
void SplitQName(const char* qname, std::string_view& prefix, std::string_view& local) {
  const char* colon = nullptr;
  const char* end = qname;
  for (; *end != '\0'; ++end) {
    if (*end == ':' && colon == nullptr) colon = end;
  }
  if (colon == nullptr || colon == qname) {
    // ":name" has an empty prefix and, as before, keeps its colon in `local`.
    prefix = {};
    local = std::string_view(qname, static_cast<size_t>(end - qname));
  } else {
    prefix = std::string_view(qname, static_cast<size_t>(colon - qname));
    local = std::string_view(colon + 1, static_cast<size_t>(end - colon - 1));
  }
}

// a == b for short names, without a call to memcmp.
inline bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

std::string Serialize(pugi::xml_node node) {
  struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
  } writer;
  node.print(writer, "", pugi::format_raw);
  return std::move(writer.out);
}

}  // namespace

std::string_view LocalName(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

std::string PathOf(pugi::xml_node node) {
  std::vector<std::string> parts;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    const std::string_view local = LocalName(n.name());
    int index = 0;
    int total = 0;
    for (pugi::xml_node s = n.parent().first_child(); s; s = s.next_sibling()) {
      if (s.type() != pugi::node_element || LocalName(s.name()) != local) continue;
      ++total;
      if (s == n) index = total;
    }
    parts.push_back(total > 1 ? fmt::format("{}[{}]", local, index) : std::string(local));
  }
  std::string path;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    path += '/';
    path += *it;
  }
  return path;
}

// ---------------------------------------------------------------- reading

void ReadContext::BindRoot(pugi::xml_node root) {
  const std::string_view prefix = PrefixOf(root.name());
  const std::string_view ns = NamespaceOf(root, prefix);
  if (ns == kCebNamespace) {
    ceb_prefix_ = std::string(prefix);
    ceb_prefix_bound_ = true;
  } else if (ns.empty()) {
    root_unqualified_ = true;
  }
}

size_t ReadContext::OffsetOf(pugi::xml_node node) const {
  const ptrdiff_t offset = node.offset_debug();
  return offset < 0 ? 0 : static_cast<size_t>(offset);
}

SourcePos ReadContext::Pos(pugi::xml_node node) const {
  return SourcePos{static_cast<uint32_t>(OffsetOf(node) + 1)};
}

std::string_view ReadContext::NamespaceOf(pugi::xml_node element, std::string_view prefix) const {
  const std::string attr = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
  for (pugi::xml_node n = element; n && n.type() == pugi::node_element; n = n.parent()) {
    if (!n.first_attribute()) continue;
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
  }
  return {};
}

void ReadContext::Report(Severity severity, std::string rule, pugi::xml_node at, std::string message) {
  Finding f;
  f.level = Level::kSchema;
  f.severity = severity;
  f.rule = std::move(rule);
  f.path = PathOf(at.type() == pugi::node_element ? at : at.parent());
  f.message = std::move(message);
  f.offset = static_cast<uint32_t>(OffsetOf(at) + 1);
  findings_.push_back(std::move(f));
}

int ReadContext::MatchChild(pugi::xml_node /*parent*/, pugi::xml_node child, ChildCursor& cursor) {
  switch (child.type()) {
    case pugi::node_element:
      break;
    case pugi::node_pcdata:
    case pugi::node_cdata: {
      const std::string_view text = Trim(child.value());
      if (!text.empty()) {
        Report(Severity::kWarning, "schema.stray-text", child,
               fmt::format("text '{}' stands between the elements of {} and is ignored",
                           text.substr(0, 60), cursor.type.name));
      }
      return -1;
    }
    default:
      return -1;  // comments and processing instructions carry no data
  }

  std::string_view prefix;
  std::string_view local;
  SplitQName(child.name(), prefix, local);
  const auto fields = cursor.type.fields;
  const int n = static_cast<int>(fields.size());

  int idx = -1;
  if (cursor.last >= 0 && SameName(fields[cursor.last].name, local)) {
    idx = cursor.last;  // another of a repeated element
  } else if (cursor.last + 1 < n && SameName(fields[cursor.last + 1].name, local)) {
    idx = cursor.last + 1;  // the next in sequence: the common case
  } else {
    for (int i = 0; i < n; ++i) {
      if (SameName(fields[i].name, local)) {
        idx = i;
        break;
      }
    }
  }
  if (idx < 0) {
    Report(Severity::kError, "schema.unknown-element", child,
           fmt::format("{} is not an element of {}{}; it is ignored", local, cursor.type.name,
                       Suggestion(local, cursor.type)));
    return -1;
  }
  const FieldSpec& spec = fields[idx];

  // Namespace: by URI, whatever the prefix. The fast path is the prefix the
  // root bound to the CEB namespace, when the element declares nothing itself.
  const std::string_view want = spec.kind == FieldKind::kSignature ? kDsigNamespace : kCebNamespace;
  std::string_view ns;
  if (ceb_prefix_bound_ && SameName(prefix, ceb_prefix_) && !child.first_attribute() && want == kCebNamespace) {
    ns = kCebNamespace;
  } else {
    ns = NamespaceOf(child, prefix);
  }
  if (ns != want) {
    if (ns.empty() && root_unqualified_) {
      // The whole message is without namespace: reported once, at the root.
    } else if (ns.empty()) {
      Report(Severity::kWarning, "schema.namespace", child,
             fmt::format("{} has no namespace; expected {}", local, want));
    } else {
      Report(Severity::kError, "schema.namespace", child,
             fmt::format("{} is in namespace '{}', expected '{}'; it is ignored", local, ns, want));
      return -1;
    }
  }

  if (idx < cursor.last) {
    Report(Severity::kWarning, "schema.order", child,
           fmt::format("{} comes after {}, but the XSD puts it before", local, fields[cursor.last].name));
  }
  cursor.last = std::max(cursor.last, idx);

  if (++cursor.counts[idx] == 1) {
    cursor.first[idx] = child.internal_object();
  } else if (!spec.repeated()) {
    if (Serialize(child) == Serialize(pugi::xml_node(cursor.first[idx]))) {
      Report(Severity::kWarning, "schema.duplicate-element", child,
             fmt::format("{} appears again with the same content; the copy is ignored", local));
    } else {
      Report(Severity::kError, "schema.duplicate-element", child,
             fmt::format("{} may appear once but appears again with different content; only the first is read",
                         local));
    }
    return -1;
  }
  return idx;
}

void ReadContext::FinishChildren(pugi::xml_node element, const ChildCursor& cursor) {
  const auto fields = cursor.type.fields;
  for (size_t i = 0; i < fields.size(); ++i) {
    const FieldSpec& f = fields[i];
    if (f.kind != FieldKind::kElement || f.min_occurs == 0 || cursor.counts[i] > 0) continue;
    Report(Severity::kError, "schema.required", element,
           fmt::format("{} requires a {} element; there is none", cursor.type.name, f.name));
  }
}

void ReadContext::ReadText(pugi::xml_node element, Text& out) {
  out.pos = Pos(element);
  out.present = true;
  pugi::xml_node c = element.first_child();
  if (!c) {
    out.value.clear();
    return;
  }
  if (c.type() == pugi::node_pcdata && !c.next_sibling()) {
    out.value.assign(c.value());
    return;
  }
  out.value.clear();
  for (; c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      out.value += c.value();
    } else if (c.type() == pugi::node_element) {
      Report(Severity::kError, "schema.unexpected-child", c,
             fmt::format("{} holds text only; the element {} inside it is ignored", LocalName(element.name()),
                         LocalName(c.name())));
    }
  }
}

void ReadContext::ReadAttribute(pugi::xml_node element, const FieldSpec& spec, Text& out) {
  if (pugi::xml_attribute a = element.attribute(spec.name.data())) {
    out.value.assign(a.value());
    out.present = true;
    out.pos = Pos(element);
  }
}

void ReadContext::CheckAttributes(pugi::xml_node element, const TypeSpec& type) {
  for (pugi::xml_attribute a = element.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view name = a.name();
    if (name == "xmlns" || name.starts_with("xmlns:") || name.starts_with("xsi:")) continue;
    bool known = false;
    for (const auto& f : type.attributes) known = known || f.name == name;
    if (!known) {
      Report(Severity::kWarning, "schema.unknown-attribute", element,
             fmt::format("attribute {} is not part of {}; it is ignored", name, type.name));
    }
  }
}

bool ReadContext::Extent(pugi::xml_node element, size_t& start, size_t& content_start, size_t& content_end,
                         size_t& end) const {
  start = OffsetOf(element);
  if (start == 0 || start > source_.size() || source_[start - 1] != '<') return false;
  --start;
  const std::string_view qname = element.name();
  // The end of a start tag: the first '>' outside a quoted attribute value.
  auto tag_end = [&](size_t i) -> size_t {
    char quote = 0;
    for (; i < source_.size(); ++i) {
      const char c = source_[i];
      if (quote) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '>') {
        return i;
      }
    }
    return std::string_view::npos;
  };
  const size_t open_end = tag_end(start + 1);
  if (open_end == std::string_view::npos) return false;
  if (source_[open_end - 1] == '/') {
    content_start = content_end = end = open_end + 1;
    return true;
  }
  content_start = open_end + 1;
  // Find the matching end tag, counting nested elements of the same name.
  auto is_name_end = [&](size_t i) {
    return i < source_.size() && (IsXmlSpace(source_[i]) || source_[i] == '>' || source_[i] == '/');
  };
  int depth = 1;
  size_t i = content_start;
  while (true) {
    i = source_.find('<', i);
    if (i == std::string_view::npos) return false;
    if (source_.compare(i + 1, 1, "/") == 0 && source_.compare(i + 2, qname.size(), qname) == 0 &&
        is_name_end(i + 2 + qname.size())) {
      if (--depth == 0) {
        content_end = i;
        end = source_.find('>', i);
        if (end == std::string_view::npos) return false;
        ++end;
        return true;
      }
    } else if (source_.compare(i + 1, qname.size(), qname) == 0 && is_name_end(i + 1 + qname.size())) {
      const size_t e = tag_end(i + 1);
      if (e != std::string_view::npos && source_[e - 1] != '/') ++depth;
    }
    ++i;
  }
}

void ReadContext::ReadRawElement(pugi::xml_node element, RawXml& out) {
  size_t start = 0, cstart = 0, cend = 0, end = 0;
  out.pos = Pos(element);
  out.present = true;
  if (Extent(element, start, cstart, cend, end)) {
    out.xml.assign(source_.substr(start, end - start));
  } else {
    out.xml = Serialize(element);  // cannot happen for parsed input; keep the content at least
  }
}

void ReadContext::ReadRawContent(pugi::xml_node element, RawXml& out) {
  size_t start = 0, cstart = 0, cend = 0, end = 0;
  out.pos = Pos(element);
  out.present = true;
  if (Extent(element, start, cstart, cend, end)) {
    out.xml.assign(Trim(source_.substr(cstart, cend - cstart)));
  } else {
    out.xml.clear();
    for (pugi::xml_node c = element.first_child(); c; c = c.next_sibling()) out.xml += Serialize(c);
  }
}

// ---------------------------------------------------------------- writing

pugi::xml_node WriteContext::AddChild(pugi::xml_node parent, const FieldSpec& spec) {
  name_.assign("ceb:");
  name_.append(spec.name);
  return parent.append_child(name_.c_str());
}

void WriteContext::WriteText(pugi::xml_node parent, const FieldSpec& spec, const Text& text) {
  if (!text.present) return;
  pugi::xml_node child = AddChild(parent, spec);
  if (!text.value.empty()) child.text().set(text.value.c_str());
}

void WriteContext::WriteAttribute(pugi::xml_node element, const FieldSpec& spec, const Text& text) {
  if (!text.present) return;
  element.append_attribute(std::string(spec.name).c_str()).set_value(text.value.c_str());
}

void WriteContext::WriteRawElement(pugi::xml_node parent, const RawXml& raw) {
  if (!raw.present) return;
  has_signature_ = true;
  const std::string marker = fmt::format("dryport-raw:{}", raws_.size());
  parent.append_child(pugi::node_comment).set_value(marker.c_str());
  raws_.push_back(&raw.xml);
}

void WriteContext::WriteRawContent(pugi::xml_node parent, const FieldSpec& spec, const RawXml& raw) {
  pugi::xml_node child = AddChild(parent, spec);
  if (!raw.present || raw.xml.empty()) return;
  const std::string marker = fmt::format("dryport-raw:{}", raws_.size());
  child.append_child(pugi::node_comment).set_value(marker.c_str());
  raws_.push_back(&raw.xml);
}

std::string WriteContext::Splice(std::string serialized) const {
  if (raws_.empty()) return serialized;
  static constexpr std::string_view kOpen = "<!--dryport-raw:";
  std::string out;
  out.reserve(serialized.size());
  size_t i = 0;
  while (true) {
    const size_t at = serialized.find(kOpen, i);
    if (at == std::string::npos) break;
    const size_t close = serialized.find("-->", at);
    size_t index = 0;
    std::from_chars(serialized.data() + at + kOpen.size(), serialized.data() + close, index);
    out.append(serialized, i, at - i);
    out += *raws_.at(index);
    i = close + 3;
  }
  out.append(serialized, i, std::string::npos);
  return out;
}

// ---------------------------------------------------------------- JSON

JsonContext::Scope JsonContext::Enter(std::string_view key, int index) {
  const size_t restore = path_.size();
  path_ += '/';
  path_ += key;
  if (index > 0) path_ += fmt::format("[{}]", index);
  return Scope(path_, restore);
}

void JsonContext::Report(std::string rule, std::string_view key, std::string message) {
  Finding f;
  f.level = Level::kSchema;
  f.severity = Severity::kError;
  f.rule = std::move(rule);
  f.path = key.empty() ? path_ : path_ + "/" + std::string(key);
  f.message = std::move(message);
  findings_.push_back(std::move(f));
}

bool JsonContext::ExpectObject(const nlohmann::ordered_json& value, const TypeSpec& type) {
  if (value.is_object()) return true;
  Report("json.type", {}, fmt::format("{} must be a JSON object, is {}", type.name, value.type_name()));
  return false;
}

bool JsonContext::ExpectArray(const nlohmann::ordered_json& value, std::string_view key) {
  if (value.is_array()) return true;
  Report("json.type", key, fmt::format("{} repeats, so it must be a JSON array, is {}", key, value.type_name()));
  return false;
}

int JsonContext::MatchKey(std::string_view key, const TypeSpec& type) {
  int i = 0;
  for (const auto& a : type.attributes) {
    if (a.name == key) return i;
    ++i;
  }
  for (const auto& f : type.fields) {
    if (f.name == key) return i;
    ++i;
  }
  Report("json.unknown-key", key,
         fmt::format("{} is not a field of {}{}", key, type.name, Suggestion(key, type)));
  return -1;
}

void JsonContext::ReadText(const nlohmann::ordered_json& value, std::string_view key, Text& out) {
  if (value.is_string()) {
    out = value.get<std::string>();
  } else if (value.is_number_integer()) {
    out = value.dump();
  } else if (value.is_null()) {
    // null: the field is absent
  } else if (value.is_number_float()) {
    Report("json.type", key,
           fmt::format("{} is a JSON floating-point number; write decimals as strings (\"12.50\") so they stay "
                       "exact",
                       key));
  } else {
    Report("json.type", key, fmt::format("{} must be a string, is {}", key, value.type_name()));
  }
}

void JsonContext::ReadRaw(const nlohmann::ordered_json& value, std::string_view key, RawXml& out) {
  if (value.is_string()) {
    const std::string& xml = value.get_ref<const std::string&>();
    // WriteXml splices raw XML in byte for byte, so XML that does not parse
    // on its own would make the whole written message unreadable (found by
    // fuzz/ceb_json_fuzz). A NUL would end pugixml's view of the text early.
    if (xml.find('\0') != std::string::npos) {
      Report("json.xml", key, fmt::format("{} must be well-formed XML, and holds a NUL character", key));
      return;
    }
    pugi::xml_document fragment;
    const pugi::xml_parse_result parsed = fragment.load_buffer(
        xml.data(), xml.size(), pugi::parse_default | pugi::parse_fragment, pugi::encoding_utf8);
    if (!parsed) {
      Report("json.xml", key,
             fmt::format("{} must be well-formed XML: {} at offset {}", key, parsed.description(), parsed.offset));
      return;
    }
    out.xml = xml;
    out.present = true;
  } else if (!value.is_null()) {
    Report("json.type", key, fmt::format("{} must be a string of XML, is {}", key, value.type_name()));
  }
}

void JsonPutText(nlohmann::ordered_json& out, const char* key, const Text& text) {
  if (text.present) out[key] = text.value;
}

void JsonPutRaw(nlohmann::ordered_json& out, const char* key, const RawXml& raw) {
  if (raw.present) out[key] = raw.xml;
}

// ---------------------------------------------------------------- validation

ValidateContext::Scope ValidateContext::Enter(const FieldSpec& spec, size_t index) {
  const size_t restore = path_.size();
  path_ += '/';
  path_ += spec.name;
  if (index > 0 && spec.repeated()) fmt::format_to(std::back_inserter(path_), "[{}]", index);
  return Scope(path_, restore);
}

void ValidateContext::Report(Severity severity, std::string rule, SourcePos at, Suffix suffix,
                             std::string message) {
  Finding f;
  f.level = Level::kSchema;
  f.severity = severity;
  f.rule = std::move(rule);
  f.path = path_;
  f.path += suffix.attribute ? "/@" : "/";
  f.path += suffix.name;
  f.message = std::move(message);
  f.offset = at.offset;
  findings_.push_back(std::move(f));
}

void ValidateContext::CheckText(SourcePos parent, const FieldSpec& spec, const Text& text) {
  const Suffix suffix{spec.name};
  if (!text.present) {
    if (spec.min_occurs > 0) {
      Report(spec.lenient_missing ? Severity::kWarning : Severity::kError, "schema.required", parent, suffix,
             fmt::format("{} is required", spec.name));
    }
    return;
  }
  CheckValue(text.pos.offset ? text.pos : parent, spec, text.value, suffix);
}

void ValidateContext::CheckAttribute(SourcePos element, const FieldSpec& spec, const Text& text) {
  const Suffix suffix{spec.name, /*attribute=*/true};
  if (!text.present) {
    if (spec.min_occurs > 0) {
      Report(Severity::kError, "schema.required", element, suffix, fmt::format("attribute {} is required", spec.name));
    }
    return;
  }
  CheckValue(element, spec, text.value, suffix);
}

void ValidateContext::CheckValue(SourcePos at, const FieldSpec& spec, std::string_view value, Suffix suffix) {
  std::string scratch;
  std::string_view v = value;
  if (spec.kind != FieldKind::kString || spec.collapse) v = Collapse(v, scratch);
  if (v.empty() && spec.has_default) v = spec.default_value;

  switch (spec.kind) {
    case FieldKind::kString: {
      const size_t n = CodePoints(v);
      if (spec.length >= 0 && n != static_cast<size_t>(spec.length)) {
        Report(Severity::kError, "schema.length", at, suffix,
               fmt::format("{} must be exactly {} characters, '{}' has {}", spec.name, spec.length, v, n));
      }
      if (spec.min_length >= 0 && n < static_cast<size_t>(spec.min_length)) {
        Report(Severity::kError, "schema.min-length", at, suffix,
               fmt::format("{} must have at least {} characters, has {}", spec.name, spec.min_length, n));
      }
      if (spec.max_length >= 0 && n > static_cast<size_t>(spec.max_length)) {
        Report(Severity::kError, "schema.max-length", at, suffix,
               fmt::format("{} may have at most {} characters, has {}", spec.name, spec.max_length, n));
      }
      break;
    }
    case FieldKind::kDecimal: {
      Result<Decimal> d = Decimal::Parse(v);
      if (!d.ok()) {
        Report(Severity::kError, "schema.decimal", at, suffix,
               fmt::format("{} must be a decimal number, is '{}'", spec.name, v));
        return;
      }
      const int total = spec.total_digits >= 0 ? spec.total_digits : 38;
      const int fraction = spec.fraction_digits >= 0 ? spec.fraction_digits : 38;
      if (!d->FitsDigits(total, fraction)) {
        Report(Severity::kError, "schema.decimal-digits", at, suffix,
               fmt::format("{} '{}' has {} digits ({} after the point); at most {} ({} after the point) allowed",
                           spec.name, v, d->TotalDigits(), d->FractionDigits(), total, fraction));
      }
      break;
    }
    case FieldKind::kInt: {
      std::string_view digits = v;
      if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) digits.remove_prefix(1);
      int64_t parsed = 0;
      const auto [ptr, ec] = std::from_chars(v.data() + (v.size() - digits.size()), v.data() + v.size(), parsed);
      const bool ok = !digits.empty() && ec == std::errc() && ptr == v.data() + v.size() &&
                      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (!ok || parsed > std::numeric_limits<int32_t>::max() || parsed < std::numeric_limits<int32_t>::min()) {
        Report(Severity::kError, "schema.int", at, suffix,
               fmt::format("{} must be a whole number (xs:int), is '{}'", spec.name, v));
        return;
      }
      size_t significant = digits.size();
      while (significant > 1 && digits[digits.size() - significant] == '0') --significant;
      if (spec.total_digits >= 0 && significant > static_cast<size_t>(spec.total_digits)) {
        Report(Severity::kError, "schema.decimal-digits", at, suffix,
               fmt::format("{} '{}' has more than {} digits", spec.name, v, spec.total_digits));
      }
      break;
    }
    default:
      return;
  }

  if (spec.has_fixed && v != spec.fixed) {
    Report(Severity::kError, "schema.fixed", at, suffix,
           fmt::format("{} must be '{}', is '{}'", spec.name, spec.fixed, v));
  }
  if (v.empty()) return;  // an empty optional value names no code and no time
  if (spec.has_values) {
    bool found = false;
    std::string_view rest = spec.values;
    while (!found) {
      const size_t bar = rest.find('|');
      found = rest.substr(0, bar) == v;
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
    if (!found) {
      std::string allowed(spec.values);
      std::replace(allowed.begin(), allowed.end(), '|', ' ');
      Report(Severity::kError, "schema.code", at, suffix,
             fmt::format("{} '{}' is not one of the standard's values: {}", spec.name, v, allowed));
    }
  }
  if (!spec.code_table.empty()) {
    const CodeTable* table = codes_.Find(spec.code_table);
    if (table != nullptr && !table->Contains(v)) {
      Report(Severity::kError, "schema.code", at, suffix,
             fmt::format("{} '{}' is not in the {} code table (data/codes/{}.csv)", spec.name, v, spec.code_table,
                         spec.code_table));
    }
  }
  if (spec.has_time_format) {
    Result<Timestamp> t = Timestamp::Parse(v, spec.time_format);
    if (!t.ok()) {
      Report(Severity::kError, "schema.time-format", at, suffix,
             fmt::format("{} '{}' is not a {} time: {}", spec.name, v, TimeFormatName(spec.time_format),
                         t.status().message()));
    }
  }
}

void ValidateContext::CheckRaw(SourcePos parent, const FieldSpec& spec, const RawXml& raw) {
  if (raw.present || spec.min_occurs == 0) return;
  const Suffix suffix{spec.name};
  if (spec.kind == FieldKind::kSignature) {
    // An unsigned payload is still a readable message (the signature is added
    // by the declaring client just before sending); see docs/ceb-codec.md.
    Report(Severity::kWarning, "schema.signature-missing", parent, suffix,
           "the XSD requires ds:Signature here; this is an unsigned payload");
  } else {
    Report(Severity::kError, "schema.required", parent, suffix, fmt::format("{} is required", spec.name));
  }
}

void ValidateContext::CheckCount(SourcePos parent, const FieldSpec& spec, size_t count) {
  const Suffix suffix{spec.name};
  if (count < static_cast<size_t>(spec.min_occurs)) {
    Report(Severity::kError, "schema.required", parent, suffix,
           fmt::format("at least {} {} required, found {}", spec.min_occurs, spec.name, count));
  }
  if (spec.max_occurs >= 0 && count > static_cast<size_t>(spec.max_occurs)) {
    Report(Severity::kError, "schema.max-occurs", parent, suffix,
           fmt::format("at most {} {} allowed, found {}", spec.max_occurs, spec.name, count));
  }
}

bool ValidateContext::CheckPresent(SourcePos parent, const FieldSpec& /*spec*/, SourcePos child) const {
  return !(parent.offset != 0 && child.offset == 0);
}

}  // namespace dryport::ceb::internal
