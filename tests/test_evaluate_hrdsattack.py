"""``strife eval hrdsattack``: which event answers for an article, and the article's own
place and date when no event does (issue 4). Every page here is written for these tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from strife.document import Article, Document, Event, PageInput
from strife.evaluate.hrdsattack import Answer, main_event, strife_answer
from strife.settings import Settings


def _event(event_id: str, country: str, name: str, start: str) -> Event:
    location = {"name": name, "admin1": None, "country": country, "basis": "event"}
    date = {"start": start, "end": start, "precision": "day", "text": ""}
    return Event(event_id, "strategic_developments", "arrests", location=location, date=date)


def test_hrdsattack_main_event_ties_go_to_the_article_country() -> None:
    events = [
        _event("e1", "GB", "London", "2020-07-01"),
        _event("e2", "US", "Seattle", "2020-07-02"),
    ]
    assert main_event(events) is events[0]  # no article place: the first country

    def article() -> dict[str, Any] | None:
        return {"country": "US"}

    assert main_event(events, article=article) is events[1]
    # more events elsewhere outweigh the article's country
    events.append(_event("e3", "GB", "Leeds", "2020-07-03"))
    assert main_event(events, article=article) is events[0]


def test_hrdsattack_an_article_without_events_answers_with_its_own_place_and_date() -> None:
    text = (
        "Judges in Nairobi struck down parts of the press law, lawyers for the editors said. "
        "The government will appeal the ruling."
    )
    document = Document(input=PageInput("inline", text.encode("utf-8")))
    document.article = Article(
        text=text, title="Court strikes down press law in Kenya", published=datetime(2021, 3, 4, 9)
    )
    answer = strife_answer(document, settings=Settings())
    assert answer == Answer("KE", answer.region, "nairobi", 2021, 3, 4)
    assert answer.region is not None
