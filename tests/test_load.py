"""Tests for strife.load: files, standard input, refusals, decoding and page kind.

Every page here is a short one written for these tests.
"""

from __future__ import annotations

import gzip
import io
import random
import time
from pathlib import Path

import pytest

from strife.document import Document
from strife.errors import (
    BinaryInputError,
    EmptyInputError,
    InputError,
    NotFoundError,
    TooLargeError,
)
from strife.load import expand_inputs, load_page
from strife.settings import Settings

ARTICLE_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Curfew lifted in Port Aldane</title></head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World</a></nav>
<article>
<h1>Curfew lifted in Port Aldane after three quiet nights</h1>
<p>Authorities in Port Aldane lifted the overnight curfew on Sunday, five days after
protests over fuel prices left at least six people injured.</p>
<p>The regional governor said markets would reopen on Monday. Opposition groups said
eleven activists were still being held.</p>
</article>
</body>
</html>
"""

ARTICLE_TEXT = """Curfew lifted in Port Aldane after three quiet nights

Authorities in Port Aldane lifted the overnight curfew on Sunday, five days after
protests over fuel prices left at least six people injured.
"""

ARABIC_PAGE = """<html><head>{meta}<title>اشتباكات قرب الحدود</title></head>
<body><p>قال مسؤولون محليون إن ثلاثة أشخاص قتلوا في اشتباكات بالقرب من الحدود يوم الثلاثاء،
بينما أفاد سكان بسماع انفجارات طوال الليل.</p></body></html>
"""


def _write(folder: Path, name: str, data: bytes) -> str:
    path = folder / name
    path.write_bytes(data)
    return str(path)


def _codes(document: Document) -> list[str]:
    return [problem.code for problem in document.problems]


# --- reading files and standard input ----------------------------------------------------


def test_load_html_file(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "curfew.html", ARTICLE_HTML.encode())

    document = load_page(location, settings=settings)

    assert document.page_kind == "html"
    assert document.page_text == ARTICLE_HTML
    assert document.problems == []
    assert set(document.input.to_dict()) == {"path", "sha256"}
    assert document.input.to_dict()["path"] == location


def test_load_text_file(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "curfew.txt", ARTICLE_TEXT.encode())

    document = load_page(location, settings=settings)

    assert document.page_kind == "text"
    assert document.page_text == ARTICLE_TEXT
    assert document.problems == []


def test_load_gz_file_is_unpacked(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "curfew.html.gz", gzip.compress(ARTICLE_HTML.encode()))

    document = load_page(location, settings=settings)

    assert document.page_kind == "html"
    assert document.page_text == ARTICLE_HTML
    assert document.input.location == location


def test_load_gz_file_that_is_not_gzip(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "curfew.html.gz", ARTICLE_HTML.encode())

    with pytest.raises(InputError, match="not a valid gzip file") as info:
        load_page(location, settings=settings)

    assert info.value.source == location


def test_load_stdin(settings: Settings) -> None:
    document = load_page("-", settings=settings, stdin=io.BytesIO(ARTICLE_TEXT.encode()))

    assert document.page_text == ARTICLE_TEXT
    assert document.page_kind == "text"
    assert document.input.to_dict()["path"] == "-"


def test_load_missing_file(tmp_path: Path, settings: Settings) -> None:
    location = str(tmp_path / "no-such-story.html")

    with pytest.raises(NotFoundError) as info:
        load_page(location, settings=settings)

    assert info.value.code == "E104"
    assert info.value.exit_code == 3
    assert location in str(info.value)


def test_load_folder(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(InputError, match="folder") as info:
        load_page(str(tmp_path), settings=settings)

    assert info.value.code == "E100"
    assert str(tmp_path) in str(info.value)


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "what"),
    [(b"", "empty"), (b" \n\t\r\n  \n", "white space")],
    ids=["empty", "whitespace"],
)
def test_load_empty_page(tmp_path: Path, settings: Settings, data: bytes, what: str) -> None:
    location = _write(tmp_path, "blank.html", data)

    with pytest.raises(EmptyInputError, match=what) as info:
        load_page(location, settings=settings)

    assert info.value.code == "E101"
    assert location in str(info.value)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "PNG"),
    ],
    ids=["pdf", "png"],
)
def test_load_binary_format(tmp_path: Path, settings: Settings, data: bytes, name: str) -> None:
    location = _write(tmp_path, "story.html", data)

    with pytest.raises(BinaryInputError, match=name) as info:
        load_page(location, settings=settings)

    assert info.value.code == "E102"
    assert location in str(info.value)


def test_load_random_bytes(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "story.html", random.Random(1303).randbytes(4096))

    with pytest.raises(BinaryInputError, match="control characters"):
        load_page(location, settings=settings)


def test_load_too_large_file(tmp_path: Path, tight_settings: Settings) -> None:
    location = _write(tmp_path, "long.txt", b"Talks resumed on Friday. " * 50)

    with pytest.raises(TooLargeError, match="max_page_bytes") as info:
        load_page(location, settings=tight_settings)

    assert info.value.code == "E103"
    assert "1,000 bytes" in info.value.message


def test_load_file_at_the_limit(tmp_path: Path, tight_settings: Settings) -> None:
    location = _write(tmp_path, "exact.txt", b"x" * 999 + b"\n")

    assert len(load_page(location, settings=tight_settings).page_text) == 1000


def test_load_too_large_stdin(tight_settings: Settings) -> None:
    stream = io.BytesIO(b"Talks resumed on Friday. " * 50)

    with pytest.raises(TooLargeError):
        load_page("-", settings=tight_settings, stdin=stream)


def test_load_gzip_bomb(tmp_path: Path, tight_settings: Settings) -> None:
    """A small .gz that unpacks past the limit is refused without unpacking it all."""
    packed = gzip.compress(b" " * 5_000_000)
    assert len(packed) < 10_000
    location = _write(tmp_path, "bomb.html.gz", packed)

    with pytest.raises(TooLargeError) as info:
        load_page(location, settings=tight_settings)

    assert info.value.source == location


# --- decoding ----------------------------------------------------------------------------


def test_load_invalid_utf8_keeps_the_good_characters(tmp_path: Path, settings: Settings) -> None:
    """Regression: one bad byte in a UTF-8 page used to send it to the guesser, which
    garbled every accent ("RÃĐsidents", decoded as iso8859_10)."""
    good = "<p>Des résidents de Gao ont signalé des tirs près de l\u2019aéroport mardi soir.</p>"
    location = _write(tmp_path, "gao.html", good.encode() + b"\xc3")  # cut mid-character

    document = load_page(location, settings=settings)

    assert document.page_text == good + "\ufffd"
    assert _codes(document) == ["W102"]


def test_load_undeclared_cp1252(tmp_path: Path, settings: Settings) -> None:
    page = (
        "<html><body><p>The minister called the talks “constructive” but said the "
        "ceasefire\u2019s terms had not been met — residents reported shelling overnight.</p>"
        "</body></html>"
    )
    location = _write(tmp_path, "talks.html", page.encode("cp1252"))

    document = load_page(location, settings=settings)

    assert document.page_text == page
    assert _codes(document) == ["W101"]
    assert "cp1252" in document.problems[0].message


def test_load_undeclared_cp1252_wins_a_tie(tmp_path: Path, settings: Settings) -> None:
    """Regression: cp1250 scored the same as cp1252 here and won, giving "Peńa"."""
    page = (
        "<p>Mayor Peña said the Río Seco curfew would end on Monday, after “three calm nights”.</p>"
    )
    location = _write(tmp_path, "curfew.html", page.encode("cp1252"))

    document = load_page(location, settings=settings)

    assert document.page_text == page
    assert _codes(document) == ["W101"]


@pytest.mark.parametrize(
    ("meta", "codes"),
    [('<meta charset="windows-1256">', []), ("", ["W101"])],
    ids=["declared", "undeclared"],
)
def test_load_cp1256_arabic(
    tmp_path: Path, settings: Settings, meta: str, codes: list[str]
) -> None:
    page = ARABIC_PAGE.format(meta=meta)
    location = _write(tmp_path, "border.html", page.encode("cp1256"))

    document = load_page(location, settings=settings)

    assert document.page_text == page
    assert document.page_kind == "html"
    assert _codes(document) == codes


def test_load_utf8_bom(tmp_path: Path, settings: Settings) -> None:
    location = _write(tmp_path, "curfew.html", b"\xef\xbb\xbf" + ARTICLE_HTML.encode())

    document = load_page(location, settings=settings)

    assert document.page_text == ARTICLE_HTML
    assert document.page_kind == "html"
    assert document.problems == []


def test_load_utf16_html(tmp_path: Path, settings: Settings) -> None:
    """Regression: UTF-16 pages were sniffed as bytes, so they came out as plain text
    and, with </html> invisible between NUL bytes, as truncated."""
    location = _write(tmp_path, "curfew.html", ARTICLE_HTML.encode("utf-16"))

    document = load_page(location, settings=settings)

    assert document.page_text == ARTICLE_HTML
    assert document.page_kind == "html"
    assert document.problems == []


def test_load_meta_utf16_label_on_a_utf8_page(tmp_path: Path, settings: Settings) -> None:
    """Regression: an ASCII-readable page labelled UTF-16 was decoded as UTF-16 (CJK noise)."""
    page = ARTICLE_HTML.replace('charset="utf-8"', 'charset="utf-16"') + " "
    assert len(page.encode()) % 2 == 0  # an odd length would have failed, hiding the bug
    location = _write(tmp_path, "curfew.html", page.encode())

    document = load_page(location, settings=settings)

    assert document.page_text == page


# --- page kind and truncation ------------------------------------------------------------


def test_load_script_only_page_is_html(tmp_path: Path, settings: Settings) -> None:
    """Regression: two <script> tags fell under the three-tag threshold and the page
    went down the plain-text path, code and all."""
    page = (
        '<script src="/static/app.js"></script>\n'
        '<script>window.__STATE__ = {"story": "curfew-lifted"};</script>\n'
    )
    location = _write(tmp_path, "shell.html", page.encode())

    document = load_page(location, settings=settings)

    assert document.page_kind == "html"
    assert document.page_text == page


def test_load_truncated_html(tmp_path: Path, settings: Settings) -> None:
    cut = ARTICLE_HTML[: ARTICLE_HTML.index("The regional governor")]
    location = _write(tmp_path, "cut.html", cut.encode())

    document = load_page(location, settings=settings)

    assert document.page_kind == "html"
    assert _codes(document) == ["W103"]


def test_load_text_page_opening_with_comments_is_fast(settings: Settings) -> None:
    """Regression: a run of leading comments made the HTML sniffing regex exponential
    (24 comments took seconds, 40 would take hours)."""
    page = "<!-- x -->" * 24 + " Talks resumed on Friday in the capital."

    started = time.perf_counter()
    document = load_page("-", settings=settings, stdin=io.BytesIO(page.encode()))

    assert time.perf_counter() - started < 1.0
    assert document.page_kind == "text"


# --- folders ------------------------------------------------------------------------------


def test_load_expand_inputs_folder(tmp_path: Path) -> None:
    """Files come out sorted and recursively; hidden files and folders are skipped."""
    (tmp_path / "b.html").write_text("b")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".draft.html").write_text("hidden")
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "c.html.gz").write_bytes(gzip.compress(b"c"))
    (tmp_path / ".git").mkdir()  # regression: files in hidden folders were yielded
    (tmp_path / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (tmp_path / "empty").mkdir()

    found = list(expand_inputs([str(tmp_path), "-", "https://example.org/story"]))

    assert found == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.html"),
        str(tmp_path / "world" / "c.html.gz"),
        "-",
        "https://example.org/story",
    ]


def test_load_expand_inputs_keeps_files_and_missing_paths(tmp_path: Path) -> None:
    page = tmp_path / "story.html"
    page.write_text("x")
    missing = str(tmp_path / "gone.html")

    assert list(expand_inputs([str(page), missing])) == [str(page), missing]


def test_load_folder_without_pages_is_reported_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "notes.toml").write_text("title = 'not a page'\n", encoding="utf-8")
    assert list(expand_inputs([str(tmp_path)])) == [str(tmp_path)]
    with pytest.raises(InputError) as caught:
        load_page(str(tmp_path), settings=Settings())
    assert "no pages" in caught.value.message


def test_load_removes_nul_characters_with_a_warning(tmp_path: Path, settings: Settings) -> None:
    path = tmp_path / "nul.txt"
    path.write_bytes(b"Blast kills 3 in Homs\x00\n\nA blast killed three people on Monday.\x00\n")

    document = load_page(str(path), settings=settings)

    assert "\x00" not in document.page_text
    assert "Homs\n\nA blast" in document.page_text
    assert [p.code for p in document.problems] == ["W105"]
