// Min-cost flow behind a plain-struct interface (private to freight).
//
// The implementation (min_cost_flow_lemon.cc) is the only LEMON user and is
// compiled as C++17 (LEMON 1.3.1 breaks under C++20); this header therefore
// uses nothing newer than C++17 and no dryport types.
#ifndef DRYPORT_FREIGHT_INTERNAL_MIN_COST_FLOW_H_
#define DRYPORT_FREIGHT_INTERNAL_MIN_COST_FLOW_H_

#include <cstdint>
#include <string>
#include <vector>

namespace dryport::freight::internal {

struct FlowArc {
  int32_t from = 0;
  int32_t to = 0;
  int64_t capacity = 0;  // >= 0
  int64_t cost = 0;      // per unit of flow
};

struct FlowProblem {
  int32_t node_count = 0;
  std::vector<int64_t> supply;  // node_count entries; positive = source, negative = sink; sums to 0
  std::vector<FlowArc> arcs;
};

enum class FlowAlgorithm { kNetworkSimplex, kCostScaling };

struct FlowSolution {
  enum class Outcome { kOptimal, kInfeasible, kUnbounded, kBadInput };
  Outcome outcome = Outcome::kBadInput;
  std::string message;
  int64_t cost = 0;                // sum of flow x cost
  std::vector<int64_t> flow;       // per arc
  std::vector<int64_t> potential;  // per node (dual solution)
};

FlowSolution SolveMinCostFlow(const FlowProblem& problem, FlowAlgorithm algorithm);

}  // namespace dryport::freight::internal

#endif  // DRYPORT_FREIGHT_INTERNAL_MIN_COST_FLOW_H_
