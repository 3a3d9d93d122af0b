#include "clients/factory_cli/cli_args.h"

#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace df::factory_cli {

const char kUsage[] =
    "usage: factory-cli <command> [options]\n"
    "  scenarios                          list the lab's scenarios\n"
    "  evaluate  --scenario act2 --set storage_tier=nvme ... [--json] [--png FILE]\n"
    "  watch     --scenario act2 [--interval_ms 200] [--epochs 3] [--sim_seconds_per_tick S]\n"
    "            [--change_after N --change storage_tier=nvme ...]   live telemetry\n"
    "            (--interval_ms 0: unpaced, every tick as fast as it is computed)\n"
    "  rationale --session ID --text \"...\" [--scenario ..] [--set ..]\n"
    "  audit     --session ID             the session's audit trail\n"
    "options: --target host:port (127.0.0.1:50051)  --session ID  --json  --no-color\n";

namespace {

absl::Status BadOption(absl::string_view option, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("option --", option, ": ", why));
}

absl::Status ParseInt(absl::string_view option, const std::string& value, int lo, int hi,
                      int* out) {
  if (!absl::SimpleAtoi(value, out) || *out < lo || *out > hi) {
    return BadOption(option,
                     absl::StrCat("must be an integer in ", lo, "..", hi, ", got '", value, "'"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& argv) {
  static const std::set<std::string> kCommands = {"scenarios", "evaluate", "watch",
                                                  "rationale", "audit",    "help"};
  CliArgs args;
  if (argv.size() < 2) return absl::InvalidArgumentError("missing command");
  args.command = argv[1];
  if (args.command == "--help" || args.command == "-h") args.command = "help";
  if (kCommands.count(args.command) == 0) {
    return absl::InvalidArgumentError(absl::StrCat("unknown command '", args.command, "'"));
  }
  for (size_t i = 2; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (const size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name == "json" || name == "no-color" || name == "no_color" || name == "help") {
      if (name == "json") args.json = true;
      if (name == "help") args.command = "help";
      if (name == "no-color" || name == "no_color") args.no_color = true;
      continue;
    }
    static const std::set<std::string> kValueOptions = {"target",
                                                        "scenario",
                                                        "set",
                                                        "change",
                                                        "session",
                                                        "text",
                                                        "png",
                                                        "epochs",
                                                        "change_after",
                                                        "interval_ms",
                                                        "sim_seconds_per_tick"};
    if (kValueOptions.count(name) == 0) return BadOption(name, "unknown option");
    if (!has_value) {
      if (i + 1 >= argv.size()) return BadOption(name, "needs a value");
      value = argv[++i];
    }
    if (name == "target") {
      args.target = value;
    } else if (name == "scenario") {
      args.scenario = value;
    } else if (name == "set") {
      for (absl::string_view s : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        args.settings.emplace_back(s);
      }
    } else if (name == "change") {
      for (absl::string_view s : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        args.changes.emplace_back(s);
      }
    } else if (name == "session") {
      args.session = value;
    } else if (name == "text") {
      args.text = value;
    } else if (name == "png") {
      args.png_path = value;
    } else if (name == "interval_ms") {
      if (auto s = ParseInt(name, value, 0, 60000, &args.interval_ms); !s.ok()) return s;
    } else if (name == "epochs") {
      if (auto s = ParseInt(name, value, 1, 1000, &args.epochs); !s.ok()) return s;
    } else if (name == "change_after") {
      if (auto s = ParseInt(name, value, 0, 1000000, &args.change_after); !s.ok()) return s;
    } else if (name == "sim_seconds_per_tick") {
      if (!absl::SimpleAtod(value, &args.sim_seconds_per_tick) ||
          !(args.sim_seconds_per_tick > 0)) {
        return BadOption(name, absl::StrCat("must be a number > 0, got '", value, "'"));
      }
    } else {
      return BadOption(name, "unknown option");
    }
  }
  if ((args.command == "rationale" || args.command == "audit") && args.session.empty()) {
    return BadOption("session", absl::StrCat("is required for '", args.command, "'"));
  }
  if (args.command == "rationale" && args.text.empty()) {
    return BadOption("text", "is required for 'rationale'");
  }
  if (args.command == "watch" && args.interval_ms == 0 && !args.changes.empty()) {
    return BadOption("change",
                     "needs a paced run (--interval_ms > 0): an unpaced run is over "
                     "before a change can reach it");
  }
  return args;
}

}  // namespace df::factory_cli
