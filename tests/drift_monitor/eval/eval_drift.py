#!/usr/bin/python3
"""Plays the evaluation corpus (corpus.py) through the real drift-monitor over gRPC
and prints a table per clip x condition: white-balance false alarms per 10,000
judged unaltered frames, detection delay (mean, max), the cause reported.

  eval_drift.py --drift-monitor BIN --stubs DIR [--corpus .cache/corpus]
      [--part tuning|heldout|all] [--quick] [--clips a,b] [--runs N]
      [--json OUT] [--markdown] [--check] [-- extra drift-monitor flags]

Every clip x condition is one stream (one Ingest call, JPEG quality 90, default
flags unless given after --). Per stream:
  judged unaltered  frames before the change (all frames for `unaltered`) that the
                    detector judged (its windows full: decisive features with a
                    statistic); their white-balance raises are false alarms
  delay             frames from the change to the first white-balance raise
                    (`drift_started`), for the conditions expecting white_balance
  cause             the first cause other than none reported after the change
                    (for unaltered: the nuisance causes seen, with counts)
A ramp's row also gives the red gain reached when drift was raised.
--check exits 1 unless the targets hold on what ran: no white-balance false alarm,
every gain change found within 150 frames, ramps found below +4 %, nuisance
conditions never reported as white balance and reported under their own cause.
Exit status: 0, or 1 (a failed --check, a server that does not start, a lost frame).
"""
import argparse
import collections
import json
import os
import pathlib
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1] / "harness"))
import corpus as corpus_lib  # noqa: E402
from processes import Processes, start_service  # noqa: E402

DECISIVE = ("wb_gain_r", "wb_gain_b")


def play(stub, pb, stream_id, source, condition):
    """Sends the stream and returns one record per frame."""
    def frames():
        for t in range(condition.length):
            yield pb.Frame(stream_id=stream_id, sequence=t, encoded=source.frame(t))

    records = []
    for r in stub.Ingest(frames(), timeout=3600):
        if r.HasField("error"):
            raise RuntimeError(f"{stream_id} frame {r.sequence}: {r.error.message}")
        feats = {f.name: f for f in r.features}
        judged = any(feats[n].ks_statistic > 0 or feats[n].effect_size > 0 for n in DECISIVE)
        records.append({
            "t": r.sequence, "drift": r.drift, "started": r.drift_started, "cause": r.cause,
            "condition": r.frame_condition, "judged": judged,
            "active": list(r.active_causes),
            "effect": max(feats[n].effect_size for n in DECISIVE),
            "d": max(feats[n].ks_statistic for n in DECISIVE),
            "uniformity": r.wb_uniformity,
        })
    if len(records) != condition.length:
        raise RuntimeError(f"{stream_id}: {condition.length} frames sent, {len(records)} reports")
    return records


def summarise(clip, condition, records):
    at = condition.change_at if condition.change_at >= 0 else condition.length
    before = records[:at]
    row = {
        "part": clip.part, "clip": clip.name, "condition": condition.name,
        "expected": condition.expected, "frames": len(records),
        "judged_unaltered": sum(r["judged"] for r in before),
        "false_alarms": sum(r["started"] for r in before),
        "excluded": dict(collections.Counter(r["condition"] for r in records
                                             if r["condition"] != "normal")),
        "delay": None, "cause": "", "wb_after_change": False, "gain_at_detection": None,
    }
    if condition.change_at < 0:
        causes = collections.Counter()
        for prev, r in zip([{"active": []}] + records, records):
            for c in set(r["active"]) - set(prev["active"]):
                causes[c] += 1
        row["cause"] = ", ".join(f"{c} x{n}" for c, n in sorted(causes.items())) or "none"
        return row
    after = records[at:]
    for r in after:
        if r["started"] or (r["drift"] and r is after[0]):
            row["delay"] = r["t"] - at + 1
            if condition.kind == "ramp":
                row["gain_at_detection"] = corpus_lib.ramp_gain(condition, r["t"]) - 1
            break
    row["wb_after_change"] = any(r["drift"] for r in after)
    first = next((r["cause"] for r in after if r["cause"] != "none"), "none")
    row["cause"] = first
    return row


def aggregate(rows):
    """Rows of the same part x clip x condition (several runs) into one."""
    groups = collections.OrderedDict()
    for row in rows:
        groups.setdefault((row["part"], row["clip"], row["condition"]), []).append(row)
    out = []
    for (part, clip, cond), group in groups.items():
        delays = [r["delay"] for r in group if r["delay"] is not None]
        causes = collections.Counter(r["cause"] for r in group)
        out.append({
            "part": part, "clip": clip, "condition": cond, "expected": group[0]["expected"],
            "runs": len(group), "frames": sum(r["frames"] for r in group),
            "judged_unaltered": sum(r["judged_unaltered"] for r in group),
            "false_alarms": sum(r["false_alarms"] for r in group),
            "found": len(delays),
            "delay_mean": sum(delays) / len(delays) if delays else None,
            "delay_max": max(delays) if delays else None,
            "gain_at_detection": max((r["gain_at_detection"] for r in group
                                      if r["gain_at_detection"] is not None), default=None),
            "wb_after_change": sum(r["wb_after_change"] for r in group),
            "cause": "; ".join(f"{c}" + (f" ({n}/{len(group)})" if len(causes) > 1 else "")
                               for c, n in causes.most_common()),
        })
    return out


def table(rows, markdown):
    head = ["part", "clip", "condition", "runs", "frames", "judged unaltered", "WB false alarms",
            "per 10k", "found", "delay mean", "delay max", "cause reported"]
    lines = []
    fmt = (lambda cells: "| " + " | ".join(cells) + " |") if markdown else \
        (lambda cells: "  ".join(f"{c:>{w}}" for c, w in zip(cells, widths)))
    widths = [7, 14, 16, 4, 6, 8, 6, 7, 5, 6, 5, 30]
    lines.append(fmt(head))
    if markdown:
        lines.append("| " + " | ".join("---" for _ in head) + " |")
    for r in rows:
        per10k = 1e4 * r["false_alarms"] / r["judged_unaltered"] if r["judged_unaltered"] else 0
        expects_wb = r["expected"] == "white_balance"
        found = f"{r['found']}/{r['runs']}" if expects_wb else "-"
        mean = f"{r['delay_mean']:.0f}" if expects_wb and r["delay_mean"] is not None else "-"
        worst = f"{r['delay_max']}" if expects_wb and r["delay_max"] is not None else "-"
        cause = r["cause"]
        if r["gain_at_detection"] is not None:
            cause += f" at +{100 * r['gain_at_detection']:.1f} %"
        if not expects_wb and r["expected"] != "none" and r["wb_after_change"]:
            cause += f" (WB raised in {r['wb_after_change']})"
        lines.append(fmt([r["part"], r["clip"], r["condition"], str(r["runs"]), str(r["frames"]),
                          str(r["judged_unaltered"]), str(r["false_alarms"]), f"{per10k:.2f}",
                          found, mean, worst, cause]))
    return "\n".join(lines)


def totals(rows):
    out = {}
    for part in sorted({r["part"] for r in rows}):
        rs = [r for r in rows if r["part"] == part]
        shifts = [r for r in rs if r["expected"] == "white_balance"]
        out[part] = {
            "judged_unaltered": sum(r["judged_unaltered"] for r in rs),
            "false_alarms": sum(r["false_alarms"] for r in rs),
            "changes": sum(r["runs"] for r in shifts),
            "found": sum(r["found"] for r in shifts),
            "found_within_150": None,
        }
    return out


def check(raw_rows, clips_by_name):
    problems = []
    for r in raw_rows:
        where = f"{r['clip']} / {r['condition']}"
        if r["false_alarms"]:
            problems.append(f"{where}: {r['false_alarms']} white-balance false alarm(s)")
        if r["expected"] == "white_balance":
            if r["delay"] is None or r["delay"] > 150:
                problems.append(f"{where}: change found after {r['delay']} frames (target 150)")
            if r["gain_at_detection"] is not None and r["gain_at_detection"] >= 0.04:
                problems.append(f"{where}: ramp found at +{100 * r['gain_at_detection']:.1f} %")
        elif r["expected"] != "none":
            if r["wb_after_change"]:
                problems.append(f"{where}: reported as white-balance drift")
            if r["cause"] != r["expected"]:
                problems.append(f"{where}: cause {r['cause']}, expected {r['expected']}")
    return problems


def main(argv):
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[:argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drift-monitor", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--corpus", default=str(HERE.parents[2] / ".cache" / "corpus"))
    parser.add_argument("--part", default="all", choices=["tuning", "heldout", "all"])
    parser.add_argument("--clips", default="", help="comma-separated clip names (default all)")
    parser.add_argument("--conditions", default="", help="comma-separated condition names")
    parser.add_argument("--quick", action="store_true", help="shorter streams, fewer conditions")
    parser.add_argument("--runs", type=int, default=1, help="runs per clip x condition")
    parser.add_argument("--json", help="write every per-stream row (and per-frame records "
                        "of the unaltered frames, for calibrate.py) here")
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    sys.path.insert(0, args.stubs)
    import grpc
    from datafactory.drift.v1 import drift_monitor_pb2 as pb
    from datafactory.drift.v1 import drift_monitor_pb2_grpc as pb_grpc

    clips = [c for c in corpus_lib.clips(args.corpus)
             if (args.part == "all" or c.part == args.part)
             and (not args.clips or c.name in args.clips.split(","))]
    sources = corpus_lib.Sources(args.corpus)
    raw, records_out = [], []
    start = time.monotonic()
    with Processes() as procs:
        dm = start_service(procs, "drift-monitor", args.drift_monitor, "--workers=2", *extra)
        with grpc.insecure_channel(dm.grpc_target) as channel:
            stub = pb_grpc.DriftMonitorStub(channel)
            for clip in clips:
                for condition in corpus_lib.conditions(clip.kind, args.quick):
                    if args.conditions and condition.name not in args.conditions.split(","):
                        continue
                    for run in range(args.runs):
                        stream_id = "".join(ch if ch.isalnum() else "-" for ch in
                                            f"{clip.name}-{condition.name}-{run}")[:64]
                        records = play(stub, pb, stream_id, sources.stream(clip, condition, run),
                                       condition)
                        row = summarise(clip, condition, records)
                        raw.append(row)
                        at = condition.change_at if condition.change_at >= 0 else len(records)
                        records_out.append({"part": clip.part, "clip": clip.name,
                                            "condition": condition.name, "run": run,
                                            "frames": [[r["judged"], r["condition"] == "normal",
                                                        round(r["effect"], 6), round(r["d"], 4)]
                                                       for r in records[:at]]})
                        print(f"  {clip.part} {clip.name} / {condition.name} #{run}: "
                              f"{row['judged_unaltered']} judged, {row['false_alarms']} false "
                              f"alarms, delay {row['delay']}, cause {row['cause']} "
                              f"[{time.monotonic() - start:.0f} s]", file=sys.stderr, flush=True)
    rows = aggregate(raw)
    for part in ("tuning", "heldout"):
        part_rows = [r for r in rows if r["part"] == part]
        if not part_rows:
            continue
        t = totals(part_rows)[part]
        print(f"\n{part}: {t['judged_unaltered']} judged unaltered frames, "
              f"{t['false_alarms']} white-balance false alarms; "
              f"{t['found']}/{t['changes']} white-balance changes found\n")
        print(table(part_rows, args.markdown))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": raw, "records": records_out, "flags": extra}, f)
    if args.check:
        problems = check(raw, {c.name: c for c in clips})
        for p in problems:
            print(f"FAIL {p}")
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except RuntimeError as e:
        print(f"eval_drift: {e}", file=sys.stderr)
        sys.exit(1)
