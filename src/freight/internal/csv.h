// A small RFC 4180 CSV reader for the network files (private to freight).
#ifndef DRYPORT_FREIGHT_INTERNAL_CSV_H_
#define DRYPORT_FREIGHT_INTERNAL_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dryport::freight::internal {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

// Splits `text` (UTF-8, optional BOM, LF or CRLF) into rows. Quoted fields may
// hold commas, quotes ("") and newlines. Blank lines are skipped. Fails on an
// unterminated quote or text after a closing quote.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text, std::string_view file_name);

}  // namespace dryport::freight::internal

#endif  // DRYPORT_FREIGHT_INTERNAL_CSV_H_
