#include "core/code_table.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <fmt/format.h>

namespace dryport {

namespace internal {
// Defined in code_tables_data.gen.cc, generated from data/codes/*.csv by
// tools/embed_files.py (see src/core/CMakeLists.txt).
std::span<const EmbeddedFile> BuiltinCodeTableFiles();
}  // namespace internal

namespace {

constexpr std::string_view kHeader = "code,name_zh,name_en,uncertain";

// The first problem found, as "<origin>:<line>: <what>".
Status CsvError(std::string_view origin, int line, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}:{}: {}", origin, line, what));
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Length of the valid UTF-8 prefix of `s` (== s.size() when all valid).
size_t ValidUtf8Prefix(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto b = static_cast<unsigned char>(s[i]);
    size_t len = b < 0x80           ? 1
                 : (b >> 5) == 0x6  ? 2
                 : (b >> 4) == 0xE  ? 3
                 : (b >> 3) == 0x1E ? 4
                                    : 0;
    if (len == 0 || i + len > s.size()) return i;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return i;
    }
    // Overlong two-byte forms (C0, C1) are not UTF-8 either.
    if (len == 2 && b < 0xC2) return i;
    i += len;
  }
  return i;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Reads RFC 4180 records, tracking line numbers for messages.
class CsvReader {
 public:
  CsvReader(std::string_view text, std::string_view origin) : text_(text), origin_(origin) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  int line() const { return line_; }

  // The next physical line, without its line end (for comments and header).
  std::string_view PeekLine() const {
    size_t end = text_.find('\n', pos_);
    std::string_view l =
        text_.substr(pos_, end == std::string_view::npos ? std::string_view::npos : end - pos_);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    return l;
  }
  void SkipLine() {
    size_t end = text_.find('\n', pos_);
    pos_ = end == std::string_view::npos ? text_.size() : end + 1;
    ++line_;
  }

  // Reads one record into `fields`; `start_line` is where it begins.
  Status ReadRecord(std::vector<std::string>* fields, int* start_line) {
    fields->clear();
    *start_line = line_;
    std::string field;
    while (true) {
      field.clear();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ++pos_;
        while (true) {
          if (pos_ >= text_.size())
            return CsvError(origin_, *start_line, "quoted field is not closed");
          char c = text_[pos_++];
          if (c == '"') {
            if (pos_ < text_.size() && text_[pos_] == '"') {
              field += '"';
              ++pos_;
              continue;
            }
            break;
          }
          if (c == '\n') ++line_;
          field += c;
        }
        if (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n' &&
            !(text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n')) {
          return CsvError(origin_, line_,
                          fmt::format("unexpected '{}' after a closing quote", text_[pos_]));
        }
      } else {
        while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '\n') {
          if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') break;
          if (text_[pos_] == '"') {
            return CsvError(origin_, line_,
                            "'\"' inside an unquoted field (quote the whole field)");
          }
          field += text_[pos_++];
        }
      }
      fields->push_back(field);
      if (pos_ >= text_.size()) return Status::Ok();
      if (text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      pos_ += text_[pos_] == '\r' ? 2 : 1;  // CRLF or LF
      ++line_;
      return Status::Ok();
    }
  }

 private:
  std::string_view text_;
  std::string_view origin_;
  size_t pos_ = 0;
  int line_ = 1;
};

void AppendNote(std::string* note, std::string_view text) {
  if (!note->empty()) *note += ' ';
  *note += text;
}

}  // namespace

Result<CodeTable> CodeTable::Parse(std::string_view name, std::string_view csv_text,
                                   std::string_view origin) {
  if (name.empty() ||
      !std::all_of(name.begin(), name.end(), [](char c) { return IsAsciiAlnum(c) || c == '_'; })) {
    return Status::InvalidArgument(
        fmt::format("{}: table name \"{}\" must be ASCII letters, digits and '_'", origin, name));
  }
  if (csv_text.starts_with("\xEF\xBB\xBF")) csv_text.remove_prefix(3);  // Excel writes a BOM
  if (size_t valid = ValidUtf8Prefix(csv_text); valid != csv_text.size()) {
    int line = 1 + static_cast<int>(std::count(
                       csv_text.begin(), csv_text.begin() + static_cast<ptrdiff_t>(valid), '\n'));
    return CsvError(origin, line,
                    "not valid UTF-8 (save the file as UTF-8; GBK/GB2312 is not accepted)");
  }

  CodeTable table;
  table.name_ = std::string(name);
  CsvReader reader(csv_text, origin);

  // Comments and blank lines, then the header.
  while (!reader.AtEnd()) {
    std::string_view l = reader.PeekLine();
    if (Trim(l).empty()) {
      reader.SkipLine();
      continue;
    }
    if (l.front() != '#') break;
    std::string_view body = Trim(l.substr(1));
    size_t colon = body.find(':');
    if (colon != std::string_view::npos) {
      std::string_view key = Trim(body.substr(0, colon));
      std::string_view value = Trim(body.substr(colon + 1));
      if (key == "title") AppendNote(&table.title_, value);
      if (key == "source") AppendNote(&table.source_, value);
      if (key == "uncertain") AppendNote(&table.uncertain_note_, value.empty() ? "yes" : value);
    }
    reader.SkipLine();
  }
  if (reader.AtEnd())
    return CsvError(origin, reader.line(), fmt::format("missing header line \"{}\"", kHeader));
  if (std::string_view header = Trim(reader.PeekLine()); header != kHeader) {
    return CsvError(origin, reader.line(),
                    fmt::format("header must be \"{}\", found \"{}\"", kHeader, header));
  }
  reader.SkipLine();

  std::vector<std::string> fields;
  while (!reader.AtEnd()) {
    if (Trim(reader.PeekLine()).empty()) {
      reader.SkipLine();
      continue;
    }
    int line = 0;
    DRYPORT_RETURN_IF_ERROR(reader.ReadRecord(&fields, &line));
    if (fields.size() != 4) {
      return CsvError(origin, line,
                      fmt::format("expected 4 fields ({}), found {}", kHeader, fields.size()));
    }
    CodeEntry entry{fields[0], fields[1], fields[2], false, line};
    if (entry.code.empty()) return CsvError(origin, line, "empty code");
    if (auto bad = std::find_if_not(entry.code.begin(), entry.code.end(), IsAsciiAlnum);
        bad != entry.code.end()) {
      return CsvError(origin, line,
                      fmt::format("code \"{}\" contains '{}' (codes are ASCII letters and digits)",
                                  entry.code, *bad));
    }
    if (entry.name_zh.empty() && entry.name_en.empty()) {
      return CsvError(origin, line,
                      fmt::format("code \"{}\" has neither name_zh nor name_en", entry.code));
    }
    if (fields[3] == "1") {
      entry.uncertain = true;
    } else if (fields[3] != "0") {
      return CsvError(origin, line,
                      fmt::format("uncertain must be 0 or 1, found \"{}\"", fields[3]));
    }
    if (auto it = table.index_.find(entry.code); it != table.index_.end()) {
      return CsvError(origin, line,
                      fmt::format("duplicate code \"{}\" (first on line {})", entry.code,
                                  table.entries_[it->second].line));
    }
    table.index_.emplace(entry.code, table.entries_.size());
    table.entries_.push_back(std::move(entry));
  }
  if (table.entries_.empty()) return CsvError(origin, reader.line(), "the table has no entries");
  return table;
}

const CodeEntry* CodeTable::Find(std::string_view code) const {
  auto it = index_.find(code);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

Status CodeTables::Add(CodeTable table, std::string_view origin) {
  std::string name = table.name();
  if (!tables_.emplace(name, std::move(table)).second) {
    return Status::AlreadyExists(fmt::format("{}: a second table named \"{}\"", origin, name));
  }
  return Status::Ok();
}

Result<CodeTables> CodeTables::ParseCsv(std::string_view name, std::string_view csv_text,
                                        std::string_view origin) {
  Result<CodeTable> table = CodeTable::Parse(name, csv_text, origin);
  if (!table.ok()) return table.status();
  CodeTables tables;
  DRYPORT_RETURN_IF_ERROR(tables.Add(std::move(table).value(), origin));
  return tables;
}

Result<CodeTables> CodeTables::FromFiles(std::span<const EmbeddedFile> files) {
  CodeTables tables;
  for (const EmbeddedFile& file : files) {
    std::string_view name = file.name;
    if (size_t slash = name.rfind('/'); slash != std::string_view::npos)
      name.remove_prefix(slash + 1);
    if (!name.ends_with(".csv")) {
      return Status::InvalidArgument(
          fmt::format("{}: code table files must end in .csv", file.name));
    }
    name.remove_suffix(4);
    Result<CodeTable> table = CodeTable::Parse(name, file.content, file.name);
    if (!table.ok()) return table.status();
    DRYPORT_RETURN_IF_ERROR(tables.Add(std::move(table).value(), file.name));
  }
  return tables;
}

const CodeTables& CodeTables::Builtin() {
  // Function-local static: parsed once, thread-safe initialisation (C++11
  // magic statics), never destroyed before its last user.
  static const CodeTables builtin = [] {
    Result<CodeTables> tables = FromFiles(internal::BuiltinCodeTableFiles());
    if (!tables.ok()) {
      throw std::logic_error("embedded code tables are broken: " + tables.status().message());
    }
    return std::move(tables).value();
  }();
  return builtin;
}

Result<CodeTables> CodeTables::LoadDir(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::NotFound(
        fmt::format("code table folder \"{}\" does not exist or is not a folder", dir));
  }
  std::vector<fs::path> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".csv" && it->is_regular_file(ec)) paths.push_back(it->path());
  }
  if (ec)
    return Status::IOError(
        fmt::format("cannot list code table folder \"{}\": {}", dir, ec.message()));
  if (paths.empty())
    return Status::NotFound(fmt::format("code table folder \"{}\" holds no .csv files", dir));
  std::sort(paths.begin(), paths.end());

  CodeTables tables;
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return Status::IOError(fmt::format("cannot open {}", path.string()));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad()) return Status::IOError(fmt::format("cannot read {}", path.string()));
    Result<CodeTable> table = CodeTable::Parse(path.stem().string(), content.str(), path.string());
    if (!table.ok()) return table.status();
    DRYPORT_RETURN_IF_ERROR(tables.Add(std::move(table).value(), path.string()));
  }
  return tables;
}

const CodeTable* CodeTables::Find(std::string_view table_name) const {
  auto it = tables_.find(table_name);
  return it == tables_.end() ? nullptr : &it->second;
}

std::vector<std::string> CodeTables::names() const {
  std::vector<std::string> out;
  out.reserve(tables_.size());
  for (const auto& [name, table] : tables_) out.push_back(name);
  return out;
}

}  // namespace dryport
