"""The read stage: which passages are parsed, their offsets, and a missing model."""

from __future__ import annotations

from typing import Any

import pytest

from strife.document import Article, Document, PageInput
from strife.errors import SetupError
from strife.read import candidate_passages, load_nlp, read_documents
from strife.settings import Settings


def test_read_candidate_passages_keep_offsets_and_neighbours() -> None:
    text = (
        "The festival opened with music. Crowds filled the square. "
        'Gunmen fired on a bus near the bridge, police said. "We saw them run," a driver said. '
        "The rain stopped at noon.\n\nBread prices rose again this week."
    )
    passages = candidate_passages(text)
    assert passages
    for offset, passage in passages:
        assert text[offset : offset + len(passage)] == passage
    parsed = " ".join(passage for _, passage in passages)
    assert "Gunmen fired on a bus" in parsed
    assert "We saw them run" in parsed  # the neighbour that names the speaker comes along
    assert "Bread prices" not in parsed  # nothing of violence, no number: not parsed


def test_read_parses_english_and_skips_other_languages(nlp: Any) -> None:
    english = Document(input=PageInput("en", b"x"))
    english.article = Article(
        text="Soldiers shelled the village, killing four people.", language="en"
    )
    french = Document(input=PageInput("fr", b"y"))
    french.article = Article(text="Des soldats ont tué quatre personnes.", language="fr")
    done = list(read_documents([english, french], settings=Settings()))
    assert len(done[0].parsed) == 1
    offset, doc = done[0].parsed[0]
    assert offset == 0
    assert doc.text == english.article.text
    assert done[1].parsed == []


def test_read_without_a_model_says_how_to_install_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import strife.read

    load_nlp.cache_clear()
    monkeypatch.setattr(strife.read, "MODEL_MODULES", ("no_such_model_package",))
    try:
        with pytest.raises(SetupError) as caught:
            load_nlp()
        assert "requirements/model.txt" in caught.value.message
        assert caught.value.exit_code == 4
    finally:
        load_nlp.cache_clear()
