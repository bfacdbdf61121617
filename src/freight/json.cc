#include "freight/json.h"

#include <fmt/format.h>

namespace dryport::freight {

nlohmann::json MoneyJson(int64_t micros) {
  return {{"amount", FormatMoney(micros)}, {"currency", "USD"}};
}

nlohmann::json CapacityJson(CapacityUnit unit, int64_t amount) {
  if (amount >= kUnlimited) return {{"unit", unit == CapacityUnit::kContainer ? "TEU" : "kg"}, {"amount", nullptr}};
  if (unit == CapacityUnit::kContainer) {
    return {{"unit", "TEU"}, {"amount", Decimal::FromUnits(amount, 2).ToString(2)}};
  }
  return {{"unit", "kg"}, {"amount", amount}};
}

nlohmann::json LoadJson(const Load& load) {
  return {{"teu", Decimal::FromUnits(load.cteu, 2).ToString(2)},
          {"kg", load.kg},
          {"kg_assumed", load.kg_assumed},
          {"chargeable_kg", load.chargeable_kg}};
}

namespace {

double Kg(int64_t grams) { return static_cast<double>(grams) / 1000.0; }

std::string_view StopKindName(StopKind k) {
  switch (k) {
    case StopKind::kOrigin: return "origin";
    case StopKind::kTransfer: return "transfer";
    case StopKind::kDestination: return "destination";
  }
  return "?";
}

}  // namespace

nlohmann::json ItineraryJson(const Timetable& tt, const Itinerary& it) {
  const Network& net = tt.network();
  const auto at = [&](NodeIdx n, UtcMinutes t) { return FormatIsoTime(t, net.node(n).utc_offset); };
  nlohmann::json legs = nlohmann::json::array();
  for (const Leg& leg : it.legs) {
    const Service& s = net.service(leg.service);
    nlohmann::json via = nlohmann::json::array();
    for (NodeIdx v : s.via) via.push_back(net.node(v).id);
    nlohmann::json j = {
        {"from", net.node(leg.from).id},
        {"to", net.node(leg.to).id},
        {"mode", ModeName(s.mode)},
        {"service", s.id},
        {"departure", at(leg.from, leg.departure_time)},
        {"arrival", at(leg.to, leg.arrival_time)},
        {"cost", MoneyJson(leg.cost_micros)},
        {"co2_kg", Kg(leg.co2_g)},
        {"from_name", net.node(leg.from).name},
        {"to_name", net.node(leg.to).name},
        {"via", via},
        {"on_demand", s.on_demand},
        {"price", s.price_text},
        // ISO 14083 style itemisation: t x km x factor.
        {"co2", {{"tonnes", static_cast<double>(leg.kg) / 1000.0},
                 {"distance_km", s.distance_km},
                 {"factor_g_per_tkm", static_cast<double>(s.co2_mg_per_tkm) / 1000.0}}},
        {"capacity_used", CapacityJson(s.capacity_unit, leg.quantity)},
        {"capacity_remaining", CapacityJson(s.capacity_unit, leg.remaining)},
        {"confidence", s.provenance.confidence},
        {"source", s.provenance.source},
    };
    if (leg.departure) j["departure_key"] = tt.Key(*leg.departure);
    legs.push_back(std::move(j));
  }
  nlohmann::json stops = nlohmann::json::array();
  for (const Stop& st : it.stops) {
    const Node& n = net.node(st.node);
    nlohmann::json j = {{"node", n.id},
                        {"name", n.name},
                        {"kind", StopKindName(st.kind)},
                        {"arrival", at(st.node, st.arrival)},
                        {"handling", FormatDuration(st.handling)},
                        {"clearance", FormatDuration(st.clearance)},
                        {"available", at(st.node, st.available)},
                        {"fee", MoneyJson(st.fee_micros)}};
    if (st.kind != StopKind::kDestination) j["departure"] = at(st.node, st.departure);
    if (n.gauge_change) j["gauge_change"] = true;
    stops.push_back(std::move(j));
  }
  const NodeIdx first = it.stops.front().node;
  const NodeIdx last = it.stops.back().node;
  return {{"departure", at(first, it.departure)},
          {"arrival", at(last, it.arrival)},
          {"cost", MoneyJson(it.cost_micros)},
          {"co2_kg", Kg(it.co2_g)},
          {"door_to_door", FormatDuration(it.arrival - it.stops.front().arrival)},
          {"legs", std::move(legs)},
          {"stops", std::move(stops)}};
}

nlohmann::json RouteResponseJson(const Timetable& tt, const RouteResponse& r) {
  const Network& net = tt.network();
  nlohmann::json its = nlohmann::json::array();
  for (const auto& it : r.itineraries) its.push_back(ItineraryJson(tt, it));
  nlohmann::json out = {{"itineraries", std::move(its)}};
  if (r.query) {
    nlohmann::json from = nlohmann::json::array(), to = nlohmann::json::array();
    for (NodeIdx n : r.query->origins) from.push_back(net.node(n).id);
    for (NodeIdx n : r.query->destinations) to.push_back(net.node(n).id);
    const Minutes off = net.node(r.query->origins.front()).utc_offset;
    out["query"] = {{"from", from},
                    {"to", to},
                    {"ready", FormatIsoTime(r.query->ready, off)},
                    {"deadline", r.query->deadline == kNever ? nlohmann::json(nullptr)
                                                             : nlohmann::json(FormatIsoTime(r.query->deadline, off))},
                    {"load", LoadJson(r.query->load)},
                    {"horizon", {{"start", FormatIsoUtc(tt.start())}, {"end", FormatIsoUtc(tt.end())}}},
                    {"border_queue", FormatDuration(tt.options().border_queue)}};
  }
  if (r.best) {
    out["best"] = {{"index", *r.best},
                   {"usd_per_day", r.weights.usd_per_day.ToString()},
                   {"usd_per_tonne_co2", r.weights.usd_per_tonne_co2.ToString()}};
  }
  out["note"] =
      "Approximate figures from public sources and estimates (data/corridors/README.md); not a quote. "
      "Daylight saving is not modelled.";
  return out;
}

nlohmann::json ShipmentPlanJson(const Timetable& tt, const Shipment& s, const ShipmentPlan& p) {
  const Network& net = tt.network();
  nlohmann::json out = {{"shipment", s.id}, {"assigned", p.assigned}};
  if (!p.assigned) {
    out["reason"] = UnassignedReasonText(p.reason);
    return out;
  }
  const auto at = [&](NodeIdx n, UtcMinutes t) { return FormatIsoTime(t, net.node(n).utc_offset); };
  nlohmann::json legs = nlohmann::json::array();
  for (const PlannedLeg& l : p.legs) {
    const Service& svc = net.service(l.service);
    nlohmann::json j = {{"from", net.node(svc.from).id},
                        {"to", net.node(svc.to).id},
                        {"mode", ModeName(svc.mode)},
                        {"service", svc.id},
                        {"departure", at(svc.from, l.departure_time)},
                        {"arrival", at(svc.to, l.arrival_time)},
                        {"cost", MoneyJson(LegCostFor(svc, s.load))},
                        {"co2_kg", static_cast<double>(LegCo2For(svc, s.load)) / 1000.0}};
    if (l.departure) j["departure_key"] = tt.Key(*l.departure);
    legs.push_back(std::move(j));
  }
  out["itinerary"] = {{"departure", at(p.origin, p.legs.front().departure_time)},
                      {"arrival", at(p.destination, p.delivered)},
                      {"cost", MoneyJson(p.transport_micros + p.fees_micros)},
                      {"transport", MoneyJson(p.transport_micros)},
                      {"fees", MoneyJson(p.fees_micros)},
                      {"co2_kg", static_cast<double>(p.co2_g) / 1000.0},
                      {"followed_flow", p.followed_flow},
                      {"legs", std::move(legs)}};
  return out;
}

nlohmann::json PlanResultJson(const Timetable& tt, std::span<const Shipment> shipments, const PlanResult& r) {
  nlohmann::json plan = nlohmann::json::array();
  for (size_t i = 0; i < shipments.size(); ++i) plan.push_back(ShipmentPlanJson(tt, shipments[i], r.shipments[i]));
  const PlanTotals& t = r.totals;
  const auto teu = [](int64_t cteu) { return Decimal::FromUnits(cteu, 2).ToString(2); };
  nlohmann::json out = {
      {"method", r.method},
      {"plan", std::move(plan)},
      {"totals",
       {{"shipments", t.shipments},
        {"assigned", t.assigned},
        {"unassigned", t.shipments - t.assigned},
        {"assigned_teu", teu(t.assigned_cteu)},
        {"unassigned_teu", teu(t.unassigned_cteu)},
        {"transport", MoneyJson(t.transport_micros)},
        {"fees", MoneyJson(t.fees_micros)},
        {"cost", MoneyJson(t.transport_micros + t.fees_micros)},
        {"co2_kg", static_cast<double>(t.co2_g) / 1000.0},
        {"objective", MoneyJson(t.objective_micros)}}},
      {"timing_ms", {{"total", r.total_ms}, {"total_cpu", r.total_cpu_ms}, {"repair", r.repair_ms}}},
  };
  if (r.bound.solved) {
    out["bound"] = {{"objective", MoneyJson(r.bound.objective_micros)},
                    {"transport", MoneyJson(r.bound.transport_micros)},
                    {"unmet_teu", teu(r.bound.unmet_cteu)},
                    {"flow_unmet_teu", teu(r.bound.flow_unmet_cteu)},
                    {"flow_objective", MoneyJson(r.bound.flow_objective_micros)},
                    {"lagrangian_objective", MoneyJson(r.bound.lagrangian_objective_micros)},
                    {"hopeless_teu", teu(r.bound.hopeless_cteu)},
                    {"gap", MoneyJson(GapMicros(r))},
                    {"gap_ratio", GapRatio(r)},
                    {"flow_network", {{"nodes", r.bound.nodes}, {"arcs", r.bound.arcs}}},
                    {"timing_ms", {{"build", r.bound.build_ms}, {"solve", r.bound.solve_ms}}}};
    out["followed_flow"] = r.followed_flow;
    out["rerouted"] = r.rerouted;
    out["improved"] = r.improved;
  }
  return out;
}

}  // namespace dryport::freight
