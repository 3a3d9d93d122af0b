#!/usr/bin/python3
"""Fairness: a victim camera's reply latency with and without an attacking client.

The victim is one Ingest call sending vtest.avi frames (JPEG q90) at --victim-fps;
its latency is the time from sending a frame to reading its report. Each scenario
runs for --seconds against a fresh drift-monitor at default flags:
  alone    the victim by itself;
  png      plus one client sending 6324 x 6324 PNGs (about 40 MP and 2 s of decoding
           each, within the decoder's limits) as fast as the server reads them;
  config   plus four clients calling SetStreamConfig with a new alpha each time and
           windows of 9,973 and 9,967 frames (coprime sizes: each call costs a K-S
           threshold computation of a few hundred milliseconds).
With --baseline-drift-monitor (another build, e.g. the main branch's) both binaries run
every scenario, alternating, and the table adds the ratio this / baseline of the p99.
--repeats N runs the whole set N times and prints each table and the spread of p99.

  fairness_benchmark.py --drift-monitor BIN --stubs DIR --video vtest.avi
      [--baseline-drift-monitor BIN] [--seconds 20] [--victim-fps 10] [--repeats 1]

Needs Debian's python3-grpcio and python3-opencv. Exit status 0, or 1 when the victim
lost a frame (a frame without its report), an attacker failed before the end of its
scenario, or a server did not start."""
import argparse
import math
import pathlib
import queue
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from processes import Processes, start_service  # noqa: E402
from server_cpu_benchmark import encoded_frames, spread  # noqa: E402


def attack_png():
    """A 6324 x 6324 PNG that compresses well but costs the full decode."""
    import cv2
    import numpy as np
    side = 6324
    ramp = (np.arange(side, dtype=np.uint32) * 255 // side).astype(np.uint8)
    bgr = np.dstack([np.tile(ramp, (side, 1)), np.tile(ramp[:, None], (1, side)),
                     np.full((side, side), 128, np.uint8)])
    return cv2.imencode(".png", bgr, [cv2.IMWRITE_PNG_COMPRESSION, 9])[1].tobytes()


def percentile(values, q):
    """Nearest rank, as df-load computes it."""
    values = sorted(values)
    return values[max(0, math.ceil(q * len(values)) - 1)]


def run_victim(stub, pb, jpegs, fps, seconds, stop):
    """Sends frames at `fps` for `seconds`; returns (latencies in ms, frames sent)."""
    sent_at = {}
    count = int(fps * seconds)

    def frames():
        start = time.monotonic()
        for i in range(count):
            delay = start + i / fps - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            sent_at[i] = time.monotonic()
            yield pb.Frame(stream_id="victim", sequence=i, encoded=jpegs[i % len(jpegs)])
        stop.set()

    latencies = []
    for report in stub.Ingest(frames(), timeout=seconds + 600):
        latencies.append(1000 * (time.monotonic() - sent_at[report.sequence]))
    return latencies, count


def png_attacker(stub, pb, png, stop, errors):
    def frames():
        i = 0
        while not stop.is_set():
            yield pb.Frame(stream_id="attacker", sequence=i, encoded=png)
            i += 1
    try:
        for _ in stub.Ingest(frames(), timeout=3600):
            pass
    except Exception as e:  # noqa: BLE001 - reported below; the end of the run cancels it
        if not stop.is_set():
            errors.put(f"png attacker: {e}")


def config_attacker(stub, pb, index, stop, errors):
    alpha = 0.001 + index * 1e-4
    try:
        while not stop.is_set():
            alpha += 1e-7  # a new alpha: a new threshold to compute
            config = pb.StreamConfig(alpha=alpha, reference_size=9973, window_size=9967)
            stub.SetStreamConfig(pb.SetStreamConfigRequest(stream_id=f"config-{index}",
                                                           config=config), timeout=600)
    except Exception as e:  # noqa: BLE001 - reported below; the end of the run cancels it
        if not stop.is_set():
            errors.put(f"config attacker {index}: {e}")


def scenario(binary, stubs, scenario_name, jpegs, png, fps, seconds):
    grpc, pb, pb_grpc = stubs
    with Processes() as procs:
        dm = start_service(procs, "drift-monitor", binary)
        with grpc.insecure_channel(dm.grpc_target) as channel:
            stub = pb_grpc.DriftMonitorStub(channel)
            stop, errors = threading.Event(), queue.Queue()
            attackers = []
            if scenario_name == "png":
                attackers.append(threading.Thread(target=png_attacker,
                                                  args=(stub, pb, png, stop, errors)))
            elif scenario_name == "config":
                attackers += [threading.Thread(target=config_attacker,
                                               args=(stub, pb, i, stop, errors))
                              for i in range(4)]
            for t in attackers:
                t.start()
            time.sleep(1 if attackers else 0)  # the attack is under way first
            latencies, sent = run_victim(stub, pb, jpegs, fps, seconds, stop)
            channel.close()  # ends the attackers' calls
            for t in attackers:
                t.join(timeout=60)
    if not errors.empty():  # the attack did not run as described: the row would mislead
        raise RuntimeError(f"{scenario_name}: {errors.get()}")
    if len(latencies) != sent:
        raise RuntimeError(f"{scenario_name}: victim sent {sent} frames, {len(latencies)} answered")
    return latencies


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drift-monitor", required=True)
    parser.add_argument("--baseline-drift-monitor")
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--video", required=True)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--victim-fps", type=float, default=10)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--scenarios", default="alone,png,config")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.stubs)
    import grpc
    from datafactory.drift.v1 import drift_monitor_pb2 as pb, drift_monitor_pb2_grpc as pb_grpc
    stubs = (grpc, pb, pb_grpc)
    jpegs, png = encoded_frames(args.video, 200), attack_png()
    print(f"victim: {args.victim_fps:g} fps for {args.seconds:g} s; attack PNG {len(png)} bytes")
    binaries = [("this", args.drift_monitor)]
    if args.baseline_drift_monitor:
        binaries.append(("baseline", args.baseline_drift_monitor))
    p99s = {}
    for repeat in range(args.repeats):
        rows = {}
        for name in args.scenarios.split(","):
            for label, binary in binaries:
                lat = scenario(binary, stubs, name, jpegs, png, args.victim_fps, args.seconds)
                rows[(name, label)] = (percentile(lat, 0.5), percentile(lat, 0.99), max(lat),
                                       len(lat))
                p99s.setdefault((name, label), []).append(rows[(name, label)][1])
        print(f"\nrepeat {repeat + 1} of {args.repeats}")
        head = f"{'scenario':>9} {'build':>9} {'p50 ms':>9} {'p99 ms':>9} {'max ms':>9} {'frames':>7}"
        print(head + (f" {'p99 this/baseline':>18}" if len(binaries) > 1 else ""))
        for name in args.scenarios.split(","):
            for label, _ in binaries:
                p50, p99, worst, n = rows[(name, label)]
                line = f"{name:>9} {label:>9} {p50:9.1f} {p99:9.1f} {worst:9.1f} {n:7d}"
                if len(binaries) > 1 and label == "this":
                    line += f" {p99 / rows[(name, 'baseline')][1]:17.3f}x"
                print(line)
    if args.repeats > 1:
        print("\np99 over the repeats (min / median / max), ms")
        for (name, label), values in p99s.items():
            print(f"{name:>9} {label:>9} {spread(values)}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except RuntimeError as e:
        print(f"fairness_benchmark: {e}", file=sys.stderr)
        sys.exit(1)
