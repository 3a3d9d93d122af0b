// CallOutcomes: how the calls of one load phase ended, counted by status code, with
// refusals (RESOURCE_EXHAUSTED before any answer: the server's call limit) apart
// from every other error, and the exact percentiles the load table prints.
//
// Usage:
//   CallOutcomes outcomes;
//   outcomes.Count(status, /*answered_any=*/false, /*cancelled_by_us=*/false);
//   outcomes.errors();    // {"UNAVAILABLE": 2}; refusals and our own cancels excluded
//   Percentile(sorted_ms, 0.99);
//
// Thread-safety: a value type; the caller serialises Count. Failure: none.
#ifndef DATA_FACTORY_TESTS_LOAD_CALL_OUTCOMES_H_
#define DATA_FACTORY_TESTS_LOAD_CALL_OUTCOMES_H_

#include <grpcpp/support/status.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace df::load {

class CallOutcomes {
 public:
  // One call's end. A RESOURCE_EXHAUSTED call that got no answer was refused at its
  // start; CANCELLED after the load program cancelled the call itself (the end of a
  // telemetry run it does not read to the end) is the planned end, like OK.
  void Count(const grpc::Status& status, bool answered_any, bool cancelled_by_us);

  int64_t calls() const { return calls_; }
  int64_t refused() const { return refused_; }
  // Every other non-OK end, by status code name, e.g. {"UNAVAILABLE": 2}.
  const std::map<std::string, int64_t>& errors() const { return errors_; }
  int64_t error_count() const;
  // The first refusal's or error's message, to show what the server said.
  const std::string& first_refusal_message() const { return first_refusal_message_; }
  const std::string& first_error_message() const { return first_error_message_; }

 private:
  int64_t calls_ = 0;
  int64_t refused_ = 0;
  std::map<std::string, int64_t> errors_;
  std::string first_refusal_message_;
  std::string first_error_message_;
};

// "OK", "CANCELLED", ... for a status code.
std::string StatusCodeName(grpc::StatusCode code);

// The q-quantile (0..1) of `sorted` by the nearest-rank method (exact: the smallest
// value with at least q of the values at or below it); 0 for an empty vector.
double Percentile(const std::vector<double>& sorted, double q);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_CALL_OUTCOMES_H_
