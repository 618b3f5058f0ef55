"""Tests for strife.document: the strife/1 form and its round trip through JSON."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from strife.document import (
    SCHEMA,
    Article,
    Caption,
    Document,
    PageInput,
    Problem,
    TraceEntry,
)

RAW_PAGE = (
    b"<html><head><title>Market shelled in Korsk</title></head><body><p>Three people were "
    b"killed when shells hit the eastern market of Korsk on Sunday.</p></body></html>"
)
EAST_AFRICA = timezone(timedelta(hours=3))


def _document(
    *, published: datetime | date | None, location: str = "pages/korsk.html", is_url: bool = False
) -> Document:
    document = Document(input=PageInput(location, RAW_PAGE, is_url=is_url))
    document.page_text = RAW_PAGE.decode()
    document.page_kind = "html"
    document.article = Article(
        text="Three people were killed when shells hit the eastern market of Korsk on Sunday.",
        title="Market shelled in Korsk",
        subtitle="City officials blame artillery positioned across the river",
        authors=["Lena Vasquez", "Omar Haddad"],
        publisher="Northern Ledger",
        published=published,
        language="en",
        captions=[
            Caption("Smoke rises over the market stalls", credit="Lena Vasquez/Northern Ledger"),
            Caption("The market before the war"),
        ],
        boilerplate=["Subscribe for unlimited access", "Share this article"],
    )
    document.problems = [
        Problem("W206", "clean", "the zone EAT is ambiguous", span=(120, 123)),
        Problem("W202", "clean", "the body has only 81 characters"),
    ]
    document.trace = [TraceEntry("clean", "1", 0.0123456789)]
    return document


def _round_trip(document: Document) -> Document:
    """Through JSON text, as between processes."""
    return Document.from_dict(json.loads(json.dumps(document.to_dict())))


def test_document_to_dict_is_strife1() -> None:
    data = _document(published=datetime(2023, 8, 14, 6, 30, tzinfo=EAST_AFRICA)).to_dict()

    assert data["schema"] == SCHEMA == "strife/1"
    assert data["input"] == {
        "path": "pages/korsk.html",
        "sha256": hashlib.sha256(RAW_PAGE).hexdigest(),
    }
    assert data["article"]["published"] == "2023-08-14T06:30:00+03:00"
    assert data["problems"][0] == {
        "code": "W206",
        "stage": "clean",
        "message": "the zone EAT is ambiguous",
        "span": [120, 123],
    }
    assert data["problems"][1]["span"] is None
    assert data["trace"] == [{"stage": "clean", "version": "1", "seconds": 0.012346}]
    assert "raw" not in json.dumps(data)
    assert "page_text" not in data


@pytest.mark.parametrize(
    "published",
    [
        datetime(2023, 8, 14, 6, 30, tzinfo=EAST_AFRICA),
        datetime(2020, 6, 1, 21, 5, 30, tzinfo=timezone(timedelta(hours=-4))),
        datetime(2021, 2, 9, 10, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2019, 6, 4, 14, 30, tzinfo=UTC),
    ],
    ids=["plus-3", "minus-4", "plus-5-30", "utc"],
)
def test_document_round_trip_keeps_datetime_and_its_offset(published: datetime) -> None:
    rebuilt = _round_trip(_document(published=published))

    assert rebuilt.article is not None
    value = rebuilt.article.published
    assert isinstance(value, datetime)
    assert value == published
    assert value.utcoffset() == published.utcoffset()
    assert value.isoformat() == published.isoformat()


def test_document_round_trip_keeps_date_only_as_date() -> None:
    rebuilt = _round_trip(_document(published=date(2020, 6, 1)))

    assert rebuilt.article is not None
    assert type(rebuilt.article.published) is date
    assert rebuilt.article.published == date(2020, 6, 1)


def test_document_round_trip_keeps_naive_datetime_naive() -> None:
    # A local time with no offset (W205) must not gain one on the way.
    rebuilt = _round_trip(_document(published=datetime(2022, 11, 3, 18, 0)))

    assert rebuilt.article is not None
    assert isinstance(rebuilt.article.published, datetime)
    assert rebuilt.article.published.tzinfo is None
    assert rebuilt.article.published == datetime(2022, 11, 3, 18, 0)


def test_document_round_trip_keeps_article_captions_and_problems() -> None:
    original = _document(published=None)

    rebuilt = _round_trip(original)

    assert rebuilt.article == original.article
    assert rebuilt.article is not None
    assert rebuilt.article.published is None
    assert rebuilt.article.captions == [
        Caption("Smoke rises over the market stalls", "Lena Vasquez/Northern Ledger"),
        Caption("The market before the war", None),
    ]
    assert rebuilt.problems == original.problems
    assert rebuilt.problems[0].span == (120, 123)
    assert rebuilt.problems[1].span is None
    assert [(entry.stage, entry.version) for entry in rebuilt.trace] == [("clean", "1")]
    assert rebuilt.trace[0].seconds == pytest.approx(0.012346)


def test_document_round_trip_keeps_input_digest_without_raw_bytes() -> None:
    original = _document(published=None)

    rebuilt = _round_trip(original)

    assert rebuilt.input.raw == b""
    assert rebuilt.input.sha256 == hashlib.sha256(RAW_PAGE).hexdigest()
    assert rebuilt.input.location == "pages/korsk.html"
    assert rebuilt.input.is_url is False
    assert rebuilt.id == original.id


def test_document_round_trip_is_stable() -> None:
    once = _round_trip(_document(published=datetime(2023, 8, 14, 6, 30, tzinfo=EAST_AFRICA)))

    assert _round_trip(once).to_dict() == once.to_dict()
    assert once.to_dict() == json.loads(json.dumps(once.to_dict()))


def test_document_round_trip_of_url_input() -> None:
    url = "https://northern-ledger.example/2023/08/14/market-shelling"
    document = _document(published=None, location=url, is_url=True)

    data = document.to_dict()
    rebuilt = Document.from_dict(data)

    assert data["input"] == {"url": url, "sha256": hashlib.sha256(RAW_PAGE).hexdigest()}
    assert rebuilt.input.is_url is True
    assert rebuilt.input.location == url


def test_document_round_trip_without_article() -> None:
    document = Document(input=PageInput("-", b"Curfew lifted in Port Aldane."))

    data: dict[str, Any] = document.to_dict()
    rebuilt = Document.from_dict(data)

    assert data["article"] is None
    assert rebuilt.article is None
    assert rebuilt.problems == []
    assert rebuilt.trace == []


def test_document_page_input_computes_digest_unless_given() -> None:
    computed = PageInput("a.html", RAW_PAGE)
    given = PageInput("a.html", b"", sha256="ab" * 32)

    assert computed.sha256 == hashlib.sha256(RAW_PAGE).hexdigest()
    assert given.sha256 == "ab" * 32
    assert Document(input=computed).id == computed.sha256[:16]


def test_document_warn_records_each_code_once_per_stage() -> None:
    document = Document(input=PageInput("a.html", RAW_PAGE))

    document.warn("W204", "clean", "no publication time was found")
    document.warn("W204", "clean", "no publication time was found, again")
    document.warn("W204", "dates", "no publication time to anchor relative dates")

    assert [(problem.code, problem.stage) for problem in document.problems] == [
        ("W204", "clean"),
        ("W204", "dates"),
    ]
    assert document.problems[0].message == "no publication time was found"
