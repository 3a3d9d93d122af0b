// The guided acts: each question's accepted answer is the model's own figure, the reveal works
// it out, and CheckPrediction applies the stated tolerance.
#include "services/factory_sim/model/guided_acts.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_join.h"

namespace df::factory {
namespace {

const Prediction& P(const char* act, const char* id) {
  const GuidedAct* a = FindAct(act);
  EXPECT_NE(a, nullptr) << act;
  for (const Prediction& p : a->predictions) {
    if (p.id == id) return p;
  }
  ADD_FAILURE() << act << " has no prediction " << id;
  return a->predictions.front();
}

TEST(GuidedActsTest, ThreeActsEachWithItsStory) {
  ASSERT_EQ(GuidedActs().size(), 3u);
  for (const GuidedAct& act : GuidedActs()) {
    EXPECT_FALSE(act.scenario.empty()) << act.id;
    EXPECT_FALSE(act.crisis.empty()) << act.id;
    EXPECT_FALSE(act.task.empty()) << act.id;
    EXPECT_FALSE(act.reflection.empty()) << act.id;
    EXPECT_GE(act.predictions.size(), 2u) << act.id;
    EXPECT_GE(act.reveal.size(), 3u) << act.id;
    for (const Prediction& p : act.predictions) {
      EXPECT_FALSE(p.question.empty());
      EXPECT_FALSE(p.worked_math.empty()) << p.id;
    }
  }
  EXPECT_EQ(FindAct("act1")->solved_scenario, "act1_snowball");
  EXPECT_EQ(FindAct("act2")->solved_scenario, "act2_nvme");
  EXPECT_EQ(FindAct("act4"), nullptr);
}

TEST(GuidedActsTest, AcceptedAnswersAreTheModelsFigures) {
  EXPECT_NEAR(P("act1", "fiber_days").accepted_answer, 1e7 / 86'400, 1e-3);  // 115.7 days
  EXPECT_DOUBLE_EQ(P("act1", "egress_dollars").accepted_answer, 90'000);
  EXPECT_DOUBLE_EQ(P("act1", "snowball_devices").accepted_answer, 5);
  EXPECT_NEAR(P("act2", "demand_gb_per_s").accepted_answer, 16'621 * 147.9 / 1'281'167, 1e-9);
  EXPECT_NEAR(P("act2", "idle_percent").accepted_answer,
              100 * (1 - 250e6 / (16'621 * 147.9e9 / 1'281'167)), 1e-9);  // 87.0 %
  EXPECT_DOUBLE_EQ(P("act2", "nvme_idle_percent").accepted_answer, 0);
  EXPECT_DOUBLE_EQ(P("act3", "cities_flagged").accepted_answer, 1);
  EXPECT_DOUBLE_EQ(P("act3", "cities_flagged_strict").accepted_answer, 0);  // alpha flips it
}

TEST(GuidedActsTest, TheRevealWorksTheNumbersOut) {
  const std::string act1 = absl::StrJoin(FindAct("act1")->reveal, "\n");
  for (const char* shown : {"115.7 days", "92.6 days", "$90,000", "$53,791", "5 devices",
                            "5.09 days", "7.09 days", "$30,000", "not priced"}) {
    EXPECT_TRUE(absl::StrContains(act1, shown)) << shown << " in\n" << act1;
  }
  const std::string act2 = absl::StrJoin(FindAct("act2")->reveal, "\n");
  for (const char* shown : {"1.92 GB/s", "87.0 %", "$4.68 an epoch", "139x", "2.467e5 J"}) {
    EXPECT_TRUE(absl::StrContains(act2, shown)) << shown << " in\n" << act2;
  }
  const std::string act3 = absl::StrJoin(FindAct("act3")->reveal, "\n");
  for (const char* shown : {"0.0305", "0.0155", "0.01 / 4 tests = 0.0025", "Lakewood",
                            "Fairview (control)", "flagged from alpha"}) {
    EXPECT_TRUE(absl::StrContains(act3, shown)) << shown << " in\n" << act3;
  }
}

TEST(CheckPredictionTest, RelativeAndAbsoluteTolerances) {
  // fiber_days: within 10 % of 115.7.
  EXPECT_TRUE(CheckPrediction("act1", "fiber_days", 116)->correct);
  EXPECT_TRUE(CheckPrediction("act1", "fiber_days", 105)->correct);
  EXPECT_FALSE(CheckPrediction("act1", "fiber_days", 92.6)->correct);  // forgot the 80 %
  // snowball_devices: exactly.
  EXPECT_TRUE(CheckPrediction("act1", "snowball_devices", 5)->correct);
  EXPECT_FALSE(CheckPrediction("act1", "snowball_devices", 4)->correct);
  // idle_percent: within 3 points of 87.0.
  EXPECT_TRUE(CheckPrediction("act2", "idle_percent", 85)->correct);  // the story's "85 %"
  EXPECT_FALSE(CheckPrediction("act2", "idle_percent", 80)->correct);
  const absl::StatusOr<PredictionCheck> check = CheckPrediction("act1", "fiber_days", 100);
  ASSERT_TRUE(check.ok());
  // 1e7 s over the link plus 24 ms of light in 3,000 miles of glass.
  EXPECT_NEAR(check->difference, 100 - (1e7 + 3'000 * 1'609.344 / 2e8) / 86'400, 1e-12);
  EXPECT_TRUE(absl::StartsWith(check->message, "Not quite: 100 days; accepted: 115.7 days"))
      << check->message;
}

TEST(CheckPredictionTest, UnknownActsPredictionsAndNonNumbersAreRefused) {
  absl::StatusOr<PredictionCheck> c = CheckPrediction("act9", "fiber_days", 1);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(c.status().message(), "act1, act2, act3"));
  c = CheckPrediction("act1", "speed_of_light", 1);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(c.status().message(), "fiber_days, egress_dollars"));
  c = CheckPrediction("act1", "fiber_days", std::numeric_limits<double>::quiet_NaN());
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace df::factory
