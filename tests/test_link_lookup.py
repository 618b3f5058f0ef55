"""Tests for linking's candidate lookup (``store._link_lookup``, issue 7).

The lookup reads one country's reports over a range of dates bounded on both sides,
so a report whose dates span weeks must still be found by a later report that falls
near its end. The reports are built here as documents (no model), stored with the
store's own ``save_documents``, then linked.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import select, text

from strife.document import Article, Document, Event, Figures, PageInput, Source
from strife.link.score import Limits
from strife.settings import Settings
from strife.store._link_lookup import candidate_rows, longest_span
from strife.store.linking import link_pending, report_incidents
from strife.store.models import EventRow
from strife.store.repository import open_repository

#: The words both reports of the siege use, and the place they name.
SIEGE = (
    "The siege of Kafr Nabl: government forces shelled the town's hospital and bakery, "
    "residents said, and the monitor counted {n} dead."
)


def _siege_report(number: int, start: date, end: date, toll: int) -> Document:
    """One article on the siege of Kafr Nabl (Idlib), dated ``start`` to ``end``."""
    body = SIEGE.format(n=toll)
    page = PageInput(f"test://siege/{number}", f"<p>{body}</p>".encode())
    document = Document(input=page, page_kind="html")
    title = f"Shelling of Kafr Nabl kills {toll}"
    document.article = Article(text=f"{title}. {body}", title=title, published=end)
    document.sources = [Source("s0", "The Idlib Herald", "outlet")]
    event = Event(
        id=f"{document.id}-e1",
        category="explosions_remote_violence",
        subtype="shelling_artillery_missile_attack",
        fatalities=Figures(toll, toll, toll, "acled_lowest_specific"),
        date={"start": f"{start}", "end": f"{end}", "precision": "range", "text": ""},
        spans=[(0, len(document.article.text))],
    )
    event.location = {
        "name": "Kafr Nabl",
        "admin1": "Idlib",
        "country": "SY",
        "lat": 35.61,
        "lon": 36.56,
        "precision": "city",
        "text": "Kafr Nabl",
        "basis": "event",
    }
    document.events = [event]
    return document


def test_link_lookup_finds_a_report_spanning_weeks_near_its_end(db: str) -> None:
    month = _siege_report(1, date(2019, 5, 1), date(2019, 5, 30), toll=40)
    late = _siege_report(2, date(2019, 5, 31), date(2019, 5, 31), toll=41)
    with open_repository(db) as repository:
        repository.save_documents([month])
        link_pending(repository, settings=Settings())
        repository.save_documents([late])
        with repository._read() as session:
            row = session.scalars(select(EventRow).where(EventRow.incident_id.is_(None))).one()
            assert longest_span(session) == 29
            # Bounded by the longest span stored, the month-long report is met ...
            assert len(candidate_rows(session, row, Limits(), longest=29)) == 1
            # ... and the bound is what finds it: without it, it starts too early.
            assert candidate_rows(session, row, Limits(), longest=0) == []
        link_pending(repository, settings=Settings())
        assert len(set(report_incidents(repository).values())) == 1


def test_link_lookup_reads_a_date_range_of_one_country_on_sqlite(tmp_path: Path) -> None:
    with open_repository(tmp_path / "record.sqlite") as repository:
        repository.save_documents([_siege_report(1, date(2019, 5, 1), date(2019, 5, 1), 3)])
        link_pending(repository, settings=Settings())
        with repository._read() as session:
            row = session.scalars(select(EventRow)).one()
            captured = []
            execute = session.execute

            def capture(statement: object, *args: object, **options: object) -> object:
                captured.append(statement)
                return execute(statement, *args, **options)  # type: ignore[call-overload]

            session.execute = capture  # type: ignore[method-assign]
            candidate_rows(session, row, Limits(), longest=0)
            session.execute = execute  # type: ignore[method-assign]
            compiled = captured[0].compile(  # type: ignore[attr-defined]
                dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
            )
            plan = " ".join(
                str(step[-1]) for step in session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
    assert "ix_events_link_lookup (country=? AND date_start>? AND date_start<?)" in plan
