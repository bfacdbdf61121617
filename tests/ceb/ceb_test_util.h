// Test helpers shared by the CEB tests: sample files, finding lookup and
// pugixml element lookup by local name.
#ifndef DRYPORT_TESTS_CEB_CEB_TEST_UTIL_H_
#define DRYPORT_TESTS_CEB_CEB_TEST_UTIL_H_

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <pugixml.hpp>

#include "ceb/codec.h"

namespace dryport::ceb::testing {

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path SampleDir() {
  return std::filesystem::path(DRYPORT_SHARED_DIR) / "conformance/public-samples";
}

inline std::string Sample(std::string_view file) { return Slurp(SampleDir() / std::string(file)); }

inline std::string Describe(const std::vector<Finding>& findings) {
  std::string s;
  for (const auto& f : findings) {
    s += "  " + f.rule + " [" + std::string(SeverityName(f.severity)) + "] " + f.path + " line " +
         std::to_string(f.line) + ": " + f.message + "\n";
  }
  return s;
}

// The first finding with this rule (and path, when given), or nullptr.
inline const Finding* FindFinding(const std::vector<Finding>& findings, std::string_view rule,
                                  std::string_view path = {}) {
  for (const auto& f : findings) {
    if (f.rule == rule && (path.empty() || f.path == path)) return &f;
  }
  return nullptr;
}

inline std::vector<Finding> OfLevel(const std::vector<Finding>& findings, Level level) {
  std::vector<Finding> out;
  for (const auto& f : findings) {
    if (f.level == level) out.push_back(f);
  }
  return out;
}

inline std::string_view LocalNameOf(const char* qname) {
  const char* colon = std::strchr(qname, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(qname);
}

// The n-th (1-based, document order) element whose local name is `local`.
inline pugi::xml_node NthElement(pugi::xml_node root, std::string_view local, int n) {
  int seen = 0;
  pugi::xml_node found;
  struct Walker : pugi::xml_tree_walker {
    std::string_view local;
    int n = 0;
    int* seen = nullptr;
    pugi::xml_node* found = nullptr;
    bool for_each(pugi::xml_node& node) override {
      if (node.type() == pugi::node_element && LocalNameOf(node.name()) == local && ++*seen == n) {
        *found = node;
        return false;
      }
      return true;
    }
  } walker;
  walker.local = local;
  walker.n = n;
  walker.seen = &seen;
  walker.found = &found;
  if (root.type() == pugi::node_element && LocalNameOf(root.name()) == local) {
    if (n == 1) return root;
    seen = 1;  // traverse() visits the descendants only
  }
  root.traverse(walker);
  return found;
}

inline std::string Serialize(const pugi::xml_document& doc) {
  struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  doc.save(writer, "\t", pugi::format_default, pugi::encoding_utf8);
  return std::move(writer.out);
}

// 1-based line of a byte offset.
inline int LineAt(std::string_view text, size_t offset) {
  int line = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
  return line;
}

// Reads a sample and gives its model (the sample must be readable).
inline Message ReadSample(std::string_view file) {
  Reader reader;
  ReadResult r = reader.Read(Sample(file));
  return std::move(r.message).value();
}

}  // namespace dryport::ceb::testing

#endif  // DRYPORT_TESTS_CEB_CEB_TEST_UTIL_H_
