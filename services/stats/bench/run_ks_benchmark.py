#!/usr/bin/python3
"""Runs ks_benchmark and the scipy timing on the same data and prints the ratios.

usage: /usr/bin/python3 services/stats/bench/run_ks_benchmark.py \
           --benchmark build/release/services/stats/ks_benchmark

Per update (one value in, one out, decision at alpha = 0.01) at n = 1,000 and 10,000
(reference and window both n): the rolling detector versus (a) recomputing the batch
statistic in C++ and (b) one scipy.stats.ks_2samp call. CPU time per update; the
baselines are measured in the same run. Targets at n = 1,000: >= 1,000x cheaper than
scipy, >= 50x cheaper than the C++ recompute.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

SIZES = [1000, 10000]


def write_data(directory, seed=42):
    rng = np.random.default_rng(seed)
    for n in SIZES:
        # Quantised to 1/64 (ties, like 8-bit features); a small shift halfway in.
        reference = np.round(rng.normal(0, 1, n) * 64) / 64
        stream = np.round((rng.normal(0, 1, 4 * n) + np.r_[np.zeros(2 * n), np.full(2 * n, 0.1)])
                          * 64) / 64
        np.savetxt(os.path.join(directory, "reference_%d.txt" % n), reference, fmt="%.17g")
        np.savetxt(os.path.join(directory, "stream_%d.txt" % n), stream, fmt="%.17g")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmark", required=True, help="path to the ks_benchmark binary")
    parser.add_argument("--min-seconds", type=float, default=1.0)
    args = parser.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    with tempfile.TemporaryDirectory() as tmp:
        write_data(tmp)
        out = subprocess.run(
            [args.benchmark, "--ks_data_dir=" + tmp, "--benchmark_format=json",
             "--benchmark_min_time=%g" % args.min_seconds],
            check=True, capture_output=True, text=True).stdout
        cpp = {b["name"]: b["cpu_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3}[b["time_unit"]]
               for b in json.loads(out)["benchmarks"]}
        scipy_out = subprocess.run(
            [sys.executable, os.path.join(here, "scipy_ks_timing.py"), "--data-dir", tmp,
             "--sizes", ",".join(map(str, SIZES)), "--min-seconds", str(2 * args.min_seconds)],
            check=True, capture_output=True, text=True).stdout
        scipy = {int(k): v for k, v in json.loads(scipy_out).items()}
    print("%7s %14s %16s %16s %14s %16s %16s" % (
        "n", "rolling (s)", "C++ recompute", "C++ with p", "scipy (s)", "x vs recompute",
        "x vs scipy"))
    ok = True
    for n in SIZES:
        rolling = cpp["BM_RollingUpdateAndDecision/%d" % n]
        recompute = cpp["BM_BatchRecomputeAndDecision/%d" % n]
        with_p = cpp["BM_BatchTestWithPValue/%d" % n]
        vs_recompute, vs_scipy = recompute / rolling, scipy[n] / rolling
        print("%7d %14.3e %16.3e %16.3e %14.3e %16.0f %16.0f" % (
            n, rolling, recompute, with_p, scipy[n], vs_recompute, vs_scipy))
        if n == 1000:
            ok = vs_recompute >= 50 and vs_scipy >= 1000
    print("targets at n=1,000 (>= 50x vs C++ recompute, >= 1,000x vs scipy): %s"
          % ("met" if ok else "NOT met"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
