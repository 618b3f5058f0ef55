"""What ``strife serve`` answers under load: latency and throughput on a large record.

Fills a fresh SQLite database with ``events`` synthetic record events (spread over
ten countries and three years, each with a place, figures, two claims and a report,
as linking writes them), starts ``strife serve`` on it in its own process, and sends
requests from ``clients`` concurrent clients on loopback for ``seconds``, each client
asking in turn for the events page (HTML with its timeline), the map data its script
fetches, and the JSON events list. Every request draws its own filters (country, a
date window, a minimum toll, a category, a later page), so no cache of a few answers
could pass for speed. Reports p50 and p95 latency (ms) and requests per second, per
route family and over all; the server and the clients share this machine's cores.

Run: ``python -m strife.evaluate.load [EVENTS] [CLIENTS] [SECONDS] [WORKERS]``.
"""

from __future__ import annotations

import asyncio
import json
import random
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from statistics import quantiles
from typing import Any

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


def measure(events: int, clients: int, seconds: float, workers: int = 1) -> dict[str, Any]:
    """Fill, serve (with ``workers`` processes), load; the figures as a dict (see above)."""
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
            times, errors = asyncio.run(_drive(base, clients, seconds))
        finally:
            server.terminate()
            server.wait(timeout=30)
    every = [t for route in ROUTES for t in times[route]]
    return {
        "events": events,
        "clients": clients,
        "seconds": seconds,
        "workers": workers,
        "fill_seconds": round(fill_seconds, 1),
        "errors": len(errors),
        "all": _summary(every, seconds),
        "routes": {route: _summary(times[route], seconds) for route in ROUTES},
    }


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


if __name__ == "__main__":
    arguments = [float(a) for a in sys.argv[1:]]
    defaults = [100_000, 50, 30, 1]
    count, concurrency, duration, processes = (arguments + defaults[len(arguments) :])[:4]
    print(json.dumps(measure(int(count), int(concurrency), duration, int(processes)), indent=2))
