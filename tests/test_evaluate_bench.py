"""The seed checker, floors and the BENCHMARKS.md writer, on hand-made results."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from strife.document import Article, Caption, Document, Event, PageInput
from strife.evaluate import EvalReport
from strife.evaluate.bench import Benchmark, check_floors, update_floors, write_benchmarks
from strife.evaluate.seed import check_article, check_events
from strife.locate.distance import km_between

GOLD = {
    "article": {
        "title": "Storm floods the valley",
        "subtitle": "Hundreds leave their homes",
        "publisher": "The Valley Courier",
        "authors": ["Mara Lind"],
        "published": "2024-05-03T09:10:00+02:00",
        "captions": [{"text": "Water on the main road", "credit": "AFP"}],
        "text_must_include": ["the river burst its banks"],
        "text_must_exclude": ["Subscribe now"],
    }
}


def _article(**changes: object) -> Article:
    article = Article(
        text="On Friday the river burst its banks.\n\nSchools closed.",
        title="Storm  floods the valley",
        subtitle="Hundreds leave their homes",
        authors=["Mara Lind"],
        publisher="The Valley Courier",
        published=datetime(2024, 5, 3, 9, 10, tzinfo=timezone(timedelta(hours=2))),
        captions=[Caption("Water on the main road near the bridge", "AFP")],
    )
    for key, value in changes.items():
        setattr(article, key, value)
    return article


def test_bench_check_article_passes_a_matching_article() -> None:
    assert all(check.passed for check in check_article(_article(), GOLD))


def test_bench_check_article_names_each_failure() -> None:
    same_instant_other_offset = datetime(2024, 5, 3, 7, 10, tzinfo=UTC)
    article = _article(
        published=same_instant_other_offset,
        text="Subscribe now. On Friday the river burst its banks.",
        captions=[Caption("Water on the main road", None)],
    )
    failed = {c.name.split()[0] for c in check_article(article, GOLD) if not c.passed}
    assert failed == {"published", "caption", "excludes"}


def _result(f1: float, fingerprint: str = "abc") -> Benchmark:
    report = EvalReport("demo", 3, 1.0, {"strife": {"f1": f1, "pages_per_second": 50.0}})
    return Benchmark("demo", "strife eval demo", "three pages", fingerprint, report)


PLACED_GOLD = {
    "events": [
        {
            "label": "Flood deaths in the valley town",
            "country": "SY",
            "lat": 34.73,
            "lon": 36.72,
            "max_km": 25,
            "place_names": ["Valley Town"],
            "date_window": ["2024-05-02", "2024-05-03"],
        }
    ]
}


def _placed(location: dict[str, object] | None, date: dict[str, str] | None) -> Document:
    document = Document(PageInput("inline", b""))
    document.events = [Event("e1", "other", "flood", location=location, date=date)]
    return document


def _location(lat: float, lon: float, name: str = "Somewhere", country: str = "SY") -> dict:
    return {"name": name, "text": name, "country": country, "lat": lat, "lon": lon}


def test_bench_check_events_places_and_dates_each_event() -> None:
    near = _placed(_location(34.80, 36.70), {"start": "2024-05-01", "end": "2024-05-02"})
    assert [c.passed for c in check_events(near, PLACED_GOLD)] == [True, True]
    named = _placed(
        _location(10.0, 10.0, name="Valley Town"), {"start": "2024-05-03", "end": "2024-05-03"}
    )
    assert [c.passed for c in check_events(named, PLACED_GOLD)] == [True, True]
    far = _placed(_location(36.2, 37.16), {"start": "2024-05-04", "end": "2024-05-05"})
    place, date = check_events(far, PLACED_GOLD)
    assert not place.passed
    assert "km away" in place.detail
    assert not date.passed
    abroad = _placed(_location(34.73, 36.72, country="LB"), None)
    assert [c.passed for c in check_events(abroad, PLACED_GOLD)] == [False, False]
    assert [c.detail for c in check_events(_placed(None, None), PLACED_GOLD)] == [
        "no location",
        "no date",
    ]


def test_km_between_is_great_circle_distance() -> None:
    assert km_between(34.73, 36.72, 34.73, 36.72) == 0
    assert 135 < km_between(34.73, 36.72, 33.51, 36.29) < 145  # Homs to Damascus: 141 km
    assert round(km_between(0, 0, 0, 180)) == 20_015


def test_bench_floors_rise_but_do_not_fall_without_leave(tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    update_floors([_result(0.90)], floors, allow_lower=False)
    pinned = json.loads(floors.read_text())["demo"]["floors"]
    assert pinned == {"strife.f1": 0.895}  # speed is never floored
    update_floors([_result(0.80)], floors, allow_lower=False)
    assert json.loads(floors.read_text())["demo"]["floors"]["strife.f1"] == 0.895
    update_floors([_result(0.80)], floors, allow_lower=True)
    assert json.loads(floors.read_text())["demo"]["floors"]["strife.f1"] == 0.795


def test_bench_check_floors_fails_below_and_ignores_other_data(tmp_path: Path) -> None:
    floors = tmp_path / "floors.json"
    update_floors([_result(0.90)], floors, allow_lower=False)
    assert [c.passed for c in check_floors([_result(0.91)], floors)] == [True]
    assert [c.passed for c in check_floors([_result(0.85)], floors)] == [False]
    assert check_floors([_result(0.10, fingerprint="other")], floors) == []


def test_bench_write_replaces_only_its_own_part(tmp_path: Path) -> None:
    target = tmp_path / "BENCHMARKS.md"
    target.write_text(
        "# Benchmarks\n\nProse stays.\n\n<!-- generated: bench-demo -->\nold\n<!-- /generated -->\n"
        "\nMore prose.\n"
    )
    write_benchmarks([_result(0.912)], target)
    text = target.read_text()
    assert "Prose stays." in text
    assert "More prose." in text
    assert "old" not in text
    assert "| strife | 0.912 | 50.0 |" in text
    write_benchmarks([_result(0.5)], target)
    assert target.read_text().count("<!-- generated: bench-demo -->") == 1


SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
FLOORS = Path(__file__).resolve().parent.parent / "benchmarks" / "floors.json"


@pytest.mark.slow
@pytest.mark.eval
@pytest.mark.skipif(
    not (SHARED / "eval").exists(), reason="../shared/eval is not beside the project"
)
def test_bench_every_floor_holds() -> None:
    """CI's guard on accuracy: what `strife bench` measures stays at or above its floors."""
    from strife.evaluate.bench import run_benchmarks
    from strife.settings import Settings

    results = run_benchmarks(SHARED, settings=Settings())
    checks = check_floors(results, FLOORS)
    assert checks, "no floor applies: the data's fingerprint changed, re-pin with --set-floors"
    assert [c for c in checks if not c.passed] == []
