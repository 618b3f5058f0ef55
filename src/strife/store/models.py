"""The tables of the record, as SQLAlchemy 2 typed declarative models.

One row per stored article version (its raw bytes compressed, its strife/1
document as JSON), per source an article names, per event it reports and per
claim about an event, plus one row per ingest run. The columns pulled out of
the JSON (dates, place, figures) are the ones queries filter on; the JSON keeps
everything else. Changing a model needs a new revision in ``migrations/versions``
(``tests/test_store.py`` fails while the two disagree).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

#: Constraint names spelled out, so migrations can alter them on any database.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


#: An undated incident's ``sort_day``: after every real date, so undated events list last.
UNDATED = date(9999, 12, 31)


def _sort_day(context: DefaultExecutionContext) -> date:
    """An inserted incident's ``sort_day``, from the ``date_start`` it is inserted with."""
    parameters = context.get_current_parameters()  # type: ignore[no-untyped-call]
    start: date | None = parameters.get("date_start")
    return start or UNDATED


#: Columns the list's indexes carry after their key: those of the range filters and of
#: the map and timeline, so these are answered from the index without reading rows.
LISTED_COLUMNS = (
    "date_end",
    "date_start",
    "fatalities_best",
    "merged_into_id",
    "reports",
    "independent_sources",
    "lat",
    "lon",
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class IngestRun(Base):
    """One ``strife ingest`` run: what it was given and what became of it, batch by batch."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    #: Null while running, and forever for a run that was killed.
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    strife_version: Mapped[str] = mapped_column(String(32))
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    new: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    revised: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class ArticleRow(Base):
    """One version of one page: a new location, or new bytes at a location seen before."""

    __tablename__ = "articles"
    # A hash index on PostgreSQL: its btree refuses entries over ~2.7 kB (long URLs).
    __table_args__ = (Index(None, "location", postgresql_using="hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: The page's file path (absolute) or URL, or a JSON Lines record's url/id.
    location: Mapped[str] = mapped_column(Text)
    is_url: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The page as read, zlib-compressed; ``raw_size`` is its length before compression.
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    raw_size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(100))
    #: The processed document, strife/1 (``Document.to_dict``).
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    title: Mapped[str | None] = mapped_column(Text)
    #: ISO-8601 with the page's own UTC offset (a DateTime column would drop it).
    published: Mapped[str | None] = mapped_column(String(40))
    language: Mapped[str | None] = mapped_column(String(16))
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    #: 1 for the first version seen at a location, then 2, 3...
    revision: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    #: True once a later version of the same location is stored; kept, never deleted.
    superseded: Mapped[bool] = mapped_column(Boolean, default=False)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("ingest_runs.id"), index=True)

    sources: Mapped[list[SourceRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )
    events: Mapped[list[EventRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan"
    )


class SourceRow(Base):
    """Who gives a fact in one article (``key`` is the document's source id, ``s1``)."""

    __tablename__ = "sources"
    __table_args__ = (UniqueConstraint("article_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(64))
    person: Mapped[str | None] = mapped_column(Text)

    article: Mapped[ArticleRow] = relationship(back_populates="sources")


class EventRow(Base):
    """One event as one article reports it: a *report*, linked to the incident it tells of."""

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("article_id", "key"),
        # Linking's candidate lookup: one country's reports over a range of dates, so its
        # cost does not grow with the record (``store._link_lookup``). Serves country alone too.
        Index("ix_events_link_lookup", "country", "date_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    #: The incident this report was linked to; null until ``strife link`` (or ingest) links it.
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), index=True)
    #: How it was linked: ``new`` (it began the incident), ``auto``, ``revision``, ``manual``.
    link_method: Mapped[str | None] = mapped_column(String(16))
    #: The link score and its parts (place, date, category, figures, actors, text).
    link_score: Mapped[float | None] = mapped_column(Float)
    link_reasons: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    #: The report's words for text similarity: {word: count} (``link.terms``).
    terms: Mapped[dict[str, int] | None] = mapped_column(JSON)
    #: The document's event id (``<digest prefix>-e1``).
    key: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64), index=True)
    subtype: Mapped[str] = mapped_column(String(64))
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(16))
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    #: ``location.precision``: linking compares reports placed only in a country with all.
    location_precision: Mapped[str | None] = mapped_column(String(16))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    fatalities_best: Mapped[int | None] = mapped_column(Integer)
    fatalities_low: Mapped[int | None] = mapped_column(Integer)
    fatalities_high: Mapped[int | None] = mapped_column(Integer)
    injuries_best: Mapped[int | None] = mapped_column(Integer)
    #: The event, strife/1 (``Event.to_dict``), claims included.
    data: Mapped[dict[str, Any]] = mapped_column(JSON)

    article: Mapped[ArticleRow] = relationship(back_populates="events")
    claims: Mapped[list[ClaimRow]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )


class ClaimRow(Base):
    """One figure or actor as one source states it, with its words and offsets."""

    __tablename__ = "claims"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"))
    #: The document's source id, kept even if no source row matches it.
    source: Mapped[str] = mapped_column(String(32))
    property: Mapped[str] = mapped_column(String(32))
    #: The stated value as text (a number or an actor kind); ``number`` when it is a number.
    value: Mapped[str | None] = mapped_column(Text)
    number: Mapped[int | None] = mapped_column(BigInteger)
    low: Mapped[int | None] = mapped_column(BigInteger)
    high: Mapped[int | None] = mapped_column(BigInteger)
    qualifier: Mapped[str | None] = mapped_column(String(32))
    hedge: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)

    event: Mapped[EventRow] = relationship(back_populates="claims")
    source_row: Mapped[SourceRow | None] = relationship()


class IncidentRow(Base):
    """One real-world event: every report of it across articles, reconciled.

    ``public_id`` is the stable id users see and cite (``ev-`` and 12 hex digits,
    derived from the first report's key); it never changes, and an incident
    merged into another keeps its row with ``merged_into_id`` set, so old ids
    still resolve. The summary columns are recomputed from the reports each time
    one joins or leaves; ``data`` holds the whole record event (``link.reconcile``).
    """

    __tablename__ = "incidents"
    # The list's order (sort_day, id), alone and after each equality filter, so a page
    # of events is read from an index in order instead of sorting every row. The
    # trailing columns let the date and toll filters be checked on the index entry,
    # before the row is read (25 times faster for a filter that skips most rows), and
    # the map and timeline be summed from the index alone (10 times faster).
    __table_args__ = (
        Index("ix_incidents_listed", "sort_day", "id", *LISTED_COLUMNS),
        Index("ix_incidents_listed_by_country", "country", "sort_day", "id", *LISTED_COLUMNS),
        Index("ix_incidents_listed_by_category", "category", "sort_day", "id", *LISTED_COLUMNS),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(32), unique=True)
    category: Mapped[str] = mapped_column(String(64))
    subtype: Mapped[str] = mapped_column(String(64))
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    #: ``date_start``, or :data:`UNDATED`: "oldest first, undated last" as one indexed
    #: column (``date_start IS NULL, date_start`` is an order no index serves).
    #: ``linking`` sets it with ``date_start``; an insert without it gets it from there.
    sort_day: Mapped[date] = mapped_column(
        Date, default=_sort_day, server_default=UNDATED.isoformat()
    )
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(Text)
    place: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    fatalities_best: Mapped[int | None] = mapped_column(BigInteger)
    fatalities_low: Mapped[int | None] = mapped_column(BigInteger)
    fatalities_high: Mapped[int | None] = mapped_column(BigInteger)
    independent_sources: Mapped[int] = mapped_column(Integer, default=0)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"))


class IncidentRevisionRow(Base):
    """One change to an incident: what changed, when, and which article (or person) did it."""

    __tablename__ = "incident_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    #: ``created``, ``linked``, ``merged``, ``split``, ``revised``.
    action: Mapped[str] = mapped_column(String(16))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    #: Who, for a manual change; null for strife's own.
    actor: Mapped[str | None] = mapped_column(Text)
    #: {field: [before, after]} for the summary fields that changed.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Why, as the person gave it (merges, splits, corrections).
    note: Mapped[str | None] = mapped_column(Text)


class LinkSuggestionRow(Base):
    """A report that scored between the two thresholds: a link for a person to decide."""

    __tablename__ = "link_suggestions"
    __table_args__ = (UniqueConstraint("event_id", "incident_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class LinkDecisionRow(Base):
    """A person's merge or split, kept so that later linking never undoes it.

    Keyed by the report's event key (which comes from the page's bytes), so it
    holds for as long as that page version is in the record.
    """

    __tablename__ = "link_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(64), index=True)
    #: ``attach`` (the report belongs to the incident) or ``detach`` (it never does).
    action: Mapped[str] = mapped_column(String(16))
    incident_public_id: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class FieldCorrectionRow(Base):
    """A person's correction or confirmation of one field of an incident.

    Keyed by the incident's public id, as decisions are, so it outlives any
    re-ingest or re-link that rebuilds the summary: ``linking.refresh_incident``
    applies the latest row per field over the automatic value every time.
    """

    __tablename__ = "field_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_public_id: Mapped[str] = mapped_column(String(32), index=True)
    #: A name of ``corrections.FIELDS``: ``fatalities.best``, ``date.start``...
    field: Mapped[str] = mapped_column(String(32))
    #: ``correct`` (a new value) or ``confirm`` (the value shown was checked).
    action: Mapped[str] = mapped_column(String(16))
    old_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    actor: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str | None] = mapped_column(Text)


class TermRow(Base):
    """How many linked reports use a word: the document frequencies behind text similarity."""

    __tablename__ = "link_terms"

    term: Mapped[str] = mapped_column(String(64), primary_key=True)
    reports: Mapped[int] = mapped_column(Integer, default=0)


class UserRow(Base):
    """A person who signs in to ``strife serve``: an admin, an analyst or a viewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The sign-in name, also written as the actor of the person's merges and splits.
    name: Mapped[str] = mapped_column(String(64), unique=True)
    #: The argon2id hash in PHC form (``$argon2id$v=19$...``); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: ``admin``, ``analyst`` (may edit the record) or ``viewer`` (reads only).
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    """A token a script sends as ``Authorization: Bearer``; only its SHA-256 is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PasswordResetRow(Base):
    """A password-reset link mailed to a user: only its SHA-256 is kept, until used or expired."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class CommentRow(Base):
    """A comment on an event (by its public id) or an article (by its id), or a reply to one.

    Replies are one level deep: a reply to a reply joins the first comment's thread.
    """

    __tablename__ = "comments"
    __table_args__ = (Index(None, "target_kind", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: ``event`` or ``article``.
    target_kind: Mapped[str] = mapped_column(String(16))
    #: The event's public id (``ev-…``) or the article's id, as text.
    target: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    #: Plain text as typed; escaped wherever it is shown.
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class FollowRow(Base):
    """Something a user follows: another ``user``, an ``event``, a ``place`` or an ``actor``."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("user_id", "kind", "value"), Index(None, "kind", "value"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    #: A user's name, an event's public id, a place's words or country code, an actor's words.
    value: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WatchRuleRow(Base):
    """A user's alert: every condition given must hold (area, actor, category, toll, spike)."""

    __tablename__ = "watch_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    admin1: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    actor: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(64))
    min_fatalities: Mapped[int | None] = mapped_column(Integer)
    #: Fire on the area's rolling 30-day fatalities reaching a new yearly high, not on events.
    spike: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The last day a spike rule fired: it stays quiet for 30 days after.
    fired_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class NotificationRow(Base):
    """One thing a user is told, in the app; ``key`` makes telling it twice impossible."""

    __tablename__ = "notifications"
    __table_args__ = (UniqueConstraint("user_id", "key"), Index(None, "user_id", "read_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    #: What it is about, e.g. ``watch:3:ev-…`` or ``reply:17``.
    key: Mapped[str] = mapped_column(String(200))
    #: ``reply``, ``mention``, ``revision``, ``watch`` or ``spike``.
    kind: Mapped[str] = mapped_column(String(16))
    message: Mapped[str] = mapped_column(Text)
    #: The page it is about, a path of the app (``/events/ev-…``).
    link: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)


class EmailAddressRow(Base):
    """Where a user's notifications are mailed; no row, no mail."""

    __tablename__ = "email_addresses"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    address: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class WebhookRow(Base):
    """A URL a user's notifications are posted to, signed with HMAC-SHA256 and ``secret``.

    The secret is kept as it is, since signing needs it; it is shown to the user once.
    """

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(Text)
    secret: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DeliveryRow(Base):
    """One notification sent one way: by ``email``, or to ``webhook:ID``; its state and tries."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("notification_id", "target"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    notification_id: Mapped[int] = mapped_column(ForeignKey("notifications.id", ondelete="CASCADE"))
    target: Mapped[str] = mapped_column(String(32))
    #: ``pending``, ``sending``, ``sent``, ``failed`` (tried again later) or ``abandoned``.
    state: Mapped[str] = mapped_column(String(16), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class NotifyRunRow(Base):
    """One ``strife notify`` run: from when it looked, and what it told and sent."""

    __tablename__ = "notify_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    since: Mapped[datetime] = mapped_column(DateTime)
    notifications: Mapped[int] = mapped_column(Integer, default=0)
