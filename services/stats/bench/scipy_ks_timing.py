#!/usr/bin/python3
"""Times scipy.stats.ks_2samp per sliding-window update on the ks_benchmark data.

For each n: the reference is DIR/reference_N.txt, the window slides over DIR/stream_N.txt
one value at a time, and every update calls ks_2samp(reference, window) (what a detector
without an incremental statistic does per frame, e.g. river's KSWIN). Prints JSON:
{"N": seconds_per_call, ...}.
"""
import argparse
import json
import sys
import time
import warnings

import numpy as np
from scipy import stats


def per_call_seconds(reference, stream, n, min_seconds):
    calls, start = 0, time.perf_counter()
    offset = 0
    while True:
        window = stream[offset:offset + n]
        stats.ks_2samp(reference, window)
        calls += 1
        offset = (offset + 1) % (len(stream) - n)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds and calls >= 3:
            return elapsed / calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    result = {}
    for n in [int(s) for s in args.sizes.split(",")]:
        reference = np.loadtxt("%s/reference_%d.txt" % (args.data_dir, n))
        stream = np.loadtxt("%s/stream_%d.txt" % (args.data_dir, n))
        result[str(n)] = per_call_seconds(reference, stream, n, args.min_seconds)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
