#!/usr/bin/python3
"""Dashboard and rules against a real Prometheus scraping the agreed metric names.

Two small exporters on 127.0.0.1:0 serve every metric drift-monitor and factory-sim
agreed to export (counters growing with time, one stream drifting, one city label); a
real Prometheus scrapes them each second with deploy/prometheus/rules loaded. The test
then requires that (1) every rule evaluates without error, (2) StreamDrifting goes from
pending to firing, (3) check_dashboard.py --require-series finds series for every panel,
and (4) the same checker fails on a panel whose query matches nothing. The real services
are checked the same way by the end-to-end demo run.

  dashboard_live_test.py REPO_ROOT PROMETHEUS_BINARY
"""
import http.server
import json
import pathlib
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.parse
import urllib.request

ROOT = pathlib.Path(sys.argv[1]).resolve()
PROMETHEUS = sys.argv[2]
sys.path.insert(0, str(ROOT / "deploy/grafana"))
import check_dashboard  # noqa: E402

DASHBOARD = ROOT / "deploy/grafana/dashboards/data-factory.json"
START = time.time()
PERSONAS = ["cloud_titan", "edge_guardian", "mobile_nomad", "tiny_pioneer"]
STREAMS = {"door-ber-1": 1, "door-ber-2": 0}          # stream -> drift_detected
FEATURES = ["gain_g_over_r", "gain_g_over_b", "luma"]


def drift_metrics():
    t = time.time() - START
    out = ["# TYPE drift_monitor_frames_total counter"]
    out += [f'drift_monitor_frames_total{{stream="{s}"}} {25 * t:.0f}' for s in STREAMS]
    out += ["# TYPE drift_monitor_frame_errors_total counter",
            f'drift_monitor_frame_errors_total{{reason="decode"}} {int(t)}',
            f'drift_monitor_frame_errors_total{{reason="bad_stream_id"}} 0',
            "# TYPE drift_monitor_active_streams gauge",
            f"drift_monitor_active_streams {len(STREAMS)}"]
    for name, val in [("ks_statistic", 0.4), ("ks_pvalue", 1e-6), ("effect_size", 1.2)]:
        out.append(f"# TYPE drift_monitor_{name} gauge")
        out += [f'drift_monitor_{name}{{stream="{s}",feature="{f}"}} {val}'
                for s in STREAMS for f in FEATURES]
    out.append("# TYPE drift_monitor_drift_detected gauge")
    out += [f'drift_monitor_drift_detected{{stream="{s}",city="berlin"}} {d}'
            for s, d in STREAMS.items()]
    out.append("# TYPE drift_monitor_drift_events_total counter")
    out += [f'drift_monitor_drift_events_total{{stream="{s}"}} {d * int(1 + t / 5)}'
            for s, d in STREAMS.items()]
    out.append("# TYPE drift_monitor_white_balance_gain gauge")
    out += [f'drift_monitor_white_balance_gain{{stream="{s}",channel="{c}"}} 1.1'
            for s in STREAMS for c in ("g_over_r", "g_over_b")]
    n = int(50 * t)
    out += ["# TYPE drift_monitor_frame_processing_seconds histogram",
            f'drift_monitor_frame_processing_seconds_bucket{{le="0.005"}} {n // 2}',
            f'drift_monitor_frame_processing_seconds_bucket{{le="0.02"}} {n}',
            f'drift_monitor_frame_processing_seconds_bucket{{le="+Inf"}} {n}',
            f"drift_monitor_frame_processing_seconds_sum {n * 0.006}",
            f"drift_monitor_frame_processing_seconds_count {n}"]
    return out


def sim_metrics():
    t = time.time() - START
    out = ["# TYPE factory_sim_evaluations_total counter", f"factory_sim_evaluations_total {int(t)}",
           "# TYPE factory_sim_telemetry_messages_total counter",
           f"factory_sim_telemetry_messages_total {int(10 * t)}",
           "# TYPE factory_sim_telemetry_coalesced_total counter",
           "factory_sim_telemetry_coalesced_total 0",
           "# TYPE factory_sim_active_runs gauge", "factory_sim_active_runs 1"]
    gauges = {"gpu_utilization_ratio": 0.14, "gpu_idle_ratio": 0.86,
              "ingestion_bytes_per_second": 2.5e8, "io_throughput_bytes_per_second": 2.5e8,
              "network_throughput_bytes_per_second": 1.25e8, "egress_cost_dollars": 90000,
              "data_entropy_ratio": 0.7, "pipeline_health_ratio": 0.14}
    for name, v in gauges.items():
        out.append(f"# TYPE factory_sim_{name} gauge")
        out += [f'factory_sim_{name}{{persona="{p}"}} {v}' for p in PERSONAS]
    for name, per_s in [("bytes_moved_total", 2.5e8), ("dollars_spent_total", 0.5)]:
        out.append(f"# TYPE factory_sim_{name} counter")
        out += [f'factory_sim_{name}{{persona="{p}"}} {per_s * t}' for p in PERSONAS]
    out.append("# TYPE factory_sim_waterfall_seconds gauge")
    out += [f'factory_sim_waterfall_seconds{{persona="{p}",component="{c}"}} {v}'
            for p in PERSONAS for c, v in [("disk_io", 560), ("network", 0),
                                           ("gpu_math", 77), ("stall", 483)]]
    out.append("# TYPE factory_sim_badge_ok gauge")
    out += [f'factory_sim_badge_ok{{persona="{p}",badge="{b}"}} {v}' for p in PERSONAS
            for b, v in [("egress_under_100k", 1), ("gpu_hunger_under_10pct", 0),
                         ("no_drift", 1)]]
    return out


def serve(lines_fn):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = ("\n".join(lines_fn()) + "\n").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


class DashboardAgainstRealPrometheus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.exporters = [serve(drift_metrics), serve(sim_metrics)]
        cls.work = tempfile.TemporaryDirectory(prefix="df-live-")
        rules = ROOT / "deploy/prometheus/rules"
        cfg = pathlib.Path(cls.work.name) / "prometheus.yml"
        cfg.write_text(json.dumps({  # JSON is YAML
            "global": {"scrape_interval": "1s", "evaluation_interval": "1s"},
            "rule_files": [str(rules / "drift_alerts.yml"), str(rules / "recording.yml")],
            "scrape_configs": [
                {"job_name": "drift-monitor", "static_configs": [
                    {"targets": [f"127.0.0.1:{cls.exporters[0].server_address[1]}"]}]},
                {"job_name": "factory-sim", "static_configs": [
                    {"targets": [f"127.0.0.1:{cls.exporters[1].server_address[1]}"]}]}]}))
        cls.proc = None
        for _ in range(5):
            port = check_dashboard.free_port()
            cls.proc = subprocess.Popen(
                [PROMETHEUS, f"--config.file={cfg}",
                 f"--storage.tsdb.path={cls.work.name}/tsdb",
                 f"--web.listen-address=127.0.0.1:{port}"],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            cls.prom = check_dashboard.Prometheus(f"http://127.0.0.1:{port}")
            if cls.wait_for(lambda: urllib.request.urlopen(cls.prom.url + "/-/ready",
                                                           timeout=2).status == 200
                            or cls.proc.poll() is not None, 30) and cls.proc.poll() is None:
                break
            cls.proc.wait()
        else:
            raise RuntimeError("prometheus did not start")
        cls.wait_for(lambda: cls.series("stream:drift_monitor_frames:rate1m")
                     and cls.series("persona:factory_sim_bytes_moved:rate1m")
                     and cls.series('ALERTS{alertname="StreamDrifting"}'), 60)

    @classmethod
    def tearDownClass(cls):
        if cls.proc:
            cls.proc.terminate()
            cls.proc.wait(timeout=30)
        for e in cls.exporters:
            e.shutdown()
        cls.work.cleanup()

    @staticmethod
    def wait_for(pred, seconds):
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                if pred():
                    return True
            except (OSError, ValueError):
                pass
            time.sleep(0.5)
        return False

    @classmethod
    def series(cls, expr):
        r = cls.prom.query(expr)
        return r.get("status") == "success" and r["data"]["result"]

    def run_checker(self, dashboard):
        return subprocess.run([sys.executable, str(ROOT / "deploy/grafana/check_dashboard.py"),
                               str(dashboard), "--prometheus", self.prom.url,
                               "--require-series"], capture_output=True, text=True, timeout=120)

    def test_1_every_rule_evaluates_without_error(self):
        groups = self.prom.get("/api/v1/rules")["data"]["groups"]
        rules = [r for g in groups for r in g["rules"]]
        self.assertGreaterEqual(len(rules), 16)
        for r in rules:
            self.assertEqual(r["health"], "ok", f'{r["name"]}: {r.get("lastError")}')

    def test_2_stream_drifting_fires_for_the_drifting_stream_only(self):
        self.assertTrue(self.wait_for(
            lambda: self.series('ALERTS{alertname="StreamDrifting",alertstate="firing"}'), 40))
        firing = self.series('ALERTS{alertname="StreamDrifting"}')
        self.assertEqual({s["metric"]["stream"] for s in firing}, {"door-ber-1"})

    def test_3_every_dashboard_query_returns_series(self):
        r = self.run_checker(DASHBOARD)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("0 failures", r.stdout)

    def test_4_a_query_matching_nothing_fails_require_series(self):
        dash = json.loads(DASHBOARD.read_text())
        panel = next(p for p in dash["panels"] if p.get("targets"))
        panel["targets"][0]["expr"] = 'drift_monitor_frames_total{stream="no-such-camera"}'
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(dash, f)
            f.flush()
            r = self.run_checker(f.name)
        self.assertEqual(r.returncode, 1, r.stdout)
        self.assertIn("no series", r.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
