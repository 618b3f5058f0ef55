"""``strife eval hrdsattack``: where and when, on attacks on human-rights defenders.

HRDsAttack (``dev.json`` and ``train.json``, Ran et al. 2023) holds news articles
about attacks on human-rights defenders, each with one crowd annotation of the
event: its ``country``, ``region``, ``city``, ``year``, ``month`` and ``date``
(the day). Both files are read (they are the development data here; the set's
test half is not shipped). The page is the title, the publication time on its
own line (``Input.publish_date``, as a scraped page shows it, so the clean stage
reads it as the page's publication time), a blank line and the article:
``Input.article_interface`` with its HTML tags stripped, one paragraph per
``<p>``.

strife's answer is read off the event the article is about (:func:`main_event`):
the gold describes the article's attack, and a long article tells of others in
passing, so the event is the first violent or arrest event (``isaf.dated_event``)
among those placed in the country most of its events are placed in (between
countries with as many events, the article's own country: its headline's, else its
lead's, else its focus country). Its ``location`` (``country``, ``admin1``,
``name``) and its ``date.start`` answer. The set is scored per article, so an
article with no event (an op-ed, a court ruling, a statement about detentions), or
whose event has no place or date, is answered with the article's own place
(``locate.locate_article``: the headline's, the lead's or the focus country) and
date (``dates.date_article``: the lead's day, the dateline or the publication
date). Metrics, each over the items whose gold for that
field is usable (so each has its own count, listed in the report's notes):

- ``country_accuracy``: the gold country, as ISO alpha-2 (``locate.country_code``;
  "USA", "People's Republic of China"; "England" is GB), equals the location's.
  The annotators give the sovereign state (Hong Kong's events are "People's
  Republic of China"), so Hong Kong and Macau count as CN on both sides
  (:data:`SOVEREIGN`);
- ``region_accuracy``: the gold region and the location's ``admin1`` are the same
  admin-1 area of the gold country (``locate.admin1_key``; "Zamfara" and
  "Zamfara State" agree);
- ``city_accuracy``: the gold city equals the location's ``name`` once both are
  folded (case, accents, punctuation); a misspelt gold ("Beijin") is a miss;
- ``year_accuracy``, ``month_accuracy``, ``day_accuracy``: each part of the
  gold date equals that part of the event's ``date.start``;
- ``articles_per_second``.

Gold normalisation (:func:`gold_from`): "None", "unknown", "N/A", empty and null
are *no gold* and the item is left out of that field's metric; years and days
come as "2021.0" or "26.0" (read as integers; a day outside 1..31 or a year
outside 1900..2100 is no gold); months as "02", "February" or misspelt
("Novermber": the first three letters); a gold country or region that names no
known country or area ("Africa", "Greece and India", a political party) is no
gold. ``merged_sample`` is the gold (the set has one annotation per item).

The ``baseline``: the publication date for the date, the first country the
page names for the country, and no region or city.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from strife.document import Document, Event
from strife.errors import InputError
from strife.evaluate import EvalReport
from strife.evaluate._places import admin1_of, country_key, first_country
from strife.evaluate._systems import Item, run_systems
from strife.settings import Settings

DATA_FILES = ("dev.json", "train.json")
INPUT_FAILURES = "input"
#: Gold values that mean "not annotated".
NO_GOLD = frozenset({"", "none", "null", "unknown", "n/a", "n//a", "na", "nan"})
FIELDS = ("country", "region", "city", "year", "month", "day")
#: ISO 3166-1 codes of territories the gold gives as their sovereign state.
SOVEREIGN = {"HK": "CN", "MO": "CN"}
_TAG = re.compile(r"<[^>]+>")
_PARAGRAPH = re.compile(r"</p>\s*<p[^>]*>", re.I)
_FOLD = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Answer:
    """Where and when, in comparable form: alpha-2, admin-1 key, folded city, date parts."""

    country: str | None = None
    region: str | None = None
    city: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None


def evaluate_hrdsattack(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife and the baseline on the HRDsAttack articles under ``path``.

    Args:
        path: the folder with ``dev.json`` and ``train.json``, or one of those files.
        settings: passed to every pipeline stage.
        limit: score only the first ``limit`` articles.
        progress: called with (done, total) after each batch.

    Returns:
        The report, with ``country_accuracy``, ``region_accuracy``, ``city_accuracy``,
        ``year_accuracy``, ``month_accuracy``, ``day_accuracy`` and
        ``articles_per_second`` per system.

    Raises:
        InputError: no file, or no readable article.
    """
    failures: dict[str, list[str]] = {}
    items = _load(path, failures)[:limit]
    published = {item.page: _published_line(item.page) for item in items}
    return run_systems(
        f"hrdsattack:{path.name}",
        items,
        settings=settings,
        strife_answer=lambda document: strife_answer(document, settings=settings),
        baseline_answer=lambda page: baseline_answer(page, published.get(page)),
        empty_answer=Answer,
        new_tally=_Tally,
        failures=failures,
        progress=progress,
    )


def strife_answer(document: Document, *, settings: Settings | None = None) -> Answer:
    """Where and when strife places the article's event, else the article itself."""
    from strife.dates import date_article
    from strife.locate import locate_article

    # Asked for only when no event says where or when: it parses the headline again.
    @cache
    def article() -> dict[str, Any] | None:
        return locate_article(document, settings=settings or Settings())

    event = main_event(document.events, article=article)
    location = event.location if event is not None else None
    when = event.date if event is not None else None
    return _answer(location or article(), when or date_article(document))


def _answer(location: dict[str, Any] | None, when: dict[str, Any] | None) -> Answer:
    location = location or {}
    where = location.get("country")
    admin1 = location.get("admin1")
    region = admin1_of(admin1, where) if admin1 and where else None
    name = location.get("name")
    start = _iso_date((when or {}).get("start"))
    return Answer(
        _sovereign(where),
        region,
        fold(name) if name else None,
        start.year if start else None,
        start.month if start else None,
        start.day if start else None,
    )


def baseline_answer(page: str, published: date | None) -> Answer:
    """The publication date, and the first country the page names."""
    return Answer(
        _sovereign(first_country(page)),
        None,
        None,
        published.year if published else None,
        published.month if published else None,
        published.day if published else None,
    )


def main_event(
    events: list[Event], *, article: Callable[[], dict[str, Any] | None] | None = None
) -> Event | None:
    """The first violent or arrest event in the country most events are placed in.

    Between countries with as many events, the article's own country decides
    (``article``: the headline's, else the lead's, else the focus country).
    """
    from strife.evaluate.isaf import dated_event

    countries = Counter(event.location["country"] for event in events if event.location)
    if not countries:
        return dated_event(events)
    most = max(countries.values())
    tied = [country for country, count in countries.items() if count == most]
    top = tied[0]
    if len(tied) > 1 and article is not None:
        own = (article() or {}).get("country")
        top = own if own in tied else top
    return dated_event([e for e in events if e.location and e.location["country"] == top])


def _sovereign(code: str | None) -> str | None:
    return SOVEREIGN.get(code, code) if code else None


def fold(name: str) -> str:
    """A place name for comparison: no accents, no case, no punctuation."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _FOLD.sub(" ", ascii_name.lower()).strip()


def gold_from(annotation: dict[str, Any]) -> Answer:
    """The usable gold of one annotation (None where it has none; see the module notes)."""
    country = _text(annotation.get("country"))
    code = _sovereign(country_key(country) if country else None)
    region = _text(annotation.get("region"))
    city = _text(annotation.get("city"))
    year = _number(annotation.get("year"), 1900, 2100)
    return Answer(
        code,
        admin1_of(region, code) if region and code else None,
        fold(city) if city else None,
        year,
        _month(annotation.get("month")),
        _number(annotation.get("date"), 1, 31),
    )


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if text.lower() in NO_GOLD else text


def _number(value: Any, low: int, high: int) -> int | None:
    text = _text(value)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() and low <= number <= high else None


def _month(value: Any) -> int | None:
    text = _text(value)
    if text is None:
        return None
    if text.replace(".0", "").isdigit():
        return _number(text, 1, 12)
    from strife._date_expressions import MONTH_NUMBERS

    return MONTH_NUMBERS.get(text[:3].lower())


def _iso_date(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _published_line(page: str) -> date | None:
    """The publication date the page carries on its second line."""
    lines = page.split("\n", 2)
    return _iso_date(lines[1][:10]) if len(lines) > 1 else None


class _Tally:
    def __init__(self) -> None:
        self.articles = 0
        self.seconds = 0.0
        self.right = dict.fromkeys(FIELDS, 0)
        self.scored = dict.fromkeys(FIELDS, 0)

    def add(self, gold: Answer, answer: Answer, seconds: float) -> None:
        self.articles += 1
        self.seconds += seconds
        for name in FIELDS:
            expected = getattr(gold, name)
            if expected is None:
                continue  # no usable gold for this field
            self.scored[name] += 1
            self.right[name] += getattr(answer, name) == expected

    def metrics(self) -> dict[str, float]:
        metrics = {
            f"{name}_accuracy": self.right[name] / self.scored[name] if self.scored[name] else 0.0
            for name in FIELDS
        }
        metrics["articles_per_second"] = self.articles / self.seconds if self.seconds else 0.0
        return metrics


def _load(path: Path, failures: dict[str, list[str]]) -> list[Item[Answer]]:
    files = [path / name for name in DATA_FILES] if path.is_dir() else [path]
    rows: list[Item[Answer]] = []
    for file in files:
        if not file.exists() and path.is_dir():
            continue
        try:
            records = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"cannot read the HRDsAttack file ({exc})", source=str(file)) from exc
        if not isinstance(records, list):
            raise InputError("expected a JSON list of samples", source=str(file))
        for number, record in enumerate(records):
            key = f"{file.stem}:{number}"
            try:
                rows.append(_row(record, key))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                failures.setdefault(INPUT_FAILURES, []).append(
                    f"{key}: unreadable ({type(exc).__name__}: {exc})"
                )
    if not rows:
        raise InputError(
            'no readable sample; expected [{"sample": {"Input.title", "Input.publish_date", '
            '"Input.article_interface"}, "merged_sample": {"country", ...}}, ...] in '
            + " or ".join(DATA_FILES),
            source=str(path),
        )
    return rows


def _row(record: dict[str, Any], key: str) -> Item[Answer]:
    sample = record["sample"]
    gold = record.get("merged_sample") or record["annotations"][0]["annotation"]
    body = _PARAGRAPH.split(sample["Input.article_interface"])
    paragraphs = [html.unescape(_TAG.sub(" ", part)) for part in body]
    text = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
    if not text:
        raise ValueError("no article text")
    published = str(sample.get("Input.publish_date") or "").strip()
    title = " ".join(str(sample.get("Input.title") or "").split())
    page = f"{title}\n{published}\n\n{text}"
    return Item(str(sample.get("Input.GLOBALEVENTID", key)), page, gold_from(gold))
