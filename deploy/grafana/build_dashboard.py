#!/usr/bin/python3
"""Builds deploy/grafana/dashboards/data-factory.json, the "Lab 04: The Data Factory"
Grafana dashboard, from the panel list below (the JSON is generated, never hand-edited).

  /usr/bin/python3 deploy/grafana/build_dashboard.py           # rewrite the JSON
  /usr/bin/python3 deploy/grafana/build_dashboard.py --check   # exit 1 if it is stale

Layout: the lab's four zones (command header, engineering levers, telemetry center,
audit trail) from factory-sim's metrics, then the drift monitor's panels. Levers and the
consequence log are not metrics: those zones show what the metrics allow (evaluation
rate, money and bytes spent, drift events, alerts) beside a short note.
"""
import argparse
import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent / "dashboards" / "data-factory.json"
DATASOURCE = {"type": "prometheus", "uid": "prometheus"}
P = 'persona=~"$persona"'
S = 'stream=~"$stream"'
F = 'feature=~"$feature"'


class Layout:
    """Places panels left to right in rows of 24 grid units."""

    def __init__(self):
        self.panels, self.next_id, self.x, self.y, self.row_h = [], 1, 0, 0, 0

    def _new_id(self):
        self.next_id += 1
        return self.next_id - 1

    def row(self, title):
        self.newline()
        self.panels.append({"type": "row", "id": self._new_id(), "title": title,
                            "collapsed": False, "panels": [],
                            "gridPos": {"x": 0, "y": self.y, "w": 24, "h": 1}})
        self.y += 1

    def newline(self):
        self.y += self.row_h
        self.x, self.row_h = 0, 0

    def add(self, panel, w, h):
        if self.x + w > 24:
            self.newline()
        panel["id"] = self._new_id()
        panel["gridPos"] = {"x": self.x, "y": self.y, "w": w, "h": h}
        self.x += w
        self.row_h = max(self.row_h, h)
        self.panels.append(panel)


def targets(*queries):
    """queries: (expr, legend) pairs."""
    return [{"datasource": DATASOURCE, "expr": e, "legendFormat": l, "refId": chr(65 + i)}
            for i, (e, l) in enumerate(queries)]


def stat(title, queries, unit="none", mappings=None, thresholds=None, desc=""):
    steps = thresholds or [{"color": "green", "value": None}]
    return {"type": "stat", "title": title, "description": desc, "datasource": DATASOURCE,
            "targets": targets(*queries),
            "fieldConfig": {"defaults": {"unit": unit, "mappings": mappings or [],
                                         "thresholds": {"mode": "absolute", "steps": steps}},
                            "overrides": []},
            "options": {"reduceOptions": {"calcs": ["lastNotNull"], "fields": "", "values": False},
                        "colorMode": "background", "graphMode": "none", "textMode": "auto"}}


def badge(title, expr, ok_text, bad_text, desc):
    """A red/green badge from a 0/1 series (1 = the condition holds)."""
    mappings = [{"type": "value", "options": {
        "1": {"text": ok_text, "color": "green", "index": 0},
        "0": {"text": bad_text, "color": "red", "index": 1}}}]
    steps = [{"color": "red", "value": None}, {"color": "green", "value": 1}]
    return stat(title, [(expr, "{{persona}}")], mappings=mappings, thresholds=steps, desc=desc)


def timeseries(title, queries, unit="none", desc="", log=False, stack=False, draw="line"):
    custom = {"drawStyle": draw, "lineWidth": 2, "fillOpacity": 10, "showPoints": "never",
              "stacking": {"mode": "normal" if stack else "none", "group": "A"}}
    if log:
        custom["scaleDistribution"] = {"type": "log", "log": 10}
    return {"type": "timeseries", "title": title, "description": desc, "datasource": DATASOURCE,
            "targets": targets(*queries),
            "fieldConfig": {"defaults": {"unit": unit, "custom": custom}, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "right",
                                   "calcs": ["lastNotNull"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}}}


def text(title, content):
    return {"type": "text", "title": title, "options": {"mode": "markdown", "content": content}}


def build():
    g = Layout()
    # Zone 1 -------------------------------------------------------------------------
    g.row("Zone 1 · Command header: $persona")
    g.add(badge("Egress < $100k",
                f'factory_sim_badge_ok{{{P},badge="egress_under_100k"}}', "OK", "OVER",
                "Egress cost of the current plan under $100,000."), 5, 4)
    g.add(badge("GPU Hunger < 10 %",
                f'factory_sim_badge_ok{{{P},badge="gpu_hunger_under_10pct"}}', "FED",
                "HUNGRY", "GPU idle fraction (1 − η) under 10 %."), 5, 4)
    g.add(badge("Drift (simulated fleet)",
                f'factory_sim_badge_ok{{{P},badge="no_drift"}}', "NO DRIFT", "DRIFT",
                "The simulator's K-S test on its synthetic doorbell fleet."), 5, 4)
    g.add(stat("Drifting camera streams", [("sum(drift_monitor_drift_detected)", "")],
               thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 1}],
               desc="Live streams the drift monitor currently flags."), 5, 4)
    g.add(stat("Active streams / runs",
               [("sum(drift_monitor_active_streams)", "streams"),
                ("sum(factory_sim_active_runs)", "sim runs")],
               desc="Camera streams in the drift monitor; simulated runs in factory-sim."), 4, 4)
    # Zone 2 -------------------------------------------------------------------------
    g.row("Zone 2 · Engineering levers")
    g.add(text("Levers", "Storage tier, transfer method, dedup scrubber, drift alpha and "
               "pricing are set through the factory-sim API (`factory-cli`, the terminal "
               "dashboard). Every lever move is one evaluation; running telemetry streams "
               "react to it mid-stream."), 8, 6)
    g.add(timeseries("Lever evaluations and telemetry",
                     [("sum(rate(factory_sim_evaluations_total[1m]))", "evaluations/s"),
                      ("sum(rate(factory_sim_telemetry_messages_total[1m]))", "telemetry msgs/s"),
                      ("sum(rate(factory_sim_telemetry_coalesced_total[1m]))",
                       "coalesced/s (slow readers)")],
                     unit="ops"), 16, 6)
    # Zone 3 -------------------------------------------------------------------------
    g.row("Zone 3 · Telemetry center: the system ledger and the data gravity waterfall")
    g.add(stat("Ingestion speed", [(f"factory_sim_ingestion_bytes_per_second{{{P}}}",
                                    "{{persona}}")], unit="Bps",
               desc="What the data pipeline can supply (the report's Ingestion Speed card), "
                    "from the latest evaluation."), 6, 4)
    g.add(stat("Egress cost", [(f"factory_sim_egress_cost_dollars{{{P}}}", "{{persona}}")],
               unit="currencyUSD",
               thresholds=[{"color": "green", "value": None}, {"color": "red", "value": 100000}]),
          6, 4)
    g.add(stat("Unique data", [(f"factory_sim_data_entropy_ratio{{{P}}}", "{{persona}}")],
               unit="percentunit",
               desc="The Unique Data card: unique bytes / stored bytes after dedup, a ratio "
                    "(the metric keeps the card's first name)."), 6, 4)
    g.add(stat("Pipeline health", [(f"factory_sim_pipeline_health_ratio{{{P}}}",
                                    "{{persona}}")], unit="percentunit",
               thresholds=[{"color": "red", "value": None}, {"color": "orange", "value": 0.5},
                           {"color": "green", "value": 0.9}]), 6, 4)
    waterfall = {"type": "bargauge", "title": "Data gravity waterfall (one epoch)",
                 "description": "Disk IO, network transfer and GPU math of one training epoch, "
                                "and the stall the GPUs wait through.",
                 "datasource": DATASOURCE,
                 "targets": targets((f"factory_sim_waterfall_seconds{{{P}}}", "{{component}}")),
                 "fieldConfig": {"defaults": {"unit": "s", "min": 0}, "overrides": []},
                 "options": {"orientation": "horizontal", "displayMode": "gradient",
                             "reduceOptions": {"calcs": ["lastNotNull"], "values": False}}}
    g.add(waterfall, 12, 8)
    g.add(timeseries("GPU utilisation vs idle (feeding tax)",
                     [(f"factory_sim_gpu_utilization_ratio{{{P}}}", "utilisation"),
                      (f"factory_sim_gpu_idle_ratio{{{P}}}", "idle (GPU hunger)")],
                     unit="percentunit"), 12, 8)
    g.add(timeseries("Storage IO vs network throughput",
                     [(f"factory_sim_io_throughput_bytes_per_second{{{P}}}", "storage IO"),
                      (f"factory_sim_network_throughput_bytes_per_second{{{P}}}", "network")],
                     unit="Bps", desc="Rates the latest telemetry tick of a simulated run "
                                      "achieved (at most the ingestion speed)."), 12, 7)
    g.add(timeseries("Bytes moved and dollars spent per second",
                     [(f"persona:factory_sim_bytes_moved:rate1m{{{P}}}", "bytes/s"),
                      (f"persona:factory_sim_dollars_spent:rate1m{{{P}}}", "$/s")],
                     unit="short"), 12, 7)
    # Zone 4 -------------------------------------------------------------------------
    g.row("Zone 4 · Audit trail")
    g.add(stat("Money spent by the simulated run",
               [(f"factory_sim_dollars_spent_total{{{P}}}", "{{persona}}")],
               unit="currencyUSD"), 6, 5)
    g.add(stat("Bytes moved by the simulated run",
               [(f"factory_sim_bytes_moved_total{{{P}}}", "{{persona}}")], unit="decbytes"), 6, 5)
    alerts = {"type": "table", "title": "Alerts (pending and firing)",
              "datasource": DATASOURCE,
              "targets": [dict(t, format="table", instant=True) for t in targets(
                  ("ALERTS", ""))],
              "options": {"showHeader": True},
              "transformations": [{"id": "organize", "options": {
                  "excludeByName": {"Time": True, "__name__": True, "Value": True}}}]}
    g.add(alerts, 12, 5)
    g.add(text("Consequence log", "The consequence log and the rationale audit trail are "
               "returned by the factory-sim API and kept in its `--audit_store` (SQLite, or "
               "Redis for replicas); `factory-cli` shows them. Alerts on the right come from "
               "deploy/prometheus/rules."), 8, 4)
    g.add(timeseries("Drift events per stream", [
        (f"sum by (stream) (increase(drift_monitor_drift_events_total{{{S}}}[5m]))",
         "{{stream}}")], unit="short", draw="bars"), 16, 4)
    # Drift monitor ----------------------------------------------------------------------
    g.row("Drift monitor · Act III: the doorbell fleet")
    g.add({"type": "state-timeline", "title": "Drift verdict per stream",
           "datasource": DATASOURCE,
           "targets": targets((f"max by (stream) (drift_monitor_drift_detected{{{S}}})",
                               "{{stream}}")),
           "fieldConfig": {"defaults": {"mappings": [{"type": "value", "options": {
               "0": {"text": "stable", "color": "green"},
               "1": {"text": "DRIFT", "color": "red"}}}]}, "overrides": []},
           "options": {"showValue": "never"}}, 16, 6)
    g.add(timeseries("Drifting streams per city", [
        ("city:drift_monitor_streams_drifting:sum", "{{city}}")], unit="short"), 8, 6)
    # The other causes: a scene cut, night mode, a lamp or broken frames are flagged
    # under their own cause and never as white-balance drift.
    g.add({"type": "state-timeline", "title": "Other causes per stream",
           "datasource": DATASOURCE,
           "targets": targets((f"max by (stream, cause) (drift_monitor_cause_detected{{{S}}})",
                               "{{stream}} {{cause}}")),
           "fieldConfig": {"defaults": {"mappings": [{"type": "value", "options": {
               "0": {"text": "clear", "color": "green"},
               "1": {"text": "flagged", "color": "orange"}}}]}, "overrides": []},
           "options": {"showValue": "never"}}, 16, 6)
    g.add(timeseries("Streams flagged per cause", [
        ("cause:drift_monitor_streams_flagged:sum", "{{cause}}")], unit="short"), 8, 6)
    g.add(timeseries("White-balance change in linear light (vs reference)", [
        (f'max by (stream, feature) (drift_monitor_effect_size{{{S},'
         f'feature=~"wb_gain_r|wb_gain_b"}})', "{{stream}} {{feature}}")],
        unit="percentunit"), 8, 7)
    g.add(timeseries("White-balance uniformity", [
        (f"max by (stream) (drift_monitor_white_balance_uniformity{{{S}}})", "{{stream}}")],
        unit="percentunit"), 8, 7)
    # The monitor creates a reason's counter at its first excluded frame: "none" keeps a
    # zero line until then.
    g.add(timeseries("Frames kept out of the white-balance windows", [
        ('reason:drift_monitor_frames_excluded:rate1m or label_replace(vector(0), "reason", '
         '"none", "", "")', "{{reason}}")], unit="short"), 8, 7)
    g.add(timeseries("K-S statistic D per feature", [
        (f"max by (stream, feature) (drift_monitor_ks_statistic{{{S},{F}}})",
         "{{stream}} {{feature}}")], unit="none"), 12, 8)
    g.add(timeseries("K-S p-value per feature (log)", [
        (f"min by (stream, feature) (drift_monitor_ks_pvalue{{{S},{F}}})",
         "{{stream}} {{feature}}")], unit="none", log=True), 12, 8)
    g.add(timeseries("White-balance gains (grey world)", [
        (f"avg by (stream, channel) (drift_monitor_white_balance_gain{{{S}}})",
         "{{stream}} {{channel}}")], unit="none"), 12, 8)
    g.add(timeseries("Effect size per feature", [
        (f"max by (stream, feature) (drift_monitor_effect_size{{{S},{F}}})",
         "{{stream}} {{feature}}")], unit="none"), 12, 8)
    g.add(timeseries("Frames per second", [
        (f"stream:drift_monitor_frames:rate1m{{{S}}}", "{{stream}}")], unit="fps"), 8, 7)
    # The monitor creates a reason's counter at its first rejection: "none" keeps a zero
    # line until then.
    g.add(timeseries("Frame errors per second", [
        ('reason:drift_monitor_frame_errors:rate1m or label_replace(vector(0), "reason", '
         '"none", "", "")', "{{reason}}")], unit="short"), 8, 7)
    g.add(timeseries("Frame processing time", [
        ("job:drift_monitor_frame_processing_seconds:quantile_rate1m", "p{{quantile}}")],
        unit="s"), 8, 7)
    g.add(timeseries("Smallest K-S p-value per stream", [
        (f"stream:drift_monitor_ks_pvalue:min{{{S}}}", "{{stream}}")], unit="none", log=True),
        12, 6)
    g.add(timeseries("Ingest back-pressure", [
        ("sum(rate(drift_monitor_ingest_reads_paused_total[1m]))", "reads paused/s"),
        ("sum(rate(drift_monitor_ingest_calls_refused_total[1m]))", "calls refused/s"),
        ("sum(drift_monitor_ingest_calls)", "Ingest calls open")], unit="short"), 6, 6)
    g.add(timeseries("Frame bytes in flight", [
        ("sum(drift_monitor_frame_bytes_in_flight)", "read, not yet reported")],
        unit="bytes"), 6, 6)

    def var(name, label, query, multi):
        return {"name": name, "label": label, "type": "query", "datasource": DATASOURCE,
                "definition": query, "query": {"query": query, "refId": name},
                "refresh": 2, "sort": 1, "multi": multi, "includeAll": multi,
                "current": {}, "hide": 0}

    return {
        "uid": "data-factory-lab04",
        "title": "Lab 04: The Data Factory",
        "description": "Data gravity, the GPU feeding tax and data drift: factory-sim and "
                       "drift-monitor.",
        "tags": ["data-factory", "drift", "lab04"],
        "timezone": "browser", "editable": False, "graphTooltip": 1,
        "schemaVersion": 37, "version": 1, "refresh": "5s",
        "time": {"from": "now-15m", "to": "now"},
        "templating": {"list": [
            var("persona", "Persona", "label_values(factory_sim_gpu_utilization_ratio, persona)",
                False),
            var("stream", "Stream", "label_values(drift_monitor_frames_total, stream)", True),
            var("feature", "Feature",
                'label_values(drift_monitor_ks_statistic{stream=~"$stream"}, feature)', True),
        ]},
        "annotations": {"list": [{
            "name": "Drift alerts", "datasource": DATASOURCE, "enable": True,
            "iconColor": "red",
            "expr": 'ALERTS{alertname=~"StreamDrifting|CityStreamsDrifting",alertstate="firing"}',
            "titleFormat": "{{alertname}}", "textFormat": "{{stream}}{{city}}",
            "step": "15s"}]},
        "panels": g.panels,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if the JSON is out of date")
    args = ap.parse_args()
    rendered = json.dumps(build(), indent=2, ensure_ascii=False) + "\n"
    if args.check:
        if not OUT.exists() or OUT.read_text(encoding="utf-8") != rendered:
            print(f"{OUT} is stale: run {__file__}", file=sys.stderr)
            return 1
        return 0
    OUT.write_text(rendered, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
