#include "services/common/command_line.h"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "gtest/gtest.h"

ABSL_FLAG(std::vector<std::string>, set, {}, "levers, name=value");
ABSL_FLAG(int, epochs, 3, "epochs to run");
ABSL_FLAG(bool, no_color, false, "plain text");

namespace df::cli {
namespace {

using Args = std::vector<std::string>;

CommandLineSpec Spec() {
  return {.program = "cli-test",
          .usage = "usage: cli-test COMMAND",
          .help_folders = {"services/common/"},
          .usage_exit_code = 2,
          .list_flags = {"set"},
          .aliases = {{"no-color", "no_color"}}};
}

TEST(ParseCommandLineOrExitTest, RepeatedListFlagsReachAbseilJoined) {
  absl::FlagSaver restore;
  const Args positional =
      ParseCommandLineOrExit({"cli-test", "evaluate", "--set", "a=1", "--epochs", "5",
                              "--set=b=2,c=3", "--no-color", "extra"},
                             Spec());
  EXPECT_EQ(positional, (Args{"evaluate", "extra"}));
  EXPECT_EQ(absl::GetFlag(FLAGS_set), (Args{"a=1", "b=2", "c=3"}));
  EXPECT_EQ(absl::GetFlag(FLAGS_epochs), 5);
  EXPECT_TRUE(absl::GetFlag(FLAGS_no_color));
}

TEST(ParseCommandLineOrExitTest, UnknownFlagExitsWithTheUsageStatus) {
  EXPECT_EXIT((void)ParseCommandLineOrExit({"cli-test", "evaluate", "--colour"}, Spec()),
              testing::ExitedWithCode(2), "Unknown command line flag 'colour'.*usage: cli-test");
}

TEST(ParseCommandLineOrExitTest, UnparsableValueExitsWithTheUsageStatus) {
  EXPECT_EXIT((void)ParseCommandLineOrExit({"cli-test", "--epochs", "three"}, Spec()),
              testing::ExitedWithCode(2), "Illegal value 'three' specified for flag 'epochs'");
  EXPECT_EXIT((void)ParseCommandLineOrExit({"cli-test", "--set"}, Spec()),
              testing::ExitedWithCode(2), "Missing the value for the flag 'set'");
}

TEST(ParseCommandLineOrExitTest, TheUsageStatusIsTheBinarys) {
  CommandLineSpec spec = Spec();
  spec.usage_exit_code = 1;
  EXPECT_EXIT((void)ParseCommandLineOrExit({"cli-test", "--bogus"}, spec),
              testing::ExitedWithCode(1), "bogus");
}

TEST(ParseCommandLineOrExitTest, HelpListsTheBinarysOwnFlagsAndExitsZero) {
  for (const char* help : {"--help", "-h"}) {
    // stdout onto stderr, which the death test matches.
    EXPECT_EXIT(
        {
          dup2(STDERR_FILENO, STDOUT_FILENO);
          (void)ParseCommandLineOrExit({"cli-test", help}, Spec());
        },
        testing::ExitedWithCode(0),
        "usage: cli-test COMMAND.*services/common/command_line_test.cc.*--epochs \\(epochs to "
        "run\\)"
        ".*--no_color.*--set")
        << help;
  }
}

TEST(UsageErrorTest, NamesTheProblemShowsTheUsageAndReturnsTheStatus) {
  EXPECT_EXIT(
      {
        (void)ParseCommandLineOrExit({"cli-test"}, Spec());
        std::exit(UsageError("missing command"));
      },
      testing::ExitedWithCode(2), "cli-test: missing command\n\nusage: cli-test COMMAND");
}

}  // namespace
}  // namespace df::cli
