"""tests/server/weirserver.py — helpers for the black-box tests of
`weir serve`: start a server on a free loopback port, HTTP requests, and a
Server-Sent Events client that applies a changelog to a table.
Standard library only."""
import http.client
import json
import os
import signal
import socket
import subprocess
import tempfile
import threading
import time


class Server:
    """A `weir serve` process on 127.0.0.1 with a port the OS picked."""

    def __init__(self, weir, *args, env=None):
        self.dir = tempfile.mkdtemp(prefix="weir-serve-")
        self.port_file = os.path.join(self.dir, "port")
        self.log = open(os.path.join(self.dir, "log"), "w+")
        cmd = [weir, "serve", "--listen", "127.0.0.1:0",
               "--port-file", self.port_file] + list(args)
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log,
                                     env=env)
        deadline = time.time() + 20
        while not os.path.exists(self.port_file):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("server did not start: " + self.output())
            time.sleep(0.02)
        self.port = int(open(self.port_file).read())
        self.token = None

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def request(self, method, path, body=None, headers=None, token=None):
        """Returns (status, parsed JSON or text)."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        h = dict(headers or {})
        tok = token if token is not None else self.token
        if tok:
            h["Authorization"] = "Bearer " + tok
        if isinstance(body, str):
            body = body.encode()
        c.request(method, path, body=body, headers=h)
        r = c.getresponse()
        data = r.read().decode()
        c.close()
        if r.getheader("Content-Type", "").startswith("application/json"):
            return r.status, json.loads(data) if data else None
        return r.status, data

    def sql(self, text, expect=200):
        st, doc = self.request("POST", "/v1/statements", text)
        if st != expect:
            raise AssertionError("POST %r -> %d %r" % (text, st, doc))
        return doc

    def stop(self, sig=signal.SIGTERM, timeout=20):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("server did not stop on SIGTERM")


class Sse:
    """An SSE client on its own thread. Keeps the table of the stream's
    snapshot with every change applied (a retraction removes one equal
    row), the events seen, and whether the stream ended."""

    def __init__(self, port, path, token=None, rcvbuf=None, read=True,
                 rate=None):
        self.rate = rate   # bytes per second to read at (None: at once)
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.connect(("127.0.0.1", port))
        req = "GET %s HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n" % path
        if token:
            req += "Authorization: Bearer %s\r\n" % token
        self.sock.sendall((req + "\r\n").encode())
        self.status = None
        self.columns = None
        self.rows = []
        self.events = []
        self.ended = False
        self.closed = False
        self.errors = []
        self.lock = threading.Lock()
        self.buf = bytearray()
        self.thread = None
        if read:
            self.start()

    def start(self):
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        head_done = False
        scan = 0
        while True:
            try:
                d = self.sock.recv(65536)
            except OSError:
                d = b""
            if not d:
                break
            if self.rate:
                time.sleep(len(d) / self.rate)
            self.buf += d
            if not head_done:
                i = self.buf.find(b"\r\n\r\n")
                if i < 0:
                    continue
                head = self.buf[:i].decode()
                self.status = int(head.split()[1])
                del self.buf[:i + 4]
                head_done = True
                if self.status != 200:
                    break
            # Look for the end of an event only in what is new (a large
            # snapshot arrives in thousands of pieces).
            while True:
                i = self.buf.find(b"\n\n", max(0, scan - 1))
                if i < 0:
                    scan = len(self.buf)
                    break
                ev = bytes(self.buf[:i])
                del self.buf[:i + 2]
                scan = 0
                self._event(ev.decode())
        self.closed = True

    def _event(self, text):
        name, data = "message", []
        for line in text.split("\n"):
            if line.startswith("event: "):
                name = line[7:]
            elif line.startswith("data: "):
                data.append(line[6:])
        if not data:
            return
        doc = json.loads("\n".join(data))
        with self.lock:
            self.events.append((name, doc))
            if name == "snapshot":
                self.columns = doc["columns"]
                self.rows = [tuple(r) for r in doc["rows"]]
            elif name == "change":
                row = tuple(doc["row"])
                if doc["op"] in ("+I", "+U"):
                    self.rows.append(row)
                else:
                    if row not in self.rows:
                        self.errors.append("retraction of missing row %r" % (row,))
                    else:
                        self.rows.remove(row)
            elif name == "end":
                self.ended = True
            elif name == "error":
                self.errors.append(doc.get("reason"))

    def table(self):
        with self.lock:
            return sorted(self.rows, key=repr)

    def wait(self, cond, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if cond(self):
                return True
            time.sleep(0.02)
        return False

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def sorted_rows(rows):
    return sorted([tuple(r) for r in rows], key=repr)
