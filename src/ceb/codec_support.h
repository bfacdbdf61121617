// Private to src/ceb: the shared mechanics that the generated per-type code
// (codec.gen.cc) calls. Field tables (FieldSpec/TypeSpec) are generated from
// the spec; the contexts below do the work common to every field.
#ifndef DRYPORT_CEB_CODEC_SUPPORT_H_
#define DRYPORT_CEB_CODEC_SUPPORT_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "ceb/codec.h"
#include "ceb/model.h"
#include "core/code_table.h"
#include "core/time.h"

namespace dryport::ceb::internal {

enum class FieldKind { kString, kDecimal, kInt, kElement, kSignature, kAny };

// One element or attribute of an XSD type, with its facets and the
// annotations (code table, timestamp format, closed value set).
// Member order matters: the generator uses designated initializers.
struct FieldSpec {
  std::string_view name = {};
  FieldKind kind = FieldKind::kString;
  int min_occurs = 1;
  int max_occurs = 1;  // -1 = unbounded
  int length = -1;
  int min_length = -1;
  int max_length = -1;
  int total_digits = -1;
  int fraction_digits = -1;
  bool collapse = false;
  std::string_view fixed = {};
  bool has_fixed = false;
  std::string_view default_value = {};
  bool has_default = false;
  std::string_view code_table = {};
  TimeFormat time_format = TimeFormat::kCompactSeconds;
  bool has_time_format = false;
  std::string_view values = {};  // '|'-separated closed set
  bool has_values = false;
  bool lenient_missing = false;  // absent is a warning: derivable, see annotations

  bool repeated() const { return max_occurs != 1; }
};

struct TypeSpec {
  std::string_view name;  // the XML element name
  std::span<const FieldSpec> fields;
  std::span<const FieldSpec> attributes;
};

inline constexpr size_t kMaxFields = 96;

// Per-element bookkeeping while reading its children in document order.
struct ChildCursor {
  explicit ChildCursor(const TypeSpec& t) : type(t) {}
  const TypeSpec& type;
  int next = 0;   // where the XSD sequence expects the next child
  int last = -1;  // highest field index seen so far
  std::array<uint16_t, kMaxFields> counts{};
  // first[i] is set when counts[i] becomes 1 and read only after that. Left
  // uninitialised on purpose: zeroing 96 nodes for every element read showed
  // in profiles, and only a duplicated element ever looks here.
  std::array<pugi::xml_node_struct*, kMaxFields> first;
};

class ReadContext {
 public:
  ReadContext(std::string_view source, std::vector<Finding>& findings)
      : source_(source), findings_(findings) {}

  // Namespaces bound at the root; elements are matched by namespace URI,
  // not by prefix.
  void BindRoot(pugi::xml_node root);
  bool root_unqualified() const { return root_unqualified_; }

  SourcePos Pos(pugi::xml_node node) const;
  // Index of `child` in the parent's field table, or -1 when it is not one of
  // its fields (text, comment, unknown or duplicated element: reported here).
  int MatchChild(pugi::xml_node parent, pugi::xml_node child, ChildCursor& cursor);
  void ReadText(pugi::xml_node element, Text& out);
  void ReadAttribute(pugi::xml_node element, const FieldSpec& spec, Text& out);
  void CheckAttributes(pugi::xml_node element, const TypeSpec& type);
  void ReadRawElement(pugi::xml_node element, RawXml& out);
  void ReadRawContent(pugi::xml_node element, RawXml& out);
  // Reports required child elements that never came.
  void FinishChildren(pugi::xml_node element, const ChildCursor& cursor);

  void Report(Severity severity, std::string rule, pugi::xml_node at, std::string message);

 private:
  std::string_view NamespaceOf(pugi::xml_node element, std::string_view prefix) const;
  size_t OffsetOf(pugi::xml_node node) const;
  // [start, end) of an element's bytes in source_, and of its content.
  bool Extent(pugi::xml_node element, size_t& start, size_t& content_start, size_t& content_end,
              size_t& end) const;

  std::string_view source_;
  std::vector<Finding>& findings_;
  std::string ceb_prefix_;  // the prefix the root binds to the CEB namespace ("" = default)
  bool ceb_prefix_bound_ = false;
  bool root_unqualified_ = false;
};

// XPath-like path of a node, e.g. /CEB311Message/Order[2]/OrderHead.
std::string PathOf(pugi::xml_node node);
std::string_view LocalName(std::string_view qname);

class WriteContext {
 public:
  pugi::xml_node AddChild(pugi::xml_node parent, const FieldSpec& spec);
  void WriteText(pugi::xml_node parent, const FieldSpec& spec, const Text& text);
  void WriteAttribute(pugi::xml_node element, const FieldSpec& spec, const Text& text);
  void WriteRawElement(pugi::xml_node parent, const RawXml& raw);
  void WriteRawContent(pugi::xml_node parent, const FieldSpec& spec, const RawXml& raw);

  // Raw blocks are written as comment markers and spliced in after
  // serialisation, so their bytes stay exact.
  std::string Splice(std::string serialized) const;
  bool has_signature() const { return has_signature_; }

 private:
  std::string name_;
  std::vector<const std::string*> raws_;
  bool has_signature_ = false;
};

class JsonContext {
 public:
  JsonContext(std::string root, std::vector<Finding>& findings) : path_("/" + root), findings_(findings) {}

  class Scope {
   public:
    Scope(std::string& path, size_t restore) : path_(path), restore_(restore) {}
    ~Scope() { path_.resize(restore_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::string& path_;
    size_t restore_;
  };
  Scope Enter(std::string_view key, int index);

  bool ExpectObject(const nlohmann::ordered_json& value, const TypeSpec& type);
  bool ExpectArray(const nlohmann::ordered_json& value, std::string_view key);
  int MatchKey(std::string_view key, const TypeSpec& type);
  void ReadText(const nlohmann::ordered_json& value, std::string_view key, Text& out);
  void ReadRaw(const nlohmann::ordered_json& value, std::string_view key, RawXml& out);

 private:
  void Report(std::string rule, std::string_view key, std::string message);
  std::string path_;
  std::vector<Finding>& findings_;
};

void JsonPutText(nlohmann::ordered_json& out, const char* key, const Text& text);
void JsonPutRaw(nlohmann::ordered_json& out, const char* key, const RawXml& raw);

class ValidateContext {
 public:
  ValidateContext(std::string root, const CodeTables& codes, std::vector<Finding>& findings)
      : path_("/" + root), codes_(codes), findings_(findings) {}

  class Scope {
   public:
    Scope(std::string& path, size_t restore) : path_(path), restore_(restore) {}
    ~Scope() { path_.resize(restore_); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    std::string& path_;
    size_t restore_;
  };
  // index is 1-based for repeated elements, 0 for single ones.
  Scope Enter(const FieldSpec& spec, size_t index);

  void CheckText(SourcePos parent, const FieldSpec& spec, const Text& text);
  void CheckAttribute(SourcePos element, const FieldSpec& spec, const Text& text);
  void CheckRaw(SourcePos parent, const FieldSpec& spec, const RawXml& raw);
  void CheckCount(SourcePos parent, const FieldSpec& spec, size_t count);
  // False when a required child element was missing in the source (the
  // reader reported it already; its fields would only repeat the news).
  bool CheckPresent(SourcePos parent, const FieldSpec& spec, SourcePos child) const;

 private:
  // The path of a finding below path_: "/name" or "/@name". Kept as parts
  // and joined only when there is a finding (most fields have none).
  struct Suffix {
    std::string_view name;
    bool attribute = false;
  };
  void CheckValue(SourcePos at, const FieldSpec& spec, std::string_view value, Suffix suffix);
  void Report(Severity severity, std::string rule, SourcePos at, Suffix suffix, std::string message);
  std::string path_;
  const CodeTables& codes_;
  std::vector<Finding>& findings_;
};

// Generated (codec.gen.cc): the per-type dispatch.
extern const MessageInfo kMessages[];
void ReadBody(pugi::xml_node root, MessageType type, MessageBody& body, ReadContext& ctx);
void WriteBody(pugi::xml_node root, const MessageBody& body, WriteContext& ctx);
void BodyToJson(const MessageBody& body, nlohmann::ordered_json& out);
void BodyFromJson(const nlohmann::ordered_json& in, MessageType type, MessageBody& body, JsonContext& ctx);
void ValidateBody(const MessageBody& body, ValidateContext& ctx);

}  // namespace dryport::ceb::internal

#endif  // DRYPORT_CEB_CODEC_SUPPORT_H_
