#!/usr/bin/python3
"""Server CPU per frame: what one drift-monitor process spends on a frame when its
client runs in another process, against bare decode + features measured in the same
run.

drift_ingest_benchmark measures end-to-end frames/s with the client inside the same
process, so the client's encoding, serialising and sending shares the 2 cores with
the server. Here the real drift-monitor binary runs alone and a Python client
(another process) sends pre-encoded JPEGs (vtest.avi, quality 90) through one Ingest
call; the server's CPU time (utime + stime of every thread, from /proc) divided by
the frames gives its cost per frame, gRPC, metrics and detector included. The
baseline is drift_ingest_benchmark's single-thread bare runs (CPU time per frame).
  capacity = 1 / (server CPU per frame): frames/s one core sustains
  efficiency = bare CPU per frame (same decode, same scale) / server CPU per frame
With --baseline-drift-monitor (another build, e.g. the main branch's) both binaries
are measured in the same run, alternating, and the table adds baseline CPU per frame
and the ratio this / baseline. --repeats N measures every scale N times (binaries
alternating) and prints each repeat's table and the spread (min, median, max).

  server_cpu_benchmark.py --drift-monitor BIN --ingest-benchmark BIN --stubs DIR \\
      --video vtest.avi [--frames 3000] [--scales 1,2,4] [--bare-min-time 1]
      [--baseline-drift-monitor BIN] [--repeats 1]

Needs Debian's python3-grpcio and python3-opencv. Exit status 0, or 1 on a failure
(a frame without its report, a server that does not start)."""
import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, start_service  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """utime + stime of every thread of `pid` (fields 14 and 15 of /proc/PID/stat)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def bare_cpu_ms_per_frame(benchmark, video, scales, min_time):
    """{(kind, scale): CPU ms per frame} from drift_ingest_benchmark's 1-thread runs."""
    with tempfile.TemporaryDirectory(prefix="dm-bench-") as tmp:
        out_path = os.path.join(tmp, "bare.json")
        subprocess.run(
            [benchmark, "--benchmark_filter=BM_Bare(Service)?DecodeFeatures/scale:[0-9]+/"
             "real_time/threads:1$", f"--benchmark_min_time={min_time}", f"--benchmark_out={out_path}",
             "--benchmark_out_format=json"],
            env={**os.environ, "DF_SAMPLE_VIDEO": video}, capture_output=True, text=True,
            check=True)
        with open(out_path) as f:
            report = json.load(f)
    result = {}
    for b in report["benchmarks"]:
        kind = "service" if b["name"].startswith("BM_BareService") else "opencv"
        scale = int(b["name"].split("scale:")[1].split("/")[0])
        if scale in scales or scale == 1:
            per_ms = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[b["time_unit"]]
            result[(kind, scale)] = b["cpu_time"] * per_ms  # per iteration = per frame
    return result


def encoded_frames(video, limit):
    import cv2
    capture = cv2.VideoCapture(video)
    frames = []
    while len(frames) < limit:
        ok, bgr = capture.read()
        if not ok:
            break
        ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
        frames.append(jpeg.tobytes())
    if not frames:
        raise RuntimeError(f"no frames could be read from {video}")
    return frames


def ingest(stub, pb, stream, jpegs, count):
    """Sends `count` frames (cycling through `jpegs`) in one call; returns reports."""
    def requests():
        for i in range(count):
            yield pb.Frame(stream_id=stream, sequence=i, encoded=jpegs[i % len(jpegs)])
    reports = 0
    for report in stub.Ingest(requests(), timeout=600):
        if report.HasField("error"):
            raise RuntimeError(f"frame {report.sequence}: {report.error.message}")
        reports += 1
    if reports != count:
        raise RuntimeError(f"{count} frames sent, {reports} reports received")


def server_cpu_ms_per_frame(binary, stub_modules, jpegs, scale, frames):
    """The server's CPU ms per frame over one Ingest call of `frames` frames, and the
    frames/s the client reached."""
    grpc, pb, pb_grpc = stub_modules
    with Processes() as procs:
        dm = start_service(procs, "drift-monitor", binary, "--workers=2", f"--jpeg_scale={scale}")
        with grpc.insecure_channel(dm.grpc_target) as channel:
            stub = pb_grpc.DriftMonitorStub(channel)
            ingest(stub, pb, "warm-up", jpegs, 100)
            before, start = cpu_seconds(dm.proc.pid), time.monotonic()
            ingest(stub, pb, "bench", jpegs, frames)
            cpu, wall = cpu_seconds(dm.proc.pid) - before, time.monotonic() - start
    return 1000 * cpu / frames, frames / wall


def print_table(scales, server, baseline, bare, fps):
    opencv_full = bare[("opencv", 1)]
    head = f"{'scale':>6} {'server CPU':>11} {'capacity':>13} {'bare same':>10} {'efficiency':>10}"
    head += f" {'vs OpenCV full':>15}"
    if baseline:
        head += f" {'baseline CPU':>13} {'this/baseline':>13}"
    print(head)
    for scale in scales:
        server_ms, same_ms = server[scale], bare[("service", scale)]
        line = (f"{'1/' + str(scale):>6} {server_ms:8.3f} ms {1000 / server_ms:7.0f} fps/core "
                f"{same_ms:7.3f} ms {same_ms / server_ms:9.2f}x {opencv_full / server_ms:14.2f}x")
        if baseline:
            line += f" {baseline[scale]:10.3f} ms {server_ms / baseline[scale]:12.2f}x"
        print(line + f"   ({fps[scale]:.0f} fps with this client)")


def spread(values):
    values = sorted(values)
    return f"{values[0]:.3f} / {values[len(values) // 2]:.3f} / {values[-1]:.3f}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drift-monitor", required=True)
    parser.add_argument("--baseline-drift-monitor", help="another build measured alongside")
    parser.add_argument("--ingest-benchmark", required=True)
    parser.add_argument("--stubs", required=True)
    parser.add_argument("--video", required=True)
    parser.add_argument("--frames", type=int, default=3000)
    parser.add_argument("--scales", default="1,2,4")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--bare-min-time", type=float, default=1.0,
                        help="seconds per bare baseline run")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]

    sys.path.insert(0, args.stubs)
    import grpc
    from datafactory.drift.v1 import drift_monitor_pb2 as pb
    from datafactory.drift.v1 import drift_monitor_pb2_grpc as pb_grpc
    modules = (grpc, pb, pb_grpc)

    jpegs = encoded_frames(args.video, 795)
    print(f"{len(jpegs)} JPEG frames, mean {sum(map(len, jpegs)) / len(jpegs) / 1024:.1f} KiB; "
          f"{args.frames} frames per scale", flush=True)
    runs = []  # per repeat: (server, baseline, bare, fps)
    for repeat in range(args.repeats):
        bare = bare_cpu_ms_per_frame(args.ingest_benchmark, args.video, scales, args.bare_min_time)
        server, baseline, fps = {}, {}, {}
        for scale in scales:
            # Alternate which binary goes first, so a drift of the machine's load
            # does not always favour the same one.
            order = [("this", args.drift_monitor)]
            if args.baseline_drift_monitor:
                order.append(("baseline", args.baseline_drift_monitor))
                if repeat % 2:
                    order.reverse()
            for which, binary in order:
                ms, rate = server_cpu_ms_per_frame(binary, modules, jpegs, scale, args.frames)
                if which == "this":
                    server[scale], fps[scale] = ms, rate
                else:
                    baseline[scale] = ms
        print(f"\nrepeat {repeat + 1} of {args.repeats}")
        print_table(scales, server, baseline, bare, fps)
        runs.append((server, baseline, bare))
        sys.stdout.flush()
    if args.repeats > 1:
        print("\nspread over the repeats (min / median / max):")
        for scale in scales:
            line = (f"  1/{scale}: server CPU {spread([r[0][scale] for r in runs])} ms, efficiency "
                    f"{spread([r[2][('service', scale)] / r[0][scale] for r in runs])}")
            if args.baseline_drift_monitor:
                line += (f", baseline CPU {spread([r[1][scale] for r in runs])} ms, this/baseline "
                         f"{spread([r[0][scale] / r[1][scale] for r in runs])}")
            print(line)
    print("\nserver CPU: the drift-monitor process's CPU time per frame; bare same: the "
          "service's decode + features at that scale, 1 thread, no gRPC; vs OpenCV full: "
          "cv::imdecode at full scale + features, 1 thread (capacity per core against it); "
          "baseline CPU: the same for --baseline-drift-monitor, measured alongside.")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (RuntimeError, subprocess.CalledProcessError) as e:
        print(f"server_cpu_benchmark: {e}", file=sys.stderr)
        sys.exit(1)
