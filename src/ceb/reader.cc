// Reader: bytes -> Message. Encoding sniffing and transcoding, parsing with
// pugixml, and dispatch to the generated per-type readers.
#include <iconv.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>

#include <fmt/format.h>
#include <pugixml.hpp>

#include "ceb/codec.h"
#include "ceb/codec_support.h"

namespace dryport::ceb {
namespace {

Finding XmlFinding(std::string rule, std::string message, uint32_t offset = 0) {
  Finding f;
  f.level = Level::kSchema;
  f.severity = Severity::kError;
  f.rule = std::move(rule);
  f.path = "/";
  f.message = std::move(message);
  f.offset = offset;
  return f;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The encoding named by the XML declaration, lower-cased; "" when none.
std::string DeclaredEncoding(std::string_view text) {
  if (!text.starts_with("<?xml")) return {};
  const size_t end = text.find("?>");
  const std::string_view decl = text.substr(0, end);
  const size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  size_t i = decl.find_first_of("\"'", at);
  if (i == std::string_view::npos) return {};
  const char quote = decl[i];
  const size_t close = decl.find(quote, i + 1);
  if (close == std::string_view::npos) return {};
  return Lower(decl.substr(i + 1, close - i - 1));
}

// One pass over text declared UTF-8: where the first sequence that is not
// well-formed UTF-8 starts (npos if none), and whether a NUL byte occurs
// anywhere. One pass instead of memchr + a decoder, because this is the
// first touch of the input and costs what reading it from memory costs.
struct Utf8Scan {
  size_t first_invalid = std::string_view::npos;
  bool has_nul = false;
};

// Length of the well-formed UTF-8 sequence (Unicode Table 3-7) starting with
// the byte >= 0x80 at s[i], or 0 when that sequence is ill-formed or cut off:
// continuation or overlong leads, surrogates and code points above U+10FFFF.
inline size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const size_t n = s.size();
  const auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const auto cont = [&](size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return k < n && at(k) >= lo && at(k) <= hi;
  };
  const unsigned char c = at(i);
  if (c < 0xC2) return 0;
  if (c < 0xE0) return cont(i + 1) ? 2 : 0;
  if (c < 0xF0) {
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c < 0xF5) {
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

Utf8Scan ScanUtf8(std::string_view s) {
  constexpr uint64_t kHigh = 0x8080808080808080ull;
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  Utf8Scan scan;
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    // Messages are mostly ASCII: skip 8 bytes at a time while none has its
    // high bit set and none is zero (a byte-wise loop cost as much as
    // pugixml's whole parse).
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & kHigh) | ((word - kOnes) & ~word & kHigh)) break;
      i += 8;
    }
    if (i >= n) break;
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == 0) {
      scan.has_nul = true;
      return scan;
    }
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) {
      scan.first_invalid = i;
      scan.has_nul = s.find('\0', i) != std::string_view::npos;
      return scan;
    }
    i += len;
  }
  return scan;
}

// Whether a text node or attribute value in `doc` is not UTF-8, and where
// (1 + byte offset of its node, 0 when pugixml cannot tell). pugixml decodes &#xD800; (a surrogate) and references beyond
// U+10FFFF into such bytes without an error, and they would break every
// consumer downstream (ToJson throws on them; found by fuzz/ceb_reader_fuzz).
std::optional<uint32_t> FirstNonUtf8Value(const pugi::xml_document& doc) {
  const auto bad = [](const char* value) {
    return ScanUtf8(value).first_invalid != std::string_view::npos;
  };
  const auto pos = [](pugi::xml_node node) {
    const ptrdiff_t offset = node.offset_debug();
    return offset < 0 ? 0u : static_cast<uint32_t>(offset + 1);
  };
  pugi::xml_node n = doc.first_child();
  while (n) {
    if ((n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) && bad(n.value())) return pos(n);
    for (pugi::xml_attribute a = n.first_attribute(); a; a = a.next_attribute()) {
      if (bad(a.value())) return pos(n);
    }
    if (pugi::xml_node child = n.first_child()) {
      n = child;
      continue;
    }
    while (n && n != doc && !n.next_sibling()) n = n.parent();
    if (!n || n == doc) break;
    n = n.next_sibling();
  }
  return std::nullopt;
}

bool IsUtf8Label(std::string_view enc) {
  return enc == "utf-8" || enc == "utf8" || enc == "us-ascii" || enc == "ascii";
}

bool IsGbFamily(std::string_view enc) {
  return enc == "gb2312" || enc == "gbk" || enc == "gb18030" || enc == "cp936" || enc == "x-gbk" ||
         enc == "euc-cn";
}

}  // namespace

struct Reader::Impl {
  ReadOptions options;
  std::string source;  // pristine UTF-8 text of the current message
  std::string work;    // the copy pugixml parses in place
  pugi::xml_document doc;
  iconv_t gb_to_utf8 = reinterpret_cast<iconv_t>(-1);

  ~Impl() {
    if (gb_to_utf8 != reinterpret_cast<iconv_t>(-1)) iconv_close(gb_to_utf8);
  }

  // Converts `in` from `from` to UTF-8 into `source`. Returns the offset of
  // the first byte that cannot be converted, or npos.
  size_t Transcode(std::string_view in, const std::string& from, std::string& error) {
    iconv_t cd;
    const bool gb = IsGbFamily(from);
    if (gb) {
      // Never decode by the declared label: GB2312-labelled messages carry
      // GBK characters (镕). GB18030 is the superset of all of them.
      if (gb_to_utf8 == reinterpret_cast<iconv_t>(-1)) gb_to_utf8 = iconv_open("UTF-8", "GB18030");
      cd = gb_to_utf8;
      iconv(cd, nullptr, nullptr, nullptr, nullptr);
    } else {
      cd = iconv_open("UTF-8", from.c_str());
      if (cd == reinterpret_cast<iconv_t>(-1)) {
        error = fmt::format("the declared encoding '{}' is not supported", from);
        return 0;
      }
    }
    source.resize(in.size() * 2 + 16);
    char* inp = const_cast<char*>(in.data());
    size_t in_left = in.size();
    char* outp = source.data();
    size_t out_left = source.size();
    size_t failed_at = std::string_view::npos;
    while (in_left > 0) {
      if (iconv(cd, &inp, &in_left, &outp, &out_left) != static_cast<size_t>(-1)) break;
      if (errno == E2BIG) {
        const size_t used = static_cast<size_t>(outp - source.data());
        source.resize(source.size() * 2);
        outp = source.data() + used;
        out_left = source.size() - used;
        continue;
      }
      failed_at = in.size() - in_left;
      error = fmt::format("byte 0x{:02X} at offset {} is not valid {}", static_cast<unsigned char>(*inp), failed_at,
                          gb ? "GB18030 (GB2312/GBK)" : from);
      break;
    }
    source.resize(static_cast<size_t>(outp - source.data()));
    if (!gb) iconv_close(cd);
    return failed_at;
  }
};

Reader::Reader(ReadOptions options) : impl_(std::make_unique<Impl>()) { impl_->options = options; }
Reader::~Reader() = default;

std::string_view Reader::source() const { return impl_->source; }

ReadResult Reader::Read(std::string_view bytes) {
  ReadResult result;
  auto& findings = result.findings;
  Impl& im = *impl_;
  im.source.clear();

  if (bytes.size() > im.options.max_bytes) {
    findings.push_back(XmlFinding("xml.too-large", fmt::format("the file has {} bytes; at most {} are read",
                                                               bytes.size(), im.options.max_bytes)));
    return result;
  }
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    findings.push_back(XmlFinding("xml.empty", "the file is empty"));
    return result;
  }
  const auto starts = [&](std::string_view magic) { return bytes.starts_with(magic); };
  if (starts("\x1f\x8b") || starts("PK\x03\x04") || starts("\x28\xb5\x2f\xfd") || starts("BZh") ||
      starts("\xfd" "7zXZ")) {
    findings.push_back(XmlFinding("xml.compressed", "the file is compressed (gzip/zip/zstd/bzip2/xz); decompress it first"));
    return result;
  }

  // Byte order marks.
  std::string encoding;
  std::string_view text = bytes;
  if (text.starts_with("\xEF\xBB\xBF")) {
    text.remove_prefix(3);
    encoding = "utf-8";
  } else if (text.starts_with("\xFF\xFE")) {
    text.remove_prefix(2);
    encoding = "utf-16le";
  } else if (text.starts_with("\xFE\xFF")) {
    text.remove_prefix(2);
    encoding = "utf-16be";
  }
  std::optional<Utf8Scan> utf8_scan;
  if (encoding.empty() || encoding == "utf-8") {
    const std::string declared = DeclaredEncoding(text);
    if (encoding.empty()) encoding = declared.empty() ? "utf-8" : declared;
    bool has_nul = false;
    if (IsUtf8Label(encoding)) {
      utf8_scan = ScanUtf8(text);
      has_nul = utf8_scan->has_nul;
    } else {
      has_nul = text.find('\0') != std::string_view::npos;
    }
    if (has_nul) {
      findings.push_back(XmlFinding("xml.binary", "the file holds NUL bytes: it is binary, not an XML message"));
      return result;
    }
  }

  if (IsUtf8Label(encoding)) {
    if (!utf8_scan) utf8_scan = ScanUtf8(text);
    const size_t bad = utf8_scan->first_invalid;
    if (bad != std::string_view::npos) {
      im.source.assign(text.substr(0, bad));
      findings.push_back(XmlFinding(
          "xml.encoding",
          fmt::format("byte 0x{:02X} is not valid UTF-8 (the declared encoding); was the file saved as GBK without "
                      "saying so?",
                      static_cast<unsigned char>(text[bad])),
          static_cast<uint32_t>(bad + 1)));
      AssignLines(findings, im.source);
      return result;
    }
    im.source.assign(text);
  } else {
    std::string error;
    const size_t bad = im.Transcode(text, encoding, error);
    if (bad != std::string_view::npos) {
      findings.push_back(XmlFinding("xml.encoding", error, static_cast<uint32_t>(im.source.size() + 1)));
      AssignLines(findings, im.source);
      return result;
    }
  }

  im.work.assign(im.source);
  const pugi::xml_parse_result parsed =
      im.doc.load_buffer_inplace(im.work.data(), im.work.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    findings.push_back(XmlFinding("xml.well-formed",
                                  fmt::format("not well-formed XML: {}", parsed.description()),
                                  static_cast<uint32_t>(parsed.offset + 1)));
    AssignLines(findings, im.source);
    return result;
  }
  // Only a character reference can put bytes that are not UTF-8 into the
  // parsed values: the text itself was checked above.
  if (im.source.find("&#") != std::string::npos) {
    if (const std::optional<uint32_t> bad = FirstNonUtf8Value(im.doc)) {
      findings.push_back(XmlFinding("xml.well-formed",
                                    "not well-formed XML: a character reference names a code point that XML does "
                                    "not allow (a surrogate, or beyond U+10FFFF)",
                                    *bad));
      AssignLines(findings, im.source);
      return result;
    }
  }

  pugi::xml_node root = im.doc.document_element();
  const std::string_view root_name = internal::LocalName(root.name());
  std::optional<MessageType> type = MessageTypeFromRoot(root_name);
  internal::ReadContext ctx(im.source, findings);
  if (!type) {
    type = MessageTypeFromCode(root_name);
    if (!type || !root_name.starts_with("CEB")) {
      findings.push_back(XmlFinding("xml.not-ceb",
                                    fmt::format("the root element {} is not a CEB message of the 2022-05 edition",
                                                root_name),
                                    static_cast<uint32_t>(root.offset_debug() + 1)));
      AssignLines(findings, im.source);
      return result;
    }
    ctx.Report(Severity::kWarning, "schema.root-name", root,
               fmt::format("the root element is {}; the standard names it {}", root_name, Info(*type).root));
  }
  ctx.BindRoot(root);
  if (ctx.root_unqualified()) {
    ctx.Report(Severity::kWarning, "schema.namespace", root,
               fmt::format("the message declares no namespace; expected {}", kCebNamespace));
  } else {
    const std::string_view qname = root.name();
    const size_t colon = qname.find(':');
    const std::string attr = colon == std::string_view::npos ? std::string("xmlns")
                                                             : "xmlns:" + std::string(qname.substr(0, colon));
    const std::string_view ns = root.attribute(attr.c_str()).value();
    if (ns != kCebNamespace) {
      findings.push_back(XmlFinding(
          "xml.not-ceb", fmt::format("the root element is in namespace '{}', not {}", ns, kCebNamespace),
          static_cast<uint32_t>(root.offset_debug() + 1)));
      AssignLines(findings, im.source);
      return result;
    }
  }

  Message message;
  internal::ReadBody(root, *type, message.body, ctx);
  result.message = std::move(message);
  AssignLines(findings, im.source);
  return result;
}

}  // namespace dryport::ceb
