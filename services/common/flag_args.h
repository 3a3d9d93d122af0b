// The rewrite the client binaries apply to their arguments before Abseil parses them.
//
// Abseil takes a std::vector<std::string> flag as one comma-separated value, and a
// later occurrence of a flag replaces the earlier one, so `--set a --set b` would
// silently keep only `b`. NormalizeFlagArgs joins every occurrence of a list flag
// into one argument, in order, at the place of the first occurrence:
//
//   --set a=1 --json --set=b=2,c=3   ->   --set=a=1,b=2,c=3 --json
//
// and spells aliases the way Abseil knows them (`-h` -> `--help`, `--no-color` ->
// `--no_color`: Abseil flag names cannot hold a '-'). Everything else is passed on
// unchanged for Abseil to parse and judge: positional arguments, other flags and
// their values, everything after `--`, and a list flag missing its value.
//
// Usage:
//   FlagArgSyntax syntax;
//   syntax.list_flags = {"set"};
//   syntax.takes_value = [](absl::string_view name) { return name != "json"; };
//   std::vector<std::string> args = NormalizeFlagArgs({"--set", "a", "--set=b"}, syntax);
//
// Thread-safety: a pure function (it calls `takes_value`).
// Failure: none; a malformed command line stays malformed, for Abseil to report.
#ifndef DATA_FACTORY_SERVICES_COMMON_FLAG_ARGS_H_
#define DATA_FACTORY_SERVICES_COMMON_FLAG_ARGS_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace df::cli {

struct FlagArgSyntax {
  // Names of std::vector<std::string> flags whose occurrences are joined.
  absl::flat_hash_set<std::string> list_flags;
  // Another spelling -> the flag's name, e.g. {"no-color", "no_color"}, {"h", "help"}.
  absl::flat_hash_map<std::string, std::string> aliases;
  // Whether flag `name`, given without "=value", takes the next argument as its value
  // (Abseil: every flag but a boolean). Unknown names should answer false.
  std::function<bool(absl::string_view name)> takes_value;
};

// `args` without the program name.
[[nodiscard]] std::vector<std::string> NormalizeFlagArgs(absl::Span<const std::string> args,
                                                         const FlagArgSyntax& syntax);

}  // namespace df::cli

#endif  // DATA_FACTORY_SERVICES_COMMON_FLAG_ARGS_H_
