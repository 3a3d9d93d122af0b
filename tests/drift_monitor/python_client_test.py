#!/usr/bin/python3
"""Runs the Python example client (clients/python/drift_client.py) against the real
drift-monitor binary: frames answered, drift raised after the simulated shift, a bad
configuration refused with INVALID_ARGUMENT.

  python_client_test.py DRIFT_MONITOR CLIENT_SCRIPT STUBS_DIR VIDEO
"""
import pathlib
import re
import subprocess
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, start_service  # noqa: E402

DRIFT_MONITOR, CLIENT, STUBS, VIDEO = sys.argv[1:5]


class PythonClientTest(unittest.TestCase):
    def test_python_client_sees_drift_after_the_shift(self):
        with Processes() as procs:
            target = start_service(procs, "drift-monitor", DRIFT_MONITOR).grpc_target
            out = subprocess.run(
                [sys.executable, CLIENT, "--stubs", STUBS, "--target", target, "--video", VIDEO,
                 "--stream", "py-door", "--shift-at", "300", "--gains", "1.07,1,1"],
                capture_output=True, text=True, timeout=180)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn("summary: answered=795", out.stdout)
            first = int(re.search(r"first_drift_frame=(-?\d+)", out.stdout).group(1))
            self.assertGreaterEqual(first, 300, out.stdout)
            self.assertLessEqual(first, 450, out.stdout)
            self.assertRegex(out.stdout, r"bad config: INVALID_ARGUMENT: alpha = 1.5")
            self.assertIn("streams=['py-door']", out.stdout)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
