"""Tests for strife._fetch (and load_page on a URL) against a loopback HTTP server.

The server and its canned answers live in conftest.py; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import time

import pytest

from strife._fetch import fetch_url
from strife.errors import (
    ContentTypeError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    InputError,
    TooLargeError,
    TooManyRedirectsError,
)
from strife.load import load_page
from strife.settings import Settings

pytestmark = pytest.mark.network


def test_fetch_page(local_server: str, served_page: str, settings: Settings) -> None:
    url = f"{local_server}/page"

    page = fetch_url(url, settings=settings)

    assert page.location == url
    assert page.raw == served_page.encode()
    assert page.is_url
    assert page.content_type == "text/html"
    assert page.declared_encoding == "utf-8"


def test_fetch_load_page_from_url(local_server: str, served_page: str, settings: Settings) -> None:
    url = f"{local_server}/page"

    document = load_page(url, settings=settings)

    assert document.page_kind == "html"
    assert document.page_text == served_page
    assert document.problems == []
    assert document.input.to_dict() == {"url": url, "sha256": document.input.sha256}
    assert len(document.input.sha256) == 64


def test_fetch_redirect_chain_ends_on_the_page(
    local_server: str, served_page: str, settings: Settings
) -> None:
    page = fetch_url(f"{local_server}/hop1", settings=settings)

    assert page.location == f"{local_server}/page"  # where the page really is
    assert page.raw == served_page.encode()


@pytest.mark.parametrize(
    ("path", "status"),
    [("/missing", "HTTP 404 Not Found"), ("/broken", "HTTP 500 Internal Server Error")],
    ids=["404", "500"],
)
def test_fetch_http_error(local_server: str, settings: Settings, path: str, status: str) -> None:
    url = local_server + path

    with pytest.raises(HTTPStatusError) as info:
        fetch_url(url, settings=settings)

    assert info.value.code == "E152"
    assert info.value.source == url
    assert status in str(info.value)
    assert url in str(info.value)


def test_fetch_redirect_loop(local_server: str, settings: Settings) -> None:
    url = f"{local_server}/loop"

    with pytest.raises(TooManyRedirectsError) as info:
        fetch_url(url, settings=settings)

    assert info.value.code == "E153"
    assert "more than 5 redirects" in str(info.value)
    assert url in str(info.value)


def test_fetch_redirect_limit_is_a_setting(local_server: str) -> None:
    settings = Settings().with_overrides({"fetch_max_redirects": "2"})

    with pytest.raises(TooManyRedirectsError, match="more than 2 redirects"):
        fetch_url(f"{local_server}/hop1", settings=settings)


def test_fetch_pdf_content_type(local_server: str, settings: Settings) -> None:
    url = f"{local_server}/report.pdf"

    with pytest.raises(ContentTypeError) as info:
        fetch_url(url, settings=settings)

    assert info.value.code == "E154"
    assert "application/pdf" in str(info.value)
    assert url in str(info.value)


def test_fetch_timeout(local_server: str, tight_settings: Settings) -> None:
    url = f"{local_server}/slow"

    started = time.monotonic()
    with pytest.raises(FetchTimeoutError) as info:
        fetch_url(url, settings=tight_settings)

    assert time.monotonic() - started < 3
    assert info.value.code == "E151"
    assert "no answer within 0.5 s" in str(info.value)
    assert url in str(info.value)


def test_fetch_deadline_stops_a_trickling_server(local_server: str) -> None:
    settings = Settings().with_overrides({"fetch_timeout": "2", "fetch_deadline": "0.7"})
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError) as info:
        fetch_url(f"{local_server}/trickle", settings=settings)
    assert time.monotonic() - started < 3
    assert "fetch_deadline" in str(info.value)


@pytest.mark.parametrize(
    ("path", "what"),
    [("/big", "announced"), ("/big-chunked", "passed the limit")],
    ids=["content-length", "chunked"],
)
def test_fetch_body_too_large(
    local_server: str, tight_settings: Settings, path: str, what: str
) -> None:
    url = local_server + path

    with pytest.raises(TooLargeError) as info:
        fetch_url(url, settings=tight_settings)

    assert info.value.code == "E103"
    assert what in info.value.message
    assert "1,000" in info.value.message
    assert url in str(info.value)


def test_fetch_connection_refused(settings: Settings) -> None:
    """A port with nothing listening gives a FetchError naming the URL, not an httpx error."""
    import socket

    with socket.socket() as probe:  # bind then close: the port is free and refuses
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/page"

    with pytest.raises(FetchError) as info:
        fetch_url(url, settings=settings)

    assert info.value.code == "E150"
    assert "ConnectError" in str(info.value)
    assert url in str(info.value)


def test_fetch_errors_are_input_errors(local_server: str, settings: Settings) -> None:
    """The CLI maps InputError to exit 3; load_page lets fetch errors through unchanged."""
    with pytest.raises(InputError) as info:
        load_page(f"{local_server}/missing", settings=settings)

    assert isinstance(info.value, HTTPStatusError)
    assert info.value.exit_code == 3
