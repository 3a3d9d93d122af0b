"""Process helpers for the drift-monitor integration tests: start the real binaries
on 127.0.0.1 with free ports, and make sure every process started is ended.

Every process writes stdout+stderr to a log file (never to a pipe nobody drains, which
would block a chatty process once the pipe buffer is full); `log_text(proc)` reads it.
A port picked by `free_port()` may be taken by someone else before the process binds
it, so `start_on_free_port` retries with a new port when the process cannot bind."""
import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_text(proc):
    with open(proc.log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def _accepts(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Processes(contextlib.ExitStack):
    """Ends (SIGTERM, then SIGKILL after 5 s) every process it started, on any exit."""

    def __init__(self):
        super().__init__()
        self._logs = self.enter_context(tempfile.TemporaryDirectory(prefix="dm-logs-"))

    def start(self, args, log_path=None):
        """stdout+stderr go to `log_path` (default: a file in a private temp dir)."""
        if log_path is None:
            log_path = os.path.join(self._logs, f"{len(os.listdir(self._logs))}.log")
        with open(log_path, "w") as out:
            proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True)
        proc.log_path = log_path
        self.callback(self._end, proc)
        return proc

    def start_on_free_port(self, make_args, log_path=None, attempts=5, timeout=30):
        """Starts make_args(port) on a free port; returns (process, port) once the port
        accepts connections. A process that exits first (e.g. the port was taken
        between free_port() and its bind) is retried on another port."""
        for _ in range(attempts):
            port = free_port()
            proc = self.start(make_args(port), log_path)
            deadline = time.time() + timeout
            while time.time() < deadline and proc.poll() is None and not _accepts(port):
                time.sleep(0.1)
            if proc.poll() is None and _accepts(port):
                return proc, port
            if proc.poll() is None:
                raise RuntimeError(f"{make_args(port)[0]} did not listen on {port} within "
                                   f"{timeout} s:\n{log_text(proc)}")
        raise RuntimeError(f"{make_args(0)[0]} failed to start {attempts} times:\n"
                           f"{log_text(proc)}")

    @staticmethod
    def _end(proc):
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def start_drift_monitor(procs, binary, *flags):
    """Returns (process, grpc_target, metrics_port) once the server is listening
    (it binds port 0 itself and prints the ports it got)."""
    proc = procs.start([binary, "--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0",
                        *flags])
    deadline = time.time() + 20
    while time.time() < deadline:
        m = re.search(r"grpc=(\S+) metrics_port=(\d+)", log_text(proc))
        if m:
            return proc, m.group(1), int(m.group(2))
        if proc.poll() is not None:
            raise RuntimeError(f"drift-monitor exited early with {proc.returncode}:\n"
                               f"{log_text(proc)}")
        time.sleep(0.05)
    raise RuntimeError("drift-monitor did not report its ports within 20 s")
