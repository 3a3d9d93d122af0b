// Parsing a binary's command line with Abseil flags, as every Data Factory binary
// does, plus what they promise beyond absl::ParseCommandLine:
//  - `--help` (also `-h`) prints the usage message and the binary's own flags, those
//    defined under its `help_folders` (Abseil by default lists only flags defined in a
//    file named after the program, so our binaries printed "No flags matched"), with
//    file names relative to the repository, and exits 0; `--helpfull` lists every
//    flag; `--version` prints the product version;
//  - a usage error Abseil finds (unknown flag, a value its type cannot parse, a
//    missing value) is printed, followed by the usage message, on stderr, and the
//    process exits with `usage_exit_code` (Abseil's own is 1);
//  - list flags may be repeated and aliases are accepted (see flag_args.h).
//
// Usage:
//   ABSL_FLAG(double, alpha, 0.05, "significance level, in (0, 1)");
//   int main(int argc, char** argv) {
//     df::cli::CommandLineSpec spec;
//     spec.program = "driftctl";
//     spec.usage = "usage: driftctl ks FILE_A FILE_B [--alpha=A]";
//     spec.help_folders = {"clients/driftctl/"};
//     const std::vector<std::string> positional =
//         df::cli::ParseCommandLineOrExit({argv, argv + argc}, spec);
//     if (positional.size() != 3) return df::cli::UsageError("ks needs two files");
//
// Thread-safety: call ParseCommandLineOrExit once, at the start of main() before
// other threads exist: it sets process-wide Abseil state (the usage message is set
// by the first call only). UsageError only reads that state.
// Failure: ParseCommandLineOrExit does not return after a help request or a usage
// error: it exits the process, as absl::ParseCommandLine does.
#ifndef DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_
#define DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace df::cli {

struct CommandLineSpec {
  std::string program;  // names the binary in messages, e.g. "driftctl"
  std::string usage;    // what it does and its synopsis; shown by --help and on errors
  // Repository folders whose flags --help lists, e.g. {"clients/driftctl/"}.
  std::vector<std::string> help_folders;
  int usage_exit_code = 2;
  // std::vector<std::string> flags that may be repeated, joined in order (flag_args.h).
  absl::flat_hash_set<std::string> list_flags;
  // Other spellings of flags, e.g. {"no-color", "no_color"}; "h" -> "help" is built in.
  absl::flat_hash_map<std::string, std::string> aliases;
};

// Parses `argv` (the program name first) into the Abseil flags; returns the
// positional arguments, without the program name.
[[nodiscard]] std::vector<std::string> ParseCommandLineOrExit(std::vector<std::string> argv,
                                                              const CommandLineSpec& spec);

// Prints "<program>: <problem>" and the usage message on stderr and returns the usage
// exit code, for the checks a binary makes after parsing: `return UsageError("...")`.
[[nodiscard]] int UsageError(absl::string_view problem);

// `path` relative to the repository: from the last "services/", "clients/" or
// "tests/" that starts a folder name on (unchanged when there is none). Pure.
std::string RepoRelativePath(absl::string_view path);

}  // namespace df::cli

#endif  // DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_
