// Code tables: the customs parameter lists (currency, country, unit, customs
// district, transport mode, trade mode, wrap type, id type, HS chapter) that
// CEB fields take their values from.
//
// Each table is one CSV file in data/codes/ (see data/codes/README.md):
//
//   # title: 币制 currency (JGS-20 numeric)
//   # source: ceb-messages.md §5; ...
//   # uncertain: why the whole table is in doubt      (optional)
//   code,name_zh,name_en,uncertain
//   142,人民币,Chinese yuan (CNY),0
//
// Leading '#' lines are comments; "title", "source" and "uncertain" keys are
// kept (a key may repeat; its lines are joined with a space). The header must
// be exactly `code,name_zh,name_en,uncertain`. Fields follow RFC 4180 (quoted
// fields may hold commas, doubled quotes and line breaks). Codes are non-empty
// ASCII letters and digits, unique within a table; `uncertain` is 0 or 1 and
// marks a row that no reference source confirms. A UTF-8 BOM and CRLF line
// ends are accepted. The table name is the file name without ".csv".
//
// CodeTables::Builtin() are the tables of data/codes compiled into the binary;
// LoadDir() reads a replacement folder at run time.
//
// Thread-safety: CodeTable and CodeTables are immutable after construction and
// safe to share between threads. Builtin() is initialised once, thread-safely,
// and lives until the program ends; pointers it returns stay valid that long.
// Pointers into other CodeTables stay valid while that object lives.
#ifndef DRYPORT_CORE_CODE_TABLE_H_
#define DRYPORT_CORE_CODE_TABLE_H_

#include <functional>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"

namespace dryport {

struct CodeEntry {
  std::string code, name_zh, name_en;
  bool uncertain = false;  // no reference source confirms this row
  int line = 0;            // line of the CSV the row starts on (for messages)
};

class CodeTable {
 public:
  // Parses one CSV. `origin` names the text in error messages ("path/x.csv");
  // messages read "<origin>:<line>: <problem>".
  static Result<CodeTable> Parse(std::string_view name, std::string_view csv_text,
                                 std::string_view origin);

  const std::string& name() const { return name_; }
  const std::string& title() const { return title_; }
  const std::string& source() const { return source_; }
  // The whole table is flagged (a "# uncertain:" line); uncertain_note() says why.
  bool uncertain() const { return !uncertain_note_.empty(); }
  const std::string& uncertain_note() const { return uncertain_note_; }

  // The entry for `code` (exact, case-sensitive match), or nullptr.
  const CodeEntry* Find(std::string_view code) const;
  bool Contains(std::string_view code) const { return Find(code) != nullptr; }
  // In file order.
  const std::vector<CodeEntry>& entries() const { return entries_; }

 private:
  std::string name_, title_, source_, uncertain_note_;
  std::vector<CodeEntry> entries_;
  std::map<std::string, size_t, std::less<>> index_;  // code -> position in entries_
};

class CodeTables {
 public:
  CodeTables() = default;  // no tables

  // The tables of data/codes embedded at build time, parsed on first use.
  // Throws std::logic_error if an embedded CSV does not parse (a build bug;
  // the core tests check every embedded table).
  static const CodeTables& Builtin();

  // Every *.csv in `dir` (not recursive). Errors: the folder is missing or
  // holds no .csv, a file cannot be read, or a CSV is malformed; the message
  // names file, line and problem. Tables absent from `dir` are absent from
  // the result (combine with Builtin() if a partial replacement is wanted).
  static Result<CodeTables> LoadDir(const std::string& dir);

  // One table from CSV text, for tests and tools.
  static Result<CodeTables> ParseCsv(std::string_view name, std::string_view csv_text,
                                     std::string_view origin = "<memory>");
  // Tables from {file name, content} pairs, e.g. embedded files; names must
  // end in ".csv".
  static Result<CodeTables> FromFiles(std::span<const EmbeddedFile> files);

  // The table called `table_name` (e.g. "currency"), or nullptr.
  const CodeTable* Find(std::string_view table_name) const;
  // Table names, sorted.
  std::vector<std::string> names() const;

 private:
  Status Add(CodeTable table, std::string_view origin);

  std::map<std::string, CodeTable, std::less<>> tables_;
};

}  // namespace dryport

#endif  // DRYPORT_CORE_CODE_TABLE_H_
