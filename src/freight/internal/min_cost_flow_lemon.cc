// The only translation unit that includes LEMON; compiled as C++17.
#include <lemon/cost_scaling.h>
#include <lemon/list_graph.h>
#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "freight/internal/min_cost_flow.h"

namespace dryport::freight::internal {
namespace {

template <typename Algorithm>
FlowSolution Run(const lemon::SmartDigraph& g, Algorithm& alg, const FlowProblem& p,
                 const std::vector<lemon::SmartDigraph::Arc>& arcs,
                 const std::vector<lemon::SmartDigraph::Node>& nodes) {
  FlowSolution sol;
  const auto result = alg.run();
  if (result == Algorithm::INFEASIBLE) {
    sol.outcome = FlowSolution::Outcome::kInfeasible;
    sol.message = "no flow satisfies the supplies within the capacities";
    return sol;
  }
  if (result == Algorithm::UNBOUNDED) {
    sol.outcome = FlowSolution::Outcome::kUnbounded;
    sol.message = "a negative-cost cycle of unbounded capacity";
    return sol;
  }
  sol.outcome = FlowSolution::Outcome::kOptimal;
  sol.cost = alg.template totalCost<int64_t>();
  sol.flow.resize(p.arcs.size());
  for (size_t i = 0; i < arcs.size(); ++i) sol.flow[i] = alg.flow(arcs[i]);
  sol.potential.resize(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) sol.potential[i] = alg.potential(nodes[i]);
  (void)g;
  return sol;
}

}  // namespace

FlowSolution SolveMinCostFlow(const FlowProblem& p, FlowAlgorithm algorithm) {
  FlowSolution bad;
  bad.outcome = FlowSolution::Outcome::kBadInput;
  if (p.node_count < 0 || p.supply.size() != static_cast<size_t>(p.node_count)) {
    bad.message = "supply must have one entry per node";
    return bad;
  }
  int64_t total = 0;
  for (int64_t s : p.supply) total += s;
  if (total != 0) {
    bad.message = "supplies must sum to zero";
    return bad;
  }
  lemon::SmartDigraph g;
  g.reserveNode(p.node_count);
  g.reserveArc(static_cast<int>(p.arcs.size()));
  std::vector<lemon::SmartDigraph::Node> nodes(static_cast<size_t>(p.node_count));
  for (auto& n : nodes) n = g.addNode();
  std::vector<lemon::SmartDigraph::Arc> arcs(p.arcs.size());
  for (size_t i = 0; i < p.arcs.size(); ++i) {
    const FlowArc& a = p.arcs[i];
    if (a.from < 0 || a.from >= p.node_count || a.to < 0 || a.to >= p.node_count || a.capacity < 0) {
      bad.message = "arc out of range or with negative capacity";
      return bad;
    }
    arcs[i] = g.addArc(nodes[static_cast<size_t>(a.from)], nodes[static_cast<size_t>(a.to)]);
  }
  // Arithmetic maps only (the C++20 pitfall concerns non-arithmetic ones,
  // but this file is C++17 anyway).
  lemon::SmartDigraph::ArcMap<int64_t> cap(g), cost(g);
  lemon::SmartDigraph::NodeMap<int64_t> supply(g);
  for (size_t i = 0; i < p.arcs.size(); ++i) {
    cap[arcs[i]] = p.arcs[i].capacity;
    cost[arcs[i]] = p.arcs[i].cost;
  }
  for (size_t i = 0; i < nodes.size(); ++i) supply[nodes[i]] = p.supply[i];
  if (algorithm == FlowAlgorithm::kCostScaling) {
    lemon::CostScaling<lemon::SmartDigraph, int64_t, int64_t> alg(g);
    alg.upperMap(cap).costMap(cost).supplyMap(supply);
    return Run(g, alg, p, arcs, nodes);
  }
  lemon::NetworkSimplex<lemon::SmartDigraph, int64_t, int64_t> alg(g);
  alg.upperMap(cap).costMap(cost).supplyMap(supply);
  return Run(g, alg, p, arcs, nodes);
}

}  // namespace dryport::freight::internal
