"""Gateway overhead figures for run_browser_suite.py --benchmark: the same calls made
directly over gRPC (grpcio, the baseline) and through lab-gateway over HTTP on loopback,
one at a time, with messages built from the protos (protoc --python_out at run time)."""
import http.client
import importlib
import json
import pathlib
import subprocess
import sys
import threading
import time
import urllib.parse

import cv2
import grpc

REPO = pathlib.Path(__file__).resolve().parents[2]


def load_protos(out_dir):
    """Python modules of both APIs' messages, generated into out_dir."""
    protos = ["datafactory/factory/v1/factory_sim.proto", "datafactory/drift/v1/drift_monitor.proto"]
    subprocess.run(["protoc", f"-I{REPO / 'proto'}", f"--python_out={out_dir}", *protos],
                   check=True)
    sys.path.insert(0, str(out_dir))
    factory = importlib.import_module("datafactory.factory.v1.factory_sim_pb2")
    drift = importlib.import_module("datafactory.drift.v1.drift_monitor_pb2")
    return factory, drift


def timed(fn, n):
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        fn(i)
        times.append(1000 * (time.perf_counter() - t0))
    return times


def jpeg_frames(video, n):
    cap = cv2.VideoCapture(str(video))
    frames = []
    while len(frames) < n:
        ok, image = cap.read()
        if not ok:
            cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            continue
        frames.append(cv2.imencode(".jpg", cv2.resize(image, (320, 240)),
                                   [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes())
    return frames


def measure(factory_target, drift_target, gateway, video, tmp, calls=200, frames=150):
    factory, drift = load_protos(tmp)
    figures = {}
    tiers = ["storage_tier=nvme", "storage_tier=ebs"]

    channel = grpc.insecure_channel(factory_target)
    evaluate = channel.unary_unary("/datafactory.factory.v1.FactorySim/Evaluate")
    requests = [factory.EvaluateRequest(selection=factory.LeverSelection(
        scenario="act2", set=[t])).SerializeToString() for t in tiers]
    evaluate(requests[0])  # connect
    figures["grpc_evaluate_ms"] = timed(lambda i: evaluate(requests[i % 2]), calls)

    host, port = gateway.rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port))
    bodies = [json.dumps({"selection": {"scenario": "act2", "set": [t]}}) for t in tiers]

    def post(i):
        conn.request("POST", "/api/factory/v1/Evaluate", body=bodies[i % 2],
                     headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        json.loads(r.read())
        assert r.status == 200
    post(0)
    figures["gateway_evaluate_ms"] = timed(post, calls)

    jpegs = jpeg_frames(video, frames)
    # gRPC: one Ingest call, one frame in flight at a time (as the page sends them).
    dm = grpc.insecure_channel(drift_target)
    ingest = dm.stream_stream("/datafactory.drift.v1.DriftMonitor/Ingest")
    outbox = []
    ready = threading.Condition()

    def requests_iter():
        i = 0
        while i < frames:
            with ready:
                ready.wait_for(lambda: len(outbox) > i)
            yield outbox[i]
            i += 1
    replies = ingest(requests_iter())
    grpc_times = []
    for i, jpeg in enumerate(jpegs):
        t0 = time.perf_counter()
        with ready:
            outbox.append(drift.Frame(stream_id="bench-grpc", sequence=i, encoded=jpeg)
                          .SerializeToString())
            ready.notify_all()
        next(replies)
        grpc_times.append(1000 * (time.perf_counter() - t0))
    figures["grpc_frame_report_ms"] = grpc_times

    # Gateway: the event stream of one Ingest call, frames POSTed into it.
    events = http.client.HTTPConnection(host, int(port))
    events.request("GET", "/api/drift/v1/Ingest")
    stream = events.getresponse()

    def next_data():
        while True:
            line = stream.readline().decode()
            if line.startswith("data: "):
                return json.loads(line[6:])
    call = next_data()["call"]
    gw_times = []
    for i, jpeg in enumerate(jpegs):
        t0 = time.perf_counter()
        conn.request("POST", f"/api/drift/v1/Ingest/{call}?stream_id=bench-gateway&sequence={i}",
                     body=jpeg, headers={"Content-Type": "image/jpeg"})
        r = conn.getresponse()
        r.read()
        assert r.status == 202
        assert next_data()["sequence"] == str(i)
        gw_times.append(1000 * (time.perf_counter() - t0))
    figures["gateway_frame_report_ms"] = gw_times
    conn.request("DELETE", f"/api/drift/v1/Ingest/{call}")
    conn.getresponse().read()
    events.close()
    conn.close()
    return figures


def median(values):
    s = sorted(values)
    return s[len(s) // 2] if s else float("nan")


def p90(values):
    s = sorted(values)
    return s[min(len(s) - 1, int(0.9 * len(s)))] if s else float("nan")


ROWS = [  # (figure, what, baseline)
    ("grpc_evaluate_ms", "Evaluate, gRPC direct", "grpc_evaluate_ms"),
    ("gateway_evaluate_ms", "Evaluate through the gateway (HTTP/JSON)", "grpc_evaluate_ms"),
    ("page_fetch_evaluate_ms", "Evaluate fetched by the page (no render)", "grpc_evaluate_ms"),
    ("lever_to_cards_ms", "lever change -> cards on screen (page)", "grpc_evaluate_ms"),
    ("grpc_frame_report_ms", "JPEG frame -> report, gRPC Ingest direct", "grpc_frame_report_ms"),
    ("gateway_frame_report_ms", "JPEG frame -> report through the gateway (POST + SSE)",
     "grpc_frame_report_ms"),
    ("frame_to_verdict_ms", "camera frame -> verdict on screen (page)", "grpc_frame_report_ms"),
]


def table(figures):
    lines = ["| measure | n | median ms | p90 ms | median / baseline |", "| --- | ---: | ---: | ---: | ---: |"]
    for key, what, base in ROWS:
        values = figures.get(key, [])
        ratio = median(values) / median(figures[base]) if figures.get(base) else float("nan")
        lines.append(f"| {what} | {len(values)} | {median(values):.2f} | {p90(values):.2f} | "
                     f"{ratio:.2f} |")
    return "\n".join(lines)
