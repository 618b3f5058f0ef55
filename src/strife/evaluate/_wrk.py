"""The load of ``strife.evaluate.load`` sent by ``wrk``, a load generator written in C.

The Python clients of ``load.py`` spend about 2.5 ms of CPU per request on the
cores the server also runs on; wrk spends a small fraction of that, so more of the
machine is left to the server. The requests are the same: ``load.py`` draws each
request's path (route and filters) in advance, and the Lua script below has each of
wrk's connections ask for the next path of that list in turn. wrk reports latency
over all requests only, not per route family.

wrk is not a dependency of strife (Debian: ``apt-get install wrk``); without it the
load runs with the Python clients alone.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

#: wrk's event-loop threads: one sends a few hundred requests a second with CPU to
#: spare, and every extra thread takes a core from the server.
THREADS = 1
#: The Lua script: paths from PATHS_FILE in turn, spread over the threads; at the end
#: one line of JSON with the counts and latency percentiles (wrk counts microseconds).
SCRIPT = """
local paths = {}
for line in io.lines("PATHS_FILE") do paths[#paths + 1] = line end
local threads = 0
function setup(thread)
  thread:set("first", threads * math.floor(#paths / THREADS))
  threads = threads + 1
end
local turn = 0
function request()
  turn = turn + 1
  return wrk.format("GET", paths[(first + turn) % #paths + 1])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "microseconds": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"failed": %d, "not_ok": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


def wrk_available() -> bool:
    """Whether a ``wrk`` program is on the PATH."""
    return shutil.which("wrk") is not None


def run_wrk(
    base: str, paths: list[str], *, clients: int, seconds: float, folder: Path
) -> dict[str, Any]:
    """Send ``paths`` in turn from ``clients`` connections for ``seconds``; wrk's figures.

    Returns:
        ``requests``, ``per_second``, ``p50_ms``, ``p95_ms`` over all requests, and
        ``errors``: failed connections and reads plus answers other than 2xx and 3xx.

    Raises:
        RuntimeError: wrk failed or printed no figures.
    """
    listed = folder / "paths.txt"
    listed.write_text("\n".join(paths) + "\n", encoding="utf-8")
    script = folder / "load.lua"
    text = SCRIPT.replace("PATHS_FILE", str(listed)).replace("THREADS", str(THREADS))
    script.write_text(text, encoding="utf-8")
    command = ["wrk", f"-t{THREADS}", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "30s"]
    finished = subprocess.run(
        [*command, "-s", str(script), base], capture_output=True, text=True, check=False
    )
    figures = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    if finished.returncode != 0 or not figures:
        raise RuntimeError(f"wrk failed: {finished.stderr.strip() or finished.stdout[-500:]}")
    counts = json.loads(figures[-1])
    elapsed = counts["microseconds"] / 1e6
    return {
        "requests": float(counts["requests"]),
        "per_second": round(counts["requests"] / elapsed, 1),
        "p50_ms": round(counts["p50_us"] / 1000, 1),
        "p95_ms": round(counts["p95_us"] / 1000, 1),
        "errors": counts["failed"] + counts["not_ok"],
    }
