"""Tests for linking: reports of one incident across articles become one event in the record.

The pages are short wire-style reports composed here: three articles on one market
shelling in a Syrian town (two on the day, a follow-up with a higher toll), and one on
a car bomb in another city the same day. They run through the whole pipeline
(ingest), then through ``link_pending``; the scoring and reconciliation rules are
also tested alone on hand-made reports.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from strife.cli import app, main
from strife.errors import RecordEditError, RecordNotFoundError
from strife.link.reconcile import ReportFacts, summarize
from strife.link.score import Limits, Report, score_pair
from strife.link.terms import idf_weights, report_terms
from strife.settings import Settings
from strife.store.linking import _nearest_toll, link_pending, report_incidents
from strife.store.models import IncidentRow
from strife.store.records import (
    RecordQuery,
    changes_since,
    find_records,
    get_record,
    merge_incidents,
    split_reports,
)
from strife.store.repository import Repository, _now, open_repository

PAGES = [
    {
        "id": "market-1",
        "published": "2016-05-10T09:00:00+03:00",
        "text": "Shelling kills 12 in Talbiseh market\n\nAt least 12 people were killed on "
        "Monday when government artillery shelled the crowded market in Talbiseh, north of "
        "Homs, the Syrian Observatory for Human Rights said.\n\nWomen and children were among "
        "the dead and dozens were wounded. Rescue workers searched the rubble of shops for "
        "survivors late into the night.",
    },
    {
        "id": "market-2",
        "published": "2016-05-10T14:30:00+03:00",
        "text": "Market shelling in Talbiseh leaves 15 dead\n\nGovernment shells hit a crowded "
        "market in the town of Talbiseh in Homs province on Monday, killing 15 civilians, "
        "local activists said. The Syrian Observatory for Human Rights put the toll at 12."
        "\n\nThe town has been held by rebels since 2012 and is regularly shelled.",
    },
    {
        "id": "car-bomb",
        "published": "2016-05-10T11:00:00+03:00",
        "text": "Car bomb kills five at Hasakah checkpoint\n\nA car bomb exploded near a "
        "checkpoint in Hasakah on Monday, killing five members of the Kurdish security "
        "forces, the state news agency SANA said.\n\nNo group immediately claimed the "
        "attack on the city in the far northeast.",
    },
]
FOLLOW_UP = {
    "id": "market-3",
    "published": "2016-05-11T10:00:00+03:00",
    "text": "Talbiseh market toll rises to 20\n\nThe death toll from Monday's shelling of the "
    "market in Talbiseh, north of Homs, has risen to 20, the Syrian Observatory for Human "
    "Rights said on Wednesday.\n\nThe monitor said wounded people had died in field "
    "hospitals overnight.",
}


def _write(path: Path, pages: list[dict[str, str]]) -> str:
    path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
    return str(path)


def _ingest(db: str, pages_file: str) -> None:
    from strife.ingest import ingest_pages

    with open_repository(db) as repository:
        ingest_pages([pages_file], repository=repository, settings=Settings(), workers=1)


def _ingest_and_link(db: str, pages_file: str, settings: Settings | None = None) -> None:
    _ingest(db, pages_file)
    with open_repository(db) as repository:
        link_pending(repository, settings=settings or Settings())


def _by_page(db: str) -> dict[str, set[str]]:
    """Each page id -> the incident ids its reports are in."""
    with open_repository(db) as repository:
        incidents = report_incidents(repository)
        articles = {a.id: a.location.rsplit("#", 1)[-1] for a in repository.find_articles()}
    found: dict[str, set[str]] = {}
    for (article, _), incident in incidents.items():
        found.setdefault(articles[article], set()).add(incident)
    return found


def _market_incident(db: str) -> dict[str, Any]:
    with open_repository(db) as repository:
        (record,) = find_records(repository, RecordQuery(place="Talbiseh"))
    return record


@pytest.fixture
def linked(tmp_path: Path, db: str) -> str:
    """A database holding the three pages, linked."""
    _ingest_and_link(db, _write(tmp_path / "pages.jsonl", PAGES))
    return db


def test_reports_of_one_incident_share_an_event_and_others_do_not(linked: str) -> None:
    by_page = _by_page(linked)

    assert by_page["market-1"] & by_page["market-2"]
    assert not (by_page["car-bomb"] & (by_page["market-1"] | by_page["market-2"]))
    market = _market_incident(linked)
    assert market["id"].startswith("ev-")
    assert len(market["id"]) == 15
    assert market["location"]["country"] == "SY"
    assert {r["article"]["location"].rsplit("#")[-1] for r in market["reports"]} == {
        "market-1",
        "market-2",
    }
    joined = [r for r in market["reports"] if r["method"] == "auto"]
    assert joined
    assert joined[0]["score"] >= Settings().link_merge_threshold
    assert set(joined[0]["reasons"]) == {"text", "date", "place", "category", "figures", "actors"}


def test_a_rerun_changes_nothing_and_ids_are_stable(tmp_path: Path, linked: str) -> None:
    before = _market_incident(linked)

    _ingest_and_link(linked, _write(tmp_path / "again.jsonl", PAGES))

    after = _market_incident(linked)
    assert after["id"] == before["id"]
    assert after["updated"] == before["updated"]
    with open_repository(linked) as repository:
        assert len(get_record(repository, after["id"])["history"]) == 2  # created, linked


def test_a_follow_up_revises_the_toll_and_the_feed_shows_it(tmp_path: Path, linked: str) -> None:
    moment = _now()
    before = _market_incident(linked)

    _ingest_and_link(linked, _write(tmp_path / "more.jsonl", [FOLLOW_UP]))

    after = _market_incident(linked)
    assert after["id"] == before["id"]
    assert len(after["reports"]) == 3
    # The Observatory's later count (20) replaces its earlier 12; activists said 15.
    assert after["fatalities"]["rule"] == "latest_per_source_median"
    assert after["fatalities"]["best"] > before["fatalities"]["best"]
    assert after["fatalities"]["high"] is None or after["fatalities"]["high"] >= 20
    with open_repository(linked) as repository:
        feed = changes_since(repository, moment)
        history = get_record(repository, after["id"])["history"]
    assert [record["id"] for record in feed] == [after["id"]]
    assert "fatalities" in feed[0]["changes"][-1]["changes"]
    assert history[-1]["action"] == "linked"
    assert history[-1]["changes"]["fatalities"][1]["best"] == after["fatalities"]["best"]


def test_split_and_merge_are_kept_across_later_linking(tmp_path: Path, linked: str) -> None:
    market = _market_incident(linked)
    second = next(r for r in market["reports"] if r["article"]["location"].endswith("market-2"))

    with open_repository(linked) as repository:
        parted = split_reports(repository, market["id"], [second["event"]], actor="ana")
        link_pending(repository, settings=Settings())  # nothing pending: nothing moves
        assert get_record(repository, parted["id"])["reports"][0]["event"] == second["event"]
        history = get_record(repository, market["id"])["history"]
        assert history[-1]["action"] == "split"
        assert history[-1]["by"] == "ana"

        merged = merge_incidents(repository, parted["id"], market["id"], actor="ben")
        assert len(merged["reports"]) == 2
        again = get_record(repository, parted["id"])
        assert again["id"] == market["id"]
        assert again["merged_from"] == parted["id"]


def test_a_split_report_stays_out_when_its_article_is_relinked(tmp_path: Path, db: str) -> None:
    _ingest_and_link(db, _write(tmp_path / "pages.jsonl", PAGES))
    market = _market_incident(db)
    second = next(r for r in market["reports"] if r["article"]["location"].endswith("market-2"))
    with open_repository(db) as repository:
        parted = split_reports(repository, market["id"], [second["event"]], actor="ana")

    # A corrected version of the split article: a revision follows its earlier version.
    revised = dict(PAGES[1], text=PAGES[1]["text"].replace("15 civilians", "16 civilians"))
    _ingest_and_link(db, _write(tmp_path / "revised.jsonl", [revised]))

    by_page = _by_page(db)
    assert parted["id"] in by_page["market-2"]
    assert market["id"] not in by_page["market-2"]


def test_the_sort_day_follows_the_start_through_linking_merges_and_splits(linked: str) -> None:
    from sqlalchemy import select

    from strife.store.models import UNDATED, IncidentRow

    def days(repository: Repository) -> list[tuple[date | None, date]]:
        with repository._read() as session:
            rows = session.execute(select(IncidentRow.date_start, IncidentRow.sort_day))
            return [(start, day) for start, day in rows]

    market = _market_incident(linked)
    with open_repository(linked) as repository:
        other = next(r for r in find_records(repository) if r["id"] != market["id"])
        merged = merge_incidents(repository, other["id"], market["id"], actor="ana")
        split_reports(repository, merged["id"], [merged["reports"][0]["event"]], actor="ana")
        found = days(repository)
    assert len(found) >= 3
    assert all(day == (start or UNDATED) for start, day in found)


def test_overview_cache_answers_again_until_the_record_changes(linked: str) -> None:
    from strife.store.overview import OverviewCache, fatalities_per_day, map_overview

    cache = OverviewCache()
    computed: list[int] = []
    market = _market_incident(linked)
    with open_repository(linked) as repository:

        def ids() -> set[str]:
            computed.append(1)
            return {p["id"] for p in map_overview(repository, RecordQuery(), points=100)["points"]}

        before = cache.answer(repository, "ids", ids)
        assert cache.answer(repository, "ids", ids) == before
        assert len(computed) == 1
        days = fatalities_per_day(repository, RecordQuery(), cache=cache)
        assert fatalities_per_day(repository, RecordQuery(), cache=cache) == days

        other = next(i for i in before if i != market["id"])
        merge_incidents(repository, other, market["id"], actor="ana")

        assert cache.answer(repository, "ids", ids) == before - {other}
        assert len(computed) == 2
        map_after = map_overview(repository, RecordQuery(), points=100, cache=cache)
        assert {p["id"] for p in map_after["points"]} == before - {other}


def test_editing_unknown_ids_and_reports_fails_clearly(linked: str) -> None:
    market = _market_incident(linked)
    with open_repository(linked) as repository:
        with pytest.raises(RecordNotFoundError, match="ev-000000000000"):
            get_record(repository, "ev-000000000000")
        with pytest.raises(RecordEditError, match="not a report of"):
            split_reports(repository, market["id"], ["nope-e1"], actor=None)
        keys = [r["event"] for r in market["reports"]]
        with pytest.raises(RecordEditError, match="at least one report"):
            split_reports(repository, market["id"], keys, actor=None)
        with pytest.raises(RecordEditError, match="already one incident"):
            merge_incidents(repository, market["id"], market["id"], actor=None)


def test_record_filters(linked: str) -> None:
    market = _market_incident(linked)
    lat, lon = market["location"]["lat"], market["location"]["lon"]
    with open_repository(linked) as repository:

        def ids(**filters: Any) -> set[str]:
            return {r["id"] for r in find_records(repository, RecordQuery(**filters))}

        everything = ids()
        assert market["id"] in everything
        assert len(everything) >= 2
        assert ids(near=(lat, lon), radius_km=5) == {market["id"]}
        assert ids(near=(lat + 1.0, lon), radius_km=5) == set()
        assert market["id"] in ids(source="observatory")
        assert market["id"] not in ids(source="SANA")
        assert market["id"] in ids(actor="government")
        assert ids(country="IQ") == set()
        assert ids(since=date(2016, 5, 12)) == set()
        assert market["id"] in ids(corroborated=True)
        assert len(ids(limit=1)) == 1


# --- scoring, alone ---------------------------------------------------------------

DAY = date(2016, 5, 9)


def _report(**fields: Any) -> Report:
    values: dict[str, Any] = {
        "id": 1,
        "article_id": 1,
        "category": "explosions_remote_violence",
        "subtype": "shelling_artillery_missile_attack",
        "start": DAY,
        "country": "SY",
        "admin1": "Homs",
        "place": "Talbiseh",
        "precision": "city",
        "lat": 34.84,
        "lon": 36.73,
        "fatalities": 12,
        "terms": {"shelling": 1, "market": 2, "talbiseh": 1},
    }
    values.update(fields)
    return Report(**values)


def _score(a: Report, b: Report) -> float | None:
    result = score_pair(a, b, idf=idf_weights({}, 0), limits=Limits())
    return None if result is None else result.total


def test_score_is_high_for_one_incident_and_low_for_another() -> None:
    same = _score(_report(), _report(id=2, fatalities=15))
    other = _report(
        id=3,
        place="Hama",
        lat=35.13,
        lon=36.75,
        admin1="Hama",
        fatalities=3,
        subtype="air_drone_strike",
        terms={"airstrike": 1, "bakery": 1, "hama": 1},
    )

    assert same is not None
    assert same >= Settings().link_merge_threshold
    assert (_score(_report(), other) or 0) < Settings().link_suggest_threshold


def test_blocking_keeps_apart_far_dates_other_countries_and_other_kinds() -> None:
    assert _score(_report(), _report(start=DAY + timedelta(days=4))) is None
    assert _score(_report(), _report(country="IQ", admin1="Nineveh")) is None
    assert _score(_report(), _report(category="protests", subtype="peaceful_protest")) is None
    # A report placed only in a country may have been placed wrongly: it is compared.
    assert _score(_report(), _report(country="RU", precision="country", place="Russia")) is not None


def test_a_city_named_like_its_province_counts_as_the_province() -> None:
    town = _report(place="Khan Shaykhun", admin1="Idlib", lat=35.44, lon=36.65)
    idlib = _report(place="Idlib", admin1="Idlib", lat=35.93, lon=36.63)

    result = score_pair(town, idlib, idf=idf_weights({}, 0), limits=Limits())

    assert result is not None
    assert result.parts["place"] == 0.5


def test_other_provinces_block_only_places_the_reports_name_themselves() -> None:
    hama = {"admin1": "Hama", "place": "Hama", "lat": 35.13, "lon": 36.75}
    own = _report(id=2, place_basis="event", **hama)
    # A place taken from the article's lead, not from the report's own sentences.
    borrowed = _report(id=2, place_basis="lead", **hama)

    assert _score(_report(place_basis="event"), own) is None
    result = score_pair(
        _report(place_basis="event"), borrowed, idf=idf_weights({}, 0), limits=Limits()
    )
    assert result is not None
    assert result.parts["place"] == 0.0


def test_a_toll_is_compared_with_the_nearest_of_its_incidents_figures() -> None:
    first = _report(fatalities=12)
    incident = IncidentRow(fatalities_low=12, fatalities_best=15, fatalities_high=40)

    assert _nearest_toll(first, incident, 38).fatalities == 40
    assert _nearest_toll(first, incident, 11).fatalities == 12
    assert _nearest_toll(first, incident, None) == first


def test_report_terms_use_the_lead_only_for_events_told_there() -> None:
    text = "Shelling kills 12 in Talbiseh market. " + "x " * 400 + "Separately, a bakery burned."
    lead = report_terms("Talbiseh shelling", text, [(0, 38)])
    later = report_terms("Talbiseh shelling", text, [(len(text) - 28, len(text))])

    assert {"talbiseh", "shelling", "market"} <= set(lead)
    assert set(later) == {"bakery", "burned", "separately"}


# --- reconciliation, alone --------------------------------------------------------


def _facts(
    number: int,
    claims: list[tuple[str, str, Any]],
    *,
    sources: dict[str, tuple[str, str]],
    publisher: str,
    published: str,
    terms: dict[str, int] | None = None,
) -> ReportFacts:
    event = {
        "category": "explosions_remote_violence",
        "subtype": "shelling_artillery_missile_attack",
        "claims": [
            {
                "source": sid,
                "property": prop,
                "value": value,
                "text": str(value),
                "start": 0,
                "end": 1,
                "low": value if isinstance(value, int) else None,
                "high": value if isinstance(value, int) else None,
            }
            for sid, prop, value in claims
        ],
    }
    article = {
        "id": number,
        "location": f"page-{number}",
        "title": None,
        "published": published,
        "publisher": publisher,
    }
    return ReportFacts(
        number,
        f"k{number}-e1",
        article,
        event,
        {"s0": (publisher, "outlet"), **sources},
        terms or {f"word{number}": 1},
    )


SOHR = ("Syrian Observatory for Human Rights", "monitoring_group")


def test_each_source_counts_once_with_its_latest_figure() -> None:
    early = _facts(
        1,
        [("s1", "fatalities", 12)],
        sources={"s1": SOHR},
        publisher="Paper A",
        published="2016-05-10",
    )
    activists = _facts(
        2,
        [("s1", "fatalities", 15)],
        sources={"s1": ("local activists", "activist_network")},
        publisher="Paper B",
        published="2016-05-10",
    )
    later = _facts(
        3,
        [("s1", "fatalities", 20)],
        sources={"s1": ("the Syrian Observatory for Human Rights", "monitoring_group")},
        publisher="Paper C",
        published="2016-05-11",
    )

    record = summarize([later, early, activists])

    assert record["fatalities"] == {
        "low": 15,
        "best": 15,
        "high": 20,
        "rule": "latest_per_source_median",
    }
    assert record["independent_sources"] == 2  # the Observatory and the activists
    assert record["corroborated"]
    assert [r["article"]["id"] for r in record["reports"]] == [1, 2, 3]


def test_outlets_repeating_one_agency_are_one_source() -> None:
    sana = ("SANA", "state_media")
    reports = [
        _facts(
            n,
            [("s1", "fatalities", 5)],
            sources={"s1": sana},
            publisher=f"Paper {n}",
            published="2016-05-10",
        )
        for n in (1, 2)
    ]
    copies = [
        _facts(
            n,
            [("s0", "fatalities", 5)],
            sources={},
            publisher=f"Paper {n}",
            published="2016-05-10",
            terms={"car": 1, "bomb": 1, "hasakah": 2},
        )
        for n in (3, 4)
    ]

    assert summarize(reports)["independent_sources"] == 1
    assert not summarize(reports)["corroborated"]
    # Two papers running one wire story word for word are one outlet.
    assert summarize(copies)["independent_sources"] == 1


def test_disputes_need_different_sides_or_far_apart_tolls() -> None:
    def blame(*kinds: str) -> dict[str, Any]:
        reports = [
            _facts(
                n,
                [("s0", "perpetrator", kind), ("s0", "fatalities", 10)],
                sources={},
                publisher=f"Paper {n}",
                published="2016-05-10",
            )
            for n, kind in enumerate(kinds, start=1)
        ]
        return summarize(reports)

    assert blame("state_forces", "government")["disputed"] == []
    assert blame("state_forces", "rebel_group")["disputed"] == ["perpetrator"]
    low = _facts(1, [("s0", "fatalities", 5)], sources={}, publisher="A", published="1")
    high = _facts(2, [("s0", "fatalities", 40)], sources={}, publisher="B", published="2")
    assert summarize([low, high])["disputed"] == ["fatalities"]


# --- the commands -----------------------------------------------------------------


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def test_an_unknown_event_id_exits_6_with_its_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "record.sqlite")
    monkeypatch.setattr(sys, "argv", ["strife", "event", "ev-000000000000", "--db", db])

    with pytest.raises(SystemExit) as exit_info:
        main()

    assert exit_info.value.code == 6
    assert "[E601]" in capsys.readouterr().err


def test_link_events_event_changes_and_export_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "record.sqlite")
    pages = _write(tmp_path / "pages.jsonl", PAGES)
    ingested = _invoke("ingest", pages, "--db", db, "--workers", "1", "--json")
    assert ingested.exit_code == 0, ingested.output
    assert json.loads(ingested.stdout)["link"]["reports"] >= 3

    relinked = _invoke("link", "--db", db, "--json")
    assert relinked.exit_code == 0
    assert json.loads(relinked.stdout)["reports"] == 0
    listed = _invoke("events", "--db", db, "--json").stdout.splitlines()
    records = [json.loads(line) for line in listed]
    market = next(r for r in records if len(r["reports"]) == 2)

    shown = _invoke("event", market["id"], "--db", db)
    assert shown.exit_code == 0
    assert "Syrian Observatory" in shown.stdout
    assert "latest_per_source_median" in shown.stdout

    feed = _invoke("changes", "--since", "2000-01-01", "--db", db)
    assert {json.loads(line)["id"] for line in feed.stdout.splitlines()} == {
        r["id"] for r in records
    }
    assert _invoke("changes", "--since", "2999-01-01", "--db", db).stdout == ""

    out = tmp_path / "record.csv"
    exported = _invoke("export", str(out), "--db", db, "--country", "SY")
    assert exported.exit_code == 0, exported.output
    assert market["id"] in out.read_text(encoding="utf-8")
    bad = _invoke("export", str(tmp_path / "record.xlsx"), "--db", db)
    assert bad.exit_code == 2
    assert "--format" in bad.output


def test_linking_stopped_midway_resumes_with_nothing_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import strife.store.linking as linking

    db = str(tmp_path / "record.sqlite")
    _ingest(db, _write(tmp_path / "p.jsonl", PAGES))
    monkeypatch.setattr(linking, "LINK_BATCH", 1)
    real_link = linking._Linker.link
    calls = {"n": 0}

    def crash_on_the_third(self: Any, session: Any, row: Any, report: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("power cut")
        real_link(self, session, row, report)

    monkeypatch.setattr(linking._Linker, "link", crash_on_the_third)
    with open_repository(db) as repository, pytest.raises(RuntimeError, match="power cut"):
        link_pending(repository, settings=Settings())
    monkeypatch.setattr(linking._Linker, "link", real_link)

    with open_repository(db) as repository:
        assert len(report_incidents(repository)) == 2  # two batches committed, the third not
        resumed = link_pending(repository, settings=Settings())
        records = find_records(repository)
        linked = report_incidents(repository)
        stored = repository.find_events()
    assert resumed.reports >= 1
    assert len(linked) == len(stored)  # every report linked, once
    assert sum(len(record["reports"]) for record in records) == len(stored)


def test_link_merge_and_split_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "record.sqlite")
    pages = _write(tmp_path / "pages.jsonl", PAGES)
    assert _invoke("ingest", pages, "--db", db, "--workers", "1").exit_code == 0
    market = _market_incident(db)
    other = next(
        r
        for r in map(json.loads, _invoke("events", "--db", db, "--json").stdout.splitlines())
        if r["id"] != market["id"]
    )

    merged = _invoke("link", "merge", other["id"], market["id"], "--db", db, "--by", "ana")
    assert merged.exit_code == 0, merged.output
    assert f"{other['id']} merged into {market['id']}" in merged.stdout
    shown = json.loads(_invoke("event", other["id"], "--db", db, "--json").stdout)
    assert shown["id"] == market["id"]
    assert shown["history"][-1]["by"] == "ana"

    key = next(
        r["event"] for r in shown["reports"] if r["article"]["location"].endswith("car-bomb")
    )
    parted = _invoke("link", "split", market["id"], key, "--db", db, "--note", "another attack")
    assert parted.exit_code == 0, parted.output
    assert f"split from {market['id']}" in parted.stdout


@pytest.mark.parametrize(("threshold", "incidents"), [(0.0, 1), (1.01, 2)])
def test_events_of_one_article_share_an_incident_only_above_their_own_threshold(
    tmp_path: Path, threshold: float, incidents: int
) -> None:
    # The car bomb page gives two events (the bombing, and "the attack" it is called later).
    db = str(tmp_path / "record.sqlite")
    settings = Settings(link_same_article_threshold=threshold)
    _ingest_and_link(db, _write(tmp_path / "p.jsonl", PAGES), settings)

    assert len(_by_page(db)["car-bomb"]) == incidents


def _daily_report(number: int, day: int, weekday: str, toll: int) -> dict[str, str]:
    """One of an outlet's formulaic daily reports: a new attack each time, told alike."""
    return {
        "id": f"daily-{number}",
        "published": f"2016-11-{day:02d}T18:00:00+03:00",
        "text": f"{toll} civilians killed in terrorist rocket attack on Aleppo\n\n{day} November "
        f"2016 Terrorist organizations fired rocket shells on {weekday} at residential "
        f"neighborhoods in Aleppo city, killing {toll} civilians and injuring others, a source "
        "at Aleppo Police Command told SANA.\n\nThe attack caused material damage to houses "
        "and public property.",
    }


def test_formulaic_daily_reports_do_not_chain_beyond_the_incidents_window(
    tmp_path: Path, db: str
) -> None:
    pages = [
        _daily_report(1, 21, "Monday", 3),
        _daily_report(2, 23, "Wednesday", 4),
        _daily_report(3, 25, "Friday", 3),
    ]
    _ingest_and_link(db, _write(tmp_path / "daily.jsonl", pages))
    by_page = _by_page(db)

    # Worded alike two days apart, the second joins the first (so a chain could follow; text
    # cannot tell these from one incident's reports); the third is two days from the
    # second but four from the incident's date: it starts its own.
    assert by_page["daily-2"] == by_page["daily-1"]
    assert not by_page["daily-3"] & by_page["daily-1"]


def test_plotted_records_agree_with_the_records(linked: str) -> None:
    from strife.store.records import plot_records

    market = _market_incident(linked)
    near = (market["location"]["lat"], market["location"]["lon"])
    with open_repository(linked) as repository:
        for query in (RecordQuery(), RecordQuery(country="SY"), RecordQuery(near=near)):
            records = find_records(repository, query)
            plotted = plot_records(repository, query, limit=100)
            assert {p["id"] for p in plotted} == {r["id"] for r in records}
            for point in plotted:
                record = next(r for r in records if r["id"] == point["id"])
                assert point["date"]["start"] == record["date"]["start"]
                assert point["fatalities"]["best"] == record["fatalities"]["best"]
                assert point["location"]["lat"] == record["location"]["lat"]
        assert len(plot_records(repository, RecordQuery(), limit=1)) == 1
