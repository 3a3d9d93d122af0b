#include "clients/driftctl/number_file.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace df::driftctl {

absl::StatusOr<std::vector<double>> ParseNumbers(absl::string_view text,
                                                 absl::string_view file_name) {
  std::vector<double> values;
  int line_number = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_number;
    if (const size_t hash = line.find('#'); hash != absl::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = absl::StripAsciiWhitespace(line);  // also drops a '\r' of CRLF files
    if (line.empty()) continue;
    double x = 0;
    if (!absl::SimpleAtod(line, &x) || !std::isfinite(x)) {
      return absl::InvalidArgumentError(
          absl::StrCat(file_name, ":", line_number, ": '", line, "' is not a finite number"));
    }
    values.push_back(x);
  }
  return values;
}

absl::StatusOr<std::vector<double>> ReadNumberFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::NotFoundError(absl::StrCat(path, ": cannot open (", std::strerror(errno), ")"));
  }
  std::ostringstream contents;
  contents << in.rdbuf();
  if (in.bad()) return absl::FailedPreconditionError(absl::StrCat(path, ": read error"));
  return ParseNumbers(contents.str(), path);
}

}  // namespace df::driftctl
