// libFuzzer target: driftctl's number files (clients/driftctl/number_file.h), the
// text a user hands to `driftctl ks`.
// Checks: no crash or undefined behaviour (ASan, UBSan); every number accepted is
// finite; an error names the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "absl/strings/string_view.h"
#include "clients/driftctl/number_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<std::vector<double>> numbers = df::driftctl::ParseNumbers(text, "fuzz.txt");
  if (!numbers.ok()) {
    if (numbers.status().message().find("fuzz.txt") == absl::string_view::npos) std::abort();
    return 0;
  }
  for (const double x : *numbers) {
    if (!std::isfinite(x)) std::abort();
  }
  return 0;
}
