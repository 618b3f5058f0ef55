"""Tests for a person's review of the record and for password reset by email.

Field corrections: an analyst corrects or confirms one field of an event (in the
page's form, the JSON API, or ``strife link correct``); the correction is kept
as data, shown beside the automatic value and in the history, refused for
viewers and for values out of range, and it outlives a new report joining the
event. Password reset: a link mailed to an aiosmtpd server on loopback, used
once, within its lifetime, ending the sessions signed in with the old password.

The record is built from pages composed here (an air strike in an Idlib town
reported twice, a market attack in Kano), on each database the ``db`` fixture
gives where the store is what is tested, else on a SQLite copy.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from conftest import LinkPages
from strife.cli import app as cli_app
from strife.settings import Settings
from strife.store.repository import Repository, open_repository
from strife.web.app import create_app

PAGES = [
    {
        "id": "idlib-1",
        "published": "2019-08-20T10:00:00+03:00",
        "text": "Air strikes kill 9 in Maarat al-Numan\n\nAir strikes killed at least 9 civilians "
        "on Monday in the town of Maarat al-Numan in Idlib province, the Syrian Observatory "
        "for Human Rights said.\n\nThe monitor said Russian warplanes carried out the raids on "
        "a busy street near the main square.",
    },
    {
        "id": "kano",
        "published": "2021-03-02T09:00:00+01:00",
        "text": "Gunmen kill 3 in Kano\n\nGunmen attacked a market in Kano, Nigeria, on Monday, "
        "killing 3 traders, police said. The attackers fled on motorcycles before officers "
        "arrived.",
    },
]
#: A later report of the Idlib strike, from another source with a higher toll.
LATER = {
    "id": "idlib-2",
    "published": "2019-08-20T16:00:00+03:00",
    "text": "Raids on Maarat al-Numan leave 21 dead\n\nWarplanes struck a street in Maarat "
    "al-Numan in Idlib province on Monday, killing 21 people, the White Helmets civil "
    "defence group said.\n\nRescuers worked through the night to pull survivors from "
    "collapsed buildings.",
}
PASSWORD, NEW_PASSWORD = "correct horse battery", "staple battery horse"
PAYLOAD = "<script>alert(1)</script> <img src=x onerror=alert(2)>"


@pytest.fixture(scope="module")
def _built(tmp_path_factory: pytest.TempPathFactory, link_pages: LinkPages) -> Path:
    folder = tmp_path_factory.mktemp("review")
    link_pages(str(folder / "record.sqlite"), folder, PAGES)
    return folder / "record.sqlite"


def _client(db: str, **overrides: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings().with_overrides(overrides), db=db)) as client:
        yield client


@pytest.fixture
def client(_built: Path, tmp_path: Path) -> Iterator[TestClient]:
    """A client over a copy of the linked record; ana is the admin, ben an analyst, cy a viewer."""
    copy = tmp_path / "record.sqlite"
    shutil.copy(_built, copy)
    for test_client in _client(str(copy)):
        _users(test_client)
        yield test_client


def _store(client: TestClient) -> Repository:
    repository: Repository = client.app.state.repository  # type: ignore[attr-defined]
    return repository


def _users(client: TestClient) -> None:
    from strife.store.accounts import register_user, set_role

    register_user(_store(client), "ana", PASSWORD)
    set_role(_store(client), register_user(_store(client), "ben", PASSWORD).id, "analyst")
    register_user(_store(client), "cy", PASSWORD)


def _csrf(client: TestClient, path: str = "/login") -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', client.get(path).text)
    assert match, path
    return match.group(1)


def _login(client: TestClient, name: str, password: str = PASSWORD) -> Any:
    data = {"name": name, "password": password, "csrf": _csrf(client)}
    return client.post("/login", data=data, follow_redirects=False)


def _idlib(client: TestClient) -> dict[str, Any]:
    (record,) = client.get("/api/events", params={"place": "Idlib"}).json()["events"]
    return record


def _review(client: TestClient, event: str, **form: str) -> Any:
    data = {"csrf": _csrf(client, f"/events/{event}"), "action": "correct", "note": "", **form}
    return client.post(f"/events/{event}/review", data=data, follow_redirects=False)


# ---------------------------------------------------------------------------
# Field corrections
# ---------------------------------------------------------------------------


def test_review_analyst_corrects_a_figure_and_the_history_says_who(client: TestClient) -> None:
    event = _idlib(client)
    assert event["fatalities"]["best"] == 9
    _login(client, "ben")

    answer = _review(client, event["id"], field="fatalities.best", value="14", note="hospital list")

    assert answer.status_code == 303
    record = client.get(f"/api/events/{event['id']}").json()
    assert record["fatalities"]["best"] == 14
    review = record["corrections"]["fatalities.best"]
    assert (review["action"], review["value"], review["automatic"]) == ("corrected", 14, 9)
    assert (review["by"], review["note"]) == ("ben", "hospital list")
    last = record["history"][-1]
    assert (last["action"], last["by"], last["note"]) == ("corrected", "ben", "hospital list")
    assert last["changes"] == {"fatalities.best": [9, 14]}
    page = client.get(f"/events/{event['id']}").text
    assert re.search(
        r"14 <small class=\"reviewed\">corrected by ben <time>[^<]+</time>, from 9", page
    )
    assert "<strong>corrected</strong>" in page
    # The list filters on the corrected figure.
    assert client.get("/api/events", params={"min_fatalities": "14"}).json()["events"]


def test_review_confirm_marks_a_field_checked_and_keeps_its_value(client: TestClient) -> None:
    event = _idlib(client)
    _login(client, "ben")

    answer = _review(client, event["id"], field="location.name", action="confirm", value="x")

    assert answer.status_code == 303
    record = client.get(f"/api/events/{event['id']}").json()
    review = record["corrections"]["location.name"]
    assert review["action"] == "confirmed"
    assert review["value"] == review["automatic"] == event["location"]["name"]
    assert record["location"] == event["location"]  # "x" was not taken: a confirm has no value
    assert record["history"][-1]["action"] == "confirmed"
    unknown = _review(client, event["id"], field="location.name", action="delete")
    assert unknown.status_code == 400
    assert "E603" in unknown.text


def test_review_correction_outlives_a_new_report_joining_the_event(
    db: str, tmp_path: Path, link_pages: LinkPages
) -> None:
    from strife.store.records import find_records, get_record, review_field

    link_pages(db, tmp_path, PAGES)
    with open_repository(db) as repository:
        (event,) = [r for r in find_records(repository) if r["location"]["country"] == "SY"]
        review_field(
            repository, event["id"], "fatalities.best", "14", actor="ben", note="hospital list"
        )
        review_field(
            repository,
            event["id"],
            "type",
            "explosions_remote_violence/air_drone_strike",
            actor="ben",
        )
    link_pages(db, tmp_path, [LATER])  # a new report joins: the summary is rebuilt

    with open_repository(db) as repository:
        record = get_record(repository, event["id"])
    assert len(record["reports"]) == 2
    assert record["fatalities"]["best"] == 14
    assert "fatalities" in record["disputed"]  # the new report's 21 counts against the 9
    assert record["corrections"]["fatalities.best"]["automatic"] == 9
    assert (record["category"], record["subtype"]) == (
        "explosions_remote_violence",
        "air_drone_strike",
    )
    assert record["codes"]["acled"] == "Air/drone strike"
    assert [h["action"] for h in record["history"]][-3:] == ["corrected", "corrected", "linked"]


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("fatalities.best", "-3", "not a whole number"),
        ("fatalities.best", "twelve", "not a whole number"),
        ("fatalities.best", "99999999", "more people than one incident"),
        ("fatalities.low", "30", "low ≤ best ≤ high"),
        ("injuries.best", "", "not a whole number"),
        ("date.start", "2019-02-30", "not a date"),
        ("date.start", "2999-01-01", "not between"),
        ("date.end", "2019-08-01", "before it starts"),
        ("location.coordinates", "100,0", "out of range"),
        ("location.name", "", "1 to 200 characters"),
        ("type", "battles/dance_off", "unknown event type"),
        ("victims", "3", "no field 'victims'"),
    ],
)
def test_review_bad_values_are_refused_with_e603(
    client: TestClient, field: str, value: str, words: str
) -> None:
    event = _idlib(client)
    _login(client, "ben")

    page = _review(client, event["id"], field=field, value=value)
    api = client.post(
        f"/api/events/{event['id']}/review",
        json={"field": field, "value": value},
        headers={"X-CSRF-Token": _csrf(client, "/events")},
    )

    assert page.status_code == api.status_code == 400
    assert "E603" in page.text
    assert api.json()["error"]["code"] == "E603"
    assert words in api.json()["error"]["message"]
    assert client.get(f"/api/events/{event['id']}").json()["corrections"] == {}


def test_review_roles_and_csrf_are_enforced_on_the_server(client: TestClient) -> None:
    event = _idlib(client)["id"]
    body = {"field": "fatalities.best", "value": "14"}

    assert client.post(f"/api/events/{event}/review", json=body).status_code == 401
    _login(client, "cy")  # a viewer
    assert "Correct or confirm" not in client.get(f"/events/{event}").text
    refused = _review(client, event, field="fatalities.best", value="14")
    assert refused.status_code == 403
    assert "viewer" in refused.text
    headers = {"X-CSRF-Token": _csrf(client, "/events")}
    assert client.post(f"/api/events/{event}/review", json=body, headers=headers).status_code == 403
    client.post("/logout", data={"csrf": _csrf(client, "/events")})
    _login(client, "ben")
    forged = client.post(
        f"/events/{event}/review",
        data={"field": "fatalities.best", "value": "14", "action": "correct", "csrf": "forged"},
    )
    assert forged.status_code == 403
    assert client.post(f"/api/events/{event}/review", json=body).status_code == 403  # no header
    assert client.get(f"/api/events/{event}").json()["corrections"] == {}


def test_review_escapes_corrected_names_everywhere(client: TestClient) -> None:
    event = _idlib(client)["id"]
    _login(client, "ben")

    _review(client, event, field="perpetrator", value=PAYLOAD, note=PAYLOAD)
    _review(client, event, field="location.name", value=PAYLOAD)

    for path in (f"/events/{event}", "/events"):
        page = client.get(path).text
        assert "<script>alert(1)" not in page
        assert "onerror=alert(2)>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in client.get(f"/events/{event}").text
    actors = client.get(f"/api/events/{event}").json()["actors"]
    assert actors[0] == {
        "role": "perpetrator",
        "text": PAYLOAD,
        "kind": None,
        "country": None,
        "sources": [],
    }


def test_review_followers_are_told_of_a_correction(client: TestClient) -> None:
    from strife.store.accounts import list_users
    from strife.store.notifications import list_notifications
    from strife.store.records import review_field
    from strife.store.repository import _now
    from strife.store.watches import evaluate_watches

    event = _idlib(client)["id"]
    _login(client, "ana")
    client.post(
        "/follows",
        data={"kind": "event", "value": event, "back": "/events", "csrf": _csrf(client, "/events")},
    )
    before = _now() - timedelta(seconds=1)
    review_field(_store(client), event, "fatalities.high", "30", actor="ben", note="morgue")

    evaluate_watches(_store(client), since=before)

    ana = next(user for user in list_users(_store(client)) if user.name == "ana")
    (told,) = list_notifications(_store(client), ana.id)
    assert told.kind == "revision"
    assert told.message == f"{event} was corrected (fatalities.high)"


def test_review_cli_corrects_and_confirms(client: TestClient) -> None:
    event = _idlib(client)["id"]
    db = str(_store(client).engine.url.database)
    runner = CliRunner()

    corrected = runner.invoke(
        cli_app,
        ["link", "correct", event, "fatalities.best", "12", "--db", db, "--by", "ben"],
    )
    confirmed = runner.invoke(
        cli_app, ["link", "confirm", event, "date.start", "--db", db, "--by", "ben"]
    )
    # Through main(), which CliRunner bypasses, so that the error becomes its exit code.
    command = ["link", "correct", event, "fatalities.best", "lots", "--db", db]
    refused = subprocess.run(
        [sys.executable, "-m", "strife", *command],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert corrected.exit_code == 0, corrected.output
    assert "fatalities.best corrected: 12 (automatic: 9)" in corrected.output
    assert confirmed.exit_code == 0, confirmed.output
    assert 'date.start confirmed: "2019-08-19"' in confirmed.output
    assert refused.returncode == 6
    assert "E603" in refused.stderr
    record = client.get(f"/api/events/{event}").json()
    assert set(record["corrections"]) == {"fatalities.best", "date.start"}


# ---------------------------------------------------------------------------
# Password reset
# ---------------------------------------------------------------------------


@pytest.fixture
def mail_client(db: str, smtp_server: tuple[int, Any]) -> Iterator[tuple[TestClient, Any]]:
    """A client over an empty record on each database, mailing to the loopback server."""
    from strife.store.accounts import register_user
    from strife.store.notifications import set_email

    port, inbox = smtp_server
    overrides = {
        "smtp_host": "127.0.0.1",
        "smtp_port": str(port),
        "public_url": "https://strife.example.org/",
        "login_attempts": "3",
    }
    for client in _client(db, **overrides):
        ana = register_user(_store(client), "ana", PASSWORD)
        set_email(_store(client), ana.id, "ana@example.org")
        register_user(_store(client), "ben", PASSWORD)  # no email address
        yield client, inbox


def _ask_reset(client: TestClient, name: str) -> Any:
    data = {"name": name, "csrf": _csrf(client, "/password-reset")}
    return client.post("/password-reset", data=data)


def _mailed_token(inbox: Any) -> str:
    (to, content), *_ = inbox.messages[-1:]
    assert to == ["ana@example.org"]
    body = message_from_bytes(content).get_payload(decode=True).decode()
    match = re.search(r"https://strife\.example\.org/password-reset/new\?token=(\S+)", body)
    assert match, body
    return match.group(1)


def _reset(client: TestClient, token: str, password: str = NEW_PASSWORD) -> Any:
    page = client.get("/password-reset/new", params={"token": token}).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    data = {"token": token, "password": password, "csrf": csrf}
    return client.post("/password-reset/new", data=data)


def test_reset_link_is_mailed_sets_the_password_once_and_ends_old_sessions(
    mail_client: tuple[TestClient, Any],
) -> None:
    from sqlalchemy import select

    from strife.store.models import PasswordResetRow

    client, inbox = mail_client
    assert _login(client, "ana").status_code == 303  # a session with the old password
    assert client.get("/api/me").json()["name"] == "ana"
    # Another browser asks for the link (no lifespan of its own: the app is running).
    other = TestClient(client.app)
    asked = _ask_reset(other, "ana")
    token = _mailed_token(inbox)
    done = _reset(other, token)

    assert asked.status_code == 200
    assert "a link to reset its password is on its way" in asked.text
    assert done.status_code == 200
    assert "Your password was changed" in done.text
    assert _login(other, "ana", PASSWORD).status_code == 401
    assert _login(other, "ana", NEW_PASSWORD).status_code == 303
    reused = _reset(other, token, "another new password")
    assert reused.status_code == 400
    assert "wrong, used or expired" in reused.text
    assert "E615" in reused.text
    assert client.get("/api/me").status_code == 401  # the old session ended
    with _store(client)._read() as session:
        assert list(session.scalars(select(PasswordResetRow))) == []  # used: gone


def test_reset_answer_is_the_same_for_unknown_names_and_no_address(
    mail_client: tuple[TestClient, Any],
) -> None:
    client, inbox = mail_client

    answers = [_ask_reset(client, name) for name in ("ana", "ben", "nobody")]

    texts = {re.sub(r'name="csrf" value="[^"]+"', "", answer.text) for answer in answers}
    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len(texts) == 1
    assert len(inbox.messages) == 1  # ana's; ben has no address, nobody no account


def test_reset_wrong_expired_and_short_are_refused(
    mail_client: tuple[TestClient, Any],
) -> None:
    from sqlalchemy import update

    from strife.store.models import PasswordResetRow
    from strife.store.repository import _now

    client, inbox = mail_client
    _ask_reset(client, "ana")
    token = _mailed_token(inbox)

    wrong = _reset(client, token[:-2] + "xx")
    short = _reset(client, token, "short")
    with _store(client)._write() as session:
        session.execute(update(PasswordResetRow).values(expires_at=_now() - timedelta(seconds=1)))
    expired = _reset(client, token)

    assert wrong.status_code == short.status_code == expired.status_code == 400
    assert "wrong, used or expired" in wrong.text
    assert "a password has 8" in short.text  # the link still held then
    assert "wrong, used or expired" in expired.text
    assert _login(client, "ana", PASSWORD).status_code == 303  # never changed


def test_reset_posts_need_csrf_and_requests_are_rate_limited(
    mail_client: tuple[TestClient, Any],
) -> None:
    client, inbox = mail_client
    client.get("/password-reset")

    no_csrf = client.post("/password-reset", data={"name": "ana"})
    forged = client.post(
        "/password-reset/new", data={"token": "x", "password": NEW_PASSWORD, "csrf": "forged"}
    )
    answers = [_ask_reset(client, "ana").status_code for _ in range(4)]  # login_attempts=3

    assert no_csrf.status_code == forged.status_code == 403
    assert answers == [200, 200, 200, 429]
    assert len(inbox.messages) == 3
