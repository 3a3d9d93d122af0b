// Checks df_stats against scipy on a reference file written at test time by
// testdata/ks_scipy_reference.py (see the record formats there).
// Usage: ks_scipy_test <reference file> [gtest flags]
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <numeric>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "services/stats/internal/kolmogorov.h"
#include "services/stats/ks_test.h"

namespace df::stats {
namespace {

constexpr double kPvalueTolerance = 1e-6;
constexpr double kStatisticTolerance = 1e-12;

std::string g_reference_path;  // NOLINT: set once in main

struct Reference {
  std::vector<std::string> headers;  // one record per line (samples: the header only)
  std::vector<std::vector<double>> samples_a, samples_b;
};

std::vector<double> ParseLine(const std::string& line) {
  std::vector<double> values;
  std::istringstream in(line);
  double x = 0;
  while (in >> x) values.push_back(x);
  return values;
}

const Reference& LoadReference() {
  static const Reference* reference = [] {
    auto* ref = new Reference;
    std::ifstream in(g_reference_path);
    std::string line;
    while (std::getline(in, line)) {
      ref->headers.push_back(line);
      if (line.rfind("sample ", 0) == 0) {
        std::string a, b;
        std::getline(in, a);
        std::getline(in, b);
        ref->samples_a.push_back(ParseLine(a));
        ref->samples_b.push_back(ParseLine(b));
      }
    }
    return ref;
  }();
  return *reference;
}

std::vector<std::string> Records(std::string_view kind) {
  std::vector<std::string> out;
  for (const std::string& h : LoadReference().headers) {
    if (h.rfind(std::string(kind) + " ", 0) == 0) out.push_back(h);
  }
  return out;
}

TEST(KsScipyTest, ReferenceFileIsPresent) {
  ASSERT_FALSE(g_reference_path.empty()) << "usage: ks_scipy_test <reference file>";
  EXPECT_GT(LoadReference().samples_a.size(), 400u) << g_reference_path;
}

TEST(KsScipyTest, TwoSampleTestMatchesKs2samp) {
  const Reference& ref = LoadReference();
  size_t s = 0, below_1e10 = 0, fallbacks = 0, big = 0;
  double worst_p = 0, worst_d = 0;
  for (const std::string& h : ref.headers) {
    if (h.rfind("sample ", 0) != 0) continue;
    std::istringstream in(h.substr(7));
    int64_t n1 = 0, n2 = 0;
    double d = 0, p = 0;
    std::string method;
    in >> n1 >> n2 >> d >> p >> method;
    const std::vector<double>& a = ref.samples_a[s];
    const std::vector<double>& b = ref.samples_b[s];
    ++s;
    ASSERT_EQ(static_cast<int64_t>(a.size()), n1) << h;
    ASSERT_EQ(static_cast<int64_t>(b.size()), n2) << h;
    absl::StatusOr<KsResult> r = KsTwoSample(a, b);
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_NEAR(r->statistic, d, kStatisticTolerance) << h;
    EXPECT_NEAR(r->pvalue, p, kPvalueTolerance) << h;
    EXPECT_EQ(KsMethodName(r->method), method) << h;
    EXPECT_EQ(r->n1, n1);
    EXPECT_EQ(r->n2, n2);
    worst_p = std::max(worst_p, std::abs(r->pvalue - p));
    worst_d = std::max(worst_d, std::abs(r->statistic - d));
    below_1e10 += p < 1e-10;
    fallbacks += method == "asymp" && std::max(n1, n2) <= kKsMaxExactSize;
    big += std::max(n1, n2) > kKsMaxExactSize;
  }
  std::cout << s << " sample pairs; worst |dp| = " << worst_p << ", worst |dD| = " << worst_d
            << "; " << below_1e10 << " with p < 1e-10, " << fallbacks
            << " exact-to-asymp fallbacks, " << big << " above 10,000\n";
  EXPECT_GT(below_1e10, 10u);
  EXPECT_GT(fallbacks, 0u);
  EXPECT_GT(big, 5u);
}

TEST(KsScipyTest, PValueOfGivenStatisticMatches) {
  double worst = 0;
  size_t fallbacks = 0;
  std::vector<std::string> records = Records("pvalue");
  ASSERT_GT(records.size(), 100u);
  for (const std::string& h : records) {
    std::istringstream in(h.substr(7));
    double d = 0, d_grid = 0, p = 0;
    int64_t n1 = 0, n2 = 0;
    std::string method;
    in >> d >> n1 >> n2 >> d_grid >> p >> method;
    const KsResult r = KsPValue(d, n1, n2);
    EXPECT_NEAR(r.statistic, d_grid, kStatisticTolerance) << h;
    EXPECT_NEAR(r.pvalue, p, kPvalueTolerance) << h;
    EXPECT_EQ(KsMethodName(r.method), method) << h;
    worst = std::max(worst, std::abs(r.pvalue - p));
    fallbacks += method == "asymp" && std::max(n1, n2) <= kKsMaxExactSize && d_grid > 0;
  }
  std::cout << records.size() << " given statistics; worst |dp| = " << worst << "; " << fallbacks
            << " exact-to-asymp fallbacks\n";
  EXPECT_GT(fallbacks, 3u);
}

TEST(KsScipyTest, KolmogorovDistributionMatchesKstwo) {
  double worst = 0, worst_rel = 0;
  std::vector<std::string> records = Records("kstwo");
  ASSERT_GT(records.size(), 200u);
  for (const std::string& h : records) {
    std::istringstream in(h.substr(6));
    int64_t n = 0;
    double x = 0, sf = 0;
    in >> n >> x >> sf;
    const double mine = internal::KolmogorovSf(n, x);
    EXPECT_NEAR(mine, sf, kPvalueTolerance) << h;
    // Relative agreement too where the value is representable well.
    if (sf > 1e-280) {
      EXPECT_NEAR(mine / sf, 1.0, 1e-6) << h;
    }
    worst = std::max(worst, std::abs(mine - sf));
    if (sf > 1e-280) worst_rel = std::max(worst_rel, std::abs(mine / sf - 1));
  }
  std::cout << records.size() << " kstwo.sf values; worst |d| = " << worst
            << ", worst relative = " << worst_rel << "\n";
}

TEST(KsScipyTest, SmirnovMatchesScipySpecial) {
  std::vector<std::string> records = Records("smirnov");
  ASSERT_GT(records.size(), 50u);
  for (const std::string& h : records) {
    std::istringstream in(h.substr(8));
    int64_t n = 0;
    double x = 0, sf = 0;
    in >> n >> x >> sf;
    const double mine = internal::SmirnovSf(n, x);
    EXPECT_NEAR(mine, sf, 1e-10) << h;
    if (sf > 1e-280) {
      EXPECT_NEAR(mine / sf, 1.0, 1e-9) << h;
    }
  }
}

TEST(KsScipyTest, ExactTailsAreBitIdentical) {
  // scipy decides its exact-to-asymp fallback on these values, so they must agree exactly.
  size_t count = 0;
  for (const std::string& h : Records("inside")) {
    std::istringstream in(h.substr(7));
    int64_t m = 0, n = 0, hh = 0;
    double p = 0;
    in >> m >> n >> hh >> p;
    EXPECT_EQ(internal::OuterProbInsideMethod(m, n, std::gcd(m, n), hh), p) << h;
    ++count;
  }
  for (const std::string& h : Records("square")) {
    std::istringstream in(h.substr(7));
    int64_t n = 0, hh = 0;
    double p = 0;
    in >> n >> hh >> p;
    EXPECT_EQ(internal::ProbOutsideSquare(n, hh), p) << h;
    ++count;
  }
  EXPECT_GT(count, 500u);
}

}  // namespace
}  // namespace df::stats

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  if (argc > 1) df::stats::g_reference_path = argv[1];
  return RUN_ALL_TESTS();
}
