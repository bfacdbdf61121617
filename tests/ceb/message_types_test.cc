// Every one of the 42 message types, built from the spec with every field
// filled (src/ceb/spec/ceb-202205.json, the file the codec is generated
// from): the writer's output validates against the official XSD, reading it
// back gives the same model, and the document rules reach every amount and
// every numbered list of every type.
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "ceb/codec_support.h"
#include "tests/ceb/ceb_test_util.h"
#include "tests/ceb/xsd_validator.h"

namespace dryport::ceb {
namespace {

using testing::Describe;
using testing::FindFinding;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

const Json& Spec() {
  static const Json spec = [] {
    std::ifstream in(std::string(DRYPORT_SOURCE_DIR) + "/src/ceb/spec/ceb-202205.json");
    return Json::parse(in);
  }();
  return spec;
}

// A leaf of a built message: where it is in the JSON and the path findings
// use for it. Only leaves on the first item of every repeated element.
struct Leaf {
  OrderedJson::json_pointer pointer;
  std::string path;
  const Json* field;  // its spec entry
};

// A repeated element, with the spec of its items.
struct List {
  OrderedJson::json_pointer pointer;  // the array
  std::string path;                   // without index
  const Json* type;
};

constexpr std::string_view kSignature =
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
    "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
    "<ds:SignatureMethod Algorithm=\"http://www.w3.org/2000/09/xmldsig#rsa-sha1\"/>"
    "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>"
    "<ds:DigestMethod "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#sha1\"/><ds:DigestValue>AAAA</ds:DigestValue>"
    "</ds:Reference></ds:SignedInfo><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>";

// Builds the JSON form of a message with every element, attribute and
// repetition the XSD allows (repeated elements twice), each value valid for
// its facets.
class MessageBuilder {
 public:
  explicit MessageBuilder(std::string_view side) {
    for (const auto& schema : Spec()["schemas"]) {
      if (schema["side"] != side) continue;
      for (const auto& type : schema["types"]) types_[type["name"].get<std::string>()] = &type;
    }
  }

  OrderedJson Build(const std::string& root) {
    leaves_.clear();
    lists_.clear();
    OrderedJson out;
    out[root] = Object(*types_.at(root), OrderedJson::json_pointer("/" + root), "/" + root, true);
    return out;
  }
  const std::vector<Leaf>& leaves() const { return leaves_; }
  const std::vector<List>& lists() const { return lists_; }

 private:
  OrderedJson Object(const Json& type, const OrderedJson::json_pointer& pointer,
                     const std::string& path, bool first) {
    OrderedJson out = OrderedJson::object();
    for (const auto& a : type["attributes"]) Put(out, a, pointer, path + "/@", first);
    for (const auto& f : type["fields"]) {
      const std::string name = f["name"];
      const std::string kind = f["kind"];
      if (kind == "signature") {
        out[name] = kSignature;
      } else if (kind == "any") {
        out[name] = "<ext:item xmlns:ext=\"urn:dryport:test\">1</ext:item>";
      } else if (kind == "element") {
        const Json& child = *types_.at(f["type"].get<std::string>());
        if (f["max"] == 1) {
          out[name] = Object(child, pointer / name, path + "/" + name, first);
        } else {
          OrderedJson items = OrderedJson::array();
          for (int i = 0; i < 2; ++i) {
            items.push_back(Object(child, pointer / name / i,
                                   path + "/" + name + "[" + std::to_string(i + 1) + "]",
                                   first && i == 0));
          }
          if (first) lists_.push_back({pointer / name, path + "/" + name, &child});
          out[name] = std::move(items);
        }
      } else {
        Put(out, f, pointer, path + "/", first);
      }
    }
    return out;
  }

  void Put(OrderedJson& out, const Json& f, const OrderedJson::json_pointer& pointer,
           const std::string& prefix, bool first) {
    const std::string name = f["name"];
    out[name] = Value(f);
    if (first) leaves_.push_back({pointer / name, prefix + name, &f});
  }

  static std::string Value(const Json& f) {
    if (f.contains("fixed")) return f["fixed"].get<std::string>();
    if (f.contains("values")) return f["values"][0].get<std::string>();
    const std::string kind = f["kind"];
    if (kind == "decimal") return f.value("fractionDigits", 5) > 0 ? "1.5" : "1";
    if (kind == "int") return "1";
    if (f.contains("time_format")) {
      const std::string format = f["time_format"];
      if (format == "YYYYMMDD") return "20230115";
      if (format == "yyyyMMddHHmmssSSS") return "20230115103000123";
      return "20230115103000";
    }
    const int length = f.value("length", -1);
    const int min_length = f.value("minLength", 0);
    const int max_length = f.value("maxLength", -1);
    if (f.contains("code_table")) {
      const CodeTable* table = CodeTables::Builtin().Find(f["code_table"].get<std::string>());
      if (table != nullptr) {
        for (const auto& e : table->entries()) {
          const int n = static_cast<int>(e.code.size());
          if ((length < 0 || n == length) && n >= min_length && (max_length < 0 || n <= max_length))
            return e.code;
        }
      }
      ADD_FAILURE() << "no code fits " << f.dump();
    }
    // Characters, not bytes: a CJK character at every position of the
    // longest value allowed, Latin where the length is exact (ids, codes).
    if (length >= 0) return std::string(static_cast<size_t>(length), 'A');
    std::string out;
    for (int i = 0; i < (max_length >= 0 ? max_length : std::max(min_length, 2)); ++i) out += "测";
    return out;
  }

  std::map<std::string, const Json*> types_;
  std::vector<Leaf> leaves_;
  std::vector<List> lists_;
};

struct Built {
  OrderedJson json;
  std::vector<Leaf> leaves;
  std::vector<List> lists;
};

Built BuildMessage(MessageType type) {
  const MessageInfo& info = Info(type);
  MessageBuilder builder(info.side == Side::kExport ? "export" : "import");
  Built b;
  b.json = builder.Build(std::string(info.root));
  b.leaves = builder.leaves();
  b.lists = builder.lists();
  return b;
}

Message FromJsonOk(const OrderedJson& json) {
  ReadResult r = FromJson(json.dump());
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  EXPECT_TRUE(r.message.has_value()) << Describe(r.findings);
  return r.message ? std::move(*r.message) : Message{};
}

std::vector<Finding> DocFindings(const OrderedJson& json) {
  std::vector<Finding> out;
  const ReadResult r = FromJson(json.dump());
  EXPECT_TRUE(r.message.has_value());
  if (r.message) ValidateDocument(*r.message, out);
  return out;
}

TEST(MessageTypes, SpecAndGeneratedTablesAgree) {
  // The root TypeSpec the codec carries (MessageInfo::spec) is the spec's.
  int messages = 0;
  for (const auto& schema : Spec()["schemas"]) {
    std::map<std::string, const Json*> types;
    for (const auto& t : schema["types"]) types[t["name"].get<std::string>()] = &t;
    for (const auto& m : schema["messages"]) {
      ++messages;
      const std::string root = m["root"];
      SCOPED_TRACE(root);
      const std::optional<MessageType> type = MessageTypeFromRoot(root);
      ASSERT_TRUE(type.has_value());
      const internal::TypeSpec& spec = *Info(*type).spec;
      const Json& json_type = *types.at(root);
      EXPECT_EQ(spec.name, root);
      ASSERT_EQ(spec.fields.size(), json_type["fields"].size());
      for (size_t i = 0; i < spec.fields.size(); ++i) {
        EXPECT_EQ(spec.fields[i].name, json_type["fields"][i]["name"].get<std::string>());
        EXPECT_EQ(spec.fields[i].min_occurs, json_type["fields"][i]["min"].get<int>());
        EXPECT_EQ(spec.fields[i].max_occurs, json_type["fields"][i]["max"].get<int>());
      }
      ASSERT_EQ(spec.attributes.size(), json_type["attributes"].size());
      EXPECT_EQ(Info(*type).code, m["code"].get<std::string>());
    }
  }
  EXPECT_EQ(messages, kMessageTypeCount);
}

TEST(MessageTypes, EveryTypeWithEveryFieldRoundTripsThroughTheOfficialXsd) {
  XsdValidator xsd;
  Reader reader;
  for (int i = 0; i < kMessageTypeCount; ++i) {
    const auto type = static_cast<MessageType>(i);
    const MessageInfo& info = Info(type);
    SCOPED_TRACE(std::string(info.root));
    const Built built = BuildMessage(type);
    const Message model = FromJsonOk(built.json);
    ASSERT_EQ(model.type(), type);

    std::vector<Finding> schema;
    ValidateSchema(model, CodeTables::Builtin(), schema);
    EXPECT_TRUE(schema.empty()) << Describe(schema);

    const std::string xml = WriteXml(model);
    EXPECT_EQ(xsd.Validate(xml, info.side), "") << xml;

    const ReadResult first = reader.Read(xml);
    ASSERT_TRUE(first.message.has_value()) << Describe(first.findings);
    EXPECT_TRUE(first.findings.empty()) << Describe(first.findings);
    EXPECT_TRUE(*first.message == model);
    const std::string again = WriteXml(*first.message);
    EXPECT_EQ(again, xml);  // canonical output is a fixed point
    const ReadResult second = reader.Read(again);
    ASSERT_TRUE(second.message.has_value());
    EXPECT_TRUE(*second.message == *first.message);
    // And the JSON form carries all of it.
    const ReadResult json_back = FromJson(ToJson(*second.message));
    ASSERT_TRUE(json_back.message.has_value());
    EXPECT_TRUE(*json_back.message == model);
  }
}

TEST(MessageTypes, EveryAmountOfEveryTypeIsCheckedForSign) {
  // Every xs:decimal field of the standard, and packNo, set to -1 one at a
  // time: doc.negative at exactly that path.
  int checked = 0;
  std::set<std::string> names;
  for (int i = 0; i < kMessageTypeCount; ++i) {
    const auto type = static_cast<MessageType>(i);
    Built built = BuildMessage(type);
    for (const Leaf& leaf : built.leaves) {
      const std::string name = (*leaf.field)["name"];
      if ((*leaf.field)["kind"] != "decimal" && name != "packNo") continue;
      SCOPED_TRACE(leaf.path);
      OrderedJson json = built.json;
      json[leaf.pointer] = "-1";
      const auto findings = DocFindings(json);
      EXPECT_NE(FindFinding(findings, "doc.negative", leaf.path), nullptr) << Describe(findings);
      json[leaf.pointer] = "0";
      EXPECT_EQ(FindFinding(DocFindings(json), "doc.negative", leaf.path), nullptr);
      ++checked;
      names.insert(name);
    }
  }
  EXPECT_EQ(checked, 57);        // (message type, amount field) pairs in the 2022-05 spec
  EXPECT_EQ(names.size(), 21u);  // 20 decimal names + packNo
}

// Whether the spec says this gnum numbers its own list: it does unless the
// documentation points to another document's lines.
bool DocSaysOwnSequence(const Json& gnum_field) {
  const std::string doc = gnum_field.value("doc", "");
  return doc.find("对应原") == std::string::npos && doc.find("清单商品项") == std::string::npos;
}

TEST(MessageTypes, EveryNumberedListOfEveryTypeIsChecked) {
  int own = 0;
  int foreign = 0;
  for (int i = 0; i < kMessageTypeCount; ++i) {
    const auto type = static_cast<MessageType>(i);
    Built built = BuildMessage(type);
    for (const List& list : built.lists) {
      for (const char* field : {"gnum", "gseqno"}) {
        const Json* spec_field = nullptr;
        for (const auto& f : (*list.type)["fields"]) {
          if (f["name"] == field) spec_field = &f;
        }
        if (spec_field == nullptr) continue;
        SCOPED_TRACE(list.path + " " + field);
        const bool numbered = DocSaysOwnSequence(*spec_field);
        OrderedJson json = built.json;
        for (auto& item : json[list.pointer]) {
          if (item.contains("gnum")) item["gnum"] = "1";
          if (item.contains("gseqno")) item["gseqno"] = "1";
        }
        json[list.pointer][0][field] = "1";
        json[list.pointer][1][field] = "2";
        const std::string at = list.path + "[2]/" + field;
        EXPECT_EQ(FindFinding(DocFindings(json), "doc.gnum-sequence", at), nullptr);
        json[list.pointer][1][field] = "1";  // a repeat
        const bool reported = FindFinding(DocFindings(json), "doc.gnum-sequence", at) != nullptr;
        EXPECT_EQ(reported, numbered) << (*spec_field)["doc"];
        (numbered ? own : foreign) += 1;
      }
    }
  }
  // OrderList ×2, ArrivalList, DepartureList, InventoryList ×2, WayBillList,
  // SummaryResultList.gseqno, DeliveryList, TaxListRd; InvtRefundList ×2
  // and SummaryResultList.gnum point elsewhere.
  EXPECT_EQ(own, 10);
  EXPECT_EQ(foreign, 3);
}

}  // namespace
}  // namespace dryport::ceb
