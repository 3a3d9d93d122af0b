// ParseCommandLine: Abseil flag parsing as every Data Factory binary does it.
//
// Abseil's --help lists only the flags defined in a file named after the program
// (e.g. `drift-monitor.cc`), so on its own it prints "No flags matched" for our
// binaries. This sets the usage configuration once so that --help and --helpshort
// list the flags defined under the binary's own folders (and services/common/ for
// the servers' shared flags), prints flag locations relative to the repository, and
// answers --version; then it parses the command line.
//
// Usage:
//   int main(int argc, char** argv) {
//     std::vector<std::string> args = df::ParseCommandLine(argc, argv, {
//         .usage = "driftctl ks FILE_A FILE_B [--alpha=A]",
//         .help_folders = {"clients/driftctl/"}});
//     // args[0] is the program; the rest are the positional arguments.
//   }
//
// Failure: an unknown flag or a bad flag value makes Abseil print the problem and
// exit with status 1 (its convention); --help / --helpfull print and exit too.
// Thread-safety: call once, first thing in main(), before any thread starts.
#ifndef DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_
#define DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_

#include <string>
#include <string_view>
#include <vector>

namespace df {

struct CommandLineInfo {
  // The usage message: what the program does and how to call it.
  std::string usage;
  // Repository folders (e.g. "services/drift_monitor/") whose flags --help lists.
  std::vector<std::string> help_folders;
};

// Parses argc/argv with Abseil flags (see above) and returns argv[0] followed by
// the positional arguments.
std::vector<std::string> ParseCommandLine(int argc, char** argv, const CommandLineInfo& info);

// `path` relative to the repository: the part from the last of "services/",
// "clients/" or "tests/" on (unchanged when none occurs). Pure; for help output.
std::string RepoRelativePath(std::string_view path);

}  // namespace df

#endif  // DATA_FACTORY_SERVICES_COMMON_COMMAND_LINE_H_
