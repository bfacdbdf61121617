// Private to src/traffic: one CEB message per plan event, built with the
// generated typed model (never from text templates), so ceb::WriteXml makes
// it valid against the official XSDs by construction.
#ifndef DRYPORT_TRAFFIC_MESSAGES_H_
#define DRYPORT_TRAFFIC_MESSAGES_H_

#include <cstdint>
#include <string>

#include "ceb/model.h"
#include "traffic/data.h"
#include "traffic/plan.h"

namespace dryport::traffic::internal {

struct BuiltMessage {
  ceb::Message message;
  std::string key;  // the business key in the file name: orderNo, or the copNo of a batch message
};

class MessageBuilder {
 public:
  MessageBuilder(uint64_t seed, const TrafficData& data, const Plan& plan)
      : seed_(seed), data_(data), plan_(plan) {}

  // Every event kind except kResend (which repeats bytes already built).
  // Applies the wrong-code fault to the document that carries it.
  BuiltMessage Build(const Event& event) const;

  // The orders a batch event (arrival, departure, summary part) names.
  std::vector<uint32_t> OrdersOf(const Event& event) const;

 private:
  BuiltMessage BuildExport(const Event& event, const OrderPlan& o) const;
  BuiltMessage BuildImport(const Event& event, const OrderPlan& o) const;
  BuiltMessage BuildArrival(const Event& event) const;
  BuiltMessage BuildDeparture(const Event& event) const;
  BuiltMessage BuildSummary(const Event& event) const;

  uint64_t seed_;
  const TrafficData& data_;
  const Plan& plan_;
};

}  // namespace dryport::traffic::internal

#endif  // DRYPORT_TRAFFIC_MESSAGES_H_
