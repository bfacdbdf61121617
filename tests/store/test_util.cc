#include "tests/store/test_util.h"

#include <array>
#include <random>
#include <stdexcept>

#include <fmt/format.h>
#include <stdlib.h>

namespace dryport::store::test {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dryport-store-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string OrderXml(int64_t n) {
  static constexpr std::array<std::string_view, 6> kNames = {"张伟", "王芳", "李娜",
                                                             "刘洋", "陈静", "杨磊"};
  static constexpr std::array<std::string_view, 5> kGoods = {
      "婴儿奶粉 900g", "维生素C咀嚼片", "保湿面霜 50ml", "蓝牙耳机", "不锈钢保温杯"};
  static constexpr std::array<std::string_view, 4> kCities = {
      "北京市海淀区中关村大街", "上海市浦东新区世纪大道", "广州市天河区体育西路",
      "成都市武侯区人民南路"};
  std::mt19937_64 rng(static_cast<uint64_t>(n) * 0x9E3779B97F4A7C15ull + 1);
  auto pick = [&rng](const auto& list) { return list[rng() % list.size()]; };
  auto digits = [&rng](int count) {
    std::string s;
    for (int i = 0; i < count; ++i) s += static_cast<char>('0' + rng() % 10);
    return s;
  };
  const std::string guid =
      fmt::format("{:08X}-{:04X}-{:04X}-{:04X}-{:012X}", rng() & 0xffffffffu, rng() & 0xffffu,
                  rng() & 0xffffu, rng() & 0xffffu, rng() & 0xffffffffffffull);
  const std::string order_no = fmt::format("O{}", n);
  const std::string ebp = "11059" + digits(5);
  std::string lines;
  double goods_value = 0;
  for (int g = 1; g <= 3; ++g) {
    const int qty = 1 + static_cast<int>(rng() % 5);
    const double price = static_cast<double>(100 + rng() % 90000) / 100.0;
    goods_value += qty * price;
    lines += fmt::format(
        "\t\t<ceb:OrderList>\n"
        "\t\t\t<ceb:gnum>{}</ceb:gnum>\n"
        "\t\t\t<ceb:itemNo>SKU{}</ceb:itemNo>\n"
        "\t\t\t<ceb:itemName>{}</ceb:itemName>\n"
        "\t\t\t<ceb:gmodel>{}</ceb:gmodel>\n"
        "\t\t\t<ceb:itemDescribe>{}</ceb:itemDescribe>\n"
        "\t\t\t<ceb:barCode>69{}</ceb:barCode>\n"
        "\t\t\t<ceb:unit>007</ceb:unit>\n"
        "\t\t\t<ceb:qty>{}</ceb:qty>\n"
        "\t\t\t<ceb:price>{:.2f}</ceb:price>\n"
        "\t\t\t<ceb:totalPrice>{:.2f}</ceb:totalPrice>\n"
        "\t\t\t<ceb:currency>142</ceb:currency>\n"
        "\t\t\t<ceb:country>{}</ceb:country>\n"
        "\t\t\t<ceb:note></ceb:note>\n"
        "\t\t</ceb:OrderList>\n",
        g, digits(8), pick(kGoods), digits(3) + "g", pick(kGoods), digits(11), qty, price,
        qty * price, 100 + rng() % 400);
  }
  const double freight = static_cast<double>(rng() % 3000) / 100.0;
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<ceb:CEB311Message guid=\"{0}\" version=\"1.0\" "
      "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\" "
      "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
      "\t<ceb:Order>\n"
      "\t\t<ceb:OrderHead>\n"
      "\t\t\t<ceb:guid>{0}</ceb:guid>\n"
      "\t\t\t<ceb:appType>1</ceb:appType>\n"
      "\t\t\t<ceb:appTime>2025{1:02}{2:02}{3:02}{4:02}{5:02}</ceb:appTime>\n"
      "\t\t\t<ceb:appStatus>2</ceb:appStatus>\n"
      "\t\t\t<ceb:orderType>I</ceb:orderType>\n"
      "\t\t\t<ceb:orderNo>{6}</ceb:orderNo>\n"
      "\t\t\t<ceb:ebpCode>{7}</ceb:ebpCode>\n"
      "\t\t\t<ceb:ebpName>跨境电商平台{8}有限公司</ceb:ebpName>\n"
      "\t\t\t<ceb:ebcCode>{7}</ceb:ebcCode>\n"
      "\t\t\t<ceb:ebcName>跨境电商企业{8}有限公司</ceb:ebcName>\n"
      "\t\t\t<ceb:goodsValue>{9:.2f}</ceb:goodsValue>\n"
      "\t\t\t<ceb:freight>{10:.2f}</ceb:freight>\n"
      "\t\t\t<ceb:discount>0</ceb:discount>\n"
      "\t\t\t<ceb:taxTotal>{11:.2f}</ceb:taxTotal>\n"
      "\t\t\t<ceb:acturalPaid>{12:.2f}</ceb:acturalPaid>\n"
      "\t\t\t<ceb:currency>142</ceb:currency>\n"
      "\t\t\t<ceb:buyerRegNo>U{13}</ceb:buyerRegNo>\n"
      "\t\t\t<ceb:buyerName>{14}</ceb:buyerName>\n"
      "\t\t\t<ceb:buyerTelephone>1{15}</ceb:buyerTelephone>\n"
      "\t\t\t<ceb:buyerIdType>1</ceb:buyerIdType>\n"
      "\t\t\t<ceb:buyerIdNumber>110101{16}</ceb:buyerIdNumber>\n"
      "\t\t\t<ceb:payCode>{17}</ceb:payCode>\n"
      "\t\t\t<ceb:payName>支付科技{8}有限公司</ceb:payName>\n"
      "\t\t\t<ceb:payTransactionId>P{18}</ceb:payTransactionId>\n"
      "\t\t\t<ceb:batchNumbers></ceb:batchNumbers>\n"
      "\t\t\t<ceb:consignee>{14}</ceb:consignee>\n"
      "\t\t\t<ceb:consigneeTelephone>1{15}</ceb:consigneeTelephone>\n"
      "\t\t\t<ceb:consigneeAddress>{19}{20}号{21}室</ceb:consigneeAddress>\n"
      "\t\t\t<ceb:consigneeDistrict></ceb:consigneeDistrict>\n"
      "\t\t\t<ceb:note></ceb:note>\n"
      "\t\t</ceb:OrderHead>\n"
      "{22}"
      "\t</ceb:Order>\n"
      "\t<ceb:BaseTransfer>\n"
      "\t\t<ceb:copCode>{7}</ceb:copCode>\n"
      "\t\t<ceb:copName>跨境电商企业{8}有限公司</ceb:copName>\n"
      "\t\t<ceb:dxpMode>DXP</ceb:dxpMode>\n"
      "\t\t<ceb:dxpId>DXPENT{23}</ceb:dxpId>\n"
      "\t\t<ceb:note></ceb:note>\n"
      "\t</ceb:BaseTransfer>\n"
      "</ceb:CEB311Message>\n",
      guid, 1 + rng() % 12, 1 + rng() % 28, rng() % 24, rng() % 60, rng() % 60, order_no, ebp,
      pick(kNames), goods_value, freight, goods_value * 0.091, goods_value * 1.091 + freight,
      digits(10), pick(kNames), digits(10), digits(12), "31" + digits(8), digits(20), pick(kCities),
      1 + rng() % 300, 100 + rng() % 2000, lines, digits(10));
}

std::string MessageRaw(int64_t seq) { return OrderXml(seq); }

Batch MessageBatch(int64_t seq) {
  Batch b;
  const std::string order_no = fmt::format("O{}", seq);
  b.messages.push_back(MessageRow{seq, fmt::format("G{}", seq), "CEB311Message", "1105912345",
                                  "test", 1'700'000'000'000 + seq, 1'690'000'000'000 + seq,
                                  MessageRaw(seq)});
  b.keys.push_back(KeyRow{seq, "orderNo", order_no});
  b.keys.push_back(KeyRow{seq, "logisticsNo", fmt::format("L{}", seq)});
  b.documents.push_back(DocumentRow{"order", "1105912345|" + order_no, 2, 1'700'000'000'000 + seq,
                                    fmt::format(R"({{"orderNo":"{}","seq":{}}})", order_no, seq)});
  b.events.push_back(EventRow{0, "order", "1105912345|" + order_no, 2, "accept", "received", seq,
                              1'700'000'000'000 + seq});
  b.receipts.push_back(
      ReceiptRow{0, seq, "CEB312Message", fmt::format("R{}.xml", seq),
                 fmt::format("<CEB312Message><orderNo>{}</orderNo></CEB312Message>", order_no)});
  b.counters.push_back(CounterRow{"msg", fmt::format("{:010}", seq), fmt::format("{}.50", seq)});
  return b;
}

}  // namespace dryport::store::test
