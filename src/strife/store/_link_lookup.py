"""Linking's candidate lookup: which linked reports one report is scored against.

Takes a stored report and returns the linked reports that blocking lets through
(near in time, in the same country or none, not in a province the score refuses),
as ``Report`` values for ``link.score``. Two costs are kept from growing with the
record (issue 7, BENCHMARKS.md "Linking at scale"): the query reads an index range
bounded by date on both sides (``ix_events_link_lookup``: country, then
``date_start``), and each candidate's ``Report`` is built once per linking run, not
once per report that meets it. Choosing among the candidates is ``store.linking``'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any, cast

from sqlalchemy import Row, func, or_, select
from sqlalchemy.orm import Session

from strife.link.score import OWN_PLACE, Limits, Report
from strife.store._engine import in_lists
from strife.store.models import ArticleRow, EventRow, IncidentRow

#: Reports kept built between lookups in one run: about 3 KB each with 40 words (the
#: synthetic reports of ``evaluate.link_scale``), so under 1 GB; enough for the week
#: around a report in a process linking up to ~25,000 reports a day (docs/scale.md).
CACHED_REPORTS = 200_000
#: The columns a ``Report`` is built from: the whole ORM row (claims, the article) is not needed.
REPORT_COLUMNS = (
    EventRow.id,
    EventRow.article_id,
    EventRow.category,
    EventRow.subtype,
    EventRow.date_start,
    EventRow.date_end,
    EventRow.country,
    EventRow.admin1,
    EventRow.place,
    EventRow.lat,
    EventRow.lon,
    EventRow.fatalities_best,
    EventRow.terms,
    EventRow.data,
)

#: The columns of an incident that scoring (its tolls) and the date window read.
INCIDENT_COLUMNS = (
    IncidentRow.id,
    IncidentRow.fatalities_low,
    IncidentRow.fatalities_best,
    IncidentRow.fatalities_high,
    IncidentRow.date_start,
    IncidentRow.date_end,
)
#: A row of ``INCIDENT_COLUMNS``.
IncidentFigures = Row[int, int | None, int | None, int | None, date | None, date | None]


def longest_span(session: Session) -> int:
    """The most days any stored report's dates span (``date_end - date_start``), 0 if none.

    One row per distinct end date, so the answer is small whatever the record's size; the
    lookup's lower bound on ``date_start`` comes from it.
    """
    statement = (
        select(EventRow.date_end, func.min(EventRow.date_start))
        .where(EventRow.date_end > EventRow.date_start)
        .group_by(EventRow.date_end)
    )
    return max((span_days(start, end) for end, start in session.execute(statement)), default=0)


def span_days(start: date | None, end: date | None) -> int:
    """Days from ``start`` to ``end``; 0 when either is missing."""
    return (end - start).days if start and end else 0


def candidate_rows(
    session: Session, row: EventRow, limits: Limits, *, longest: int
) -> list[tuple[int, int]]:
    """(report id, incident id) of each linked report blocking lets through, by id.

    ``longest``: no stored report spans more days (``longest_span``). A candidate must end
    within the window before ``row`` starts, so it starts at most ``longest`` days before
    that: the bound that lets the index stop instead of reading the country's whole record.
    """
    if row.date_start is None:
        return []
    window = timedelta(days=limits.window_days)
    end = row.date_end or row.date_start
    earliest = row.date_start - window
    statement = (
        select(EventRow.id, EventRow.incident_id)
        .join(ArticleRow)
        .where(
            EventRow.incident_id.is_not(None),
            ArticleRow.superseded.is_(False),
            EventRow.date_start >= earliest - timedelta(days=longest),
            EventRow.date_start <= end + window,
            func.coalesce(EventRow.date_end, EventRow.date_start) >= earliest,
        )
        .order_by(EventRow.id)  # ties between candidates go to the oldest, whatever the plan
    )
    if row.country:
        statement = statement.where(
            or_(EventRow.country == row.country, EventRow.country.is_(None))
        )
    if row.admin1 and (row.data.get("location") or {}).get("basis") in OWN_PLACE:
        # score_pair never links two reports placed in different provinces by their own
        # sentences (``score._other_provinces``): leave those in the database rather than
        # load each one to be refused. Reports placed by a fallback, and this article's
        # own reports (siblings), stay.
        own = sorted(basis for basis in OWN_PLACE if basis)  # no basis counts as own
        basis = func.coalesce(EventRow.data["location"]["basis"].as_string(), own[0])
        statement = statement.where(
            or_(
                EventRow.admin1 == row.admin1,
                EventRow.admin1.is_(None),
                EventRow.admin1 == "",
                EventRow.article_id == row.article_id,
                basis.not_in(own),
            )
        )
    # incident_id is typed optional, but the query takes linked reports only.
    return cast(list[tuple[int, int]], [tuple(found) for found in session.execute(statement)])


def incident_figures(session: Session, ids: Iterable[int]) -> dict[int, IncidentFigures]:
    """The tolls and dates of these incidents (what scoring and the window read), by id.

    Read as columns, not as ORM rows: an incident's whole summary (``data``) is not needed.
    """
    ids = list(ids)
    found: dict[int, IncidentFigures] = {}
    for chunk in in_lists(ids):
        statement = select(*INCIDENT_COLUMNS).where(IncidentRow.id.in_(chunk))
        for incident in session.execute(statement):
            found[incident.id] = incident
    return found


class ReportCache:
    """``Report`` values built from stored rows, kept for one linking run (least recently
    used dropped first).

    A report's own columns do not change once it is linked (only its incident does, and
    that is looked up afresh each time), so a report built once serves every later
    report that meets it.
    """

    def __init__(self, capacity: int = CACHED_REPORTS) -> None:
        self.capacity = capacity
        self._reports: dict[int, Report] = {}

    def add(self, row: Any) -> Report:
        """Build the report of ``row`` (an ``EventRow`` or a row of ``REPORT_COLUMNS``), kept."""
        report = build_report(row)
        self._keep(report)
        return report

    def reports(self, session: Session, ids: Sequence[int]) -> dict[int, Report]:
        """The reports with these ids: built ones from memory, the rest loaded in one query."""
        found: dict[int, Report] = {}
        for event_id in ids:
            report = self._reports.pop(event_id, None)
            if report is not None:
                self._reports[event_id] = report  # now the most recently used
                found[event_id] = report
        missing = [event_id for event_id in ids if event_id not in found]
        for chunk in in_lists(missing):
            for row in session.execute(select(*REPORT_COLUMNS).where(EventRow.id.in_(chunk))):
                found[row.id] = self.add(row)
        return found

    def _keep(self, report: Report) -> None:
        self._reports.pop(report.id, None)
        self._reports[report.id] = report
        if len(self._reports) > self.capacity:
            del self._reports[next(iter(self._reports))]


def build_report(row: Any) -> Report:
    """What linking knows of one stored report (an ``EventRow`` or a row of ``REPORT_COLUMNS``)."""
    location = row.data.get("location") or {}
    actors: Iterable[dict[str, Any]] = row.data.get("actors", [])
    perpetrators = frozenset(
        str(a["kind"]) for a in actors if a.get("role") == "perpetrator" and a.get("kind")
    )
    return Report(
        id=row.id,
        article_id=row.article_id,
        category=row.category,
        subtype=row.subtype,
        start=row.date_start,
        end=row.date_end,
        country=row.country,
        admin1=row.admin1,
        place=row.place,
        precision=location.get("precision"),
        place_basis=location.get("basis"),
        lat=row.lat,
        lon=row.lon,
        fatalities=row.fatalities_best,
        perpetrators=perpetrators,
        terms=row.terms or {},
    )
