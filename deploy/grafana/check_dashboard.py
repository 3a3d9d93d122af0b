#!/usr/bin/python3
"""Checks a Grafana dashboard JSON of Data Factory without Grafana.

  # structure + every PromQL expression parsed by a throwaway real Prometheus (empty TSDB)
  check_dashboard.py deploy/grafana/dashboards/data-factory.json --prometheus-binary /usr/bin/prometheus

  # every expression run against a Prometheus that scraped the services; a query that
  # returns no series fails
  check_dashboard.py deploy/grafana/dashboards/data-factory.json \
      --prometheus http://127.0.0.1:9090 --require-series

Structure: the JSON parses; uid and title are set; every panel has a unique id and a
gridPos inside the 24-column grid, and no two panels overlap; every query panel has a
datasource (the provisioned uid), targets with unique refIds and a non-empty expr; every
$variable used is defined; every metric name is one the services export (the agreed
names below) or a recording rule of deploy/prometheus/rules.

Template variables are substituted as Grafana does: against a live Prometheus each
variable's label_values() query is resolved (in order, so $feature sees $stream), and a
multi-value variable becomes the regex of all its values; without data, a placeholder.

Exit status: 0 when every check passed, 1 otherwise (each failure printed on stderr),
2 on bad usage or when the throwaway Prometheus cannot start.
"""
import argparse
import json
import pathlib
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

import yaml

HERE = pathlib.Path(__file__).resolve().parent
DEFAULT_RULES = HERE.parent / "prometheus" / "rules"
DEFAULT_DATASOURCES = HERE / "provisioning" / "datasources"
TITLE = "Lab 04: The Data Factory"

# The metric names drift-monitor and factory-sim agreed to export.
EXPORTED = {
    "drift_monitor_frames_total", "drift_monitor_frame_errors_total",
    "drift_monitor_ks_statistic", "drift_monitor_ks_pvalue", "drift_monitor_effect_size",
    "drift_monitor_drift_detected", "drift_monitor_drift_events_total",
    "drift_monitor_white_balance_gain", "drift_monitor_active_streams",
    "drift_monitor_cause_detected", "drift_monitor_frames_excluded_total",
    "drift_monitor_white_balance_uniformity",
    "drift_monitor_frame_processing_seconds_bucket",
    "drift_monitor_frame_processing_seconds_sum",
    "drift_monitor_frame_processing_seconds_count",
    "drift_monitor_ingest_calls", "drift_monitor_ingest_calls_refused_total",
    "drift_monitor_frame_bytes_in_flight", "drift_monitor_ingest_reads_paused_total",
    "factory_sim_evaluations_total", "factory_sim_telemetry_messages_total",
    "factory_sim_telemetry_coalesced_total", "factory_sim_active_runs",
    "factory_sim_gpu_utilization_ratio", "factory_sim_gpu_idle_ratio",
    "factory_sim_ingestion_bytes_per_second", "factory_sim_io_throughput_bytes_per_second",
    "factory_sim_network_throughput_bytes_per_second", "factory_sim_egress_cost_dollars",
    "factory_sim_data_entropy_ratio", "factory_sim_pipeline_health_ratio",
    "factory_sim_bytes_moved_total", "factory_sim_dollars_spent_total",
    "factory_sim_waterfall_seconds", "factory_sim_badge_ok",
}
PROMETHEUS_OWN = {"up", "ALERTS", "ALERTS_FOR_STATE"}
# Grafana's built-in interval variables, replaced by what they would be on a 5 s scrape.
BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "15m",
            "__interval_ms": "15000", "__range_s": "900", "__range_ms": "900000"}
PLACEHOLDER = "placeholder"
LABEL_VALUES = re.compile(r"^\s*label_values\(\s*(.*?)\s*,\s*([a-zA-Z_]\w*)\s*\)\s*$", re.S)
VAR_REF = re.compile(r"\$\{?(\w+)(?::\w+)?\}?|\[\[(\w+)\]\]")


class Failures(list):
    def add(self, where, msg):
        self.append(f"{where}: {msg}")


def flatten(panels):
    for p in panels:
        yield p
        yield from flatten(p.get("panels", []))


def recording_rule_names(rules_dir):
    names = set()
    for f in sorted(pathlib.Path(rules_dir).glob("*.yml")):
        for group in (yaml.safe_load(f.read_text()) or {}).get("groups", []):
            names.update(r["record"] for r in group.get("rules", []) if "record" in r)
    return names


def metric_names(expr):
    """Metric-like identifiers of a PromQL expression (ours, recording rules, Prometheus')."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)
    e = re.sub(r"\[[^\]]*\]", "", e)          # range and subquery brackets hold ':' too
    e = re.sub(r"\{[^}]*\}", "{}", e)          # label matchers
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", e)
    out = set()
    for tok in re.findall(r"[A-Za-z_:][A-Za-z0-9_:]*", e):
        if tok.startswith(("drift_monitor_", "factory_sim_")) or ":" in tok \
                or tok in PROMETHEUS_OWN:
            out.add(tok)
    return out


def queries_of(dashboard):
    """(where, expr) for every PromQL expression: targets, variables, annotations."""
    for p in flatten(dashboard.get("panels", [])):
        for t in p.get("targets", []):
            yield f'panel {p.get("id")} "{p.get("title")}" {t.get("refId")}', t.get("expr", "")
    for a in dashboard.get("annotations", {}).get("list", []):
        if a.get("expr"):
            yield f'annotation "{a.get("name")}"', a["expr"]


def check_structure(dash, datasource_uids, known_metrics, fails):
    if not isinstance(dash, dict):
        fails.add("dashboard", "top level is not an object")
        return
    if not dash.get("uid") or not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", dash["uid"]):
        fails.add("dashboard", f"uid {dash.get('uid')!r} must be 1-40 of [A-Za-z0-9_-]")
    if dash.get("title") != TITLE:
        fails.add("dashboard", f"title {dash.get('title')!r}, expected {TITLE!r}")
    variables = [v.get("name") for v in dash.get("templating", {}).get("list", [])]
    if len(set(variables)) != len(variables):
        fails.add("templating", f"duplicate variable names {variables}")
    panels = list(flatten(dash.get("panels", [])))
    if not panels:
        fails.add("dashboard", "no panels")
    ids, cells = set(), {}
    for p in panels:
        where = f'panel {p.get("id")} "{p.get("title")}"'
        pid = p.get("id")
        if not isinstance(pid, int) or pid in ids:
            fails.add(where, "id missing, not an integer or not unique")
        ids.add(pid)
        gp = p.get("gridPos") or {}
        if not all(isinstance(gp.get(k), int) for k in "xywh"):
            fails.add(where, "gridPos needs integer x, y, w, h")
            continue
        if gp["x"] < 0 or gp["y"] < 0 or gp["w"] < 1 or gp["h"] < 1 or gp["x"] + gp["w"] > 24:
            fails.add(where, f"gridPos {gp} outside the 24-column grid")
        for x in range(gp["x"], gp["x"] + gp["w"]):
            for y in range(gp["y"], gp["y"] + gp["h"]):
                if (x, y) in cells:
                    fails.add(where, f"overlaps panel {cells[(x, y)]} at ({x}, {y})")
                    break
                cells[(x, y)] = pid
            else:
                continue
            break
        if p.get("type") in ("row", "text"):
            continue
        ds = p.get("datasource") or {}
        if ds.get("uid") not in datasource_uids:
            fails.add(where, f"datasource uid {ds.get('uid')!r} is not provisioned "
                             f"({sorted(datasource_uids)})")
        tg = p.get("targets") or []
        if not tg:
            fails.add(where, "no targets")
        refs = [t.get("refId") for t in tg]
        if len(set(refs)) != len(refs) or None in refs:
            fails.add(where, f"refIds {refs} missing or not unique")
    for where, expr in queries_of(dash):
        if not expr.strip():
            fails.add(where, "empty expr")
            continue
        for m in VAR_REF.finditer(expr):
            name = m.group(1) or m.group(2)
            if name not in variables and name not in BUILTINS:
                fails.add(where, f"uses undefined variable ${name}")
        for name in sorted(metric_names(expr) - known_metrics):
            fails.add(where, f"metric {name} is neither exported by the services nor a "
                             "recording rule")


def regex_escape(value):
    return re.sub(r"([\\.+*?()|\[\]{}^$])", r"\\\1", value)


def substitute(expr, values):
    def repl(m):
        name = m.group(1) or m.group(2)
        if name in BUILTINS:
            return BUILTINS[name]
        return values.get(name, m.group(0))
    return VAR_REF.sub(repl, expr)


class Prometheus:
    def __init__(self, url):
        self.url = url.rstrip("/")

    def get(self, path, **params):
        q = urllib.parse.urlencode(params, doseq=True)
        try:
            with urllib.request.urlopen(f"{self.url}{path}?{q}", timeout=30) as r:
                return json.load(r)
        except urllib.error.HTTPError as e:     # 400/422 carry a JSON error body
            try:
                return json.load(e)
            except ValueError:
                return {"status": "error", "error": f"HTTP {e.code}"}

    def query(self, expr):
        return self.get("/api/v1/query", query=expr)


def resolve_variables(dash, prom, live, fails):
    """Grafana-like values for each template variable, in declaration order."""
    values = {}
    for v in dash.get("templating", {}).get("list", []):
        name = v.get("name")
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = LABEL_VALUES.match(q or "")
        if v.get("type") != "query" or not m:
            fails.add(f"variable ${name}", f"unsupported variable query {q!r}")
            values[name] = PLACEHOLDER
            continue
        selector, label = substitute(m.group(1), values), m.group(2)
        if prom is not None:
            r = prom.query(selector)       # also proves the selector parses
            if r.get("status") != "success":
                fails.add(f"variable ${name}", f"{selector}: {r.get('error')}")
        if not live:
            values[name] = PLACEHOLDER
            continue
        r = prom.get("/api/v1/series", **{"match[]": selector,
                                          "start": str(time.time() - 3600)})
        found = sorted({s[label] for s in r.get("data", []) if label in s})
        if not found:
            fails.add(f"variable ${name}", f"label_values({selector}, {label}) is empty")
            values[name] = PLACEHOLDER
        elif v.get("multi") or v.get("includeAll"):
            values[name] = "(" + "|".join(regex_escape(x) for x in found) + ")"
        else:
            values[name] = regex_escape(found[0])
        print(f"${name} = {values[name]}")
    return values


def check_queries(dash, prom, values, require_series, fails):
    for where, expr in queries_of(dash):
        if not expr.strip():
            continue
        q = substitute(expr, values)
        r = prom.query(q)
        if r.get("status") != "success":
            fails.add(where, f"{q}: {r.get('errorType')}: {r.get('error')}")
            continue
        result = r["data"]["result"]
        n = len(result) if isinstance(result, list) else 1
        if require_series and n == 0:
            fails.add(where, f"{q}: no series")
        elif require_series:
            print(f"ok ({n} series) {where}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_throwaway(binary, workdir):
    """A real Prometheus with an empty TSDB and nothing to scrape, used to parse PromQL."""
    cfg = pathlib.Path(workdir) / "prometheus.yml"
    cfg.write_text("global:\n  scrape_interval: 1m\n")
    for _ in range(5):                  # the port can be taken between probe and bind
        port = free_port()
        proc = subprocess.Popen(
            [binary, f"--config.file={cfg}", f"--storage.tsdb.path={workdir}/tsdb",
             f"--web.listen-address=127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 30
        while time.time() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(url + "/-/ready", timeout=2) as r:
                    if r.status == 200:
                        return proc, url
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        proc.kill()
        proc.wait()
    return None, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dashboard", type=pathlib.Path)
    ap.add_argument("--prometheus", help="URL of a Prometheus that scraped the services")
    ap.add_argument("--require-series", action="store_true",
                    help="fail on a query that returns no series (needs --prometheus)")
    ap.add_argument("--prometheus-binary",
                    help="start this prometheus with an empty TSDB to parse every expr")
    ap.add_argument("--rules-dir", type=pathlib.Path, default=DEFAULT_RULES)
    ap.add_argument("--datasources-dir", type=pathlib.Path, default=DEFAULT_DATASOURCES)
    args = ap.parse_args()
    if args.require_series and not args.prometheus:
        ap.error("--require-series needs --prometheus URL")

    fails = Failures()
    try:
        dash = json.loads(args.dashboard.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        print(f"FAIL {args.dashboard}: {e}", file=sys.stderr)
        return 1
    uids = set()
    for f in sorted(args.datasources_dir.glob("*.yml")):
        uids.update(d.get("uid") for d in yaml.safe_load(f.read_text()).get("datasources", []))
    check_structure(dash, uids, EXPORTED | PROMETHEUS_OWN | recording_rule_names(args.rules_dir),
                    fails)

    proc = None
    with tempfile.TemporaryDirectory(prefix="df-dashboard-") as work:
        try:
            if args.prometheus:
                prom = Prometheus(args.prometheus)
            elif args.prometheus_binary:
                proc, url = start_throwaway(args.prometheus_binary, work)
                if proc is None:
                    print("FAIL: the throwaway Prometheus did not start", file=sys.stderr)
                    return 2
                prom = Prometheus(url)
            else:
                prom = None
            values = resolve_variables(dash, prom, bool(args.prometheus), fails)
            if prom is not None:
                check_queries(dash, prom, values, args.require_series, fails)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    for f in fails:
        print(f"FAIL {f}", file=sys.stderr)
    n = sum(1 for _ in queries_of(dash))
    print(f"{args.dashboard.name}: {n} queries, {len(fails)} failures")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
