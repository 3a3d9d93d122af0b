// The command line of factory-cli, checked (pure; tested).
//
//   factory-cli scenarios
//   factory-cli evaluate --scenario act2 --set storage_tier=nvme --set dedup=0.2 [--json]
//                        [--png waterfall.png] [--session alice]
//   factory-cli watch --scenario act2 [--interval_ms 200] [--epochs 3]
//                     [--sim_seconds_per_tick S] [--change_after N --change storage_tier=nvme]
//   factory-cli rationale --session alice --text "NVMe removes the feeding tax" [--scenario ..]
//   factory-cli audit --session alice
//   factory-cli figures [--filter snowball]
//   factory-cli lab act1|act2|act3 [--answer 116 --answer 90000 ...] [--session alice]
//                   [--text "..." --set storage_tier=nvme]     (act2: the rationale)
//   factory-cli help                  (the same as --help)
// Common: --target host:port (default 127.0.0.1:50051), --json, --no_color (--no-color).
//
// main.cc defines the flags with Abseil and parses them with df::cli::ParseCommandLineOrExit
// (which joins repeated --set and --change, and turns a bad or unknown flag into exit
// status 2); ValidateCliArgs then checks the command and what Abseil cannot: ranges and
// the flags each command requires.
//
// Usage:
//   CliArgs flags;                       // filled from absl::GetFlag(FLAGS_...)
//   absl::StatusOr<CliArgs> args = ValidateCliArgs(positional, std::move(flags));
//
// Thread-safety: pure function.
// Failure: InvalidArgument naming the unknown command, the stray argument, or the flag
// and its allowed range.
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace df::factory_cli {

struct CliArgs {
  std::string command;  // scenarios | evaluate | watch | rationale | audit | figures | lab
  std::string act;      // lab: act1 | act2 | act3
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
  std::optional<double> sim_seconds_per_tick;  // watch: unset = the server's default
  int change_after = 0;  // ticks read before sending --change settings (watch)
  std::vector<std::string> changes;
  std::string filter;  // figures: a substring of the id, description or source
  // lab: answers to the act's predictions, in order, as written ("116", "87%", "$90000");
  // each must start with a number.
  std::vector<std::string> answers;
};

// The number an answer starts with, after an optional '$'; thousands separators are not
// allowed (a comma separates --answer values). "87%" -> 87, "1.9 GB/s" -> 1.9; nullopt when
// there is no number.
std::optional<double> ParseAnswer(const std::string& text);

// `positional`: the arguments left after the flags, without the program name (the
// command first). `flags`: the flag values; its `command` is ignored. Returns `flags`
// with the command set and empty list entries (`--set a,,b`) dropped.
[[nodiscard]] absl::StatusOr<CliArgs> ValidateCliArgs(const std::vector<std::string>& positional,
                                                      CliArgs flags);

// What factory-cli does and its commands: Abseil's usage message (--help adds the flags).
// Includes the levers --set and --change take, from the model's lever table.
std::string Usage();

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_CLI_ARGS_H_
