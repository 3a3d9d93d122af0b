#!/usr/bin/python3
"""Prints every number of every act's report that differs between two factory-sim binaries
(for instance a release build of main and of a change), side by side, and Act III's verdicts
over an alpha sweep. Both binaries are started on 127.0.0.1:0 and asked through the same
Python stubs: the proto is wire-compatible, so the newer stubs read the older binary.

usage: compare_reports.py OLD_FACTORY_SIM NEW_FACTORY_SIM PYTHON_STUBS_DIR [--all]

  --all   print unchanged numbers too
Output: one Markdown table per scenario (number | old | new), then the alpha sweep.
"""
import argparse
import os
import pathlib
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
import processes  # noqa: E402

SCENARIOS = ["act1", "act1_snowball", "act2", "act2_nvme", "act3"]
ALPHAS = [1e-12, 1e-9, 1e-6, 1e-4, 1e-3, 5e-3, 1e-2, 0.05, 0.1, 0.5]


def numbers(report):
    """(name, value) of every number and verdict a student sees in a report."""
    out = []
    for b in report.badges:
        out.append((f"badge {b.id} value", b.value))
        out.append((f"badge {b.id} threshold", b.threshold))
        out.append((f"badge {b.id} ok", b.ok))
        out.append((f"badge {b.id} not evaluated", b.not_evaluated))
    for c in report.ledger:
        out.append((f"card {c.id} value", c.value))
        out.append((f"card {c.id} display", c.display))
        out.append((f"card {c.id} title", c.title))
    for p in report.transfer_plans:
        name = ("fiber", "shipped", "move compute")[p.method - 1]
        out += [(f"plan {name} days", p.seconds / 86400),
                (f"plan {name} job days", p.job_seconds / 86400),
                (f"plan {name} cost", p.cost_dollars),
                (f"plan {name} unpriced items", len(p.unpriced)),
                (f"plan {name} devices", p.devices), (f"plan {name} meets deadline",
                                                      p.meets_deadline)]
    w = report.waterfall
    out += [("waterfall disk io s", w.disk_io_seconds), ("waterfall network s", w.network_seconds),
            ("waterfall gpu math s", w.gpu_math_seconds), ("waterfall stall s", w.stall_seconds),
            ("waterfall overlapped s", w.epoch_overlapped_seconds),
            ("waterfall serial s", w.epoch_serial_seconds)]
    e = report.energy
    out += [("energy move J", e.move_joules), ("energy compute J", e.compute_joules),
            ("energy move/compute", e.move_to_compute_ratio),
            ("energy per operand / per operation", e.operand_to_operation_ratio),
            ("energy GPU boards J", e.gpu_board_joules)]
    m = report.money
    out += [("money storage $/month", m.storage_dollars_per_month),
            ("money idle GPUs $/epoch", m.idle_gpu_dollars_per_epoch)]
    t = report.feeding_tax
    out += [("demand B/s", t.demand_bytes_per_s), ("supply B/s", t.supply_bytes_per_s),
            ("GPU idle", t.gpu_idle_fraction)]
    d = report.drift
    out += [("drift detected", d.detected), ("drift evaluated", d.evaluated),
            ("drift strongest D", d.ks_statistic), ("drift strongest p", d.p_value),
            ("drift cities", len(d.cities))]
    out.append(("consequence codes", " ".join(c.code for c in report.consequences)))
    return out


def fmt(value):
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("stubs")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, args.stubs)
    import grpc
    from datafactory.factory.v1 import factory_sim_pb2 as pb
    from datafactory.factory.v1 import factory_sim_pb2_grpc as pb_grpc

    with tempfile.TemporaryDirectory() as work, processes.Processes(log_dir=work) as procs:
        stubs = {}
        for label, binary in (("old", args.old), ("new", args.new)):
            target = processes.start_service(
                procs, "factory-sim", binary,
                "--audit_dir=" + os.path.join(work, label)).grpc_target
            stubs[label] = pb_grpc.FactorySimStub(grpc.insecure_channel(target))

        def evaluate(label, scenario, *settings):
            request = pb.EvaluateRequest(selection=pb.LeverSelection(scenario=scenario,
                                                                     set=list(settings)))
            return stubs[label].Evaluate(request, timeout=30).report

        for scenario in SCENARIOS:
            old = dict(numbers(evaluate("old", scenario)))
            new = numbers(evaluate("new", scenario))
            print(f"\n### {scenario}\n\n| number | old | new |\n| --- | ---: | ---: |")
            for name, value in new:
                before = old.get(name)
                if args.all or before != value:
                    print(f"| {name} | {fmt(before)} | {fmt(value)} |")

        print("\n### act3: the drift verdict as alpha moves\n")
        print("| alpha | old: cities flagged | new: Lakewood | new: Fairview (control) |")
        print("| ---: | :---: | :---: | :---: |")
        for alpha in ALPHAS:
            setting = f"alpha={alpha:g}"
            old = evaluate("old", "act3", setting).drift
            new = evaluate("new", "act3", setting).drift
            old_flagged = old.detail.split(" of ")[0].replace("drift in ", "") \
                if old.detected else "0"
            verdict = {True: "DRIFT", False: "quiet"}
            print(f"| {alpha:g} | {old_flagged} | {verdict[new.cities[0].detected]} | "
                  f"{verdict[new.cities[1].detected]} |")


if __name__ == "__main__":
    main()
