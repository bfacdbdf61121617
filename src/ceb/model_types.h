// Building blocks of the generated CEB message model (model.gen.h).
//
// A field's text is kept exactly as it appeared (no number parsing on read),
// so read -> write -> read is exact and a document-level rule can still say
// "totalPrice is 12000, qty x price is 2000". Typed views (Decimal, Timestamp)
// are taken where a rule needs them.
#ifndef DRYPORT_CEB_MODEL_TYPES_H_
#define DRYPORT_CEB_MODEL_TYPES_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace dryport::ceb {

// Where an element was in the UTF-8 text it was read from: 1 + the byte offset
// of its name, or 0 when it was not read from a text (built in code, or from
// JSON). Positions are not part of a message's meaning, so they compare equal.
struct SourcePos {
  uint32_t offset = 0;
  friend bool operator==(SourcePos, SourcePos) { return true; }
};

// The text of one simple element or attribute. `present` tells an absent
// element from an empty one (`<ceb:note></ceb:note>`).
struct Text {
  std::string value;
  SourcePos pos;
  bool present = false;

  Text() = default;
  Text(std::string v) : value(std::move(v)), present(true) {}  // NOLINT(google-explicit-constructor)
  Text(const char* v) : value(v), present(true) {}             // NOLINT(google-explicit-constructor)
  Text& operator=(std::string v) {
    value = std::move(v);
    present = true;
    return *this;
  }
  Text& operator=(const char* v) { return *this = std::string(v); }

  std::string_view view() const { return value; }
  // Absent, or present with no text.
  bool empty() const { return value.empty(); }
  void Clear() {
    value.clear();
    present = false;
  }

  friend bool operator==(const Text& a, const Text& b) {
    return a.present == b.present && a.value == b.value;
  }
};

// An element kept byte-exact as it was received: the ds:Signature block
// (a later signature check needs its exact bytes) or the free XML content of
// ExtendMessage/Message.
struct RawXml {
  std::string xml;
  SourcePos pos;
  bool present = false;

  friend bool operator==(const RawXml& a, const RawXml& b) {
    return a.present == b.present && a.xml == b.xml;
  }
};

enum class Side { kExport, kImport };
enum class Direction { kRequest, kReceipt };

}  // namespace dryport::ceb

#endif  // DRYPORT_CEB_MODEL_TYPES_H_
