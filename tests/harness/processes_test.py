"""The process harness: a process whose bind fails is retried on another port, and a process
writing far more than a pipe buffer never blocks (its output goes to a log file)."""
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from processes import Processes, log_text, parse_start_line  # noqa: E402

# Listens on argv[1]; exits 1 when the port is taken (as a server whose bind fails).
LISTENER = """
import socket, sys, time
s = socket.socket()
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
s.listen()
time.sleep(60)
"""


class ProcessesTest(unittest.TestCase):
    def test_a_taken_port_is_retried_on_another(self):
        with Processes() as procs, socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            taken_port = taken.getsockname()[1]
            tried = []

            def args(port):
                tried.append(port)
                # The first attempt is forced onto the taken port.
                chosen = taken_port if len(tried) == 1 else port
                return [sys.executable, "-c", LISTENER, str(chosen)]

            proc, port = procs.start_on_free_port(args)
            self.assertIsNone(proc.poll())
            self.assertGreaterEqual(len(tried), 2)
            self.assertNotEqual(port, taken_port)

    def test_a_chatty_process_does_not_block(self):
        with Processes() as procs:
            # 4 MiB of output: far beyond a pipe buffer (64 KiB).
            chatty = "import sys\nfor _ in range(4096): print('x' * 1023)\nprint('end')"
            proc = procs.start([sys.executable, "-c", chatty])
            self.assertEqual(proc.wait(timeout=60), 0)
            self.assertTrue(log_text(proc).endswith("end\n"))


    def test_the_start_line_gives_the_ports_and_quoted_fields(self):
        text = ("noise\nfactory-sim listening grpc=127.0.0.1:4242 metrics_port=4343 "
                'audit_dir="/tmp/my audit" audit_sessions=2\n')
        self.assertEqual(parse_start_line("factory-sim", text),
                         ("127.0.0.1:4242", 4343,
                          {"audit_dir": "/tmp/my audit", "audit_sessions": "2"}))
        self.assertIsNone(parse_start_line("drift-monitor", text))

    def test_a_start_line_without_grpc_gives_its_own_address_fields(self):
        text = "lab-gateway listening http=127.0.0.1:8080 factory_sim=127.0.0.1:50051\n"
        self.assertEqual(parse_start_line("lab-gateway", text),
                         (None, 0, {"http": "127.0.0.1:8080", "factory_sim": "127.0.0.1:50051"}))

    def test_every_process_is_ended_with_its_children(self):
        # A shell that ignores nothing but has a child: both end with the group.
        with Processes(stop_timeout=5) as procs:
            proc = procs.start(["sh", "-c", "sleep 60 & sleep 60"])
        self.assertIsNotNone(proc.poll())


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
