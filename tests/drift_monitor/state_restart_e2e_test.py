#!/usr/bin/python3
"""A stream's reference, pin and config survive a restart of the real drift-monitor
binary with the same --state_dir, over real gRPC on 127.0.0.1: a stream learns its
reference from synthetic JPEG frames, its window is pinned, drift-monitor is stopped
(SIGTERM) and started again; GetStream shows the same config, the pinned reference,
and frames of the pinned look judged against it at once. A damaged state file is
reported at start, kept as *.damaged, and its stream is not restored. A directory
that cannot be used stops drift-monitor with a message naming it.

  state_restart_e2e_test.py DRIFT_MONITOR STUBS_DIR
"""
import os
import pathlib
import subprocess
import sys
import tempfile
import unittest

import cv2
import grpc
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, start_service  # noqa: E402

DRIFT_MONITOR, STUBS = sys.argv[1:3]
sys.path.insert(0, STUBS)
from datafactory.drift.v1 import drift_monitor_pb2 as pb  # noqa: E402
from datafactory.drift.v1 import drift_monitor_pb2_grpc as pb_grpc  # noqa: E402


class Camera:
    """A fixed view: 8 x 6 blocks of distinct colours with a fixed texture, a little
    noise per frame; `gain_r` scales red as a white-balance change would (roughly:
    in encoded values)."""

    def __init__(self, seed):
        rng = np.random.default_rng(seed)
        colours = rng.uniform(40, 200, size=(6, 8, 3))
        self.base = np.kron(colours, np.ones((48, 48, 1)))  # 384 x 288
        self.base += rng.normal(0, 6, size=self.base.shape)  # texture: not flat
        self.rng = rng

    def frame(self, gain_r=1.0):
        image = self.base + self.rng.normal(0, 1.5, size=self.base.shape)
        image[..., 2] *= gain_r
        ok, jpeg = cv2.imencode(".jpg", np.clip(image, 0, 255).astype(np.uint8),
                                [cv2.IMWRITE_JPEG_QUALITY, 95])
        assert ok
        return jpeg.tobytes()


def ingest(stub, stream_id, frames):
    requests = (pb.Frame(stream_id=stream_id, encoded=f, sequence=i) for i, f in enumerate(frames))
    reports = list(stub.Ingest(requests, timeout=60))
    errors = [r.error.message for r in reports if r.HasField("error")]
    assert not errors, errors
    return reports


class StateRestartTest(unittest.TestCase):
    def test_reference_pin_and_config_survive_a_restart(self):
        state_dir = self.enterContext(tempfile.TemporaryDirectory(prefix="df-state-"))
        camera = Camera(7)
        config = pb.StreamConfig(reference_size=20, window_size=15, min_effect=0.03,
                                 raise_after=3, clear_after=9)
        with Processes() as procs:
            target = start_service(procs, "drift-monitor", DRIFT_MONITOR,
                                   f"--state_dir={state_dir}").grpc_target
            stub = pb_grpc.DriftMonitorStub(grpc.insecure_channel(target))
            stub.SetStreamConfig(pb.SetStreamConfigRequest(stream_id="door-1", config=config))
            # Another stream, to be damaged on disk before the restart.
            stub.SetStreamConfig(pb.SetStreamConfigRequest(stream_id="door-2", config=config))
            ingest(stub, "door-1", [camera.frame() for _ in range(25)])
            # The look after a firmware change, accepted as the new normal.
            ingest(stub, "door-1", [camera.frame(1.08) for _ in range(15)])
            pinned = stub.PinReference(pb.PinReferenceRequest(stream_id="door-1"))
            self.assertTrue(pinned.reference_pinned)
            self.assertEqual(pinned.reference_count, 15)
            procs.stop_all()  # SIGTERM: drained, pending saves written

        files = sorted(os.listdir(state_dir))
        self.assertEqual(files, ["door-1.state", "door-2.state"])
        damaged = pathlib.Path(state_dir, "door-2.state")
        data = bytearray(damaged.read_bytes())
        data[len(data) // 2] ^= 0x40
        damaged.write_bytes(bytes(data))

        with Processes() as procs:
            service = start_service(procs, "drift-monitor", DRIFT_MONITOR,
                                    f"--state_dir={state_dir}")
            stub = pb_grpc.DriftMonitorStub(grpc.insecure_channel(service.grpc_target))
            self.assertEqual(list(stub.ListStreams(pb.ListStreamsRequest()).stream_ids),
                             ["door-1"])
            state = stub.GetStream(pb.GetStreamRequest(stream_id="door-1"))
            self.assertTrue(state.reference_pinned)
            self.assertEqual(state.reference_count, 15)
            self.assertEqual(state.config.reference_size, 20)
            self.assertEqual(state.config.window_size, 15)
            self.assertAlmostEqual(state.config.min_effect, 0.03)
            self.assertEqual(state.config.raise_after, 3)
            self.assertEqual(state.config.clear_after, 9)
            # Judged against the restored reference from the first frame (a stream
            # learning its reference has no gain estimate, 0): the pinned look has
            # gains near 1.
            reports = ingest(stub, "door-1", [camera.frame(1.08) for _ in range(15)])
            for report in (reports[0], reports[-1]):
                self.assertEqual(report.frame_condition, "normal")
                gain = [f.value for f in report.features if f.name == "wb_gain_r"][0]
                self.assertAlmostEqual(gain, 1.0, delta=0.02)
            self.assertFalse(reports[-1].drift)
            state = stub.GetStream(pb.GetStreamRequest(stream_id="door-1"))
            self.assertEqual((state.reference_count, state.window_count), (15, 15))
            log = pathlib.Path(service.proc.log_path).read_text()
            self.assertIn(f"damaged stream state {damaged}: stream state record: checksum "
                          "mismatch", log)
            self.assertIn("restored 1 streams", log)
        self.assertTrue(pathlib.Path(state_dir, "door-2.state.damaged").exists())
        self.assertEqual(bytes(data), pathlib.Path(state_dir, "door-2.state.damaged").read_bytes())

    def test_an_unusable_state_dir_stops_it_naming_the_path(self):
        with tempfile.NamedTemporaryFile() as not_a_dir:
            out = subprocess.run(
                [DRIFT_MONITOR, "--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0",
                 f"--state_dir={not_a_dir.name}"], capture_output=True, text=True, timeout=30)
            self.assertNotEqual(out.returncode, 0)
            self.assertIn(f"state dir {not_a_dir.name}", out.stderr)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
