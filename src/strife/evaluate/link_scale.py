"""What linking costs as the record grows: time per report, and the comparisons blocking allows.

Synthetic reports (no model, no pages): incidents spread over countries and their
provinces with Zipf weights (a few countries and provinces dominate the news, as in
ACLED), and over days; each incident is told by one to four reports (articles),
published over two days, with their own wording, toll and precision; one report in
:data:`UNPLACED_SHARE` is placed in no country. They are stored with the store's own
:meth:`Repository.save_documents` into a fresh database, then :func:`link_pending`
links them all, timed, while the candidates the store looks up for each report
(``_link_lookup.candidate_rows``: same country or none, dates within the window) are
counted.

The record grows by days at a constant rate of reports a day (as a backfill does),
so blocking should keep the candidates per report, and the time per report, flat as
the record grows; linking unblocked would compare N²/2 pairs. Each size is also
timed by quarter of its run: the last quarter links against a record four times the
first's. Times are this process's CPU time (SQLite runs in it), beside the wall time:
the machine is shared, and CPU time is what another run's load does not inflate.
Run as ``python -m strife.evaluate.link_scale [--db URL] [--per-day N] SIZE...`` (one
size per ``--db``); it prints one JSON object per size.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import random
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from strife.document import Actor, Article, Claim, Document, Event, Figures, PageInput, Source
from strife.settings import Settings

#: Countries in the synthetic news, weighted 1/rank (Zipf), as conflict news is.
COUNTRIES = 40
#: Provinces per country, weighted 1/rank as well.
PROVINCES = 12
#: Towns per province, each with its own point.
TOWNS = 6
#: Words of an incident's own (half of them in each report) and of a report's own.
DETAIL_WORDS = 6
OWN_WORDS = 25
#: Outlets the reports come from.
OUTLETS = 300
#: Reports placed in no country: they meet every country's reports in their window.
UNPLACED_SHARE = 0.03
#: The record's first day.
FIRST_DAY = date(2020, 1, 1)
#: Kinds of event and how they are told (title; the toll and the town are filled in).
KINDS = (
    (
        "explosions_remote_violence",
        "shelling_artillery_missile_attack",
        "Shelling kills {n} in {t}",
    ),
    ("explosions_remote_violence", "air_drone_strike", "Air strike on {t} kills {n}"),
    ("battles", "armed_clash", "{n} dead in clashes near {t}"),
    ("violence_against_civilians", "attack", "Gunmen kill {n} villagers in {t}"),
    ("protests", "peaceful_protest", "Thousands march in {t} over prices"),
)
#: Words reports of any incident share: the common vocabulary of conflict news.
COMMON_WORDS = (
    "officials said witnesses reported residents local hospital police army forces "
    "district market morning night village security sources killed wounded injured "
    "attack government fighters rebels civilians children women town area"
)
#: Syllables of the made-up place names.
SYLLABLES = "ka ra bad mes rin tal hu zor dan qas il ma sur ben ko lat sha vir"

#: A town (name, lat, lon); a province (name, towns); a country (code, provinces).
Town = tuple[str, float, float]
Country = tuple[str, list[tuple[str, list[Town]]]]


def measure_link_scale(
    reports: int, *, per_day: int, settings: Settings, db: str | None = None, seed: int = 7
) -> dict[str, Any]:
    """Store ``reports`` synthetic reports (``per_day`` a day) and time linking them.

    ``db``: a database URL to fill (it should be empty); default a fresh SQLite file.
    """
    from strife.store.linking import link_pending
    from strife.store.repository import open_repository

    documents = synthetic_reports(reports, per_day=per_day, seed=seed)
    marks: list[tuple[int, float, float]] = []
    with (
        tempfile.TemporaryDirectory() as folder,
        open_repository(db or Path(folder) / "record.sqlite") as repository,
    ):
        for start in range(0, len(documents), 500):
            repository.save_documents(documents[start : start + 500])
        marks.append((0, time.perf_counter(), time.process_time()))
        with _counted_candidates() as candidates:
            linked = link_pending(
                repository,
                settings=settings,
                progress=lambda done, total: marks.append(
                    (done, time.perf_counter(), time.process_time())
                ),
            )
    seconds, cpu_seconds = marks[-1][1] - marks[0][1], marks[-1][2] - marks[0][2]
    return {
        "reports": linked.reports,
        "reports_per_day": per_day,
        "days": math.ceil(reports / per_day),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "cpu_ms_per_report": round(1000 * cpu_seconds / linked.reports, 3),
        "cpu_ms_per_report_by_quarter": _by_quarter(marks),
        "candidates": candidates[0],
        "candidates_per_report": round(candidates[0] / linked.reports, 1),
        "unblocked_pairs": linked.reports * (linked.reports - 1) // 2,
        "new_incidents": linked.new_incidents,
        "joined": linked.joined,
    }


@dataclass(frozen=True, slots=True)
class _Incident:
    """What every report of one incident shares."""

    number: int
    kind: tuple[str, str, str]
    killed: int
    day: date
    where: tuple[str, str, Town]
    #: Words only this incident's reports use (a landmark, a name, a detail).
    details: tuple[str, ...]


def synthetic_reports(count: int, *, per_day: int, seed: int = 7) -> list[Document]:
    """``count`` reports of incidents, ``per_day`` a day, in the order they are published."""
    rng = random.Random(seed)
    places = _places(rng)
    days = max(1, math.ceil(count / per_day))
    told: list[tuple[int, Document]] = []
    while len(told) < count:
        incident = _Incident(
            number=len(told),
            kind=KINDS[rng.randrange(len(KINDS))],
            killed=rng.choice([0, 1, 2, 3, 5, 8, 12, 20, 35]),
            day=FIRST_DAY + timedelta(days=rng.randrange(days)),
            where=_pick_place(rng, places),
            details=tuple(_name(rng).lower() for _ in range(DETAIL_WORDS)),
        )
        for version in range(min(1 + int(rng.expovariate(1.0)), 4)):  # 1-4 reports, mostly 1-2
            published = incident.day + timedelta(days=rng.choice([0, 0, 1]))
            document = _report(rng, incident, version, published)
            told.append((published.toordinal() * 10 + version, document))
    told.sort(key=lambda pair: pair[0])  # stored, so linked, in the order they came out
    return [document for _, document in told[:count]]


def _places(rng: random.Random) -> list[Country]:
    """Countries (made-up codes), their provinces and towns with points."""
    countries = []
    for c in range(COUNTRIES):
        code = f"{chr(65 + c // 26)}{chr(65 + c % 26)}"
        lat0, lon0 = rng.uniform(-30, 50), rng.uniform(-20, 100)
        provinces = []
        for p in range(PROVINCES):
            towns = [
                (_name(rng), lat0 + p * 0.8 + rng.uniform(0, 0.7), lon0 + rng.uniform(0, 0.7))
                for _ in range(TOWNS)
            ]
            provinces.append((f"{_name(rng)} Province", towns))
        countries.append((code, provinces))
    return countries


def _pick_place(rng: random.Random, places: list[Country]) -> tuple[str, str, Town]:
    country, provinces = places[_zipf(rng, len(places))]
    province, towns = provinces[_zipf(rng, len(provinces))]
    return country, province, towns[rng.randrange(len(towns))]


def _zipf(rng: random.Random, n: int) -> int:
    """An index in range(n), weighted 1/(rank+1)."""
    return rng.choices(range(n), weights=[1 / (rank + 1) for rank in range(n)])[0]


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES.split()) for _ in range(rng.randint(2, 3))).capitalize()


def _report(rng: random.Random, incident: _Incident, version: int, published: date) -> Document:
    """One article telling one incident: its own outlet, words, toll (rising) and precision."""
    category, subtype, title_form = incident.kind
    placed = rng.random() >= UNPLACED_SHARE
    town = incident.where[2][0]
    toll = incident.killed + rng.choice([0, 0, 1, 2]) * version
    title = title_form.format(n=toll, t=town)
    words = [
        *rng.sample(COMMON_WORDS.split(), 6),
        *rng.sample(incident.details, DETAIL_WORDS // 2),
        *(_name(rng).lower() for _ in range(OWN_WORDS)),
    ]
    rng.shuffle(words)
    text = f"{title}. {toll} people died in {town} on {incident.day:%A}: {' '.join(words)}."
    page = PageInput(f"synthetic://{incident.number}/{version}", f"<p>{text}</p>".encode())
    document = Document(input=page, page_kind="html")
    document.article = Article(text=text, title=title, published=published)
    outlet = f"The {_name(random.Random(rng.randrange(OUTLETS)))} Times"
    document.sources = [Source("s0", outlet, "outlet"), Source("s1", "police", "official")]
    event = Event(
        id=f"{document.id}-e1",
        category=category,
        subtype=subtype,
        actors=[Actor("perpetrator", "gunmen", rng.choice(["rebel_group", "state_forces"]))],
        claims=[Claim("s1", "fatalities", toll, f"{toll} people", 0, 9, low=toll)],
        fatalities=Figures(toll, toll, toll, "acled_lowest_specific"),
        date={"start": f"{incident.day}", "end": f"{incident.day}", "precision": "day", "text": ""},
        spans=[(0, len(text))],
    )
    if placed:
        country, province, (name, lat, lon) = incident.where
        precise = rng.random() < 0.7  # the rest are placed only in their province
        event.location = {
            "name": name if precise else province,
            "admin1": province,
            "country": country,
            "lat": lat if precise else None,
            "lon": lon if precise else None,
            "precision": "city" if precise else "admin1",
            "text": town,
            "basis": "event",
        }
    document.events = [event]
    return document


@contextmanager
def _counted_candidates() -> Iterator[list[int]]:
    """Count the candidates the store looks up for each report while linking runs."""
    from strife.store import _link_lookup

    lookup = _link_lookup.candidate_rows
    counted = [0]

    def counting(*args: Any, **options: Any) -> list[tuple[int, int]]:
        found = lookup(*args, **options)
        counted[0] += len(found)
        return found

    _link_lookup.candidate_rows = counting
    try:
        yield counted
    finally:
        _link_lookup.candidate_rows = lookup


def _by_quarter(marks: list[tuple[int, float, float]]) -> list[float]:
    """CPU milliseconds per report in each quarter of the run (at the batches nearest its
    edges)."""
    total = marks[-1][0]
    edges = [min(marks, key=lambda mark: abs(mark[0] - total * q / 4)) for q in range(5)]
    return [
        round(1000 * (b[2] - a[2]) / (b[0] - a[0]), 3) if b[0] > a[0] else 0.0
        for a, b in itertools.pairwise(edges)
    ]


def main() -> None:
    from strife.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="+", type=int, metavar="SIZE")
    parser.add_argument("--per-day", type=int, default=200, help="reports a day")
    parser.add_argument("--db", help="an empty database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    for size in args.sizes:
        settings = load_settings()
        result = measure_link_scale(size, per_day=args.per_day, settings=settings, db=args.db)
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
