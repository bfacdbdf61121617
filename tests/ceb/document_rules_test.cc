// Document-level rules (document_rules.cc): for every rule a message that
// breaks it and one that keeps it, each made from a public sample by
// changing one field.
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "ceb/codec.h"
#include "ceb/document_rules_id_number.h"
#include "tests/ceb/ceb_test_util.h"

namespace dryport::ceb {
namespace {

using testing::Describe;
using testing::FindFinding;
using testing::ReadSample;

std::vector<Finding> DocFindings(const Message& m) {
  std::vector<Finding> out;
  ValidateDocument(m, out);
  for (const auto& f : out) {
    EXPECT_EQ(f.level, Level::kDocument) << f.rule;
    EXPECT_EQ(f.severity, Severity::kError) << f.rule;
    EXPECT_TRUE(f.rule.starts_with("doc.")) << f.rule;
  }
  return out;
}

// True when `rule` is reported at `path`.
bool Has(const Message& m, std::string_view rule, std::string_view path) {
  return FindFinding(DocFindings(m), rule, path) != nullptr;
}

// True when `rule` is reported anywhere.
bool HasRule(const Message& m, std::string_view rule) {
  return FindFinding(DocFindings(m), rule) != nullptr;
}

// ---------------------------------------------------------------- total price

constexpr std::string_view k311Line2Total = "/CEB311Message/Order[1]/OrderList[2]/totalPrice";

TEST(DocTotalPrice, SampleLineWithWrongTotalIsReportedWithTheValuesAndItsPosition) {
  const Message m = ReadSample("CEB311Message-1.xml");
  const auto findings = DocFindings(m);
  const Finding* f = FindFinding(findings, "doc.total-price", k311Line2Total);
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_EQ(f->message, "totalPrice 12000 ≠ qty 200 × price 10 = 2000");
  EXPECT_EQ(f->offset, m.As<imp::CEB311Message>()->order[0].orderList[1].totalPrice.pos.offset);
  EXPECT_NE(f->offset, 0u);
  // Line 1 (100 × 20 = 2000) is right.
  EXPECT_EQ(
      FindFinding(findings, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"),
      nullptr);
}

TEST(DocTotalPrice, CheckFillsTheLineOfTheField) {
  Reader reader;
  const CheckResult r =
      Check(reader, testing::Sample("CEB311Message-1.xml"), CodeTables::Builtin(), false);
  const Finding* f = FindFinding(r.findings, "doc.total-price", k311Line2Total);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->line,
            62);  // <ceb:totalPrice>12000</ceb:totalPrice> of the first order's second line
}

TEST(DocTotalPrice, CorrectedTotalPasses) {
  Message m = ReadSample("CEB311Message-1.xml");
  m.As<imp::CEB311Message>()->order[0].orderList[1].totalPrice = "2000";
  EXPECT_FALSE(Has(m, "doc.total-price", k311Line2Total));
  EXPECT_TRUE(
      Has(m, "doc.total-price", "/CEB311Message/Order[2]/OrderList[2]/totalPrice"));  // untouched
}

TEST(DocTotalPrice, ComparesAtTwoDecimalsRoundedHalfUp) {
  Message m = ReadSample("CEB311Message-1.xml");
  auto& line = m.As<imp::CEB311Message>()->order[0].orderList[0];
  line.qty = "3";
  line.price = "0.333";
  line.totalPrice = "1.00";  // 0.999 -> 1.00
  EXPECT_FALSE(Has(m, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"));
  line.totalPrice = "0.99";
  EXPECT_TRUE(Has(m, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"));
  line.qty = "1";
  line.price = "10.005";
  line.totalPrice = "10.01";  // half-up: 10.005 -> 10.01
  EXPECT_FALSE(Has(m, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"));
  line.totalPrice = "10.00";
  EXPECT_TRUE(Has(m, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"));
  line.totalPrice = "10.00999";  // 10.01 at the fen
  EXPECT_FALSE(Has(m, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice"));
}

TEST(DocTotalPrice, AppliesToExportOrdersAndBothInventories) {
  Message exp_order = ReadSample("CEB303Message-1.xml");
  auto& exp_line = exp_order.As<exp::CEB303Message>()->order[0].orderList[0];
  EXPECT_FALSE(
      Has(exp_order, "doc.total-price", "/CEB303Message/Order[1]/OrderList[1]/totalPrice"));
  exp_line.totalPrice = "1999.99";
  EXPECT_TRUE(Has(exp_order, "doc.total-price", "/CEB303Message/Order[1]/OrderList[1]/totalPrice"));

  Message exp_invt = ReadSample("CEB603Message-1.xml");  // 100 × 20 declared as 200
  EXPECT_TRUE(
      Has(exp_invt, "doc.total-price", "/CEB603Message/Inventory[1]/InventoryList[1]/totalPrice"));
  exp_invt.As<exp::CEB603Message>()->inventory[0].inventoryList[0].totalPrice = "2000.00000";
  EXPECT_FALSE(
      Has(exp_invt, "doc.total-price", "/CEB603Message/Inventory[1]/InventoryList[1]/totalPrice"));

  Message imp_invt = ReadSample("CEB621Message-2.xml");
  EXPECT_FALSE(HasRule(imp_invt, "doc.total-price"));
  imp_invt.As<imp::CEB621Message>()->inventory[1].inventoryList[0].price = "1145.61";
  EXPECT_TRUE(
      Has(imp_invt, "doc.total-price", "/CEB621Message/Inventory[2]/InventoryList[1]/totalPrice"));
}

TEST(DocTotalPrice, SilentWhereTheSchemaAlreadyRejectsTheNumbers) {
  Message m = ReadSample("CEB311Message-1.xml");
  auto& line = m.As<imp::CEB311Message>()->order[0].orderList[1];
  line.qty = "two hundred";  // schema.decimal says so
  EXPECT_FALSE(Has(m, "doc.total-price", k311Line2Total));
  // 38-digit operands: the product overflows 128 bits; no crash, no finding.
  line.qty = std::string(38, '9');
  line.price = std::string(38, '9');
  EXPECT_FALSE(Has(m, "doc.total-price", k311Line2Total));
}

// ---------------------------------------------------------------- goods value

TEST(DocGoodsValue, SumOfDeclaredLineTotals) {
  Message m = ReadSample("CEB311Message-1.xml");  // 14000 = 2000 + 12000
  const std::string path = "/CEB311Message/Order[1]/OrderHead/goodsValue";
  EXPECT_FALSE(Has(m, "doc.goods-value", path));
  auto& head = m.As<imp::CEB311Message>()->order[0].orderHead;
  head.goodsValue = "14000.004";  // 14000.00 at the fen
  EXPECT_FALSE(Has(m, "doc.goods-value", path));
  head.goodsValue = "14000.01";
  const auto findings = DocFindings(m);
  const Finding* f = FindFinding(findings, "doc.goods-value", path);
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_EQ(f->message,
            "goodsValue 14000.01 ≠ the sum of the lines' totalPrice 2000 + 12000 = 14000");
}

TEST(DocGoodsValue, ExportOrder) {
  Message m =
      ReadSample("CEB303Message-1.xml");  // goodsValue 12345678912345.12345, one line of 2000
  EXPECT_TRUE(Has(m, "doc.goods-value", "/CEB303Message/Order[1]/OrderHead/goodsValue"));
  m.As<exp::CEB303Message>()->order[0].orderHead.goodsValue = "2000";
  EXPECT_FALSE(Has(m, "doc.goods-value", "/CEB303Message/Order[1]/OrderHead/goodsValue"));
}

// ---------------------------------------------------------------- acturalPaid

TEST(DocActuralPaid, RealXianOrderDoesNotAddUp) {
  Message m = ReadSample("CEB311Message-2.xml");
  const std::string path = "/CEB311Message/Order[1]/OrderHead/acturalPaid";
  const auto findings = DocFindings(m);
  const Finding* f = FindFinding(findings, "doc.actural-paid", path);
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_EQ(
      f->message,
      "acturalPaid 2965.28 ≠ goodsValue 2803.3 + freight 0 + taxTotal 255.1 − discount 0 = 3058.4");
  // A declared discount of 93.12 makes it add up.
  m.As<imp::CEB311Message>()->order[0].orderHead.discount = "93.12";
  EXPECT_FALSE(Has(m, "doc.actural-paid", path));
  m.As<imp::CEB311Message>()->order[0].orderHead.freight = "0.01";
  EXPECT_TRUE(Has(m, "doc.actural-paid", path));
}

TEST(DocActuralPaid, OfficialSampleAddsUp) {
  Message m = ReadSample("CEB311Message-1.xml");  // 14000 + 5000 + 50 - 0 = 19050
  EXPECT_FALSE(HasRule(m, "doc.actural-paid"));
  m.As<imp::CEB311Message>()->order[2].orderHead.taxTotal = "49.99";
  EXPECT_TRUE(Has(m, "doc.actural-paid", "/CEB311Message/Order[3]/OrderHead/acturalPaid"));
}

// ---------------------------------------------------------------- gnum

TEST(DocGnumSequence, OrderLinesSkipRepeatAndOutOfOrder) {
  Message m = ReadSample("CEB311Message-1.xml");
  auto& lines = m.As<imp::CEB311Message>()->order[0].orderList;
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
  lines[1].gnum = "3";
  auto findings = DocFindings(m);
  const Finding* f =
      FindFinding(findings, "doc.gnum-sequence", "/CEB311Message/Order[1]/OrderList[2]/gnum");
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_NE(f->message.find("skips 2"), std::string::npos) << f->message;
  EXPECT_NE(f->message.find("they are 1, 3"), std::string::npos) << f->message;
  EXPECT_EQ(f->offset, lines[1].gnum.pos.offset);

  lines[1].gnum = "1";
  findings = DocFindings(m);
  f = FindFinding(findings, "doc.gnum-sequence", "/CEB311Message/Order[1]/OrderList[2]/gnum");
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_NE(f->message.find("repeats"), std::string::npos) << f->message;

  lines[0].gnum = "2";
  lines[1].gnum = "1";
  findings = DocFindings(m);
  f = FindFinding(findings, "doc.gnum-sequence", "/CEB311Message/Order[1]/OrderList[1]/gnum");
  ASSERT_NE(f, nullptr) << Describe(findings);
  // One finding per list, at the first line that breaks the run.
  EXPECT_EQ(FindFinding(findings, "doc.gnum-sequence", "/CEB311Message/Order[1]/OrderList[2]/gnum"),
            nullptr);

  lines[0].gnum = " 1 ";  // xs:int collapses white space
  lines[1].gnum = "+2";
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
}

// Breaks the numbering of the last line of a list and expects the finding.
template <class Line>
void ExpectNumbered(Message& m, std::vector<Line>& lines, const std::string& list_path) {
  ASSERT_FALSE(lines.empty());
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence")) << Describe(DocFindings(m));
  const std::string was = lines.back().gnum.value;
  lines.back().gnum = std::to_string(lines.size() + 5);
  EXPECT_TRUE(
      Has(m, "doc.gnum-sequence", list_path + "[" + std::to_string(lines.size()) + "]/gnum"))
      << list_path << "\n"
      << Describe(DocFindings(m));
  lines.back().gnum = was;
}

TEST(DocGnumSequence, EveryOwnNumberedList) {
  Message m507 = ReadSample("CEB507Message-1.xml");
  ExpectNumbered(m507, m507.As<exp::CEB507Message>()->arrival[0].arrivalList,
                 "/CEB507Message/Arrival[1]/ArrivalList");
  Message m509 = ReadSample("CEB509Message-1.xml");
  ExpectNumbered(m509, m509.As<exp::CEB509Message>()->departure[0].departureList,
                 "/CEB509Message/Departure[1]/DepartureList");
  Message m607 = ReadSample("CEB607Message-1.xml");
  ExpectNumbered(m607, m607.As<exp::CEB607Message>()->wayBill[3].wayBillList,
                 "/CEB607Message/WayBill[4]/WayBillList");
  Message m603 = ReadSample("CEB603Message-1.xml");
  ExpectNumbered(m603, m603.As<exp::CEB603Message>()->inventory[0].inventoryList,
                 "/CEB603Message/Inventory[1]/InventoryList");
  Message m303 = ReadSample("CEB303Message-1.xml");
  ExpectNumbered(m303, m303.As<exp::CEB303Message>()->order[9].orderList,
                 "/CEB303Message/Order[10]/OrderList");
  Message m621 = ReadSample("CEB621Message-2.xml");
  ExpectNumbered(m621, m621.As<imp::CEB621Message>()->inventory[1].inventoryList,
                 "/CEB621Message/Inventory[2]/InventoryList");
  // The single Delivery of a CEB711 has no index.
  Message m711 = ReadSample("CEB711Message-1.xml");
  ExpectNumbered(m711, m711.As<imp::CEB711Message>()->delivery.deliveryList,
                 "/CEB711Message/Delivery/DeliveryList");
  Message m816 = ReadSample("CEB816Message-1.xml");
  ExpectNumbered(m816, m816.As<imp::CEB816Message>()->tax[0].taxListRd,
                 "/CEB816Message/Tax[1]/TaxListRd");
}

TEST(DocGnumSequence, ReturnLinesNameTheOriginalInventoryLinesSoAnyOrderIsFine) {
  // InvtRefundList.gnum is "对应原(申报)清单表体(项)序号": returning items 5 and 3 is fine.
  Message m625 = ReadSample("CEB625Message-1.xml");
  auto& imp_lines = m625.As<imp::CEB625Message>()->invtRefund[0].invtRefundList;
  imp_lines[0].gnum = "5";
  imp_lines.push_back(imp_lines[0]);
  imp_lines.back().gnum = "3";
  EXPECT_FALSE(HasRule(m625, "doc.gnum-sequence"));
  Message m213 = ReadSample("CEB213Message-1.xml");
  m213.As<exp::CEB213Message>()->invtRefund[0].invtRefundList[0].gnum = "7";
  EXPECT_FALSE(HasRule(m213, "doc.gnum-sequence"));
}

TEST(DocGnumSequence, SummaryResultIsNumberedByGseqnoNotGnum) {
  Message m = ReadSample("CEB792Message-1.xml");  // gseqno absent (derivable), gnum 1, 2
  auto& lines = m.As<exp::CEB792Message>()->summaryResult[0].summaryResultList;
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
  lines[0].gnum = "9";  // the inventory's item number: anything goes
  lines[1].gnum = "9";
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
  lines[0].gseqno = "1";
  lines[1].gseqno = "2";
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
  lines[1].gseqno = "1";
  EXPECT_TRUE(
      Has(m, "doc.gnum-sequence", "/CEB792Message/SummaryResult[1]/SummaryResultList[2]/gseqno"));
  // One line without gseqno still counts as its position.
  lines[0].gseqno.Clear();
  lines[1].gseqno = "2";
  EXPECT_FALSE(HasRule(m, "doc.gnum-sequence"));
}

// ---------------------------------------------------------------- msg seq

TEST(DocMsgSeq, SplitCounterBounds) {
  Message m = ReadSample("CEB507Message-1.xml");  // 1 of 1
  auto& head = m.As<exp::CEB507Message>()->arrival[0].arrivalHead;
  const std::string base = "/CEB507Message/Arrival[1]/ArrivalHead/";
  EXPECT_FALSE(HasRule(m, "doc.msg-seq"));
  head.msgSeqNo = "2";
  EXPECT_TRUE(Has(m, "doc.msg-seq", base + "msgSeqNo"));
  head.msgCount = "3";
  EXPECT_FALSE(HasRule(m, "doc.msg-seq"));
  head.msgSeqNo = "0";
  EXPECT_TRUE(Has(m, "doc.msg-seq", base + "msgSeqNo"));
  head.msgSeqNo = "1";
  head.msgCount = "0";
  EXPECT_TRUE(Has(m, "doc.msg-seq", base + "msgCount"));
}

TEST(DocMsgSeq, EveryHeadWithACounter) {
  Message m509 = ReadSample("CEB509Message-1.xml");
  m509.As<exp::CEB509Message>()->departure[0].departureHead.msgSeqNo = "5";
  EXPECT_TRUE(Has(m509, "doc.msg-seq", "/CEB509Message/Departure[1]/DepartureHead/msgSeqNo"));
  Message m607 = ReadSample("CEB607Message-1.xml");  // 9 of 9
  EXPECT_FALSE(HasRule(m607, "doc.msg-seq"));
  m607.As<exp::CEB607Message>()->wayBill[0].wayBillHead.msgCount = "8";
  EXPECT_TRUE(Has(m607, "doc.msg-seq", "/CEB607Message/WayBill[1]/WayBillHead/msgSeqNo"));
  Message m701 = ReadSample("CEB701Message-1.xml");
  m701.As<exp::CEB701Message>()->summaryApply[0].summaryApplyHead.msgSeqNo = "2";
  EXPECT_TRUE(Has(m701, "doc.msg-seq", "/CEB701Message/SummaryApply[1]/SummaryApplyHead/msgSeqNo"));
  Message m792 = ReadSample("CEB792Message-1.xml");
  m792.As<exp::CEB792Message>()->summaryResult[0].summaryResultHead.msgCount = "-1";
  EXPECT_TRUE(
      Has(m792, "doc.msg-seq", "/CEB792Message/SummaryResult[1]/SummaryResultHead/msgCount"));
}

// ---------------------------------------------------------------- time range

TEST(DocTimeRange, BothEndsOrNeitherAndInOrder) {
  Message m = ReadSample("CEB701Message-1.xml");  // no range: fine
  auto& head = m.As<exp::CEB701Message>()->summaryApply[0].summaryApplyHead;
  const std::string base = "/CEB701Message/SummaryApply[1]/SummaryApplyHead/";
  EXPECT_FALSE(HasRule(m, "doc.time-range"));
  head.startTime = "20230101000000";
  EXPECT_TRUE(Has(m, "doc.time-range", base + "endTime"));
  head.endTime = "";  // an empty element is no end either
  EXPECT_TRUE(Has(m, "doc.time-range", base + "endTime"));
  head.endTime = "20230131235959";
  EXPECT_FALSE(HasRule(m, "doc.time-range"));
  head.endTime = "20230101000000";  // a one-instant range is allowed: 结束时间须大于等于开始时间
  EXPECT_FALSE(HasRule(m, "doc.time-range"));
  head.endTime = "20221231235959";
  EXPECT_TRUE(Has(m, "doc.time-range", base + "endTime"));
  head.startTime.Clear();
  EXPECT_TRUE(Has(m, "doc.time-range", base + "startTime"));
  head.startTime = "20230230000000";  // not a date: schema.time-format, not this rule
  EXPECT_FALSE(HasRule(m, "doc.time-range"));
}

// ---------------------------------------------------------------- negative

TEST(DocNegative, NegativeAmountsAreWrongAndAGiftIsFree) {
  Message m = ReadSample("CEB311Message-1.xml");
  auto& order = m.As<imp::CEB311Message>()->order[0];
  order.orderList[0].price = "0";
  order.orderList[0].totalPrice = "0";
  order.orderHead.goodsValue = "12000";
  order.orderHead.acturalPaid = "17050";
  EXPECT_FALSE(HasRule(m, "doc.negative"));
  order.orderList[0].qty = "-100";
  EXPECT_TRUE(Has(m, "doc.negative", "/CEB311Message/Order[1]/OrderList[1]/qty"));
  order.orderHead.discount = "-0.00001";
  EXPECT_TRUE(Has(m, "doc.negative", "/CEB311Message/Order[1]/OrderHead/discount"));
  order.orderHead.discount = "-0";
  EXPECT_FALSE(Has(m, "doc.negative", "/CEB311Message/Order[1]/OrderHead/discount"));

  Message tax = ReadSample("CEB816Message-1.xml");
  EXPECT_FALSE(HasRule(tax, "doc.negative"));
  tax.As<imp::CEB816Message>()->tax[0].taxListRd[2].valueAddedTax = "-5";
  EXPECT_TRUE(Has(tax, "doc.negative", "/CEB816Message/Tax[1]/TaxListRd[3]/valueAddedTax"));
}

// ---------------------------------------------------------------- weight

TEST(DocWeight, NetNeverAboveGross) {
  Message m = ReadSample("CEB621Message-2.xml");  // 15.8 / 7.68
  auto& head = m.As<imp::CEB621Message>()->inventory[0].inventoryHead;
  EXPECT_FALSE(HasRule(m, "doc.weight"));
  head.netWeight = "15.8";
  EXPECT_FALSE(HasRule(m, "doc.weight"));
  head.netWeight = "15.80001";
  EXPECT_TRUE(Has(m, "doc.weight", "/CEB621Message/Inventory[1]/InventoryHead/netWeight"));

  Message exp_invt = ReadSample("CEB603Message-1.xml");  // 80.25 / 70.25
  EXPECT_FALSE(HasRule(exp_invt, "doc.weight"));
  exp_invt.As<exp::CEB603Message>()->inventory[4].inventoryHead.grossWeight = "70";
  EXPECT_TRUE(Has(exp_invt, "doc.weight", "/CEB603Message/Inventory[5]/InventoryHead/netWeight"));

  Message result = ReadSample("CEB792Message-1.xml");
  auto& rh = result.As<exp::CEB792Message>()->summaryResult[0].summaryResultHead;
  rh.grossWeight = "1";
  rh.netWeight = "2";
  EXPECT_TRUE(
      Has(result, "doc.weight", "/CEB792Message/SummaryResult[1]/SummaryResultHead/netWeight"));
}

// ---------------------------------------------------------------- identity

TEST(ResidentId, StandardExamplesAndBrokenOnes) {
  // GB 11643-1999's own examples, and the samples' anonymised numbers.
  EXPECT_EQ(internal::ResidentIdProblem("11010519491231002X"), "");
  EXPECT_EQ(internal::ResidentIdProblem("440524188001010014"), "");
  EXPECT_EQ(internal::ResidentIdProblem("110101190001010014"), "");
  EXPECT_EQ(internal::ResidentIdCheckChar("11010519491231002"), 'X');
  EXPECT_NE(internal::ResidentIdProblem("110105194912310021"), "");  // check digit should be X
  EXPECT_NE(internal::ResidentIdProblem("11010519491231002x"),
            "");  // the standard's X is a capital
  EXPECT_NE(internal::ResidentIdProblem("11010519490230002X"), "");  // 1949-02-30
  EXPECT_NE(internal::ResidentIdProblem("1101051949123100"), "");    // 16 characters
  EXPECT_NE(internal::ResidentIdProblem("11010519491231002X1"), "");
  EXPECT_NE(internal::ResidentIdProblem("1101051949A231002X"), "");
  EXPECT_NE(internal::ResidentIdProblem(""), "");
  EXPECT_NE(internal::ResidentIdProblem("身份证号码身份证"), "");
}

TEST(DocIdNumber, BuyerOfOrderInventoryRevocationAndReturn) {
  Message m = ReadSample("CEB311Message-1.xml");
  auto& head = m.As<imp::CEB311Message>()->order[0].orderHead;
  EXPECT_FALSE(HasRule(m, "doc.id-number"));
  head.buyerIdNumber = "110101190001010015";
  const auto findings = DocFindings(m);
  const Finding* f =
      FindFinding(findings, "doc.id-number", "/CEB311Message/Order[1]/OrderHead/buyerIdNumber");
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_NE(f->message.find("gives 4"), std::string::npos) << f->message;
  head.buyerIdType = "2";  // another document: no card number to check, but the type is wrong
  EXPECT_FALSE(HasRule(m, "doc.id-number"));
  EXPECT_TRUE(Has(m, "doc.id-type", "/CEB311Message/Order[1]/OrderHead/buyerIdType"));

  Message invt = ReadSample("CEB621Message-3.xml");
  EXPECT_FALSE(HasRule(invt, "doc.id-number"));
  invt.As<imp::CEB621Message>()->inventory[0].inventoryHead.buyerIdNumber = "11010119000101006";
  EXPECT_TRUE(
      Has(invt, "doc.id-number", "/CEB621Message/Inventory[1]/InventoryHead/buyerIdNumber"));

  Message cancel = ReadSample("CEB623Message-1.xml");
  EXPECT_FALSE(HasRule(cancel, "doc.id-number"));
  cancel.As<imp::CEB623Message>()->invtCancel[3].buyerIdNumber = "110101190013010014";  // month 13
  EXPECT_TRUE(Has(cancel, "doc.id-number", "/CEB623Message/InvtCancel[4]/buyerIdNumber"));

  Message refund = ReadSample("CEB625Message-1.xml");
  EXPECT_FALSE(HasRule(refund, "doc.id-number"));
  refund.As<imp::CEB625Message>()->invtRefund[0].invtRefundHead.buyerIdNumber =
      "A10101190001010022";
  EXPECT_TRUE(
      Has(refund, "doc.id-number", "/CEB625Message/InvtRefund[1]/InvtRefundHead/buyerIdNumber"));
}

TEST(DocIdNumber, Payer) {
  Message m = ReadSample("CEB411Message-2.xml");
  EXPECT_FALSE(HasRule(m, "doc.id-number"));
  m.As<imp::CEB411Message>()->payment[1].paymentHead.payerIdNumber = "110101190001010058";
  EXPECT_TRUE(Has(m, "doc.id-number", "/CEB411Message/Payment[2]/PaymentHead/payerIdNumber"));
  m.As<imp::CEB411Message>()->payment[1].paymentHead.payerIdType = "2";
  EXPECT_FALSE(HasRule(m, "doc.id-number"));
  EXPECT_TRUE(Has(m, "doc.id-type", "/CEB411Message/Payment[2]/PaymentHead/payerIdType"));
  m.As<imp::CEB411Message>()->payment[1].paymentHead.payerIdType =
      "7";  // not a code: schema.code's
  EXPECT_FALSE(HasRule(m, "doc.id-type"));
}

// ---------------------------------------------------------------- bonded

TEST(DocBondedFields, BondedImportInventoryCarriesItsAccountBook) {
  Message m = ReadSample("CEB621Message-2.xml");  // tradeMode 1210, complete
  auto& invt = m.As<imp::CEB621Message>()->inventory[0];
  EXPECT_FALSE(HasRule(m, "doc.bonded-fields"));
  invt.inventoryHead.emsNo = "";
  invt.inventoryList[1].itemRecordNo = Text();  // as if never in the file
  auto findings = DocFindings(m);
  EXPECT_NE(
      FindFinding(findings, "doc.bonded-fields", "/CEB621Message/Inventory[1]/InventoryHead/emsNo"),
      nullptr)
      << Describe(findings);
  const Finding* line = FindFinding(findings, "doc.bonded-fields",
                                    "/CEB621Message/Inventory[1]/InventoryList[2]/itemRecordNo");
  ASSERT_NE(line, nullptr) << Describe(findings);
  EXPECT_EQ(line->offset, invt.inventoryList[1].pos.offset);  // absent: points at its line
  EXPECT_EQ(FindFinding(findings, "doc.bonded-fields",
                        "/CEB621Message/Inventory[1]/InventoryList[1]/itemRecordNo"),
            nullptr);
  invt.inventoryHead.areaName.Clear();
  invt.inventoryHead.country = "502";
  findings = DocFindings(m);
  EXPECT_NE(FindFinding(findings, "doc.bonded-fields",
                        "/CEB621Message/Inventory[1]/InventoryHead/areaName"),
            nullptr);
  EXPECT_NE(FindFinding(findings, "doc.bonded-fields",
                        "/CEB621Message/Inventory[1]/InventoryHead/country"),
            nullptr);
  // The same gaps in a direct-purchase (9610) inventory are fine.
  invt.inventoryHead.tradeMode = "9610";
  EXPECT_FALSE(HasRule(m, "doc.bonded-fields"));
}

TEST(DocBondedFields, SpecialZoneExportInventory) {
  Message m = ReadSample("CEB603Message-1.xml");  // tradeMode 0101 (placeholder), no iacCode
  auto& invt = m.As<exp::CEB603Message>()->inventory[0];
  EXPECT_FALSE(HasRule(m, "doc.bonded-fields"));
  invt.inventoryHead.tradeMode = "1210";
  invt.inventoryHead.iacCode = "6104W6003C";
  invt.inventoryHead.iacName = "区内企业";
  invt.inventoryList[0].itemRecordNo = "";
  const auto findings = DocFindings(m);
  EXPECT_NE(FindFinding(findings, "doc.bonded-fields",
                        "/CEB603Message/Inventory[1]/InventoryList[1]/itemRecordNo"),
            nullptr)
      << Describe(findings);
  EXPECT_EQ(FindFinding(findings, "doc.bonded-fields",
                        "/CEB603Message/Inventory[1]/InventoryHead/iacCode"),
            nullptr);
  invt.inventoryList[0].itemRecordNo = "A0001";
  EXPECT_FALSE(HasRule(m, "doc.bonded-fields"));
  invt.inventoryHead.tradeMode = "1239";
  invt.inventoryHead.iacCode.Clear();
  EXPECT_TRUE(Has(m, "doc.bonded-fields", "/CEB603Message/Inventory[1]/InventoryHead/iacCode"));
}

// ---------------------------------------------------------------- fixed by the message

TEST(DocLogisticsStatus, OnlySIsAllowed) {
  Message r = ReadSample("CEB513Message-1.xml");
  const auto findings = DocFindings(r);
  const Finding* f = FindFinding(findings, "doc.logistics-status",
                                 "/CEB513Message/LogisticsStatus[1]/logisticsStatus");
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_EQ(f->offset, r.As<imp::CEB513Message>()->logisticsStatus[0].logisticsStatus.pos.offset);
  Message s = ReadSample("CEB513Message-2.xml");
  EXPECT_FALSE(HasRule(s, "doc.logistics-status"));
  s.As<imp::CEB513Message>()->logisticsStatus[2].logisticsStatus = "R";
  EXPECT_TRUE(Has(s, "doc.logistics-status", "/CEB513Message/LogisticsStatus[3]/logisticsStatus"));
  Message receipt = ReadSample("CEB514Message-1.xml");
  EXPECT_FALSE(HasRule(receipt, "doc.logistics-status"));
  receipt.As<imp::CEB514Message>()->logisticsStatusReturn[0].logisticsStatus = "R";
  EXPECT_TRUE(Has(receipt, "doc.logistics-status",
                  "/CEB514Message/LogisticsStatusReturn[1]/logisticsStatus"));
}

TEST(DocPackNo, ImportParcelIsOne) {
  Message m = ReadSample("CEB621Message-2.xml");
  EXPECT_FALSE(HasRule(m, "doc.pack-no"));
  m.As<imp::CEB621Message>()->inventory[1].inventoryHead.packNo = "2";
  EXPECT_TRUE(Has(m, "doc.pack-no", "/CEB621Message/Inventory[2]/InventoryHead/packNo"));
  Message waybill = ReadSample("CEB511Message-2.xml");
  EXPECT_FALSE(HasRule(waybill, "doc.pack-no"));
  waybill.As<imp::CEB511Message>()->logistics[0].logisticsHead.packNo = "3";
  EXPECT_TRUE(Has(waybill, "doc.pack-no", "/CEB511Message/Logistics[1]/LogisticsHead/packNo"));
  // Export waybills and inventories may hold several parcels.
  Message exp_waybill = ReadSample("CEB505Message-1.xml");  // packNo 9
  EXPECT_FALSE(HasRule(exp_waybill, "doc.pack-no"));
}

TEST(DocIeFlag, InventoriesAndExportReturns) {
  Message imp_invt = ReadSample("CEB621Message-1.xml");
  EXPECT_FALSE(HasRule(imp_invt, "doc.ie-flag"));
  imp_invt.As<imp::CEB621Message>()->inventory[0].inventoryHead.ieFlag = "E";
  EXPECT_TRUE(Has(imp_invt, "doc.ie-flag", "/CEB621Message/Inventory[1]/InventoryHead/ieFlag"));
  Message exp_invt = ReadSample("CEB603Message-1.xml");  // ieFlag "a": schema.code, not this rule
  EXPECT_FALSE(HasRule(exp_invt, "doc.ie-flag"));
  exp_invt.As<exp::CEB603Message>()->inventory[0].inventoryHead.ieFlag = "I";
  EXPECT_TRUE(Has(exp_invt, "doc.ie-flag", "/CEB603Message/Inventory[1]/InventoryHead/ieFlag"));
  exp_invt.As<exp::CEB603Message>()->inventory[0].inventoryHead.ieFlag = "E";
  EXPECT_FALSE(HasRule(exp_invt, "doc.ie-flag"));
  Message ret = ReadSample("CEB213Message-1.xml");
  EXPECT_FALSE(HasRule(ret, "doc.ie-flag"));
  ret.As<exp::CEB213Message>()->invtRefund[0].invtRefundHead.ieFlag = "E";
  EXPECT_TRUE(Has(ret, "doc.ie-flag", "/CEB213Message/InvtRefund[1]/InvtRefundHead/ieFlag"));
  Message tally = ReadSample("CEB215Message-1.xml");
  EXPECT_FALSE(HasRule(tally, "doc.ie-flag"));
  tally.As<exp::CEB215Message>()->invtRefundDetail[0].ieFlag = "E";
  EXPECT_TRUE(Has(tally, "doc.ie-flag", "/CEB215Message/InvtRefundDetail[1]/ieFlag"));
  // An arrival may be either way.
  Message arrival = ReadSample("CEB507Message-1.xml");
  arrival.As<exp::CEB507Message>()->arrival[0].arrivalHead.ieFlag = "I";
  EXPECT_FALSE(HasRule(arrival, "doc.ie-flag"));
}

TEST(DocOrderType, ImportOrderIsI) {
  Message m = ReadSample("CEB311Message-2.xml");
  EXPECT_FALSE(HasRule(m, "doc.order-type"));
  m.As<imp::CEB311Message>()->order[1].orderHead.orderType = "E";
  EXPECT_TRUE(Has(m, "doc.order-type", "/CEB311Message/Order[2]/OrderHead/orderType"));
  Message exp_order = ReadSample("CEB303Message-1.xml");
  exp_order.As<exp::CEB303Message>()->order[0].orderHead.orderType = "B";  // B2B export: fine
  EXPECT_FALSE(HasRule(exp_order, "doc.order-type"));
}

TEST(DocAppType, ImportRevocationIsAlwaysNew) {
  Message m = ReadSample("CEB623Message-1.xml");
  EXPECT_FALSE(HasRule(m, "doc.app-type"));
  m.As<imp::CEB623Message>()->invtCancel[0].appType = "2";
  EXPECT_TRUE(Has(m, "doc.app-type", "/CEB623Message/InvtCancel[1]/appType"));
  Message exp_cancel = ReadSample("CEB605Message-1.xml");
  exp_cancel.As<exp::CEB605Message>()->invtCancel[0].appType = "3";
  EXPECT_FALSE(HasRule(exp_cancel, "doc.app-type"));
}

// ---------------------------------------------------------------- currency

// doc.currency would say "import currency is 142"; the 2022-05 import XSD
// already fixes every currency field to 142, so schema.fixed says it and a
// document rule would only repeat it. If a later XSD drops a `fixed`, this
// test fails and the rule must be written for that field.
TEST(DocCurrency, EveryImportCurrencyIsFixedByTheXsdSoSchemaFixedReportsIt) {
  std::ifstream in(std::string(DRYPORT_SOURCE_DIR) + "/src/ceb/spec/ceb-202205.json");
  const nlohmann::json spec = nlohmann::json::parse(in);
  int currency_fields = 0;
  for (const auto& schema : spec["schemas"]) {
    if (schema["side"] != "import") continue;
    for (const auto& type : schema["types"]) {
      for (const auto& field : type["fields"]) {
        if (field["name"] != "currency") continue;
        ++currency_fields;
        EXPECT_EQ(field.value("fixed", ""), "142") << type["name"];
      }
    }
  }
  EXPECT_EQ(currency_fields,
            6);  // OrderHead, OrderList, PaymentHead, LogisticsHead, InventoryHead, InventoryList

  Message m = ReadSample("CEB311Message-1.xml");
  m.As<imp::CEB311Message>()->order[0].orderList[0].currency = "502";
  std::vector<Finding> schema;
  ValidateSchema(m, CodeTables::Builtin(), schema);
  EXPECT_NE(FindFinding(schema, "schema.fixed", "/CEB311Message/Order[1]/OrderList[1]/currency"),
            nullptr)
      << Describe(schema);
  for (const auto& f : DocFindings(m))
    EXPECT_EQ(f.path.find("currency"), std::string::npos) << f.rule;
}

// ---------------------------------------------------------------- whole messages

TEST(DocumentRules, MessagesBuiltInCodeHaveNoOffsets) {
  Message m;
  m.body = imp::CEB311Message{};
  auto& msg = *m.As<imp::CEB311Message>();
  msg.order.emplace_back();
  msg.order[0].orderList.emplace_back();
  auto& line = msg.order[0].orderList[0];
  line.gnum = "1";
  line.qty = "2";
  line.price = "3";
  line.totalPrice = "7";
  const auto findings = DocFindings(m);
  const Finding* f =
      FindFinding(findings, "doc.total-price", "/CEB311Message/Order[1]/OrderList[1]/totalPrice");
  ASSERT_NE(f, nullptr) << Describe(findings);
  EXPECT_EQ(f->offset, 0u);
  // Nothing else: the empty head names no amounts to compare.
  EXPECT_EQ(findings.size(), 1u) << Describe(findings);
}

TEST(DocumentRules, ReceiptsHaveNoDocumentRules) {
  for (const char* file : {"CEB304Message-1.xml", "CEB312Message-1.xml", "CEB622Message-2.xml",
                           "CEB712Message-1.xml"}) {
    EXPECT_TRUE(DocFindings(ReadSample(file)).empty()) << file;
  }
}

}  // namespace
}  // namespace dryport::ceb
