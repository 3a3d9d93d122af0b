#!/usr/bin/env bash
# Runs every test of Data Factory on a Debian 12 machine: installs the missing
# Debian packages, configures and builds with a CMake preset, then runs ctest.
#
#   bash deploy/scripts/test.sh            # release preset (warnings are errors)
#   bash deploy/scripts/test.sh asan       # the same tests under ASan + UBSan
#   bash deploy/scripts/test.sh tsan       # the same tests under ThreadSanitizer (clang)
#   bash deploy/scripts/test.sh tsan-ci    # ThreadSanitizer, CI's bounded set (label tsan_ci)
#   bash deploy/scripts/test.sh fuzz       # the libFuzzer targets, 25 s each (clang)
# Extra arguments go to ctest (e.g. -R drift for the tests whose names match).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
preset=${1:-release}
shift || true

bash deploy/scripts/install-deps.sh
bash deploy/scripts/fetch-sample-video.sh >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)

echo "== configure ($preset)"
cmake --preset "$preset" >/dev/null
echo "== build ($preset, $jobs jobs)"
cmake --build --preset "$preset" --parallel "$jobs"
echo "== test ($preset)"
ctest --preset "$preset" "$@"
