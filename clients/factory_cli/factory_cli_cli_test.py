#!/usr/bin/python3
"""Runs the real factory-cli binary: --help, usage errors and their exit status, and
repeated list flags (--set, --change) reaching a real factory-sim, as its audit trail
records them.

usage: factory_cli_cli_test.py PATH/TO/factory-cli PATH/TO/factory-sim
"""
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

FAILURES = []


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print("FAIL:", message)


def run(cli, *args, timeout=60):
    return subprocess.run([cli, *args], capture_output=True, text=True, timeout=timeout)


def check_help(cli):
    for args in (["--help"], ["-h"], ["help"]):
        res = run(cli, *args)
        check(res.returncode == 0, "%r exit %d" % (args, res.returncode))
        out = res.stdout
        check("usage: factory-cli <command>" in out and "rationale" in out,
              "%r: no command list: %r" % (args, out))
        for flag in ("target", "scenario", "set", "session", "text", "png", "json", "no_color",
                     "interval_ms", "epochs", "sim_seconds_per_tick", "change_after", "change"):
            check(re.search(r"^\s+--%s \(" % flag, out, re.M), "%r does not list --%s" % (args, flag))
        check("--flagfile" not in out, "%r lists Abseil's own flags" % (args,))


def check_usage_errors(cli):
    cases = [
        ([], "missing command"),
        (["launch"], "unknown command 'launch'"),
        (["evaluate", "--colour"], "Unknown command line flag 'colour'"),
        (["watch", "--epochs", "three"], "Illegal value 'three' specified for flag 'epochs'"),
        (["watch", "--interval_ms", "-1"], "--interval_ms must be an integer in 0..60000"),
        (["watch", "--sim_seconds_per_tick", "0"], "--sim_seconds_per_tick must be a number > 0"),
        (["evaluate", "--set"], "Missing the value for the flag 'set'"),
        (["audit"], "--session is required for 'audit'"),
        (["rationale", "--session", "alice"], "--text is required for 'rationale'"),
        (["watch", "--interval_ms", "0", "--change", "storage_tier=nvme"], "paced run"),
        (["audit", "--session", "alice", "extra"], "unexpected argument 'extra'"),
    ]
    for args, message in cases:
        res = run(cli, *args)
        check(res.returncode == 2, "%r exit %d, want 2" % (args, res.returncode))
        check(message in res.stderr, "%r: %r not in %r" % (args, message, res.stderr))
        check("usage: factory-cli" in res.stderr, "%r: no usage on stderr" % (args,))
        check(res.stdout == "", "%r printed to stdout" % (args,))


def start_factory_sim(sim, work):
    log_path = os.path.join(work, "factory-sim.log")
    log = open(log_path, "w")
    proc = subprocess.Popen([sim, "--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0",
                             "--audit_dir=" + os.path.join(work, "audit")],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        m = re.search(r"serving on (\S+),", open(log_path).read())
        if m:
            return proc, m.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("factory-sim did not start: " + open(log_path).read())


def audit_sets(cli, target, session):
    res = run(cli, "audit", "--target", target, "--session", session, "--json")
    check(res.returncode == 0, "audit exit %d: %s" % (res.returncode, res.stderr))
    if res.returncode != 0:
        return []
    entries = json.loads(res.stdout).get("entries", [])
    return [(e["levers"]["origin"], e["levers"].get("set", [])) for e in entries if "levers" in e]


def check_repeated_lists(cli, target):
    wanted = ["storage_tier=nvme", "dedup=30%", "alpha=0.01", "gpus=16"]
    res = run(cli, "evaluate", "--target", target, "--scenario", "act2", "--session", "e",
              "--set", "storage_tier=nvme", "--no-color", "--set=dedup=30%,alpha=0.01",
              "--json", "--set", "gpus=16")
    check(res.returncode == 0, "evaluate exit %d: %s" % (res.returncode, res.stderr))
    if res.returncode == 0:
        levers = json.loads(res.stdout)["levers"]
        check(levers.get("dedup_fraction") == 0.3 and levers.get("drift_alpha") == 0.01
              and levers.get("gpu_count") == 16, "evaluate levers %r" % levers)
    check(audit_sets(cli, target, "e") == [("evaluate", wanted)],
          "evaluate --set recorded as %r" % audit_sets(cli, target, "e"))

    # 29 ticks 30 ms apart: the change sent after tick 2 arrives long before the end.
    res = run(cli, "watch", "--target", target, "--scenario", "act2", "--session", "w",
              "--epochs", "1", "--interval_ms", "30", "--sim_seconds_per_tick", "20", "--json",
              "--set", "storage_tier=nvme", "--set", "dedup=30%",
              "--change_after", "2", "--change", "storage_tier=s3", "--change", "gpus=16")
    check(res.returncode == 0, "watch exit %d: %s" % (res.returncode, res.stderr))
    check(audit_sets(cli, target, "w") == [
        ("telemetry", ["storage_tier=nvme", "dedup=30%"]),
        ("live_change", ["storage_tier=s3", "gpus=16"])],
        "watch --set/--change recorded as %r" % audit_sets(cli, target, "w"))


def main():
    cli, sim = sys.argv[1], sys.argv[2]
    check_help(cli)
    check_usage_errors(cli)
    with tempfile.TemporaryDirectory() as work:
        proc, target = start_factory_sim(sim, work)
        try:
            check_repeated_lists(cli, target)
        finally:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
    if FAILURES:
        print("%d failure(s)" % len(FAILURES))
        return 1
    print("factory-cli CLI: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
