// RepoRelativePath: flag locations in --help are shown relative to the repository.
#include <gtest/gtest.h>

#include "services/common/command_line.h"

namespace df::cli {
namespace {

TEST(RepoRelativePathTest, StripsTheCheckoutFolder) {
  EXPECT_EQ(RepoRelativePath("/work/main/services/drift_monitor/main.cc"),
            "services/drift_monitor/main.cc");
  EXPECT_EQ(RepoRelativePath("/src/clients/driftctl/main.cc"), "clients/driftctl/main.cc");
}

TEST(RepoRelativePathTest, AlreadyRelativeAndUnknownPathsStay) {
  EXPECT_EQ(RepoRelativePath("services/common/service_main.cc"), "services/common/service_main.cc");
  EXPECT_EQ(RepoRelativePath("/usr/include/absl/flags/flag.h"), "/usr/include/absl/flags/flag.h");
}

TEST(RepoRelativePathTest, ACheckoutUnderAFolderNamedTestsStillWorks) {
  EXPECT_EQ(RepoRelativePath("/home/ci/tests/data-factory/services/factory_sim/main.cc"),
            "services/factory_sim/main.cc");
}

TEST(RepoRelativePathTest, OnlyWholeFolderNamesCount) {
  EXPECT_EQ(RepoRelativePath("/x/myservices/y.cc"), "/x/myservices/y.cc");
}

}  // namespace
}  // namespace df::cli
