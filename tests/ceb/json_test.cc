// The JSON form: the standard's field names, arrays for repeated elements,
// strings for every value (exact decimals), findings with JSON paths.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "tests/ceb/ceb_test_util.h"

namespace dryport::ceb {
namespace {

using testing::Describe;
using testing::FindFinding;
using testing::ReadSample;
using Json = nlohmann::ordered_json;

Json SampleJson(std::string_view file) { return Json::parse(ToJson(ReadSample(file))); }

// Exactly one finding, `rule` at `path`, whose message contains `says`.
void ExpectOneFinding(const ReadResult& r, std::string_view rule, std::string_view path,
                      std::string_view says) {
  ASSERT_EQ(r.findings.size(), 1u) << Describe(r.findings);
  EXPECT_EQ(r.findings[0].rule, rule);
  EXPECT_EQ(r.findings[0].path, path);
  EXPECT_EQ(r.findings[0].severity, Severity::kError);
  EXPECT_NE(r.findings[0].message.find(says), std::string::npos) << r.findings[0].message;
  EXPECT_TRUE(r.HasErrors(false));
}

TEST(Json, FieldNamesAreTheStandardsAndRepeatedElementsAreArrays) {
  const Json j = SampleJson("CEB311Message-1.xml");
  ASSERT_TRUE(j.contains("CEB311Message"));
  const Json& root = j["CEB311Message"];
  EXPECT_EQ(root["guid"], "4CDE1CFD-EDED-46B1-946C-B8022E42FC94");
  EXPECT_EQ(root["version"], "1.0");
  ASSERT_TRUE(root["Order"].is_array());
  EXPECT_EQ(root["Order"].size(), 6u);
  const Json& head = root["Order"][0]["OrderHead"];
  EXPECT_TRUE(head.is_object());
  EXPECT_EQ(head["acturalPaid"], "19050");  // the standard's spelling, a string
  EXPECT_EQ(head["ebpName"], "东方物通科技(北京)有限公司");
  ASSERT_TRUE(root["Order"][0]["OrderList"].is_array());
  EXPECT_EQ(root["Order"][0]["OrderList"][1]["totalPrice"], "12000");
  EXPECT_EQ(root["Order"][0]["OrderList"][0]["note"], "");  // present and empty stays so
  EXPECT_TRUE(root["BaseTransfer"].is_object());            // once only: an object
  EXPECT_TRUE(root["BaseSubscribe"].is_array());
  ASSERT_TRUE(root["Signature"].is_string());
  EXPECT_TRUE(root["Signature"].get<std::string>().starts_with("<ds:Signature"));
  EXPECT_FALSE(head.contains("consigneeDitrict"));
  EXPECT_TRUE(head.contains("consigneeDistrict"));
}

TEST(Json, SingleBusinessElementIsAnObject) {
  const Json j = SampleJson("CEB711Message-1.xml");
  EXPECT_TRUE(j["CEB711Message"]["Delivery"].is_object());
  EXPECT_TRUE(j["CEB711Message"]["Delivery"]["DeliveryList"].is_array());
}

TEST(Json, FloatsAreRejectedSoDecimalsStayExact) {
  Json j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][1]["OrderList"][0]["price"] = 20.1;
  const ReadResult r = FromJson(j.dump());
  ExpectOneFinding(r, "json.type", "/CEB311Message/Order[2]/OrderList[1]/price", "\"12.50\"");
  ASSERT_TRUE(r.message.has_value());  // the rest is still read
  EXPECT_FALSE(r.message->As<imp::CEB311Message>()->order[1].orderList[0].price.present);
}

TEST(Json, IntegersAreTakenAsTheirDigits) {
  Json j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][0]["OrderList"][0]["qty"] = 100;
  const ReadResult r = FromJson(j.dump());
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  ASSERT_TRUE(r.message.has_value());
  EXPECT_TRUE(*r.message == ReadSample("CEB311Message-1.xml"));
}

TEST(Json, WrongTypes) {
  Json j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][0]["OrderHead"]["orderNo"] = Json::array({"a"});
  ExpectOneFinding(FromJson(j.dump()), "json.type", "/CEB311Message/Order[1]/OrderHead/orderNo",
                   "string");
  j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"] = j["CEB311Message"]["Order"][0];
  ExpectOneFinding(FromJson(j.dump()), "json.type", "/CEB311Message/Order", "array");
  j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["BaseTransfer"] = "DXP";
  ExpectOneFinding(FromJson(j.dump()), "json.type", "/CEB311Message/BaseTransfer", "object");
  j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][0]["OrderHead"]["freight"] = true;
  ExpectOneFinding(FromJson(j.dump()), "json.type", "/CEB311Message/Order[1]/OrderHead/freight",
                   "boolean");
}

TEST(Json, NullIsAbsent) {
  Json j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][0]["OrderHead"]["note"] = nullptr;
  const ReadResult r = FromJson(j.dump());
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  ASSERT_TRUE(r.message.has_value());
  EXPECT_FALSE(r.message->As<imp::CEB311Message>()->order[0].orderHead.note.present);
}

TEST(Json, UnknownKeysAreNamedWithASuggestion) {
  Json j = SampleJson("CEB511Message-1.xml");
  Json& head = j["CEB511Message"]["Logistics"][0]["LogisticsHead"];
  head["consingee"] = head["consignee"];
  head.erase("consignee");
  const ReadResult r = FromJson(j.dump());
  const Finding* f = FindFinding(r.findings, "json.unknown-key",
                                 "/CEB511Message/Logistics[1]/LogisticsHead/consingee");
  ASSERT_NE(f, nullptr) << Describe(r.findings);
  EXPECT_NE(f->message.find("did you mean 'consignee'?"), std::string::npos) << f->message;
  // Nothing close: no suggestion.
  j = SampleJson("CEB511Message-1.xml");
  j["CEB511Message"]["whatever"] = "1";
  const ReadResult r2 = FromJson(j.dump());
  ExpectOneFinding(r2, "json.unknown-key", "/CEB511Message/whatever",
                   "not a field of CEB511Message");
  EXPECT_EQ(r2.findings[0].message.find("did you mean"), std::string::npos);
}

TEST(Json, RootMustBeOneMessageObject) {
  ExpectOneFinding(FromJson("[1, 2]"), "json.not-ceb", "/", "one key");
  ExpectOneFinding(FromJson("\"CEB311Message\""), "json.not-ceb", "/", "one key");
  ExpectOneFinding(FromJson("{}"), "json.not-ceb", "/", "one key");
  ExpectOneFinding(FromJson(R"({"CEB311Message": {}, "CEB312Message": {}})"), "json.not-ceb", "/",
                   "one key");
  ExpectOneFinding(FromJson(R"({"CEB999Message": {}})"), "json.not-ceb", "/CEB999Message",
                   "not a CEB message");
  ExpectOneFinding(FromJson(R"({"CEB311Message": [1]})"), "json.type", "/CEB311Message", "object");
  EXPECT_FALSE(FromJson("[1, 2]").message.has_value());
}

TEST(Json, MalformedJson) {
  for (const char* text :
       {"", "{", R"({"CEB311Message": {"guid": "x",}})", "{'CEB311Message': 1}", "nul"}) {
    const ReadResult r = FromJson(text);
    EXPECT_FALSE(r.message.has_value()) << text;
    ASSERT_EQ(r.findings.size(), 1u) << text;
    EXPECT_EQ(r.findings[0].rule, "json.well-formed") << text;
  }
}

TEST(Json, FindingsHaveNoLines) {
  Json j = SampleJson("CEB311Message-1.xml");
  j["CEB311Message"]["Order"][0]["OrderList"][0]["qty"] = 1.5;
  const ReadResult r = FromJson(j.dump());
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].line, 0);
  EXPECT_EQ(r.findings[0].offset, 0u);
}

TEST(Json, JsonToXmlToModelIsTheSameModel) {
  Reader reader;
  for (const char* file : {"CEB311Message-1.xml", "CEB621Message-2.xml", "CEB816Message-1.xml",
                           "CEB701Message-1.xml", "CEB711Message-1.xml", "CEB213Message-1.xml"}) {
    SCOPED_TRACE(file);
    const Message original = ReadSample(file);
    const ReadResult from_json = FromJson(ToJson(original, 2));
    ASSERT_TRUE(from_json.message.has_value()) << Describe(from_json.findings);
    EXPECT_TRUE(from_json.findings.empty()) << Describe(from_json.findings);
    const ReadResult back = reader.Read(WriteXml(*from_json.message));
    ASSERT_TRUE(back.message.has_value()) << Describe(back.findings);
    EXPECT_TRUE(*back.message == original);
    EXPECT_TRUE(*back.message == *from_json.message);
  }
}

TEST(Json, HandWrittenMessage) {
  const char* text = R"({"CEB513Message": {
    "guid": "4CDE1CFD-EDED-46B1-946C-B8022E42FC94", "version": "1.0",
    "LogisticsStatus": [{
      "guid": "4CDE1CFD-EDED-46B1-946C-B8022E42FC94", "appType": "1", "appTime": "20230102030405",
      "appStatus": "2", "logisticsCode": "1105910159", "logisticsName": "物流", "logisticsNo": "L1",
      "logisticsStatus": "S", "logisticsTime": "20230102030405"}],
    "BaseTransfer": {"copCode": "1105910159", "copName": "物流", "dxpMode": "DXP", "dxpId": "DXPENT0000000001"}}})";
  const ReadResult r = FromJson(text);
  ASSERT_TRUE(r.message.has_value()) << Describe(r.findings);
  EXPECT_TRUE(r.findings.empty()) << Describe(r.findings);
  std::vector<Finding> findings;
  ValidateSchema(*r.message, CodeTables::Builtin(), findings);
  ValidateDocument(*r.message, findings);
  // Complete and consistent (CEB513's signature is optional in the XSD).
  EXPECT_TRUE(findings.empty()) << Describe(findings);
  EXPECT_EQ(r.message->As<imp::CEB513Message>()->logisticsStatus[0].logisticsName.value, "物流");
}

}  // namespace
}  // namespace dryport::ceb
