#include "services/common/flag_args.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace df::cli {
namespace {

using Args = std::vector<std::string>;

FlagArgSyntax Syntax() {
  FlagArgSyntax syntax;
  syntax.list_flags = {"set", "change"};
  syntax.aliases = {{"no-color", "no_color"}, {"h", "help"}};
  syntax.takes_value = [](absl::string_view name) {
    return name == "scenario" || name == "text" || name == "set" || name == "change";
  };
  return syntax;
}

TEST(NormalizeFlagArgsTest, JoinsRepeatedListFlagsInOrderWhereTheFirstStood) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"evaluate", "--set", "storage_tier=nvme", "--scenario", "act2",
                                   "--set=dedup=0.2,alpha=0.05", "-set", "gpus=8"},
                              Syntax()),
            (Args{"evaluate", "--set=storage_tier=nvme,dedup=0.2,alpha=0.05,gpus=8", "--scenario",
                  "act2"}));
}

TEST(NormalizeFlagArgsTest, KeepsEachListFlagApart) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"--change", "a=1", "--set", "b=2", "--change", "c=3"}, Syntax()),
            (Args{"--change=a=1,c=3", "--set=b=2"}));
}

TEST(NormalizeFlagArgsTest, OneOccurrenceAndCommaListsPassAsOneValue) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"--set", "a=1,b=2"}, Syntax()), (Args{"--set=a=1,b=2"}));
}

TEST(NormalizeFlagArgsTest, EmptyOccurrencesAddNothing) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"--set=", "--set", "a=1", "--set", ""}, Syntax()),
            (Args{"--set=a=1"}));
  EXPECT_EQ(NormalizeFlagArgs(Args{"--set="}, Syntax()), (Args{"--set="}));
}

TEST(NormalizeFlagArgsTest, ASeparateValueIsNeverTakenForAFlag) {
  // The value of --text is "--set", as Abseil reads it; a boolean takes no value.
  EXPECT_EQ(NormalizeFlagArgs(Args{"--text", "--set", "--json", "--set", "a=1"}, Syntax()),
            (Args{"--text", "--set", "--json", "--set=a=1"}));
  EXPECT_EQ(NormalizeFlagArgs(Args{"--set", "--json"}, Syntax()), (Args{"--set=--json"}));
}

TEST(NormalizeFlagArgsTest, SpellsAliasesAsAbseilFlags) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"-h"}, Syntax()), (Args{"--help"}));
  EXPECT_EQ(NormalizeFlagArgs(Args{"watch", "--no-color", "--no-color=false"}, Syntax()),
            (Args{"watch", "--no_color", "--no_color=false"}));
}

TEST(NormalizeFlagArgsTest, LeavesPositionalsUnknownFlagsAndAfterDoubleDashAlone) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"ks", "-", "--bogus", "x", "--", "--set", "a", "--set", "b"},
                              Syntax()),
            (Args{"ks", "-", "--bogus", "x", "--", "--set", "a", "--set", "b"}));
}

TEST(NormalizeFlagArgsTest, AListFlagWithoutItsValueIsLeftForAbseilToReport) {
  EXPECT_EQ(NormalizeFlagArgs(Args{"evaluate", "--set"}, Syntax()), (Args{"evaluate", "--set"}));
}

TEST(NormalizeFlagArgsTest, WithoutTakesValueEveryFlagStandsAlone) {
  FlagArgSyntax syntax;
  syntax.list_flags = {"set"};
  EXPECT_EQ(NormalizeFlagArgs(Args{"--target", "x", "--set", "a", "--set", "b"}, syntax),
            (Args{"--target", "x", "--set=a,b"}));
}

}  // namespace
}  // namespace df::cli
