"""Tests for strife serve: the pages and the JSON API over a linked record, and accounts.

The record is built from three short pages composed here: two reports of one air
strike in an Idlib town whose sources disagree on the toll (9 and 21, so the
event is disputed), and one report of a market attack in Kano whose headline and
text carry a script tag and an ``onerror`` attribute, which every page must show
escaped. Pages go through the whole pipeline (ingest, link), then are read with
Starlette's TestClient against :func:`create_app`; no server is started.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import LinkPages
from strife.cli import app as cli_app
from strife.errors import DatabaseLockedError
from strife.settings import Settings
from strife.web.app import create_app

SCRIPT = "<script>alert(1)</script>"
HANDLER = "<img src=x onerror=alert(2)>"
PAGES = [
    {
        "id": "idlib-1",
        "published": "2019-08-20T10:00:00+03:00",
        "text": "Air strikes kill 9 in Maarat al-Numan\n\nAir strikes killed at least 9 civilians "
        "on Monday in the town of Maarat al-Numan in Idlib province, the Syrian Observatory "
        "for Human Rights said.\n\nThe monitor said Russian warplanes carried out the raids on "
        "a busy street near the main square.\n\nSign up for our newsletter to get the day's "
        "headlines in your inbox.",
    },
    {
        "id": "idlib-2",
        "published": "2019-08-20T16:00:00+03:00",
        "text": "Raids on Maarat al-Numan leave 21 dead\n\nWarplanes struck a street in Maarat "
        "al-Numan in Idlib province on Monday, killing 21 people, the White Helmets civil "
        "defence group said. The Syrian Observatory for Human Rights put the toll at 9.\n\n"
        "Rescuers worked through the night to pull survivors from collapsed buildings.",
    },
    {
        "id": "kano",
        "published": "2021-03-02T09:00:00+01:00",
        "text": f"Gunmen kill 3 in Kano {SCRIPT}\n\nGunmen attacked a market in Kano, Nigeria, "
        "on Monday, killing 3 traders, police said. The attackers fled on motorcycles before "
        f"officers arrived.\n\nA resident who gave her name as {HANDLER} said the market had "
        "been attacked before and that traders were afraid to return.",
    },
]
OBSERVATORY = "Syrian Observatory for Human Rights"
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory, link_pages: LinkPages) -> Path:
    """The linked record, built once; tests get a copy (SQLite) to change as they like."""
    folder = tmp_path_factory.mktemp("record")
    link_pages(str(folder / "record.sqlite"), folder, PAGES)
    return folder / "record.sqlite"


@pytest.fixture
def record_db(_built: Path, tmp_path: Path) -> str:
    copy = tmp_path / "record.sqlite"
    shutil.copy(_built, copy)
    return str(copy)


def _client(db: str, **overrides: str) -> Iterator[TestClient]:
    settings = Settings().with_overrides(overrides)
    with TestClient(create_app(settings, db=db)) as client:
        yield client


@pytest.fixture
def client(record_db: str) -> Iterator[TestClient]:
    """A client of the app over a copy of the linked record."""
    yield from _client(record_db)


@pytest.fixture
def empty_client(db: str) -> Iterator[TestClient]:
    """A client over an empty record (SQLite, and PostgreSQL when given): for accounts."""
    yield from _client(db, login_attempts="3")


def _idlib(client: TestClient) -> dict[str, Any]:
    (record,) = client.get("/api/events", params={"place": "Idlib"}).json()["events"]
    return record


def _kano(client: TestClient) -> dict[str, Any]:
    """The Kano attack (the page also reports a clash, without a toll)."""
    params = {"country": "NG", "min_fatalities": "1"}
    (record,) = client.get("/api/events", params=params).json()["events"]
    return record


def _csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def _register(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    return client.post(
        "/register",
        data={"name": name, "password": password, "csrf": _csrf(client, "/register")},
        follow_redirects=False,
    )


def _login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    data = {"name": name, "password": password, "csrf": _csrf(client)}
    return client.post("/login", data=data, follow_redirects=False)


def _logout(client: TestClient) -> None:
    client.post("/logout", data={"csrf": _csrf(client, "/events")})


# ---------------------------------------------------------------------------
# Reading the record: API and pages
# ---------------------------------------------------------------------------


def test_web_reads_the_record_on_each_database(
    db: str, tmp_path: Path, link_pages: LinkPages
) -> None:
    link_pages(db, tmp_path, PAGES)
    for client in _client(db):
        listed = client.get("/api/events").json()
        assert len(listed["events"]) >= 2  # the air strike, and Kano's one or two events
        assert listed["more"] is False
        record = _idlib(client)
        detail = client.get(f"/api/events/{record['id']}").json()
        assert detail["history"][0]["action"] == "created"
        article = client.get(f"/api/articles/{record['reports'][0]['article']['id']}").json()
        assert article["events"][0]["record"] == record["id"]
        assert client.get("/events").status_code == 200
        assert client.get(f"/events/{record['id']}").status_code == 200


def test_web_api_filters_events(client: TestClient) -> None:
    def ids(**params: str) -> list[str]:
        return [r["id"] for r in client.get("/api/events", params=params).json()["events"]]

    idlib = _idlib(client)["id"]
    every = ids()
    assert len(every) >= 2
    assert ids(country="SY") == [idlib]
    assert ids(country="sy", since="2019-08-01", until="2019-08-31") == [idlib]
    assert ids(since="2020-01-01") != [idlib]
    assert ids(min_fatalities="5") == [idlib]
    assert ids(place="Idlib") == [idlib]
    assert ids(near="35.65,36.68", radius="10") == [idlib]
    assert ids(near="0,0") == []
    assert ids(source="observatory") == [idlib]
    assert idlib in ids(corroborated="1")
    corroborated = client.get("/api/events", params={"corroborated": "1"}).json()["events"]
    assert all(r["independent_sources"] >= 2 for r in corroborated)
    assert ids(category="explosions_remote_violence") == [idlib]
    assert ids(actor="unidentified") != [idlib]
    pages = [
        client.get("/api/events", params={"limit": "1", "offset": str(n)}).json()
        for n in range(len(every))
    ]
    assert [page["events"][0]["id"] for page in pages] == every
    assert [page["more"] for page in pages] == [True] * (len(every) - 1) + [False]


@pytest.mark.parametrize(
    ("name", "value"),
    [("country", "Syria"), ("since", "20 May"), ("near", "north"), ("limit", "-1")],
)
def test_web_bad_filters_are_refused(client: TestClient, name: str, value: str) -> None:
    answer = client.get("/api/events", params={name: value})

    assert answer.status_code == 422
    assert name in answer.json()["error"]["message"]
    page = client.get("/events", params={name: value})
    assert page.status_code == 422
    assert "text/html" in page.headers["content-type"]


def test_web_events_page_has_filters_map_and_timeline(client: TestClient) -> None:
    page = client.get("/events", params={"country": "SY", "place": ""}).text

    assert 'name="country" value="SY"' in page
    assert _idlib(client)["id"] in page
    assert "Kano" not in page
    assert '<div id="map"' in page
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in page
    assert 'data-source="/api/events/map?country=SY"' in page
    assert "map-points" not in page  # the points are fetched, not embedded
    overview = client.get("/api/events/map", params={"country": "SY"}).json()
    assert [p["lat"] for p in overview["points"]] == [pytest.approx(35.65, abs=0.01)]
    assert overview["capped"] is False
    assert "<svg" in page
    assert "2019-08-19: 9 killed" in page
    assert '<script src="/static/vendor/leaflet/leaflet.js">' in page
    assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200
    assert client.get("/static/vendor/leaflet/LICENSE").status_code == 200


def test_web_map_sums_many_events_into_cells(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = client.get("/api/events", params={"limit": 500}).json()["events"]
    placed = [e for e in everything if (e.get("location") or {}).get("lat") is not None]
    assert len(placed) >= 2
    monkeypatch.setattr("strife.web.api.MAP_POINTS", len(placed) - 1)

    overview = client.get("/api/events/map").json()

    assert "points" not in overview
    assert sum(cell["events"] for cell in overview["cells"]) == len(placed)
    assert sum(cell["fatalities"] for cell in overview["cells"]) == sum(
        e["fatalities"]["best"] or 0 for e in placed
    )
    # A filter read from the JSON is not summed in SQL: its first events, capped.
    by_words = client.get("/api/events/map", params={"actor": "a"}).json()
    assert "cells" not in by_words
    assert len(by_words["points"]) <= len(placed) - 1


def test_web_events_pages_follow_the_list_order(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": 500}).json()["events"]
    starts = [(e.get("date") or {}).get("start") for e in everything]
    assert len(everything) >= 2
    assert starts == sorted(starts, key=lambda start: (start is None, start))

    for offset, record in enumerate(everything):
        page = client.get("/api/events", params={"limit": 1, "offset": offset}).json()
        assert [e["id"] for e in page["events"]] == [record["id"]]
        assert page["more"] is (offset < len(everything) - 1)


def test_web_map_tiles_setting_empty_means_points_only(record_db: str) -> None:
    for client in _client(record_db, map_tiles=""):
        page = client.get("/events")
        assert 'data-tiles=""' in page.text
        assert "img-src 'self' data:;" in page.headers["content-security-policy"]


def test_web_event_page_shows_figures_claims_disputes_reports_history(client: TestClient) -> None:
    record = _idlib(client)

    page = client.get(f"/events/{record['id']}").text

    assert "latest_per_source_median" in page
    assert "disputed: fatalities" in page
    assert 'class="sides"' in page
    assert OBSERVATORY in page
    assert "the White Helmets civil defence group" in page
    assert 'killing <mark class="claim">21</mark> people' in page  # quoted in its context
    linked = next(r for r in record["reports"] if r["method"] == "auto")
    assert f"{linked['score']:.2f}" in page
    assert "text " in page  # the link's reasons, part by part
    assert "created" in page
    assert "linked" in page
    article = record["claims"][0]["article"]
    assert f'href="/articles/{article}#claim-' in page
    assert "Merge into another event" not in page  # nobody is signed in


def test_web_merged_event_answers_with_the_event_it_went_into(client: TestClient) -> None:
    from strife.store.records import merge_incidents

    idlib = _idlib(client)["id"]
    kano = _kano(client)["id"]
    merge_incidents(client.app.state.repository, kano, idlib, actor="ana")  # type: ignore[attr-defined]

    answer = client.get(f"/api/events/{kano}").json()

    assert answer["id"] == idlib
    assert answer["merged_from"] == kano
    assert answer["history"][-1]["by"] == "ana"
    assert f"{kano} was merged into this event" in client.get(f"/events/{kano}").text


def test_web_article_page_highlights_claims_and_hides_boilerplate(client: TestClient) -> None:
    record = _idlib(client)
    first = next(r for r in record["reports"] if r["method"] == "new")["article"]["id"]

    article = client.get(f"/api/articles/{first}").json()
    page = client.get(f"/articles/{first}").text

    claim = article["events"][0]["claims"][0]
    assert article["text"][claim["start"] : claim["end"]] == claim["text"]
    assert f'<mark id="claim-{claim["start"]}-{claim["end"]}"' in page
    assert f'href="/events/{record["id"]}"' in page
    assert any("newsletter" in block for block in article["boilerplate"])
    assert re.search(r"<details[^>]*>\s*<summary>Removed boilerplate", page)
    assert "Sign up for our newsletter" in page.split("<details", 1)[1]


def test_web_source_page_compares_figures_with_the_reconciled(client: TestClient) -> None:
    answer = client.get("/api/sources", params={"name": OBSERVATORY.lower()}).json()

    assert answer["name"] == OBSERVATORY
    assert answer["kinds"] == ["monitoring_group"]
    assert {c["value"] for c in answer["claims"]} == {9}
    assert answer["comparison"]["fatalities"]["same"] == len(answer["claims"])
    assert answer["comparison"]["fatalities"]["median_ratio"] == 1.0
    listed = client.get("/api/sources").json()["sources"]
    assert OBSERVATORY in {s["name"] for s in listed}
    page = client.get("/sources", params={"name": OBSERVATORY}).text
    assert "Against the reconciled figures" in page
    assert "/sources?name=Syrian%20Observatory" in client.get("/sources").text


@pytest.mark.parametrize(
    "path", ["/api/events/ev-000000000000", "/api/articles/999", "/api/sources?name=nobody"]
)
def test_web_unknown_ids_are_404_in_json_and_html(client: TestClient, path: str) -> None:
    answer = client.get(path)

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "E601"
    page = client.get(path.removeprefix("/api"))
    assert page.status_code == 404
    assert "<!DOCTYPE html>" in page.text
    assert "[E601]" in page.text


def test_web_storage_errors_are_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*args: object) -> None:
        raise DatabaseLockedError("the database is locked", source="record.sqlite")

    monkeypatch.setattr("strife.web.api.get_record", locked)

    answer = client.get("/api/events/ev-000000000000")

    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "E501"


def test_web_escapes_scripts_and_event_handlers_everywhere(client: TestClient) -> None:
    article = _kano(client)["reports"][0]["article"]["id"]
    record = _kano(client)["id"]

    assert SCRIPT in client.get(f"/api/articles/{article}").json()["title"]
    for path in ("/events", f"/events/{record}", f"/articles/{article}", "/sources"):
        page = client.get(path).text
        assert SCRIPT not in page, path
        assert "<img src=x" not in page, path
        assert "<script>" not in page, path
    page = client.get(f"/articles/{article}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


def test_web_security_headers_and_session_cookie(client: TestClient) -> None:
    answer = client.get("/login")

    policy = answer.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    # Every answer gets them, JSON and errors too.
    for path in ("/api/events", "/api/events/map", "/api/events/ev-missing", "/nowhere"):
        headers = client.get(path).headers
        assert headers["x-frame-options"] == "DENY", path
        assert headers["content-security-policy"] == policy, path


def test_web_openapi_describes_the_api_and_no_cdn_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()

    assert {"/api/events", "/api/events/{identifier}", "/api/articles/{article_id}"} <= set(
        spec["paths"]
    )
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert {"country", "near", "radius", "corroborated", "limit", "offset"} <= names
    assert client.get("/docs").status_code == 404


def test_web_highlight_escapes_text_and_marks_each_claim_once() -> None:
    from strife.web._render import highlight_claims

    text = "<b>9</b> killed, 12 hurt"
    claims = [
        {"start": 3, "end": 4, "property": "fatalities", "source_name": "<i>x</i>"},
        {"start": 3, "end": 11, "property": "fatalities"},  # overlaps the first: left out
        {"start": 17, "end": 19, "property": "injuries", "source": "s1"},
        {"start": 20, "end": 99, "property": "injuries"},  # past the end: left out
    ]

    html = str(highlight_claims(text, claims))

    assert html == (
        '&lt;b&gt;<mark id="claim-3-4" class="claim fatalities" '
        'title="&lt;i&gt;x&lt;/i&gt;: fatalities">9</mark>&lt;/b&gt; killed, '
        '<mark id="claim-17-19" class="claim injuries" title="s1: injuries">12</mark> hurt'
    )


def test_web_timeline_is_daily_then_weekly() -> None:
    from strife.web._render import TIMELINE_WIDTH, timeline_bars

    daily = timeline_bars({date(2024, 1, 1): 6, date(2024, 1, 4): 3})
    assert [(b.day.isoformat(), b.fatalities) for b in daily] == [
        ("2024-01-01", 6),
        ("2024-01-04", 3),
    ]
    assert daily[0].height == 2 * daily[1].height
    assert daily[1].x == TIMELINE_WIDTH * 3 / 4
    weekly = timeline_bars({date(2023, 1, 2): 1, date(2024, 6, 5): 0, date(2024, 6, 6): 2})
    assert [(b.day.isoformat(), b.fatalities) for b in weekly] == [
        ("2023-01-02", 1),
        ("2024-06-03", 2),
    ]
    assert weekly[0].width > 1
    assert timeline_bars({}) == []


def test_web_timeline_rects_draw_each_bar_with_its_day_and_toll() -> None:
    from strife.web._render import timeline_bars, timeline_rects

    bars = timeline_bars({date(2024, 1, 1): 6, date(2024, 1, 4): 3})
    drawn = str(timeline_rects(bars))

    assert drawn.count("<rect ") == 2
    assert '<rect x="0.0" y="0.0" width="120.0" height="120.0">' in drawn
    assert "<title>2024-01-04: 3 killed</title>" in drawn
    assert str(timeline_rects([])) == ""


# ---------------------------------------------------------------------------
# Accounts
# ---------------------------------------------------------------------------


def test_web_first_account_is_admin_and_passwords_are_argon2(empty_client: TestClient) -> None:
    from sqlalchemy import select

    from strife.store.models import UserRow

    assert _register(empty_client, "ana").status_code == 303
    assert "ana" in empty_client.get("/account").text
    _logout(empty_client)
    assert _register(empty_client, "ben").status_code == 303

    repository = empty_client.app.state.repository  # type: ignore[attr-defined]
    with repository._read() as session:
        users = {u.name: u for u in session.scalars(select(UserRow))}
    assert users["ana"].role == "admin"
    assert users["ben"].role == "viewer"
    assert users["ana"].password_hash.startswith("$argon2id$")
    assert PASSWORD not in users["ana"].password_hash
    again = _register(empty_client, "ana")
    assert again.status_code == 400
    assert "taken" in again.text
    assert _register(empty_client, "cy", password="short").status_code == 400


def test_web_login_wrong_password_and_logout(empty_client: TestClient) -> None:
    _register(empty_client, "ana")
    _logout(empty_client)
    assert empty_client.get("/account").status_code == 401

    wrong = _login(empty_client, "ana", "wrong password")
    assert wrong.status_code == 401
    assert "wrong name or password" in wrong.text
    assert _login(empty_client, "nobody").status_code == 401
    assert _login(empty_client, "ana").status_code == 303
    assert empty_client.get("/api/me").json()["name"] == "ana"
    _logout(empty_client)
    assert empty_client.get("/api/me").status_code == 401


def test_web_login_attempts_are_rate_limited(empty_client: TestClient) -> None:
    _register(empty_client, "ana")
    _logout(empty_client)
    for _ in range(3):  # login_attempts=3 in this client
        assert _login(empty_client, "ana", "wrong password").status_code == 401

    refused = _login(empty_client, "ana")  # even the right password, until the window ends

    assert refused.status_code == 429
    assert "E614" in refused.text
    assert _login(empty_client, "ANA").status_code == 429  # names are counted in any case


@pytest.mark.parametrize("path", ["/login", "/register", "/logout", "/account/tokens"])
def test_web_posts_without_csrf_token_are_refused(empty_client: TestClient, path: str) -> None:
    empty_client.get("/login")  # a session exists, but the form leaves its token out

    refused = empty_client.post(path, data={"name": "ana", "password": PASSWORD, "label": "x"})

    assert refused.status_code == 403
    assert "CSRF" in refused.text
    forged = empty_client.post(path, data={"name": "ana", "password": PASSWORD, "csrf": "forged"})
    assert forged.status_code == 403


def test_web_viewer_cannot_edit_and_analyst_can(client: TestClient) -> None:
    record = _idlib(client)
    kano = _kano(client)["id"]
    _register(client, "ana")  # the admin
    _logout(client)
    _register(client, "ben")  # a viewer
    csrf = _csrf(client, "/events")

    refused = client.post(f"/events/{kano}/merge", data={"into": record["id"], "csrf": csrf})
    assert refused.status_code == 403
    assert "viewer" in refused.text
    assert "Merge into another event" not in client.get(f"/events/{kano}").text
    _logout(client)

    _login(client, "ana")
    users = client.get("/admin/users").text
    ben = re.search(r'action="/admin/users/(\d+)/role"', users.split("ben", 1)[1]).group(1)
    csrf = _csrf(client, "/events")
    client.post(f"/admin/users/{ben}/role", data={"role": "analyst", "csrf": csrf})
    _logout(client)
    _login(client, "ben")
    csrf = _csrf(client, "/events")

    merged = client.post(
        f"/events/{kano}/merge", data={"into": record["id"], "csrf": csrf}, follow_redirects=False
    )

    assert merged.status_code == 303
    assert merged.headers["location"] == f"/events/{record['id']}"
    history = client.get(f"/api/events/{record['id']}").json()["history"]
    assert history[-1]["action"] == "merged"
    assert history[-1]["by"] == "ben"


def test_web_api_tokens_act_for_their_user(client: TestClient) -> None:
    from sqlalchemy import select

    from strife.store.models import ApiTokenRow

    record = _idlib(client)
    _register(client, "ana")
    page = client.post("/account/tokens", data={"label": "nightly", "csrf": _csrf(client)}).text
    token = re.search(r'<code class="token">([^<]+)</code>', page).group(1)
    _logout(client)
    headers = {"Authorization": f"Bearer {token}"}

    assert client.get("/api/me", headers=headers).json()["role"] == "admin"
    forged = client.get("/api/me", headers={"Authorization": "Bearer nope"})
    assert forged.status_code == 401
    assert forged.headers["www-authenticate"] == "Bearer"
    report = next(r for r in record["reports"] if r["method"] == "auto")["event"]
    split = client.post(
        f"/api/events/{record['id']}/split", json={"reports": [report]}, headers=headers
    )
    assert split.status_code == 200
    assert split.json()["history"][-1]["by"] == "ana"
    # Without a token, the same post is a viewer's: refused before any change.
    assert (
        client.post(f"/api/events/{record['id']}/split", json={"reports": [report]}).status_code
        == 401
    )
    again = client.post(
        f"/api/events/{record['id']}/split", json={"reports": [report]}, headers=headers
    )
    assert again.status_code == 409  # that report has left already

    with client.app.state.repository._read() as session:  # type: ignore[attr-defined]
        (digest,) = session.scalars(select(ApiTokenRow.digest))
    assert digest == hashlib.sha256(token.encode()).hexdigest()


# ---------------------------------------------------------------------------
# The command
# ---------------------------------------------------------------------------


def test_web_serve_command_runs_uvicorn_on_the_app(
    record_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, Any] = {}

    def run(app: Any, *, host: str, port: int, log_level: str) -> None:
        seen.update(app=app, host=host, port=port)
        app.state.repository.close()

    monkeypatch.setattr("uvicorn.run", run)

    result = CliRunner().invoke(cli_app, ["serve", "--db", record_db, "--port", "8123"])

    assert result.exit_code == 0, result.output
    assert seen["host"] == "127.0.0.1"
    assert seen["port"] == 8123
    assert seen["app"].title == "strife"


def test_web_serve_workers_get_the_commands_settings_and_one_session_key() -> None:
    from strife.cli.serve import _environment
    from strife.settings import load_settings

    environment = _environment(["map-tiles=", "login_attempts=3"], "record.sqlite", "")
    settings = load_settings(environ=environment)

    assert settings.map_tiles == ""
    assert settings.login_attempts == 3
    assert settings.db == "record.sqlite"
    assert len(settings.web_secret) >= 32
    assert "STRIFE_WEB_SECRET" not in _environment([], None, "kept-secret")
