"""End-to-end tests of ``strife serve`` in a real headless browser (issue 6).

The workflow: register, sign in and out, filter, an event and its article, comment,
reply and mention, follow, a notification, a role change, a merge, and a corrected
figure seen in the event's figures and history.

The record is built from three short pages composed here (an attack on a cattle
market near Gao and a roadside bomb near Mopti, both in Mali; clashes over a water
point near Garissa, in Kenya), ingested and linked into a SQLite file. The app that
``strife serve`` runs (:func:`create_app`) is served by uvicorn on a free loopback
port in a background thread, and Debian's Chromium (``/usr/bin/chromium``, never a
browser Playwright downloads) is driven through Playwright's sync API, headless,
each user in a browser of their own with a new, empty profile folder.

The tests skip, with the reason, when ``/usr/bin/chromium`` is missing (the
``chromium`` fixture in conftest.py); ``.ci/run`` installs it.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import LinkPages

pytestmark = pytest.mark.slow

PAGES = [
    {
        "id": "gao",
        "published": "2023-02-14T10:00:00+00:00",
        "text": "Gunmen kill 9 at a market near Gao\n\nGunmen on motorbikes killed 9 traders on "
        "Monday at a cattle market outside Gao in Mali, the regional governor said.\n\n"
        "Witnesses said the attackers set fire to stalls before fleeing north.",
    },
    {
        "id": "mopti",
        "published": "2023-03-20T08:30:00+00:00",
        "text": "Roadside bomb kills 4 soldiers near Mopti\n\nA roadside bomb killed 4 soldiers "
        "on Saturday on the road between Mopti and Sevare in Mali, the army said.\n\n"
        "The patrol was returning from a supply run when the device exploded.",
    },
    {
        "id": "garissa",
        "published": "2023-04-02T07:00:00+03:00",
        "text": "Clashes over water leave 3 dead in Garissa\n\nClashes between herders over a "
        "water point killed 3 people on Friday near Garissa in Kenya, police said.\n\n"
        "Elders called for calm and the county sent extra officers.",
    },
]
PASSWORD = "correct horse battery"
VIEWPORT = {"width": 1280, "height": 900}
#: The flags of /work/.library/env/machines/python.md: no sandbox (CI runs as root), no
#: GPU, and none of Chromium's own connections out (the network is closed).
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]
#: Playwright waits this long (ms) for a page or an element before failing the test.
TIMEOUT_MS = 20_000


@dataclass(frozen=True)
class Served:
    """The running app: its base URL and the record's event ids by page."""

    url: str
    events: dict[str, str]


def _linked_events(db: str, folder: Path, link_pages: LinkPages) -> dict[str, str]:
    """Ingest and link PAGES into ``db``; answer each page's record event id."""
    from strife.store.records import RecordQuery, find_records
    from strife.store.repository import open_repository

    link_pages(db, folder, PAGES)
    with open_repository(db) as repository:
        records = find_records(repository, RecordQuery())
    # Each page is one article, read from <pages file>#<id>, and one event.
    by_page = {}
    for record in records:
        (report,) = record["reports"]
        by_page[report["article"]["location"].rsplit("#", 1)[1]] = record["id"]
    assert sorted(by_page) == sorted(page["id"] for page in PAGES)
    return by_page


@pytest.fixture
def served(tmp_path: Path, link_pages: LinkPages) -> Iterator[Served]:
    """``strife serve``'s app under uvicorn on a free loopback port, in a thread."""
    import uvicorn

    from strife.settings import Settings
    from strife.web.app import create_app

    db = str(tmp_path / "record.sqlite")
    events = _linked_events(db, tmp_path, link_pages)
    # No map tiles: the page makes no request beyond the app.
    settings = Settings().with_overrides({"map_tiles": "", "web_secret": "browser-test-secret"})
    app = create_app(settings, db=db)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="on", ws="none")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        for _ in range(200):
            if server.started or not thread.is_alive():
                break
            time.sleep(0.05)
        assert server.started, "uvicorn did not start"
        yield Served(f"http://127.0.0.1:{port}", events)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture
def open_browser(chromium: str, tmp_path: Path) -> Iterator[Callable[[str], Any]]:
    """Open a headless Chromium for one user, with a new empty profile; answer its page.

    Every script error and console error (a Content-Security-Policy refusal among them)
    fails the test at teardown.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        contexts: list[Any] = []
        errors: list[str] = []

        def open_for(user: str) -> Any:
            profile = tmp_path / f"profile-{user}"
            profile.mkdir()
            context = playwright.chromium.launch_persistent_context(
                str(profile),
                executable_path=chromium,
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport=VIEWPORT,
            )
            context.set_default_timeout(TIMEOUT_MS)
            contexts.append(context)
            page = context.pages[0] if context.pages else context.new_page()
            page.on("pageerror", lambda error: errors.append(f"{user}: {error}"))
            page.on("console", lambda message: _console_error(user, message, errors))
            return page

        try:
            yield open_for
        finally:
            for context in contexts:
                context.close()
        assert errors == [], "errors in the browser"


def _console_error(user: str, message: Any, errors: list[str]) -> None:
    """Keep a console error, but for the favicon Chromium asks for by itself (the app has none)."""
    if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
        errors.append(f"{user}: {message.text} ({message.location['url']})")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _screenshot(page: Any, folder: Path, name: str, *expected: str) -> str:
    """Save the viewport as ``name``.png and check it; answer the page's text at that time."""
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    text: str = page.inner_text("body")
    assert path.stat().st_size > 5_000, f"{name}.png is nearly empty"
    assert _png_size(path) == (VIEWPORT["width"], VIEWPORT["height"])
    for words in expected:
        assert words in text, f"{name}: {words!r} not on the page when shot"
    return text


def _register(page: Any, base: str, name: str) -> None:
    page.goto(f"{base}/register")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url(f"{base}/account")


def _unread(page: Any) -> str:
    """The header's unread counter ('' when there is none)."""
    counter = page.locator("header .bell .count")
    return "" if counter.count() == 0 else str(counter.inner_text()).strip()


def test_browser_analyst_workflow(
    open_browser: Callable[[str], Any], served: Served, tmp_path: Path
) -> None:
    base = served.url
    gao, mopti, garissa = (served.events[page["id"]] for page in PAGES)
    shots = tmp_path / "screenshots"
    shots.mkdir()

    # The first account registered is the admin.
    ana = open_browser("ana")
    _register(ana, base, "ana")
    assert ana.locator("header .role").inner_text() == "admin"

    # Sign out, then back in.
    ana.get_by_role("button", name="Sign out").click()
    ana.wait_for_url(f"{base}/events")
    assert ana.get_by_role("link", name="Sign in").is_visible()
    ana.get_by_role("link", name="Sign in").click()
    ana.get_by_label("Name").fill("ana")
    ana.get_by_label("Password").fill(PASSWORD)
    ana.get_by_role("button", name="Sign in").click()
    ana.wait_for_url(f"{base}/events")
    assert ana.locator("header .who a[href='/account']").inner_text() == "ana"

    # The events list, filtered by country: the two Malian events, not the Kenyan one.
    assert ana.locator("table.events tbody tr").count() == 3
    ana.get_by_label("Country").fill("ML")
    ana.get_by_role("button", name="Filter").click()
    ana.wait_for_url("**/events?*country=ML*")
    rows = ana.locator("table.events tbody tr")
    assert rows.count() == 2
    # map.js ran (under the page's CSP), fetched the map data with the page's filters and
    # drew a marker for each of them (after the page loaded: wait for the second).
    markers = ana.locator("#map .leaflet-interactive")
    markers.nth(1).wait_for()
    assert markers.count() == 2
    text = _screenshot(ana, shots, "events", gao, mopti, "Gao, ML", "Mopti, ML", "Events 1–2")
    assert garissa not in text
    assert "Garissa" not in text

    # An event page: its figures and the claim quoted with the number marked.
    ana.get_by_role("link", name=gao).click()
    ana.wait_for_url(f"{base}/events/{gao}")
    assert ana.locator("td.quote mark.claim", has_text="9").count() >= 1
    _screenshot(ana, shots, "event", gao, "Figures", "Claims", "regional governor", "History")

    # Its article, the claim's words highlighted in the text.
    ana.locator("table.reports a[href^='/articles/']").first.click()
    ana.wait_for_url(f"{base}/articles/*")
    marks = ana.locator("div.text mark")
    assert marks.count() >= 1
    assert "9" in [str(words).strip() for words in marks.all_inner_texts()]
    _screenshot(ana, shots, "article", "Gunmen kill 9 at a market near Gao", "Text", gao)

    # A second user, in a browser of their own: a viewer, nothing unread yet.
    ben = open_browser("ben")
    _register(ben, base, "ben")
    assert ben.locator("header .role").inner_text() == "viewer"
    assert _unread(ben) == ""

    # ana comments on the event, mentioning ben, and replies in the thread.
    ana.goto(f"{base}/events/{gao}")
    ana.get_by_label("Comment").fill("@ben does the governor's toll of 9 hold up?")
    ana.get_by_role("button", name="Comment").click()
    ana.wait_for_url(f"{base}/events/{gao}#comment-*")
    thread = ana.locator("section.comments article.comment").first
    assert "does the governor's toll of 9 hold up?" in thread.inner_text()
    thread.locator("form.reply textarea").fill("The traders' association gave the same figure.")
    thread.get_by_role("button", name="Reply").click()
    ana.wait_for_url(f"{base}/events/{gao}#comment-*")
    reply = ana.locator("section.comments article.comment.reply")
    assert reply.count() == 1
    assert "traders' association" in reply.inner_text()

    # ana follows the event; it is listed on her activity page.
    ana.get_by_role("button", name="Follow").click()
    ana.wait_for_url(f"{base}/events/{gao}")
    ana.goto(f"{base}/activity")
    assert gao in ana.locator("ul.follows").inner_text()

    # ben's counter goes from nothing to 1; the notification says who mentioned him.
    ben.goto(f"{base}/events")
    assert _unread(ben) == "1"
    ben.locator("header .bell").click()
    ben.wait_for_url(f"{base}/notifications")
    assert "ana mentioned you" in ben.inner_text("main")

    # The admin makes ben an analyst; ben merges the Mopti event into the Gao one.
    ana.goto(f"{base}/admin/users")
    row = ana.locator("tr", has_text="ben")
    row.locator("select[name=role]").select_option("analyst")
    row.get_by_role("button", name="Set").click()
    ana.wait_for_url(f"{base}/admin/users")
    ben.goto(f"{base}/events/{mopti}")
    assert ben.locator("header .role").inner_text() == "analyst"
    ben.get_by_label("Event id").fill(gao)
    ben.get_by_label("Why").first.fill("Duplicate report of the same attack wave")
    ben.get_by_role("button", name="Merge").click()
    ben.wait_for_url(f"{base}/events/{gao}")
    history = ben.locator("ol.history > li", has_text="merged")
    assert history.count() >= 1
    assert "by ben" in history.last.inner_text()
    ben.goto(f"{base}/events/{mopti}")
    assert f"{mopti} was merged into this event." in ben.inner_text("main")

    # ana, who follows the event, sees ben's merge in her activity feed.
    ana.goto(f"{base}/activity")
    feed = ana.locator("ol.feed li.revision", has_text="merged")
    assert feed.count() >= 1
    assert "by ben" in feed.first.inner_text()

    # ben corrects the highest toll on the event page: the figure shows the new value beside
    # the automatic one, and the history says who, when and why.
    ben.goto(f"{base}/events/{gao}")
    review = ben.locator("tr#review-fatalities-high")
    automatic = review.locator("td").first.inner_text().strip()
    assert automatic.isdigit()
    review.get_by_label("new fatalities.high").fill("14")
    review.get_by_label("reason for fatalities.high").fill("Hospital list of the dead")
    review.get_by_role("button", name="Correct").click()
    ben.wait_for_url(f"{base}/events/{gao}#history")
    high = ben.locator("table.figures tbody tr", has_text="fatalities").locator("td").nth(2)
    assert high.inner_text().startswith("14")
    assert "corrected by ben" in high.inner_text()
    assert f"from {automatic} (automatic)" in high.inner_text()
    corrected = ben.locator("ol.history > li", has_text="corrected")
    assert corrected.count() == 1
    entry = corrected.last.inner_text()
    assert "by ben" in entry
    assert "Hospital list of the dead" in entry
    assert f"fatalities.high: {automatic} → 14" in entry
    _screenshot(ben, shots, "corrected", "History", "corrected by ben", "Hospital list of the dead")
