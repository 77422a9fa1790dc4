#!/usr/bin/env python3
"""tests/server/test_server.py — black-box tests of `weir serve` over
loopback: statements over HTTP, materialized views and query changelogs
followed with SSE (snapshot first, retractions applied) compared with the
table computed here from the rows fed, error paths, tokens, limits, a
slow subscriber, SIGTERM and the state directory.

usage: test_server.py WEIR [TEST...]"""
import http.client
import json
import os
import signal
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weirserver import Server, Sse, sorted_rows  # noqa: E402

WEIR = sys.argv[1]
TESTS = []


def test(f):
    TESTS.append(f)
    return f


def check(cond, msg):
    if not cond:
        raise AssertionError(msg)


DDL = """
CREATE SOURCE scores (team VARCHAR, player VARCHAR, score BIGINT,
  ts TIMESTAMP, WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  WITH (connector = 'memory');
CREATE MATERIALIZED VIEW totals AS
  SELECT team, SUM(score) AS total, COUNT(*) AS n FROM scores GROUP BY team;
CREATE MATERIALIZED VIEW per10 AS
  SELECT window_start, team, SUM(score) AS total
  FROM TUMBLE(scores, ts, INTERVAL '10' SECOND)
  GROUP BY window_start, window_end, team;
"""


def ts(sec):
    return "2024-01-01 00:%02d:%02d" % (sec // 60, sec % 60)


def insert(srv, rows):
    vals = ", ".join("('%s', '%s', %d, TIMESTAMP '%s')" % (t, p, s, ts(x))
                     for t, p, s, x in rows)
    srv.sql("INSERT INTO scores VALUES %s;" % vals)


def expected_totals(rows):
    acc = {}
    for t, _, s, _ in rows:
        tot, n = acc.get(t, (0, 0))
        acc[t] = (tot + s, n + 1)
    return sorted_rows([(t, v[0], v[1]) for t, v in acc.items()])


def expected_windows(rows):
    wm = max(x for _, _, _, x in rows) - 1
    acc = {}
    for t, _, s, x in rows:
        w = x - x % 10
        if w + 10 <= wm:
            acc[(w, t)] = acc.get((w, t), 0) + s
    return sorted_rows([(ts(w), t, v) for (w, t), v in acc.items()])


def gen_rows(n, seed, t0=0):
    out = []
    x = seed
    for i in range(n):
        x = (x * 1103515245 + 12345) % (1 << 31)
        out.append(("team%d" % (x % 5), "p%d" % (x % 17), x % 100,
                    t0 + i // 3))
    return out


@test
def statements_views_and_changelogs():
    srv = Server(WEIR)
    try:
        doc = srv.sql(DDL)
        kinds = [s["kind"] for s in doc["statements"]]
        check(kinds.count("message") == 3, doc)
        # A continuous query of our own, and a subscriber before any rows.
        doc = srv.sql("SELECT team, player, score FROM scores "
                      "WHERE score >= 50;")
        qid = doc["id"]
        check(doc["statements"][0]["state"] == "running", doc)
        early_v = Sse(srv.port, "/v1/views/totals/changes")
        early_w = Sse(srv.port, "/v1/views/per10/changes")
        early_q = Sse(srv.port, "/v1/queries/%s/changes" % qid)
        check(early_v.wait(lambda s: s.columns is not None), "no snapshot")
        check(early_v.rows == [], early_v.rows)
        rows = gen_rows(300, 7)
        for i in range(0, 150, 10):
            insert(srv, rows[i:i + 10])
        # A subscriber arriving late sees the right table too.
        late_v = Sse(srv.port, "/v1/views/totals/changes")
        late_w = Sse(srv.port, "/v1/views/per10/changes")
        for i in range(150, 300, 10):
            insert(srv, rows[i:i + 10])
        want_v = expected_totals(rows)
        want_w = expected_windows(rows)
        want_q = sorted_rows([(t, p, s) for t, p, s, _ in rows if s >= 50])
        for c, want in ((early_v, want_v), (late_v, want_v),
                        (early_w, want_w), (late_w, want_w),
                        (early_q, want_q)):
            ok = c.wait(lambda s: s.table() == want)
            check(ok, "subscriber table %r != %r" % (c.table()[:5], want[:5]))
            check(not c.errors, c.errors)
        check(any(n == "change" and d["op"] == "-U"
                  for n, d in early_v.events), "no retractions seen")
        st, doc = srv.request("GET", "/v1/views/totals")
        check(st == 200 and sorted_rows(doc["rows"]) == want_v, doc)
        check([c["name"] for c in doc["columns"]] == ["team", "total", "n"],
              doc)
        st, doc = srv.request("GET", "/v1/views/per10")
        check(sorted_rows(doc["rows"]) == want_w, doc)
        # Query details and the list.
        st, doc = srv.request("GET", "/v1/queries/" + qid)
        check(st == 200 and doc["state"] == "running", doc)
        check(doc["rows_in"] == 300, doc)
        check(doc["rows_out"] == len(want_q), doc)
        check(doc["watermark"] == ts(99 - 1), doc)
        check(doc["late_dropped"] == 0, doc)
        st, doc = srv.request("GET", "/v1/queries")
        ids = [q["id"] for q in doc["queries"]]
        check(qid in ids and len(ids) == 3, ids)
        check(sorted(q.get("view", "") for q in doc["queries"])
              == ["", "per10", "totals"], doc)
        # Late rows are counted.
        insert(srv, [("team0", "late", 1, 0)])
        st, doc = srv.request("GET", "/v1/queries/" + ids[1])
        st, m = srv.request("GET", "/metrics")
        check(st == 200 and 'weir_query_rows_in_total{query="%s"} 301' % qid
              in m, m[:500])
        check('weir_query_late_rows_dropped_total{query="q2",view="per10"} 1'
              in m, [l for l in m.split("\n") if "late" in l])
        check("weir_query_watermark_lag_seconds{" in m, "no lag metric")
        check("weir_query_state_bytes{" in m, "no state metric")
        check("weir_query_bad_records_total{" in m, "no bad-records metric")
        check("weir_server_subscribers 5" in m, "subscriber gauge")
        # Stop the query: its subscribers get the end event.
        st, doc = srv.request("DELETE", "/v1/queries/" + qid)
        check(st == 200 and doc["state"] == "stopped", doc)
        check(early_q.wait(lambda s: s.ended and s.closed), "no end event")
        st, doc = srv.request("DELETE", "/v1/queries/q1")
        check(st == 409, doc)
        # DROP VIEW ends the view's stream.
        srv.sql("DROP VIEW per10;")
        check(early_w.wait(lambda s: s.ended), "drop view: no end")
        st, doc = srv.request("GET", "/v1/views/per10")
        check(st == 404, doc)
        # A bounded query returns its rows at once.
        doc = srv.sql("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 2, 'y';")
        q = doc["statements"][0]
        check(q["state"] == "finished" and
              sorted_rows(q["rows"]) == [(1, "x"), (2, "y")], doc)
        for c in (early_v, late_v, early_w, late_w, early_q):
            c.close()
    finally:
        rc = srv.stop()
    check(rc == 0, "exit code %d: %s" % (rc, srv.output()))


@test
def errors():
    srv = Server(WEIR, "--max-request", "4096")
    try:
        st, doc = srv.request("POST", "/v1/statements",
                              "CREATE SOURCE s (a BIGINT) WITH "
                              "(connector='memory');\nSELECT a\n  FRM s;")
        check(st == 400, doc)
        e = doc["error"]
        check(e["code"] == "syntax" and e["line"] == 3 and e["column"] == 7,
              e)
        check("line 3, column 7" in e["message"], e)
        check(len(doc["statements"]) == 1, doc)   # the CREATE ran
        st, doc = srv.request("POST", "/v1/statements", "SELECT nope FROM s;")
        check(st == 400 and doc["error"]["code"] == "plan"
              and doc["error"]["column"] == 8, doc)
        st, doc = srv.request("POST", "/v1/statements", "")
        check(st == 400, doc)
        st, doc = srv.request("POST", "/v1/statements", "x" * 5000)
        check(st == 413, (st, doc))
        st, doc = srv.request("GET", "/v1/queries/q999")
        check(st == 404 and doc["error"]["code"] == "not_found", doc)
        st, doc = srv.request("GET", "/v1/queries/q999/changes")
        check(st == 404, doc)
        st, doc = srv.request("GET", "/v1/views/nope")
        check(st == 404, doc)
        st, doc = srv.request("GET", "/v1/views/nope/changes")
        check(st == 404, doc)
        st, doc = srv.request("GET", "/nowhere")
        check(st == 404, doc)
        st, doc = srv.request("PUT", "/v1/statements", "x")
        check(st == 405, doc)
        # Malformed HTTP.
        for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
                    b"POST /v1/statements HTTP/1.1\r\nContent-Length: x\r\n\r\n"):
            s = socket.create_connection(("127.0.0.1", srv.port))
            s.sendall(raw)
            data = b""
            while True:
                d = s.recv(4096)
                if not d:
                    break
                data += d
            s.close()
            check(data.startswith(b"HTTP/1.1 400"), (raw, data[:100]))
        # Keep-alive: two requests on one connection.
        s = socket.create_connection(("127.0.0.1", srv.port))
        s.sendall(b"GET /v1/queries HTTP/1.1\r\nHost: x\r\n\r\n"
                  b"GET /v1/views HTTP/1.1\r\nHost: x\r\n\r\n")
        data = b""
        deadline = time.time() + 5
        while data.count(b"HTTP/1.1 200") < 2 and time.time() < deadline:
            data += s.recv(4096)
        s.close()
        check(data.count(b"HTTP/1.1 200") == 2, data)
        # The server survived all of it.
        st, doc = srv.request("GET", "/v1/queries")
        check(st == 200, doc)
    finally:
        rc = srv.stop()
    check(rc == 0, srv.output())


@test
def token():
    srv = Server(WEIR, "--token", "s3cret")
    try:
        st, doc = srv.request("GET", "/v1/queries")
        check(st == 401, doc)
        st, doc = srv.request("GET", "/v1/queries", token="wrong")
        check(st == 401, doc)
        st, doc = srv.request("GET", "/metrics")
        check(st == 401, doc)
        st, doc = srv.request("GET", "/v1/queries", token="s3cret")
        check(st == 200, doc)
        st, doc = srv.request("GET", "/v1/queries?token=s3cret")
        check(st == 200, doc)
        c = Sse(srv.port, "/v1/views/x/changes")
        check(c.wait(lambda s: s.status is not None), "no status")
        check(c.status == 401, c.status)
    finally:
        srv.stop()
    # Not loopback and no token: refuses to start.
    import subprocess
    p = subprocess.run([WEIR, "serve", "--listen", "0.0.0.0:0"],
                       capture_output=True, text=True, timeout=20)
    check(p.returncode == 2 and "--token" in p.stderr, p)


@test
def slow_subscriber():
    srv = Server(WEIR, "--subscriber-buffer", "65536")
    try:
        srv.sql("CREATE SOURCE ev (id BIGINT, pad VARCHAR) "
                "WITH (connector = 'memory');")
        doc = srv.sql("SELECT id, pad FROM ev;")
        qid = doc["id"]
        path = "/v1/queries/%s/changes" % qid
        slow = Sse(srv.port, path, rcvbuf=4096, read=False)
        fast = Sse(srv.port, path)
        check(fast.wait(lambda s: s.columns is not None), "fast: no snapshot")
        pad = "x" * 200
        n = 0
        t0 = time.time()
        for b in range(40):
            vals = ", ".join("(%d, '%s')" % (n + i, pad) for i in range(500))
            n += 500
            srv.sql("INSERT INTO ev VALUES %s;" % vals)
        ok = fast.wait(lambda s: len(s.rows) == n, timeout=30)
        check(ok, "fast subscriber got %d of %d" % (len(fast.rows), n))
        took = time.time() - t0
        st, m = srv.request("GET", "/metrics")
        check("weir_server_slow_subscribers_total 1" in m,
              [l for l in m.split("\n") if "slow" in l])
        st, doc = srv.request("GET", "/v1/queries/" + qid)
        check(doc["rows_in"] == n and doc["subscribers"] == 1, doc)
        # The slow one, reading at last, finds why it was cut.
        slow.start()
        check(slow.wait(lambda s: s.closed, timeout=20), "slow not closed")
        check(any("slow subscriber" in (e or "") for e in slow.errors),
              slow.errors)
        check(len(slow.rows) < n, "slow subscriber got everything")
        print("slow_subscriber: %d rows to the fast subscriber in %.2fs"
              % (n, took))
    finally:
        srv.stop()


@test
def subscriber_limit_and_sigterm():
    srv = Server(WEIR, "--max-subscribers", "2")
    srv.sql(DDL)
    a = Sse(srv.port, "/v1/views/totals/changes")
    b = Sse(srv.port, "/v1/views/totals/changes")
    check(a.wait(lambda s: s.columns is not None), "a")
    check(b.wait(lambda s: s.columns is not None), "b")
    c = Sse(srv.port, "/v1/views/totals/changes")
    check(c.wait(lambda s: s.status is not None), "c")
    check(c.status == 503, c.status)
    b.close()
    time.sleep(0.3)
    d = Sse(srv.port, "/v1/views/totals/changes")
    check(d.wait(lambda s: s.status is not None), "d")
    check(d.status == 200, d.status)
    rc = srv.stop(signal.SIGTERM)
    check(rc == 0, "exit %d" % rc)
    check(a.wait(lambda s: s.ended and s.closed), "no end event at SIGTERM")
    check("stopped" in srv.output(), srv.output())


@test
def state_dir():
    import tempfile
    d = tempfile.mkdtemp(prefix="weir-state-")
    srv = Server(WEIR, "--state-dir", d)
    srv.sql(DDL)
    srv.sql("DROP VIEW per10;")
    srv.stop()
    srv = Server(WEIR, "--state-dir", d)
    try:
        st, doc = srv.request("GET", "/v1/views")
        check([v["name"] for v in doc["views"]] == ["totals"], doc)
        insert(srv, [("a", "p", 5, 1)])
        st, doc = srv.request("GET", "/v1/views/totals")
        ok = False
        for _ in range(50):
            st, doc = srv.request("GET", "/v1/views/totals")
            if doc["rows"] == [["a", 5, 1]]:
                ok = True
                break
            time.sleep(0.05)
        check(ok, doc)
    finally:
        srv.stop()


@test
def dashboard_without_token():
    # The page must load before its token field can be filled in: static
    # files need no token, every /v1 and /metrics request does.
    srv = Server(WEIR, "--token", "s3cret")
    try:
        st, doc = srv.request("GET", "/")
        check(st == 200 and "<html" in doc.lower(), (st, doc[:80]))
        for f in ("/app.js", "/style.css"):
            st, doc = srv.request("GET", f)
            check(st == 200 and len(doc) > 0, (f, st))
        st, doc = srv.request("GET", "/v1/views")
        check(st == 401, (st, doc))
        st, doc = srv.request("GET", "/metrics")
        check(st == 401, (st, doc))
        st, doc = srv.request("POST", "/v1/statements", "SELECT 1;")
        check(st == 401, (st, doc))
        st, doc = srv.request("GET", "/v1/views", token="s3cret")
        check(st == 200, (st, doc))
    finally:
        srv.stop()


def query_state(srv, qid):
    st, doc = srv.request("GET", "/v1/queries/" + qid)
    return doc["state"]


@test
def owned_queries():
    srv = Server(WEIR)
    try:
        srv.sql(DDL)
        # Owned (query string): stopped when its stream goes away.
        st, doc = srv.request("POST", "/v1/statements?owned=1",
                              "SELECT team, score FROM scores;")
        check(st == 200, doc)
        owned = doc["id"]
        a = Sse(srv.port, "/v1/queries/%s/changes" % owned)
        check(a.wait(lambda s: s.columns is not None), "no snapshot")
        # A second subscriber does not own it.
        b = Sse(srv.port, "/v1/queries/%s/changes" % owned)
        check(b.wait(lambda s: s.columns is not None), "no snapshot")
        b.close()
        time.sleep(0.5)
        check(query_state(srv, owned) == "running", "stopped by non-owner")
        a.close()
        deadline = time.time() + 10
        while time.time() < deadline and query_state(srv, owned) == "running":
            time.sleep(0.05)
        check(query_state(srv, owned) == "stopped", query_state(srv, owned))
        # Owned (JSON field) too.
        st, doc = srv.request("POST", "/v1/statements", json.dumps(
            {"sql": "SELECT team FROM scores;", "owned": True}))
        owned2 = doc["id"]
        c = Sse(srv.port, "/v1/queries/%s/changes" % owned2)
        check(c.wait(lambda s: s.columns is not None), "no snapshot")
        c.close()
        deadline = time.time() + 10
        while time.time() < deadline and query_state(srv, owned2) == "running":
            time.sleep(0.05)
        check(query_state(srv, owned2) == "stopped", query_state(srv, owned2))
        # An ordinary query keeps running when its subscriber leaves.
        plain = srv.sql("SELECT team, score FROM scores;")["id"]
        d = Sse(srv.port, "/v1/queries/%s/changes" % plain)
        check(d.wait(lambda s: s.columns is not None), "no snapshot")
        d.close()
        time.sleep(0.5)
        check(query_state(srv, plain) == "running", query_state(srv, plain))
    finally:
        srv.stop()


@test
def slow_snapshot_reader():
    # A large snapshot read steadily by a slow client (small receive
    # buffer) arrives whole; cut later for falling behind on changes, the
    # client still gets the error event, though draining takes over 5 s.
    srv = Server(WEIR, "--subscriber-buffer", "65536")
    try:
        srv.sql("CREATE SOURCE ev (id BIGINT, pad VARCHAR) "
                "WITH (connector = 'memory');")
        qid = srv.sql("SELECT id, pad FROM ev;")["id"]
        pad = "y" * 1000
        n = 0
        for b in range(16):          # 8000 rows, about 8 MB of snapshot
            vals = ", ".join("(%d, '%s')" % (n + i, pad) for i in range(500))
            n += 500
            srv.sql("INSERT INTO ev VALUES %s;" % vals)
        deadline = time.time() + 30
        while time.time() < deadline:
            st, doc = srv.request("GET", "/v1/queries/" + qid)
            if doc["result_rows"] == n:
                break
            time.sleep(0.05)
        t0 = time.time()
        slow = Sse(srv.port, "/v1/queries/%s/changes" % qid, rcvbuf=4096,
                   rate=600000)
        check(slow.wait(lambda s: s.status == 200, timeout=10), "no status")
        time.sleep(0.5)
        # Changes beyond the buffer while the snapshot is still draining.
        m = n
        for b in range(4):
            vals = ", ".join("(%d, '%s')" % (m + i, pad) for i in range(500))
            m += 500
            srv.sql("INSERT INTO ev VALUES %s;" % vals)
        check(slow.wait(lambda s: s.closed, timeout=60), "slow not closed")
        took = time.time() - t0
        snaps = [d for e, d in slow.events if e == "snapshot"]
        check(len(snaps) == 1 and len(snaps[0]["rows"]) == n,
              "snapshot incomplete: %d events" % len(slow.events))
        check(any("slow subscriber" in (e or "") for e in slow.errors),
              (slow.errors, slow.events[-1:] and slow.events[-1][0]))
        check(took > 5, "drained in %.1fs: the test did not test" % took)
    finally:
        srv.stop()


@test
def view_dropped_reason():
    srv = Server(WEIR)
    try:
        srv.sql(DDL)
        a = Sse(srv.port, "/v1/views/totals/changes")
        check(a.wait(lambda s: s.columns is not None), "no snapshot")
        srv.sql("DROP VIEW totals;")
        check(a.wait(lambda s: s.ended), "no end event")
        end = [d for e, d in a.events if e == "end"][0]
        check(end.get("reason") == "view dropped", end)
    finally:
        srv.stop()


@test
def http_details():
    srv = Server(WEIR)
    try:
        srv.sql(DDL)
        # HEAD: the GET's headers, no body.
        c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
        c.request("HEAD", "/v1/views")
        r = c.getresponse()
        check(r.status == 200 and int(r.getheader("Content-Length")) > 0,
              r.status)
        check(r.read() == b"", "HEAD has a body")
        c.close()
        # Expect: 100-continue gets its interim response before the body.
        s = socket.create_connection(("127.0.0.1", srv.port))
        body = b"SELECT team FROM scores;"
        s.sendall(b"POST /v1/statements HTTP/1.1\r\nHost: x\r\n"
                  b"Expect: 100-continue\r\nContent-Length: %d\r\n\r\n"
                  % len(body))
        s.settimeout(5)
        data = s.recv(4096)
        check(data.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"), data)
        s.sendall(body)
        while b"\r\n\r\n{" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
        s.close()
        check(b"HTTP/1.1 200" in data, data)
        # Percent-encoded path segments are decoded.
        st, doc = srv.request("GET", "/v1/views/tot%61ls")
        check(st == 200 and doc["name"] == "totals", (st, doc))
        # A NUL byte in the body is refused, not a truncated statement.
        st, doc = srv.request("POST", "/v1/statements",
                              b"SELECT team FROM scores;\x00DROP VIEW totals;")
        check(st == 400 and "NUL" in doc["error"]["message"], (st, doc))
        st, doc = srv.request("GET", "/v1/views/totals")
        check(st == 200, doc)
    finally:
        srv.stop()


@test
def statement_ids_and_sql():
    import tempfile
    d = tempfile.mkdtemp(prefix="weir-sink-")
    srv = Server(WEIR)
    try:
        srv.sql(DDL)
        # Each query's sql is its own statement, not the rest of the body.
        doc = srv.sql("SELECT team FROM scores;\nSELECT player, score "
                      "FROM scores WHERE score > 1;")
        ids = [o["id"] for o in doc["statements"] if o["kind"] == "query"]
        check(len(ids) == 2 and doc["id"] == ids[0], doc)
        st, qs = srv.request("GET", "/v1/queries")
        sql = {q["id"]: q["sql"] for q in qs["queries"]}
        check(sql[ids[0]].rstrip("; ") == "SELECT team FROM scores",
              sql[ids[0]])
        check(sql[ids[1]].rstrip("; ") ==
              "SELECT player, score FROM scores WHERE score > 1", sql[ids[1]])
        # The id is the first query started, a sink pipeline included.
        doc = srv.sql("CREATE SINK o WITH (connector = 'file', path = '%s', "
                      "format = 'json');\nINSERT INTO o SELECT team FROM "
                      "scores;\nSELECT score FROM scores;" % (d + "/o.jsonl"))
        later = [o["id"] for o in doc["statements"] if o["kind"] == "query"]
        check(len(later) == 1 and doc["id"] != later[0], doc)
        st, q = srv.request("GET", "/v1/queries/" + doc["id"])
        check(q["sql"].startswith("INSERT INTO o"), q)
        check(int(doc["id"][1:]) < int(later[0][1:]), doc)
    finally:
        srv.stop()


@test
def state_dir_compacted():
    import tempfile
    d = tempfile.mkdtemp(prefix="weir-state-")
    srv = Server(WEIR, "--state-dir", d)
    srv.sql(DDL)
    srv.sql("DROP VIEW per10;")
    srv.sql("CREATE MATERIALIZED VIEW per10 AS SELECT team FROM scores;")
    srv.sql("DROP VIEW per10;")
    cat = open(os.path.join(d, "catalog.sql")).read()
    srv.stop()
    check("per10" not in cat and "DROP" not in cat, cat)
    check(cat.count("CREATE") == 2 and "totals" in cat, cat)
    check(not os.path.exists(os.path.join(d, "catalog.sql.tmp")), d)
    srv = Server(WEIR, "--state-dir", d)
    try:
        st, doc = srv.request("GET", "/v1/queries")
        states = [q["state"] for q in doc["queries"]]
        check(states == ["running"], doc)   # totals' query, no ghost
        st, doc = srv.request("GET", "/v1/views")
        check([v["name"] for v in doc["views"]] == ["totals"], doc)
    finally:
        srv.stop()


@test
def bounded_query_in_background():
    # A query over a file runs in the background: the POST answers with
    # its id; its rows arrive through /changes and the finished result.
    import tempfile
    d = tempfile.mkdtemp(prefix="weir-file-")
    path = os.path.join(d, "in.csv")
    n = 100000
    with open(path, "w") as f:
        f.write("a,b\n")
        for i in range(n):
            f.write("%d,k%d\n" % (i, i % 5))
    srv = Server(WEIR)
    try:
        doc = srv.sql("CREATE SOURCE f (a BIGINT, b VARCHAR) WITH (connector"
                      " = 'file', path = '%s', format = 'csv');\nSELECT b, "
                      "COUNT(*) AS n, SUM(a) AS s FROM f GROUP BY b;" % path)
        qs = [o for o in doc["statements"] if o["kind"] == "query"]
        check(len(qs) == 1 and doc["id"] == qs[0]["id"], doc)
        check(qs[0]["state"] in ("running", "finished"), qs[0])
        qid = doc["id"]
        c = Sse(srv.port, "/v1/queries/%s/changes" % qid)
        check(c.wait(lambda s: s.ended and s.closed), "no end event")
        end = [x for e, x in c.events if e == "end"][0]
        check(end["state"] == "finished", end)
        want = sorted_rows([["k%d" % k, n // 5,
                             sum(i for i in range(n) if i % 5 == k)]
                            for k in range(5)])
        check(c.table() == want, (c.table(), want))
        st, q = srv.request("GET", "/v1/queries/" + qid)
        check(q["state"] == "finished" and q["rows_in"] == n
              and q["result_rows"] == 5, q)
    finally:
        srv.stop()


@test
def remote_repl():
    import subprocess
    import threading
    srv = Server(WEIR, "--token", "tok")
    try:
        def weir(*args, timeout=30, sig=None):
            p = subprocess.Popen([WEIR, "--connect", "127.0.0.1:%d" % srv.port,
                                  "--token", "tok"] + list(args),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
            if sig:
                time.sleep(timeout)
                p.send_signal(sig)
            out, err = p.communicate(timeout=30)
            return p.returncode, out, err
        rc, out, err = weir("-c", DDL + "SELECT 40 + 2 AS answer;")
        check(rc == 0, (rc, out, err))
        check("Source scores created." in out and "answer" in out
              and "42" in out, out)
        # Errors keep their line and column, relative to the script.
        rc, out, err = weir("-c", "SELECT 1;\nSELECT nope\n  FROM scores;")
        check(rc == 1 and "line 2, column 8" in err, (rc, out, err))
        # A continuous query streams its changelog until Ctrl-C.
        srv.token = "tok"
        rows = gen_rows(30, 3)
        feeder = threading.Thread(
            target=lambda: (time.sleep(1.5), insert(srv, rows)))
        feeder.start()
        rc, out, err = weir("--mode", "json", "-c",
                            "SELECT team, SUM(score) AS total FROM scores "
                            "GROUP BY team;", timeout=4, sig=signal.SIGINT)
        feeder.join()
        import json
        table = {}
        for line in out.splitlines():
            d = json.loads(line)
            if d["op"] in ("+I", "+U"):
                table[d["team"]] = d["total"]
            else:
                check(table.pop(d["team"]) == d["total"], line)
        want = {t: tot for t, tot, _ in expected_totals(rows)}
        check(table == want, (table, want))
        check(rc == 130 and "interrupted" in err, (rc, err))
        st, doc = srv.request("GET", "/v1/queries")
        stopped = [q for q in doc["queries"] if q["sql"].startswith(
            "SELECT team, SUM")]
        check(stopped and stopped[0]["state"] == "stopped", doc)
        # Killed with SIGTERM (no DELETE sent): its query, owned by its
        # stream, is stopped by the server when the connection goes.
        rc, out, err = weir("-c", "SELECT player, score FROM scores;",
                            timeout=1.5, sig=signal.SIGTERM)
        killed = []
        for _ in range(100):
            st, doc = srv.request("GET", "/v1/queries")
            killed = [q for q in doc["queries"] if q["sql"].startswith(
                "SELECT player, score")]
            if killed and killed[0]["state"] != "running":
                break
            time.sleep(0.05)
        check(killed and killed[0]["state"] == "stopped", doc)
        # .view reads a materialized view on the server.
        rc, out, err = weir("-c", ".view totals")
        check(rc == 0, (rc, out, err))
        for t, tot, n in expected_totals(rows):
            check(any(l.split() == ["│", t, "│", str(tot), "│", str(n), "│"]
                      for l in out.splitlines()), (t, out))
        # A server that is not there.
        p = subprocess.run([WEIR, "--connect", "127.0.0.1:1", "-c",
                            "SELECT 1;"], capture_output=True, text=True)
        check(p.returncode == 1 and "cannot connect" in p.stderr, p)
    finally:
        srv.stop()


@test
def demo():
    srv = Server(WEIR, "--demo")
    try:
        ok = False
        for _ in range(100):
            st, doc = srv.request("GET", "/v1/views/team_totals")
            if st == 200 and doc["rows"] and sum(r[2] for r in doc["rows"]) > 20:
                ok = True
                break
            time.sleep(0.05)
        check(ok, doc)
        c = Sse(srv.port, "/v1/views/team_totals/changes")
        check(c.wait(lambda s: any(n == "change" for n, _ in s.events)),
              "no live changes from the demo")
        c.close()
    finally:
        rc = srv.stop()
    check(rc == 0, srv.output())


def main():
    names = sys.argv[2:]
    failed = 0
    for t in TESTS:
        if names and t.__name__ not in names:
            continue
        t0 = time.time()
        try:
            t()
            print("ok   %s (%.1fs)" % (t.__name__, time.time() - t0))
        except Exception as e:  # noqa: BLE001
            failed += 1
            print("FAIL %s: %s" % (t.__name__, e))
            import traceback
            traceback.print_exc()
        sys.stdout.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
