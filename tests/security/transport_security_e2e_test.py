#!/usr/bin/python3
"""Transport security end to end: both services with TLS (factory-sim with mutual TLS),
a bearer token on state-changing calls and /metrics behind basic authentication, against the real clients (factory-cli, camera-feeder, the Python
client) and raw grpcio channels. The certificates come from a throw-away CA that
`openssl` makes in a temporary folder at test time; nothing secret is in the repo.

  transport_security_e2e_test.py FACTORY_SIM DRIFT_MONITOR FACTORY_CLI CAMERA_FEEDER \
      PY_CLIENT STUBS_DIR VIDEO
"""
import base64
import json
import pathlib
import subprocess
import sys
import tempfile
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, log_text, start_service  # noqa: E402

FACTORY_SIM, DRIFT_MONITOR, FACTORY_CLI, CAMERA_FEEDER, PY_CLIENT, STUBS, VIDEO, GATEWAY = sys.argv[1:9]
sys.path.insert(0, STUBS)
import grpc  # noqa: E402
from datafactory.drift.v1 import drift_monitor_pb2 as pb  # noqa: E402
from datafactory.drift.v1 import drift_monitor_pb2_grpc as pb_grpc  # noqa: E402

TOKEN = "df-test-token-0123456789abcdef"
HEALTH_CHECK = "/grpc.health.v1.Health/Check"


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_pki(folder):
    """Two CAs (the right one and a stranger), a server certificate for 127.0.0.1 and
    localhost and a client certificate, all signed by the right CA (EC P-256, 1 day)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca in ("ca", "other-ca"):
        openssl("req", "-x509", *ec, "-keyout", f"{ca}.key", "-out", f"{ca}.pem", "-days", "1",
                "-subj", f"/CN=Data Factory test {ca}",
                "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=folder)
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                 "extendedKeyUsage=serverAuth\n"),
                      ("client", "extendedKeyUsage=clientAuth\n")):
        (folder / f"{name}.ext").write_text(ext)
        openssl("req", *ec, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                "-subj", f"/CN=df-test-{name}", cwd=folder)
        openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "1", "-extfile", f"{name}.ext",
                "-out", f"{name}.pem", cwd=folder)
    (folder / "token").write_text(TOKEN + "\n")
    (folder / "wrong-token").write_text("not-the-token-0123456789\n")
    (folder / "metrics-auth").write_text("prometheus:scrape-secret\n")


def tls_credentials(pki, ca="ca.pem", client_cert=False, token=None):
    creds = grpc.ssl_channel_credentials(
        root_certificates=(pki / ca).read_bytes(),
        private_key=(pki / "client.key").read_bytes() if client_cert else None,
        certificate_chain=(pki / "client.pem").read_bytes() if client_cert else None)
    if token:
        creds = grpc.composite_channel_credentials(
            creds, grpc.access_token_call_credentials(token))
    return creds


def frames(count, stream="tls-door"):
    import cv2
    capture = cv2.VideoCapture(VIDEO)
    for i in range(count):
        ok, bgr = capture.read()
        assert ok
        ok, jpeg = cv2.imencode(".jpg", bgr)
        yield pb.Frame(stream_id=stream, sequence=i, encoded=jpeg.tobytes())


class TransportSecurityTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="df-pki-")
        cls.pki = pathlib.Path(cls.tmp.name)
        make_pki(cls.pki)
        cls.procs = Processes().__enter__()
        p = cls.pki
        cls.drift = start_service(
            cls.procs, "drift-monitor", DRIFT_MONITOR, "--workers=2",
            f"--tls_cert={p / 'server.pem'}", f"--tls_key={p / 'server.key'}",
            f"--token_file={p / 'token'}", "--health_address=127.0.0.1:0",
            f"--metrics_basic_auth_file={p / 'metrics-auth'}")
        cls.factory = start_service(
            cls.procs, "factory-sim", FACTORY_SIM, f"--audit_dir={p / 'audit'}",
            f"--tls_cert={p / 'server.pem'}", f"--tls_key={p / 'server.key'}",
            f"--tls_client_ca={p / 'ca.pem'}", f"--token_file={p / 'token'}")

    @classmethod
    def tearDownClass(cls):
        cls.procs.__exit__(None, None, None)
        cls.tmp.cleanup()

    def drift_stub(self, credentials=None, plaintext=False):
        target = self.drift.grpc_target
        channel = (grpc.insecure_channel(target) if plaintext
                   else grpc.secure_channel(target, credentials))
        self.addCleanup(channel.close)
        return pb_grpc.DriftMonitorStub(channel), channel

    def assert_code(self, code, call, *args, **kwargs):
        with self.assertRaises(grpc.RpcError) as caught:
            result = call(*args, timeout=10, **kwargs)
            if hasattr(result, "__iter__"):
                list(result)
        self.assertEqual(caught.exception.code(), code, caught.exception.details())
        return caught.exception.details()

    def factory_cli(self, *args, client_cert=True, token=True, ca="ca.pem"):
        p = self.pki
        flags = [f"--target={self.factory.grpc_target}", f"--tls_ca={p / ca}"]
        if client_cert:
            flags += [f"--tls_cert={p / 'client.pem'}", f"--tls_key={p / 'client.key'}"]
        if token:
            flags.append(f"--token_file={p / 'token'}")
        return subprocess.run([FACTORY_CLI, *args, *flags], capture_output=True, text=True,
                              timeout=60)

    def test_start_lines_announce_tls_and_token(self):
        self.assertEqual(self.drift.fields.get("tls"), "on")
        self.assertEqual(self.drift.fields.get("token"), "required")
        self.assertEqual(self.factory.fields.get("tls"), "mutual")

    def test_tls_with_token_answers_every_frame(self):
        stub, _ = self.drift_stub(tls_credentials(self.pki, token=TOKEN))
        reports = list(stub.Ingest(frames(12), timeout=60))
        self.assertEqual(len(reports), 12)
        self.assertFalse(any(r.HasField("error") for r in reports), reports[0])
        state = stub.ResetReference(pb.ResetReferenceRequest(stream_id="tls-door"), timeout=10)
        self.assertEqual(state.stream_id, "tls-door")

    def test_state_changing_calls_without_token_are_unauthenticated(self):
        stub, _ = self.drift_stub(tls_credentials(self.pki))
        details = self.assert_code(grpc.StatusCode.UNAUTHENTICATED, stub.Ingest, frames(1))
        self.assertIn("Ingest changes state and needs a bearer token", details)
        self.assertNotIn(TOKEN, details)
        for call, request in ((stub.PinReference, pb.PinReferenceRequest(stream_id="x")),
                              (stub.ResetReference, pb.ResetReferenceRequest(stream_id="x")),
                              (stub.SetStreamConfig, pb.SetStreamConfigRequest(
                                  stream_id="x", config=pb.StreamConfig(min_effect=0.99)))):
            self.assert_code(grpc.StatusCode.UNAUTHENTICATED, call, request)

    def test_wrong_token_is_permission_denied(self):
        stub, _ = self.drift_stub(tls_credentials(self.pki, token="not-the-token-0123456789"))
        details = self.assert_code(grpc.StatusCode.PERMISSION_DENIED, stub.SetStreamConfig,
                                   pb.SetStreamConfigRequest(stream_id="x"))
        self.assertIn("SetStreamConfig: the bearer token is not the one", details)

    def test_read_only_calls_and_health_need_no_token(self):
        stub, channel = self.drift_stub(tls_credentials(self.pki))
        stub.ListStreams(pb.ListStreamsRequest(), timeout=10)
        # grpc.health.v1.Health/Check with an empty request: status SERVING (field 1 = 1).
        check = channel.unary_unary(HEALTH_CHECK)
        self.assertEqual(check(b"", timeout=10), b"\x08\x01")

    def test_plaintext_health_port_serves_health_only(self):
        channel = grpc.insecure_channel(self.drift.fields["health"])
        self.addCleanup(channel.close)
        self.assertEqual(channel.unary_unary(HEALTH_CHECK)(b"", timeout=10), b"\x08\x01")
        stub = pb_grpc.DriftMonitorStub(channel)
        self.assert_code(grpc.StatusCode.UNIMPLEMENTED, stub.ListStreams,
                         pb.ListStreamsRequest())

    def test_plaintext_client_is_refused(self):
        stub, _ = self.drift_stub(plaintext=True)
        self.assert_code(grpc.StatusCode.UNAVAILABLE, stub.ListStreams, pb.ListStreamsRequest())

    def test_client_trusting_another_ca_is_refused(self):
        stub, _ = self.drift_stub(tls_credentials(self.pki, ca="other-ca.pem", token=TOKEN))
        self.assert_code(grpc.StatusCode.UNAVAILABLE, stub.ListStreams, pb.ListStreamsRequest())

    def test_camera_feeder_over_tls(self):
        p = self.pki
        base = [CAMERA_FEEDER, f"--target={self.drift.grpc_target}", f"--video={VIDEO}",
                "--stream=tls-feeder", "--max_frames=20", f"--tls_ca={p / 'ca.pem'}"]
        ok = subprocess.run(base + [f"--token_file={p / 'token'}"], capture_output=True,
                            text=True, timeout=120)
        self.assertEqual(ok.returncode, 0, ok.stdout + ok.stderr)
        refused = subprocess.run(base, capture_output=True, text=True, timeout=120)
        self.assertEqual(refused.returncode, 3, refused.stdout + refused.stderr)
        self.assertIn("needs a bearer token", refused.stderr)

    def test_python_client_over_tls(self):
        p = self.pki
        out = subprocess.run(
            [sys.executable, PY_CLIENT, "--stubs", STUBS, "--target", self.drift.grpc_target,
             "--video", VIDEO, "--stream", "py-tls", "--limit", "20",
             "--tls-ca", str(p / "ca.pem"), "--token-file", str(p / "token")],
            capture_output=True, text=True, timeout=120)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        self.assertIn("summary: answered=20", out.stdout)

    def test_mutual_tls_with_token(self):
        out = self.factory_cli("rationale", "--session=tls", "--text=NVMe keeps the GPUs fed")
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        audit = self.factory_cli("audit", "--session=tls", token=False)  # a read: no token
        self.assertEqual(audit.returncode, 0, audit.stdout + audit.stderr)
        self.assertIn("NVMe keeps the GPUs fed", audit.stdout)

    def test_mutual_tls_without_client_certificate_is_refused(self):
        out = self.factory_cli("scenarios", client_cert=False)
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("cannot reach factory-sim", out.stderr)

    def test_factory_reads_are_open_and_recording_needs_the_token(self):
        read = self.factory_cli("evaluate", "--scenario=act1", "--json", token=False)
        self.assertEqual(read.returncode, 0, read.stdout + read.stderr)
        recorded = self.factory_cli("evaluate", "--scenario=act1", "--session=s1", token=False)
        self.assertEqual(recorded.returncode, 1, recorded.stdout + recorded.stderr)
        self.assertIn("Evaluate with a session_id changes state and needs a bearer token",
                      recorded.stderr)
        live = self.factory_cli("watch", "--scenario=act1", "--change_after=1",
                                "--change=storage_tier=nvme", token=False)
        self.assertEqual(live.returncode, 1, live.stdout + live.stderr)
        self.assertIn("LiveRun changes state", live.stderr)

    def gateway(self, *flags):
        """lab-gateway in front of both services, with the clients' TLS flags `flags`."""
        gw = start_service(self.procs, "lab-gateway", GATEWAY,
                           f"--factory_sim={self.factory.grpc_target}",
                           f"--drift_monitor={self.drift.grpc_target}", *flags,
                           addresses=("--http_address=127.0.0.1:0",))
        self.addCleanup(gw.proc.terminate)
        return f"http://{gw.fields['http']}"

    def post_json(self, url, body):
        request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as reply:
                return reply.status, json.loads(reply.read() or b"{}")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def test_gateway_reaches_tls_services_and_sends_the_token(self):
        p = self.pki
        tls = [f"--tls_ca={p / 'ca.pem'}", f"--tls_cert={p / 'client.pem'}",
               f"--tls_key={p / 'client.key'}"]
        recorded = {"session_id": "gw1", "selection": {"scenario": "act2"}}
        with_token = self.gateway(*tls, f"--token_file={p / 'token'}")
        status, reply = self.post_json(f"{with_token}/api/factory/v1/Evaluate", recorded)
        self.assertEqual(status, 200, reply)
        self.assertIn("report", reply)
        without_token = self.gateway(*tls)
        status, reply = self.post_json(f"{without_token}/api/factory/v1/Evaluate", recorded)
        self.assertEqual(status, 401, reply)
        self.assertIn("needs a bearer token", json.dumps(reply))
        status, reply = self.post_json(f"{without_token}/api/factory/v1/Evaluate",
                                       {"selection": {"scenario": "act2"}})
        self.assertEqual(status, 200, reply)  # read-only: no token needed

    def metrics(self, auth=None):
        request = urllib.request.Request(f"http://127.0.0.1:{self.drift.metrics_port}/metrics")
        if auth:
            request.add_header("Authorization",
                               "Basic " + base64.b64encode(auth.encode()).decode())
        return urllib.request.urlopen(request, timeout=10)

    def test_metrics_behind_basic_auth(self):
        with self.metrics("prometheus:scrape-secret") as response:
            self.assertIn("drift_monitor_", response.read().decode())
        for auth in (None, "prometheus:wrong", "someone:scrape-secret"):
            with self.assertRaises(urllib.error.HTTPError) as caught:
                self.metrics(auth)
            self.assertEqual(caught.exception.code, 401, auth)


class StartUpRefusalTest(unittest.TestCase):
    def run_service(self, binary, *flags):
        return subprocess.run([binary, "--grpc_address=127.0.0.1:0",
                               "--metrics_address=none", *flags],
                              capture_output=True, text=True, timeout=60)

    def test_token_without_tls_is_refused_at_start(self):
        with tempfile.TemporaryDirectory() as tmp:
            token = pathlib.Path(tmp) / "token"
            token.write_text(TOKEN)
            out = self.run_service(DRIFT_MONITOR, f"--token_file={token}")
            self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
            self.assertIn("--token_file needs --tls_cert and --tls_key", out.stderr)
            out = self.run_service(FACTORY_SIM, f"--audit_dir={tmp}/audit",
                                   f"--tls_cert={tmp}/missing.pem", f"--tls_key={tmp}/k")
            self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
            self.assertIn("--tls_cert: cannot read", out.stderr)

    def test_certificate_without_key_is_refused_at_start(self):
        out = self.run_service(DRIFT_MONITOR, "--tls_cert=/nonexistent.pem")
        self.assertEqual(out.returncode, 1, out.stdout + out.stderr)
        self.assertIn("--tls_cert needs --tls_key", out.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
