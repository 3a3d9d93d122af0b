// Parsing the number files driftctl reads: one number per line.
//
// Blank lines and comments (from '#' to the end of the line) are ignored; surrounding
// whitespace is allowed. Anything else on a line, or a NaN/inf, is an error.
//
// Usage:
//   absl::StatusOr<std::vector<double>> xs = ParseNumbers(text, "ref.txt");
//   absl::StatusOr<std::vector<double>> ys = ReadNumberFile("cur.txt");
//
// Thread-safety: pure functions (ReadNumberFile reads the file system).
// Failure: InvalidArgument "FILE:LINE: ..." naming the file and 1-based line for a bad
// line; NotFound / FailedPrecondition for a file that cannot be opened or read.
#ifndef DF_CLIENTS_DRIFTCTL_NUMBER_FILE_H_
#define DF_CLIENTS_DRIFTCTL_NUMBER_FILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::driftctl {

// Parses `text` (the contents of `file_name`, used in error messages).
[[nodiscard]] absl::StatusOr<std::vector<double>> ParseNumbers(absl::string_view text,
                                                               absl::string_view file_name);

// Reads and parses a file.
[[nodiscard]] absl::StatusOr<std::vector<double>> ReadNumberFile(const std::string& path);

}  // namespace df::driftctl

#endif  // DF_CLIENTS_DRIFTCTL_NUMBER_FILE_H_
