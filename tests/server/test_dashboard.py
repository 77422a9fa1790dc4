#!/usr/bin/env python3
"""tests/server/test_dashboard.py — starts `weir serve` on a free loopback
port and runs dashboard_cdp.js (headless chromium driven over the
DevTools protocol) against it. The screenshot lands in OUT_DIR.

usage: test_dashboard.py WEIR OUT_DIR"""
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from weirserver import Server  # noqa: E402

weir, out = sys.argv[1], sys.argv[2]
for prog in ("chromium", "node"):
    if not shutil.which(prog):
        print("SKIP: %s is not installed (deps.sh installs it)" % prog)
        sys.exit(77)
srv = Server(weir)
try:
    js = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "dashboard_cdp.js")
    p = subprocess.run(["node", "--experimental-websocket", "--no-warnings",
                        js, "http://127.0.0.1:%d" % srv.port, out],
                       timeout=120)
    rc = p.returncode
finally:
    src = srv.stop()
if rc != 0:
    print(srv.output())
sys.exit(rc or src)
