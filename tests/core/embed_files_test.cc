// tools/embed_files.py must keep every byte of every file.
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "core/embedded_file.h"

namespace dryport::test {
std::span<const EmbeddedFile> EmbedFixtureFiles();  // embed_fixtures.gen.cc
}

namespace dryport {
namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(EmbedFiles, KeepsNamesAndEveryByte) {
  std::span<const EmbeddedFile> files = test::EmbedFixtureFiles();
  ASSERT_EQ(files.size(), 2u);
  // Sorted by name, relative to --base, with '/'.
  EXPECT_EQ(files[0].name, "embed/sub/empty.txt");
  EXPECT_EQ(files[1].name, "embed/tricky.bin");
  for (const EmbeddedFile& f : files) {
    std::string on_disk =
        ReadFile(std::filesystem::path(DRYPORT_CORE_TESTDATA_DIR) / std::string(f.name));
    EXPECT_EQ(f.content, on_disk) << f.name;
  }
  EXPECT_TRUE(files[0].content.empty());
  EXPECT_EQ(files[1].content.size(), 336u);
  EXPECT_NE(files[1].content.find('\0'), std::string_view::npos);
  EXPECT_NE(files[1].content.find("\r\n"), std::string_view::npos);
}

}  // namespace
}  // namespace dryport
