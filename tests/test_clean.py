"""The clean stage on pages we wrote, on the example page, and on hand-made blocks."""

from __future__ import annotations

import gzip
import tomllib
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest

from strife.clean import clean_document
from strife.clean.chrome import is_chrome, word_count
from strife.clean.metadata import (
    find_publisher,
    is_item_stamp,
    parse_byline,
    parse_timestamp,
    split_caption,
    split_leading_stamp,
)
from strife.document import Article, Document, PageInput
from strife.evaluate.seed import check_article, load_gold
from strife.load import document_from_bytes, load_page
from strife.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
PAGE_DIRS = (ROOT / "examples" / "pages", ROOT / "tests" / "pages")
SEED = ROOT.parent / "shared" / "seed" / "independent-2012-03-12-homs.txt"
SEED_GOLD = SEED.with_name("independent-2012-03-12-homs.gold.json")


def _expected_pages() -> list[Path]:
    return sorted(p for folder in PAGE_DIRS for p in folder.glob("*.expect.toml"))


def _page_for(expect: Path) -> Path:
    stem = expect.name.removesuffix(".expect.toml")
    matches = [p for p in expect.parent.glob(stem + ".*") if not p.name.endswith(".toml")]
    assert len(matches) == 1, f"{expect.name} needs exactly one page beside it"
    return matches[0]


def _clean(path: Path) -> Document:
    settings = Settings()
    return clean_document(load_page(str(path), settings=settings), settings=settings)


def _clean_text(text: str, *, kind: str = "text/plain") -> Article:
    document = document_from_bytes(PageInput("inline", text.encode("utf-8"), content_type=kind))
    article = clean_document(document, settings=Settings()).article
    assert article is not None
    return article


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


@pytest.mark.parametrize("expect", _expected_pages(), ids=lambda p: p.name.split(".")[0])
def test_clean_page_matches_expectations(expect: Path) -> None:
    wanted: dict[str, Any] = tomllib.loads(expect.read_text(encoding="utf-8"))
    document = _clean(_page_for(expect))
    article = document.article
    assert article is not None
    for key in ("title", "subtitle", "publisher", "language"):
        if key in wanted:
            assert _norm(getattr(article, key)) == _norm(wanted[key]), key
    for author in wanted.get("authors", []):
        assert author in article.authors
    if "published" in wanted:
        assert article.published is not None
        assert article.published.isoformat() == wanted["published"]
    for caption in wanted.get("captions", []):
        assert any(
            c.text.startswith(caption["text"]) and c.credit == caption.get("credit")
            for c in article.captions
        ), caption
    for snippet in wanted.get("text_must_include", []):
        assert snippet in article.text, snippet
    for snippet in wanted.get("text_must_exclude", []):
        assert snippet not in article.text, snippet
    assert sorted({p.code for p in document.problems}) == sorted(wanted.get("warnings", []))


@pytest.mark.eval
@pytest.mark.skipif(not SEED.exists(), reason="../shared/seed is not beside the project")
def test_clean_seed_page_passes_every_article_check() -> None:
    document = _clean(SEED)
    assert document.article is not None
    checks = check_article(document.article, load_gold(SEED_GOLD))
    assert len(checks) >= 20
    assert [c for c in checks if not c.passed] == []
    assert "\n\n" in document.article.text  # paragraphs separated by a blank line


def test_clean_text_keeps_boilerplate_aside_and_loses_no_line() -> None:
    page = (
        "Menu\nSearch\nSign in\n\n"
        "Flooding forces thousands from homes in river delta\n\n"
        "By Lena Hoffmann\n"
        "Friday 3 May 2024 09:10 CEST\n\n"
        "Floodwaters rose across the delta overnight, forcing more than 6,000 people to leave "
        "their homes, the regional emergency office said on Friday morning.\n\n"
        "Army engineers were building a temporary dam near the main bridge, and two schools "
        "were turned into shelters for families from the lowest villages.\n\n"
        "Sign up for our newsletter\n"
        "Privacy policy | Terms of use\n"
    )
    article = _clean_text(page)
    assert article.title == "Flooding forces thousands from homes in river delta"
    assert article.authors == ["Lena Hoffmann"]
    assert isinstance(article.published, datetime)
    assert article.published.isoformat() == "2024-05-03T09:10:00+02:00"
    assert article.text.startswith("Floodwaters rose across the delta overnight")
    assert article.text.endswith("families from the lowest villages.")
    kept = {article.title, *article.authors, *article.boilerplate, *article.text.split("\n\n")}
    for line in ("Menu", "Search", "Sign in", "Sign up for our newsletter"):
        assert line in kept


@pytest.mark.parametrize(
    ("stamp", "day"),
    [
        ("Published July 4 2015", "2015-07-04"),
        ("Date of publication 3 October 2017", "2017-10-03"),
        ("Tuesday 12 July 2016 -", "2016-07-12"),
        ("05.10.2017", "2017-10-05"),
    ],
)
def test_clean_text_takes_a_date_run_into_the_first_paragraph(stamp: str, day: str) -> None:
    sentence = "An explosion at a mosque killed 25 people. Rescuers searched the rubble."
    page = f"Blast kills 25 at a mosque\n\n{stamp} {sentence}\n"

    article = _clean_text(page)

    assert isinstance(article.published, datetime)
    assert article.published.date().isoformat() == day
    assert article.text == sentence
    assert stamp in article.boilerplate


@pytest.mark.parametrize(
    "lead", ["On 3 October 2017 a car bomb exploded.", "12 July 2016 was the deadliest day."]
)
def test_clean_text_leaves_a_date_that_is_part_of_the_sentence(lead: str) -> None:
    assert split_leading_stamp(lead) is None


def test_clean_text_joins_hard_wrapped_paragraphs() -> None:
    body = (
        "Gunmen attacked a police checkpoint on the northern highway late on Sunday,\n"
        "killing two officers and wounding a third, a provincial spokesman said in a\n"
        "statement issued on Monday morning after the area had been secured.\n\n"
        "The spokesman said the attackers fled towards the hills on motorbikes and that\n"
        "a search operation involving soldiers and police was still under way there.\n\n"
        "No group has said it carried out the attack, which follows a series of raids\n"
        "on security posts along the same road since the start of the dry season.\n\n"
        "Local officials have asked for more troops to be sent to the district before\n"
        "the elections planned for next month, citing fears of further violence there.\n"
    )
    article = _clean_text("Checkpoint attack kills two officers\n\n" + body)
    paragraphs = article.text.split("\n\n")
    assert len(paragraphs) == 4
    assert paragraphs[0].startswith("Gunmen attacked")
    assert paragraphs[0].endswith("secured.")


_FLOOD_BODY = (
    "Floodwaters rose across the delta overnight, forcing more than 6,000 people to leave "
    "their homes, the regional emergency office said on Friday morning.\n"
    "Army engineers were building a temporary dam near the main bridge, and two schools "
    "were turned into shelters for families from the lowest villages.\n"
    "The river was expected to peak on Saturday evening, the office said, and more rain "
    "was forecast for the hills upstream over the weekend.\n"
)


def test_clean_text_leaves_out_a_teaser_list_after_the_body() -> None:
    teasers = "".join(
        f"{headline}\n{summary}\nBy Staff Writer\n"
        for headline, summary in [
            (
                "Harbour Ferry Service Resumes",
                "The harbour ferry carried its first passengers in three weeks on Monday, "
                "after repairs to the landing stage were finished ahead of time.",
            ),
            (
                "New Library Opens In Old Mill",
                "Readers queued from early morning to see the library that now fills the "
                "old cotton mill by the canal, which had stood empty for decades.",
            ),
            (
                "Council Votes On Bus Fares",
                "Councillors will vote next week on a plan to freeze bus fares for a year, "
                "paid for by a new charge on parking in the town centre.",
            ),
        ]
    )
    page = "Flooding forces thousands from homes\n" + _FLOOD_BODY + "More stories\n" + teasers
    article = _clean_text(page)
    assert article.text.startswith("Floodwaters rose")
    assert article.text.endswith("over the weekend.")
    assert "harbour ferry" not in article.text


def test_clean_text_ends_the_body_before_a_comment_section() -> None:
    comments = "".join(
        f"{name} says:\nMay 4, 2024 at {time}\n{first}\n{second}\nReply\n"
        for name, time, first, second in [
            (
                "riverwatcher",
                "7:12 am",
                "We saw the same thing happen in the valley two years ago, and nobody "
                "learned anything from it at all.",
                "The dam should have been raised back then, when the money was there and "
                "everyone agreed that it was needed.",
            ),
            (
                "Mara K",
                "8:40 am",
                "My parents live two streets from the main bridge and they had to leave "
                "in the middle of the night with almost nothing.",
                "The shelter at the school was warm and the volunteers were kind, but "
                "nobody could tell them when they might go home.",
            ),
        ]
    )
    page = "Flooding forces thousands from homes\n" + _FLOOD_BODY + "2 Comments\n" + comments
    article = _clean_text(page)
    assert article.text.endswith("over the weekend.")
    assert "valley two years ago" not in article.text
    assert "main bridge and they had" not in article.text


def test_clean_text_reads_unspaced_japanese_paragraphs() -> None:
    page = (
        "ホーム\nニュース\n"
        "川の水位が夜のうちに上がり、六千人以上の住民が家を離れて避難所に移ったと地域の防災事務所が金曜日の朝に発表した。\n"
        "陸軍の技術者たちは本橋の近くで仮の堤防を築いており、二つの学校が低い村の家族のための避難所になった。\n"
        "お問い合わせ\n"
    )
    article = _clean_text(page)
    assert article.text.startswith("川の水位が")
    assert article.text.endswith("避難所になった。")
    assert "お問い合わせ" not in article.text


@pytest.mark.parametrize(
    ("text", "words"),
    [("Shelling resumed at dawn.", 4), ("川の水位が上がった。", 5), ("Python 3を使う", 4)],
)
def test_clean_word_count_counts_unspaced_text_by_pairs(text: str, words: int) -> None:
    assert word_count(text) == words


def test_clean_html_moves_figcaption_with_credit_out_of_body() -> None:
    html = (
        "<html><body><article><h1>Bridge reopens after repairs</h1>"
        "<figure><img src='b.jpg'><figcaption>The repaired bridge on Tuesday"
        "<span class='image-credit'>Photograph: Ana Ruiz/AFP</span></figcaption></figure>"
        + "".join(
            f"<p>Paragraph {n} of the report says traffic returned to the bridge slowly as "
            "engineers checked the new supports and police directed cars.</p>"
            for n in range(1, 6)
        )
        + "</article></body></html>"
    )
    article = _clean_text(html, kind="text/html")
    assert [(c.text, c.credit) for c in article.captions] == [
        ("The repaired bridge on Tuesday", "Ana Ruiz/AFP")
    ]
    assert "repaired bridge on Tuesday" not in article.text
    assert article.text.count("Paragraph") == 5


def test_clean_html_without_body_warns_and_returns_empty_text() -> None:
    document = document_from_bytes(
        PageInput(
            "scripts.html",
            b"<html><head><script>var a = 1;</script></head>"
            b"<body><script>go()</script></body></html>",
        )
    )
    document = clean_document(document, settings=Settings())
    assert document.article is not None
    assert document.article.text == ""
    codes = {p.code for p in document.problems}
    assert {"W201", "W104"} <= codes


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("Monday 12 March 2012 21:00 EDT", "2012-03-12T21:00:00-04:00"),
        ("Updated: 14 August 2023 18:45 GMT", "2023-08-14T18:45:00+00:00"),
        ("Published 2021-02-09T10:15:00+02:00", "2021-02-09T10:15:00+02:00"),
        ("March 5, 2020", "2020-03-05T00:00:00"),
    ],
)
def test_clean_parse_timestamp_keeps_the_offset(line: str, iso: str) -> None:
    parsed = parse_timestamp(line)
    assert parsed is not None
    assert parsed[0].isoformat() == iso


@pytest.mark.parametrize(
    "line",
    [
        "The ceasefire announced in March 2012 collapsed within a week after shelling resumed.",
        "Comments",
        "Page 2 of 3",
    ],
)
def test_clean_parse_timestamp_refuses_sentences_and_fragments(line: str) -> None:
    assert parse_timestamp(line) is None


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("August 8, 2018 at 3:17 pm", True),
        ("Jane Roe on 4 May 2024 at 07:52 said:", True),
        ("2 days ago", True),
        ("Friday 3 May 2024", False),
        (
            "The ceasefire announced on 12 March 2012 at 9am collapsed within a week after "
            "shelling resumed across the southern districts of the city.",
            False,
        ),
    ],
)
def test_clean_is_item_stamp(line: str, stamp: bool) -> None:
    assert is_item_stamp(line) is stamp


@pytest.mark.parametrize(
    ("line", "authors"),
    [
        ("By Jane Doe", ["Jane Doe"]),
        ("By Nadia Okafor and Tomas Lindqvist", ["Nadia Okafor", "Tomas Lindqvist"]),
        ("Ahmad al-Masri", ["Ahmad al-Masri"]),
        ("By Jean-Luc Mbala, Kinshasa", ["Jean-Luc Mbala"]),
    ],
)
def test_clean_parse_byline(line: str, authors: list[str]) -> None:
    assert parse_byline(line) == authors


@pytest.mark.parametrize(
    "line", ["Home News World", "Share this article", "Comments", "Police said 12 were hurt."]
)
def test_clean_parse_byline_refuses_non_names(line: str) -> None:
    assert parse_byline(line) is None


def test_clean_split_caption_needs_evidence_for_a_credit() -> None:
    assert split_caption("Rescuers search the rubble (AFP/Getty Images)") is not None
    repeated = split_caption(
        "Families queue for water (Lina Saad)", neighbours=["Families queue for water"]
    )
    assert repeated is not None
    assert repeated.credit == "Lina Saad"
    # An aside in brackets at the end of a sentence is not a credit.
    assert split_caption("The group was founded in 2011 (it says).") is None
    assert split_caption("He spoke to the Syrian Observatory for Human Rights (SOHR)") is None


def test_clean_split_caption_reads_a_wire_services_slashed_credit() -> None:
    caption = split_caption(
        "FILE PHOTO: Fishermen mend their nets in the harbour of Port Selwyn, May 2, 2019. "
        "REUTERS/Ana Ferreira/File Photo"
    )
    assert caption is not None
    assert caption.text.startswith("Fishermen mend their nets")
    assert caption.credit == "REUTERS/Ana Ferreira/File Photo"
    # A sentence that only names the agency is no caption.
    sentence = "Police said the gunmen fled towards the border, REUTERS reported."
    assert split_caption(sentence) is None


@pytest.mark.parametrize(
    ("text", "chrome"),
    [
        ("Sign up for our daily newsletter", True),
        ("Please refresh the page to continue", True),
        ("Your donation keeps our reporters in the field. Support us today.", True),
        ("Share this article", True),
        ("Soldiers opened fire on the crowd, killing four people, witnesses said.", False),
        (
            '"We will not leave our homes, you can tell them that," a resident told reporters '
            "as the shelling continued through the night.",
            False,
        ),
    ],
)
def test_clean_is_chrome(text: str, chrome: bool) -> None:
    assert is_chrome(text) is chrome


def test_clean_find_publisher_needs_repetition() -> None:
    blocks = [
        "Get alerts from The Valley Courier on your phone",
        "The Valley Courier is funded by its readers. Support us.",
    ]
    assert find_publisher(blocks) == "The Valley Courier"
    assert find_publisher(["Get alerts on your phone"]) is None


def test_clean_published_date_only_stays_a_date() -> None:
    html = (
        "<html><head><meta name='date' content='2020-06-01'></head><body><article>"
        + "<p>Residents of the coastal town said the storm destroyed dozens of fishing boats "
        "and cut power to most homes for two days.</p>" * 4 + "</article></body></html>"
    )
    article = _clean_text(html, kind="text/html")
    assert article.published == date(2020, 6, 1)


SCRAPINGHUB = ROOT.parent / "shared" / "eval" / "dev" / "scrapinghub"


@pytest.mark.slow
@pytest.mark.eval
@pytest.mark.skipif(not SCRAPINGHUB.exists(), reason="../shared/eval/dev/scrapinghub is absent")
def test_clean_every_real_page_both_paths_without_error() -> None:
    """Robustness, not accuracy (that is `strife eval clean`): no page makes a path fail."""
    from strife.evaluate._render import render_visible_text

    settings = Settings()
    pages = sorted((SCRAPINGHUB / "html").glob("*.html.gz"))
    assert pages
    for page in pages:
        html = document_from_bytes(PageInput(page.name, gzip.decompress(page.read_bytes())))
        article = clean_document(html, settings=settings).article
        assert article is not None
        text = render_visible_text(html.page_text).encode("utf-8")
        plain = document_from_bytes(PageInput(page.name, text, content_type="text/plain"))
        assert clean_document(plain, settings=settings).article is not None


def test_clean_text_one_paragraph_brief_keeps_its_body() -> None:
    """Regression: a lone short paragraph was outweighed by nothing and the body came out empty."""
    brief = (
        "Two soldiers were wounded when a roadside bomb exploded near the border crossing "
        "on Saturday, the army said."
    )
    article = _clean_text(f"Border blast wounds two soldiers\n\n{brief}\n")
    assert article.title == "Border blast wounds two soldiers"
    assert article.text == brief


@pytest.mark.parametrize(
    ("title", "headline"),
    [
        (
            "Shelling kills 12 in old city - Region - World - The Valley Courier",
            "Shelling kills 12 in old city",
        ),
        ("Floods cut off northern villages | Daily Meridian", "Floods cut off northern villages"),
        (
            "The long war - a timeline of the fighting since 2011",
            "The long war - a timeline of the fighting since 2011",
        ),
        ("Talks resume in Geneva", "Talks resume in Geneva"),
    ],
)
def test_clean_text_title_loses_the_sites_trail(title: str, headline: str) -> None:
    body = (
        "Delegations from both sides met on Monday for the first time in three months, "
        "officials said, and agreed to meet again next week to discuss prisoner releases."
    )
    assert _clean_text(f"{title}\n\n{body}\n").title == headline
