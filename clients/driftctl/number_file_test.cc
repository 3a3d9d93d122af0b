#include "clients/driftctl/number_file.h"

#include <cstdio>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace df::driftctl {
namespace {

TEST(ParseNumbersTest, SkipsBlankLinesAndComments) {
  absl::StatusOr<std::vector<double>> xs =
      ParseNumbers("# header\n1.5\n\n  -2e3  \n3 # trailing comment\r\n\t\n", "a.txt");
  ASSERT_TRUE(xs.ok()) << xs.status();
  EXPECT_EQ(*xs, (std::vector<double>{1.5, -2000.0, 3.0}));
}

TEST(ParseNumbersTest, EmptyTextGivesNoNumbers) {
  absl::StatusOr<std::vector<double>> xs = ParseNumbers("", "a.txt");
  ASSERT_TRUE(xs.ok());
  EXPECT_TRUE(xs->empty());
}

TEST(ParseNumbersTest, BadLineNamesFileAndLine) {
  absl::StatusOr<std::vector<double>> xs = ParseNumbers("1\n2\n# c\nabc\n5\n", "cur.txt");
  ASSERT_FALSE(xs.ok());
  EXPECT_EQ(xs.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(xs.status().message().find("cur.txt:4:"), absl::string_view::npos) << xs.status();
  EXPECT_NE(xs.status().message().find("abc"), absl::string_view::npos);
}

TEST(ParseNumbersTest, RejectsTwoNumbersOnALineAndNonFinite) {
  EXPECT_FALSE(ParseNumbers("1 2\n", "f").ok());
  EXPECT_FALSE(ParseNumbers("nan\n", "f").ok());
  EXPECT_FALSE(ParseNumbers("inf\n", "f").ok());
  EXPECT_FALSE(ParseNumbers("1e999\n", "f").ok());
}

TEST(ReadNumberFileTest, ReadsARealFileAndReportsAMissingOne) {
  const std::string path = testing::TempDir() + "/number_file_test.txt";
  {
    std::ofstream out(path);
    out << "4\n5\n";
  }
  absl::StatusOr<std::vector<double>> xs = ReadNumberFile(path);
  ASSERT_TRUE(xs.ok()) << xs.status();
  EXPECT_EQ(*xs, (std::vector<double>{4.0, 5.0}));
  std::remove(path.c_str());
  xs = ReadNumberFile(path);
  ASSERT_FALSE(xs.ok());
  EXPECT_EQ(xs.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(xs.status().message().find(path), absl::string_view::npos);
}

}  // namespace
}  // namespace df::driftctl
