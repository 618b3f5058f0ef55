"""Fetch one URL with httpx: timeout, size cap, redirect limit, content-type check.

Each failure becomes a :class:`~strife.errors.FetchError` subclass with the
URL and what to do next; nothing here retries (a batch run reports the URL).
"""

from __future__ import annotations

import time

import httpx

from strife.document import PageInput
from strife.errors import (
    ContentTypeError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooLargeError,
    TooManyRedirectsError,
)
from strife.settings import Settings

#: Media types that can hold a news page; anything else is refused before the body is read.
#: Media types feeds are served as (``strife ingest`` reads a feed's items).
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/feed+xml",
)
ACCEPTED_TYPES = (
    "text/html",
    "application/xhtml+xml",
    "text/plain",
    "application/xml",
    "text/xml",
    *FEED_TYPES,
)


def fetch_url(url: str, *, settings: Settings, client: httpx.Client | None = None) -> PageInput:
    """Download a page, refusing what cannot be a news page.

    Raises:
        FetchError: timeout, HTTP error status, too many redirects, or a media
            type that is not a page.
        TooLargeError: a body larger than ``max_page_bytes``, announced or read
            (the same error as for a file, so it is an InputError but not a FetchError).
    """
    owned = client is None
    client = client or httpx.Client(
        timeout=settings.fetch_timeout,
        follow_redirects=True,
        max_redirects=settings.fetch_max_redirects,
        headers={"User-Agent": settings.user_agent},
    )
    started = time.monotonic()
    try:
        with client.stream("GET", url) as response:
            _check_response(url, response)
            deadline = started + settings.fetch_deadline
            raw = _read_body(url, response, settings.max_page_bytes, deadline=deadline)
            content_type = response.headers.get("content-type", "")
            return PageInput(
                str(response.url),
                raw,
                is_url=True,
                content_type=content_type.split(";")[0].strip().lower() or None,
                declared_encoding=response.charset_encoding,
            )
    except httpx.TimeoutException as exc:
        raise FetchTimeoutError(
            f"no answer within {settings.fetch_timeout:g} s; try again later or raise "
            "--set fetch_timeout=SECONDS",
            source=url,
        ) from exc
    except httpx.TooManyRedirects as exc:
        raise TooManyRedirectsError(
            f"more than {settings.fetch_max_redirects} redirects (a redirect loop?)", source=url
        ) from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"not a valid URL ({exc})", source=url) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"could not be fetched ({type(exc).__name__}: {exc})", source=url) from exc
    finally:
        if owned:
            client.close()


def _check_response(url: str, response: httpx.Response) -> None:
    if response.status_code >= 400:
        raise HTTPStatusError(
            f"the server answered HTTP {response.status_code} {response.reason_phrase}",
            source=url,
        )
    media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and not media_type.startswith(ACCEPTED_TYPES):
        raise ContentTypeError(f"the server sent {media_type}, not a web page", source=url)


def _read_body(url: str, response: httpx.Response, limit: int, *, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLargeError(
            f"the server announced {int(declared):,} bytes, above the limit of {limit:,}",
            source=url,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise TooLargeError(f"the body passed the limit of {limit:,} bytes", source=url)
        if time.monotonic() > deadline:
            # fetch_timeout bounds each read; a server trickling bytes needs this bound too.
            raise FetchTimeoutError(
                "the page was still arriving when fetch_deadline ran out", source=url
            )
        chunks.append(chunk)
    return b"".join(chunks)
