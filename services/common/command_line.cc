#include "services/common/command_line.h"

#include <algorithm>

#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace df {

std::string RepoRelativePath(std::string_view path) {
  // The last root that starts a folder name: a checkout may itself sit under a
  // folder called "tests".
  size_t start = std::string_view::npos;
  for (std::string_view root : {"services/", "clients/", "tests/"}) {
    for (size_t at = path.rfind(root); at != std::string_view::npos;
         at = at == 0 ? std::string_view::npos : path.rfind(root, at - 1)) {
      if (at == 0 || path[at - 1] == '/') {
        if (start == std::string_view::npos || at > start) start = at;
        break;
      }
    }
  }
  return std::string(start == std::string_view::npos ? path : path.substr(start));
}

std::vector<std::string> ParseCommandLine(int argc, char** argv, const CommandLineInfo& info) {
  const std::vector<std::string> folders = info.help_folders;
  auto listed = [folders](absl::string_view file) {
    const std::string relative = RepoRelativePath(std::string_view(file.data(), file.size()));
    return std::any_of(folders.begin(), folders.end(), [&](const std::string& folder) {
      return absl::StartsWith(relative, folder);
    });
  };
  absl::FlagsUsageConfig config;
  config.contains_help_flags = listed;
  config.contains_helpshort_flags = listed;
  config.normalize_filename = [](absl::string_view file) {
    return RepoRelativePath(std::string_view(file.data(), file.size()));
  };
  config.version_string = [] { return absl::StrCat("Data Factory ", DF_VERSION, "\n"); };
  absl::SetFlagsUsageConfig(config);
  absl::SetProgramUsageMessage(info.usage);

  std::vector<char*> positional = absl::ParseCommandLine(argc, argv);
  return std::vector<std::string>(positional.begin(), positional.end());
}

}  // namespace df
