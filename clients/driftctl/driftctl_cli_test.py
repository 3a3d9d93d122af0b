#!/usr/bin/python3
"""Runs the real driftctl binary: good files (checked against scipy), bad input, usage.

usage: driftctl_cli_test.py PATH/TO/driftctl
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
from scipy import stats

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(driftctl, *args):
    return subprocess.run([driftctl, *args], capture_output=True, text=True, timeout=120)


def write(directory, name, text):
    path = os.path.join(directory, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def main():
    driftctl = sys.argv[1]
    rng = np.random.default_rng(5)
    with tempfile.TemporaryDirectory() as tmp:
        # Good files, with comments, blank lines and ties; several sizes incl. > 10,000.
        for n1, n2, shift in [(30, 45, 0.0), (800, 600, 0.3), (12000, 11000, 0.02)]:
            a = np.round(rng.normal(0, 1, n1), 2)
            b = np.round(rng.normal(shift, 1, n2), 2)
            fa = write(tmp, "a.txt", "# reference\n\n" + "\n".join("%r" % x for x in a) + "\n")
            fb = write(tmp, "b.txt", "\n".join("%r  # frame" % x for x in b) + "\n\n")
            res = run(driftctl, "ks", fa, fb, "--alpha=0.01")
            check(res.returncode == 0, "good files exit %d: %s" % (res.returncode, res.stderr))
            if res.returncode != 0:
                continue
            out = json.loads(res.stdout)
            ref = stats.ks_2samp(a, b)
            check(abs(out["statistic"] - ref.statistic) < 1e-12, "statistic %r" % out)
            check(abs(out["pvalue"] - ref.pvalue) < 1e-6, "pvalue %r vs %r" % (out, ref))
            check(out["method"] == ("exact" if max(n1, n2) <= 10000 else "asymp"), "method")
            check(out["n1"] == n1 and out["n2"] == n2, "sizes %r" % out)
            check(out["alpha"] == 0.01, "alpha")
            check(out["reject"] == (ref.pvalue <= 0.01), "reject")
            check(out["reject"] == (out["statistic"] >= out["critical_statistic"]),
                  "critical statistic disagrees with the p-value: %r" % out)
        # A bad line: exit 2, the message names file and line.
        good = write(tmp, "good.txt", "1\n2\n3\n")
        bad = write(tmp, "bad.txt", "1\n# fine\n2.5\nnot-a-number\n")
        res = run(driftctl, "ks", good, bad)
        check(res.returncode == 2, "bad line exit %d" % res.returncode)
        check(bad + ":4:" in res.stderr, "bad line message: %r" % res.stderr)
        check(res.stdout == "", "bad line printed to stdout")
        # A missing file.
        missing = os.path.join(tmp, "missing.txt")
        res = run(driftctl, "ks", good, missing)
        check(res.returncode == 2, "missing file exit %d" % res.returncode)
        check("missing.txt" in res.stderr, "missing file message: %r" % res.stderr)
        # A file without numbers.
        empty = write(tmp, "empty.txt", "# nothing\n")
        res = run(driftctl, "ks", empty, good)
        check(res.returncode == 2 and "empty.txt" in res.stderr, "empty file: %r" % res.stderr)
        # Usage errors and --help.
        for args in [[], ["ks", good], ["frobnicate", good, good], ["ks", good, good, "--alpha=2"],
                     ["ks", good, good, "--bogus"]]:
            res = run(driftctl, *args)
            check(res.returncode == 2 and "usage:" in res.stderr, "usage error %r" % args)
        res = run(driftctl, "--help")
        check(res.returncode == 0 and "usage: driftctl ks" in res.stdout, "--help")
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("driftctl CLI: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
