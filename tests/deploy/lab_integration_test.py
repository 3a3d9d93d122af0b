#!/usr/bin/python3
"""The whole lab on real parts: the shipped alert rules fire and every dashboard query
returns series after real data went through the real services.

On free loopback ports (127.0.0.1 only) it starts the real factory-sim and drift-monitor
and a real Prometheus whose configuration is deploy/prometheus/prometheus.yml with only
the scrape targets and the intervals rewritten (same rule files, rules unchanged). Then:

  1. camera-feeder plays the sample video (vtest.avi) as three streams of city "lyon"
     with a simulated firmware update (blue gain x1.08 from frame 300) and as one
     unaltered control stream of city "oslo"; factory-cli evaluates every scenario and
     watches a short act2 run, so the persona the dashboard selects by default
     (cloud_titan, the first in sort order) has evaluation and telemetry values.
  2. Within 150 s of the first frame, StreamDrifting must be firing for each lyon stream
     and CityStreamsDrifting for lyon (read from Prometheus' alerts API); the control
     stream must never have been pending or firing, and its verdict series must read 0.
  3. Every alerting and recording rule evaluates without error on the real series.
  4. deploy/grafana/check_dashboard.py --prometheus URL --require-series passes against
     this Prometheus, and the same checker fails on a copy of the dashboard with a panel
     that matches nothing and with one whose query errors at evaluation time.

Intervals: the shipped configuration scrapes and evaluates every 5 s. Here both are 1 s,
so the shipped `for: 15s` of the drift alerts is what dominates the wait (about 16 s
after the verdict turns instead of up to 25 s) and the rate()[1m] recording rules have
many samples from the short factory-cli run. The `for:` and `keep_firing_for:` of the
rules are not touched.

Every process started is ended (SIGTERM to its process group, SIGKILL after 10 s) on any
exit; on failure the tails of all logs are printed. The whole run is bounded by --budget.

  lab_integration_test.py --repo ROOT --drift-monitor BIN --factory-sim BIN
      --camera-feeder BIN --factory-cli BIN --prometheus BIN --video vtest.avi
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
import processes  # noqa: E402

DRIFTING_CITY, CONTROL_CITY = "lyon", "oslo"
DRIFTING = [f"{DRIFTING_CITY}-door-{i}" for i in (1, 2, 3)]
CONTROL = f"{CONTROL_CITY}-door-1"
SHIFT_AT, GAINS = 300, "1,1,1.08"
SCENARIOS = ["act1", "act1_snowball", "act2_nvme", "act3", "act2"]
DEFAULT_PERSONA = "cloud_titan"   # first persona label in sort order: the dashboard default
ALERT_WAIT_S = 150


class LabFailure(Exception):
    pass


def wait_until(pred, seconds, what, interval=0.5):
    return processes.wait_until(pred, seconds, what, interval=interval, error=LabFailure)


def prometheus_config(shipped, targets):
    """The shipped config with only targets and intervals rewritten; rule files made
    absolute so the generated file can live in the temp dir."""
    cfg = yaml.safe_load(shipped.read_text())
    cfg["global"].update(scrape_interval="1s", evaluation_interval="1s", scrape_timeout="1s")
    cfg["rule_files"] = [str((shipped.parent / f).resolve()) for f in cfg["rule_files"]]
    jobs = [job["job_name"] for job in cfg["scrape_configs"]]
    if sorted(jobs) != sorted(targets):
        raise LabFailure(f"{shipped} scrapes jobs {jobs}; this test knows {sorted(targets)}")
    for job in cfg["scrape_configs"]:
        for key in ("scrape_interval", "scrape_timeout"):
            if key in job:
                job[key] = "1s"
        if len(job["static_configs"]) != 1:
            raise LabFailure(f"job {job['job_name']}: expected one static_config")
        job["static_configs"][0]["targets"] = [targets[job["job_name"]]]
    return cfg


class Prometheus:
    def __init__(self, url):
        self.url = url

    def get(self, path, **params):
        url = f"{self.url}{path}?{urllib.parse.urlencode(params)}"
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                body = json.load(r)
        except urllib.error.HTTPError as e:
            body = json.load(e)
        if body.get("status") != "success":
            raise LabFailure(f"{path} {params}: {body.get('error')}")
        return body["data"]

    def query(self, expr):
        """{frozenset(labels): value} of an instant vector query."""
        return {frozenset(s["metric"].items()): float(s["value"][1])
                for s in self.get("/api/v1/query", query=expr)["result"]}

    def alerts(self, name):
        return [a for a in self.get("/api/v1/alerts")["alerts"]
                if a["labels"].get("alertname") == name]


def start_prometheus(lab, binary, cfg):
    cfg_path = lab.log_dir / "prometheus.yml"
    cfg_path.write_text(yaml.safe_dump(cfg, sort_keys=False))

    def ready(port):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2) as r:
            return r.status == 200
    _, port = lab.start_on_free_port(
        lambda port: [binary, f"--config.file={cfg_path}",
                      f"--storage.tsdb.path={lab.log_dir / 'tsdb'}",
                      f"--web.listen-address=127.0.0.1:{port}"],
        ready=ready, name="prometheus")
    return Prometheus(f"http://127.0.0.1:{port}")


def label(series, name):
    return dict(series).get(name)


def check_feeders(feeders):
    """Each feeder's own verdicts: exit 0, every frame answered, drift raised after the
    shift on the lyon streams and never on the control stream."""
    problems = []
    for stream, proc in feeders.items():
        text = processes.log_text(proc)
        m = re.search(r"summary: .*frames_sent=(\d+) answered=(\d+) errors=(\d+) "
                      r"drift_events=(\d+) first_drift_frame=(-?\d+) drift_at_end=(\d)", text)
        if proc.returncode != 0 or not m:
            problems.append(f"{stream}: exit {proc.returncode}, no summary line")
            continue
        sent, answered, errors, events, first, at_end = map(int, m.groups())
        print(f"lab: {stream}: sent {sent}, errors {errors}, drift events {events}, "
              f"first drift at frame {first}, drifting at end {at_end}")
        if sent < 600 or answered != sent or errors:
            problems.append(f"{stream}: sent {sent}, answered {answered}, errors {errors}")
        if stream == CONTROL and events:
            problems.append(f"{stream} (control, unaltered) raised drift at frame {first}")
        if stream != CONTROL and not (at_end == 1 and first >= SHIFT_AT):
            problems.append(f"{stream} (gains {GAINS} from frame {SHIFT_AT}): first drift "
                            f"frame {first}, drifting at end {at_end}; expected drift raised "
                            f"at or after frame {SHIFT_AT} and still raised at the end")
    if problems:
        raise LabFailure("drift-monitor verdicts reported by camera-feeder are not the "
                         "expected ones:\n  " + "\n  ".join(problems))


def wait_for_drift_alerts(prom, started):
    """StreamDrifting firing for each lyon stream and CityStreamsDrifting for lyon; the
    control stream must not appear in any state meanwhile."""
    def state():
        stream_alerts = prom.alerts("StreamDrifting")
        control = [a for a in stream_alerts if a["labels"].get("stream") == CONTROL]
        if control:
            raise LabFailure(f"StreamDrifting is {control[0]['state']} for the control "
                             f"stream {CONTROL}: {control[0]['labels']}")
        firing = {a["labels"].get("stream") for a in stream_alerts if a["state"] == "firing"}
        cities = {a["labels"].get("city") for a in prom.alerts("CityStreamsDrifting")
                  if a["state"] == "firing"}
        if CONTROL_CITY in cities:
            raise LabFailure(f"CityStreamsDrifting fires for the control city {CONTROL_CITY}")
        return set(DRIFTING) <= firing and DRIFTING_CITY in cities and (firing, cities)
    left = max(1.0, started + ALERT_WAIT_S - time.time())
    try:
        firing, cities = wait_until(state, left, "StreamDrifting for "
                                    f"{DRIFTING} and CityStreamsDrifting for {DRIFTING_CITY}",
                                    interval=1)
    except LabFailure as e:
        detected = prom.query("drift_monitor_drift_detected")
        pending = [(a["labels"], a["state"]) for a in prom.get("/api/v1/alerts")["alerts"]]
        raise LabFailure(f"{e}\n  drift_monitor_drift_detected: "
                         f"{ {label(k, 'stream'): v for k, v in detected.items()} }\n"
                         f"  alerts: {pending}") from None
    print(f"lab: {time.time() - started:.0f} s after the first frame: StreamDrifting firing "
          f"for {sorted(firing)}, CityStreamsDrifting firing for {sorted(cities)}")
    if firing - set(DRIFTING):
        raise LabFailure(f"StreamDrifting fires for unexpected streams {firing - set(DRIFTING)}")


def check_control_stream(prom):
    verdict = prom.query(f'drift_monitor_drift_detected{{stream="{CONTROL}"}}')
    if [(label(k, "city"), v) for k, v in verdict.items()] != [(CONTROL_CITY, 0.0)]:
        raise LabFailure(f"control stream verdict series {verdict}, expected one series "
                         f"city={CONTROL_CITY} with value 0")
    history = prom.query(f'max_over_time(ALERTS{{alertname="StreamDrifting",'
                         f'stream="{CONTROL}"}}[15m])')
    if history:
        raise LabFailure(f"StreamDrifting was pending or firing for the control stream "
                         f"{CONTROL}: {history}")


def check_factory_data(prom, evaluations):
    """Real values from factory-sim behind the default persona, not just zeroed series."""
    checks = {
        "factory_sim_evaluations_total": lambda v: v >= evaluations,
        "max_over_time(factory_sim_active_runs[15m])": lambda v: v >= 1,
        f'factory_sim_bytes_moved_total{{persona="{DEFAULT_PERSONA}"}}': lambda v: v > 0,
        f'max_over_time(persona:factory_sim_bytes_moved:rate1m{{persona="{DEFAULT_PERSONA}"}}'
        "[15m])": lambda v: v > 0,
        f'factory_sim_gpu_utilization_ratio{{persona="{DEFAULT_PERSONA}"}}':
            lambda v: 0 < v <= 1,
        f'sum(factory_sim_waterfall_seconds{{persona="{DEFAULT_PERSONA}"}})': lambda v: v > 0,
    }

    def all_hold():
        bad = []
        for expr, ok in checks.items():
            values = list(prom.query(expr).values())
            if len(values) != 1 or not ok(values[0]):
                bad.append(f"{expr} = {values}")
        if bad:
            raise ValueError("; ".join(bad))
        return True
    wait_until(all_hold, 60, "factory-sim's values in Prometheus")


def check_rules_health(prom, rules_dir):
    shipped = sum(len(g.get("rules", [])) for f in sorted(rules_dir.glob("*.yml"))
                  for g in (yaml.safe_load(f.read_text()) or {}).get("groups", []))
    rules = [r for g in prom.get("/api/v1/rules")["groups"] for r in g["rules"]]
    if len(rules) != shipped:
        raise LabFailure(f"Prometheus loaded {len(rules)} rules, the rule files hold {shipped}")
    bad = [f'{r["name"]}: {r["health"]} {r.get("lastError", "")}' for r in rules
           if r["health"] != "ok"]
    if bad:
        raise LabFailure("rules failing on the real series:\n  " + "\n  ".join(bad))
    print(f"lab: all {len(rules)} shipped rules evaluate with health ok")


def run_checker(checker, dashboard, prom):
    return subprocess.run([sys.executable, str(checker), str(dashboard), "--prometheus",
                           prom.url, "--require-series"],
                          capture_output=True, text=True, timeout=180)


def check_dashboard(checker, dashboard, prom, work):
    r = run_checker(checker, dashboard, prom)
    print(r.stdout, end="")
    if r.returncode != 0 or " 0 failures" not in r.stdout:
        raise LabFailure(f"check_dashboard.py --require-series exited {r.returncode}:\n"
                         f"{r.stderr}")
    # The same checker on the same data must fail a panel matching nothing and a query
    # that only errors at evaluation (many-to-many match over the real feature series).
    broken = {
        "no series": 'drift_monitor_frames_total{stream="no-such-camera"}',
        "many-to-many": "drift_monitor_ks_statistic / on (stream) drift_monitor_ks_pvalue",
    }
    for needle, expr in broken.items():
        dash = json.loads(dashboard.read_text())
        panel = next(p for p in dash["panels"] if p.get("targets"))
        panel["targets"][0]["expr"] = expr
        path = work / "broken-dashboard.json"
        path.write_text(json.dumps(dash))
        r = run_checker(checker, path, prom)
        if r.returncode != 1 or needle not in r.stderr:
            raise LabFailure(f"check_dashboard.py accepted a panel with `{expr}` (exit "
                             f"{r.returncode}, expected 1 naming '{needle}'):\n{r.stderr}")
    print("lab: the checker rejects a panel with no series and a query failing at evaluation")


def run(args, lab):
    repo = args.repo.resolve()
    dm = processes.start_service(lab, "drift-monitor", args.drift_monitor, "--workers=2")
    fs = processes.start_service(lab, "factory-sim", args.factory_sim,
                                 f"--audit_dir={lab.log_dir / 'audit'}")
    grpc_dm, dm_metrics = dm.grpc_target, dm.metrics_port
    grpc_fs, fs_metrics = fs.grpc_target, fs.metrics_port
    print(f"lab: drift-monitor grpc={grpc_dm} metrics=:{dm_metrics}; "
          f"factory-sim grpc={grpc_fs} metrics=:{fs_metrics}")
    shipped = repo / "deploy/prometheus/prometheus.yml"
    cfg = prometheus_config(shipped, {"drift-monitor": f"127.0.0.1:{dm_metrics}",
                                      "factory-sim": f"127.0.0.1:{fs_metrics}"})
    prom = start_prometheus(lab, args.prometheus, cfg)

    def both_up():
        up = {label(k, "job"): v for k, v in prom.query("up").items()}
        if up != {"drift-monitor": 1.0, "factory-sim": 1.0}:
            raise ValueError(f"up = {up}")
        return True
    wait_until(both_up, 60, "Prometheus to scrape both services")
    print(f"lab: Prometheus {prom.url} scrapes both services")

    started = time.time()
    feeders = {}
    for stream in DRIFTING + [CONTROL]:
        city = stream.split("-")[0]
        shift = [f"--wb_shift_at={SHIFT_AT}", f"--wb_gains={GAINS}"] if stream != CONTROL else []
        feeders[stream] = lab.start([
            args.camera_feeder, f"--target={grpc_dm}", f"--video={args.video}",
            f"--stream={stream}", f"--labels=city={city}", "--fps=0", "--max_frames=795",
            "--progress_every=200", *shift], name=f"feeder.{stream}")
    watch = lab.start([
        args.factory_cli, "watch", "--target", grpc_fs, "--scenario", "act2",
        "--interval_ms", "200", "--epochs", "1", "--no-color"], name="factory-cli.watch")
    for scenario in SCENARIOS:
        r = subprocess.run([args.factory_cli, "evaluate", "--target", grpc_fs, "--scenario",
                            scenario, "--json"], capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise LabFailure(f"factory-cli evaluate --scenario {scenario}: exit "
                             f"{r.returncode}\n{r.stderr}")
    for stream, proc in feeders.items():
        proc.wait(timeout=max(1.0, started + ALERT_WAIT_S - time.time()))
    print(f"lab: 4 streams fed in {time.time() - started:.0f} s")
    check_feeders(feeders)
    watch.wait(timeout=120)
    if watch.returncode != 0:
        raise LabFailure(f"factory-cli watch exited {watch.returncode}")

    wait_for_drift_alerts(prom, started)
    check_control_stream(prom)
    check_factory_data(prom, len(SCENARIOS))
    check_rules_health(prom, repo / "deploy/prometheus/rules")
    check_dashboard(repo / "deploy/grafana/check_dashboard.py",
                    repo / "deploy/grafana/dashboards/data-factory.json", prom, lab.log_dir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("drift-monitor", "factory-sim", "camera-feeder", "factory-cli", "prometheus",
                 "video"):
        ap.add_argument(f"--{name}", required=True)
    ap.add_argument("--repo", type=pathlib.Path, required=True)
    ap.add_argument("--budget", type=int, default=330, help="seconds for the whole run")
    args = ap.parse_args()
    for f in (args.drift_monitor, args.factory_sim, args.camera_feeder, args.factory_cli,
              args.prometheus, args.video):
        if not os.path.exists(f):
            print(f"lab: {f} does not exist", file=sys.stderr)
            return 2

    def interrupted(signum, frame):
        if signum == signal.SIGALRM:
            raise LabFailure(f"the lab run exceeded its budget of {args.budget} s")
        raise LabFailure(f"stopped by signal {signum}")
    for signum in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, interrupted)
    signal.alarm(args.budget)
    t0 = time.time()
    work = tempfile.mkdtemp(prefix="df-lab-")
    ok = False
    try:
        with processes.Processes(log_dir=work) as lab:
            try:
                run(args, lab)
                ok = True
            except (LabFailure, processes.HarnessError, subprocess.TimeoutExpired) as e:
                print(f"FAIL: {e}", file=sys.stderr)
            finally:
                signal.alarm(0)
                if not ok:
                    lab.stop_all()
                    lab.print_log_tails()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"lab: {'PASS' if ok else 'FAIL'} in {time.time() - t0:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
