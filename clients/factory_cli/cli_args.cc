#include "clients/factory_cli/cli_args.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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
    "  figures   [--filter TEXT]          the figure catalogue: value, unit, source\n"
    "  lab       act1|act2|act3 [--answer N ...] [--session ID] [--text \"...\" --set ..]\n"
    "            walks an act: scenario, crisis, task, your predictions, the reveal with\n"
    "            its worked arithmetic, a reflection; act2 grades --text as a rationale.\n"
    "            Answers come from --answer (in order) or, on a terminal, are asked for;\n"
    "            without a terminal an unanswered question is skipped, never waited on.\n"
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

std::optional<double> ParseAnswer(const std::string& text) {
  absl::string_view rest = absl::StripAsciiWhitespace(text);
  if (!rest.empty() && rest.front() == '$') rest.remove_prefix(1);
  size_t end = 0;
  while (end < rest.size() && (absl::ascii_isdigit(static_cast<unsigned char>(rest[end])) ||
                               rest[end] == '.' || rest[end] == 'e' || rest[end] == 'E' ||
                               ((rest[end] == '-' || rest[end] == '+') &&
                                (end == 0 || rest[end - 1] == 'e' || rest[end - 1] == 'E')))) {
    ++end;
  }
  double value = 0;
  if (end == 0 || !absl::SimpleAtod(rest.substr(0, end), &value)) return std::nullopt;
  return value;
}

absl::StatusOr<CliArgs> ValidateCliArgs(const std::vector<std::string>& positional, CliArgs flags) {
  static const auto* const kCommands = new absl::flat_hash_set<std::string>{
      "scenarios", "evaluate", "watch", "rationale", "audit", "figures", "lab"};
  if (positional.empty()) return absl::InvalidArgumentError("missing command");
  flags.command = positional[0];
  if (!kCommands->contains(flags.command)) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command '", flags.command, "'"));
  }
  size_t used = 1;
  if (flags.command == "lab") {
    if (positional.size() < 2) {
      return absl::InvalidArgumentError("lab needs an act: act1, act2 or act3");
    }
    flags.act = positional[1];
    if (flags.act != "act1" && flags.act != "act2" && flags.act != "act3") {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown act '", flags.act, "'; acts: act1, act2, act3"));
    }
    used = 2;
  }
  if (positional.size() > used) {
    return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", positional[used], "'"));
  }
  DropEmpty(&flags.answers);
  for (const std::string& answer : flags.answers) {
    if (!ParseAnswer(answer)) {
      return BadFlag("answer", absl::StrCat("must start with a number, got '", answer, "'"));
    }
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
  if (flags.command == "lab" && !flags.text.empty() && flags.session.empty()) {
    return BadFlag("session", "is required with --text: the rationale goes into its audit trail");
  }
  if (flags.command == "watch" && flags.interval_ms == 0 && !flags.changes.empty()) {
    return BadFlag("change",
                   "needs a paced run (--interval_ms > 0): an unpaced run is over "
                   "before a change can reach it");
  }
  return flags;
}

}  // namespace df::factory_cli
