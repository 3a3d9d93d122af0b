// driftctl: command-line tools for the drift statistics.
//
//   driftctl ks FILE_A FILE_B [--alpha=A]
//
// prints one JSON object (ks_report.proto): the two-sample K-S test
// (scipy.stats.ks_2samp, two-sided, method 'auto') plus the critical statistic at
// alpha and the decision.
// Exit codes: 0 success, 2 usage error or unreadable/bad input (message on stderr).
#include <google/protobuf/util/json_util.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "clients/driftctl/number_file.h"
#include "ks_report.pb.h"
#include "services/common/command_line.h"
#include "services/stats/ks_test.h"

ABSL_FLAG(double, alpha, 0.05, "significance level of the decision, in (0, 1)");

namespace {

constexpr int kExitUsage = 2;

constexpr char kUsage[] =
    "command-line tools for the drift statistics.\n"
    "\n"
    "usage: driftctl ks FILE_A FILE_B [--alpha=A]\n"
    "\n"
    "Two-sample Kolmogorov-Smirnov test of the numbers in FILE_A against FILE_B\n"
    "(one number per line; blank lines and '#' comments ignored). Prints one JSON\n"
    "object: statistic, pvalue, method ('exact' or 'asymp', as scipy's ks_2samp\n"
    "with method='auto'), n1, n2, alpha, critical_statistic (smallest statistic\n"
    "rejected at alpha) and reject (pvalue <= alpha).\n"
    "\n"
    "Exit status: 0 ok, 2 usage error or bad input.";

int Fail(const std::string& message) {
  std::fprintf(stderr, "driftctl: %s\n", message.c_str());
  return kExitUsage;
}

int RunKs(const std::vector<std::string>& files, double alpha) {
  std::vector<double> samples[2];
  for (int i = 0; i < 2; ++i) {
    absl::StatusOr<std::vector<double>> xs = df::driftctl::ReadNumberFile(files[i]);
    if (!xs.ok()) return Fail(std::string(xs.status().message()));
    if (xs->empty()) return Fail(files[i] + ": no numbers (need at least 1)");
    if (xs->size() > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
      return Fail(absl::StrCat(files[i], ": more than 2^31 - 1 numbers"));
    }
    samples[i] = *std::move(xs);
  }
  absl::StatusOr<df::stats::KsResult> r = df::stats::KsTwoSample(samples[0], samples[1]);
  if (!r.ok()) return Fail(std::string(r.status().message()));

  datafactory::driftctl::KsReport report;
  report.set_statistic(r->statistic);
  report.set_pvalue(r->pvalue);
  report.set_method(std::string(df::stats::KsMethodName(r->method)));
  report.set_n1(static_cast<int32_t>(r->n1));
  report.set_n2(static_cast<int32_t>(r->n2));
  report.set_alpha(alpha);
  report.set_critical_statistic(df::stats::KsCriticalStatistic(r->n1, r->n2, alpha));
  report.set_reject(r->pvalue <= alpha);
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;  // "reject": false, "pvalue": 0
  options.preserve_proto_field_names = true;
  std::string json;
  if (const auto printed = google::protobuf::util::MessageToJsonString(report, &json, options);
      !printed.ok()) {
    return Fail(absl::StrCat("cannot print the result as JSON: ", printed.ToString()));
  }
  std::printf("%s\n", json.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  df::cli::CommandLineSpec command_line;
  command_line.program = "driftctl";
  command_line.usage = kUsage;
  command_line.help_folders = {"clients/driftctl/"};
  command_line.usage_exit_code = kExitUsage;
  const std::vector<std::string> positional =
      df::cli::ParseCommandLineOrExit({argv, argv + argc}, command_line);
  const double alpha = absl::GetFlag(FLAGS_alpha);
  if (!(alpha > 0.0 && alpha < 1.0)) {
    return df::cli::UsageError(absl::StrCat("--alpha must be a number in (0, 1), got ", alpha));
  }
  if (positional.empty()) return df::cli::UsageError("missing command");
  if (positional[0] != "ks") {
    return df::cli::UsageError(absl::StrCat("unknown command '", positional[0], "'"));
  }
  if (positional.size() != 3) return df::cli::UsageError("ks needs exactly two files");
  return RunKs({positional[1], positional[2]}, alpha);
}
