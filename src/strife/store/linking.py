"""Link stored reports into incidents: the database side of ``strife link``.

Takes every report (a stored article's event) not yet linked, oldest article
first, and for each: applies a person's decision if one names it; else follows
an earlier version of its article; else scores it (``link.score``) against the
reports of every incident that blocking lets through, joins the best incident
at or above ``link_merge_threshold``, starts a new incident otherwise, and
records the incidents that scored between the two thresholds as suggestions.
Each join rewrites the incident's summary (``link.reconcile``, then a person's
field corrections over it) and adds a revision saying what changed and which
article changed it. Reports are linked in batches, one transaction each, so a
killed run loses at most one batch and the next run carries on from there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from strife.link.reconcile import ReportFacts, summarize
from strife.link.score import Limits, LinkScore, Report, score_pair
from strife.link.terms import idf_weights, report_terms
from strife.settings import Settings
from strife.store import _link_lookup
from strife.store._engine import in_lists
from strife.store.corrections import apply_corrections
from strife.store.models import (
    UNDATED,
    ArticleRow,
    EventRow,
    IncidentRevisionRow,
    IncidentRow,
    LinkDecisionRow,
    LinkSuggestionRow,
    TermRow,
)
from strife.store.repository import Repository, _day, _now

#: Reports linked per transaction.
LINK_BATCH = 200
#: Suggestions kept per report: the best few incidents between the thresholds.
MAX_SUGGESTIONS = 3
#: Summary fields compared for an incident's revision history.
TRACKED = (
    "category",
    "subtype",
    "date",
    "location",
    "fatalities",
    "injuries",
    "independent_sources",
    "disputed",
)


@dataclass(slots=True)
class LinkReport:
    """What one linking run did."""

    reports: int = 0
    new_incidents: int = 0
    joined: int = 0
    suggestions: int = 0
    by_method: dict[str, int] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "new_incidents": self.new_incidents,
            "joined": self.joined,
            "suggestions": self.suggestions,
            "by_method": dict(self.by_method),
        }


def public_id(seed: str) -> str:
    """The stable id of an incident begun by the report with key ``seed``."""
    return "ev-" + hashlib.sha1(seed.encode("utf-8")).hexdigest()[:12]


def link_pending(
    repository: Repository,
    *,
    settings: Settings,
    progress: Callable[[int, int], None] | None = None,
) -> LinkReport:
    """Link every report not yet linked; see the module docstring."""
    report = LinkReport()
    with repository._read() as session:
        total = session.scalar(_unlinked().with_only_columns(func.count())) or 0
    linker = _Linker(settings)
    while True:
        with repository._write() as session:
            # The order the record learned of them: a re-run links the same way.
            oldest_first = _unlinked().order_by(EventRow.article_id, EventRow.id)
            batch = list(session.scalars(oldest_first.limit(LINK_BATCH)))
            if not batch:
                break
            linker.load(session)
            with session.no_autoflush:  # flushed once per report, in _attach
                for row in batch:
                    linker.link(session, row, report)
            linker.save_terms(session)
        if progress:
            progress(report.reports, total)
    return report


def _unlinked() -> Any:
    return (
        select(EventRow)
        .join(ArticleRow)
        .where(EventRow.incident_id.is_(None), ArticleRow.superseded.is_(False))
    )


class _Linker:
    """Links one report at a time; keeps the word frequencies, the longest span stored and
    the reports built so far in memory between batches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.limits = Limits(settings.link_window_days, settings.link_radius_km)
        self.frequencies: dict[str, int] = {}
        self.reports = 0
        #: No stored report spans more days: bounds the candidate lookup (``_link_lookup``).
        self.longest = 0
        self.built = _link_lookup.ReportCache()
        self._dirty: set[str] = set()
        self._loaded = False

    def load(self, session: Session) -> None:
        """Read what the run keeps in memory, once: word frequencies, the longest span."""
        if self._loaded:
            return
        self.longest = _link_lookup.longest_span(session)
        rows = session.execute(select(TermRow.term, TermRow.reports))
        self.frequencies = {term: count for term, count in rows}  # noqa: C416 (Rows, not pairs)
        self.reports = (
            session.scalar(select(func.count(EventRow.id)).where(EventRow.terms.is_not(None))) or 0
        )
        self._loaded = True

    def save_terms(self, session: Session) -> None:
        dirty = sorted(self._dirty)
        for chunk in in_lists(dirty):
            rows = {
                r.term: r for r in session.scalars(select(TermRow).where(TermRow.term.in_(chunk)))
            }
            for term in chunk:
                if term in rows:
                    rows[term].reports = self.frequencies[term]
                else:
                    session.add(TermRow(term=term, reports=self.frequencies[term]))
        self._dirty.clear()

    def link(self, session: Session, row: EventRow, report: LinkReport) -> None:
        article = row.article
        text = (article.document.get("article") or {}).get("text", "")
        row.terms = report_terms(article.title, text, row.data.get("spans", []))
        target, method, score = self._decide(session, row)
        suggestions: list[tuple[IncidentRow, LinkScore]] = []
        if target is None:
            target, score, suggestions = self._best_match(session, row)
            method = "auto" if target is not None else "new"
        if target is None:
            target = new_incident(session, row)
            report.new_incidents += 1
        else:
            report.joined += 1
        _attach(session, row, target, method=method, score=score)
        for incident, suggested in suggestions:
            session.add(
                LinkSuggestionRow(
                    event_id=row.id,
                    incident_id=incident.id,
                    score=suggested.total,
                    reasons=suggested.parts,
                    created_at=_now(),
                )
            )
        report.suggestions += len(suggestions)
        report.reports += 1
        report.by_method[method] = report.by_method.get(method, 0) + 1
        self._count_terms(row.terms)
        # A report stored after the run began (a concurrent ingest) may span further.
        self.longest = max(self.longest, _link_lookup.span_days(row.date_start, row.date_end))

    def _count_terms(self, terms: dict[str, int]) -> None:
        self.reports += 1
        for term in terms:
            self.frequencies[term] = self.frequencies.get(term, 0) + 1
            self._dirty.add(term)

    def _decide(
        self, session: Session, row: EventRow
    ) -> tuple[IncidentRow | None, str, LinkScore | None]:
        """A person's decision for this report, or its article's earlier version's incident."""
        decision = session.scalar(
            select(LinkDecisionRow)
            .where(LinkDecisionRow.event_key == row.key, LinkDecisionRow.action == "attach")
            .order_by(LinkDecisionRow.id.desc())
            .limit(1)
        )
        if decision is not None:
            incident = _resolve(session, decision.incident_public_id)
            if incident is not None:
                return incident, "manual", None
        previous = row.article.previous_id
        if previous is not None:
            earlier = session.scalar(
                select(IncidentRow)
                .join(EventRow, EventRow.incident_id == IncidentRow.id)
                .where(EventRow.article_id == previous, EventRow.category == row.category)
                .order_by(EventRow.id)
                .limit(1)
            )
            if earlier is not None:
                return live_incident(session, earlier), "revision", None
        return None, "new", None

    def _best_match(
        self, session: Session, row: EventRow
    ) -> tuple[IncidentRow | None, LinkScore | None, list[tuple[IncidentRow, LinkScore]]]:
        mine = self.built.add(row)
        idf = idf_weights(self.frequencies, self.reports)
        refused = _detached(session, row.key)  # incident ids a person took this report out of
        best: dict[int, LinkScore] = {}
        siblings: set[int] = set()
        session.flush()  # the summary of the incident the last report joined, read below
        found = _link_lookup.candidate_rows(session, row, self.limits, longest=self.longest)
        reports = self.built.reports(session, [event_id for event_id, _ in found])
        incidents = _link_lookup.incident_figures(session, {i for _, i in found})
        for event_id, incident_id in found:
            other = reports[event_id]
            if other.article_id == row.article_id:
                siblings.add(incident_id)
            theirs = _nearest_toll(other, incidents[incident_id], mine.fatalities)
            scored = score_pair(mine, theirs, idf=idf, limits=self.limits)
            if scored is None:
                continue
            if incident_id not in best or scored.total > best[incident_id].total:
                best[incident_id] = scored
        sibling_bar = self.settings.link_same_article_threshold

        def bar(incident: int) -> float:
            # An incident that holds another event of this article: the extraction may have
            # split one incident in two, but the article's words are shared, so ask for more.
            return sibling_bar if incident in siblings else 0.0

        ranked = sorted(
            (
                (s, i)
                for i, s in best.items()
                if i not in refused
                and s.total >= bar(i)
                and self._near_incident(mine, incidents[i])
            ),
            key=lambda pair: -pair[0].total,
        )
        merge, suggest = self.settings.link_merge_threshold, self.settings.link_suggest_threshold
        if ranked and ranked[0][0].total >= merge:
            return session.get_one(IncidentRow, ranked[0][1]), ranked[0][0], []
        top = ranked[:MAX_SUGGESTIONS]
        band = [(session.get_one(IncidentRow, i), s) for s, i in top if s.total >= suggest]
        return None, None, band[:MAX_SUGGESTIONS]

    def _near_incident(self, mine: Report, incident: _link_lookup.IncidentFigures) -> bool:
        """Within the date window of the incident's own date, not only of one of its reports.

        Reports join an incident through their best-scoring report, so without this a run
        of formulaic daily reports ("a rocket attack kills N in Aleppo") chains day to day.
        """
        incident_start: date | None = incident.date_start
        if incident_start is None or mine.start is None:
            return True
        window = timedelta(days=self.limits.window_days)
        incident_end: date = incident.date_end or incident_start
        return (
            mine.start <= incident_end + window
            and (mine.end or mine.start) >= incident_start - window
        )


def _nearest_toll(
    theirs: Report, incident: IncidentRow | _link_lookup.IncidentFigures, toll: int | None
) -> Report:
    """``theirs`` with the toll nearest ``toll`` among its own and its incident's low, best, high.

    Tolls rise over days and sources differ, so one incident's reports span a range: a
    report of the risen toll agrees with the incident even where its first report does not.
    """
    tolls = [
        t
        for t in (
            theirs.fatalities,
            incident.fatalities_low,
            incident.fatalities_best,
            incident.fatalities_high,
        )
        if t
    ]
    if not toll or not tolls:
        return theirs
    nearest = min(tolls, key=lambda t: max(t, toll) / min(t, toll))
    return replace(theirs, fatalities=nearest)


def _detached(session: Session, key: str) -> set[int]:
    statement = (
        select(IncidentRow.id)
        .join(LinkDecisionRow, LinkDecisionRow.incident_public_id == IncidentRow.public_id)
        .where(LinkDecisionRow.event_key == key, LinkDecisionRow.action == "detach")
    )
    return set(session.scalars(statement))


def _resolve(session: Session, public: str) -> IncidentRow | None:
    incident = session.scalar(select(IncidentRow).where(IncidentRow.public_id == public))
    return None if incident is None else live_incident(session, incident)


def live_incident(session: Session, incident: IncidentRow) -> IncidentRow:
    """The incident itself, or the one it was merged into (following the chain)."""
    seen = {incident.id}
    while incident.merged_into_id is not None and incident.merged_into_id not in seen:
        seen.add(incident.merged_into_id)
        incident = session.get_one(IncidentRow, incident.merged_into_id)
    return incident


def new_incident(session: Session, row: EventRow, *, seed: str | None = None) -> IncidentRow:
    """A new, empty incident named after ``seed`` (default: the report's key)."""
    now = _now()
    identifier = public_id(seed or row.key)
    incident = IncidentRow(
        public_id=identifier,
        category=row.category,
        subtype=row.subtype,
        data={},
        created_at=now,
        updated_at=now,
        independent_sources=0,
        reports=0,
    )
    session.add(incident)
    session.flush()
    return incident


def _attach(
    session: Session,
    row: EventRow,
    incident: IncidentRow,
    *,
    method: str,
    score: LinkScore | None,
    actor: str | None = None,
) -> None:
    row.incident_id = incident.id
    row.link_method = method
    row.link_score = score.total if score else None
    row.link_reasons = score.parts if score else None
    session.flush()
    refresh_incident(session, incident, action="linked", row=row, actor=actor)


def refresh_incident(
    session: Session,
    incident: IncidentRow,
    *,
    action: str,
    row: EventRow | None = None,
    actor: str | None = None,
    note: str | None = None,
    changes: dict[str, list[Any]] | None = None,
) -> None:
    """Recompute an incident's summary from its reports and record what changed.

    A person's corrections are laid over the summary (``corrections.py``), so a
    re-link or a new report never undoes them. ``changes`` replaces the computed
    difference in the revision: a correction names its one field, not the whole
    figure it sits in.
    """
    reports = list(
        session.scalars(
            select(EventRow)
            .join(ArticleRow)
            .where(EventRow.incident_id == incident.id, ArticleRow.superseded.is_(False))
            .order_by(EventRow.id)
        )
    )
    before = incident.data or {}
    after = summarize([_facts(session, report) for report in reports]) if reports else {}
    if after:
        apply_corrections(session, incident.public_id, after)
    if changes is None:
        changes = {
            name: [before.get(name), after.get(name)]
            for name in TRACKED
            if before.get(name) != after.get(name) and before
        }
    _set_summary(incident, after, len(reports))
    now = _now()
    incident.updated_at = now
    if changes or action != "linked" or not before:
        session.add(
            IncidentRevisionRow(
                incident_id=incident.id,
                at=now,
                action=action if before else "created",
                article_id=row.article_id if row else None,
                event_id=row.id if row else None,
                actor=actor,
                changes=changes,
                note=note,
            )
        )


def _set_summary(incident: IncidentRow, record: dict[str, Any], reports: int) -> None:
    when = record.get("date") or {}
    where = record.get("location") or {}
    fatalities = record.get("fatalities") or {}
    incident.data = record
    incident.reports = reports
    if record:
        incident.category, incident.subtype = record["category"], record["subtype"]
    incident.date_start, incident.date_end = _day(when.get("start")), _day(when.get("end"))
    incident.sort_day = incident.date_start or UNDATED
    incident.country, incident.admin1 = where.get("country"), where.get("admin1")
    incident.place, incident.lat, incident.lon = (
        where.get("name"),
        where.get("lat"),
        where.get("lon"),
    )
    incident.fatalities_best = fatalities.get("best")
    incident.fatalities_low = fatalities.get("low")
    incident.fatalities_high = fatalities.get("high")
    incident.independent_sources = int(record.get("independent_sources") or 0)


def _facts(session: Session, row: EventRow) -> ReportFacts:
    article = row.article
    sources = {s.key: (s.name, s.kind) for s in article.sources}
    outlet = sources.get("s0", ("the outlet", "outlet"))[0]
    return ReportFacts(
        event_id=row.id,
        key=row.key,
        article={
            "id": article.id,
            "location": article.location,
            "title": article.title,
            "published": article.published,
            "publisher": None if outlet == "the outlet" else outlet,
        },
        event=row.data,
        sources=sources,
        terms=row.terms or {},
        link={"method": row.link_method, "score": row.link_score, "reasons": row.link_reasons},
    )


def report_incidents(repository: Repository) -> dict[tuple[int, str], str]:
    """(article id, event key) -> the public id of the incident each linked report is in."""
    statement = select(EventRow.article_id, EventRow.key, IncidentRow.public_id).join(
        IncidentRow, EventRow.incident_id == IncidentRow.id
    )
    with repository._read() as session:
        return {(a, k): p for a, k, p in session.execute(statement)}


__all__ = [
    "LinkReport",
    "link_pending",
    "live_incident",
    "new_incident",
    "public_id",
    "refresh_incident",
    "report_incidents",
]
