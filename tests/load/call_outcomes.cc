#include "tests/load/call_outcomes.h"

#include <algorithm>
#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace df::load {

void CallOutcomes::Count(const grpc::Status& status, bool answered_any, bool cancelled_by_us) {
  ++calls_;
  const grpc::StatusCode code = status.error_code();
  if (code == grpc::StatusCode::OK || (code == grpc::StatusCode::CANCELLED && cancelled_by_us)) {
    return;
  }
  if (code == grpc::StatusCode::RESOURCE_EXHAUSTED && !answered_any) {
    if (refused_++ == 0) first_refusal_message_ = status.error_message();
    return;
  }
  if (error_count() == 0) first_error_message_ = status.error_message();
  ++errors_[StatusCodeName(code)];
}

int64_t CallOutcomes::error_count() const {
  int64_t n = 0;
  for (const auto& [code, count] : errors_) n += count;
  return n;
}

std::string StatusCodeName(grpc::StatusCode code) {
  // gRPC's and absl's codes have the same values (services/common/grpc_status.h).
  std::string name = absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
  return name.empty() ? absl::StrCat("code ", static_cast<int>(code)) : name;
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace df::load
