#!/usr/bin/python3
"""Runs the real factory-cli binary: --help, usage errors and their exit status,
repeated list flags (--set, --change) reaching a real factory-sim, as its audit trail
records them, and the lab walk-through, which must finish without a terminal.

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


def run(*args, stdin=subprocess.DEVNULL):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60,
                          stdin=stdin)


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
                             "change_after", "change", "filter", "answer"):
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
            (["lab"], "lab needs an act: act1, act2 or act3"),
            (["lab", "act9"], "unknown act 'act9'"),
            (["lab", "act1", "extra"], "unexpected argument 'extra'"),
            (["lab", "act1", "--answer", "lots"], "--answer must start with a number"),
            (["lab", "act2", "--text", "NVMe"], "--session is required with --text"),
        ]
        for args, message in cases:
            with self.subTest(args=args):
                res = run(*args)
                self.assertEqual(res.returncode, 2)
                self.assertIn(message, res.stderr)
                self.assertIn("usage: factory-cli", res.stderr)
                self.assertEqual(res.stdout, "")


class WithServer(unittest.TestCase):
    """A real factory-sim for the tests of a subclass, with its own audit trail."""

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


class RepeatedListFlags(WithServer):
    """Every occurrence of --set and --change reaches factory-sim, in order."""

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


class Lab(WithServer):
    """factory-cli lab walks an act against a real factory-sim."""

    def test_without_a_terminal_nothing_is_waited_for(self):
        # stdin is a pipe that stays open and never carries a byte: reading it would hang.
        with subprocess.Popen([CLI, "lab", "act1", "--target", self.target],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) as proc:
            try:
                out, err = proc.communicate(timeout=30)
            finally:
                proc.kill()
        self.assertEqual(proc.returncode, 0, err)
        self.assertEqual(out.count("(no answer: pass --answer; stdin is not a terminal)"), 3)
        self.assertIn("Reveal", out)
        self.assertIn("115.7 days", out)

    def test_answers_from_flags_are_checked_and_recorded(self):
        res = run("lab", "act1", "--target", self.target, "--session", "lab1", "--no-color",
                  "--answer", "116", "--answer=90000,4")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("Right: 116 days; accepted: 115.7 days", res.stdout)
        self.assertIn("Right: 90,000 USD", res.stdout)
        self.assertIn("Not quite: 4 devices; accepted: 5 devices, exactly", res.stdout)
        self.assertIn("Reflect:", res.stdout)
        trail = json.loads(run("audit", "--target", self.target, "--session", "lab1",
                               "--json").stdout)
        self.assertEqual([(e["prediction"]["prediction_id"], e["prediction"].get("correct", False))
                          for e in trail["entries"]],
                         [("fiber_days", True), ("egress_dollars", True),
                          ("snowball_devices", False)])

    def test_act_two_grades_the_rationale(self):
        res = run("lab", "act2", "--target", self.target, "--session", "lab2", "--no-color",
                  "--answer", "1.9,87,0", "--set", "storage_tier=nvme",
                  "--text", "NVMe supplies 16 GB/s, above the 1.9 GB/s demand: GPU idle 0 %")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("grade: accepted", res.stdout)
        res = run("lab", "act2", "--target", self.target, "--session", "lab2", "--json",
                  "--text", "Glacier because it is cheapest", "--set", "storage_tier=glacier")
        self.assertEqual(res.returncode, 0, res.stderr)
        lines = [json.loads(line) for line in res.stdout.splitlines()]
        self.assertEqual(lines[0]["id"], "act2")
        grade = lines[-1]["entry"]["rationale"]["grade"]
        self.assertEqual(grade["verdict"], "RATIONALE_VERDICT_TIER_MISSES_TARGET")

    def test_figures_show_values_and_sources(self):
        res = run("figures", "--target", self.target, "--filter", "wb_ln_gain", "--no-color")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertIn("wb_ln_gain_g_over_b_sd  0.01545 ln ratio", res.stdout)
        self.assertIn("source: measured: wb-gain-spread", res.stdout)
        self.assertIn('2 of ', res.stdout)


if __name__ == "__main__":
    CLI, SIM = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
