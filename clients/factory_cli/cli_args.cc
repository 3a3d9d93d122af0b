#include "clients/factory_cli/cli_args.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "services/factory_sim/model/levers.h"

namespace df::factory_cli {

namespace {

constexpr char kCommands[] =
    "the terminal dashboard of the Data Factory simulator (factory-sim).\n"
    "\n"
    "usage: factory-cli <command> [flags]\n"
    "  scenarios                          list the lab's scenarios\n"
    "  evaluate  --scenario act2 --set storage_tier=nvme ... [--json] [--png FILE]\n"
    "  watch     --scenario act2 [--interval_ms 200] [--epochs 3] [--sim_seconds_per_tick S]\n"
    "            [--change_after N --change storage_tier=nvme ...]   live telemetry\n"
    "            (--interval_ms 0: unpaced, every tick as fast as it is computed)\n"
    "  rationale --session ID --text \"...\" [--scenario ..] [--set ..]\n"
    "  audit     --session ID             the session's audit trail\n"
    "  help                               this text and the flags\n"
    "--set and --change take lever settings name=value, repeated or comma-separated.\n"
    "Exit status: 0 ok, 1 factory-sim answered with an error or cannot be reached,\n"
    "2 bad command line.";

}  // namespace

std::string Usage() {
  // The lever list comes from the model's lever table, as the server parses it.
  std::string usage = absl::StrCat(kCommands, "\n\nLevers (name [aliases]: values):\n");
  for (const std::string& line : df::factory::LeverHelp())
    absl::StrAppend(&usage, "  ", line, "\n");
  return usage;
}

namespace {

absl::Status BadFlag(absl::string_view flag, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("--", flag, " ", why));
}

absl::Status CheckRange(absl::string_view flag, int value, int lo, int hi) {
  if (value >= lo && value <= hi) return absl::OkStatus();
  return BadFlag(flag, absl::StrCat("must be an integer in ", lo, "..", hi, ", got ", value));
}

// `--set a,,b` and `--set=` name no lever.
void DropEmpty(std::vector<std::string>* settings) {
  settings->erase(std::remove(settings->begin(), settings->end(), std::string()), settings->end());
}

}  // namespace

absl::StatusOr<CliArgs> ValidateCliArgs(const std::vector<std::string>& positional, CliArgs flags) {
  static const auto* const kCommands =
      new absl::flat_hash_set<std::string>{"scenarios", "evaluate", "watch", "rationale", "audit"};
  if (positional.empty()) return absl::InvalidArgumentError("missing command");
  flags.command = positional[0];
  if (!kCommands->contains(flags.command)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command '", flags.command, "'"));
  }
  if (positional.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", positional[1], "'"));
  }
  DropEmpty(&flags.settings);
  DropEmpty(&flags.changes);
  if (absl::Status s = CheckRange("interval_ms", flags.interval_ms, 0, 60000); !s.ok()) return s;
  if (absl::Status s = CheckRange("epochs", flags.epochs, 1, 1000); !s.ok()) return s;
  if (absl::Status s = CheckRange("change_after", flags.change_after, 0, 1000000); !s.ok()) {
    return s;
  }
  if (flags.sim_seconds_per_tick.has_value() && !(*flags.sim_seconds_per_tick > 0)) {
    return BadFlag("sim_seconds_per_tick",
                   absl::StrCat("must be a number > 0, got ", *flags.sim_seconds_per_tick));
  }
  if ((flags.command == "rationale" || flags.command == "audit") && flags.session.empty()) {
    return BadFlag("session", absl::StrCat("is required for '", flags.command, "'"));
  }
  if (flags.command == "rationale" && flags.text.empty()) {
    return BadFlag("text", "is required for 'rationale'");
  }
  if (flags.command == "watch" && flags.interval_ms == 0 && !flags.changes.empty()) {
    return BadFlag("change",
                   "needs a paced run (--interval_ms > 0): an unpaced run is over "
                   "before a change can reach it");
  }
  return flags;
}

}  // namespace df::factory_cli
