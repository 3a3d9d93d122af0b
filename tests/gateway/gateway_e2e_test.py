#!/usr/bin/python3
"""lab-gateway end to end, over real HTTP against the real factory-sim and drift-monitor on
127.0.0.1 (ports 0, tests/harness/processes.py): transcoding with the protos' field names,
the gRPC -> HTTP status table with the backend's message unchanged, the gateway's own
refusals (sizes, unknown methods and calls, too many streams), streaming calls as
Server-Sent Events with requests written into them, a backend that is down, and SIGTERM
ending open streams with their "end" event.

  gateway_e2e_test.py --gateway G --factory-sim F --drift-monitor D --video vtest.avi
"""
import argparse
import http.client
import json
import pathlib
import queue
import signal
import sys
import tempfile
import threading
import unittest
import urllib.parse

import cv2

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "harness"))
import processes  # noqa: E402

ARGS = None
GATEWAY_ADDRESS = ("--http_address=127.0.0.1:0",)


class Gateway:
    def __init__(self, address):
        self.host, port = address.rsplit(":", 1)
        self.port = int(port)

    def request(self, method, path, body=None, content_type="application/json"):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=20)
        headers = {"Content-Type": content_type} if body is not None else {}
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        try:
            return response.status, json.loads(data)
        except ValueError:
            return response.status, data

    def post(self, method, body=None, **kw):
        return self.request("POST", f"/api/{method}", {} if body is None else body, **kw)

    def events(self, method, message=None):
        """Opens a streaming call; returns (queue of (event, data), the connection)."""
        path = f"/api/{method}"
        if message is not None:
            path += "?message=" + urllib.parse.quote(json.dumps(message))
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        conn.request("GET", path)
        response = conn.getresponse()
        events = queue.Queue()
        if response.status != 200:
            events.put(("refused", (response.status, json.loads(response.read()))))
            return events, conn

        def read():
            name = None
            try:
                while True:
                    line = response.readline()
                    if not line:
                        events.put(("closed", None))
                        return
                    line = line.decode().rstrip("\n")
                    if line.startswith("event: "):
                        name = line[7:]
                    elif line.startswith("data: "):
                        events.put((name, json.loads(line[6:])))
            except (OSError, ValueError, AttributeError) as e:  # AttributeError: closed
                events.put(("closed", str(e)))
        threading.Thread(target=read, daemon=True).start()
        return events, conn


def next_event(events, name=None, timeout=15):
    while True:
        event, data = events.get(timeout=timeout)
        if name is None or event == name:
            return event, data


def jpeg_frames(n):
    cap = cv2.VideoCapture(ARGS.video)
    frames = []
    while len(frames) < n:
        ok, image = cap.read()
        assert ok, "the sample video has too few frames"
        frames.append(cv2.imencode(".jpg", cv2.resize(image, (320, 240)))[1].tobytes())
    return frames


class GatewayCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="df-gateway-")
        cls.procs = processes.Processes()
        cls.procs.__enter__()
        try:
            cls.fs = processes.start_service(cls.procs, "factory-sim", ARGS.factory_sim,
                                             f"--audit_dir={cls.tmp.name}/audit")
            cls.dm = processes.start_service(cls.procs, "drift-monitor", ARGS.drift_monitor)
            cls.gw = processes.start_service(
                cls.procs, "lab-gateway", ARGS.gateway, f"--factory_sim={cls.fs.grpc_target}",
                f"--drift_monitor={cls.dm.grpc_target}", "--max_page_streams=2",
                "--max_request_kib=4", "--max_frame_kib=64", addresses=GATEWAY_ADDRESS)
        except Exception:
            cls.procs.print_log_tails()
            cls.procs.__exit__(None, None, None)
            raise
        cls.api = Gateway(cls.gw.fields["http"])

    @classmethod
    def tearDownClass(cls):
        cls.procs.__exit__(None, None, None)
        cls.tmp.cleanup()

    def assert_error(self, reply, http_status, grpc_status, message_part):
        status, body = reply
        self.assertEqual(status, http_status, body)
        self.assertEqual(body["status"], grpc_status, body)
        self.assertIn(message_part, body["message"])

    def test_unary_json_uses_the_proto_field_names_and_prints_defaults(self):
        status, body = self.api.post("factory/v1/Evaluate", {"selection": {"scenario": "act2"}})
        self.assertEqual(status, 200, body)
        report = body["report"]
        self.assertEqual(report["persona_label"], "Cloud Titan")
        self.assertEqual(report["levers"]["storage_tier"], "STORAGE_TIER_CLOUD_DISK")
        hunger = next(b for b in report["badges"] if b["id"] == "gpu_hunger_under_10pct")
        self.assertIs(hunger["ok"], False)  # a default value is sent, not omitted
        self.assertIn("gpu_idle_fraction", report["feeding_tax"])

    def test_backend_errors_keep_their_code_and_message(self):
        self.assert_error(self.api.post("factory/v1/Evaluate", {"selection": {
            "scenario": "act2", "set": ["dedup=0.9"]}}), 400, "INVALID_ARGUMENT",
            "lever dedup_fraction = 0.9 is out of range; allowed: 0 .. 0.5")
        self.assert_error(self.api.post("factory/v1/Evaluate", {"selection": {
            "scenario": "act4"}}), 404, "NOT_FOUND", 'unknown scenario "act4"')
        self.assert_error(self.api.post("drift/v1/GetStream", {"stream_id": "nobody"}), 404,
                          "NOT_FOUND", "stream_id 'nobody' is not known")

    def test_the_gateway_refuses_bad_requests_before_any_call(self):
        self.assert_error(self.api.post("factory/v1/Nope"), 404, "NOT_FOUND", "/api/factory/v1/Nope")
        self.assert_error(self.api.post("factory/v1/Evaluate", "{not json"), 400,
                          "INVALID_ARGUMENT", "request body")
        self.assert_error(self.api.post("factory/v1/Evaluate", {"sesion_id": "x"}), 400,
                          "INVALID_ARGUMENT", "sesion_id")
        self.assert_error(self.api.post("factory/v1/Evaluate", {"session_id": "x" * 5000}), 413,
                          "RESOURCE_EXHAUSTED", "--max_request_kib")
        self.assert_error(self.api.post("factory/v1/Evaluate", b"\xff" * 10,
                                        content_type="image/jpeg"), 400, "INVALID_ARGUMENT",
                          "no single bytes field")
        self.assert_error(self.api.request("GET", "/api/factory/v1/Evaluate"), 400,
                          "INVALID_ARGUMENT", "answers once")
        self.assert_error(self.api.post("drift/v1/Ingest"), 400, "INVALID_ARGUMENT",
                          "is a streaming call")
        self.assert_error(self.api.post("drift/v1/Ingest/" + "0" * 32, b"x",
                                        content_type="image/jpeg"), 404, "NOT_FOUND",
                          "no open call")

    def test_catalogue_lists_every_method_with_its_kind(self):
        status, body = self.api.request("GET", "/api")
        self.assertEqual(status, 200)
        kinds = {m["path"]: m["kind"] for m in body["methods"]}
        self.assertEqual(kinds["/api/factory/v1/Evaluate"], "unary")
        self.assertEqual(kinds["/api/factory/v1/StreamTelemetry"], "server_streaming")
        self.assertEqual(kinds["/api/drift/v1/Ingest"], "bidi_streaming")

    def test_frames_posted_into_an_ingest_call_come_back_as_reports(self):
        events, conn = self.api.events("drift/v1/Ingest")
        _, opened = next_event(events, "open")
        call = opened["call"]
        frames = jpeg_frames(3)
        for i, frame in enumerate(frames):
            status, body = self.api.request(
                "POST", f"/api/drift/v1/Ingest/{call}?stream_id=e2e-cam&sequence={i}"
                "&labels.city=lyon", frame, content_type="image/jpeg")
            self.assertEqual(status, 202, body)
        for i in range(3):
            _, report = next_event(events, "message")
            self.assertEqual(report["stream_id"], "e2e-cam")
            self.assertEqual(report["sequence"], str(i))
            self.assertEqual(report["frames_seen"], str(i + 1))
        self.assert_error(self.api.request("POST", f"/api/drift/v1/Ingest/{call}?stream_id=x",
                                           b"\0" * (65 * 1024), content_type="image/jpeg"),
                          413, "RESOURCE_EXHAUSTED", "--max_frame_kib")
        status, state = self.api.post("drift/v1/GetStream", {"stream_id": "e2e-cam"})
        self.assertEqual((status, state["labels"]), (200, {"city": "lyon"}))
        self.assertEqual(self.api.request("DELETE", f"/api/drift/v1/Ingest/{call}")[0], 200)
        _, end = next_event(events, "end")
        self.assertEqual(end["status"], "CANCELLED")
        conn.close()

    def test_a_live_run_takes_a_change_on_its_next_tick(self):
        events, conn = self.api.events("factory/v1/LiveRun", {"start": {
            "selection": {"scenario": "act2"}, "pace": {"tick_interval_ms": 50, "epochs": 1}}})
        call = next_event(events, "open")[1]["call"]
        self.assertLess(next_event(events, "message")[1]["gpu_utilization"], 0.2)
        status, _ = self.api.post(f"factory/v1/LiveRun/{call}",
                                  {"change": {"set": ["storage_tier=nvme"]}})
        self.assertEqual(status, 202)
        for _ in range(10):
            _, tick = next_event(events, "message")
            if tick["levers"]["storage_tier"] == "STORAGE_TIER_LOCAL_NVME":
                break
        self.assertEqual(tick["gpu_utilization"], 1)
        self.assertTrue(any(c["code"] == "lever_changed" for c in tick["consequences"]))
        self.api.request("DELETE", f"/api/factory/v1/LiveRun/{call}")
        conn.close()

    def test_a_stream_refused_by_its_backend_ends_with_the_backend_status(self):
        events, conn = self.api.events("factory/v1/StreamTelemetry", {
            "selection": {"scenario": "act2"}, "pace": {"tick_interval_ms": 70000}})
        next_event(events, "open")
        _, end = next_event(events, "end")
        self.assertEqual((end["code"], end["status"]), (3, "INVALID_ARGUMENT"))
        self.assertIn("pace.tick_interval_ms must be 0..60000", end["message"])
        conn.close()

    def test_page_streams_are_bounded(self):
        open_calls = []
        for _ in range(2):
            events, conn = self.api.events("drift/v1/Ingest")
            open_calls.append((next_event(events, "open")[1]["call"], conn))
        events, conn = self.api.events("drift/v1/Ingest")
        event, (status, body) = next_event(events)
        self.assertEqual((event, status, body["status"]), ("refused", 429, "RESOURCE_EXHAUSTED"))
        self.assertIn("--max_page_streams", body["message"])
        conn.close()
        for call, c in open_calls:
            self.api.request("DELETE", f"/api/drift/v1/Ingest/{call}")
            c.close()


class Lifecycle(unittest.TestCase):
    def test_a_backend_that_is_down_is_unavailable(self):
        with processes.Processes() as procs:
            gw = processes.start_service(
                procs, "lab-gateway", ARGS.gateway, f"--factory_sim=127.0.0.1:{processes.free_port()}",
                "--drift_monitor=127.0.0.1:1", "--call_timeout=3s", addresses=GATEWAY_ADDRESS)
            status, body = Gateway(gw.fields["http"]).post("factory/v1/ListScenarios")
            self.assertIn(status, (503, 504), body)
            self.assertIn(body["status"], ("UNAVAILABLE", "DEADLINE_EXCEEDED"))

    def test_sigterm_ends_open_streams_then_the_process(self):
        with tempfile.TemporaryDirectory() as tmp, processes.Processes() as procs:
            fs = processes.start_service(procs, "factory-sim", ARGS.factory_sim,
                                         f"--audit_dir={tmp}/audit")
            gw = processes.start_service(procs, "lab-gateway", ARGS.gateway,
                                         f"--factory_sim={fs.grpc_target}",
                                         addresses=GATEWAY_ADDRESS)
            events, conn = Gateway(gw.fields["http"]).events("factory/v1/LiveRun", {"start": {
                "selection": {"scenario": "act2"}, "pace": {"tick_interval_ms": 100}}})
            next_event(events, "message")
            gw.proc.send_signal(signal.SIGTERM)
            _, end = next_event(events, "end")
            self.assertEqual(end["status"], "CANCELLED")
            self.assertEqual(gw.proc.wait(timeout=20), 0)
            self.assertIn("lab-gateway: stopped", processes.log_text(gw.proc))
            conn.close()


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    for flag in ("--gateway", "--factory-sim", "--drift-monitor", "--video"):
        ap.add_argument(flag, required=True)
    ARGS = ap.parse_args()
    result = unittest.main(argv=sys.argv[:1], exit=False, verbosity=2).result
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
