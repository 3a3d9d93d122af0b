// The command line of factory-cli, parsed into a plain struct (pure; tested).
//
//   factory-cli scenarios
//   factory-cli evaluate --scenario act2 --set storage_tier=nvme --set dedup=0.2 [--json]
//                        [--png waterfall.png] [--session alice]
//   factory-cli watch --scenario act2 [--interval_ms 200] [--epochs 3]
//                     [--sim_seconds_per_tick S] [--change_after N --change storage_tier=nvme]
//   factory-cli rationale --session alice --text "NVMe removes the feeding tax" [--scenario ..]
//   factory-cli audit --session alice
// Common: --target host:port (default 127.0.0.1:50051), --json, --no-color.
// Options take "--name value" or "--name=value"; --set/--change repeat.
//
// Failure: InvalidArgument naming the bad option (unknown command or option, a
// missing value, a number out of range).
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace df::factory_cli {

struct CliArgs {
  std::string command;  // scenarios | evaluate | watch | rationale | audit | help
  std::string target = "127.0.0.1:50051";
  std::string scenario;
  std::vector<std::string> settings;  // --set
  std::string session;
  std::string text;
  std::string png_path;
  bool json = false;
  bool no_color = false;
  int interval_ms = 200;  // watch: 0 = unpaced
  int epochs = 3;
  double sim_seconds_per_tick = 0;
  int change_after = 0;  // ticks read before sending --change settings (watch)
  std::vector<std::string> changes;
};

[[nodiscard]] absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& argv);

extern const char kUsage[];

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_
