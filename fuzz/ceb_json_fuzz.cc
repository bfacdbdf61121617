// libFuzzer target: the JSON form of CEB messages (ceb::FromJson) on
// arbitrary bytes, then what `dryport convert --to xml` and validation do
// with a message that came out. A crash, sanitizer report, leak or broken
// invariant (__builtin_trap) is a bug; findings are fine.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ceb/codec.h"
#include "core/code_table.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ceb = dryport::ceb;
  static ceb::Reader* const reader = new ceb::Reader();  // reused; intentionally never freed
  static const dryport::CodeTables& codes = dryport::CodeTables::Builtin();

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ceb::ReadResult read = ceb::FromJson(bytes);
  for (const ceb::Finding& f : read.findings) {
    if (f.offset != 0 || f.line != 0) __builtin_trap();  // JSON findings have paths, not offsets
  }
  if (!read.message) return 0;
  std::vector<ceb::Finding> findings;
  ceb::ValidateSchema(*read.message, codes, findings);
  ceb::ValidateDocument(*read.message, findings);

  // JSON -> XML must give XML our own reader accepts.
  const std::string xml = ceb::WriteXml(*read.message);
  const ceb::ReadResult again = reader->Read(xml);
  if (!again.message) __builtin_trap();
  (void)ceb::ToJson(*read.message);
  return 0;
}
