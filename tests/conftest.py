"""Shared fixtures: the only conftest (see STYLE.md section 5).

Each block below is owned by the stage whose tests use it; add new fixtures in a
block of their own rather than changing another block's.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from strife.settings import ENV_PREFIX, Settings

# ---------------------------------------------------------------------------
# Options and markers
# ---------------------------------------------------------------------------

#: A PostgreSQL server URL (``postgresql://user@host:port/postgres``) whose user may
#: create databases; the storage tests then run there too. ``.ci/run`` sets it.
POSTGRES_VARIABLE = "TEST_POSTGRES_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--slow", action="store_true", help="also run tests marked slow (CI runs them)"
    )
    parser.addoption(
        "--postgres",
        metavar="URL",
        default=os.environ.get(POSTGRES_VARIABLE) or None,
        help=f"also run the storage tests on this PostgreSQL server (or set {POSTGRES_VARIABLE})",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# ---------------------------------------------------------------------------
# Environment and settings (used by every test)
# ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop STRIFE_* variables so a developer's shell cannot change a test's outcome."""
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX):
            monkeypatch.delenv(name)


@pytest.fixture
def settings() -> Settings:
    """The defaults, as the library sees them with no overrides."""
    return Settings()


@pytest.fixture
def tight_settings() -> Settings:
    """Small limits so size and timeout tests run in well under a second."""
    return Settings().with_overrides({"max_page_bytes": "1000", "fetch_timeout": "0.5"})


# ---------------------------------------------------------------------------
# Load and fetch: a loopback HTTP server with canned answers (test_fetch.py)
# ---------------------------------------------------------------------------

#: httpx sends requests through these when set, even to 127.0.0.1, so local_server drops them.
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)
#: Seconds the /slow handler waits at most; far above tight_settings' fetch_timeout.
SLOW_HANDLER_SECONDS = 10.0

PAGE_HTML = (
    "<!DOCTYPE html>\n<html><head><title>Clashes reported near river crossing</title></head>\n"
    "<body><article><h1>Clashes reported near river crossing</h1>\n"
    "<p>Residents of Lower Marram said gunfire was heard near the old ferry crossing "
    "late on Tuesday. The district council said two people were wounded; a police "
    "spokesperson put the figure at four.</p></article></body></html>\n"
)


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _page(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 200, PAGE_HTML.encode(), Content_Type="text/html; charset=utf-8")


def _not_found(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 404, b"<html><body>No such story.</body></html>", Content_Type="text/html")


def _server_error(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 500, b"<html><body>Oops.</body></html>", Content_Type="text/html")


def _redirect(target: str) -> Callable[[BaseHTTPRequestHandler], None]:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        _send(handler, 302, b"", Location=target)

    return answer


def _pdf(handler: BaseHTTPRequestHandler) -> None:
    _send(handler, 200, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", Content_Type="application/pdf")


def _slow(handler: BaseHTTPRequestHandler) -> None:
    server = handler.server
    assert isinstance(server, LocalServer)
    # Wait until the test gives up (teardown sets the event), then send nothing: the
    # client has gone, and writing would only raise BrokenPipeError in this thread.
    if not server.stopping.wait(SLOW_HANDLER_SECONDS):
        _page(handler)


def _big_with_length(handler: BaseHTTPRequestHandler) -> None:
    body = b"<p>" + b"Aid convoys were delayed again at the checkpoint. " * 100 + b"</p>"
    _send(handler, 200, body, Content_Type="text/html; charset=utf-8")


def _big_chunked(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>Aid convoys were delayed again at the checkpoint.</p>\n" * 8
    for _ in range(20):
        handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    handler.wfile.write(b"0\r\n\r\n")


def _trickle(handler: BaseHTTPRequestHandler) -> None:
    """Send a chunk every 0.2 s: each read is quick, the whole answer is not."""
    server = handler.server
    assert isinstance(server, LocalServer)
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html; charset=utf-8")
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    chunk = b"<p>Residents queued for bread.</p>\n"
    try:
        for _ in range(50):
            if server.stopping.wait(0.2):
                return
            handler.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            handler.wfile.flush()
        handler.wfile.write(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        return  # the client gave up, as the deadline test wants


ROUTES: dict[str, Callable[[BaseHTTPRequestHandler], None]] = {
    "/page": _page,
    "/missing": _not_found,
    "/broken": _server_error,
    "/loop": _redirect("/loop"),
    "/hop1": _redirect("/hop2"),
    "/hop2": _redirect("/hop3"),
    "/hop3": _redirect("/page"),
    "/report.pdf": _pdf,
    "/slow": _slow,
    "/big": _big_with_length,
    "/big-chunked": _big_chunked,
    "/trickle": _trickle,
}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked bodies need 1.1
    timeout = 5  # an idle keep-alive connection cannot hold up teardown for longer

    def do_GET(self) -> None:
        ROUTES.get(self.path, _not_found)(self)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


class LocalServer(ThreadingHTTPServer):
    """A loopback server whose handler threads are joined on close."""

    daemon_threads = False
    block_on_close = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.stopping = threading.Event()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up early (the size and timeout tests do on purpose)."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)


@pytest.fixture(scope="session")
def _local_server() -> Iterator[str]:
    server = LocalServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}"
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()  # joins the handler threads (block_on_close)
        thread.join(timeout=5)


@pytest.fixture
def local_server(_local_server: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Base URL of the loopback server (no trailing slash; paths are the keys of ROUTES).

    Proxy variables are dropped so that no request can leave 127.0.0.1.
    """
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return _local_server


@pytest.fixture
def served_page() -> str:
    """The HTML that the loopback server sends for /page."""
    return PAGE_HTML


# ---------------------------------------------------------------------------
# CLI and pipeline: short article pages written for these tests
# (test_cli.py, test_pipeline.py)
# ---------------------------------------------------------------------------

FERRY_STRIKE_TITLE = "Ferry workers strike halts crossings at Port Halvard"
FERRY_STRIKE_HTML = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{FERRY_STRIKE_TITLE} | The Coastal Post</title>
<meta property="og:title" content="{FERRY_STRIKE_TITLE}">
<meta property="og:site_name" content="The Coastal Post">
<meta name="author" content="Mira Castellan">
<meta property="article:published_time" content="2024-03-12T08:45:00+02:00">
</head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>{FERRY_STRIKE_TITLE}</h1>
<p>All ferry crossings between Port Halvard and the Skerrin islands were cancelled on Tuesday
as deck and engine crews began a 48-hour strike over pay and rest hours.</p>
<p>The seafarers' union said about 600 members had walked out after talks with the operator
broke down late on Monday. The operator said it had offered a rise of four per cent and
called the strike "disproportionate".</p>
<p>Islanders said supplies of fresh food and fuel were already running low. The regional
council said it had asked the coastguard to carry urgent medical cases to the mainland.</p>
</article>
<footer>&copy; The Coastal Post</footer>
</body>
</html>
"""

#: Short and undated, so the cleaner flags it with W202 and W204.
QUARRY_ROAD_TITLE = "Road to Tessaly quarry reopens"
QUARRY_ROAD_HTML = f"""<!DOCTYPE html>
<html><head><title>{QUARRY_ROAD_TITLE}</title></head>
<body><article><h1>{QUARRY_ROAD_TITLE}</h1>
<p>The road to the Tessaly quarry reopened on Friday after a landslide blocked it for a
week, the district engineer said.</p>
</article></body></html>
"""


@dataclass(frozen=True)
class WrittenPage:
    """A page written to disk for one test, with what the cleaner should find in it."""

    path: Path
    title: str
    #: Words from the body that the cleaned text must keep.
    snippet: str


def _write_page(folder: Path, name: str, html: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture
def article_page(tmp_path: Path) -> WrittenPage:
    """A dated news article with an author and a publisher, long enough to raise no warning."""
    path = _write_page(tmp_path / "pages", "ferry-strike.html", FERRY_STRIKE_HTML)
    return WrittenPage(path, FERRY_STRIKE_TITLE, "began a 48-hour strike over pay and rest hours")


@pytest.fixture
def short_page(tmp_path: Path) -> WrittenPage:
    """A one-sentence undated story: cleaned, with warnings W202 and W204."""
    path = _write_page(tmp_path / "pages", "quarry-road.html", QUARRY_ROAD_HTML)
    return WrittenPage(path, QUARRY_ROAD_TITLE, "after a landslide blocked it for a week")


# ---------------------------------------------------------------------------
# spaCy model: the English pipeline, loaded once per session (test_extract_*.py)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The pipeline strife.read loads (``en_core_web_sm``, lemmatizer excluded)."""
    from strife.read import load_nlp

    return load_nlp()


# ---------------------------------------------------------------------------
# Databases: a SQLite file, and a fresh PostgreSQL database when a server is
# given (--postgres or TEST_POSTGRES_URL) (test_store.py, test_ingest.py)
# ---------------------------------------------------------------------------

#: Why the postgresql cases skip when no server is given.
NO_POSTGRES = (
    f"PostgreSQL: no server given; set {POSTGRES_VARIABLE} to a URL, or pass --postgres URL"
)


@pytest.fixture(scope="session")
def postgres_server(pytestconfig: pytest.Config) -> str:
    """The PostgreSQL server URL given to this run; the test skips when there is none.

    A server that is given but cannot be reached fails the test: CI starts one and
    must not pass by skipping.
    """
    given: str | None = pytestconfig.getoption("--postgres")
    if not given:
        pytest.skip(NO_POSTGRES)
    import psycopg
    from sqlalchemy.engine import make_url

    # libpq's form (postgresql://), which psycopg takes, even if a driver was named.
    url = make_url(given).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
        connection.execute("SELECT 1")
    return url


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty PostgreSQL database for one test (dropped after it), as a URL."""
    import uuid

    import psycopg
    from psycopg import sql
    from sqlalchemy.engine import make_url

    name = f"strife_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(postgres_server, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        url = make_url(postgres_server).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(postgres_server, autocommit=True) as connection:
            # FORCE ends the connections a failed test left open.
            statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            connection.execute(statement.format(sql.Identifier(name)))


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database for one test, as ``--db`` takes it: a SQLite path, or a PostgreSQL URL.

    The postgresql case skips when no server is given (see ``postgres_server``).
    """
    if request.param == "postgresql":
        url: str = request.getfixturevalue("postgres_url")
        return url
    return str(tmp_path / "record.sqlite")


# ---------------------------------------------------------------------------
# A linked record built from pages a test wrote (test_web*.py, test_browser.py)
# ---------------------------------------------------------------------------

LinkPages = Callable[[str, Path, list[dict[str, str]]], None]


@pytest.fixture(scope="session")
def link_pages() -> LinkPages:
    """Ingest ``pages`` (written as JSON Lines into ``folder``) into ``db`` and link them."""

    def build(db: str, folder: Path, pages: list[dict[str, str]]) -> None:
        import json

        from strife.ingest import ingest_pages
        from strife.store.linking import link_pending
        from strife.store.repository import open_repository

        path = folder / f"pages-{len(pages)}-{pages[0]['id']}.jsonl"
        path.write_text("".join(json.dumps(page) + "\n" for page in pages), encoding="utf-8")
        with open_repository(db) as repository:
            ingest_pages([str(path)], repository=repository, settings=Settings(), workers=1)
            link_pending(repository, settings=Settings())

    return build


# ---------------------------------------------------------------------------
# Mail: an aiosmtpd server on loopback (test_web_discussion.py, test_web_review.py)
# ---------------------------------------------------------------------------


class MailInbox:
    """An aiosmtpd handler that keeps each message it receives: (recipients, raw bytes)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, MailInbox]]:
    """A mail server on a free loopback port, and the inbox it fills."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    inbox = MailInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield controller.port, inbox
    finally:
        controller.stop()


# ---------------------------------------------------------------------------
# Browser: Debian's Chromium, driven by Playwright (test_browser.py)
# ---------------------------------------------------------------------------

#: The only browser the tests use; Playwright's own downloads are never used.
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's Chromium; the test skips, saying why, when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(
            f"browser: {CHROMIUM} is missing; install Debian's chromium "
            "(apt-get install chromium; .ci/run does)"
        )
    return str(CHROMIUM)
