"""Reference K-S values for the synthetic doorbell fleet, from scipy.stats.ks_2samp.

Reads a file of lines "city feature reference|current v1 v2 ..." (two lines per test) and
prints "city feature statistic pvalue" per test, two-sided, method='auto'.
"""
import sys

from scipy import stats


def main(path):
    samples = {}
    order = []
    with open(path) as f:
        for line in f:
            city, feature, window, *values = line.split()
            key = (city, feature)
            if key not in samples:
                samples[key] = {}
                order.append(key)
            samples[key][window] = [float(v) for v in values]
    for city, feature in order:
        s = samples[(city, feature)]
        result = stats.ks_2samp(s["reference"], s["current"])
        print(f"{city} {feature} {result.statistic!r} {result.pvalue!r}")


if __name__ == "__main__":
    main(sys.argv[1])
