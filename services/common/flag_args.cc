#include "services/common/flag_args.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"

namespace df::cli {

namespace {

// One list flag's occurrences so far: the joined argument stands at out[slot].
struct JoinedList {
  size_t slot = 0;
  std::vector<std::string> values;
};

}  // namespace

std::vector<std::string> NormalizeFlagArgs(absl::Span<const std::string> args,
                                           const FlagArgSyntax& syntax) {
  std::vector<std::string> out;
  out.reserve(args.size());
  absl::flat_hash_map<std::string, JoinedList> lists;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {  // the end of the flags, as for Abseil
      out.insert(out.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
      break;
    }
    // As for Abseil: "-name" and "--name" are flags, "-" alone is positional.
    absl::string_view body = arg;
    if (!absl::ConsumePrefix(&body, "-") || body.empty()) {
      out.push_back(arg);
      continue;
    }
    absl::ConsumePrefix(&body, "-");
    const size_t eq = body.find('=');
    const bool has_value = eq != absl::string_view::npos;
    std::string name(body.substr(0, eq));
    const auto alias = syntax.aliases.find(name);
    if (alias != syntax.aliases.end()) name = alias->second;

    if (syntax.list_flags.contains(name)) {
      if (!has_value && i + 1 == args.size()) {  // no value: Abseil says so
        out.push_back(absl::StrCat("--", name));
        continue;
      }
      const absl::string_view value = has_value ? body.substr(eq + 1) : args[++i];
      auto [list, first] = lists.try_emplace(name);
      if (first) {
        list->second.slot = out.size();
        out.emplace_back();
      }
      if (!value.empty()) list->second.values.emplace_back(value);
      out[list->second.slot] =
          absl::StrCat("--", name, "=", absl::StrJoin(list->second.values, ","));
      continue;
    }
    if (alias == syntax.aliases.end()) {
      out.push_back(arg);
    } else {
      out.push_back(has_value ? absl::StrCat("--", name, body.substr(eq))
                              : absl::StrCat("--", name));
    }
    // A separate value goes on unchanged, even when it looks like a flag.
    if (!has_value && i + 1 < args.size() && syntax.takes_value && syntax.takes_value(name)) {
      out.push_back(args[++i]);
    }
  }
  return out;
}

}  // namespace df::cli
