#include "services/common/command_line.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "absl/flags/commandlineflag.h"
#include "absl/flags/internal/parse.h"
#include "absl/flags/internal/usage.h"
#include "absl/flags/reflection.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "services/common/flag_args.h"

namespace df::cli {

namespace {

// The spec of the running binary, read by UsageError and by Abseil's usage-error hook.
CommandLineSpec& CurrentSpec() {
  static auto* const spec = new CommandLineSpec();
  return *spec;
}

void PrintUsage() {
  const CommandLineSpec& spec = CurrentSpec();
  std::fprintf(stderr, "\n%s\nTry '%s --help' for its flags.\n", spec.usage.c_str(),
               spec.program.c_str());
}

bool TakesValue(absl::string_view name) {
  const absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
  return flag != nullptr && !flag->IsOfType<bool>();
}

}  // namespace

std::vector<std::string> ParseCommandLineOrExit(std::vector<std::string> argv,
                                                const CommandLineSpec& spec) {
  CurrentSpec() = spec;
  static const bool usage_set = [&] {  // Abseil takes the usage message once per process
    absl::SetProgramUsageMessage(spec.usage);
    return true;
  }();
  (void)usage_set;
  absl::FlagsUsageConfig usage_config;
  const std::vector<std::string> folders = spec.help_folders;
  usage_config.contains_help_flags = [folders](absl::string_view file) {
    const std::string relative = RepoRelativePath(file);
    return std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) {
      return absl::StartsWith(relative, folder);
    });
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.contains_helppackage_flags = usage_config.contains_help_flags;
  // "Flags from clients/driftctl/main.cc", whatever the build's path to the source.
  usage_config.normalize_filename = [](absl::string_view file) { return RepoRelativePath(file); };
  usage_config.version_string = [] { return absl::StrCat("Data Factory ", DF_VERSION, "\n"); };
  absl::SetFlagsUsageConfig(usage_config);

  FlagArgSyntax syntax;
  syntax.list_flags = spec.list_flags;
  syntax.aliases = spec.aliases;
  syntax.aliases.emplace("h", "help");
  syntax.takes_value = TakesValue;
  std::vector<std::string> args =
      NormalizeFlagArgs(absl::MakeConstSpan(argv).subspan(argv.empty() ? 0 : 1), syntax);
  args.insert(args.begin(), argv.empty() ? spec.program : argv[0]);
  std::vector<char*> c_args;
  c_args.reserve(args.size() + 1);
  for (std::string& arg : args) c_args.push_back(arg.data());
  c_args.push_back(nullptr);

  // Abseil 20220623 offers no public parse that leaves the exit after --help to the
  // caller (its --help exits 1); this is absl::ParseCommandLine with the usage flags
  // handled here. Usage errors exit through the hook below.
  const std::vector<char*> positional = absl::flags_internal::ParseCommandLineImpl(
      static_cast<int>(args.size()), c_args.data(),
      absl::flags_internal::ArgvListAction::kRemoveParsedArgs,
      absl::flags_internal::UsageFlagsAction::kIgnoreUsage,
      absl::flags_internal::OnUndefinedFlag::kAbortIfUndefined);
  if (absl::flags_internal::HandleUsageFlags(std::cout, absl::ProgramUsageMessage()) != -1) {
    std::cout.flush();
    std::exit(0);
  }
  return {positional.begin() + 1, positional.end()};
}

std::string RepoRelativePath(absl::string_view path) {
  // The last root that starts a folder name: a checkout may itself sit under a
  // folder called "tests".
  size_t start = absl::string_view::npos;
  for (absl::string_view root : {"services/", "clients/", "tests/"}) {
    for (size_t at = path.rfind(root); at != absl::string_view::npos;
         at = at == 0 ? absl::string_view::npos : path.rfind(root, at - 1)) {
      if (at == 0 || path[at - 1] == '/') {
        if (start == absl::string_view::npos || at > start) start = at;
        break;
      }
    }
  }
  return std::string(start == absl::string_view::npos ? path : path.substr(start));
}

int UsageError(absl::string_view problem) {
  std::fprintf(stderr, "%s: %.*s\n", CurrentSpec().program.c_str(),
               static_cast<int>(problem.size()), problem.data());
  PrintUsage();
  return CurrentSpec().usage_exit_code;
}

}  // namespace df::cli

// Abseil calls this after printing "ERROR: <problem>" for each usage error it finds,
// and exits with status 1 once all are reported; the clients exit with their own
// usage status at the first one. (Declared in absl/flags/usage_config.h; Abseil's
// definition is weak.)
extern "C" void ABSL_INTERNAL_C_SYMBOL(AbslInternalReportFatalUsageError)(absl::string_view) {
  df::cli::PrintUsage();
  std::exit(df::cli::CurrentSpec().usage_exit_code);
}
