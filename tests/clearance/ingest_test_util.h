// Helpers shared by the ingest tests (e2e, crash, bad input, CLI): a
// temporary directory, a generated corpus in memory, and reading receipts.
#ifndef DRYPORT_TESTS_CLEARANCE_INGEST_TEST_UTIL_H_
#define DRYPORT_TESTS_CLEARANCE_INGEST_TEST_UTIL_H_

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "traffic/generator.h"

namespace dryport::clearance::test {

// A fresh directory under $TMPDIR, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "dryport-ingest-test-XXXXXX").string();
    if (mkdtemp(templ.data()) != nullptr) path_ = templ;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  bool ok() const { return !path_.empty(); }
  std::string File(std::string_view name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// A generated corpus, in memory, in send (= file-name) order.
struct Corpus {
  std::vector<traffic::GeneratedFile> files;
  nlohmann::ordered_json manifest;
};

inline Corpus Generate(const traffic::GenOptions& options) {
  Corpus c;
  traffic::Generator g(options);
  const Status s = g.Generate([&](traffic::GeneratedFile&& f) { c.files.push_back(std::move(f)); });
  if (s.ok()) c.manifest = g.manifest();
  return c;
}

// The business time the engine takes for a message: its first appTime.
inline int64_t BusinessMs(std::string_view bytes) {
  const size_t at = bytes.find("appTime>");
  if (at == std::string_view::npos || at + 22 > bytes.size()) return 0;
  Result<Timestamp> t = Timestamp::Parse(bytes.substr(at + 8, 14), TimeFormat::kCompactSeconds);
  return t.ok() ? t->millis() : 0;
}

// The text of the first element `name` (any prefix) of a receipt the engine
// wrote; "" when there is none.
inline std::string Field(std::string_view xml, std::string_view name) {
  for (size_t at = xml.find(name); at != std::string_view::npos; at = xml.find(name, at + 1)) {
    if (at == 0 || (xml[at - 1] != ':' && xml[at - 1] != '<')) continue;
    if (at + name.size() >= xml.size() || xml[at + name.size()] != '>') continue;
    const size_t begin = at + name.size() + 1;
    const size_t end = xml.find('<', begin);
    return end == std::string_view::npos ? std::string() : std::string(xml.substr(begin, end - begin));
  }
  return {};
}

// "[Code:1313;Desc:...]" -> "1313"; "" otherwise.
inline std::string CodeOf(std::string_view info) {
  if (!info.starts_with("[Code:")) return {};
  const size_t semi = info.find(';');
  return semi == std::string_view::npos ? std::string() : std::string(info.substr(6, semi - 6));
}

}  // namespace dryport::clearance::test

#endif  // DRYPORT_TESTS_CLEARANCE_INGEST_TEST_UTIL_H_
