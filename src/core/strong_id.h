// StrongId<Tag, Rep>: a distinct type per kind of domain key.
//
// An order number, a waybill number and an inventory number are all strings;
// mixing them up compiles silently. Wrapping each in its own StrongId makes the
// compiler refuse it:
//
//   using OrderNo = StrongId<struct OrderNoTag>;
//   using WaybillNo = StrongId<struct WaybillNoTag>;
//   void Match(const OrderNo&, const WaybillNo&);
//
// Construction is explicit; value() gives the representation back. Ids of the
// same type compare and hash like their Rep; there are no conversions between
// different Tags.
//
// Thread-safety and ownership: a value type that owns its Rep, like the Rep.
#ifndef DRYPORT_CORE_STRONG_ID_H_
#define DRYPORT_CORE_STRONG_ID_H_

#include <compare>
#include <cstddef>
#include <functional>
#include <ostream>
#include <string>
#include <utility>

namespace dryport {

template <typename Tag, typename Rep = std::string>
class StrongId {
 public:
  using rep_type = Rep;

  StrongId() = default;
  explicit StrongId(Rep value) : value_(std::move(value)) {}

  const Rep& value() const& { return value_; }
  Rep&& value() && { return std::move(value_); }

  friend bool operator==(const StrongId&, const StrongId&) = default;
  friend auto operator<=>(const StrongId&, const StrongId&) = default;

  friend std::ostream& operator<<(std::ostream& os, const StrongId& id) { return os << id.value_; }

 private:
  Rep value_{};
};

}  // namespace dryport

template <typename Tag, typename Rep>
struct std::hash<dryport::StrongId<Tag, Rep>> {
  size_t operator()(const dryport::StrongId<Tag, Rep>& id) const
      noexcept(noexcept(std::hash<Rep>{}(id.value()))) {
    return std::hash<Rep>{}(id.value());
  }
};

#endif  // DRYPORT_CORE_STRONG_ID_H_
