#!/usr/bin/python3
"""Runs the real factory-cli binary: --help, usage errors and their exit status, and
repeated list flags (--set, --change) reaching a real factory-sim, as its audit trail
records them.

usage: factory_cli_cli_test.py PATH/TO/factory-cli PATH/TO/factory-sim
"""
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "tests" / "harness"))
import processes  # noqa: E402

CLI = None
SIM = None


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


class CommandLine(unittest.TestCase):
    def test_help_shows_the_commands_and_only_factory_clis_flags(self):
        for args in (["--help"], ["-h"], ["help"]):
            with self.subTest(args=args):
                res = run(*args)
                self.assertEqual(res.returncode, 0)
                self.assertIn("usage: factory-cli <command>", res.stdout)
                self.assertIn("rationale --session ID", res.stdout)
                for flag in ("target", "scenario", "set", "session", "text", "png", "json",
                             "no_color", "interval_ms", "epochs", "sim_seconds_per_tick",
                             "change_after", "change"):
                    self.assertRegex(res.stdout, r"(?m)^\s+--%s \(" % flag)
                self.assertNotIn("--flagfile", res.stdout)

    def test_usage_errors_exit_2_naming_the_problem(self):
        cases = [
            ([], "missing command"),
            (["launch"], "unknown command 'launch'"),
            (["evaluate", "--colour"], "Unknown command line flag 'colour'"),
            (["watch", "--epochs", "three"], "Illegal value 'three' specified for flag 'epochs'"),
            (["watch", "--interval_ms", "-1"], "--interval_ms must be an integer in 0..60000"),
            (["watch", "--sim_seconds_per_tick", "0"],
             "--sim_seconds_per_tick must be a number > 0"),
            (["evaluate", "--set"], "Missing the value for the flag 'set'"),
            (["audit"], "--session is required for 'audit'"),
            (["rationale", "--session", "alice"], "--text is required for 'rationale'"),
            (["watch", "--interval_ms", "0", "--change", "storage_tier=nvme"], "paced run"),
            (["audit", "--session", "alice", "extra"], "unexpected argument 'extra'"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                res = run(*args)
                self.assertEqual(res.returncode, 2)
                self.assertIn(message, res.stderr)
                self.assertIn("usage: factory-cli", res.stderr)
                self.assertEqual(res.stdout, "")


class RepeatedListFlags(unittest.TestCase):
    """Every occurrence of --set and --change reaches factory-sim, in order."""

    @classmethod
    def setUpClass(cls):
        cls.work = tempfile.TemporaryDirectory()
        cls.procs = processes.Processes(log_dir=cls.work.name)
        try:
            cls.target = processes.start_service(
                cls.procs, "factory-sim", SIM,
                "--audit_dir=" + os.path.join(cls.work.name, "audit")).grpc_target
        except processes.HarnessError:
            cls.tearDownClass()
            raise

    @classmethod
    def tearDownClass(cls):
        cls.procs.close()
        cls.work.cleanup()

    def recorded_sets(self, session):
        res = run("audit", "--target", self.target, "--session", session, "--json")
        self.assertEqual(res.returncode, 0, res.stderr)
        entries = json.loads(res.stdout).get("entries", [])
        return [(e["levers"]["origin"], e["levers"].get("set", [])) for e in entries
                if "levers" in e]

    def test_evaluate_takes_every_set(self):
        res = run("evaluate", "--target", self.target, "--scenario", "act2", "--session", "e",
                  "--set", "storage_tier=nvme", "--no-color", "--set=dedup=30%,alpha=0.01",
                  "--json", "--set", "gpus=16")
        self.assertEqual(res.returncode, 0, res.stderr)
        levers = json.loads(res.stdout)["levers"]
        self.assertEqual((levers.get("dedup_fraction"), levers.get("drift_alpha"),
                          levers.get("gpu_count")), (0.3, 0.01, 16))
        self.assertEqual(self.recorded_sets("e"), [
            ("evaluate", ["storage_tier=nvme", "dedup=30%", "alpha=0.01", "gpus=16"])])

    def test_watch_takes_every_set_and_change(self):
        # 29 ticks 30 ms apart: the change sent after tick 2 arrives long before the end.
        res = run("watch", "--target", self.target, "--scenario", "act2", "--session", "w",
                  "--epochs", "1", "--interval_ms", "30", "--sim_seconds_per_tick", "20",
                  "--json", "--set", "storage_tier=nvme", "--set", "dedup=30%",
                  "--change_after", "2", "--change", "storage_tier=s3", "--change", "gpus=16")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(self.recorded_sets("w"), [
            ("telemetry", ["storage_tier=nvme", "dedup=30%"]),
            ("live_change", ["storage_tier=s3", "gpus=16"])])


if __name__ == "__main__":
    CLI, SIM = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
