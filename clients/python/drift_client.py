#!/usr/bin/python3
"""Example drift-monitor client in Python: the same gRPC API from another language.

Streams frames of a video (OpenCV) to the drift monitor, applies a simulated
firmware white-balance change from a given frame on, prints the drift verdicts,
then reads the stream's state and shows how a bad configuration is refused.

  drift_client.py --stubs BUILD/clients/python/gen --target 127.0.0.1:50061 \
      --video vtest.avi --stream py-door --shift-at 300 --gains 1.07,1,1

Over TLS: --tls-ca CA.pem (and --tls-cert/--tls-key for mutual TLS, --token-file for
the bearer token a server with --token_file requires on Ingest and SetStreamConfig),
the same files as the C++ clients' --tls_ca, --tls_cert, --tls_key and --token_file.

Needs Debian's python3-grpcio, python3-protobuf and python3-opencv; the stubs are
generated at build time by protoc + grpc_python_plugin (target drift_python_stubs).
Exit status: 0 on success, 2 on a usage error, 3 when the server cannot be reached or
refuses the Ingest call.
"""
import argparse
import sys


def frames(video, stream, shift_at, gains, limit):
    import cv2
    import numpy as np
    from datafactory.drift.v1 import drift_monitor_pb2 as pb

    capture = cv2.VideoCapture(video)
    index = 0
    scale = np.array([gains[2], gains[1], gains[0]], dtype=np.float32)  # BGR order
    while limit <= 0 or index < limit:
        ok, bgr = capture.read()
        if not ok:
            break
        if 0 <= shift_at <= index:
            bgr = np.clip(bgr.astype(np.float32) * scale + 0.5, 0, 255).astype(np.uint8)
        ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 90])
        frame = pb.Frame(stream_id=stream, sequence=index, encoded=jpeg.tobytes())
        frame.labels["client"] = "python"
        frame.capture_time.GetCurrentTime()
        yield frame
        index += 1


def read_secret(path):
    with open(path, "rb") as f:
        return f.read().strip()


def open_channel(grpc, args):
    """A plaintext channel, or TLS (and a bearer token) as the --tls-*/--token-file
    arguments say; the same rules as the C++ clients (a token only over TLS)."""
    if not (args.tls_ca or args.tls_cert or args.tls_key):
        if args.token_file:
            raise ValueError("--token-file needs --tls-ca: a bearer token is only sent over TLS")
        return grpc.insecure_channel(args.target)
    if not args.tls_ca or bool(args.tls_cert) != bool(args.tls_key):
        raise ValueError("TLS needs --tls-ca, and --tls-cert with --tls-key for mutual TLS")
    credentials = grpc.ssl_channel_credentials(
        root_certificates=read_secret(args.tls_ca),
        private_key=read_secret(args.tls_key) if args.tls_key else None,
        certificate_chain=read_secret(args.tls_cert) if args.tls_cert else None)
    if args.token_file:
        token = read_secret(args.token_file).decode("ascii")
        credentials = grpc.composite_channel_credentials(
            credentials, grpc.access_token_call_credentials(token))
    options = []
    if args.tls_server_name:
        options.append(("grpc.ssl_target_name_override", args.tls_server_name))
    return grpc.secure_channel(args.target, credentials, options)


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stubs", required=True, help="folder of the generated Python stubs")
    parser.add_argument("--target", default="127.0.0.1:50061")
    parser.add_argument("--video", required=True)
    parser.add_argument("--stream", default="py-camera")
    parser.add_argument("--shift-at", type=int, default=-1)
    parser.add_argument("--gains", default="1,1,1", help="R,G,B gains from --shift-at on")
    parser.add_argument("--limit", type=int, default=0, help="frames to send (0 = all)")
    parser.add_argument("--tls-ca", help="PEM CA bundle: connect over TLS, verify the server")
    parser.add_argument("--tls-cert", help="PEM client certificate (mutual TLS)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--token-file", help="file holding the bearer token (TLS only)")
    parser.add_argument("--tls-server-name", help="name the server certificate must carry")
    args = parser.parse_args(argv)
    sys.path.insert(0, args.stubs)
    import grpc
    from datafactory.drift.v1 import drift_monitor_pb2 as pb
    from datafactory.drift.v1 import drift_monitor_pb2_grpc as pb_grpc

    try:
        gains = [float(g) for g in args.gains.split(",")]
    except ValueError:
        gains = []
    if len(gains) != 3:
        parser.error("--gains needs three numbers R,G,B")
    try:
        channel = open_channel(grpc, args)
    except (ValueError, OSError) as e:
        parser.error(str(e))
    try:
        grpc.channel_ready_future(channel).result(timeout=5)
    except grpc.FutureTimeoutError:
        print(f"drift_client: cannot reach {args.target}", file=sys.stderr)
        return 3
    stub = pb_grpc.DriftMonitorStub(channel)

    answered, drift, first_drift = 0, False, -1
    try:
        for report in stub.Ingest(frames(args.video, args.stream, args.shift_at, gains,
                                         args.limit)):
            answered += 1
            if report.HasField("error"):
                print(f"frame {report.sequence}: rejected ({report.error.reason})")
            elif report.drift != drift:
                drift = report.drift
                gr = next(f for f in report.features if f.name == "gain_g_over_r")
                print(f"frame {report.sequence}: drift {'RAISED' if drift else 'cleared'} "
                      f"(G/R effect {100 * gr.effect_size:.2f} %, D = {gr.ks_statistic:.2f})")
                if drift and first_drift < 0:
                    first_drift = report.sequence
    except grpc.RpcError as e:
        print(f"drift_client: Ingest failed: {e.code().name}: {e.details()}", file=sys.stderr)
        return 3

    state = stub.GetStream(pb.GetStreamRequest(stream_id=args.stream))
    print(f"state: frames={state.frames_seen} reference={state.reference_count} "
          f"window={state.window_count} drift={state.drift} events={state.drift_events} "
          f"alpha={state.config.alpha} correction={state.config.correction}")
    try:
        stub.SetStreamConfig(pb.SetStreamConfigRequest(
            stream_id=args.stream, config=pb.StreamConfig(alpha=1.5)))
        print("bad config: accepted (unexpected)")
    except grpc.RpcError as e:
        print(f"bad config: {e.code().name}: {e.details()}")
    print(f"summary: answered={answered} first_drift_frame={first_drift} "
          f"streams={list(stub.ListStreams(pb.ListStreamsRequest()).stream_ids)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
