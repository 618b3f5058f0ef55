"""Watch rules, and :func:`evaluate_watches`: what is new in the record, told to who asked.

A watch rule holds conditions that must all hold: an area (a country, a
province, or a point and radius), an actor's words, a category, a fatality
threshold; or it is a *spike* rule over an area (``_spike.py``). The evaluation
takes the incidents created or revised since a time (``records.changes_since``),
tells each rule's owner of each incident that matches (once per rule and
incident), tells followers of an event of each of its revisions (not their own),
checks spike rules over the areas those changes touch, and hands the new
notifications' email and webhook deliveries to ``delivery.deliver_pending``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from strife.errors import RecordError
from strife.settings import Settings
from strife.store._spike import LOOKBACK_DAYS, WINDOW_DAYS, candidate_days, check_spike
from strife.store.delivery import DeliveryReport, deliver_pending
from strife.store.discussion import followers_of
from strife.store.models import IncidentRow, NotifyRunRow, WatchRuleRow
from strife.store.notifications import Notification, notify
from strife.store.records import changes_since, within_radius
from strife.store.repository import Repository, _now

#: How far back the first ``strife notify`` looks, with no run before it to start from.
FIRST_RUN_LOOKBACK = timedelta(days=1)
#: The fields of a rule, as ``add_watch`` takes them and ``list_watches`` gives them.
RULE_FIELDS = (
    "label",
    "country",
    "admin1",
    "lat",
    "lon",
    "radius_km",
    "actor",
    "category",
    "min_fatalities",
    "spike",
)


@dataclass(slots=True)
class WatchReport:
    """What one evaluation found and sent."""

    since: datetime
    notifications: list[Notification] = field(default_factory=list)
    deliveries: DeliveryReport = field(default_factory=DeliveryReport)

    def to_dict(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat(timespec="seconds"),
            "notifications": [n.to_dict() for n in self.notifications],
            "deliveries": self.deliveries.to_dict(),
        }


def add_watch(repository: Repository, user_id: int, **rule: Any) -> dict[str, Any]:
    """Add a watch rule for a user; the fields are :data:`RULE_FIELDS`, each optional.

    Raises:
        RecordError: no condition at all, half a point, a spike rule without an
            area or with an actor or threshold, or a value out of range.
    """
    values = _checked(rule)
    with repository._write() as session:
        row = WatchRuleRow(user_id=user_id, created_at=_now(), **values)
        session.add(row)
        session.flush()
        return _rule(row)


def list_watches(repository: Repository, user_id: int) -> list[dict[str, Any]]:
    statement = select(WatchRuleRow).where(WatchRuleRow.user_id == user_id)
    with repository._read() as session:
        return [_rule(row) for row in session.scalars(statement.order_by(WatchRuleRow.id))]


def remove_watch(repository: Repository, user_id: int, rule_id: int) -> None:
    """Delete one of the user's rules (someone else's is left alone)."""
    with repository._write() as session:
        row = session.get(WatchRuleRow, rule_id)
        if row is not None and row.user_id == user_id:
            session.delete(row)


def evaluate_watches(
    repository: Repository, *, since: datetime | None = None, settings: Settings | None = None
) -> WatchReport:
    """Tell users what changed since ``since``, in the app, then send the mail and webhooks.

    Args:
        since: look at incidents created or revised at or after this time (UTC if
            naive). Default: the start of the previous evaluation, or a day ago.
        settings: SMTP, timeouts, tries, the spike minimum (default: the defaults).

    Returns:
        the new notifications, and what became of the deliveries tried (new ones
        and earlier failures).

    Raises:
        StorageError: the database failed. A mail server or receiver that fails
            is recorded on its delivery, never raised.
    """
    settings = settings or Settings()
    started = _now()
    since = _utc(since) if since is not None else _last_start(repository, started)
    changes = changes_since(repository, since)
    report = WatchReport(since=since)
    with repository._write() as session:
        for record in changes:
            report.notifications += _tell_followers(session, record)
        for rule in session.scalars(select(WatchRuleRow).order_by(WatchRuleRow.id)).all():
            if rule.spike:
                report.notifications += _check_spikes(
                    session, rule, changes, settings.spike_min_fatalities
                )
            else:
                report.notifications += _match_rule(session, rule, changes)
        session.add(
            NotifyRunRow(started_at=started, since=since, notifications=len(report.notifications))
        )
    report.deliveries = deliver_pending(repository, settings=settings)
    return report


def matches(rule: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether a record event meets every condition of a (non-spike) rule."""
    where = record.get("location") or {}
    if not _in_area(rule, where.get("country"), where.get("admin1"), where):
        return False
    if rule.get("category") and record.get("category") != rule["category"]:
        return False
    best = (record.get("fatalities") or {}).get("best")
    if rule.get("min_fatalities") is not None and (best is None or best < rule["min_fatalities"]):
        return False
    if rule.get("actor"):
        actors = record.get("actors") or []
        words = " ".join(f"{a.get('text', '')} {a.get('kind') or ''}" for a in actors)
        if rule["actor"].lower() not in words.lower():
            return False
    return True


def _tell_followers(session: Session, record: dict[str, Any]) -> list[Notification]:
    told = []
    for user_id, name in followers_of(session, "event", record["id"]):
        for change in record["changes"]:
            if change["action"] == "created" or change.get("by") == name:
                continue
            digest = hashlib.sha256(json.dumps(change, sort_keys=True).encode()).hexdigest()
            fields = ", ".join(change.get("changes") or {}) or "reports"
            notification = notify(
                session,
                user_id,
                key=f"revision:{record['id']}:{digest[:32]}",
                kind="revision",
                message=f"{record['id']} was {change['action']} ({fields})",
                link=f"/events/{record['id']}",
                data={"event": record["id"], "change": change},
            )
            if notification is not None:
                told.append(notification)
    return told


def _match_rule(
    session: Session, rule: WatchRuleRow, changes: list[dict[str, Any]]
) -> list[Notification]:
    told = []
    conditions = _rule(rule)
    for record in changes:
        if not record.get("reports") or not matches(conditions, record):
            continue  # an incident merged away has no reports left
        best = (record.get("fatalities") or {}).get("best")
        notification = notify(
            session,
            rule.user_id,
            key=f"watch:{rule.id}:{record['id']}",
            kind="watch",
            message=f"{rule.label}: {record.get('category')} {record['id']}"
            + (f", {best} killed" if best is not None else ""),
            link=f"/events/{record['id']}",
            data={"rule": rule.id, "event": record["id"]},
        )
        if notification is not None:
            told.append(notification)
    return told


def _check_spikes(
    session: Session, rule: WatchRuleRow, changes: list[dict[str, Any]], minimum: int
) -> list[Notification]:
    """Check the days the changes in the rule's area may have lifted; tell the first spike."""
    conditions = _rule(rule)
    changed = sorted(
        {
            date.fromisoformat(record["date"]["start"][:10])
            for record in changes
            if (record.get("date") or {}).get("start") and _area_and_category(conditions, record)
        }
    )
    if not changed:
        return []
    daily = _daily_fatalities(session, conditions, changed[0], changed[-1])
    for day in candidate_days(changed, sorted(daily)):
        # Quiet for a window after firing: the same surge is one notification.
        if rule.fired_on is not None and day < rule.fired_on + timedelta(days=WINDOW_DAYS):
            continue
        check = check_spike(daily, day, minimum=minimum)
        if not check.spike:
            continue
        rule.fired_on = day
        notification = notify(
            session,
            rule.user_id,
            key=f"spike:{rule.id}:{day.isoformat()}",
            kind="spike",
            message=f"{rule.label}: {check.total} killed in the 30 days to {day.isoformat()}, "
            f"above the year's high of {check.previous_high}",
            link=f"/events?{_events_query(conditions, day)}",
            data={
                "rule": rule.id,
                "day": day.isoformat(),
                "total": check.total,
                "previous_high": check.previous_high,
            },
        )
        return [notification] if notification is not None else []
    return []


def _daily_fatalities(
    session: Session, rule: dict[str, Any], first: date, last: date
) -> dict[date, int]:
    """The area's fatalities (reconciled best) per start day, over the days a check needs."""
    start = first - timedelta(days=LOOKBACK_DAYS + WINDOW_DAYS)
    statement = select(IncidentRow).where(
        IncidentRow.merged_into_id.is_(None),
        IncidentRow.reports > 0,
        IncidentRow.date_start >= start,
        IncidentRow.date_start <= last + timedelta(days=WINDOW_DAYS),
    )
    if rule.get("country"):
        statement = statement.where(IncidentRow.country == rule["country"])
    if rule.get("category"):
        statement = statement.where(IncidentRow.category == rule["category"])
    daily: dict[date, int] = {}
    for row in session.scalars(statement):
        where = {"lat": row.lat, "lon": row.lon}
        if row.date_start and _in_area(rule, row.country, row.admin1, where):
            daily[row.date_start] = daily.get(row.date_start, 0) + (row.fatalities_best or 0)
    return daily


def _area_and_category(rule: dict[str, Any], record: dict[str, Any]) -> bool:
    where = record.get("location") or {}
    if rule.get("category") and record.get("category") != rule["category"]:
        return False
    return bool(record.get("reports")) and _in_area(
        rule, where.get("country"), where.get("admin1"), where
    )


def _in_area(
    rule: dict[str, Any], country: str | None, admin1: str | None, where: dict[str, Any]
) -> bool:
    if rule.get("country") and country != rule["country"]:
        return False
    if rule.get("admin1") and (admin1 or "").casefold() != rule["admin1"].casefold():
        return False
    if rule.get("lat") is not None and rule.get("lon") is not None:
        return within_radius(where, rule["lat"], rule["lon"], rule.get("radius_km") or 25.0)
    return True


def _events_query(rule: dict[str, Any], day: date) -> str:
    from urllib.parse import urlencode

    query = {"since": (day - timedelta(days=WINDOW_DAYS - 1)).isoformat(), "until": day.isoformat()}
    if rule.get("country"):
        query["country"] = rule["country"]
    if rule.get("admin1"):
        query["place"] = rule["admin1"]
    if rule.get("lat") is not None:
        query["near"] = f"{rule['lat']},{rule['lon']}"
        query["radius"] = str(rule.get("radius_km") or 25.0)
    return urlencode(query)


def _checked(rule: dict[str, Any]) -> dict[str, Any]:
    """The rule's fields, blanks dropped, checked; ``label`` made up when missing."""
    unknown = set(rule) - set(RULE_FIELDS)
    if unknown:
        raise RecordError(f"unknown watch rule fields: {', '.join(sorted(unknown))}")
    stripped = {k: v.strip() if isinstance(v, str) else v for k, v in rule.items()}
    values: dict[str, Any] = {k: v for k, v in stripped.items() if v not in (None, "")}
    if values.get("country"):
        if not (len(values["country"]) == 2 and values["country"].isalpha()):
            raise RecordError("a country is a two-letter code, e.g. SY")
        values["country"] = values["country"].upper()
    if ("lat" in values) != ("lon" in values):
        raise RecordError("a point needs both lat and lon")
    if "lat" in values and not (-90 <= values["lat"] <= 90 and -180 <= values["lon"] <= 180):
        raise RecordError("latitude or longitude out of range")
    if values.get("min_fatalities") is not None and values["min_fatalities"] < 0:
        raise RecordError("a fatality threshold is 0 or more")
    area = any(k in values for k in ("country", "admin1", "lat"))
    if values.get("spike"):
        if not area:
            raise RecordError("a spike rule needs an area: a country, a province or a point")
        if "actor" in values or "min_fatalities" in values:
            raise RecordError("a spike rule takes an area and a category, not an actor or toll")
    elif not (set(values) - {"label", "spike", "radius_km"}):
        raise RecordError("a watch rule needs at least one condition")
    values["spike"] = bool(values.get("spike"))
    values.setdefault("label", _label(values))
    return values


def _label(values: dict[str, Any]) -> str:
    parts = [
        f"{name} {values[name]}"
        for name in ("country", "admin1", "category", "actor")
        if values.get(name)
    ]
    if "lat" in values:
        radius = values.get("radius_km") or 25.0
        parts.append(f"{radius:g} km around {values['lat']},{values['lon']}")
    if values.get("min_fatalities") is not None:
        parts.append(f"{values['min_fatalities']}+ killed")
    return ("spike in " if values["spike"] else "") + ", ".join(parts)


def _rule(row: WatchRuleRow) -> dict[str, Any]:
    return {
        "id": row.id,
        **{name: getattr(row, name) for name in RULE_FIELDS},
        "fired_on": row.fired_on.isoformat() if row.fired_on else None,
    }


def _last_start(repository: Repository, now: datetime) -> datetime:
    statement = select(NotifyRunRow.started_at).order_by(NotifyRunRow.id.desc()).limit(1)
    with repository._read() as session:
        last = session.scalar(statement)
    return last if last is not None else now - FIRST_RUN_LOOKBACK


def _utc(moment: datetime) -> datetime:
    """Naive UTC, as the record stores its times."""
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


__all__ = [
    "RULE_FIELDS",
    "WatchReport",
    "add_watch",
    "evaluate_watches",
    "list_watches",
    "matches",
    "remove_watch",
]
