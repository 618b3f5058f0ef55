"""Feeds (RSS, Atom) and URLs: a feed's items fetched and read as pages.

Takes a feed's bytes (a local ``.rss``, ``.atom`` or ``.xml`` file, or a URL's
answer) through feedparser and fetches each item's link with
:func:`strife._fetch.fetch_url`, so its timeout, size and redirect limits and its
error classes apply; an item's time (``published``, else ``updated``) goes with its
page, to be used only when the page names none. A URL given as an input is fetched
the same way and read as a feed when its answer is one, as a page otherwise.
Broken feed XML (feedparser's "bozo" flag) keeps the items read around the break
and adds one :class:`~strife.errors.FeedError` naming the feed and where it breaks;
a feed that yields no item is one FeedError.
"""

from __future__ import annotations

import calendar
import contextlib
import email.utils
import io
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from strife.document import PageInput
from strife.errors import FeedError, StrifeError, TooLargeError
from strife.inputs._items import LoadedPage, unreadable
from strife.load import document_from_bytes, is_url
from strife.settings import Settings

if TYPE_CHECKING:
    import httpx

#: Names of local feed files, always read as feeds; a ``.xml`` file is one if it looks it.
FEED_SUFFIXES = (".rss", ".atom")
#: How far into a file or answer to look for a feed's root element.
SNIFF_BYTES = 2048
# The root element after an optional XML declaration, comments, processing instructions
# (stylesheets) and a doctype: RSS 2.0, Atom (possibly prefixed) or RSS 1.0 (RDF).
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)\s*)*"
    rb"<(?:rss|(?:\w+:)?feed|rdf:RDF)\b",
    re.S,
)


def looks_like_feed(raw: bytes) -> bool:
    """Whether bytes open with the root element of an RSS or Atom feed."""
    return _FEED_ROOT.match(raw[:SNIFF_BYTES]) is not None


def is_feed_file(path: Path) -> bool:
    """A ``.rss`` or ``.atom`` file, or a ``.xml`` file whose content is a feed."""
    name = path.name.lower()
    if name.endswith(FEED_SUFFIXES):
        return True
    if not name.endswith(".xml") or not path.is_file():
        return False
    try:
        with path.open("rb") as stream:
            return looks_like_feed(stream.read(SNIFF_BYTES))
    except OSError:
        return False  # read as a page, which reports why it cannot be read


class Fetcher:
    """One HTTP client for a run's URLs, so a feed's items share its connections."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: httpx.Client | None = None

    def fetch(self, url: str) -> PageInput:
        """Fetch a page or a feed; errors as :func:`strife._fetch.fetch_url` raises them."""
        from strife._fetch import fetch_url

        if self._client is None:
            import httpx

            self._client = httpx.Client(
                timeout=self.settings.fetch_timeout,
                follow_redirects=True,
                max_redirects=self.settings.fetch_max_redirects,
                headers={"User-Agent": self.settings.user_agent},
            )
        return fetch_url(url, settings=self.settings, client=self._client)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None


def read_url(url: str, *, fetcher: Fetcher) -> Iterator[LoadedPage]:
    """A URL's answer as a page, or as a feed whose items are fetched in turn."""
    try:
        page = fetcher.fetch(url)
    except StrifeError as error:
        yield LoadedPage(url, error=error)
        return
    if looks_like_feed(page.raw):
        yield from read_feed(page, fetcher=fetcher)
        return
    try:
        yield LoadedPage(url, document_from_bytes(page))
    except StrifeError as error:
        yield LoadedPage(url, error=error)


def read_feed_file(path: Path, *, fetcher: Fetcher, settings: Settings) -> Iterator[LoadedPage]:
    """A local feed file's items, each fetched as a page."""
    location = str(path.resolve())
    limit = settings.max_page_bytes
    try:
        with path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError as exc:
        yield unreadable(location, exc)
        return
    if len(raw) > limit:
        message = f"the feed is larger than the limit of {limit:,} bytes"
        yield LoadedPage(location, error=TooLargeError(message, source=location))
        return
    yield from read_feed(PageInput(location, raw), fetcher=fetcher)


def read_feed(feed: PageInput, *, fetcher: Fetcher) -> Iterator[LoadedPage]:
    """Each item of a feed as a fetched page, then one failure if the feed is broken or empty."""
    import feedparser

    content_type = "application/xml"
    if feed.declared_encoding:
        content_type += f"; charset={feed.declared_encoding}"
    headers = {"content-type": content_type}
    if feed.is_url:
        headers["content-location"] = feed.location  # relative item links resolve against it
    # A stream, never a string: feedparser would take a string for a URL or a file name.
    parsed = feedparser.parse(io.BytesIO(feed.raw), response_headers=headers)
    base = feed.location if feed.is_url else str(parsed.feed.get("link", ""))
    entries = list(parsed.entries)
    for number, entry in enumerate(entries, start=1):
        yield _item_page(entry, number=number, feed=feed.location, base=base, fetcher=fetcher)
    # feedparser puts an XML declaration of its own on a line before a feed that has none,
    # so the line numbers of its errors are one too high there.
    added_lines = 0 if feed.raw.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml") else 1
    problem = _problem(parsed, items=len(entries), added_lines=added_lines)
    if problem is not None:
        yield LoadedPage(feed.location, error=FeedError(problem, source=feed.location))


def _item_page(entry: Any, *, number: int, feed: str, base: str, fetcher: Fetcher) -> LoadedPage:
    link = str(entry.get("link") or "").strip()
    url = urljoin(base, link) if link else ""
    if not is_url(url):
        where = f"{feed}#item{number}"
        title = str(entry.get("title") or "untitled")
        what = f"its link {link!r} is not an http(s) URL" if link else "it has no link"
        return LoadedPage(
            where, error=FeedError(f"item {number} ({title!r}): {what}", source=where)
        )
    try:
        document = document_from_bytes(fetcher.fetch(url))
    except StrifeError as error:
        return LoadedPage(url, error=error)
    return LoadedPage(url, document, published=_published(entry))


def _problem(parsed: Any, *, items: int, added_lines: int) -> str | None:
    """What is wrong with a parsed feed, or None when it is whole and has items."""
    import feedparser

    error = parsed.get("bozo_exception") if parsed.get("bozo") else None
    # feedparser flags these too, yet reads the feed whole: a charset that differs from
    # the declared one, and a feed served without an XML media type.
    if isinstance(error, feedparser.CharacterEncodingOverride | feedparser.NonXMLContentType):
        error = None
    if error is not None:
        where = ""
        with contextlib.suppress(AttributeError):  # a SAX error knows where the XML breaks
            line = error.getLineNumber() - added_lines
            where = f" at line {line}, column {error.getColumnNumber()}"
        read = f"{items} item{'' if items == 1 else 's'} read" if items else "no item read"
        return f"the feed's XML is broken{where} ({_reason(error)}); {read}"
    if items:
        return None
    if not parsed.get("version"):
        return "not an RSS or Atom feed (no <rss>, <feed> or <rdf:RDF> root element)"
    return "the feed lists no items"


def _reason(error: Exception) -> str:
    getter = getattr(error, "getMessage", None)
    return str(getter() if callable(getter) else error) or type(error).__name__


def _published(entry: Any) -> date | datetime | None:
    """The item's time with its offset: Atom's RFC 3339, RSS's RFC 822, else feedparser's UTC."""
    for key in ("published", "updated"):
        text = str(entry.get(key) or "").strip()
        if not text:
            continue
        with contextlib.suppress(ValueError):
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        with contextlib.suppress(ValueError, TypeError, IndexError):
            return email.utils.parsedate_to_datetime(text)
        parsed = entry.get(f"{key}_parsed")
        if parsed:
            return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    return None
