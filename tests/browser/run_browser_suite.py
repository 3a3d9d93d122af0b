#!/usr/bin/python3
"""Runs the lab page's browser tests (lab.test.mjs) or its benchmark (lab_benchmark.mjs)
against the real lab-gateway, factory-sim and drift-monitor, all on 127.0.0.1 with port 0
(tests/harness/processes.py), in Debian's chromium driven by Playwright (npm
playwright-core, installed here with `npm ci` from the committed lockfile).

  run_browser_suite.py --gateway G --factory-sim F --drift-monitor D --video vtest.avi \
      --work-dir BUILD/tests/browser [--benchmark] [--node node] [--npm npm] [--ffmpeg ffmpeg] \
      [--chromium /usr/bin/chromium] [--only REGEX]

The work folder receives node_modules, the fake camera file made from the video with ffmpeg
(a 320x240 .y4m that Chromium plays as its camera), the services' logs and the artefacts
(screenshots, benchmark figures). Exit status: the node test runner's (0: every test passed).
"""
import argparse
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "harness"))
import processes  # noqa: E402

FAKE_CAMERA_FRAMES = 300  # 30 s of the video at its 10 fps; Chromium loops it


def npm_ci(npm, work):
    """Installs the locked packages into work/npm (the source tree stays clean)."""
    target = work / "npm"
    target.mkdir(parents=True, exist_ok=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(HERE / name, target / name)
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=target,
                   check=True, stdin=subprocess.DEVNULL)
    return target


def fake_camera(ffmpeg, video, work):
    out = work / "fake-camera.y4m"
    if out.exists() and out.stat().st_mtime >= pathlib.Path(video).stat().st_mtime:
        return out
    subprocess.run([ffmpeg, "-v", "error", "-y", "-i", str(video), "-frames:v",
                    str(FAKE_CAMERA_FRAMES), "-vf", "scale=320:240", "-pix_fmt", "yuv420p",
                    "-f", "yuv4mpegpipe", str(out) + ".tmp"], check=True,
                   stdin=subprocess.DEVNULL)
    os.replace(str(out) + ".tmp", out)
    return out


def benchmark(args, env, fs, dm, gw, artefacts):
    """Prints one table per run: each measure's median and p90, and its median against
    the same run's direct gRPC baseline."""
    import gateway_benchmark
    for run in range(args.repeats):
        with tempfile.TemporaryDirectory(prefix="df-bench-") as tmp:
            figures = gateway_benchmark.measure(fs.grpc_target, dm.grpc_target, gw.fields["http"],
                                                args.video, pathlib.Path(tmp))
        page = subprocess.run([args.node, str(HERE / "lab_benchmark.mjs")], env=env, check=True,
                              stdin=subprocess.DEVNULL, capture_output=True, text=True)
        figures.update(json.loads(page.stdout.strip().splitlines()[-1]))
        (artefacts / f"figures-{run + 1}.json").write_text(json.dumps(figures))
        print(f"\nrun {run + 1} of {args.repeats}:\n{gateway_benchmark.table(figures)}", flush=True)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gateway", required=True)
    ap.add_argument("--factory-sim", required=True)
    ap.add_argument("--drift-monitor", required=True)
    ap.add_argument("--video", required=True)
    ap.add_argument("--work-dir", required=True, type=pathlib.Path)
    ap.add_argument("--benchmark", action="store_true", help="run lab_benchmark.mjs instead")
    ap.add_argument("--node", default="node")
    ap.add_argument("--npm", default="npm")
    ap.add_argument("--ffmpeg", default="ffmpeg")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--repeats", type=int, default=1, help="benchmark: runs of the whole set")
    ap.add_argument("--only", metavar="REGEX", help="tests: run only the tests whose name matches")
    args = ap.parse_args()
    work = args.work_dir.resolve()
    artefacts = work / ("benchmark" if args.benchmark else "artefacts")
    shutil.rmtree(artefacts, ignore_errors=True)
    artefacts.mkdir(parents=True)
    modules = npm_ci(args.npm, work)
    camera = fake_camera(args.ffmpeg, args.video, work)

    logs = work / "logs"
    shutil.rmtree(logs, ignore_errors=True)
    logs.mkdir()
    with tempfile.TemporaryDirectory(prefix="df-browser-") as tmp, \
            processes.Processes(log_dir=logs) as procs:
        try:
            fs = processes.start_service(procs, "factory-sim", args.factory_sim,
                                         f"--audit_dir={tmp}/audit")
            # Small windows keep the camera case short: 60 reference + 30 window frames.
            dm = processes.start_service(procs, "drift-monitor", args.drift_monitor,
                                         "--reference_size=60", "--window_size=30",
                                         "--workers=1")
            gw = processes.start_service(procs, "lab-gateway", args.gateway,
                                         f"--factory_sim={fs.grpc_target}",
                                         f"--drift_monitor={dm.grpc_target}",
                                         addresses=("--http_address=127.0.0.1:0",))
            env = dict(os.environ, DF_GATEWAY_URL=f"http://{gw.fields['http']}",
                       DF_NODE_MODULES=str(modules), DF_CHROMIUM=args.chromium,
                       DF_FAKE_CAMERA=str(camera), DF_ARTEFACTS=str(artefacts))
            if args.benchmark:
                return benchmark(args, env, fs, dm, gw, artefacts)
            only = ["--test-name-pattern", args.only] if args.only else []
            result = subprocess.run([args.node, "--test", *only, str(HERE / "lab.test.mjs")],
                                    env=env, stdin=subprocess.DEVNULL)
            if result.returncode != 0:
                procs.print_log_tails()
            print(f"artefacts: {artefacts}")
            return result.returncode
        except processes.HarnessError:
            procs.print_log_tails()
            raise


if __name__ == "__main__":
    sys.exit(main())
