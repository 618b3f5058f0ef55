"""Tests for strife.inputs: WARC files, feeds and URLs read into pages, and ingested.

WARC files are written here with warcio's own writer (whole, and cut short); feeds
and the pages their items link to are served by the loopback server of conftest.py,
with routes added per test. The pages are short reports composed for these tests.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from conftest import ROUTES
from strife.cli import app
from strife.errors import FeedError, HTTPStatusError, NotFoundError, WarcError
from strife.inputs import (
    InputItem,
    LoadedPage,
    SkippedRecord,
    count_pages,
    expand_inputs,
    read_inputs,
)
from strife.settings import Settings
from strife.store.repository import open_repository

PLUS_TWO = timezone(timedelta(hours=2))


def _html(title: str, body: str, *, published: str | None = None, charset: bool = True) -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    head = '<meta charset="utf-8">' if charset else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head>{head}<title>{title}</title>{meta}</head>\n'
        f"<body><article><h1>{title}</h1>\n<p>{body}</p>\n</article></body></html>\n"
    )


FERRY = _html(
    "Ferry crossing shelled near Marram",
    "Two people were killed when shells struck the ferry landing at Lower Marram on "
    "Tuesday morning, the district council said. A police spokesperson said four more "
    "were wounded and taken to the hospital in the town.",
    published="2024-03-12T09:30:00+02:00",
)
CHECKPOINT = _html(
    "Gunmen attack checkpoint outside Tessaly",
    "Gunmen attacked an army checkpoint outside Tessaly late on Monday, killing three "
    "soldiers, the defence ministry said. Residents said the firing lasted until dawn.",
)
MARKET = _html(
    "Blast at Kirkuk market",
    "A bomb exploded in a crowded market in Kirkuk on Sunday, killing five people, "
    "police said. The provincial governor ordered an inquiry into the blast.",
)


# ---------------------------------------------------------------------------
# WARC files
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Capture:
    """One archived answer: a response record (and the request record before it)."""

    url: str
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: str = "200 OK"


def _write_warc(path: Path, captures: list[Capture]) -> list[tuple[int, int]]:
    """Write a WARC (gzipped per record when the name ends .gz); each response's (start, end)."""
    spans = []
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=path.name.endswith(".gz"))
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for capture in captures:
            request = StatusAndHeaders(
                "GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True
            )
            writer.write_record(
                writer.create_warc_record(
                    capture.url, "request", payload=io.BytesIO(b""), length=0, http_headers=request
                )
            )
            http = StatusAndHeaders(
                capture.status, [("Content-Type", capture.content_type)], protocol="HTTP/1.1"
            )
            start = out.tell()
            writer.write_record(
                writer.create_warc_record(
                    capture.url,
                    "response",
                    # A length given spares warcio a temporary file it never closes.
                    payload=io.BytesIO(capture.body),
                    length=len(capture.body),
                    http_headers=http,
                )
            )
            spans.append((start, out.tell()))
    return spans


def _crawl(index: int = 0) -> list[Capture]:
    """A crawl: three news pages, an image and a redirect, all at example.org."""
    latin = _html(
        "Peña brigade shells the Marram road",
        "Shelling by the Peña brigade closed the Marram road on Monday, the council said.",
        charset=False,
    )
    return [
        Capture("https://example.org/ferry", FERRY.encode()),
        Capture("https://example.org/logo.png", b"\x89PNG\r\n\x1a\n", "image/png"),
        Capture("https://example.org/old", b"<html>Moved</html>", status="301 Moved"),
        Capture(
            "https://example.org/pena", latin.encode("cp1252"), "text/html; charset=windows-1252"
        ),
        Capture("https://example.org/market", MARKET.replace("five", f"{5 + index}").encode()),
    ]


def _pages(items: list[InputItem]) -> list[LoadedPage]:
    return [item for item in items if isinstance(item, LoadedPage) and item.document]


def _failures(items: list[InputItem]) -> list[LoadedPage]:
    return [item for item in items if isinstance(item, LoadedPage) and item.error]


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_inputs_warc_pages_by_target_uri_and_skipped_records(
    tmp_path: Path, name: str, settings: Settings
) -> None:
    path = tmp_path / name
    _write_warc(path, _crawl())

    items = list(read_inputs([str(path)], settings=settings))

    pages = _pages(items)
    assert [page.location for page in pages] == [
        "https://example.org/ferry",
        "https://example.org/pena",
        "https://example.org/market",
    ]
    assert all(page.document and page.document.input.is_url for page in pages)
    assert not _failures(items)
    skipped = sorted(item.reason for item in items if isinstance(item, SkippedRecord))
    assert skipped == ["HTTP 301", "image/png", *["request record"] * 5, "warcinfo record"]
    assert count_pages([str(path)]) == len(items) == 11


def test_inputs_warc_uses_the_http_charset(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "crawl.warc"
    _write_warc(path, _crawl())

    (pena,) = [
        p for p in _pages(list(read_inputs([str(path)], settings=settings))) if "pena" in p.location
    ]

    assert pena.document is not None
    assert "Peña brigade" in pena.document.page_text
    assert pena.document.problems == []  # declared, so no guessed encoding (W101)


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_inputs_warc_cut_mid_record_yields_whole_records_then_one_failure(
    tmp_path: Path, name: str, settings: Settings
) -> None:
    whole = tmp_path / f"whole-{name}"
    spans = _write_warc(whole, _crawl())
    start, end = spans[-1]  # the market page's response, the last of the 11 records
    path = tmp_path / name
    path.write_bytes(whole.read_bytes()[: start + (end - start) // 2])

    items = list(read_inputs([str(path)], settings=settings))

    assert [page.location.rsplit("/", 1)[-1] for page in _pages(items)] == ["ferry", "pena"]
    (failure,) = _failures(items)
    assert failure is items[-1]
    assert isinstance(failure.error, WarcError)
    assert failure.location == str(path.resolve())
    assert f"record 11 at byte {start:,}" in failure.error.message
    assert "cut off" in failure.error.message
    assert "10 whole records were read before it" in failure.error.message


def test_inputs_warc_cut_in_a_gzip_trailer_keeps_the_record(
    tmp_path: Path, settings: Settings
) -> None:
    whole = tmp_path / "whole.warc.gz"
    _write_warc(whole, _crawl())
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole.read_bytes()[:-3])  # inside the last member's CRC and size

    items = list(read_inputs([str(path)], settings=settings))

    assert len(_pages(items)) == 3
    (failure,) = _failures(items)
    assert "inside the gzip member of record 11" in failure.error.message  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", None),
        (b"WARC/1.0\r\nWARC-Type: resp", "record 1 at byte 0 has no Content-Length"),
        (b"<html><body>not an archive</body></html>" * 20, "record 1 at byte 0"),
    ],
    ids=["empty", "cut-in-headers", "not-a-warc"],
)
def test_inputs_warc_damaged_files(
    tmp_path: Path, settings: Settings, content: bytes, expected: str | None
) -> None:
    path = tmp_path / "damaged.warc"
    path.write_bytes(content)

    items = list(read_inputs([str(path)], settings=settings))

    if expected is None:
        assert items == []
        return
    (failure,) = items
    assert isinstance(failure, LoadedPage)
    assert isinstance(failure.error, WarcError)
    assert expected in failure.error.message


@pytest.mark.parametrize("name", ["gone.warc.gz", "gone.rss", "gone.jsonl", "gone.html"])
def test_inputs_missing_files_are_not_found(tmp_path: Path, name: str) -> None:
    (item,) = read_inputs([str(tmp_path / name)], settings=Settings())

    assert isinstance(item, LoadedPage)
    assert isinstance(item.error, NotFoundError)


def test_inputs_folders_take_pages_and_warc_files_not_jsonl(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(FERRY, encoding="utf-8")
    _write_warc(tmp_path / "b.warc.gz", _crawl())
    (tmp_path / "events.jsonl").write_text("{}\n", encoding="utf-8")
    (tmp_path / "notes.md").write_text("notes\n", encoding="utf-8")

    assert [Path(p).name for p in expand_inputs([str(tmp_path)])] == ["a.html", "b.warc.gz"]


# ---------------------------------------------------------------------------
# Feeds and URLs, served by the loopback server
# ---------------------------------------------------------------------------


def _answer(body: str, content_type: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def send(handler: BaseHTTPRequestHandler) -> None:
        data = body.encode("utf-8")
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    return send


def _rss(base: str, *, broken: bool = False) -> str:
    tail = (
        "<item><title>Aid convoy & escort</title><link>{base}/news/market</link></item>"
        if broken
        else ""
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>The Valley Courier</title><link>{base}/</link><description>News</description>
<item><title>Ferry crossing shelled</title><link>/news/ferry</link>
<pubDate>Wed, 13 Mar 2024 07:00:00 +0200</pubDate></item>
<item><title>Checkpoint attacked</title><link>{base}/news/checkpoint</link>
<pubDate>Tue, 12 Mar 2024 08:45:00 +0200</pubDate></item>
{tail.format(base=base)}
</channel></rss>
"""


def _atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Valley Courier</title>
<id>urn:valley</id><updated>2024-03-13T07:00:00Z</updated>
<entry><title>Checkpoint attacked</title><id>urn:valley:2</id>
<link rel="alternate" href="{base}/news/checkpoint"/>
<published>2024-03-12T08:45:00+02:00</published><updated>2024-03-12T10:00:00+02:00</updated>
</entry>
<entry><title>Blast at market</title><id>urn:valley:3</id>
<link href="{base}/news/market"/><updated>2024-03-10T18:00:00Z</updated></entry>
<entry><title>Gone</title><id>urn:valley:4</id><link href="{base}/news/missing"/></entry>
<entry><title>No link</title><id>urn:valley:5</id></entry>
</feed>
"""


@pytest.fixture
def news_site(local_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The loopback server with three news pages and the feeds that list them."""
    routes = {
        "/news/ferry": _answer(FERRY, "text/html; charset=utf-8"),
        "/news/checkpoint": _answer(CHECKPOINT, "text/html; charset=utf-8"),
        "/news/market": _answer(MARKET, "text/html; charset=utf-8"),
        "/feeds/valley.rss": _answer(_rss(local_server), "application/rss+xml; charset=utf-8"),
        "/feeds/valley.atom": _answer(_atom(local_server), "application/atom+xml"),
    }
    for path, answer in routes.items():
        monkeypatch.setitem(ROUTES, path, answer)
    return local_server


def _read(inputs: list[str]) -> list[InputItem]:
    return list(read_inputs(inputs, settings=Settings()))


@pytest.mark.network
def test_inputs_rss_file_items_fetched_with_their_dates(news_site: str, tmp_path: Path) -> None:
    feed = tmp_path / "valley.rss"
    feed.write_text(_rss(news_site), encoding="utf-8")

    items = _read([str(feed)])

    pages = _pages(items)
    assert [page.location for page in pages] == [
        f"{news_site}/news/ferry",  # a relative link, read against the channel's link
        f"{news_site}/news/checkpoint",
    ]
    assert [page.published for page in pages] == [
        datetime(2024, 3, 13, 7, 0, tzinfo=PLUS_TWO),
        datetime(2024, 3, 12, 8, 45, tzinfo=PLUS_TWO),
    ]
    assert not _failures(items)
    assert count_pages([str(feed)]) is None


@pytest.mark.network
def test_inputs_atom_url_items_and_their_failures(news_site: str) -> None:
    items = _read([f"{news_site}/feeds/valley.atom"])

    pages = _pages(items)
    assert [page.location.rsplit("/", 1)[-1] for page in pages] == ["checkpoint", "market"]
    assert pages[0].published == datetime(2024, 3, 12, 8, 45, tzinfo=PLUS_TWO)
    assert pages[1].published == datetime(2024, 3, 10, 18, 0, tzinfo=UTC)  # updated
    gone, no_link = _failures(items)
    assert isinstance(gone.error, HTTPStatusError)
    assert gone.location == f"{news_site}/news/missing"
    assert isinstance(no_link.error, FeedError)
    # feedparser gives an Atom entry without a link its id as one.
    assert "item 4 ('No link'): its link 'urn:valley:5' is not an http" in no_link.error.message


@pytest.mark.network
def test_inputs_url_of_a_page_and_of_a_feed(news_site: str) -> None:
    items = _read([f"{news_site}/news/market", f"{news_site}/feeds/valley.rss"])

    pages = _pages(items)
    assert [page.location.rsplit("/", 1)[-1] for page in pages] == ["market", "ferry", "checkpoint"]
    assert pages[0].published is None  # a page given as a URL has no feed date
    assert count_pages([f"{news_site}/news/market"]) is None


@pytest.mark.network
def test_inputs_broken_feed_keeps_its_items_and_reports_the_break(
    news_site: str, tmp_path: Path
) -> None:
    feed = tmp_path / "broken.xml"  # found to be a feed by its content
    feed.write_text(_rss(news_site, broken=True), encoding="utf-8")

    items = _read([str(feed)])

    assert len(_pages(items)) >= 2  # the items before the unescaped "&", at least
    (failure,) = _failures(items)
    assert failure is items[-1]
    assert failure.location == str(feed.resolve())
    assert isinstance(failure.error, FeedError)
    assert "the feed's XML is broken at line 8, column 25" in failure.error.message


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<html><body><p>Not a feed at all.</p></body></html>", "not an RSS or Atom feed"),
        ('<rss version="2.0"><channel><title>Empty</title></channel></rss>', "lists no items"),
        ("<rss version='2.0'><channel><title>Cut & run", "XML is broken at line 1"),
    ],
    ids=["html", "empty", "cut"],
)
def test_inputs_feed_that_yields_nothing_is_one_failure(
    tmp_path: Path, content: str, expected: str
) -> None:
    feed = tmp_path / "nothing.rss"
    feed.write_text(content, encoding="utf-8")

    items = _read([str(feed)])

    (failure,) = items
    assert isinstance(failure, LoadedPage)
    assert isinstance(failure.error, FeedError)
    assert expected in failure.error.message


def test_inputs_xml_that_is_not_a_feed_is_a_page(tmp_path: Path) -> None:
    page = tmp_path / "report.xml"
    page.write_text(FERRY, encoding="utf-8")

    (item,) = _read([str(page)])

    assert isinstance(item, LoadedPage)
    assert item.document is not None
    assert item.location == str(page.resolve())


# ---------------------------------------------------------------------------
# The same inputs through `strife ingest` (full pipeline, in this process)
# ---------------------------------------------------------------------------


def _ingest(*args: str) -> Result:
    return CliRunner().invoke(app, ["ingest", *args, "--workers", "1", "--json"])


def _summary(result: Result) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


def test_ingest_warc_recrawl_is_a_revision_and_a_cut_loses_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "record.sqlite")
    whole = tmp_path / "day1.warc.gz"
    spans = _write_warc(whole, _crawl())
    cut = tmp_path / "day1-cut.warc.gz"
    cut.write_bytes(whole.read_bytes()[: spans[-1][0] + 40])
    _write_warc(tmp_path / "day2.warc", _crawl(index=1))  # the market page changed

    first = _ingest(str(cut), "--db", db)
    second = _ingest(str(whole), "--db", db)
    third = _ingest(str(tmp_path / "day2.warc"), "--db", db)

    assert first.exit_code == 1
    assert (_summary(first)["new"], _summary(first)["failed"]) == (2, 1)
    assert _summary(first)["skipped_by_reason"] == {
        "HTTP 301": 1,
        "image/png": 1,
        "request record": 5,
        "warcinfo record": 1,
    }
    assert f"record 11 at byte {spans[-1][0]:,}" in first.stderr
    assert "[E105]" in first.stderr
    assert "Traceback" not in first.output
    assert second.exit_code == 0, second.output
    assert (_summary(second)["new"], _summary(second)["unchanged"]) == (1, 2)
    assert (_summary(third)["unchanged"], _summary(third)["revised"]) == (2, 1)
    with open_repository(db) as repository:
        versions = repository.find_articles(location="https://example.org/market")
        assert repository.counts()["articles"] == 4
    assert [(v.revision, v.superseded) for v in versions] == [(1, True), (2, False)]
    assert all(v.document["input"] == {"url": v.location, "sha256": v.sha256} for v in versions)


@pytest.mark.network
def test_ingest_feed_date_only_for_pages_without_one(news_site: str, tmp_path: Path) -> None:
    db = str(tmp_path / "record.sqlite")

    result = _ingest(f"{news_site}/feeds/valley.rss", "--db", db)

    assert result.exit_code == 0, result.output
    assert _summary(result)["new"] == 2
    with open_repository(db) as repository:
        published = {a.location.rsplit("/", 1)[-1]: a.published for a in repository.find_articles()}
    assert published == {
        "ferry": "2024-03-12T09:30:00+02:00",  # the page's own time wins over the feed's
        "checkpoint": "2024-03-12T08:45:00+02:00",  # the page names none: the feed's
    }
