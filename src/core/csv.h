// A small RFC 4180 CSV reader for dryport's data files (code tables, the
// corridor network, clearance rules).
//
// Thread-safety: a pure function.
#ifndef DRYPORT_CORE_CSV_H_
#define DRYPORT_CORE_CSV_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace dryport {

struct CsvRow {
  int line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

struct CsvOptions {
  // Lines whose first character is '#' are comments (provenance notes at the
  // top of our data files) and are skipped.
  bool hash_comments = false;
};

// Splits `text` (UTF-8, optional BOM, LF or CRLF) into rows. Quoted fields may
// hold commas, quotes ("") and newlines. Blank lines are skipped. Fails on an
// unterminated quote or text after a closing quote; the message names
// `file_name` and the line.
Result<std::vector<CsvRow>> ParseCsv(std::string_view text, std::string_view file_name,
                                     CsvOptions options = {});

}  // namespace dryport

#endif  // DRYPORT_CORE_CSV_H_
