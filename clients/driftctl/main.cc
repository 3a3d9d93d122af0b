// driftctl: command-line tools for the drift statistics.
//
//   driftctl ks FILE_A FILE_B [--alpha=A]
//
// prints one JSON object: the two-sample K-S test (scipy.stats.ks_2samp, two-sided,
// method 'auto') plus the critical statistic at alpha and the decision.
// Exit codes: 0 success, 2 usage error or unreadable/bad input (message on stderr).
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "clients/driftctl/number_file.h"
#include "services/stats/ks_test.h"

namespace {

constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "usage: driftctl ks FILE_A FILE_B [--alpha=A]\n"
    "\n"
    "Two-sample Kolmogorov-Smirnov test of the numbers in FILE_A against FILE_B\n"
    "(one number per line; blank lines and '#' comments ignored). Prints one JSON\n"
    "object: statistic, pvalue, method ('exact' or 'asymp', as scipy's ks_2samp\n"
    "with method='auto'), n1, n2, alpha, critical_statistic (smallest statistic\n"
    "rejected at alpha) and reject (pvalue <= alpha).\n"
    "\n"
    "  --alpha=A   significance level in (0, 1); default 0.05\n"
    "  --help      this text\n"
    "\n"
    "Exit status: 0 ok, 2 usage error or bad input.\n";

// Shortest of %.15g / %.17g that reads back as the same double (a valid JSON number).
std::string JsonNumber(double x) {
  std::string s = absl::StrFormat("%.15g", x);
  double back = 0;
  if (!absl::SimpleAtod(s, &back) || back != x) s = absl::StrFormat("%.17g", x);
  return s;
}

int Usage(const std::string& problem) {
  std::fprintf(stderr, "driftctl: %s\n\n%s", problem.c_str(), kUsage);
  return kExitUsage;
}

int RunKs(const std::vector<std::string>& files, double alpha) {
  std::vector<double> samples[2];
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::vector<double>> xs = df::driftctl::ReadNumberFile(files[i]);
    if (!xs.ok()) {
      std::fprintf(stderr, "driftctl: %s\n", std::string(xs.status().message()).c_str());
      return kExitUsage;
    }
    if (xs->empty()) {
      std::fprintf(stderr, "driftctl: %s: no numbers (need at least 1)\n", files[i].c_str());
      return kExitUsage;
    }
    samples[i] = *std::move(xs);
  }
  absl::StatusOr<df::stats::KsResult> r = df::stats::KsTwoSample(samples[0], samples[1]);
  if (!r.ok()) {
    std::fprintf(stderr, "driftctl: %s\n", std::string(r.status().message()).c_str());
    return kExitUsage;
  }
  const double critical = df::stats::KsCriticalStatistic(r->n1, r->n2, alpha);
  const std::string json = absl::StrFormat(
      "{\"statistic\": %s, \"pvalue\": %s, \"method\": \"%s\", \"n1\": %d, \"n2\": %d, "
      "\"alpha\": %s, \"critical_statistic\": %s, \"reject\": %s}",
      JsonNumber(r->statistic), JsonNumber(r->pvalue),
      std::string(df::stats::KsMethodName(r->method)), r->n1, r->n2, JsonNumber(alpha),
      JsonNumber(critical), r->pvalue <= alpha ? "true" : "false");
  std::printf("%s\n", json.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> positional;
  double alpha = 0.05;
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (absl::ConsumePrefix(&arg, "--alpha=")) {
      if (!absl::SimpleAtod(arg, &alpha) || !(alpha > 0.0 && alpha < 1.0)) {
        return Usage(absl::StrFormat("--alpha must be a number in (0, 1), got '%s'", arg));
      }
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') return Usage(absl::StrFormat("unknown flag '%s'", arg));
    positional.emplace_back(arg);
  }
  if (positional.empty()) return Usage("missing command");
  if (positional[0] != "ks") return Usage(absl::StrFormat("unknown command '%s'", positional[0]));
  if (positional.size() != 3) return Usage("ks needs exactly two files");
  return RunKs({positional[1], positional[2]}, alpha);
}
