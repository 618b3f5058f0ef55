"""Tests for strife.pipeline: the order check, the return check and the batch error policy.

Stages here are small stand-ins behind the real Stage interface, except where the
clean stage's own trace is the point.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from strife.clean import CleanStage
from strife.document import Article, Document, PageInput
from strife.errors import (
    EmptyInputError,
    InputError,
    NotFoundError,
    SettingsError,
    StageError,
)
from strife.load import document_from_bytes
from strife.pipeline import Pipeline
from strife.settings import Settings

if TYPE_CHECKING:
    from conftest import WrittenPage

STORY = (
    b"Shelling hits Korsk market\n\n"
    b"Shelling hit the eastern market of Korsk early on Sunday, killing three people, "
    b"the city administration said.\n\n"
    b"Stallholders said the fire burned for two hours before crews from the "
    b"neighbouring district arrived.\n"
)


@dataclass
class FakeStage:
    """A stage that runs ``action`` on the document and returns what it returns."""

    name: str
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()
    version: str = "1"
    action: Any = None
    seen: list[str] = field(default_factory=list)

    def __call__(self, document: Document, *, settings: Settings) -> Any:
        self.seen.append(document.input.location)
        if self.action is None:
            return document
        return self.action(document)


def _document(location: str = "korsk.txt", raw: bytes = STORY) -> Document:
    return document_from_bytes(PageInput(location, raw))


def _headline(document: Document) -> Document:
    document.article = Article(text=document.page_text, title=document.page_text.split("\n")[0])
    return document


def _raise(exc: Exception) -> Any:
    def action(document: Document) -> Document:
        raise exc

    return action


# --- building: the order check ----------------------------------------------------------------


def test_pipeline_refuses_stage_whose_requirement_no_earlier_stage_assigns() -> None:
    summarise = FakeStage("summarise", requires=("article",))

    with pytest.raises(SettingsError, match=r"'summarise' needs article"):
        Pipeline([summarise])


def test_pipeline_refuses_requirement_assigned_only_by_a_later_stage() -> None:
    summarise = FakeStage("summarise", requires=("article",))
    headline = FakeStage("headline", requires=("page_text",), assigns=("article",))

    with pytest.raises(SettingsError, match="summarise"):
        Pipeline([summarise, headline])
    assert Pipeline([headline, summarise]).stages == [headline, summarise]


def test_pipeline_accepts_fields_the_loader_fills() -> None:
    stage = FakeStage("peek", requires=("input", "page_text", "page_kind"))

    assert Pipeline([stage]).stages == [stage]


def test_pipeline_accepts_the_clean_stage_on_loaded_documents() -> None:
    clean = CleanStage()
    after = FakeStage("after-clean", requires=("article",))

    assert Pipeline([clean, after]).stages == [clean, after]


# --- run(): one document, errors raised -------------------------------------------------------


def test_pipeline_run_passes_the_document_through_each_stage(settings: Settings) -> None:
    first = FakeStage("headline", assigns=("article",), action=_headline)
    second = FakeStage("check", requires=("article",))

    document = Pipeline([first, second]).run(_document(), settings=settings)

    assert document.article is not None
    assert document.article.title == "Shelling hits Korsk market"
    assert first.seen == second.seen == ["korsk.txt"]


def test_pipeline_run_wraps_unexpected_exception_in_stage_error(settings: Settings) -> None:
    broken = FakeStage("tagger", action=_raise(KeyError("missing lexicon entry")))
    never = FakeStage("never")

    with pytest.raises(StageError) as caught:
        Pipeline([broken, never]).run(_document(), settings=settings)

    error = caught.value
    assert error.stage == "tagger"
    assert error.source == "korsk.txt"
    assert error.document_id == _document().id
    assert "tagger" in error.message
    assert "KeyError" in error.message
    assert isinstance(error.__cause__, KeyError)
    assert str(error).endswith("[E300]")
    assert never.seen == []


def test_pipeline_run_lets_strife_errors_through_unwrapped(settings: Settings) -> None:
    refusal = InputError("the page is a login form", source="korsk.txt")
    stage = FakeStage("gate", action=_raise(refusal))

    with pytest.raises(InputError) as caught:
        Pipeline([stage]).run(_document(), settings=settings)

    assert caught.value is refusal


@pytest.mark.parametrize(
    ("returned", "type_name"),
    [(None, "NoneType"), ({"article": None}, "dict"), (Article(), "Article")],
    ids=["none", "dict", "article"],
)
def test_pipeline_run_refuses_a_stage_that_returns_no_document(
    settings: Settings, returned: object, type_name: str
) -> None:
    stage = FakeStage("forgetful", action=lambda document: returned)

    with pytest.raises(StageError, match=rf"forgetful returned {type_name}, not a Document") as c:
        Pipeline([stage]).run(_document(), settings=settings)

    assert c.value.stage == "forgetful"


def test_pipeline_run_records_clean_stage_trace(settings: Settings) -> None:
    document = Pipeline([CleanStage()]).run(_document(), settings=settings)

    assert [(entry.stage, entry.version) for entry in document.trace] == [
        (CleanStage.name, CleanStage.version)
    ]
    assert document.trace[0].seconds >= 0
    assert document.to_dict()["trace"][0]["stage"] == "clean"
    assert document.article is not None


# --- run_many(): a stream of pages, errors recorded -------------------------------------------


def test_pipeline_run_many_carries_on_after_bad_pages(
    tmp_path: Path, settings: Settings, article_page: WrittenPage, short_page: WrittenPage
) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    missing = tmp_path / "missing.html"
    locations = [str(article_page.path), str(missing), str(empty), str(short_page.path)]

    results = list(Pipeline([CleanStage()]).run_many(locations, settings=settings))

    assert [result.location for result in results] == locations
    good = [results[0], results[3]]
    for result, page in zip(good, (article_page, short_page), strict=True):
        assert result.error is None
        assert result.document is not None
        assert result.document.article is not None
        assert result.document.article.title == page.title
    assert results[1].document is None
    assert isinstance(results[1].error, NotFoundError)
    assert results[2].document is None
    assert isinstance(results[2].error, EmptyInputError)
    assert results[2].error.source == str(empty)


def test_pipeline_run_many_records_a_stage_crash_on_that_page_only(
    tmp_path: Path, settings: Settings
) -> None:
    def choke_on_curfew(document: Document) -> Document:
        if "curfew" in document.page_text:
            raise ValueError("unbalanced quotation marks")
        return document

    pages = []
    for name, text in (
        ("a.txt", "Traders in Korsk reopened their stalls on Monday after the shelling."),
        ("b.txt", "A night curfew was imposed on the old town of Korsk after the attack."),
        ("c.txt", "Aid agencies said two field kitchens were set up near the market."),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        pages.append(str(tmp_path / name))
    stage = FakeStage("quotes", action=choke_on_curfew)

    results = list(Pipeline([stage]).run_many(pages, settings=settings))

    assert [result.error is None for result in results] == [True, False, True]
    error = results[1].error
    assert isinstance(error, StageError)
    assert error.stage == "quotes"
    assert error.source == pages[1]
    assert error.document_id is not None
    assert len(error.document_id) == 16
    assert "unbalanced quotation marks" in error.message
    assert stage.seen == pages


def test_pipeline_run_many_reports_a_loader_bug_without_stopping(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from strife import pipeline

    good = tmp_path / "korsk.txt"
    good.write_bytes(STORY)
    real_load = pipeline.load_page

    def flaky_load(location: str, **kwargs: Any) -> Document:
        if location.endswith("odd.txt"):
            raise UnicodeError("codec state lost")
        return real_load(location, **kwargs)

    monkeypatch.setattr(pipeline, "load_page", flaky_load)

    results = list(Pipeline([]).run_many([str(tmp_path / "odd.txt"), str(good)], settings=settings))

    assert isinstance(results[0].error, StageError)
    assert results[0].error.stage == "load"
    assert "UnicodeError: codec state lost" in results[0].error.message
    assert results[1].error is None
    assert results[1].document is not None


def test_pipeline_run_many_reads_dash_from_the_given_stream(settings: Settings) -> None:
    stream = io.BytesIO(STORY)

    (result,) = Pipeline([CleanStage()]).run_many(["-"], settings=settings, stdin=stream)

    assert result.error is None
    assert result.document is not None
    assert result.document.input.location == "-"
    assert result.document.trace[0].stage == "clean"


def test_pipeline_run_many_is_lazy(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "a.txt").write_bytes(STORY)
    stage = FakeStage("count")
    locations = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]

    stream = Pipeline([stage]).run_many(locations, settings=settings)
    first = next(stream)

    assert first.error is None
    assert stage.seen == [locations[0]]  # the second page is not read before it is asked for


@dataclass
class BatchStage(FakeStage):
    """A stage that also takes whole batches, and counts how it was called."""

    batches: list[int] = field(default_factory=list)

    def pipe(self, documents: list[Document], *, settings: Settings) -> list[Any]:
        self.batches.append(len(documents))
        return [self(document, settings=settings) for document in documents]


def test_pipeline_run_batch_gives_a_batch_stage_the_whole_batch(settings: Settings) -> None:
    stage = BatchStage("read")
    documents = [_document(f"page{n}.txt") for n in range(3)]
    results = Pipeline([stage]).run_batch(documents, settings=settings)
    assert stage.batches == [3]
    assert [r.location for r in results] == ["page0.txt", "page1.txt", "page2.txt"]
    assert all(r.error is None for r in results)


def test_pipeline_run_batch_finds_the_page_at_fault(settings: Settings) -> None:
    def choke_on_page1(document: Document) -> Document:
        if document.input.location == "page1.txt":
            raise ValueError("unreadable parse")
        return document

    stage = BatchStage("read", action=choke_on_page1)
    documents = [_document(f"page{n}.txt") for n in range(3)]
    results = Pipeline([stage]).run_batch(documents, settings=settings)
    assert [r.error is None for r in results] == [True, False, True]
    error = results[1].error
    assert isinstance(error, StageError)
    assert error.stage == "read"


def test_pipeline_run_many_keeps_order_across_batches_and_load_failures(
    tmp_path: Path, settings: Settings
) -> None:
    pages = []
    for n in range(5):
        page = tmp_path / f"page{n}.txt"
        page.write_bytes(STORY if n != 2 else b"")  # page2 is empty: a load failure
        pages.append(str(page))
    results = list(Pipeline([FakeStage("clean")]).run_many(pages, settings=settings, batch_size=2))
    assert [r.location for r in results] == pages
    assert [r.error is None for r in results] == [True, True, False, True, True]
