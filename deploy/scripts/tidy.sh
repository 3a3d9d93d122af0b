#!/usr/bin/env bash
# Runs clang-tidy (.clang-tidy at the root) on the C++ sources changed since a base
# commit, or on all of them; any finding fails the run.
#
#   bash deploy/scripts/tidy.sh            # changed since the commit in .ci/tidy-base
#   bash deploy/scripts/tidy.sh BASE       # changed since BASE (a commit or ref)
#   bash deploy/scripts/tidy.sh --all      # every source (about 15 minutes on 2 cores)
#
# A changed header counts through the .cc files beside it with the same stem. Uses the
# release build's compile_commands.json (configures the release preset when missing).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
build=build/release
base=${1:-$(cat .ci/tidy-base)}

command -v clang-tidy >/dev/null || bash deploy/scripts/install-deps.sh
[ -f "$build/compile_commands.json" ] || cmake --preset release >/dev/null
# Generated protobuf headers must exist for the sources to parse.
cmake --build "$build" --target df_drift_proto df_factory_proto df_driftctl_proto \
  df_drift_frame_wire_proto >/dev/null

all_sources() { git ls-files '*.cc' | grep -E '^(services|clients|tests)/'; }
if [ "$base" = "--all" ]; then
  files=$(all_sources)
elif ! git rev-parse --quiet --verify "$base^{commit}" >/dev/null; then
  echo "tidy: base $base is not in this clone's history: checking every source" >&2
  files=$(all_sources)
else
  changed=$(git diff --name-only --diff-filter=d "$base" -- '*.cc' '*.h' |
            grep -E '^(services|clients|tests)/' || true)
  files=$(for f in $changed; do
            case "$f" in
              *.cc) echo "$f" ;;
              *.h) stem=${f%.h}; ls "$stem.cc" "${stem}_test.cc" 2>/dev/null || true ;;
            esac
          done | sort -u)
fi
# Sources only other presets build (the TSan annotations) have no compile command here.
files=$(for f in $files; do
          if grep -q "\"file\": \"[^\"]*/$f\"" "$build/compile_commands.json"; then echo "$f"; fi
        done)
count=$(printf '%s\n' $files | grep -c . || true)
echo "== clang-tidy on $count files (base: $base)"
[ "$count" -gt 0 ] || exit 0
printf '%s\n' $files |
  xargs -P "$(nproc)" -n 1 clang-tidy -p "$build" --quiet --warnings-as-errors='*' 2>/dev/null
