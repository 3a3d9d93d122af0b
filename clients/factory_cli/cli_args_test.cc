// The check of factory-cli's command line after Abseil has parsed the flags. Unknown
// flags, unparsable values and repeated --set are Abseil's and services/common's part
// (tested there, and on the real binary by factory_cli_cli_test.py).
#include "clients/factory_cli/cli_args.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace df::factory_cli {
namespace {

using Strings = std::vector<std::string>;

TEST(ValidateCliArgsTest, KeepsTheFlagsAndSetsTheCommand) {
  CliArgs flags;
  flags.scenario = "act2";
  flags.settings = {"storage_tier=nvme", "", "dedup=0.2"};
  flags.json = true;
  flags.target = "10.0.0.1:1";
  absl::StatusOr<CliArgs> args = ValidateCliArgs({"evaluate"}, flags);
  ASSERT_TRUE(args.ok()) << args.status();
  EXPECT_EQ(args->command, "evaluate");
  EXPECT_EQ(args->scenario, "act2");
  EXPECT_EQ(args->settings, (Strings{"storage_tier=nvme", "dedup=0.2"}));  // empty one dropped
  EXPECT_TRUE(args->json);
  EXPECT_EQ(args->target, "10.0.0.1:1");
}

TEST(ValidateCliArgsTest, RejectsAMissingOrUnknownCommandAndStrayArguments) {
  EXPECT_EQ(ValidateCliArgs({}, {}).status().message(), "missing command");
  EXPECT_EQ(ValidateCliArgs({"launch"}, {}).status().message(), "unknown command 'launch'");
  EXPECT_EQ(ValidateCliArgs({"audit", "alice"}, {}).status().message(),
            "unexpected argument 'alice'");
}

TEST(ValidateCliArgsTest, NumbersOutOfRangeNameTheFlagAndTheRange) {
  CliArgs flags;
  flags.interval_ms = -1;
  EXPECT_EQ(ValidateCliArgs({"watch"}, flags).status().message(),
            "--interval_ms must be an integer in 0..60000, got -1");
  flags.interval_ms = 60001;
  EXPECT_FALSE(ValidateCliArgs({"watch"}, flags).ok());
  flags = {};
  flags.epochs = 0;
  EXPECT_EQ(ValidateCliArgs({"watch"}, flags).status().message(),
            "--epochs must be an integer in 1..1000, got 0");
  flags = {};
  flags.change_after = -5;
  EXPECT_EQ(ValidateCliArgs({"watch"}, flags).status().message(),
            "--change_after must be an integer in 0..1000000, got -5");
  flags = {};
  flags.sim_seconds_per_tick = 0;
  EXPECT_EQ(ValidateCliArgs({"watch"}, flags).status().message(),
            "--sim_seconds_per_tick must be a number > 0, got 0");
  flags.sim_seconds_per_tick = 2.5;
  EXPECT_TRUE(ValidateCliArgs({"watch"}, flags).ok());
}

TEST(ValidateCliArgsTest, UnpacedWatchIsAcceptedButNotWithAChange) {
  CliArgs flags;
  flags.interval_ms = 0;
  absl::StatusOr<CliArgs> unpaced = ValidateCliArgs({"watch"}, flags);
  ASSERT_TRUE(unpaced.ok()) << unpaced.status();
  EXPECT_EQ(unpaced->interval_ms, 0);
  flags.change_after = 5;
  flags.changes = {"storage_tier=nvme"};
  absl::Status too_late = ValidateCliArgs({"watch"}, flags).status();
  EXPECT_NE(too_late.message().find("--change needs a paced run"), std::string::npos) << too_late;
}

TEST(ValidateCliArgsTest, RationaleAndAuditNeedTheirFlags) {
  CliArgs flags;
  flags.text = "x";
  EXPECT_EQ(ValidateCliArgs({"rationale"}, flags).status().message(),
            "--session is required for 'rationale'");
  EXPECT_EQ(ValidateCliArgs({"audit"}, {}).status().message(), "--session is required for 'audit'");
  flags = {};
  flags.session = "alice";
  EXPECT_EQ(ValidateCliArgs({"rationale"}, flags).status().message(),
            "--text is required for 'rationale'");
  EXPECT_TRUE(ValidateCliArgs({"audit"}, flags).ok());
}

}  // namespace
}  // namespace df::factory_cli
