// The typed model of every CEB message of the 2022-05 edition (export and
// import schemas, requests and receipts). The structs are generated from
// src/ceb/spec/ceb-202205.json into model.gen.h: one struct per XSD element
// type, in namespace ceb::exp (export schema) or ceb::imp (import schema);
// members carry the standard's own field names (orderNo, acturalPaid).
// Repeated elements are std::vector, optional ones std::optional.
//
// Thread-safety: plain values. Ownership: a Message owns all its text.
#ifndef DRYPORT_CEB_MODEL_H_
#define DRYPORT_CEB_MODEL_H_

#include <optional>
#include <string_view>

#include "ceb/model.gen.h"
#include "ceb/model_types.h"

namespace dryport::ceb {

namespace internal {
struct TypeSpec;
}

// What the standard says about one message type.
struct MessageInfo {
  MessageType type;
  std::string_view code;  // "311"
  std::string_view root;  // "CEB311Message"
  Side side;
  Direction direction;
  std::string_view doc;  // the XSD's Chinese description
  const internal::TypeSpec* spec;
};

const MessageInfo& Info(MessageType type);
// "CEB311Message" -> kCeb311.
std::optional<MessageType> MessageTypeFromRoot(std::string_view root_name);
// "311" or "CEB311" -> kCeb311.
std::optional<MessageType> MessageTypeFromCode(std::string_view code);

// One CEB message of any type.
struct Message {
  MessageBody body;

  MessageType type() const { return static_cast<MessageType>(body.index()); }
  const MessageInfo& info() const { return Info(type()); }

  template <typename T>
  T* As() {
    return std::get_if<T>(&body);
  }
  template <typename T>
  const T* As() const {
    return std::get_if<T>(&body);
  }
  bool operator==(const Message&) const = default;
};

}  // namespace dryport::ceb

#endif  // DRYPORT_CEB_MODEL_H_
