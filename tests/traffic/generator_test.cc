// `dryport gen`: determinism, validity of every message against the official
// XSDs and dryport's own validation, agreement between the documents of an
// order, and faults that show exactly where and as often as the manifest says.
#include "traffic/generator.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "ceb/codec.h"
#include "core/decimal.h"
#include "tests/ceb/xsd_validator.h"
#include "traffic/identity.h"
#include "traffic/tax.h"

namespace dryport::traffic {
namespace {

using Json = nlohmann::ordered_json;

struct Corpus {
  std::vector<GeneratedFile> files;
  std::map<std::string, size_t> by_name;
  Json manifest;

  const GeneratedFile& File(const std::string& name) const { return files.at(by_name.at(name)); }
};

Corpus Make(const GenOptions& options) {
  Corpus c;
  Generator g(options);
  const Status s = g.Generate([&](GeneratedFile&& f) { c.files.push_back(std::move(f)); });
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (size_t i = 0; i < c.files.size(); ++i) c.by_name[c.files[i].name] = i;
  c.manifest = g.manifest();
  return c;
}

GenOptions CleanOptions() {
  GenOptions o;
  o.seed = 2025;
  o.orders = 300;
  return o;
}

// Every kind often enough to be seen several times.
GenOptions FaultOptions() {
  GenOptions o;
  o.seed = 77;
  o.orders = 800;
  o.days = 2;
  for (FaultKind k : kAllFaultKinds) RateOf(o.faults, k) = 0.04;
  o.faults.over_annual_limit = 0.02;
  return o;
}

const Corpus& Clean() {
  static const Corpus c = Make(CleanOptions());
  return c;
}
const Corpus& Faulty() {
  static const Corpus c = Make(FaultOptions());
  return c;
}

// "000123-CEB311-<key>.xml" -> "CEB311".
std::string TypeOf(const std::string& name) { return name.substr(name.find('-') + 1, 6); }

ceb::Side SideOf(const std::string& name) {
  return ceb::Info(*ceb::MessageTypeFromCode(TypeOf(name))).side;
}

std::string Describe(const std::vector<ceb::Finding>& findings) {
  std::string s;
  for (const auto& f : findings) s += "  " + f.rule + " " + f.path + ": " + f.message + "\n";
  return s;
}

// libxml2 prints parser errors of the malformed files to stderr unless told not to.
void QuietXmlError(void* /*ctx*/, const char* /*msg*/, ...) {}

std::string AppTime(const std::string& bytes) {
  static const std::regex re("<ceb:appTime>([0-9]{14})</ceb:appTime>");
  std::smatch m;
  return std::regex_search(bytes, m, re) ? m[1].str() : "";
}

Decimal D(const ceb::Text& t) {
  Result<Decimal> d = Decimal::Parse(t.value);
  EXPECT_TRUE(d.ok()) << "'" << t.value << "'";
  return d.ok() ? d.value() : Decimal();
}

// The messages of one order, read back from their bytes.
struct OrderMessages {
  std::map<std::string, std::vector<ceb::Message>> by_type;  // "CEB311" -> messages in send order
  std::vector<std::string> types;                            // of the files, in send order

  template <typename T>
  const T* Get(const std::string& type, size_t i = 0) const {
    auto it = by_type.find(type);
    if (it == by_type.end() || it->second.size() <= i) return nullptr;
    return it->second[i].As<T>();
  }
  size_t Count(const std::string& type) const {
    auto it = by_type.find(type);
    return it == by_type.end() ? 0 : it->second.size();
  }
};

OrderMessages ReadOrder(const Corpus& c, const Json& order) {
  OrderMessages out;
  ceb::Reader reader;
  for (const auto& name : order["files"]) {
    const std::string n = name.get<std::string>();
    ceb::ReadResult r = reader.Read(c.File(n).bytes);
    out.types.push_back(TypeOf(n));
    if (r.message) out.by_type[TypeOf(n)].push_back(std::move(*r.message));
  }
  return out;
}

// ---------------------------------------------------------------- options

TEST(Options, FaultSpecs) {
  Result<FaultRates> none = ParseFaultRates("none");
  ASSERT_TRUE(none.ok());
  for (FaultKind k : kAllFaultKinds) EXPECT_EQ(RateOf(none.value(), k), 0);

  Result<FaultRates> def = ParseFaultRates("default");
  ASSERT_TRUE(def.ok());
  for (FaultKind k : kAllFaultKinds)
    EXPECT_EQ(RateOf(def.value(), k), RateOf(FaultRates::Default(), k));

  Result<FaultRates> tuned = ParseFaultRates("default, wrong-code=0.5,return=0");
  ASSERT_TRUE(tuned.ok());
  EXPECT_EQ(tuned->wrong_code, 0.5);
  EXPECT_EQ(tuned->ret, 0);
  EXPECT_EQ(tuned->duplicate, FaultRates::Default().duplicate);

  Result<FaultRates> some = ParseFaultRates("duplicate=0.1,over-annual-limit=0.02");
  ASSERT_TRUE(some.ok());
  EXPECT_EQ(some->duplicate, 0.1);
  EXPECT_EQ(some->over_annual_limit, 0.02);
  EXPECT_EQ(some->amount_mismatch, 0);

  for (const char* bad : {"", "bogus=0.1", "duplicate", "duplicate=x", "duplicate=0.1,default"}) {
    EXPECT_FALSE(ParseFaultRates(bad).ok()) << bad;
  }
  for (FaultKind k : kAllFaultKinds)
    EXPECT_TRUE(ParseFaultRates(std::string(FaultKindName(k)) + "=0.01").ok());
}

TEST(Options, MixAndValidation) {
  GenOptions o;
  ASSERT_TRUE(ParseMix("export=1", o).ok());
  EXPECT_EQ(o.export_share, 1);
  EXPECT_EQ(o.import_direct_share, 0);
  EXPECT_EQ(o.bonded_share, 0);
  EXPECT_FALSE(ParseMix("export=0,direct=0", o).ok());
  EXPECT_FALSE(ParseMix("import=1", o).ok());
  EXPECT_FALSE(ParseMix("export=-1,direct=1", o).ok());

  GenOptions bad;
  bad.faults.duplicate = 1.5;
  EXPECT_FALSE(ValidateOptions(bad).ok());
  bad = GenOptions();
  bad.day = "20251332";
  EXPECT_FALSE(ValidateOptions(bad).ok());
  bad = GenOptions();
  bad.days = 0;
  EXPECT_FALSE(ValidateOptions(bad).ok());
  bad = GenOptions();
  bad.orders = -1;
  Generator g(bad);
  EXPECT_EQ(g.Generate([](GeneratedFile&&) {}).code(), StatusCode::kInvalidArgument);
}

TEST(Generator, ZeroOrdersIsAnEmptyCorpus) {
  GenOptions o;
  o.orders = 0;
  const Corpus c = Make(o);
  EXPECT_TRUE(c.files.empty());
  EXPECT_EQ(c.manifest["counts"]["orders"], 0);
  EXPECT_EQ(c.manifest["counts"]["files"], 0);
}

// ---------------------------------------------------------------- determinism

TEST(Determinism, SameOptionsGiveTheSameBytes) {
  GenOptions o;
  o.orders = 250;
  o.days = 2;
  o.faults = FaultRates::Default();
  const Corpus a = Make(o);
  const Corpus b = Make(o);
  ASSERT_EQ(a.files.size(), b.files.size());
  for (size_t i = 0; i < a.files.size(); ++i) {
    ASSERT_EQ(a.files[i].name, b.files[i].name);
    ASSERT_EQ(a.files[i].bytes, b.files[i].bytes) << a.files[i].name;
  }
  EXPECT_EQ(a.manifest.dump(), b.manifest.dump());

  o.seed = 2;
  const Corpus other = Make(o);
  size_t same = 0;
  for (size_t i = 0; i < std::min(a.files.size(), other.files.size()); ++i) {
    same += a.files[i].bytes == other.files[i].bytes;
  }
  EXPECT_EQ(same, 0u);
  EXPECT_NE(a.manifest["orders"][0]["orderNo"], other.manifest["orders"][0]["orderNo"]);
}

// ---------------------------------------------------------------- clean corpus

TEST(CleanCorpus, EveryFileIsValidAgainstTheOfficialXsds) {
  ceb::XsdValidator xsd;
  const Corpus& c = Clean();
  ASSERT_GT(c.files.size(), 1000u);
  for (const GeneratedFile& f : c.files) {
    const std::string errors = xsd.Validate(f.bytes, SideOf(f.name));
    EXPECT_EQ(errors, "") << f.name;
  }
}

TEST(CleanCorpus, EveryFileHasNoFindingEvenInStrictMode) {
  ceb::Reader reader;
  for (const GeneratedFile& f : Clean().files) {
    const ceb::CheckResult check =
        ceb::Check(reader, f.bytes, CodeTables::Builtin(), /*strict=*/true);
    EXPECT_TRUE(check.valid) << f.name;
    EXPECT_TRUE(check.findings.empty()) << f.name << "\n" << Describe(check.findings);
  }
}

TEST(CleanCorpus, ManifestCountsWhatWasSent) {
  const Corpus& c = Clean();
  const Json& m = c.manifest;
  EXPECT_EQ(m["options"]["seed"], 2025);
  EXPECT_EQ(m["counts"]["orders"], 300);
  EXPECT_EQ(m["counts"]["files"], c.files.size());
  EXPECT_EQ(m["counts"]["flows"]["export-9610"], 120);
  EXPECT_EQ(m["counts"]["flows"]["import-9610"], 90);
  EXPECT_EQ(m["counts"]["flows"]["import-1210"], 90);
  int64_t messages = 0;
  std::map<std::string, int64_t> seen;
  for (const GeneratedFile& f : c.files) ++seen[TypeOf(f.name)];
  for (const auto& [type, n] : m["counts"]["messages"].items()) {
    messages += n.get<int64_t>();
    EXPECT_EQ(seen[type], n.get<int64_t>()) << type;
  }
  EXPECT_EQ(messages, static_cast<int64_t>(c.files.size()));
  for (const auto& [kind, n] : m["counts"]["faults"].items()) EXPECT_EQ(n, 0) << kind;
  EXPECT_EQ(m["counts"]["outcomes"]["released"], 300);
  for (const char* type : {"CEB303", "CEB403", "CEB505", "CEB507", "CEB509", "CEB603", "CEB701",
                           "CEB311", "CEB411", "CEB511", "CEB621"}) {
    EXPECT_GT(seen[type], 0) << type;
  }

  std::set<std::string> order_numbers;
  for (const Json& o : m["orders"]) {
    EXPECT_TRUE(order_numbers.insert(o["orderNo"].get<std::string>()).second) << o["orderNo"];
    EXPECT_EQ(o["expected"]["outcome"], "released");
    EXPECT_TRUE(o["faults"].empty());
    for (const auto& name : o["files"])
      EXPECT_TRUE(c.by_name.count(name.get<std::string>())) << name;
  }
}

// File order is send order, and in a clean corpus that is time order too.
TEST(CleanCorpus, FilesAreSentInTimeOrder) {
  std::string last;
  std::string previous_name;
  for (const GeneratedFile& f : Clean().files) {
    EXPECT_LT(previous_name, f.name);
    previous_name = f.name;
    const std::string t = AppTime(f.bytes);
    ASSERT_EQ(t.size(), 14u) << f.name;
    EXPECT_LE(last, t) << f.name;
    EXPECT_EQ(t.substr(0, 8), "20251024") << f.name;
    last = t;
  }
}

void CheckImportOrder(const Corpus& c, const Json& order) {
  const OrderMessages msgs = ReadOrder(c, order);
  SCOPED_TRACE(order["orderNo"].get<std::string>());
  ASSERT_EQ(msgs.types, (std::vector<std::string>{"CEB311", "CEB411", "CEB511", "CEB621"}));
  const auto& oh = msgs.Get<ceb::imp::CEB311Message>("CEB311")->order.at(0).orderHead;
  const auto& ol = msgs.Get<ceb::imp::CEB311Message>("CEB311")->order.at(0).orderList;
  const auto& ph = msgs.Get<ceb::imp::CEB411Message>("CEB411")->payment.at(0).paymentHead;
  const auto& lh = msgs.Get<ceb::imp::CEB511Message>("CEB511")->logistics.at(0).logisticsHead;
  const auto& ih = msgs.Get<ceb::imp::CEB621Message>("CEB621")->inventory.at(0).inventoryHead;
  const auto& il = msgs.Get<ceb::imp::CEB621Message>("CEB621")->inventory.at(0).inventoryList;

  // Keys.
  EXPECT_EQ(oh.orderNo.value, order["orderNo"]);
  for (const ceb::Text* t : {&ph.orderNo, &lh.orderNo, &ih.orderNo})
    EXPECT_EQ(t->value, oh.orderNo.value);
  EXPECT_EQ(ph.ebpCode, oh.ebpCode);
  EXPECT_EQ(ih.ebpCode, oh.ebpCode);
  EXPECT_EQ(ih.ebcCode, oh.ebcCode);
  EXPECT_EQ(ih.logisticsNo, lh.logisticsNo);
  EXPECT_EQ(ih.logisticsCode, lh.logisticsCode);
  EXPECT_EQ(ph.payCode, oh.payCode);
  EXPECT_EQ(ph.payTransactionId, oh.payTransactionId);
  EXPECT_EQ(ih.invtNo.present, false);  // customs assigns it
  EXPECT_EQ(order["keys"]["logisticsNo"], lh.logisticsNo.value);
  EXPECT_EQ(order["keys"]["copNo"], ih.copNo.value);

  // Buyer = payer = list's buyer; consignee = the waybill's.
  EXPECT_EQ(ph.payerName, oh.buyerName);
  EXPECT_EQ(ph.payerIdNumber, oh.buyerIdNumber);
  EXPECT_EQ(ih.buyerName, oh.buyerName);
  EXPECT_EQ(ih.buyerIdNumber, oh.buyerIdNumber);
  EXPECT_EQ(ih.buyerTelephone, oh.buyerTelephone);
  EXPECT_TRUE(IsValidIdNumber(oh.buyerIdNumber.value)) << oh.buyerIdNumber.value;
  EXPECT_EQ(lh.consignee, oh.consignee);
  EXPECT_EQ(lh.consigneeTelephone, oh.consigneeTelephone);
  EXPECT_EQ(lh.consigneeAddress, oh.consigneeAddress);
  EXPECT_EQ(ih.consigneeAddress, oh.consigneeAddress);
  EXPECT_EQ(oh.consigneeDistrict.value.size(), 6u);

  // Amounts.
  const Decimal paid = D(oh.acturalPaid);
  EXPECT_EQ(paid, D(oh.goodsValue) + D(oh.freight) + D(oh.taxTotal) - D(oh.discount));
  EXPECT_EQ(D(ph.amountPaid), paid);
  EXPECT_LE(paid, Decimal::FromInt(5000));
  EXPECT_EQ(D(lh.freight), D(oh.freight));
  EXPECT_EQ(D(ih.freight), D(oh.freight));
  EXPECT_EQ(D(lh.weight), D(ih.grossWeight));
  EXPECT_LE(D(ih.netWeight), D(ih.grossWeight));
  EXPECT_EQ(order["amounts"]["acturalPaid"], oh.acturalPaid.value);

  // Items 1:1.
  ASSERT_EQ(ol.size(), il.size());
  Decimal goods;
  std::vector<TaxLineInput> tax_in;
  bool consumption_taxed = false;
  for (size_t i = 0; i < ol.size(); ++i) {
    EXPECT_EQ(ol[i].gnum.value, std::to_string(i + 1));
    EXPECT_EQ(il[i].gnum, ol[i].gnum);
    EXPECT_EQ(il[i].gname, ol[i].itemName);
    EXPECT_EQ(il[i].itemName, ol[i].itemName);
    EXPECT_EQ(il[i].gmodel, ol[i].gmodel);
    EXPECT_EQ(il[i].qty, ol[i].qty);
    EXPECT_EQ(il[i].unit, ol[i].unit);
    EXPECT_EQ(il[i].price, ol[i].price);
    EXPECT_EQ(il[i].totalPrice, ol[i].totalPrice);
    EXPECT_EQ(il[i].country, ol[i].country);
    EXPECT_EQ(D(ol[i].totalPrice), D(ol[i].qty) * D(ol[i].price));
    EXPECT_EQ(il[i].gcode.value.size(), 10u);
    goods += D(ol[i].totalPrice);
    tax_in.push_back({D(ol[i].totalPrice), Decimal()});
    consumption_taxed |= il[i].gcode.value.starts_with("3304");
  }
  EXPECT_EQ(goods, D(oh.goodsValue));
  if (!consumption_taxed) {
    const ImportTax tax = ComputeImportTax(tax_in, D(oh.freight),
                                           {Decimal::FromUnits(13, 2), Decimal::FromUnits(7, 1)});
    EXPECT_EQ(tax.total, D(oh.taxTotal));
  } else {
    EXPECT_GE(D(oh.taxTotal),
              ((D(oh.goodsValue) + D(oh.freight)) * Decimal::FromUnits(91, 3)).Rounded(2) -
                  Decimal::FromUnits(static_cast<int64_t>(ol.size()), 2));
  }

  // Times: order < payment < waybill < list; payTime between order and payment.
  EXPECT_LT(oh.appTime.value, ph.payTime.value);
  EXPECT_LT(ph.payTime.value, ph.appTime.value);
  EXPECT_LT(ph.appTime.value, lh.appTime.value);
  EXPECT_LT(lh.appTime.value, ih.appTime.value);
  EXPECT_EQ(ih.declTime.value, ih.appTime.value.substr(0, 8));

  // The mode.
  if (order["flow"] == "import-1210") {
    EXPECT_EQ(ih.tradeMode.value, "1210");
    EXPECT_EQ(ih.trafMode.value, "W");
    EXPECT_EQ(ih.country.value, "142");
    EXPECT_FALSE(ih.emsNo.value.empty());
    EXPECT_FALSE(ih.areaCode.value.empty());
    for (const auto& l : il) EXPECT_FALSE(l.itemRecordNo.value.empty());
  } else {
    EXPECT_EQ(ih.tradeMode.value, "9610");
    EXPECT_FALSE(ih.emsNo.present);
    EXPECT_FALSE(ih.billNo.value.empty());
    EXPECT_EQ(ih.billNo, lh.billNo);
    for (const auto& l : il) EXPECT_EQ(l.country, ih.country);  // shipped from the goods' country
  }
}

void CheckExportOrder(const Corpus& c, const Json& order) {
  const OrderMessages msgs = ReadOrder(c, order);
  SCOPED_TRACE(order["orderNo"].get<std::string>());
  ASSERT_EQ(msgs.Count("CEB303"), 1u);
  ASSERT_EQ(msgs.Count("CEB505"), 1u);
  ASSERT_EQ(msgs.Count("CEB603"), 1u);
  ASSERT_EQ(msgs.Count("CEB507"), 1u);
  ASSERT_EQ(msgs.Count("CEB509"), 1u);
  const auto& oh = msgs.Get<ceb::exp::CEB303Message>("CEB303")->order.at(0).orderHead;
  const auto& ol = msgs.Get<ceb::exp::CEB303Message>("CEB303")->order.at(0).orderList;
  const auto& lg = msgs.Get<ceb::exp::CEB505Message>("CEB505")->logistics.at(0);
  const auto& ih = msgs.Get<ceb::exp::CEB603Message>("CEB603")->inventory.at(0).inventoryHead;
  const auto& il = msgs.Get<ceb::exp::CEB603Message>("CEB603")->inventory.at(0).inventoryList;
  const auto& ah = msgs.Get<ceb::exp::CEB507Message>("CEB507")->arrival.at(0);
  const auto& dh = msgs.Get<ceb::exp::CEB509Message>("CEB509")->departure.at(0);

  EXPECT_EQ(ih.orderNo, oh.orderNo);
  EXPECT_EQ(ih.ebpCode, oh.ebpCode);
  EXPECT_EQ(ih.ebcCode, oh.ebcCode);
  EXPECT_EQ(ih.logisticsNo, lg.logisticsNo);
  EXPECT_EQ(ih.logisticsCode, lg.logisticsCode);
  EXPECT_EQ(ih.tradeMode.value, "9610");
  EXPECT_EQ(ih.ieFlag.value, "E");
  EXPECT_EQ(D(lg.freight), D(oh.freight));
  EXPECT_EQ(D(ih.freight), D(oh.freight));
  EXPECT_EQ(D(lg.grossWeight), D(ih.grossWeight));
  ASSERT_EQ(ol.size(), il.size());
  Decimal goods;
  for (size_t i = 0; i < ol.size(); ++i) {
    EXPECT_EQ(il[i].gnum, ol[i].gnum);
    EXPECT_EQ(il[i].gname, ol[i].itemName);
    EXPECT_EQ(il[i].qty, ol[i].qty);
    EXPECT_EQ(il[i].price, ol[i].price);
    EXPECT_EQ(il[i].totalPrice, ol[i].totalPrice);
    EXPECT_EQ(il[i].unit, ol[i].unit);
    EXPECT_EQ(il[i].country, ih.country);
    goods += D(il[i].totalPrice);
  }
  EXPECT_EQ(goods, D(oh.goodsValue));
  if (const auto* r = msgs.Get<ceb::exp::CEB403Message>("CEB403")) {
    const auto& rc = r->receipts.at(0);
    EXPECT_EQ(rc.orderNo, oh.orderNo);
    EXPECT_EQ(rc.ebcCode, oh.ebcCode);
    EXPECT_EQ(D(rc.charge), D(oh.goodsValue) + D(oh.freight));
    EXPECT_LT(oh.appTime.value, rc.accountingDate.value);
    EXPECT_LT(rc.appTime.value, lg.appTime.value);
  }
  // The truck and the flight or train list the parcel.
  auto lists = [&](const auto& items) {
    return std::any_of(items.begin(), items.end(),
                       [&](const auto& l) { return l.logisticsNo == lg.logisticsNo; });
  };
  EXPECT_TRUE(lists(ah.arrivalList));
  EXPECT_TRUE(lists(dh.departureList));
  EXPECT_EQ(ah.arrivalHead.billNo, ih.billNo);
  EXPECT_EQ(dh.departureHead.billNo, ih.billNo);
  EXPECT_EQ(dh.departureHead.voyageNo, ih.voyageNo);
  EXPECT_LT(oh.appTime.value, lg.appTime.value);
  EXPECT_LT(lg.appTime.value, ih.appTime.value);
  EXPECT_LT(ih.appTime.value, ah.arrivalHead.appTime.value);
  EXPECT_LT(ah.arrivalHead.appTime.value, dh.departureHead.leaveTime.value);
  // statisticsFlag B lists are summarised by a CEB701 (by list or by time).
  EXPECT_EQ(msgs.Count("CEB701"), ih.statisticsFlag.value == "B" ? 1u : 0u);
  if (const auto* s = msgs.Get<ceb::exp::CEB701Message>("CEB701")) {
    const auto& sa = s->summaryApply.at(0);
    EXPECT_EQ(sa.summaryApplyHead.ebcCode, oh.ebcCode);
    if (sa.summaryApplyHead.startTime.present) {
      EXPECT_TRUE(sa.summaryApplyList.empty());
      EXPECT_LE(sa.summaryApplyHead.startTime.value, ih.appTime.value);
      EXPECT_GE(sa.summaryApplyHead.endTime.value, dh.departureHead.leaveTime.value);
    } else {
      EXPECT_TRUE(
          std::any_of(sa.summaryApplyList.begin(), sa.summaryApplyList.end(),
                      [&](const auto& l) { return l.invtNo.value == order["keys"]["invtNo"]; }));
    }
  }
}

TEST(CleanCorpus, DocumentsOfAnOrderAgree) {
  const Corpus& c = Clean();
  for (const Json& order : c.manifest["orders"]) {
    if (order["flow"] == "export-9610") {
      CheckExportOrder(c, order);
    } else {
      CheckImportOrder(c, order);
    }
  }
}

TEST(CleanCorpus, RepeatBuyersStayUnderTheAnnualLimit) {
  std::map<std::string, Decimal> spent;
  std::map<std::string, int> orders;
  for (const Json& o : Clean().manifest["orders"]) {
    if (o["flow"] == "export-9610") continue;
    const std::string id = o["keys"]["buyerIdNumber"];
    spent[id] += Decimal::Parse(o["amounts"]["acturalPaid"].get<std::string>()).value();
    ++orders[id];
  }
  int repeat = 0;
  for (const auto& [id, total] : spent) {
    EXPECT_LE(total, Decimal::FromInt(26000)) << id;
    repeat += orders[id] > 1;
  }
  EXPECT_GT(repeat, 0);  // some consumers come back
}

// ---------------------------------------------------------------- faults

TEST(FaultCorpus, EveryKindIsInjectedAsOftenAsCounted) {
  const Json& m = Faulty().manifest;
  const int64_t imports = m["counts"]["flows"]["import-9610"].get<int64_t>() +
                          m["counts"]["flows"]["import-1210"].get<int64_t>();
  std::map<std::string, int64_t> seen;
  for (const Json& o : m["orders"]) {
    ASSERT_LE(o["faults"].size(), 1u);
    for (const auto& f : o["faults"]) ++seen[f.get<std::string>()];
  }
  const GenOptions options = FaultOptions();
  for (FaultKind k : kAllFaultKinds) {
    const std::string name(FaultKindName(k));
    const double applicable = IsImportOnly(k) ? static_cast<double>(imports) : options.orders;
    const int64_t want =
        static_cast<int64_t>(std::floor(RateOf(options.faults, k) * applicable + 0.5));
    EXPECT_EQ(m["counts"]["faults"][name], want) << name;
    EXPECT_EQ(seen[name], want) << name;
    EXPECT_GT(want, 3) << name;
  }
}

TEST(FaultCorpus, FilesAreXsdValidExceptMalformedOnesAndCleanExceptWrongCodes) {
  const Corpus& c = Faulty();
  std::map<std::string, std::string> fault_of;  // file -> kind carried by that file
  for (const Json& o : c.manifest["orders"]) {
    if (o["faults"].empty()) continue;
    const std::string kind = o["faults"][0];
    const std::string doc = o["fault_details"][0]["document"];
    for (const auto& f : o["files"]) {
      const std::string name = f.get<std::string>();
      if (TypeOf(name) == doc) fault_of[name] = kind;
    }
  }
  ceb::XsdValidator xsd;
  xmlSetGenericErrorFunc(nullptr, QuietXmlError);
  ceb::Reader reader;
  for (const GeneratedFile& f : c.files) {
    auto it = fault_of.find(f.name);
    const std::string kind = it == fault_of.end() ? "" : it->second;
    const std::string errors = xsd.Validate(f.bytes, SideOf(f.name));
    const ceb::CheckResult check =
        ceb::Check(reader, f.bytes, CodeTables::Builtin(), /*strict=*/true);
    if (kind == "malformed-xml") {
      EXPECT_NE(errors, "") << f.name;
      EXPECT_FALSE(check.message.has_value()) << f.name;
      EXPECT_FALSE(reader.Read(f.bytes).message.has_value()) << f.name;
    } else if (kind == "wrong-code") {
      EXPECT_EQ(errors, "") << f.name;
      ASSERT_FALSE(check.findings.empty()) << f.name;
      for (const ceb::Finding& finding : check.findings)
        EXPECT_EQ(finding.rule, "schema.code") << f.name;
    } else {
      EXPECT_EQ(errors, "") << f.name;
      EXPECT_TRUE(check.findings.empty()) << f.name << "\n" << Describe(check.findings);
    }
  }
  xmlSetGenericErrorFunc(nullptr, nullptr);
}

TEST(FaultCorpus, EachFaultShowsInItsFiles) {
  const Corpus& c = Faulty();
  std::map<std::string, int> checked;
  // over-annual-limit: buyer -> (goods before the trigger, trigger's goods).
  for (const Json& o : c.manifest["orders"]) {
    if (o["faults"].empty()) continue;
    const std::string kind = o["faults"][0];
    const Json& detail = o["fault_details"][0];
    const std::string outcome = o["expected"]["outcome"];
    SCOPED_TRACE(kind + " " + o["orderNo"].get<std::string>());
    const OrderMessages msgs = ReadOrder(c, o);
    const bool is_export = o["flow"] == "export-9610";
    const std::string order_type = is_export ? "CEB303" : "CEB311";
    const std::string list_type = is_export ? "CEB603" : "CEB621";
    ++checked[kind];

    if (kind == "amount-mismatch") {
      const auto& oh = msgs.Get<ceb::imp::CEB311Message>("CEB311")->order.at(0).orderHead;
      const auto& ph = msgs.Get<ceb::imp::CEB411Message>("CEB411")->payment.at(0).paymentHead;
      EXPECT_NE(D(ph.amountPaid), D(oh.acturalPaid));
      EXPECT_EQ(D(oh.acturalPaid),
                D(oh.goodsValue) + D(oh.freight) + D(oh.taxTotal) - D(oh.discount));
      EXPECT_EQ(outcome, "rejected");
    } else if (kind == "buyer-payer-mismatch") {
      const auto& oh = msgs.Get<ceb::imp::CEB311Message>("CEB311")->order.at(0).orderHead;
      const auto& ph = msgs.Get<ceb::imp::CEB411Message>("CEB411")->payment.at(0).paymentHead;
      EXPECT_NE(ph.payerIdNumber, oh.buyerIdNumber);
      EXPECT_TRUE(IsValidIdNumber(ph.payerIdNumber.value));
      EXPECT_EQ(D(ph.amountPaid), D(oh.acturalPaid));
      EXPECT_EQ(o["expected"]["reason"], "1327");
    } else if (kind == "over-single-limit") {
      const auto& oh = msgs.Get<ceb::imp::CEB311Message>("CEB311")->order.at(0).orderHead;
      EXPECT_GT(D(oh.goodsValue) + D(oh.freight), Decimal::FromInt(5000));
      EXPECT_GT(D(oh.acturalPaid), Decimal::FromInt(5000));
      EXPECT_EQ(outcome, "rejected");
    } else if (kind == "over-annual-limit") {
      const std::string buyer = o["keys"]["buyerIdNumber"];
      Decimal before, before_paid;
      int earlier = 0;
      for (const Json& other : c.manifest["orders"]) {
        if (other["flow"] == "export-9610" || other["keys"]["buyerIdNumber"] != buyer ||
            &other == &o)
          continue;
        ASSERT_EQ(other["scenario"]["id"], o["scenario"]["id"]);
        ASSERT_LT(other["files"][0].get<std::string>(),
                  o["files"][0].get<std::string>());  // sent earlier
        EXPECT_EQ(other["expected"]["outcome"], "released");
        before += Decimal::Parse(other["amounts"]["goodsValue"].get<std::string>()).value();
        before_paid += Decimal::Parse(other["amounts"]["acturalPaid"].get<std::string>()).value();
        ++earlier;
      }
      EXPECT_EQ(earlier, 6);
      const Decimal goods = Decimal::Parse(o["amounts"]["goodsValue"].get<std::string>()).value();
      const Decimal paid = Decimal::Parse(o["amounts"]["acturalPaid"].get<std::string>()).value();
      EXPECT_LE(before_paid, Decimal::FromInt(26000));
      EXPECT_GT(before + goods, Decimal::FromInt(26000));
      EXPECT_LE(paid, Decimal::FromInt(5000));
      EXPECT_EQ(o["expected"]["reason"], "1313");
    } else if (kind == "missing-document") {
      const std::string missing = detail["document"];
      EXPECT_EQ(msgs.Count(missing), 0u) << missing;
      EXPECT_EQ(msgs.Count(list_type), 1u);
      EXPECT_EQ(outcome, "pending");
    } else if (kind == "duplicate") {
      const std::string doc = detail["document"];
      std::vector<std::string> copies;
      for (const auto& f : o["files"]) {
        if (TypeOf(f) == doc) copies.push_back(f);
      }
      ASSERT_EQ(copies.size(), 2u);
      const std::string& a = c.File(copies[0]).bytes;
      const std::string& b = c.File(copies[1]).bytes;
      if (detail["variant"] == "same-file") {
        EXPECT_EQ(a, b);
      } else {
        EXPECT_NE(a, b);
        const ceb::Message& first = msgs.by_type.at(doc).at(0);
        const ceb::Message& second = msgs.by_type.at(doc).at(1);
        EXPECT_NE(ceb::ToJson(first).find(o["orderNo"].get<std::string>()), std::string::npos);
        EXPECT_NE(ceb::ToJson(second).find(o["orderNo"].get<std::string>()), std::string::npos);
      }
      EXPECT_EQ(outcome, "released");
    } else if (kind == "out-of-order") {
      const auto list_at = std::find(msgs.types.begin(), msgs.types.end(), list_type);
      const auto order_at = std::find(msgs.types.begin(), msgs.types.end(), order_type);
      EXPECT_LT(list_at, order_at);
      EXPECT_EQ(outcome, "released");
    } else if (kind == "revocation") {
      const std::string type = is_export ? "CEB605" : "CEB623";
      ASSERT_EQ(msgs.Count(type), 1u);
      const std::string invt =
          is_export ? msgs.Get<ceb::exp::CEB605Message>(type)->invtCancel.at(0).invtNo.value
                    : msgs.Get<ceb::imp::CEB623Message>(type)->invtCancel.at(0).invtNo.value;
      EXPECT_EQ(invt, o["keys"]["invtNo"]);
      EXPECT_EQ(msgs.types.back(), type);
      EXPECT_EQ(outcome, "revoked");
      if (is_export) {
        EXPECT_EQ(msgs.Count("CEB507"), 0u);  // a revoked parcel does not leave
      }
    } else if (kind == "return") {
      const std::string type = is_export ? "CEB213" : "CEB625";
      ASSERT_EQ(msgs.Count(type), 1u);
      EXPECT_EQ(msgs.types.back(), type);
      if (!is_export) {
        const auto& refund = msgs.Get<ceb::imp::CEB625Message>(type)->invtRefund.at(0);
        const auto& il = msgs.Get<ceb::imp::CEB621Message>("CEB621")->inventory.at(0).inventoryList;
        EXPECT_EQ(refund.invtRefundHead.invtNo.value, o["keys"]["invtNo"]);
        for (const auto& line : refund.invtRefundList) {
          const size_t gnum = std::stoul(line.gnum.value);
          ASSERT_LE(gnum, il.size());
          EXPECT_LE(D(line.qty), D(il[gnum - 1].qty));
          EXPECT_EQ(line.gname, il[gnum - 1].gname);
        }
      } else {
        EXPECT_EQ(msgs.Count("CEB509"), 1u);  // it left before it came back
      }
      EXPECT_EQ(outcome, "returned");
    } else if (kind == "malformed-xml") {
      EXPECT_EQ(msgs.Count(detail["document"]), 0u);  // nothing readable of that type
      EXPECT_EQ(outcome, "invalid");
      EXPECT_EQ(o["expected"]["reason"], "CEB900");
    } else if (kind == "wrong-code") {
      EXPECT_EQ(outcome, "rejected");
      EXPECT_EQ(o["expected"]["reason"], "schema.code");
    }
  }
  for (FaultKind k : kAllFaultKinds)
    EXPECT_GT(checked[std::string(FaultKindName(k))], 0) << FaultKindName(k);
}

TEST(FaultCorpus, OrdersWithoutAFaultStillAgree) {
  const Corpus& c = Faulty();
  int checked = 0;
  for (const Json& order : c.manifest["orders"]) {
    if (!order["faults"].empty() || order.contains("scenario")) continue;
    if (order["flow"] == "export-9610") {
      CheckExportOrder(c, order);
    } else {
      CheckImportOrder(c, order);
    }
    ++checked;
  }
  EXPECT_GT(checked, 300);
}

TEST(FaultCorpus, ReturnsComeOnALaterDayWhenThereIsOne) {
  const Corpus& c = Faulty();
  for (const Json& o : c.manifest["orders"]) {
    if (o["faults"].empty() || o["faults"][0] != "return" || o["day"] != "20251024") continue;
    const std::string last = o["files"].back();
    EXPECT_EQ(AppTime(c.File(last).bytes).substr(0, 8), "20251025") << last;
  }
}

// ---------------------------------------------------------------- corpus on disk

TEST(WriteCorpus, WritesTheFilesAndTheManifestAndReplacesAPreviousCorpus) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(testing::TempDir()) / "dryport-traffic-corpus";
  fs::remove_all(dir);
  GenOptions o;
  o.orders = 40;
  ASSERT_TRUE(WriteCorpus(o, dir.string()).ok());
  auto count = [&] {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
    return n;
  };
  std::ifstream in(dir / "manifest.json");
  const Json manifest = Json::parse(in);
  EXPECT_EQ(count(), manifest["counts"]["files"].get<size_t>() + 1);

  o.seed = 9;
  o.orders = 10;
  ASSERT_TRUE(WriteCorpus(o, dir.string()).ok());  // the old corpus goes
  std::ifstream in2(dir / "manifest.json");
  const Json manifest2 = Json::parse(in2);
  EXPECT_EQ(manifest2["options"]["seed"], 9);
  EXPECT_EQ(count(), manifest2["counts"]["files"].get<size_t>() + 1);

  std::ofstream(dir / "notes.txt") << "mine";
  EXPECT_EQ(WriteCorpus(o, dir.string()).code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(dir / "notes.txt"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace dryport::traffic
