// Validation findings: data, not errors. A message with findings was still
// read (as far as it could be); the caller decides what a finding means.
#ifndef DRYPORT_CEB_FINDING_H_
#define DRYPORT_CEB_FINDING_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dryport::ceb {

// Which level of the standard a finding comes from.
//  kSchema:   what the official XSD requires (presence, length, digits, fixed
//             values, element order), plus code lists and timestamp formats;
//             also "is this a well-formed CEB message at all".
//  kDocument: the standard's rules inside one message that no schema can
//             express (totalPrice = qty x price, gnum 1..n, ...).
enum class Level { kSchema, kDocument };

//  kError:   the message breaks the standard.
//  kWarning: a deviation the reader resolved without guessing (a duplicated
//            identical BaseTransfer, a root named CEB214, an unsigned
//            payload). `dryport validate --strict` counts warnings as errors.
enum class Severity { kError, kWarning };

struct Finding {
  Level level = Level::kSchema;
  Severity severity = Severity::kError;
  std::string rule;     // stable id, e.g. "schema.max-length", "doc.total-price"
  std::string path;     // e.g. /CEB311Message/Order[2]/OrderHead/buyerIdNumber
  std::string message;  // plain words: what is wrong and what was expected
  uint32_t offset = 0;  // 1 + byte offset in the UTF-8 source; 0 = unknown
  int line = 0;         // 1-based; 0 = unknown (e.g. read from JSON)
};

std::string_view LevelName(Level level);        // "schema" / "document"
std::string_view SeverityName(Severity severity);  // "error" / "warning"

// Fills `line` of every finding from its offset into `source`.
void AssignLines(std::vector<Finding>& findings, std::string_view source);

}  // namespace dryport::ceb

#endif  // DRYPORT_CEB_FINDING_H_
