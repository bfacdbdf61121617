// The codec against the real messages in ../shared/conformance/public-samples.
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "ceb/codec.h"
#include "tests/ceb/xsd_validator.h"

namespace dryport::ceb {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<fs::path> Samples() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(DRYPORT_SHARED_DIR) / "conformance/public-samples")) {
    if (e.path().extension() == ".xml") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// SOURCES.md: the samples the official XSDs reject, and the rule by which
// dryport must say so (at least in --strict mode).
const std::map<std::string, std::string>& KnownInvalid() {
  static const std::map<std::string, std::string> m = {
      {"CEB303Message-1.xml", "schema.duplicate-element"}, {"CEB403Message-1.xml", "schema.duplicate-element"},
      {"CEB505Message-1.xml", "schema.duplicate-element"}, {"CEB507Message-1.xml", "schema.duplicate-element"},
      {"CEB509Message-1.xml", "schema.duplicate-element"}, {"CEB603Message-1.xml", "schema.duplicate-element"},
      {"CEB605Message-1.xml", "schema.duplicate-element"}, {"CEB607Message-1.xml", "schema.duplicate-element"},
      {"CEB214Message-1.xml", "schema.root-name"},         {"CEB792Message-1.xml", "schema.required"},
      {"CEB511Message-2.xml", "schema.required"},          {"CEB621Message-2.xml", "schema.signature-missing"},
      {"CEB816Message-1.xml", "schema.stray-text"},
  };
  return m;
}

std::vector<Finding> SchemaFindings(Reader& reader, const std::string& bytes) {
  ReadResult r = reader.Read(bytes);
  std::vector<Finding> all = r.findings;
  if (r.message) ValidateSchema(*r.message, CodeTables::Builtin(), all);
  return all;
}

std::string Describe(const std::vector<Finding>& findings) {
  std::string s;
  for (const auto& f : findings) s += "  " + f.rule + " " + f.path + " line " + std::to_string(f.line) + ": " + f.message + "\n";
  return s;
}

TEST(PublicSamples, ThereAreAll47) { EXPECT_EQ(Samples().size(), 47u); }

TEST(PublicSamples, ValidOnesHaveNoSchemaFinding) {
  Reader reader;
  for (const auto& p : Samples()) {
    if (KnownInvalid().count(p.filename().string())) continue;
    const auto findings = SchemaFindings(reader, Slurp(p));
    EXPECT_TRUE(findings.empty()) << p.filename() << "\n" << Describe(findings);
  }
}

TEST(PublicSamples, StrictFlagsEveryViolationSourcesLists) {
  Reader reader;
  for (const auto& [file, rule] : KnownInvalid()) {
    const auto path = fs::path(DRYPORT_SHARED_DIR) / "conformance/public-samples" / file;
    const std::string bytes = Slurp(path);
    ReadResult r = reader.Read(bytes);
    ASSERT_TRUE(r.message.has_value()) << file << " must still be read (lenient)\n" << Describe(r.findings);
    const auto findings = SchemaFindings(reader, bytes);
    bool found = false;
    for (const auto& f : findings) found = found || f.rule == rule;
    EXPECT_TRUE(found) << file << " should report " << rule << "\n" << Describe(findings);
    CheckResult strict = Check(reader, bytes, CodeTables::Builtin(), /*strict=*/true);
    EXPECT_FALSE(strict.valid) << file;
  }
}

TEST(PublicSamples, ReadWriteReadGivesTheSameModel) {
  Reader reader;
  Reader reader2;
  for (const auto& p : Samples()) {
    ReadResult first = reader.Read(Slurp(p));
    ASSERT_TRUE(first.message) << p.filename();
    const std::string xml = WriteXml(*first.message);
    ReadResult second = reader2.Read(xml);
    ASSERT_TRUE(second.message) << p.filename() << "\n" << xml;
    EXPECT_TRUE(*first.message == *second.message) << p.filename() << "\n" << xml;
    EXPECT_TRUE(second.findings.empty()) << p.filename() << "\n" << Describe(second.findings);
  }
}

TEST(PublicSamples, JsonRoundTripGivesTheSameModel) {
  Reader reader;
  for (const auto& p : Samples()) {
    ReadResult first = reader.Read(Slurp(p));
    ASSERT_TRUE(first.message) << p.filename();
    const std::string json = ToJson(*first.message);
    ReadResult back = FromJson(json);
    ASSERT_TRUE(back.message) << p.filename() << "\n" << Describe(back.findings);
    EXPECT_TRUE(back.findings.empty()) << Describe(back.findings);
    EXPECT_TRUE(*first.message == *back.message) << p.filename();
  }
}

// Canonical output validates against the official XSDs, except where the
// input lacked something the XSD requires (the writer does not invent data).
TEST(PublicSamples, CanonicalOutputValidatesAgainstTheXsd) {
  const std::set<std::string> lacking = {"CEB792Message-1.xml", "CEB511Message-2.xml", "CEB621Message-2.xml"};
  XsdValidator xsd;
  Reader reader;
  for (const auto& p : Samples()) {
    ReadResult r = reader.Read(Slurp(p));
    ASSERT_TRUE(r.message);
    const std::string xml = WriteXml(*r.message);
    const std::string errors = xsd.Validate(xml, r.message->info().side);
    if (lacking.count(p.filename().string())) {
      EXPECT_FALSE(errors.empty()) << p.filename();
    } else {
      EXPECT_TRUE(errors.empty()) << p.filename() << "\n" << errors;
    }
  }
}

}  // namespace
}  // namespace dryport::ceb
