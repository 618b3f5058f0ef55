"""Check a cleaned article against a hand-made reference in the seed's gold format.

The reference (``<page>.gold.json``, rules in the seed's README) lists what a
careful analyst takes from the page: title, subtitle, authors, publisher, the
publication instant with its offset, captions with credits, and snippets the
body must and must not contain. Each check is returned with its outcome, so a
benchmark can count them and a test can name the one that failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from strife.document import Article, Claim, Document, Event
from strife.errors import InputError
from strife.locate.distance import km_between


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of the reference and whether the article meets it."""

    name: str
    passed: bool
    detail: str = ""


def load_gold(path: Path) -> dict[str, Any]:
    """Read a gold reference file.

    Raises:
        InputError: the file is missing or not JSON.
    """
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the reference ({exc})", source=str(path)) from exc
    return data


def check_article(article: Article, gold: dict[str, Any]) -> list[Check]:
    """Every ``article`` check of the reference, in its order."""
    expected = gold["article"]
    checks = [
        _equal("title", article.title, expected.get("title")),
        _equal("subtitle", article.subtitle, expected.get("subtitle")),
        _equal("publisher", article.publisher, expected.get("publisher")),
    ]
    for author in expected.get("authors", []):
        checks.append(Check(f"author {author}", author in article.authors))
    if "published" in expected:
        checks.append(_published(article, expected["published"]))
    for caption in expected.get("captions", []):
        found = any(
            c.text.startswith(caption["text"]) and c.credit == caption.get("credit")
            for c in article.captions
        )
        checks.append(Check(f"caption {caption['text'][:40]}", found))
    for snippet in expected.get("text_must_include", []):
        checks.append(Check(f"includes {snippet[:40]}", snippet in article.text))
    for snippet in expected.get("text_must_exclude", []):
        checks.append(Check(f"excludes {snippet[:40]}", snippet not in article.text))
    return checks


def _equal(name: str, found: str | None, wanted: str | None) -> Check:
    if wanted is None:
        return Check(name, True, "not in the reference")
    same = " ".join((found or "").split()) == " ".join(wanted.split())
    return Check(name, same, "" if same else f"got {found!r}")


def _published(article: Article, wanted: str) -> Check:
    expected = datetime.fromisoformat(wanted)
    found = article.published
    ok = (
        isinstance(found, datetime)
        and found.tzinfo is not None
        and found == expected
        and found.utcoffset() == expected.utcoffset()
    )
    return Check("published", ok, "" if ok else f"got {found!r}")


def check_events(document: Document, gold: dict[str, Any]) -> list[Check]:
    """Every violent event of the reference, matched to its best extracted event.

    Checked: the category, each claim (property, value, qualifier, source,
    the vague word or the perpetrator's kind), the victims, a disputed or
    unknown perpetrator, the mechanism, the place (in the country, and within
    ``max_km`` or named as one of ``place_names``) and the date (overlapping
    ``date_window``).
    """
    names = {source.id: source.name for source in document.sources}
    checks: list[Check] = []
    for wanted in gold.get("events", []):
        best: list[Check] = []
        for event in document.events:
            found = _event_checks(event, wanted, names)
            if sum(c.passed for c in found) > sum(c.passed for c in best) or not best:
                best = found
        if not best:
            best = [Check(f"{wanted['label']}: an event", False, "no events extracted")]
        checks += best
    return checks


def _event_checks(event: Event, wanted: dict[str, Any], names: dict[str, str]) -> list[Check]:
    label = wanted["label"]
    checks = []
    if wanted.get("category", "any") != "any":
        checks.append(Check(f"{label}: category", event.category == wanted["category"]))
    for claim in wanted.get("claims", []):
        found = any(_claim_matches(c, claim, names) for c in event.claims)
        checks.append(Check(f"{label}: {_describe(claim)}", found))
    if wanted.get("perpetrator_disputed"):
        checks.append(Check(f"{label}: perpetrator disputed", event.perpetrator_disputed))
    if wanted.get("perpetrator_known") is False:
        asserted = any(c.property == "perpetrator" and c.hedge == "asserted" for c in event.claims)
        checks.append(Check(f"{label}: no perpetrator asserted as fact", not asserted))
    if "victims_kind" in wanted:
        kinds = {a.kind for a in event.actors if a.role == "victim"}
        checks.append(
            Check(f"{label}: victims {wanted['victims_kind']}", wanted["victims_kind"] in kinds)
        )
    if "mechanism_any" in wanted:
        described = f"{event.trigger} {event.subtype}".lower().replace("_", " ")
        hit = any(m.lower().replace("_", " ") in described for m in wanted["mechanism_any"])
        checks.append(Check(f"{label}: mechanism", hit))
    if "country" in wanted:
        checks.append(_place_check(label, event.location, wanted))
    if "date_window" in wanted:
        checks.append(_date_check(label, event.date, wanted["date_window"]))
    return checks


def _place_check(label: str, location: dict[str, Any] | None, wanted: dict[str, Any]) -> Check:
    name = f"{label}: place"
    if not location or location.get("lat") is None:
        return Check(name, False, "no location")
    detail = f"{location['name']} ({location['country']}), text {location['text']!r}"
    if location["country"] != wanted["country"]:
        return Check(name, False, detail)
    named = {n.lower() for n in wanted.get("place_names", [])}
    if {str(location["name"]).lower(), str(location["text"]).lower()} & named:
        return Check(name, True, detail)
    distance = km_between(location["lat"], location["lon"], wanted["lat"], wanted["lon"])
    return Check(name, distance <= wanted["max_km"], f"{detail}, {distance:.0f} km away")


def _date_check(label: str, date: dict[str, Any] | None, window: list[str]) -> Check:
    name = f"{label}: date"
    if not date or not date.get("start"):
        return Check(name, False, "no date")
    end = date.get("end") or date["start"]
    overlaps = date["start"] <= window[1] and end >= window[0]
    return Check(name, overlaps, f"{date['start']}..{end} vs {window[0]}..{window[1]}")


def _claim_matches(claim: Claim, wanted: dict[str, Any], names: dict[str, str]) -> bool:
    if claim.property != wanted["property"]:
        return False
    source = names.get(claim.source, "").lower()
    if "source_any" in wanted and not any(s.lower() in source for s in wanted["source_any"]):
        return False
    if "text_any" in wanted and not any(
        t.lower() in claim.text.lower() for t in wanted["text_any"]
    ):
        return False
    if "actor_kind" in wanted and claim.value != wanted["actor_kind"]:
        return False
    if "value" in wanted and claim.value != wanted["value"]:
        return False
    return "qualifier" not in wanted or claim.qualifier == wanted["qualifier"]


def _describe(claim: dict[str, Any]) -> str:
    what = claim.get("value", claim.get("actor_kind", "/".join(claim.get("text_any", []))))
    who = "/".join(claim.get("source_any", ["any source"]))
    return f"{claim['property']} {what} {claim.get('qualifier', '')} per {who}".strip()
