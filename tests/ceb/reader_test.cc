// Reader: bad input never crashes and gets one clear finding; encodings,
// BOMs and namespace spellings that mean the same message give the same
// model.
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <iconv.h>

#include "ceb/codec.h"
#include "tests/ceb/ceb_test_util.h"

namespace dryport::ceb {
namespace {

using testing::Describe;
using testing::FindFinding;
using testing::LineAt;
using testing::Sample;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string WithoutBom(std::string s) {
  if (std::string_view(s).starts_with(kBom)) s.erase(0, kBom.size());
  return s;
}

std::string ReplaceFirst(std::string s, std::string_view from, std::string_view to) {
  const size_t at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) s.replace(at, from.size(), to);
  return s;
}

// UTF-8 -> `to` with iconv; empty on failure.
std::string Transcode(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  if (cd == reinterpret_cast<iconv_t>(-1)) return {};
  std::string out(utf8.size() * 4 + 16, '\0');
  char* in = const_cast<char*>(utf8.data());
  size_t in_left = utf8.size();
  char* op = out.data();
  size_t out_left = out.size();
  const size_t rc = iconv(cd, &in, &in_left, &op, &out_left);
  iconv_close(cd);
  if (rc == static_cast<size_t>(-1)) return {};
  out.resize(out.size() - out_left);
  return out;
}

// Reading fails with exactly one finding of `rule` (no model) whose message
// contains `says`.
void ExpectRefused(const std::string& bytes, std::string_view rule, std::string_view says,
                   ReadOptions options = {}) {
  Reader reader(options);
  const ReadResult r = reader.Read(bytes);
  EXPECT_FALSE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, rule) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].severity, Severity::kError);
  EXPECT_NE(r.findings[0].message.find(says), std::string::npos) << r.findings[0].message;
  EXPECT_TRUE(r.HasErrors(false));
}

Message ReadOk(const std::string& bytes) {
  Reader reader;
  ReadResult r = reader.Read(bytes);
  EXPECT_TRUE(r.message.has_value()) << Describe(r.findings);
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  return r.message ? std::move(*r.message) : Message{};
}

// ---------------------------------------------------------------- refused input

TEST(ReaderBadInput, EmptyAndWhitespace) {
  ExpectRefused("", "xml.empty", "empty");
  ExpectRefused(" \r\n\t\n  ", "xml.empty", "empty");
}

TEST(ReaderBadInput, BinaryWithNuls) {
  ExpectRefused(std::string("<?xml version=\"1.0\"?>\0\0\x01\x02<a/>", 27), "xml.binary", "NUL");
  ExpectRefused(std::string("\x7f"
                            "ELF\x02\x01\x01\0\0\0",
                            10),
                "xml.binary", "binary");
}

TEST(ReaderBadInput, CompressedFiles) {
  ExpectRefused(std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03", 10), "xml.compressed",
                "decompress");
  ExpectRefused(std::string("\x28\xb5\x2f\xfd\x20\x05\x29\x00\x00", 9), "xml.compressed", "zstd");
  ExpectRefused(std::string("PK\x03\x04\x14\x00", 6), "xml.compressed", "zip");
}

TEST(ReaderBadInput, TruncatedInTheMiddlePointsAtTheEnd) {
  const std::string full = WithoutBom(Sample("CEB311Message-1.xml"));
  const std::string cut =
      full.substr(0, full.find("<ceb:freight>", 2000) + 9);  // inside a start tag
  Reader reader;
  const ReadResult r = reader.Read(cut);
  EXPECT_FALSE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, "xml.well-formed");
  EXPECT_EQ(r.findings[0].line, LineAt(cut, cut.size() - 1)) << r.findings[0].message;
  EXPECT_GT(r.findings[0].line, 60);
}

TEST(ReaderBadInput, MismatchedTagHasItsLine) {
  const std::string full = Sample("CEB311Message-1.xml");
  const std::string broken = ReplaceFirst(full, "</ceb:orderNo>", "</ceb:orderN>");
  Reader reader;
  const ReadResult r = reader.Read(broken);
  EXPECT_FALSE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, "xml.well-formed");
  EXPECT_EQ(r.findings[0].line, 11)
      << r.findings[0].message;  // <ceb:orderNo>order20160321116421002</ceb:orderN>
}

TEST(ReaderBadInput, GbkBytesInAFileDeclaredUtf8) {
  const std::string utf8 = Sample("CEB311Message-1.xml");
  const std::string gbk_name = Transcode("东方物通科技(北京)有限公司", "GBK");
  ASSERT_FALSE(gbk_name.empty());
  // The first ebcName (line 15) saved as GBK; the declaration still says UTF-8.
  const std::string mixed =
      ReplaceFirst(utf8, "<ceb:ebcName>东方物通科技(北京)有限公司", "<ceb:ebcName>" + gbk_name);
  Reader reader;
  const ReadResult r = reader.Read(mixed);
  EXPECT_FALSE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, "xml.encoding");
  EXPECT_EQ(r.findings[0].line, 15);
  EXPECT_NE(r.findings[0].message.find("UTF-8"), std::string::npos) << r.findings[0].message;
  EXPECT_NE(r.findings[0].message.find("GBK"), std::string::npos) << r.findings[0].message;
}

TEST(ReaderBadInput, NotACebMessage) {
  ExpectRefused("<html><body><p>hello</p></body></html>", "xml.not-ceb", "html");
  ExpectRefused("<ceb:CEB999Message xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"/>", "xml.not-ceb",
                "CEB999Message");
  const std::string other_ns =
      ReplaceFirst(Sample("CEB311Message-1.xml"), "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"",
                   "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb2\"");
  ExpectRefused(other_ns, "xml.not-ceb", "http://www.chinaport.gov.cn/ceb2");
}

TEST(ReaderBadInput, OverTheSizeLimit) {
  const std::string bytes = Sample("CEB311Message-1.xml");
  ExpectRefused(bytes, "xml.too-large", std::to_string(bytes.size()),
                ReadOptions{.max_bytes = 1000});
  Reader roomy(ReadOptions{.max_bytes = bytes.size()});
  EXPECT_TRUE(roomy.Read(bytes).message.has_value());
}

TEST(ReaderBadInput, CutsAndFlippedBytesNeverCrash) {
  // Every outcome is a model or a finding; a crash or a silent nothing fails.
  Reader reader;
  std::mt19937 random(20220501);
  for (const char* file : {"CEB311Message-1.xml", "CEB621Message-3.xml", "CEB816Message-1.xml",
                           "CEB312Message-1.xml"}) {
    const std::string bytes = Sample(file);
    for (size_t cut = 0; cut < bytes.size(); cut += 1 + bytes.size() / 97) {
      const ReadResult r = reader.Read(std::string_view(bytes).substr(0, cut));
      EXPECT_TRUE(r.message.has_value() || !r.findings.empty()) << file << " cut at " << cut;
      if (r.message) (void)WriteXml(*r.message);
    }
    for (int round = 0; round < 200; ++round) {
      std::string flipped = bytes;
      for (int k = 0; k < 3; ++k) {
        flipped[random() % flipped.size()] = static_cast<char>(random() % 256);
      }
      const ReadResult r = reader.Read(flipped);
      EXPECT_TRUE(r.message.has_value() || !r.findings.empty()) << file << " round " << round;
      if (r.message) {
        std::vector<Finding> findings;
        ValidateSchema(*r.message, CodeTables::Builtin(), findings);
        ValidateDocument(*r.message, findings);
        (void)WriteXml(*r.message);
        (void)ToJson(*r.message);
      }
    }
  }
}

// ---------------------------------------------------------------- encodings

TEST(ReaderEncoding, Gb18030BytesDeclaredGb2312GiveTheSameModel) {
  const std::string utf8 = WithoutBom(Sample("CEB311Message-1.xml"));
  const Message expected = ReadOk(utf8);
  std::string gb = Transcode(utf8, "GB18030");
  ASSERT_FALSE(gb.empty());
  gb = ReplaceFirst(gb, "encoding=\"UTF-8\"", "encoding=\"GB2312\"");
  const Message decoded = ReadOk(gb);
  EXPECT_TRUE(decoded == expected);
  const auto* order = decoded.As<imp::CEB311Message>();
  ASSERT_NE(order, nullptr);
  EXPECT_EQ(order->order[0].orderHead.ebpName.value, "东方物通科技(北京)有限公司");
}

TEST(ReaderEncoding, GbkOnlyCharacterInAGb2312DeclaredFile) {
  // 镕 is in GBK, not in GB2312; real "GB2312" files carry such characters.
  std::string utf8 = WithoutBom(Sample("CEB311Message-1.xml"));
  utf8 = ReplaceFirst(utf8, "<ceb:buyerName>aa</ceb:buyerName>",
                      "<ceb:buyerName>测试镕</ceb:buyerName>");
  EXPECT_TRUE(Transcode("镕", "GB2312").empty()) << "镕 should not be in GB2312";
  std::string gb = Transcode(utf8, "GBK");
  ASSERT_FALSE(gb.empty());
  gb = ReplaceFirst(gb, "encoding=\"UTF-8\"", "encoding=\"gb2312\"");
  const Message decoded = ReadOk(gb);
  EXPECT_EQ(decoded.As<imp::CEB311Message>()->order[0].orderHead.buyerName.value, "测试镕");
  EXPECT_TRUE(decoded == ReadOk(utf8));
}

TEST(ReaderEncoding, InvalidGbBytesHaveTheirLine) {
  std::string gb = Transcode(WithoutBom(Sample("CEB311Message-1.xml")), "GB18030");
  gb = ReplaceFirst(gb, "encoding=\"UTF-8\"", "encoding=\"GBK\"");
  gb = ReplaceFirst(gb, "<ceb:buyerName>aa",
                    "<ceb:buyerName>a\x81\x20");  // 0x81 needs a trail byte >= 0x30
  const std::string utf8 = WithoutBom(Sample("CEB311Message-1.xml"));
  Reader reader;
  const ReadResult r = reader.Read(gb);
  EXPECT_FALSE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, "xml.encoding");
  EXPECT_EQ(r.findings[0].line, LineAt(utf8, utf8.find("<ceb:buyerName>")));
}

TEST(ReaderEncoding, Utf8BomAndNoBomAreTheSame) {
  const std::string with_bom = Sample("CEB311Message-1.xml");
  ASSERT_TRUE(std::string_view(with_bom).starts_with(kBom));
  EXPECT_TRUE(ReadOk(with_bom) == ReadOk(WithoutBom(with_bom)));
  // Offsets and lines count from after the BOM.
  Reader reader;
  const CheckResult c = Check(reader, with_bom, CodeTables::Builtin(), false);
  const Finding* f =
      FindFinding(c.findings, "doc.total-price", "/CEB311Message/Order[1]/OrderList[2]/totalPrice");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->line, 62);
}

TEST(ReaderEncoding, Utf16WithBom) {
  const std::string utf8 = WithoutBom(Sample("CEB311Message-1.xml"));
  const std::string utf16 =
      "\xFF\xFE" + Transcode(ReplaceFirst(utf8, "UTF-8", "UTF-16"), "UTF-16LE");
  ASSERT_GT(utf16.size(), 2u);
  EXPECT_TRUE(ReadOk(utf16) == ReadOk(utf8));
}

// ---------------------------------------------------------------- namespaces

// A prefix-swapped copy, edited as text so that everything else (layout,
// the signature's bytes) stays as it was: every element not in ds: gets
// `prefix` ("" = none) and the CEB namespace is declared for it.
std::string Reprefixed(const std::string& xml, const std::string& prefix) {
  std::string out;
  out.reserve(xml.size() + xml.size() / 8);
  for (size_t i = 0; i < xml.size();) {
    size_t name = i + 1;
    if (xml[i] != '<') {
      out += xml[i++];
      continue;
    }
    if (name < xml.size() && xml[name] == '/') ++name;
    if (name >= xml.size() || !std::isalpha(static_cast<unsigned char>(xml[name]))) {
      out += xml[i++];  // <?xml, <!--, <![CDATA[
      continue;
    }
    size_t end = name;
    while (end < xml.size() && xml[end] != '>' && xml[end] != '/' &&
           !std::isspace(static_cast<unsigned char>(xml[end]))) {
      ++end;
    }
    const std::string qname = xml.substr(name, end - name);
    out.append(xml, i, name - i);
    if (qname.starts_with("ds:")) {
      out += qname;
    } else {
      out += prefix.empty() ? std::string(testing::LocalNameOf(qname.c_str()))
                            : prefix + ":" + std::string(testing::LocalNameOf(qname.c_str()));
    }
    i = end;
  }
  const std::string ns = "=\"" + std::string(kCebNamespace) + "\"";
  const std::string declaration = (prefix.empty() ? "xmlns" : "xmlns:" + prefix) + ns;
  for (const std::string& old : {"xmlns:ceb" + ns, "xmlns" + ns}) {
    const size_t at = out.find(old);
    if (at != std::string::npos) return out.replace(at, old.size(), declaration);
  }
  ADD_FAILURE() << "no CEB namespace declaration";
  return out;
}

TEST(ReaderNamespaces, DefaultNamespaceAndPrefixesGiveEqualModels) {
  for (const char* file : {"CEB312Message-1.xml", "CEB311Message-1.xml", "CEB816Message-1.xml"}) {
    SCOPED_TRACE(file);
    const std::string original = Sample(file);
    Reader reader;
    const ReadResult first = reader.Read(original);
    ASSERT_TRUE(first.message.has_value());
    for (const std::string& prefix : {std::string(), std::string("ceb"), std::string("c")}) {
      const std::string copy = Reprefixed(original, prefix);
      ASSERT_EQ(copy.find(prefix.empty() ? "<CEB" : "<" + prefix + ":CEB") != std::string::npos,
                true)
          << copy;
      Reader other;
      const ReadResult second = other.Read(copy);
      ASSERT_TRUE(second.message.has_value()) << Describe(second.findings);
      EXPECT_TRUE(*first.message == *second.message) << "prefix '" << prefix << "'";
      // The same findings (the 816's stray text), nothing about namespaces.
      EXPECT_EQ(second.findings.size(), first.findings.size()) << Describe(second.findings);
      EXPECT_EQ(FindFinding(second.findings, "schema.namespace"), nullptr);
    }
  }
}

TEST(ReaderNamespaces, UnusedXsiDeclarationIsIgnored) {
  // CEB311Message-2.xml declares xmlns:xsi on the root and never uses it.
  Reader reader;
  const ReadResult r = reader.Read(Sample("CEB311Message-2.xml"));
  ASSERT_TRUE(r.message.has_value());
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  // Added to a default-namespace receipt, with an xsi:schemaLocation too.
  const std::string receipt =
      ReplaceFirst(Sample("CEB312Message-1.xml"), "<CEB312Message ",
                   "<CEB312Message xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
                   "xsi:schemaLocation=\"http://www.chinaport.gov.cn/ceb x.xsd\" ");
  const ReadResult r2 = reader.Read(receipt);
  ASSERT_TRUE(r2.message.has_value());
  EXPECT_TRUE(r2.findings.empty()) << Describe(r2.findings);
  EXPECT_TRUE(*r2.message == ReadOk(Sample("CEB312Message-1.xml")));
}

TEST(ReaderNamespaces, MessageWithoutNamespaceIsReadWithOneWarning) {
  const std::string bare =
      ReplaceFirst(Sample("CEB312Message-1.xml"), " xmlns=\"http://www.chinaport.gov.cn/ceb\"", "");
  Reader reader;
  const ReadResult r = reader.Read(bare);
  ASSERT_TRUE(r.message.has_value());
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, "schema.namespace");
  EXPECT_EQ(r.findings[0].severity, Severity::kWarning);
  EXPECT_EQ(r.findings[0].line, 2);
  EXPECT_TRUE(*r.message == ReadOk(Sample("CEB312Message-1.xml")));
}

TEST(ReaderSource, FindingOffsetsPointIntoTheTranscodedText) {
  // After a GB read, source() is UTF-8 and a document finding's offset is
  // the byte of its field there.
  std::string gb = Transcode(WithoutBom(Sample("CEB311Message-1.xml")), "GB18030");
  gb = ReplaceFirst(gb, "encoding=\"UTF-8\"", "encoding=\"GB18030\"");
  Reader reader;
  const CheckResult c = Check(reader, gb, CodeTables::Builtin(), false);
  const Finding* f =
      FindFinding(c.findings, "doc.total-price", "/CEB311Message/Order[1]/OrderList[2]/totalPrice");
  ASSERT_NE(f, nullptr) << Describe(c.findings);
  EXPECT_EQ(f->line, 62);
  EXPECT_TRUE(reader.source().substr(f->offset - 1).starts_with("ceb:totalPrice>12000"));
}

}  // namespace
}  // namespace dryport::ceb
