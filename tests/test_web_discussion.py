"""Tests for discussion, follows, the activity feed, notifications and their delivery.

The record is built from two short pages composed here (mortar fire in Homs, a
bomb at a bus station in Maiduguri), ingested and linked on each database the
``db`` fixture gives (SQLite, and PostgreSQL when a server is given). The app
is driven with Starlette's TestClient; watch rules are evaluated with
:func:`evaluate_watches`; mail goes to an aiosmtpd server on loopback and
webhooks to a small HTTP receiver on loopback that checks the signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from conftest import LinkPages
from strife.settings import Settings
from strife.store.repository import Repository, open_repository
from strife.web.app import create_app

PAGES = [
    {
        "id": "homs",
        "published": "2022-04-10T09:00:00+03:00",
        "text": "Mortar fire kills 6 in Homs\n\nMortar fire killed 6 civilians on Sunday in the "
        "city of Homs in Syria, the Syrian Observatory for Human Rights said.\n\nThe monitor "
        "said the shells fell on a residential street near the old market.",
    },
    {
        "id": "maiduguri",
        "published": "2022-05-06T12:00:00+01:00",
        "text": "Bomb blast kills 12 in Maiduguri\n\nA bomb exploded at a bus station in "
        "Maiduguri, Nigeria, on Friday, killing 12 people, police said.\n\nWitnesses said the "
        "blast tore through a crowd of travellers waiting for buses to Kano.",
    },
]
PASSWORD = "correct horse battery"
PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(2)>"
PROXY_VARIABLES = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
)


@pytest.fixture
def client(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link_pages: LinkPages
) -> Iterator[TestClient]:
    """A client over the linked record, on each database; no proxy can catch loopback posts."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    link_pages(db, tmp_path, PAGES)
    with TestClient(create_app(Settings(), db=db)) as test_client:
        yield test_client


def _store(client: TestClient) -> Repository:
    repository: Repository = client.app.state.repository  # type: ignore[attr-defined]
    return repository


def _event(client: TestClient, country: str) -> dict[str, Any]:
    params = {"country": country, "min_fatalities": "1"}
    (record,) = client.get("/api/events", params=params).json()["events"]
    return record


def _csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def _register(client: TestClient, name: str) -> None:
    data = {"name": name, "password": PASSWORD, "csrf": _csrf(client, "/register")}
    assert client.post("/register", data=data, follow_redirects=False).status_code == 303


def _login(client: TestClient, name: str) -> None:
    data = {"name": name, "password": PASSWORD, "csrf": _csrf(client)}
    assert client.post("/login", data=data, follow_redirects=False).status_code == 303


def _logout(client: TestClient) -> None:
    client.post("/logout", data={"csrf": _csrf(client, "/events")})


def _users(client: TestClient, *names: str, analysts: tuple[str, ...] = ()) -> dict[str, int]:
    """Register ``names`` (the first is the admin), make ``analysts`` analysts; sign all out."""
    from strife.store.accounts import list_users, set_role

    for name in names:
        _register(client, name)
        _logout(client)
    ids = {user.name: user.id for user in list_users(_store(client))}
    for name in analysts:
        set_role(_store(client), ids[name], "analyst")
    return ids


def _comment(client: TestClient, path: str, body: str, parent: int | None = None) -> Any:
    data: dict[str, Any] = {"body": body, "csrf": _csrf(client, "/events")}
    if parent is not None:
        data["parent"] = str(parent)
    return client.post(path, data=data, follow_redirects=False)


# ---------------------------------------------------------------------------
# Discussion
# ---------------------------------------------------------------------------


def test_discussion_comment_reply_and_escaping(client: TestClient) -> None:
    homs = _event(client, "SY")["id"]
    _users(client, "ana", "ben", analysts=("ben",))
    _login(client, "ana")

    posted = _comment(client, f"/events/{homs}/comments", f"Toll looks low. {PAYLOAD}")
    assert posted.status_code == 303
    first = int(posted.headers["location"].rsplit("comment-", 1)[1])
    _logout(client)
    _login(client, "ben")
    answer = client.post(
        f"/api/events/{homs}/comments",
        json={"body": "The monitor revised it later.", "parent": first},
        headers={"X-CSRF-Token": _csrf(client, "/events")},
    )
    assert answer.status_code == 200, answer.text

    (thread,) = client.get(f"/api/events/{homs}/comments").json()["comments"]
    assert thread["author"] == "ana"
    assert thread["body"].endswith(PAYLOAD)
    assert [r["author"] for r in thread["replies"]] == ["ben"]
    page = client.get(f"/events/{homs}").text
    assert "<script>alert(1)</script>" not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page
    assert f'id="comment-{first}"' in page
    # ana hears of ben's reply.
    _logout(client)
    _login(client, "ana")
    (told,) = client.get("/api/notifications").json()["notifications"]
    assert told["kind"] == "reply"
    assert told["link"].endswith(f"#comment-{answer.json()['id']}")


def test_discussion_article_comments(client: TestClient) -> None:
    article = _event(client, "NG")["reports"][0]["article"]["id"]
    _users(client, "ana")
    _login(client, "ana")

    assert (
        _comment(client, f"/articles/{article}/comments", "Check the bus station.").status_code
        == 303
    )

    (thread,) = client.get(f"/api/articles/{article}/comments").json()["comments"]
    assert thread["on"] == {"kind": "article", "id": str(article)}
    assert "Check the bus station." in client.get(f"/articles/{article}").text
    assert client.get("/api/articles/999/comments").status_code == 404


def test_discussion_mention_notifies_and_counter_marks_read(client: TestClient) -> None:
    homs = _event(client, "SY")["id"]
    _users(client, "ana", "ben")
    _login(client, "ana")
    _comment(client, f"/events/{homs}/comments", "@ben can you check the toll? @nobody")
    _logout(client)

    _login(client, "ben")
    (told,) = client.get("/api/notifications", params={"unread": "true"}).json()["notifications"]
    assert told["kind"] == "mention"
    assert "ana mentioned you" in told["message"]
    assert '<span class="count">1</span>' in client.get("/events").text
    assert "ana mentioned you" in client.get("/notifications").text

    client.post("/notifications/read", data={"csrf": _csrf(client, "/events")})

    assert client.get("/api/notifications", params={"unread": "true"}).json() == {
        "notifications": []
    }
    assert 'class="count"' not in client.get("/events").text


def test_discussion_viewer_cannot_comment(client: TestClient) -> None:
    homs = _event(client, "SY")["id"]
    _users(client, "ana", "ben")  # ben is a viewer
    _login(client, "ben")

    refused = _comment(client, f"/events/{homs}/comments", "I only read.")
    assert refused.status_code == 403
    assert "viewer" in refused.text
    api = client.post(
        f"/api/events/{homs}/comments",
        json={"body": "I only read."},
        headers={"X-CSRF-Token": _csrf(client, "/events")},
    )
    assert api.status_code == 403
    assert client.get(f"/api/events/{homs}/comments").json() == {"comments": []}
    assert "Viewers read the discussion" in client.get(f"/events/{homs}").text


def test_discussion_comment_form_without_csrf_is_refused(client: TestClient) -> None:
    homs = _event(client, "SY")["id"]
    _users(client, "ana")
    _login(client, "ana")

    refused = client.post(f"/events/{homs}/comments", data={"body": "forged"})
    forged = client.post(f"/events/{homs}/comments", data={"body": "forged", "csrf": "nope"})
    by_json = client.post(f"/api/events/{homs}/comments", json={"body": "forged"})

    assert refused.status_code == forged.status_code == by_json.status_code == 403
    assert "CSRF" in refused.text
    assert client.get(f"/api/events/{homs}/comments").json() == {"comments": []}


# ---------------------------------------------------------------------------
# Follows and the activity feed
# ---------------------------------------------------------------------------


def test_follows_event_revision_shows_in_feed_and_notifies(client: TestClient) -> None:
    from strife.store.watches import evaluate_watches

    homs, maiduguri = _event(client, "SY")["id"], _event(client, "NG")["id"]
    _users(client, "ana", "ben", analysts=("ben",))
    _login(client, "ana")
    csrf = _csrf(client, "/events")
    client.post("/follows", data={"kind": "event", "value": homs, "csrf": csrf})
    client.post("/follows", data={"kind": "user", "value": "ben", "csrf": csrf})
    client.post("/follows", data={"kind": "place", "value": "ng", "csrf": csrf})
    _logout(client)
    before = datetime.now(UTC)
    _login(client, "ben")
    csrf = _csrf(client, "/events")
    client.post(f"/events/{maiduguri}/merge", data={"into": homs, "csrf": csrf})
    _comment(client, f"/events/{homs}/comments", "Merged: same shelling, wrong place.")
    _logout(client)

    report = evaluate_watches(_store(client), since=before)

    assert [(n.kind, n.user_id) for n in report.notifications] == [("revision", 1)]
    _login(client, "ana")
    feed = client.get("/api/activity").json()["activity"]
    kinds = {(item["kind"], item["why"]["kind"]) for item in feed}
    assert ("revision", "event") in kinds
    assert ("comment", "user") in kinds
    assert ("event", "place") in kinds  # Maiduguri's event, new since the record was built
    revision = next(item for item in feed if item["kind"] == "revision")
    assert revision["change"]["action"] == "merged"
    assert revision["change"]["by"] == "ben"
    page = client.get("/activity").text
    assert "was <strong>merged</strong> by ben" in page
    assert "Merged: same shelling" in page
    assert evaluate_watches(_store(client), since=before).notifications == []  # told once


# ---------------------------------------------------------------------------
# Watch rules
# ---------------------------------------------------------------------------


def test_watch_rule_for_a_country_fires_on_a_new_event(
    db: str, tmp_path: Path, link_pages: LinkPages
) -> None:
    from strife.store.accounts import register_user
    from strife.store.watches import add_watch, evaluate_watches

    before = datetime.now(UTC)
    with open_repository(db) as repository:
        ana = register_user(repository, "ana", PASSWORD)
        add_watch(repository, ana.id, country="ng", min_fatalities=10)
        add_watch(repository, ana.id, country="SY", category="battles")
    link_pages(db, tmp_path, PAGES)
    with open_repository(db) as repository:
        report = evaluate_watches(repository, since=before)
        again = evaluate_watches(repository, since=before)

    (told,) = report.notifications
    assert told.kind == "watch"
    assert "country NG, 10+ killed" in told.message
    assert "12 killed" in told.message
    assert again.notifications == []


def test_watch_rules_api_and_page(client: TestClient) -> None:
    _users(client, "ana")
    _login(client, "ana")
    headers = {"X-CSRF-Token": _csrf(client, "/events")}

    rule = client.post(
        "/api/watches", json={"lat": 34.73, "lon": 36.71, "radius_km": 30}, headers=headers
    ).json()
    bad = client.post("/api/watches", json={"spike": True}, headers=headers)

    assert rule["label"] == "30 km around 34.73,36.71"
    assert bad.status_code == 400
    assert "needs an area" in bad.json()["error"]["message"]
    assert "30 km around 34.73,36.71" in client.get("/alerts").text


def _synthetic(repository: Repository, country: str, days: dict[date, int], name: str) -> None:
    """Record events made by hand: one incident per day, with its toll, created now."""
    from strife.store.models import IncidentRevisionRow, IncidentRow
    from strife.store.repository import _now

    now = _now()
    with repository._write() as session:
        for n, (day, killed) in enumerate(sorted(days.items())):
            row = IncidentRow(
                public_id=f"ev-{name}{n:08d}",
                category="battles",
                subtype="armed_clash",
                date_start=day,
                country=country,
                fatalities_best=killed,
                independent_sources=1,
                reports=1,
                data={
                    "category": "battles",
                    "date": {"start": day.isoformat()},
                    "location": {"country": country},
                    "fatalities": {"best": killed},
                    "actors": [],
                    "reports": [{}],
                },
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add(
                IncidentRevisionRow(incident_id=row.id, at=now, action="created", changes={})
            )


@pytest.mark.parametrize(
    ("latest", "fires"), [(130, True), (90, False)], ids=["above-the-year", "below-the-year"]
)
def test_watch_spike_rule_on_a_synthetic_series(db: str, latest: int, fires: bool) -> None:
    from strife.store.accounts import register_user
    from strife.store.watches import add_watch, evaluate_watches

    end = date(2024, 6, 30)
    # A year of 10 killed a week, and one bad month last autumn: 120 in 30 days.
    history = {end - timedelta(days=7 * k): 10 for k in range(1, 52)}
    history[date(2023, 10, 1)] = 100
    with open_repository(db) as repository:
        ana = register_user(repository, "ana", PASSWORD)
        add_watch(repository, ana.id, country="ZZ", spike=True)
        _synthetic(repository, "ZZ", history, "old")
        before = datetime.now(UTC)
        _synthetic(repository, "ZZ", {end: latest}, "new")  # the day that comes in now
        report = evaluate_watches(repository, since=before)

    assert [n.kind for n in report.notifications] == (["spike"] if fires else [])
    if fires:
        assert report.notifications[0].data["day"] == end.isoformat()
        assert report.notifications[0].data["previous_high"] >= 120


def test_watch_spike_check_follows_the_rule() -> None:
    from strife.store._spike import check_spike

    day = date(2024, 3, 1)
    quiet = {day - timedelta(days=40): 150}  # 150 within the year: the level to beat
    assert not check_spike({**quiet, day: 150}, day, minimum=100).spike  # equal is not news
    assert check_spike({**quiet, day: 151}, day, minimum=100).spike
    old = {day - timedelta(days=400): 500}  # more than a year ago: forgotten
    assert check_spike({**old, day: 120}, day, minimum=100).spike
    assert not check_spike({day: 99}, day, minimum=100).spike  # below HDX's minimum


# ---------------------------------------------------------------------------
# Delivery: email and webhooks
# ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class _Receiver(ThreadingHTTPServer):
    """A webhook receiver: keeps each post whose signature checks out, refuses the others."""

    def __init__(self, port: int, secret: str) -> None:
        self.secret = secret
        self.received: list[dict[str, Any]] = []
        super().__init__(("127.0.0.1", port), _ReceiverHandler)


class _ReceiverHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        server = self.server
        assert isinstance(server, _Receiver)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        digest = hmac.new(server.secret.encode(), body, hashlib.sha256).hexdigest()
        good = hmac.compare_digest(
            self.headers.get("X-Strife-Signature-256", ""), f"sha256={digest}"
        )
        if good:
            server.received.append(json.loads(body))
        self.send_response(204 if good else 401)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep the test output quiet."""


def _serve(receiver: _Receiver) -> threading.Thread:
    thread = threading.Thread(target=receiver.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    return thread


def _stop(receiver: _Receiver, thread: threading.Thread) -> None:
    receiver.shutdown()
    receiver.server_close()
    thread.join(timeout=5)


def _mention(client: TestClient, text: str) -> None:
    """ana mentions ben on the Homs event; ben is signed in afterwards."""
    homs = _event(client, "SY")["id"]
    _logout(client)
    _login(client, "ana")
    _comment(client, f"/events/{homs}/comments", text)
    _logout(client)
    _login(client, "ben")


def test_delivery_email_reaches_the_smtp_server(
    client: TestClient, smtp_server: tuple[int, Any]
) -> None:
    from strife.store.delivery import deliver_pending
    from strife.store.notifications import list_deliveries

    port, inbox = smtp_server
    ids = _users(client, "ana", "ben")
    _login(client, "ben")
    client.post(
        "/alerts/email", data={"address": "ben@example.org", "csrf": _csrf(client, "/alerts")}
    )
    _mention(client, "@ben the toll went up")
    settings = Settings().with_overrides({"smtp_host": "127.0.0.1", "smtp_port": str(port)})

    first = deliver_pending(_store(client), settings=settings)
    second = deliver_pending(_store(client), settings=settings)

    assert (first.sent, second.sent) == (1, 0)
    ((to, content),) = inbox.messages
    assert to == ["ben@example.org"]
    assert b"ana mentioned you" in content
    assert b"http://127.0.0.1:8000/events/ev-" in content
    assert [d["state"] for d in list_deliveries(_store(client), ids["ben"])] == ["sent"]


def test_delivery_webhook_is_signed_retried_when_down_and_sent_once(client: TestClient) -> None:
    from strife.store.delivery import deliver_pending
    from strife.store.notifications import list_deliveries

    ids = _users(client, "ana", "ben")
    _login(client, "ben")
    port = _free_port()  # nothing listens there yet: the receiver is down
    page = client.post(
        "/alerts/webhooks",
        data={"url": f"http://127.0.0.1:{port}/hook", "csrf": _csrf(client, "/alerts")},
    ).text
    secret = re.search(r'<code class="token">([^<]+)</code>', page).group(1)  # type: ignore[union-attr]
    assert secret not in client.get("/alerts").text  # shown once
    _mention(client, "@ben look at this")
    settings = Settings().with_overrides({"notify_timeout": "2"})

    down = deliver_pending(_store(client), settings=settings)

    assert (down.sent, down.failed) == (0, 1)
    (delivery,) = list_deliveries(_store(client), ids["ben"])
    assert delivery["state"] == "failed"
    assert delivery["attempts"] == 1
    assert "ConnectError" in delivery["error"]

    receiver = _Receiver(port, secret)
    thread = _serve(receiver)
    try:
        up = deliver_pending(_store(client), settings=settings)
        again = deliver_pending(_store(client), settings=settings)
    finally:
        _stop(receiver, thread)

    assert (up.sent, again.sent, again.failed) == (1, 0, 0)
    (body,) = receiver.received
    assert body["user"] == "ben"
    assert body["notification"]["kind"] == "mention"
    (delivery,) = list_deliveries(_store(client), ids["ben"])
    assert (delivery["state"], delivery["attempts"]) == ("sent", 2)


def test_delivery_is_abandoned_after_its_tries(client: TestClient) -> None:
    from strife.store.delivery import deliver_pending
    from strife.store.notifications import list_deliveries

    ids = _users(client, "ana", "ben")
    _login(client, "ben")
    client.post(
        "/alerts/email", data={"address": "ben@example.org", "csrf": _csrf(client, "/alerts")}
    )
    _mention(client, "@ben hello")
    settings = Settings().with_overrides({"notify_attempts": "2"})  # and no smtp_host

    runs = [deliver_pending(_store(client), settings=settings) for _ in range(3)]

    assert [(r.failed, r.abandoned) for r in runs] == [(1, 0), (0, 1), (0, 0)]
    (delivery,) = list_deliveries(_store(client), ids["ben"])
    assert delivery["state"] == "abandoned"
    assert "smtp_host" in delivery["error"]


def test_notify_command_runs_the_evaluation(client: TestClient) -> None:
    from typer.testing import CliRunner

    from strife.cli import app as cli_app

    url = _store(client).url
    if "***" in url:
        pytest.skip("the PostgreSQL URL shown has its password masked")
    result = CliRunner().invoke(cli_app, ["notify", "--db", url, "--since", "2020-01-01", "--json"])

    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["notifications"] == []
    assert answer["deliveries"] == {"sent": 0, "failed": 0, "abandoned": 0}


def test_ingest_command_tells_a_watch_rule_after_linking(db: str, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from strife.cli import app
    from strife.store.accounts import register_user
    from strife.store.notifications import list_notifications
    from strife.store.watches import add_watch

    with open_repository(db) as repository:
        ana = register_user(repository, "ana", PASSWORD)
        add_watch(repository, ana.id, country="NG")
    pages = tmp_path / "pages.jsonl"
    pages.write_text("".join(json.dumps(page) + "\n" for page in PAGES), encoding="utf-8")

    quiet = CliRunner().invoke(app, ["ingest", str(pages), "--db", db, "--no-notify", "--json"])
    told = CliRunner().invoke(app, ["ingest", str(pages), "--db", db, "--json"])

    assert "notify" not in json.loads(quiet.stdout)
    assert json.loads(told.stdout)["notify"]["notifications"] == 0  # nothing new this run
    with open_repository(db) as repository:
        assert list_notifications(repository, ana.id) == []
    follow_up = PAGES[1] | {"id": "maiduguri-2", "text": PAGES[1]["text"].replace("12", "14")}
    pages.write_text(json.dumps(follow_up) + "\n", encoding="utf-8")
    again = CliRunner().invoke(app, ["ingest", str(pages), "--db", db, "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["notify"]["notifications"] >= 1
    with open_repository(db) as repository:
        assert any("country NG" in n.message for n in list_notifications(repository, ana.id))
