#include <chrono>
#include <iostream>
#include <gtest/gtest.h>
#include "traffic/generator.h"
#include "traffic/data.h"
#include "traffic/plan.h"
#include "traffic/messages.h"
#include "ceb/codec.h"
namespace dryport::traffic {
TEST(DISABLED_Perf, Phases) {
  using C = std::chrono::steady_clock;
  GenOptions o; o.orders = 30000; o.faults = FaultRates::Default();
  auto t0 = C::now();
  internal::Plan plan;
  ASSERT_TRUE(internal::BuildPlan(o, *internal::BuiltinTrafficData().value(), plan).ok());
  auto t1 = C::now();
  internal::MessageBuilder b(o.seed, *internal::BuiltinTrafficData().value(), plan);
  std::vector<ceb::Message> msgs; size_t n = 0;
  for (const auto& e : plan.events) { if (e.kind == internal::EventKind::kResend) continue; n += ceb::WriteXml(b.Build(e).message).size(); }
  auto t2 = C::now();

  auto t3 = C::now();
  Generator g(o); size_t files = 0;
  ASSERT_TRUE(g.Generate([&](GeneratedFile&&) { ++files; }).ok());
  auto t4 = C::now();
  std::string dump = g.manifest().dump(1);
  auto t5 = C::now();
  auto ms = [](auto x, auto y) { return std::chrono::duration<double, std::milli>(y - x).count(); };
  std::cout << "plan " << ms(t0,t1) << " build " << ms(t1,t2) << " write " << ms(t2,t3) << " generate " << ms(t3,t4) << " dump " << ms(t4,t5) << " files " << files << " bytes " << n << "\n";
}
}
