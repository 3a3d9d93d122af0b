#!/usr/bin/python3
"""A real Prometheus scrapes the real drift-monitor while camera-feeder streams real
footage: the shifted stream must read drift_monitor_drift_detected = 1 through
Prometheus' query API, the unaltered one 0. Then SIGTERM must shut the service down
gracefully (exit 0).

  prometheus_e2e_test.py DRIFT_MONITOR CAMERA_FEEDER PROMETHEUS VIDEO
"""
import json
import pathlib
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, log_text, start_service  # noqa: E402

DRIFT_MONITOR, FEEDER, PROMETHEUS, VIDEO = sys.argv[1:5]


def query(port, expr, label="stream"):
    url = f"http://127.0.0.1:{port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    with urllib.request.urlopen(url, timeout=5) as r:
        body = json.load(r)
    assert body["status"] == "success", body
    return {s["metric"].get(label, ""): float(s["value"][1]) for s in body["data"]["result"]}


class PrometheusScrapeTest(unittest.TestCase):
    def test_shifted_stream_reads_drift_detected_one_in_prometheus(self):
        with Processes() as procs, tempfile.TemporaryDirectory() as tmp:
            dm = start_service(procs, "drift-monitor", DRIFT_MONITOR)
            server, target, metrics_port = dm.proc, dm.grpc_target, dm.metrics_port
            config = pathlib.Path(tmp) / "prometheus.yml"
            config.write_text(
                "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: drift-monitor\n    static_configs:\n"
                f"      - targets: ['127.0.0.1:{metrics_port}']\n")
            _, prom_port = procs.start_on_free_port(
                lambda port: [PROMETHEUS, f"--config.file={config}",
                              f"--storage.tsdb.path={tmp}/data",
                              f"--web.listen-address=127.0.0.1:{port}"],
                name="prometheus")
            feeds = {"shifted": ["--wb_shift_at=300", "--wb_gains=1.07,1,1"], "plain": []}
            for stream, extra in feeds.items():
                out = subprocess.run(
                    [FEEDER, f"--target={target}", f"--video={VIDEO}", f"--stream={stream}",
                     "--labels=city=lyon", "--progress_every=0", *extra],
                    capture_output=True, text=True, timeout=120)
                self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
                self.assertIn("answered=795", out.stdout)
            drift, frames = {}, {}
            deadline = time.time() + 60
            while time.time() < deadline:  # until a scrape after both feeds is in
                try:
                    drift = query(prom_port, "drift_monitor_drift_detected")
                    frames = query(prom_port, "drift_monitor_frames_total")
                except OSError:
                    pass  # Prometheus still starting
                if frames.get("plain") == 795 and frames.get("shifted") == 795:
                    break
                time.sleep(0.5)
            self.assertEqual(frames, {"plain": 795.0, "shifted": 795.0})
            self.assertEqual(drift.get("shifted"), 1.0, drift)
            self.assertEqual(drift.get("plain"), 0.0, drift)
            by_city = query(prom_port, "sum by (city) (drift_monitor_drift_detected)", "city")
            self.assertEqual(by_city, {"lyon": 1.0})
            # Graceful shutdown on SIGTERM: drained, exit code 0.
            server.terminate()
            self.assertEqual(server.wait(timeout=15), 0)
            self.assertIn("stopped", log_text(server))


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
