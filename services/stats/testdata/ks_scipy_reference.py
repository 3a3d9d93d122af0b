#!/usr/bin/python3
"""Writes scipy reference values for the df_stats K-S battery (ks_scipy_test reads them).

Run with Debian's python3 (it has scipy). Deterministic: the same seed gives the same file.

Output, one record per line, numbers in %.17g:
  sample <n1> <n2> <statistic> <pvalue> <method>   then a line of sample a, a line of b
  pvalue <d> <n1> <n2> <statistic> <pvalue> <method>  (ks_2samp's formulas for a given d)
  kstwo <n> <x> <sf>        scipy.stats.kstwo.sf(x, n)
  smirnov <n> <x> <sf>      scipy.special.smirnov(n, x)
  inside <m> <n> <h> <p>    scipy's exact unequal-n tail (the compiled recursion)
  square <n> <h> <p>        scipy's exact equal-n tail (may exceed 1: scipy's fallback)
"""
import argparse
import math
import sys
import warnings

import numpy as np
from scipy import special, stats
from scipy.stats import _stats_py
from scipy.stats._stats_pythran import _compute_outer_prob_inside_method

MAX_AUTO_N = 10000


def fmt(x):
    return "%.17g" % x


def ks_with_method(a, b):
    """scipy.stats.ks_2samp plus the method it actually used (it falls back silently)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        res = stats.ks_2samp(a, b)
    method = "exact" if max(len(a), len(b)) <= MAX_AUTO_N else "asymp"
    if any("Exact calculation unsuccessful" in str(w.message) for w in caught):
        method = "asymp"
    return res, method


def pvalue_for_d(d, n1, n2):
    """ks_2samp's p-value branch for a given statistic (same code path as ks_2samp)."""
    g = math.gcd(n1, n2)
    if max(n1, n2) <= MAX_AUTO_N:
        ok, d2, prob = _stats_py._attempt_exact_2kssamp(n1, n2, g, d, "two-sided")
        if ok:
            return d2, float(np.clip(prob, 0, 1)), "exact"
        d = d2
    m, n = sorted([float(n1), float(n2)], reverse=True)
    en = m * n / (m + n)
    return d, float(np.clip(stats.kstwo.sf(d, np.round(en)), 0, 1)), "asymp"


def draw(rng, kind, n, shift):
    if kind == "normal":
        return rng.normal(shift, 1.0, n)
    if kind == "ties":  # heavily quantised, like an 8-bit feature in a narrow range
        return np.round(rng.normal(10 + 3 * shift, 2.0, n))
    if kind == "coarse":  # very few distinct values
        return rng.integers(0, 3, n).astype(float) + (1.0 if shift > 0.7 else 0.0)
    if kind == "uniform":
        return rng.uniform(shift, 1.0 + shift, n)
    raise ValueError(kind)


def write_sample(out, a, b):
    res, method = ks_with_method(a, b)
    out.write("sample %d %d %s %s %s\n" % (len(a), len(b), fmt(res.statistic), fmt(res.pvalue),
                                           method))
    out.write(" ".join(fmt(x) for x in a) + "\n")
    out.write(" ".join(fmt(x) for x in b) + "\n")


def sample_cases(rng, scale):
    kinds = ["normal", "ties", "coarse", "uniform"]
    cases = []
    for _ in range(300 * scale):  # small, unequal or equal
        cases.append((rng.integers(1, 61), rng.integers(1, 61)))
    for _ in range(120 * scale):  # equal sizes: the reflection series and its fallback
        n = rng.integers(1, 400)
        cases.append((n, n))
    for _ in range(40 * scale):
        cases.append((rng.integers(60, 3000), rng.integers(60, 3000)))
    # Around the exact/asymp switch, and big samples.
    cases += [(9999, 10000), (10000, 10001), (10000, 9999), (10000, 10000), (10001, 10001),
              (10001, 10000), (9998, 10000), (5000, 10000), (20000, 30000), (12345, 100000),
              (100000, 100000), (100000, 50000), (1, 10000), (1, 10001), (1, 100000),
              (2, 100000), (1, 1), (1, 2), (2, 2), (1, 5)]
    for n1, n2 in cases:
        kind = kinds[rng.integers(0, len(kinds))]
        shift = [0.0, 0.05, 0.3, 1.0][rng.integers(0, 4)]
        yield draw(rng, kind, int(n1), 0.0), draw(rng, kind, int(n2), shift)


def corner_samples(rng):
    # D = 1 (disjoint samples, p-values far below 1e-10), D = 0 (identical samples).
    for n1, n2 in [(50, 60), (500, 500), (3000, 2000), (9999, 10000), (20000, 20001)]:
        yield rng.normal(0, 1, n1), rng.normal(0, 1, n2) + 100.0
    for n in [1, 7, 1000, 10000, 10001]:
        a = rng.normal(0, 1, n)
        yield a, a.copy()
    # p-values between 1e-30 and 1e-6.
    for n1, n2 in [(300, 400), (1000, 1000), (2500, 2600), (9999, 10000), (15000, 15000)]:
        yield rng.normal(0, 1, n1), rng.normal(0.45, 1, n2)
    # All values tied.
    yield np.full(40, 3.0), np.full(70, 3.0)
    yield np.full(12000, 1.0), np.concatenate([np.full(6000, 1.0), np.full(6000, 2.0)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=20240607)
    parser.add_argument("--scale", type=int, default=1, help="multiplies the random counts")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    with open(args.out, "w") as out:
        for a, b in sample_cases(rng, args.scale):
            write_sample(out, a, b)
        for a, b in corner_samples(rng):
            write_sample(out, a, b)
        # Given statistics: the grid rounding, D near 0 and 1, both sides of 10,000.
        sizes = [(9999, 10000), (10000, 10001), (10000, 10000), (10001, 10001), (7, 13),
                 (100, 100), (100000, 99999), (30, 10000), (10000, 30), (1, 1), (1, 100000)]
        for n1, n2 in sizes:
            for d in [0.0, 1e-9, 0.5 / max(n1, n2), 1.0 / max(n1, n2), 0.003, 0.011, 0.02,
                      0.05, 0.2, 0.5, 0.9, 0.999, 1 - 1e-9, 1.0]:
                d2, p, method = pvalue_for_d(d, n1, n2)
                out.write("pvalue %s %d %d %s %s %s\n" % (fmt(d), n1, n2, fmt(d2), fmt(p), method))
        # Equal sizes with a tiny h: scipy's reflection series rounds above 1 and falls back.
        for n in [5, 7, 13, 14, 50, 333, 2000]:
            for h in [1, 2, 3]:
                d2, p, method = pvalue_for_d(h / n, n, n)
                out.write("pvalue %s %d %d %s %s %s\n" % (fmt(h / n), n, n, fmt(d2), fmt(p), method))
        # The finite-n Kolmogorov distribution across every algorithm branch.
        for n in [1, 2, 3, 5, 10, 40, 100, 140, 141, 200, 1000, 5000, 10000, 25000, 50000,
                  100000, 150000]:
            xs = set([0.5 / n, 0.75 / n, 1.0 / n, 1.5 / n, 1 - 1.5 / n, 0.5, 0.6, 0.95])
            for c in [0.2, 0.5, 0.8, 0.86, 1.0, 1.2, 1.4, 1.6, 2.0, 2.5, 3.0, 5.0, 10.0, 19.0]:
                xs.add(c / math.sqrt(n))
            for x in sorted(xs):
                if 0 < x < 1:
                    out.write("kstwo %d %s %s\n" % (n, fmt(x), fmt(stats.kstwo.sf(x, n))))
        for _ in range(250 * args.scale):  # random n up to 150,000, p from ~1 to ~1e-25
            n = int(10 ** rng.uniform(0, 5.18))
            x = math.sqrt(10 ** rng.uniform(-1.5, 1.8) / n)
            if 0 < x < 1:
                out.write("kstwo %d %s %s\n" % (n, fmt(x), fmt(stats.kstwo.sf(x, n))))
        for n in [1, 2, 5, 50, 141, 1000, 12345, 50000]:
            for x in [1e-3, 0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.99]:
                out.write("smirnov %d %s %s\n" % (n, fmt(x), fmt(special.smirnov(n, x))))
        for _ in range(400):
            m, n = int(rng.integers(1, 200)), int(rng.integers(1, 200))
            g = math.gcd(m, n)
            h = int(rng.integers(1, m * n // g + 1))
            out.write("inside %d %d %d %s\n" % (m, n, h,
                                                fmt(_compute_outer_prob_inside_method(m, n, g, h))))
        for _ in range(400):
            n = int(rng.integers(1, 3000))
            h = int(rng.integers(1, min(n, 50) + 1))
            out.write("square %d %d %s\n" % (n, h, fmt(_stats_py._compute_prob_outside_square(n, h))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
