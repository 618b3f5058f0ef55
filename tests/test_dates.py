"""The date stage: date phrases, datelines, and the date each event gets.

Every sentence and page here is written for these tests.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest
from typer.testing import CliRunner

from strife.cli import app
from strife.dates import DateStage, date_article, date_document, parse_dateline, resolve_date
from strife.document import Article, Document, Event, PageInput
from strife.errors import WARNINGS, InputError
from strife.settings import Settings

#: A Monday evening, New York time: "last night" is that evening, "yesterday" Sunday.
MONDAY_EVENING = "2012-03-12T21:00:00-04:00"
#: A Friday morning release with its own offset (Kabul, +04:30).
FRIDAY_MORNING = "2013-01-25T08:00:00+04:30"


@pytest.mark.parametrize(
    ("phrase", "published", "start", "end", "precision"),
    [
        ("yesterday", MONDAY_EVENING, "2012-03-11", "2012-03-11", "day"),
        ("the day before yesterday", MONDAY_EVENING, "2012-03-10", "2012-03-10", "day"),
        ("last night", MONDAY_EVENING, "2012-03-12", "2012-03-12", "day"),
        ("last night", FRIDAY_MORNING, "2013-01-24", "2013-01-24", "day"),
        ("late last night", "2013-01-25", "2013-01-24", "2013-01-24", "day"),
        ("today", MONDAY_EVENING, "2012-03-12", "2012-03-12", "day"),
        ("this morning", FRIDAY_MORNING, "2013-01-25", "2013-01-25", "day"),
        ("on Monday", MONDAY_EVENING, "2012-03-12", "2012-03-12", "day"),
        ("on Saturday night", MONDAY_EVENING, "2012-03-10", "2012-03-10", "day"),
        ("last Monday", MONDAY_EVENING, "2012-03-05", "2012-03-05", "day"),
        ("earlier this week", FRIDAY_MORNING, "2013-01-21", "2013-01-25", "week"),
        ("last week", FRIDAY_MORNING, "2013-01-14", "2013-01-20", "week"),
        ("over the past three days", MONDAY_EVENING, "2012-03-09", "2012-03-12", "range"),
        ("in the past 24 hours", MONDAY_EVENING, "2012-03-11", "2012-03-12", "range"),
        ("just 24 hours after the envoy left", MONDAY_EVENING, "2012-03-11", "2012-03-12", "range"),
        ("three days ago", MONDAY_EVENING, "2012-03-09", "2012-03-09", "day"),
        ("on March 3", MONDAY_EVENING, "2012-03-03", "2012-03-03", "day"),
        ("on the 3rd of March", MONDAY_EVENING, "2012-03-03", "2012-03-03", "day"),
        ("March 3-5", MONDAY_EVENING, "2012-03-03", "2012-03-05", "range"),
        ("between 3 and 5 March 2011", None, "2011-03-03", "2011-03-05", "range"),
        ("from March 30 to April 2, 2011", None, "2011-03-30", "2011-04-02", "range"),
        ("in March 2011", None, "2011-03-01", "2011-03-31", "month"),
        ("in April", MONDAY_EVENING, "2011-04-01", "2011-04-30", "month"),
        ("last month", MONDAY_EVENING, "2012-02-01", "2012-02-29", "month"),
        ("in 2010", MONDAY_EVENING, "2010-01-01", "2010-12-31", "year"),
        ("last year", MONDAY_EVENING, "2011-01-01", "2011-12-31", "year"),
        ("Jan. 25, 2013", None, "2013-01-25", "2013-01-25", "day"),
        ("Friday, 25 January 2013", None, "2013-01-25", "2013-01-25", "day"),
        ("2013-01-25", None, "2013-01-25", "2013-01-25", "day"),
        ("1/25/2013", None, "2013-01-25", "2013-01-25", "day"),
        ("25.01.2013", None, "2013-01-25", "2013-01-25", "day"),
        ("05.10.2017", None, "2017-10-05", "2017-10-05", "day"),
        ("10/05/2017", None, "2017-10-05", "2017-10-05", "day"),
        ("December 30", "2013-01-02", "2012-12-30", "2012-12-30", "day"),
        ("13 JAN 90", None, "1990-01-13", "1990-01-13", "day"),
        ("Saturday's blast", MONDAY_EVENING, "2012-03-10", "2012-03-10", "day"),
        # a page that lost its apostrophes ("Syrias", "Assads")
        ("Saturdays blast hit a convoy", MONDAY_EVENING, "2012-03-10", "2012-03-10", "day"),
    ],
)
def test_dates_resolve_phrase(
    phrase: str, published: str | None, start: str, end: str, precision: str
) -> None:
    result = resolve_date(phrase, published=published)
    assert result is not None
    assert (result["start"], result["end"], result["precision"]) == (start, end, precision)
    assert result["text"] in phrase


@pytest.mark.parametrize(
    "phrase",
    [
        "tomorrow",
        "next week",
        "on March 20",  # after the publication day, and the year before was not meant
        "in 1856",
        "yesterday",  # no publication date to count from (see the test below)
        "",
        "   ",
        "the market reopened",
        "may march",
        "markets close on Saturdays and Sundays",  # a plural names no one day
        "2,012 people",
        "\x00\x01 garbage ]]]",
    ],
)
def test_dates_resolve_nothing(phrase: str) -> None:
    published = None if phrase == "yesterday" else "2012-03-12"
    if phrase == "on March 20":
        published = "2012-03-12"
        assert resolve_date("on March 20, 2012", published=published) is None
    else:
        assert resolve_date(phrase, published=published) is None


def test_dates_resolve_uses_local_date_not_utc() -> None:
    # 01:30 in Kabul on the 25th is still the 24th in UTC; the publisher's date counts.
    result = resolve_date("today", published="2013-01-25T01:30:00+04:30")
    assert result is not None
    assert result["start"] == "2013-01-25"


def test_dates_resolve_rejects_malformed_published() -> None:
    with pytest.raises(InputError, match="not ISO-8601"):
        resolve_date("yesterday", published="last Tuesday")


@pytest.mark.parametrize(
    ("line", "published", "place", "day"),
    [
        (
            "KABUL, Afghanistan (Jan. 25, 2013)\nDuring an operation ...",
            None,
            "KABUL, Afghanistan",
            date(2013, 1, 25),
        ),
        ("SAN SALVADOR, 13 JAN 90 -- Troops fired on ...", None, "SAN SALVADOR", date(1990, 1, 13)),
        (
            "BEIRUT, March 12 (Reuters) - Syrian forces ...",
            "2012-03-13",
            "BEIRUT",
            date(2012, 3, 12),
        ),
        (
            "BEIRUT, Dec. 30 (Reuters) - Syrian forces ...",
            "2013-01-02",
            "BEIRUT",
            date(2012, 12, 30),
        ),
        ("HOMS, Syria — Activists said ...", "2012-03-12", "HOMS, Syria", None),
        (
            # a full stop typed for the comma before the year (issue 4)
            "HERAT, Afghanistan (Oct. 2. 2011)\nA patrol ...",
            None,
            "HERAT, Afghanistan",
            date(2011, 10, 2),
        ),
        (
            "Lashkar Gah, Afghanistan (June 14) - A patrol ...",
            "2012-06-15",
            "Lashkar Gah, Afghanistan",
            date(2012, 6, 14),
        ),
    ],
)
def test_dates_parse_dateline(
    line: str, published: str | None, place: str, day: date | None
) -> None:
    dateline = parse_dateline(line, published=published)
    assert dateline is not None
    assert (dateline.place, dateline.date) == (place, day)
    assert line[dateline.span[0] : dateline.span[1]].startswith(place)


@pytest.mark.parametrize(
    "text",
    [
        "The army said on Monday that 12 people died.",
        "BREAKING NEWS\nThe army said ...",
        "Kabul - the capital was quiet.",
        "",
    ],
)
def test_dates_parse_dateline_none(text: str) -> None:
    assert parse_dateline(text, published="2012-03-12") is None


def test_dates_dateline_in_the_future_has_no_date() -> None:
    dateline = parse_dateline("KABUL, Afghanistan (Jan. 25, 2013) - ...", published="2012-03-12")
    assert dateline is not None
    assert dateline.date is None


# --- the stage, on documents written here -------------------------------------------------

PAGE = (
    "BEIRUT, March 12 (Reuters) - Gunmen shot dead seven villagers in Qusayr last night, "
    "activists said on Tuesday.\n\n"
    "The shelling of the old city had gone on over the past three days. "
    "A car bomb killed three people in the port.\n\n"
    "Officials said 40 people were detained in 1856 according to a local history."
)


def _event(text: str, sentence: str, trigger: str, event_id: str = "e1") -> Event:
    start = text.index(sentence)
    return Event(
        event_id,
        "violence_against_civilians",
        "attack",
        trigger=trigger,
        spans=[(start, start + len(sentence))],
    )


def _document(text: str, published: datetime | date | None, events: list[Event]) -> Document:
    document = Document(input=PageInput("inline", text.encode("utf-8")))
    document.article = Article(text=text, published=published)
    document.events = events
    return document


def test_dates_stage_dates_each_event() -> None:
    published = datetime(2012, 3, 13, 9, 0, tzinfo=timezone(timedelta(hours=2)))  # a Tuesday
    shooting = _event(
        PAGE,
        "Gunmen shot dead seven villagers in Qusayr last night, activists said on Tuesday.",
        "shot",
    )
    shelling = _event(
        PAGE, "The shelling of the old city had gone on over the past three days.", "shelling", "e2"
    )
    bomb = _event(PAGE, "A car bomb killed three people in the port.", "car bomb", "e3")
    detained = _event(
        PAGE,
        "Officials said 40 people were detained in 1856 according to a local history.",
        "detained",
        "e4",
    )
    document = date_document(
        _document(PAGE, published, [shooting, shelling, bomb, detained]), settings=Settings()
    )
    assert shooting.date == {
        "start": "2012-03-11",
        "end": "2012-03-11",
        "precision": "day",
        "text": "last night",
    }  # the dateline's March 12 is the reference, and "said on Tuesday" is the report's day
    assert shelling.date is not None
    assert shelling.date["precision"] == "range"
    assert (shelling.date["start"], shelling.date["end"]) == ("2012-03-09", "2012-03-12")
    # no date of its own: the sentence before gives one
    assert bomb.date is not None
    assert bomb.date["text"] == "over the past three days"
    # 1856 is ignored with a warning; the sentence before has no date: the dateline's day
    assert detained.date == {
        "start": "2012-03-12",
        "end": "2012-03-12",
        "precision": "day",
        "text": "",
    }
    assert [p.code for p in document.problems] == ["W602"]
    assert document.problems[0].message == WARNINGS["W602"]


LEAD_STORY = (
    "HERAT, Afghanistan (Oct. 6, 2011) - Police officials confirmed yesterday that a border "
    "patrol had raided a smugglers' camp near Islam Qala on Tuesday.\n\n"
    "The patrol came under fire as it approached the tents. "
    "Two gunmen were killed in the exchange, the officials said."
)


def test_dates_stage_undated_event_takes_the_lead_day() -> None:
    # Issue 4: a story that names one day is about that day; the report's own day
    # ("confirmed yesterday") does not count as a second one.
    event = _event(
        LEAD_STORY, "Two gunmen were killed in the exchange, the officials said.", "killed"
    )
    date_document(_document(LEAD_STORY, None, [event]), settings=Settings())
    assert event.date == {
        "start": "2011-10-04",
        "end": "2011-10-04",
        "precision": "day",
        "text": "on Tuesday",
    }


def test_dates_stage_lead_day_only_when_the_story_names_no_other() -> None:
    text = LEAD_STORY + (
        "\n\nA second patrol found a cache of rifles in Ghoryan district on Wednesday."
    )
    event = _event(text, "Two gunmen were killed in the exchange, the officials said.", "killed")
    date_document(_document(text, None, [event]), settings=Settings())
    # the lead's Tuesday is one of two days the story names: the dateline's day
    assert event.date is not None
    assert (event.date["start"], event.date["text"]) == ("2011-10-06", "")


def test_dates_stage_date_of_a_blamed_deed_is_not_the_event() -> None:
    # Issue 4: "responsible for an attack Oct. 1" dates that attack, not the arrest.
    text = (
        "HERAT, Afghanistan (Oct. 6, 2011) - Police arrested a man responsible for an attack "
        "Oct. 1 on a checkpoint in Herat city yesterday."
    )
    event = _event(text, text[text.index("Police") :], "arrested")
    date_document(_document(text, None, [event]), settings=Settings())
    assert event.date is not None
    assert (event.date["start"], event.date["text"]) == ("2011-10-05", "yesterday")


def test_dates_article_date_for_a_page_without_events() -> None:
    # Issue 4: an op-ed or a court story has no event; the article is dated by its lead's
    # day, else its dateline, else its publication date.
    assert date_article(_document(LEAD_STORY, None, [])) == {
        "start": "2011-10-04",
        "end": "2011-10-04",
        "precision": "day",
        "text": "on Tuesday",
    }
    opinion = "Press freedom matters more than ever, and the courts must defend it."
    published = datetime(2020, 12, 6, 10, 0)
    assert date_article(_document(opinion, published, [])) == {
        "start": "2020-12-06",
        "end": "2020-12-06",
        "precision": "day",
        "text": "",
    }
    assert date_article(_document(opinion, None, [])) is None


def test_dates_stage_without_any_date_warns() -> None:
    text = "Gunmen shot dead seven villagers yesterday."
    event = _event(text, text, "shot")
    document = date_document(_document(text, None, [event]), settings=Settings())
    assert event.date is None
    assert {p.code for p in document.problems} == {"W603", "W604"}


def test_dates_stage_future_date_is_ignored() -> None:
    text = "Protesters will march on June 3, 2031. Police dispersed a crowd on Sunday."
    event = _event(text, "Protesters will march on June 3, 2031.", "march")
    document = date_document(_document(text, date(2020, 5, 4), [event]), settings=Settings())
    assert event.date is not None
    assert event.date["start"] == "2020-05-04"
    assert [p.code for p in document.problems] == ["W601"]


def test_dates_stage_protocol() -> None:
    stage = DateStage()
    assert (stage.name, stage.requires, stage.assigns) == (
        "date",
        ("article", "events"),
        ("events",),
    )


def test_dates_pipeline_page() -> None:
    from strife.pipeline import extract_pipeline, run_text

    page = (
        "Militia attack kills 12 in northern village\n"
        "Tuesday 14 May 2019 08:10 BST\n\n"
        "Gunmen killed 12 villagers in an attack on a village near the border on Sunday, "
        "the local governor said, in the deadliest raid in the area this year.\n\n"
        "Witnesses said the attackers arrived on motorbikes before dawn and set fire to "
        "houses and granaries before they fled."
    )
    document = run_text(extract_pipeline(), page, settings=Settings())
    assert document.events
    dated = document.events[0].date
    assert dated is not None
    assert dated["start"] == "2019-05-12"
    assert dated["text"] == "on Sunday"
    assert "date" in [entry.stage for entry in document.trace]


def test_dates_cli_json() -> None:
    result = CliRunner().invoke(
        app, ["date", "last night", "--published", FRIDAY_MORNING, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["start"] == "2013-01-24"


def test_dates_cli_bad_published() -> None:
    result = CliRunner().invoke(app, ["date", "yesterday", "--published", "soon"])
    assert result.exit_code == 2
    assert "--published" in result.output
