// Telemetry load: M concurrent factory-sim StreamTelemetry runs over real gRPC, a
// fraction of them reading slowly (each read started only `slow_read_delay` after
// the previous one returned, so the server must coalesce ticks rather than buffer),
// all for the same duration, with the gRPC callback API (one ClientReadReactor per
// run, no thread per run).
//
// Every run asks for a paced run of the `scenario` far longer than `duration`
// (1000 epochs) and is cancelled by the load program when its duration is over:
// CANCELLED after that is the planned end, any other non-OK status an error.
//
// Usage:
//   TelemetryLoadOptions options;  options.runs = 200;
//   absl::StatusOr<TelemetryLoadResult> result = RunTelemetryLoad(channels, options);
//
// Thread-safety: RunTelemetryLoad blocks until every run has ended; it runs the
// calls on gRPC's threads and one timer thread of its own.
// Failure: INVALID_ARGUMENT for options out of range (named); the runs' outcomes
// are in the result.
#ifndef DATA_FACTORY_TESTS_LOAD_TELEMETRY_LOAD_H_
#define DATA_FACTORY_TESTS_LOAD_TELEMETRY_LOAD_H_

#include <grpcpp/grpcpp.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/load/call_outcomes.h"

namespace df::load {

struct TelemetryLoadOptions {
  int runs = 200;
  double slow_fraction = 0.2;                         // of the runs, spread evenly
  absl::Duration slow_read_delay = absl::Seconds(1);  // between a slow reader's reads
  int tick_interval_ms = 200;                         // the runs' pace (the server's default)
  absl::Duration duration = absl::Seconds(60);
  absl::Duration ramp = absl::Seconds(5);
  std::string scenario = "act2";
};

struct TelemetryRunTally {
  bool slow = false;
  bool refused = false;
  int64_t messages = 0;         // ticks received
  int64_t coalesced_ticks = 0;  // the last tick's coalesced_ticks_total
};

struct TelemetryLoadResult {
  CallOutcomes outcomes;
  std::vector<TelemetryRunTally> runs;
  absl::Duration wall;
};

// INVALID_ARGUMENT naming the flag of the first option out of range.
[[nodiscard]] absl::Status ValidateTelemetryLoadOptions(const TelemetryLoadOptions& options);

[[nodiscard]] absl::StatusOr<TelemetryLoadResult> RunTelemetryLoad(
    const std::vector<std::shared_ptr<grpc::Channel>>& channels,
    const TelemetryLoadOptions& options);

}  // namespace df::load

#endif  // DATA_FACTORY_TESTS_LOAD_TELEMETRY_LOAD_H_
