"""Process harness of the Python integration tests and benchmarks: start the real
binaries on 127.0.0.1, learn their ports, and make sure every process started is ended.

- Every process writes stdout+stderr to a log file (never to a pipe nobody drains, which
  would block a chatty process once the pipe buffer is full); `log_text(proc)` reads it.
- Every process gets its own process group; on exit from the `Processes` context each is
  sent SIGTERM (its whole group), then SIGKILL after `stop_timeout` seconds, newest first.
- Our services bind port 0 and print a start line ("drift-monitor listening grpc=HOST:PORT
  metrics_port=PORT ..."); `start_service` reads the ports back from it, so there is no
  race for a free port. A third-party server that cannot report its port (Prometheus) is
  started with `start_on_free_port`, which retries on another port if the one it picked
  was taken before the server bound it.

Usage:
    with Processes() as procs:
        dm = start_service(procs, "drift-monitor", binary, "--workers=2")
        ... dm.grpc_target, dm.metrics_port, dm.proc ...
"""
import collections
import contextlib
import os
import pathlib
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time

Service = collections.namedtuple("Service", "proc grpc_target metrics_port fields")


class HarnessError(RuntimeError):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_text(proc):
    with open(proc.log_path, encoding="utf-8", errors="replace") as f:
        return f.read()


def accepts(port):
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(pred, seconds, what, interval=0.1, error=HarnessError):
    """Polls pred() until it returns a truthy value, which it returns; raises `error`
    after `seconds` (OSError, ValueError and KeyError from pred count as "not yet")."""
    deadline = time.time() + seconds
    last = None
    while True:
        try:
            value = pred()
            if value:
                return value
        except (OSError, ValueError, KeyError) as e:
            last = e
        if time.time() >= deadline:
            raise error(f"timed out after {seconds:.0f} s waiting for {what}"
                        + (f" (last error: {last})" if last else ""))
        time.sleep(interval)


def parse_start_line(name, text):
    """(grpc_target, metrics_port, {key: value}) of `name`'s start line in `text`, or None.
    A server without gRPC or metrics (lab-gateway: "http=HOST:PORT") gets None and 0."""
    m = re.search(rf"^{re.escape(name)} listening (.*)$", text, re.M)
    if not m:
        return None
    fields = dict(word.split("=", 1) for word in shlex.split(m.group(1)) if "=" in word)
    return fields.pop("grpc", None), int(fields.pop("metrics_port", 0)), fields


class Processes(contextlib.ExitStack):
    """Starts processes and ends every one of them on any exit (see the module doc)."""

    def __init__(self, log_dir=None, stop_timeout=10):
        super().__init__()
        if log_dir is None:
            log_dir = self.enter_context(tempfile.TemporaryDirectory(prefix="df-logs-"))
        self.log_dir = pathlib.Path(log_dir)
        self.stop_timeout = stop_timeout
        self.started = []  # (name, Popen), in start order

    def start(self, args, name=None):
        """Starts `args`; stdout+stderr go to <log_dir>/<name>.log (name: the program's
        base name and a counter)."""
        name = name or f"{os.path.basename(str(args[0]))}.{len(self.started)}"
        log_path = self.log_dir / f"{name}.log"
        with open(log_path, "w") as out:
            proc = subprocess.Popen([str(a) for a in args], stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        proc.log_path = log_path
        proc.name = name
        self.started.append((name, proc))
        self.callback(self._end, proc)
        return proc

    def start_on_free_port(self, make_args, ready=None, name=None, attempts=5, timeout=60):
        """Starts make_args(port) on a free port; returns (process, port) once ready(port)
        (default: the port accepts connections). A process that exits first (the port was
        taken between free_port() and its bind) is retried on another port."""
        ready = ready or accepts
        proc = None
        for attempt in range(attempts):
            port = free_port()
            proc = self.start(make_args(port), name and f"{name}.{attempt}")

            def up():
                return proc.poll() is not None or ready(port)
            wait_until(up, timeout, f"{proc.args[0]} on port {port}")
            if proc.poll() is None:
                return proc, port
        raise HarnessError(f"{proc.args[0]} failed to start {attempts} times:\n"
                           f"{log_text(proc)}")

    def stop_all(self):
        """Ends every process now, newest first (exiting the context does it too)."""
        for _, proc in reversed(self.started):
            self._end(proc)

    def print_log_tails(self, lines=40, file=sys.stderr):
        for name, proc in self.started:
            text = log_text(proc).splitlines()
            print(f"----- {name} (exit {proc.poll()}): last {lines} lines -----", file=file)
            for line in text[-lines:]:
                print(line, file=file)

    def _end(self, proc):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            print(f"harness: {proc.name} ignored SIGTERM for {self.stop_timeout} s, killing it",
                  file=sys.stderr)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


GRPC_SERVICE_ADDRESSES = ("--grpc_address=127.0.0.1:0", "--metrics_address=127.0.0.1:0")


def start_service(procs, name, binary, *flags, timeout=30, addresses=GRPC_SERVICE_ADDRESSES):
    """Starts one of our servers (`name` as it prints it: "drift-monitor", "factory-sim",
    "lab-gateway") with `addresses` (port 0) and returns Service(proc, grpc_target,
    metrics_port, fields) once its start line is out (lab-gateway: pass
    addresses=("--http_address=127.0.0.1:0",); its address is fields["http"])."""
    proc = procs.start([binary, *addresses, *flags], name=name)

    def started():
        if proc.poll() is not None:
            raise HarnessError(f"{name} exited with {proc.returncode} at start-up:\n"
                               f"{log_text(proc)}")
        return parse_start_line(name, log_text(proc))
    grpc_target, metrics_port, fields = wait_until(started, timeout, f"{name}'s start line")
    return Service(proc, grpc_target, metrics_port, fields)
