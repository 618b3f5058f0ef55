"""What ``strife serve`` answers under load: latency and throughput on a large record.

Fills a fresh SQLite database with ``events`` synthetic record events (spread over
ten countries and three years, each with a place, figures, two claims and a report,
as linking writes them), starts ``strife serve`` on it in its own process, and sends
requests from ``clients`` concurrent clients on loopback for ``seconds``, each client
asking in turn for the events page (HTML with its timeline), the map data its script
fetches, and the JSON events list. Every request draws its own filters (country, a
date window, a minimum toll, a category, a later page), so no cache of a few answers
could pass for speed. Reports p50 and p95 latency (ms) and requests per second, per
route family and over all, and the CPU time per request of the server (all its
processes, read from Linux's ``/proc``) and of the clients; the server and the
clients share this machine's cores.

The clients are Python (httpx, asyncio) or, where it is installed, ``wrk`` (see
``_wrk.py``: the same requests for far less CPU, but figures over all routes only);
``--client both`` runs one after the other against the same server.

Run: ``python -m strife.evaluate.load [EVENTS] [CLIENTS] [SECONDS] [WORKERS]
[--client python|wrk|both]`` (default: both where wrk is installed, else python).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import quantiles
from typing import Any
from urllib.parse import urlencode

from strife.evaluate._wrk import run_wrk, wrk_available

#: The route families the clients ask for, in turn: the events page, the map data its
#: script then fetches, and the JSON list. Each request draws its own filters.
ROUTES = ("/events", "/api/events/map", "/api/events")
COUNTRIES = ("SY", "IQ", "AF", "YE", "SO", "NG", "ML", "SD", "UA", "MM")
#: The span of the synthetic events' days (three years from 2023-01-01).
FIRST_DAY, DAYS = date(2023, 1, 1), 3 * 365
#: How often each filter is drawn, and its values: a mix of what people ask for.
FILTER_CHANCE = {"country": 0.5, "dates": 0.3, "min_fatalities": 0.3, "category": 0.1}
TOLLS = (1, 5, 10, 20, 50)
CATEGORIES = ("explosions_remote_violence", "battles")
#: Pages of the list beyond the first (offset in 50s), asked for this often.
PAGE_CHANCE, PAGES = 0.2, 20
BATCH = 5_000
#: Paths drawn in advance for wrk, which asks for them in turn (more than a run sends).
WRK_PATHS = 100_000


def fill(database: Path, events: int, *, seed: int = 7) -> None:
    """Write ``events`` synthetic incidents (with a report each) into a fresh database."""
    from sqlalchemy import insert

    from strife.store.models import IncidentRow
    from strife.store.repository import open_repository

    rng = random.Random(seed)
    now = datetime(2026, 11, 1)
    with open_repository(database) as repository, repository._write() as session:
        for first in range(0, events, BATCH):
            rows = [_incident(n, rng, now) for n in range(first, min(events, first + BATCH))]
            session.execute(insert(IncidentRow), rows)


def _incident(n: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    country = COUNTRIES[n % len(COUNTRIES)]
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    lat, lon = 15 + rng.random() * 25, 30 + rng.random() * 40
    best = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 45))
    place = f"Town {n % 997}"
    claims = [
        {
            "source": name,
            "source_kind": kind,
            "article": n,
            "property": "fatalities",
            "value": value,
            "low": value,
            "high": value,
            "qualifier": None,
            "hedge": "reported",
            "text": f"{value} people were killed",
            "start": 10,
            "end": 32,
        }
        for name, kind, value in (
            ("Local health office", "medical", best),
            ("A monitoring group", "monitoring_group", best + 1),
        )
    ]
    data = {
        "category": "explosions_remote_violence",
        "subtype": "shelling_artillery_missile_attack",
        "codes": {"acled": "Shelling/artillery/missile attack", "plover": "ASSAULT"},
        "date": {"start": day.isoformat(), "end": day.isoformat(), "precision": "day"},
        "location": {
            "name": place,
            "admin1": f"Province {n % 13}",
            "country": country,
            "lat": lat,
            "lon": lon,
            "precision": "city",
            "text": place,
        },
        "actors": [{"role": "victim", "text": "civilians", "kind": "civilians"}],
        "fatalities": {
            "low": best,
            "best": best,
            "high": best + 1,
            "rule": "latest_per_source_median",
        },
        "injuries": {"low": None, "best": None, "high": None, "rule": None},
        "sources": [
            {"name": c["source"], "kind": c["source_kind"], "articles": [n]} for c in claims
        ],
        "independent_sources": 2,
        "corroborated": True,
        "disputed": [],
        "reports": [
            {
                "article": {
                    "id": n,
                    "location": f"page-{n}",
                    "title": f"Shelling in {place}",
                    "published": day.isoformat(),
                    "publisher": None,
                },
                "event": f"{n:016x}-e1",
                "method": "new",
                "score": None,
                "reasons": None,
            }
        ],
        "claims": claims,
    }
    return {
        "public_id": f"ev-{n:012x}",
        "category": data["category"],
        "subtype": data["subtype"],
        "date_start": day,
        "date_end": day,
        "country": country,
        "admin1": f"Province {n % 13}",
        "place": place,
        "lat": lat,
        "lon": lon,
        "fatalities_best": best,
        "fatalities_low": best,
        "fatalities_high": best + 1,
        "independent_sources": 2,
        "reports": 1,
        "data": data,
        "created_at": now,
        "updated_at": now,
    }


def draw_filters(rng: random.Random, *, paged: bool) -> dict[str, str]:
    """One request's filters, drawn at random (none a quarter of the time or so)."""
    filters: dict[str, str] = {}
    if rng.random() < FILTER_CHANCE["country"]:
        filters["country"] = rng.choice(COUNTRIES)
    if rng.random() < FILTER_CHANCE["dates"]:
        since = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
        filters["since"] = since.isoformat()
        filters["until"] = (since + timedelta(days=rng.randrange(30, 366))).isoformat()
    if rng.random() < FILTER_CHANCE["min_fatalities"]:
        filters["min_fatalities"] = str(rng.choice(TOLLS))
    if rng.random() < FILTER_CHANCE["category"]:
        filters["category"] = rng.choice(CATEGORIES)
    if paged and rng.random() < PAGE_CHANCE:
        filters["offset"] = str(50 * rng.randrange(1, PAGES + 1))
    return filters


def draw_paths(count: int, *, seed: int = 11) -> list[str]:
    """``count`` request paths, the route families in turn, each with its own filters."""
    rng = random.Random(seed)
    paths = []
    for n in range(count):
        route = ROUTES[n % len(ROUTES)]
        query = urlencode(draw_filters(rng, paged=route != ROUTES[1]))
        paths.append(f"{route}?{query}" if query else route)
    return paths


async def _client(
    base: str, deadline: float, times: dict[str, list[float]], errors: list[str], seed: int
) -> None:
    import httpx

    rng = random.Random(seed)
    async with httpx.AsyncClient(base_url=base, timeout=30.0) as client:
        turn = rng.randrange(len(ROUTES))
        while time.perf_counter() < deadline:
            route = ROUTES[turn % len(ROUTES)]
            turn += 1
            clock = time.perf_counter()
            response = await client.get(route, params=draw_filters(rng, paged=route != ROUTES[1]))
            elapsed = (time.perf_counter() - clock) * 1000
            if response.status_code != 200:
                errors.append(f"{route}: {response.status_code}")
            times[route].append(elapsed)


async def _drive(
    base: str, clients: int, seconds: float
) -> tuple[dict[str, list[float]], list[str]]:
    times: dict[str, list[float]] = {route: [] for route in ROUTES}
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    await asyncio.gather(*(_client(base, deadline, times, errors, n) for n in range(clients)))
    return times, errors


def measure(
    events: int, clients: int, seconds: float, workers: int = 1, *, kinds: tuple[str, ...]
) -> dict[str, Any]:
    """Fill, serve (with ``workers`` processes), load with each of ``kinds`` of client
    (``python``, ``wrk``) in turn; the figures as a dict (see above)."""
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "record.sqlite"
        clock = time.perf_counter()
        fill(database, events)
        fill_seconds = time.perf_counter() - clock
        port = _free_port()
        serve = ["serve", "--db", str(database), "--port", str(port), "--workers", str(workers)]
        server = subprocess.Popen(
            [sys.executable, "-m", "strife", *serve],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, server)
            asyncio.run(_drive(base, 2, 2.0))  # warm up: first requests open the database
            results = {
                kind: _load(kind, base, clients, seconds, Path(folder), server.pid)
                for kind in kinds
            }
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "events": events,
        "clients": clients,
        "seconds": seconds,
        "workers": workers,
        "fill_seconds": round(fill_seconds, 1),
        **results,
    }


def _load(
    kind: str, base: str, clients: int, seconds: float, folder: Path, server: int
) -> dict[str, Any]:
    """One kind of client's run: wrk's figures, or the Python clients' per route family,
    with the CPU the server and the clients spent per request."""
    server_before, clients_before = _server_cpu_seconds(server), _client_cpu_seconds()
    figures: dict[str, Any]
    if kind == "wrk":
        paths = draw_paths(WRK_PATHS)
        figures = {"all": run_wrk(base, paths, clients=clients, seconds=seconds, folder=folder)}
    else:
        times, errors = asyncio.run(_drive(base, clients, seconds))
        every = [t for route in ROUTES for t in times[route]]
        figures = {
            "errors": len(errors),
            "all": _summary(every, seconds),
            "routes": {route: _summary(times[route], seconds) for route in ROUTES},
        }
    requests = figures["all"]["requests"] or 1
    server_spent = _server_cpu_seconds(server) - server_before
    clients_spent = _client_cpu_seconds() - clients_before
    figures["server_cpu_ms_per_request"] = round(server_spent * 1000 / requests, 2)
    figures["client_cpu_ms_per_request"] = round(clients_spent * 1000 / requests, 2)
    return figures


def _server_cpu_seconds(pid: int) -> float:
    """CPU seconds (user and system) spent so far by the server process and its workers.

    Read from Linux's ``/proc``: ``--workers`` runs uvicorn's workers as children of
    the process started, so every process whose parent is ``pid`` counts too.
    """
    tick = os.sysconf("SC_CLK_TCK")
    spent = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The fields after the command name (which may hold spaces) in parentheses.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended while the folder was read
        own, parent = int(stat.parent.name), int(fields[1])
        if pid in (own, parent):
            spent += (int(fields[11]) + int(fields[12])) / tick
    return spent


def _client_cpu_seconds() -> float:
    """CPU seconds of this process (the Python clients) and of its finished children (wrk)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _summary(times: list[float], seconds: float) -> dict[str, float]:
    if len(times) < 2:
        return {"requests": float(len(times))}
    cuts = quantiles(times, n=20)
    return {
        "requests": float(len(times)),
        "per_second": round(len(times) / seconds, 1),
        "p50_ms": round(cuts[9], 1),
        "p95_ms": round(cuts[18], 1),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    for _ in range(600):
        if server.poll() is not None:
            message = server.stderr.read().decode() if server.stderr else ""
            raise RuntimeError(f"strife serve stopped: {message[-500:]}")
        try:
            if httpx.get(f"{base}/api/events?limit=1", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("strife serve did not answer within a minute")


def main(arguments: list[str] | None = None) -> None:
    """The command line: the figures as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m strife.evaluate.load")
    parser.add_argument("events", nargs="?", type=int, default=100_000)
    parser.add_argument("clients", nargs="?", type=int, default=50)
    parser.add_argument("seconds", nargs="?", type=float, default=30.0)
    parser.add_argument("workers", nargs="?", type=int, default=1)
    parser.add_argument("--client", choices=("python", "wrk", "both"), default=None)
    given = parser.parse_args(arguments)
    client = given.client or ("both" if wrk_available() else "python")
    if client != "python" and not wrk_available():
        parser.error("wrk is not installed (Debian: apt-get install wrk); use --client python")
    kinds = ("python", "wrk") if client == "both" else (client,)
    figures = measure(given.events, given.clients, given.seconds, given.workers, kinds=kinds)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
