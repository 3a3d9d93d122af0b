#!/usr/bin/python3
"""The dashboard checker rejects broken dashboards: each case breaks one thing in a copy
of deploy/grafana/dashboards/data-factory.json and expects check_dashboard.py to fail
naming it (exprs are parsed by a throwaway real Prometheus).

  dashboard_checker_test.py REPO_ROOT PROMETHEUS_BINARY
"""
import copy
import json
import pathlib
import subprocess
import sys
import tempfile
import unittest

ROOT = pathlib.Path(sys.argv[1]).resolve()
PROMETHEUS = sys.argv[2]
DASHBOARD = ROOT / "deploy/grafana/dashboards/data-factory.json"
CHECKER = ROOT / "deploy/grafana/check_dashboard.py"


def query_panels(d):
    return [p for p in d["panels"] if p.get("targets")]


class CheckerRejectsBrokenDashboards(unittest.TestCase):
    def run_checker(self, dash):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(dash, f)
            f.flush()
            r = subprocess.run([sys.executable, str(CHECKER), f.name,
                                "--prometheus-binary", PROMETHEUS],
                               capture_output=True, text=True, timeout=120)
        return r.returncode, r.stderr

    def expect_failure(self, mutate, needle):
        dash = copy.deepcopy(self.good)
        mutate(dash)
        rc, err = self.run_checker(dash)
        self.assertEqual(rc, 1, err)
        self.assertIn(needle, err)

    @classmethod
    def setUpClass(cls):
        cls.good = json.loads(DASHBOARD.read_text())

    def test_the_committed_dashboard_passes(self):
        rc, err = self.run_checker(self.good)
        self.assertEqual(rc, 0, err)

    def test_promql_syntax_error(self):
        def m(d):
            query_panels(d)[3]["targets"][0]["expr"] = "sum(rate(drift_monitor_frames_total[1m])"
        self.expect_failure(m, "parse error")

    def test_unknown_metric(self):
        def m(d):
            query_panels(d)[0]["targets"][0]["expr"] = "drift_monitor_frame_total"
        self.expect_failure(m, "metric drift_monitor_frame_total is neither exported")

    def test_undefined_variable(self):
        def m(d):
            query_panels(d)[0]["targets"][0]["expr"] = 'drift_monitor_frames_total{stream=~"$camera"}'
        self.expect_failure(m, "undefined variable $camera")

    def test_duplicate_panel_id(self):
        def m(d):
            query_panels(d)[1]["id"] = query_panels(d)[0]["id"]
        self.expect_failure(m, "not unique")

    def test_overlapping_panels(self):
        def m(d):
            query_panels(d)[1]["gridPos"] = dict(query_panels(d)[0]["gridPos"])
        self.expect_failure(m, "overlaps panel")

    def test_unprovisioned_datasource(self):
        def m(d):
            query_panels(d)[0]["datasource"] = {"type": "prometheus", "uid": "other"}
        self.expect_failure(m, "is not provisioned")

    def test_panel_without_targets(self):
        def m(d):
            query_panels(d)[0]["targets"] = []
        self.expect_failure(m, "no targets")

    def test_wrong_title(self):
        self.expect_failure(lambda d: d.update(title="Lab 4"), "expected 'Lab 04: The Data Factory'")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
