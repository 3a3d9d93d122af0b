#!/usr/bin/env bash
# Runs one libFuzzer target for a bounded time over its seed corpus.
#
#   bash tests/fuzz/run_fuzzer.sh FUZZER SEED_DIR WORK_DIR SECONDS [libFuzzer flags...]
#
# New inputs go to WORK_DIR/corpus (the seeds in the repo are only read), crashes to
# WORK_DIR/crash-* etc. Exits non-zero on any crash, leak, timeout or sanitizer
# report, printing the reproducer's path; ctest (label fuzz) runs each target this
# way for DF_FUZZ_SECONDS, and a longer run is the same command with more seconds.
set -euo pipefail
fuzzer=$1 seeds=$2 work=$3 seconds=$4
shift 4
mkdir -p "$work/corpus"
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$work/" "$@" "$work/corpus" "$seeds"
