// The one units convention: the lab's golden figures as the report and the dashboard print
// them, prefixes, rounding, separators and the catalogue's unit names.
#include "services/units/units_format.h"

#include <gtest/gtest.h>

#include <limits>

namespace df::units {
namespace {

TEST(UnitsFormatTest, FormatsTheLabsFigures) {
  EXPECT_EQ(FormatBytes(1e15), "1 PB");
  EXPECT_EQ(FormatBytesPerS(250e6), "250 MB/s");
  EXPECT_EQ(FormatDuration(8e6), "92.6 days");
  EXPECT_EQ(FormatDuration(8e5), "9.26 days");
  EXPECT_EQ(FormatDollars(90'000), "$90,000");
  EXPECT_EQ(FormatDollars(53'791.2), "$53,791");
  EXPECT_EQ(FormatDollars(53'800.4), "$53,800");
  EXPECT_EQ(FormatPercent(0.857), "85.7 %");
  EXPECT_EQ(FormatBitsPerS(10e9), "10 Gbps");
  EXPECT_EQ(FormatCount(16'621), "16,621");
}

TEST(UnitsFormatTest, ThreeSignificantDigitsWithoutTrailingZeros) {
  EXPECT_EQ(FormatBytes(1.5e15), "1.5 PB");
  EXPECT_EQ(FormatBytes(2.5e12), "2.5 TB");
  EXPECT_EQ(FormatBytes(110e3), "110 KB");
  EXPECT_EQ(FormatBytesPerS(1.828e9), "1.83 GB/s");
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBitsPerS(1e6), "1 Mbps");
  EXPECT_EQ(FormatBitsPerS(4e11), "400 Gbps");
  EXPECT_EQ(FormatPercent(0.8), "80 %");
  EXPECT_EQ(FormatPercent(0), "0 %");
  EXPECT_EQ(FormatPercent(1), "100 %");
  EXPECT_EQ(FormatSignificant(0.0125), "0.0125");
}

TEST(UnitsFormatTest, RoundingUpTakesTheNextPrefixAndNothingPrintsInExponentForm) {
  EXPECT_EQ(FormatBytes(999.7e6), "1 GB");
  EXPECT_EQ(FormatBytes(5e21), "5000 EB");
  EXPECT_EQ(FormatDuration(1234.4 * 86'400), "1234 days");
  EXPECT_EQ(FormatSignificant(999.96), "1000");
}

TEST(UnitsFormatTest, DurationsUseTheUnitFromTwoOfItOn) {
  EXPECT_EQ(FormatDuration(0), "0 s");
  EXPECT_EQ(FormatDuration(42), "42 s");
  EXPECT_EQ(FormatDuration(119), "119 s");
  EXPECT_EQ(FormatDuration(120), "2 min");
  EXPECT_EQ(FormatDuration(560), "9.33 min");
  EXPECT_EQ(FormatDuration(3 * 3'600), "3 h");
  EXPECT_EQ(FormatDuration(std::numeric_limits<double>::infinity()), "never");
}

TEST(UnitsFormatTest, DollarsAreWholeWithSeparatorsAndCentsOnlyBelowTen) {
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatDollars(-1'234'567), "-$1,234,567");
  EXPECT_EQ(FormatDollars(0), "$0");
  EXPECT_EQ(FormatDollars(0.42), "$0.42");
  EXPECT_EQ(FormatDollars(5), "$5");
  EXPECT_EQ(FormatDollars(9.999), "$10");
  EXPECT_EQ(FormatDollars(42.42), "$42");
  EXPECT_EQ(FormatDollars(0.001), "$0");
}

TEST(UnitsFormatTest, ValuesWithTheirCatalogueUnits) {
  EXPECT_EQ(FormatWithUnit(250e6, "B/s"), "250 MB/s");
  EXPECT_EQ(FormatWithUnit(250e6, "bytes/s"), "250 MB/s");
  EXPECT_EQ(FormatWithUnit(1e15, "B"), "1 PB");
  EXPECT_EQ(FormatWithUnit(1e9, "bit/s"), "1 Gbps");
  EXPECT_EQ(FormatWithUnit(90'000, "USD"), "$90,000");
  EXPECT_EQ(FormatWithUnit(864'000, "s"), "10 days");
  EXPECT_EQ(FormatWithUnit(0.137, "ratio"), "13.7 %");
  EXPECT_EQ(FormatWithUnit(2.3e-12, "J"), "2.3e-12 J");
}

}  // namespace
}  // namespace df::units
