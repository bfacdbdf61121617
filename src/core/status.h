// Status and Result<T>: how dryport reports expected failures.
//
// Error policy (see docs/architecture.md):
//  - Expected failures (bad input, missing file, I/O error, a rule that says
//    no) are values: Status or Result<T>. Callers must look at them.
//  - Validation findings are data (ceb::Finding), not errors: a message with
//    findings was still read.
//  - Exceptions are used only at start-up (bad configuration) or for broken
//    invariants (a bug), never for control flow.
//
// Thread-safety: values; safe to copy and move between threads.
#ifndef DRYPORT_CORE_STATUS_H_
#define DRYPORT_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace dryport {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument,  // the input breaks a rule; the message says which
  kNotFound,
  kAlreadyExists,
  kIOError,
  kCorruption,  // stored data fails a check
  kUnsupported,
  kOutOfRange,
  kFailedPrecondition,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status IOError(std::string msg) { return {StatusCode::kIOError, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Unsupported(std::string msg) { return {StatusCode::kUnsupported, std::move(msg)}; }
  static Status OutOfRange(std::string msg) { return {StatusCode::kOutOfRange, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) { return {StatusCode::kFailedPrecondition, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "InvalidArgument: <message>", or "OK".
  std::string ToString() const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!status_.ok() && "a Result without a value needs a failed Status");
  }

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace dryport

// Returns early from a function returning Status or Result<T>.
#define DRYPORT_RETURN_IF_ERROR(expr)          \
  do {                                         \
    ::dryport::Status dryport_status_ = (expr); \
    if (!dryport_status_.ok()) return dryport_status_; \
  } while (0)

#endif  // DRYPORT_CORE_STATUS_H_
