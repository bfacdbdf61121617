// libFuzzer target: the CEB reader on arbitrary bytes, and everything a
// message that came out of it goes through in `dryport validate` and
// `dryport convert`. Findings are fine; a crash, a sanitizer report, a leak,
// or a broken invariant (__builtin_trap below) is a bug.
//
// Invariants checked:
//  - every finding's offset lies inside the text it points into;
//  - a message that was read validates without crashing;
//  - WriteXml's output is readable again, and yields the same message;
//  - ToJson's output is readable by FromJson.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ceb/codec.h"
#include "core/code_table.h"

namespace {

using dryport::ceb::Finding;

void CheckOffsets(const std::vector<Finding>& findings, std::string_view source) {
  for (const Finding& f : findings) {
    if (f.offset > source.size() + 1) __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace ceb = dryport::ceb;
  // Reused across inputs, as `dryport validate` reuses one per thread: state
  // left behind by one message must not affect the next. Intentionally never
  // freed (still reachable, so not a leak).
  static ceb::Reader* const reader = new ceb::Reader();
  static ceb::Reader* const rereader = new ceb::Reader();
  static const dryport::CodeTables& codes = dryport::CodeTables::Builtin();

  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ceb::CheckResult check = ceb::Check(*reader, bytes, codes, /*strict=*/false);
  CheckOffsets(check.findings, reader->source());
  if (!check.message) return 0;
  const ceb::Message& message = *check.message;

  // What `dryport convert --to xml` writes must read back as the same message.
  const std::string xml = ceb::WriteXml(message);
  const ceb::ReadResult again = rereader->Read(xml);
  if (!again.message) __builtin_trap();
  if (!(*again.message == message)) __builtin_trap();

  // What `dryport convert --to json` writes must read back.
  const std::string json = ceb::ToJson(message);
  const ceb::ReadResult from_json = ceb::FromJson(json);
  if (!from_json.message) __builtin_trap();
  std::vector<Finding> findings;
  ceb::ValidateSchema(*from_json.message, codes, findings);
  ceb::ValidateDocument(*from_json.message, findings);
  return 0;
}
