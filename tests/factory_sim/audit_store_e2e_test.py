#!/usr/bin/python3
"""The audit trail's guarantees on the real factory-sim binary, measured the way the
hardening issue measured their absence:

- kill -9 during 16 concurrent writers loses no acknowledged entry and gives no sequence
  twice: on SQLite, and on Redis with redis-server killed -9 as well;
- bytes damaged inside a record are reported (the file, the entry, the
  factory_sim_audit_damaged_total metric) and the intact entries after them stay
  readable; a damaged page makes the trail read-only (named in every refusal), and
  --audit_salvage_from copies every row outside that page into a new database;
- a path that cannot hold the trail is an error naming it (exit status 1, not an abort);
- an entry or a session past its byte cap is RESOURCE_EXHAUSTED naming the cap.

  audit_store_e2e_test.py FACTORY_SIM STUBS_DIR REDIS_SERVER
"""
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "harness"))
from processes import Processes, accepts, log_text, start_service, wait_until  # noqa: E402

FACTORY_SIM, STUBS, REDIS_SERVER = sys.argv[1:4]
sys.path.insert(0, STUBS)
import grpc  # noqa: E402
from datafactory.factory.v1 import factory_sim_pb2 as pb  # noqa: E402
from datafactory.factory.v1 import factory_sim_pb2_grpc as rpc  # noqa: E402

WRITERS = 16
PAGE = 4096


def stub(target):
    return rpc.FactorySimStub(grpc.insecure_channel(target))


def submit(client, session, text, timeout=10):
    return client.SubmitRationale(pb.SubmitRationaleRequest(session_id=session, text=text),
                                  timeout=timeout).entry


def read_trail(client, session):
    """Every entry of a session, page by page: [(sequence, text)]."""
    out, token = [], ""
    while True:
        page = client.GetAuditTrail(pb.GetAuditTrailRequest(session_id=session, page_size=100,
                                                            page_token=token), timeout=10)
        out += [(e.sequence, e.rationale.text) for e in page.entries]
        token = page.next_page_token
        if not token:
            return out


def metric(service, name):
    text = urllib.request.urlopen(f"http://127.0.0.1:{service.metrics_port}/metrics",
                                  timeout=5).read().decode()
    m = re.search(rf"^{name} (\S+)$", text, re.M)
    return float(m.group(1)) if m else None


def marker(i):
    return f"<entry {i:03d} marker>"


class ConcurrentWriters:
    """WRITERS threads appending rationales to 4 sessions until stopped; `acked` holds
    (session, sequence, text) of every append the server acknowledged."""

    def __init__(self, target):
        self.acked, self.lock, self.stop = [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.write, args=(target, w))
                        for w in range(WRITERS)]
        for t in self.threads:
            t.start()

    def write(self, target, writer):
        client, i = stub(target), 0
        while not self.stop.is_set():
            session, text = f"crash-{writer % 4}", f"writer {writer} append {i}"
            i += 1
            try:
                entry = submit(client, session, text, timeout=5)
            except grpc.RpcError:
                continue  # not acknowledged (the server is going down): may or may not be kept
            with self.lock:
                self.acked.append((session, entry.sequence, text))

    def wait_for(self, count, seconds=60):
        wait_until(lambda: len(self.acked) >= count, seconds, f"{count} acknowledged appends")

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()
        return self.acked


class AuditStoreE2eTest(unittest.TestCase):
    def setUp(self):
        self.tmp = pathlib.Path(tempfile.mkdtemp(prefix="df-audit-e2e-"))

    def tearDown(self):
        subprocess.run(["rm", "-rf", str(self.tmp)], check=False)

    def check_nothing_acknowledged_lost(self, client, acked):
        sessions = sorted({s for s, _, _ in acked})
        for session in sessions:
            trail = read_trail(client, session)
            sequences = [seq for seq, _ in trail]
            self.assertEqual(sequences, sorted(set(sequences)), f"{session}: order or repeats")
            stored = dict(trail)
            for s, seq, text in acked:
                if s == session:
                    self.assertEqual(stored.get(seq), text, f"acknowledged {s} #{seq} lost")
            # The next append takes a number above every one ever stored.
            self.assertGreater(submit(client, session, "after the crash").sequence,
                               max(sequences))
        return sessions

    def start_redis(self, procs, port=None, name="redis"):
        data = self.tmp / "redis"
        data.mkdir(exist_ok=True)

        def args(p):
            return [REDIS_SERVER, "--port", str(p), "--bind", "127.0.0.1", "--dir", str(data),
                    "--appendonly", "yes", "--appendfsync", "always", "--save", ""]
        if port is None:
            return procs.start_on_free_port(args, name=name)
        proc = procs.start(args(port), name=name)
        wait_until(lambda: proc.poll() is not None or accepts(port), 30, "redis restart")
        self.assertIsNone(proc.poll(), log_text(proc))
        return proc, port

    def test_kill_9_during_concurrent_writers_loses_nothing_acknowledged_sqlite(self):
        store = f"--audit_store=sqlite:{self.tmp}/audit.db"
        with Processes() as procs:
            fs = start_service(procs, "factory-sim", FACTORY_SIM, store)
            writers = ConcurrentWriters(fs.grpc_target)
            writers.wait_for(400)
            os.kill(fs.proc.pid, signal.SIGKILL)
            acked = writers.finish()
            self.assertEqual(fs.proc.wait(), -signal.SIGKILL)
            fs = start_service(procs, "factory-sim", FACTORY_SIM, store)
            sessions = self.check_nothing_acknowledged_lost(stub(fs.grpc_target), acked)
            print(f"sqlite: {len(acked)} acknowledged appends by {WRITERS} writers to "
                  f"{len(sessions)} sessions before kill -9; all found after the restart")

    def test_kill_9_of_factory_sim_and_redis_loses_nothing_acknowledged(self):
        with Processes() as procs:
            redis, port = self.start_redis(procs)
            store = f"--audit_store=redis://127.0.0.1:{port}"
            replicas = [start_service(procs, "factory-sim", FACTORY_SIM, store) for _ in range(2)]
            writers = [ConcurrentWriters(r.grpc_target) for r in replicas]
            for w in writers:
                w.wait_for(200)
            os.kill(redis.pid, signal.SIGKILL)
            for r in replicas:
                os.kill(r.proc.pid, signal.SIGKILL)
            acked = [a for w in writers for a in w.finish()]
            self.assertEqual(redis.wait(), -signal.SIGKILL)
            self.start_redis(procs, port, name="redis-restarted")
            fs = start_service(procs, "factory-sim", FACTORY_SIM, store)
            sessions = self.check_nothing_acknowledged_lost(stub(fs.grpc_target), acked)
            print(f"redis: {len(acked)} acknowledged appends through 2 replicas to "
                  f"{len(sessions)} sessions before kill -9 of both and of redis-server; all "
                  "found after the restart")

    def test_damaged_bytes_in_a_record_are_reported_and_later_entries_kept(self):
        db = self.tmp / "audit.db"
        with Processes() as procs:
            fs = start_service(procs, "factory-sim", FACTORY_SIM, f"--audit_store=sqlite:{db}")
            client = stub(fs.grpc_target)
            for i in range(1, 51):
                submit(client, "pat", marker(i))
            procs.stop_all()  # a clean stop folds the write-ahead log into the file
            data = bytearray(db.read_bytes())
            at = data.find(marker(25).encode())
            self.assertGreater(at, 0)
            for k in range(at, at + 16):
                data[k] ^= 0x5A  # a stray write over entry 25
            db.write_bytes(bytes(data))

            fs = start_service(procs, "factory-sim", FACTORY_SIM, f"--audit_store=sqlite:{db}")
            client = stub(fs.grpc_target)
            first = client.GetAuditTrail(pb.GetAuditTrailRequest(session_id="pat"), timeout=10)
            self.assertEqual([e.sequence for e in first.entries], list(range(1, 25)))
            self.assertEqual(first.next_page_token, "24")
            with self.assertRaises(grpc.RpcError) as damaged:
                client.GetAuditTrail(pb.GetAuditTrailRequest(session_id="pat", page_token="24"),
                                     timeout=10)
            self.assertEqual(damaged.exception.code(), grpc.StatusCode.DATA_LOSS)
            for named in (str(db), "entry 25", "checksum", 'page_token "25"'):
                self.assertIn(named, damaged.exception.details())
            rest = client.GetAuditTrail(pb.GetAuditTrailRequest(session_id="pat",
                                                                page_token="25"), timeout=10)
            self.assertEqual([e.sequence for e in rest.entries], list(range(26, 51)))
            self.assertGreaterEqual(metric(fs, "factory_sim_audit_damaged_total"), 1)
            self.assertEqual(submit(client, "pat", "still writable").sequence, 51)

    def test_a_damaged_page_makes_the_trail_read_only_and_salvage_keeps_the_rest(self):
        db, salvaged = self.tmp / "audit.db", self.tmp / "salvaged.db"
        padding = "n" * 900
        with Processes() as procs:
            fs = start_service(procs, "factory-sim", FACTORY_SIM, f"--audit_store=sqlite:{db}")
            client = stub(fs.grpc_target)
            for i in range(1, 301):
                submit(client, "quinn", marker(i) + padding)
            procs.stop_all()
            data = bytearray(db.read_bytes())
            start = data.find(marker(150).encode()) // PAGE * PAGE
            lost = {i for i in range(1, 301)
                    if start <= data.find(marker(i).encode()) < start + PAGE}
            data[start:start + PAGE] = bytes(PAGE)  # a bad sector
            db.write_bytes(bytes(data))

            fs = start_service(procs, "factory-sim", FACTORY_SIM, f"--audit_store=sqlite:{db}")
            self.assertEqual(fs.fields["audit_read_only"], "1")
            self.assertIn(f"{db}: integrity_check", log_text(fs.proc))
            self.assertEqual(metric(fs, "factory_sim_audit_read_only"), 1)
            self.assertGreaterEqual(metric(fs, "factory_sim_audit_damaged_total"), 1)
            with self.assertRaises(grpc.RpcError) as refused:
                submit(stub(fs.grpc_target), "quinn", "refused")
            self.assertEqual(refused.exception.code(), grpc.StatusCode.FAILED_PRECONDITION)
            for named in (str(db), "read-only", "--audit_salvage_from"):
                self.assertIn(named, refused.exception.details())
            procs.stop_all()

            out = subprocess.run([FACTORY_SIM, f"--audit_salvage_from={db}",
                                  f"--audit_store=sqlite:{salvaged}"], capture_output=True,
                                 text=True, timeout=120)
            self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
            self.assertIn(f"salvaged {300 - len(lost)} audit entries", out.stdout)
            self.assertIn("unreadable, lost: rowids", out.stdout)
            print(f"salvage after zeroing one {PAGE}-byte page ({len(lost)} entries on it):\n"
                  + out.stdout)
            fs = start_service(procs, "factory-sim", FACTORY_SIM,
                               f"--audit_store=sqlite:{salvaged}")
            client = stub(fs.grpc_target)
            kept = {seq for seq, _ in read_trail(client, "quinn")}
            self.assertEqual(kept, set(range(1, 301)) - lost)
            self.assertEqual(submit(client, "quinn", "after salvage").sequence, 301)

    def test_a_path_that_cannot_hold_the_trail_is_an_error_naming_it(self):
        (self.tmp / "a-directory").mkdir()
        (self.tmp / "plain-file").write_text("x")
        (self.tmp / "legacy").mkdir()
        (self.tmp / "legacy" / "alice.audit").mkdir()  # a directory with a session file's name
        for flags, named in (
                ([f"--audit_store=sqlite:{self.tmp}/a-directory"], "is a directory"),
                ([f"--audit_dir={self.tmp}/plain-file/sub"], f"{self.tmp}/plain-file"),
                ([f"--audit_dir={self.tmp}/legacy"], f"{self.tmp}/legacy/alice.audit"),
                (["--audit_store=redis://127.0.0.1:1"], "redis://127.0.0.1:1")):
            out = subprocess.run([FACTORY_SIM, "--grpc_address=127.0.0.1:0",
                                  "--metrics_address=127.0.0.1:0", *flags],
                                 capture_output=True, text=True, timeout=60)
            self.assertEqual(out.returncode, 1, f"{flags}: {out.stderr}")  # never 134
            self.assertIn(named, out.stderr, flags)

    def test_byte_caps_are_resource_exhausted_naming_the_cap(self):
        with Processes() as procs:
            fs = start_service(procs, "factory-sim", FACTORY_SIM,
                               f"--audit_store=sqlite:{self.tmp}/audit.db",
                               "--max_audit_entry_bytes=4000", "--max_audit_session_bytes=12000")
            client = stub(fs.grpc_target)
            request = pb.EvaluateRequest(session_id="rex")
            request.selection.scenario = "act2"
            request.selection.set.extend(["gpus=8"] * 1000)
            with self.assertRaises(grpc.RpcError) as big:
                client.Evaluate(request, timeout=10)
            self.assertEqual(big.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            self.assertIn("max_audit_entry_bytes (4000", big.exception.details())
            with self.assertRaises(grpc.RpcError) as full:
                for _ in range(10):
                    submit(client, "rex", "r" * 2400)  # with its grade, ~3.7 KB an entry
            self.assertEqual(full.exception.code(), grpc.StatusCode.RESOURCE_EXHAUSTED)
            self.assertIn("max_audit_session_bytes (12000", full.exception.details())
            self.assertEqual(len(read_trail(client, "rex")), 3)


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
