"""Process helpers for the drift-monitor integration tests: start the real binaries
on 127.0.0.1 with free ports, and make sure every process started is ended."""
import contextlib
import re
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Processes(contextlib.ExitStack):
    """Ends (SIGTERM, then SIGKILL after 5 s) every process it started, on any exit."""

    def start(self, args, log_path=None):
        """stdout+stderr go to a pipe, or to `log_path` for chatty processes."""
        out = open(log_path, "w") if log_path else subprocess.PIPE
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True)
        if log_path:
            out.close()
        self.callback(self._end, proc)
        return proc

    @staticmethod
    def _end(proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if proc.stdout:
            proc.stdout.close()


def start_drift_monitor(procs, binary, *flags):
    """Returns (process, grpc_target, metrics_port) once the server is listening."""
    proc = procs.start([binary, "--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0",
                        *flags])
    deadline = time.time() + 20
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(f"drift-monitor exited early with {proc.wait()}")
        m = re.search(r"grpc=(\S+) metrics_port=(\d+)", line)
        if m:
            return proc, m.group(1), int(m.group(2))
    raise RuntimeError("drift-monitor did not report its ports within 20 s")
