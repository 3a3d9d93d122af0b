#include "tests/load/call_outcomes.h"

#include <algorithm>
#include <cmath>

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
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return absl::StrCat("code ", static_cast<int>(code));
  }
}

double Percentile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(q * static_cast<double>(sorted.size()));
  const size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

}  // namespace df::load
