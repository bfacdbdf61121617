// EmbeddedFile: a data file compiled into the binary by tools/embed_files.py.
//
// The generator writes a .cc that defines one function per file set, e.g.
//   std::span<const dryport::EmbeddedFile> BuiltinCodeTableFiles();
// Declare that function where you use it; see src/core/CMakeLists.txt for how
// the generated file is wired into a target.
//
// Thread-safety and ownership: the names and contents are static storage that
// lives for the whole program and never changes; safe to read from any thread.
#ifndef DRYPORT_CORE_EMBEDDED_FILE_H_
#define DRYPORT_CORE_EMBEDDED_FILE_H_

#include <string_view>

namespace dryport {

struct EmbeddedFile {
  std::string_view name;     // file name as given to the generator, e.g. "currency.csv"
  std::string_view content;  // the file's exact bytes
};

}  // namespace dryport

#endif  // DRYPORT_CORE_EMBEDDED_FILE_H_
