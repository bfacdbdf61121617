#include "freight/internal/csv.h"

#include <fmt/format.h>

namespace dryport::freight::internal {

Result<std::vector<CsvRow>> ParseCsv(std::string_view text, std::string_view file_name) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int line = 1;
  row.line = 1;
  bool field_started = false;  // distinguishes an empty last field from no field
  size_t i = 0;
  const auto end_row = [&]() {
    if (field_started || !row.fields.empty()) {
      row.fields.push_back(std::move(field));
      bool blank = true;
      for (const auto& f : row.fields) blank = blank && f.empty();
      if (!blank) rows.push_back(std::move(row));  // ',,,' lines from spreadsheets too
    }
    row = CsvRow{};
    field.clear();
    field_started = false;
  };
  while (i < text.size()) {
    const char c = text[i];
    if (!field_started && row.fields.empty()) row.line = line;
    if (c == '"' && field.empty() && !field_started) {
      field_started = true;
      const int quote_line = line;
      ++i;
      for (;;) {
        if (i >= text.size()) {
          return Status::InvalidArgument(
              fmt::format("{}:{}: unterminated quoted field", file_name, quote_line));
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        return Status::InvalidArgument(
            fmt::format("{}:{}: text after a closing quote", file_name, line));
      }
      continue;
    }
    if (c == ',') {
      row.fields.push_back(std::move(field));
      field.clear();
      field_started = false;  // the next field may open with a quote
      ++i;
      continue;
    }
    if (c == '\r' || c == '\n') {
      end_row();
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++i;
      ++line;
      continue;
    }
    field_started = true;
    field += c;
    ++i;
  }
  end_row();
  return rows;
}

}  // namespace dryport::freight::internal
