// The CEB codec: reading, writing, JSON form and validation of China E-Port
// cross-border e-commerce messages (2022-05 edition).
//
//  - Reading is namespace-aware and prefix-agnostic, accepts a UTF-8 BOM, and
//    honours the declared encoding (GB2312/GBK/GB18030/CP936 are all decoded
//    as GB18030, their superset). It is lenient where the meaning is
//    unambiguous and reports each deviation as a warning with its path.
//  - Writing produces canonical messages (ceb: prefix, UTF-8, the XSD's
//    element order) that validate against the official XSDs; a signature is
//    written back byte-exact.
//  - ValidateSchema and ValidateDocument produce findings (finding.h).
//
// Thread-safety: Reader holds per-thread scratch state (parser, iconv handle,
// buffers): use one per thread. Everything else is a pure function.
#ifndef DRYPORT_CEB_CODEC_H_
#define DRYPORT_CEB_CODEC_H_

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ceb/finding.h"
#include "ceb/model.h"
#include "core/code_table.h"

namespace dryport::ceb {

inline constexpr std::string_view kCebNamespace = "http://www.chinaport.gov.cn/ceb";
inline constexpr std::string_view kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

struct ReadOptions {
  // Larger inputs are refused before parsing (a finding, not a crash).
  size_t max_bytes = 64u << 20;
};

struct ReadResult {
  std::optional<Message> message;  // empty when the input is not a readable CEB message
  std::vector<Finding> findings;   // reader findings, with line numbers

  bool HasErrors(bool strict) const;
};

class Reader {
 public:
  explicit Reader(ReadOptions options = {});
  ~Reader();
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  // Reads one message from raw file bytes.
  ReadResult Read(std::string_view bytes);

  // The UTF-8 text of the last Read (BOM removed, transcoded if needed):
  // finding offsets point into it.
  std::string_view source() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Canonical XML of a message.
std::string WriteXml(const Message& message);

// JSON form: {"CEB311Message": {"guid": ..., "Order": [{"OrderHead": {...}}]}}
// Field names are the standard's; every value is a string (exact decimals);
// repeated elements are arrays; a signature is its XML as a string.
std::string ToJson(const Message& message, int indent = 1);
// Reads the JSON form; findings name the JSON path of each problem.
ReadResult FromJson(std::string_view json_text);

// Schema-level checks on a model (presence, facets, code lists, timestamp
// formats). Offsets are set where the model came from a text.
void ValidateSchema(const Message& message, const CodeTables& codes, std::vector<Finding>& out);
// Document-level rules of the standard inside one message.
void ValidateDocument(const Message& message, std::vector<Finding>& out);

// Everything `dryport validate` does to one file's bytes: read, both levels
// of validation, line numbers.
struct CheckResult {
  std::optional<Message> message;
  std::vector<Finding> findings;
  bool valid = false;  // no error (and, when strict, no warning)
};
CheckResult Check(Reader& reader, std::string_view bytes, const CodeTables& codes, bool strict);

}  // namespace dryport::ceb

#endif  // DRYPORT_CEB_CODEC_H_
