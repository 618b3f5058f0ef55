"""Tests of the article-cleaning evaluation: the shingle metric, the renderer, the data formats.

Pages here are short ones we wrote. The cleaner is replaced by a stand-in (it keeps
lines of six words or more) so that these tests check the evaluation, not the
cleaner; the ``eval`` test at the end runs the real cleaner on the real data.
"""

from __future__ import annotations

import gzip
import json
import sys
import types
from pathlib import Path

import pytest

from strife.document import Article, Document
from strife.errors import InputError, NotFoundError
from strife.evaluate import EvalReport
from strife.evaluate._render import render_visible_text
from strife.evaluate._shingles import match_shingles, score_pages
from strife.evaluate.clean import SYSTEMS, evaluate_clean
from strife.settings import Settings

SCRAPINGHUB_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "scrapinghub"

ARTICLE = "Heavy rain flooded the lower valley and closed three roads on Tuesday."
PAGE = f"""<!DOCTYPE html>
<html><head><title>Valley floods</title><style>p {{ color: red }}</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav>
<script>var hidden = "never shown";</script>
<article><p>{ARTICLE}</p></article>
<footer>Copyright Valley News</footer>
</body></html>
"""


# --- shingle metric ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gold", "extracted", "expected"),
    [
        # gold shingles {abcd, bcde}, extracted {abcd}: TP 1, FN 1 of 2
        ("a b c d e", "a b c d", (0.5, 0.0, 0.5)),
        # identical texts
        ("one two three four five", "one two three four five", (1.0, 0.0, 0.0)),
        # case is kept: "The" and "the" differ, so nothing is shared
        ("The cat sat down", "the cat sat down", (0.0, 0.5, 0.5)),
        # fewer than four tokens make one short shingle
        ("Hi there", "Hi there", (1.0, 0.0, 0.0)),
        # punctuation splits tokens: Hello world It s fine -> 2 shingles, one shared
        ("Hello, world! It's fine.", "Hello world It s", (0.5, 0.0, 0.5)),
        # empty extraction: everything is a false negative
        ("a b c d", "", (0.0, 0.0, 1.0)),
        ("", "", (0.0, 0.0, 0.0)),
    ],
    ids=["partial", "identical", "case", "short", "punctuation", "empty", "both-empty"],
)
def test_shingles_match_counts(gold: str, extracted: str, expected: tuple[float, ...]) -> None:
    assert match_shingles(gold, extracted) == pytest.approx(expected)


def test_shingles_match_counts_repeats_as_multiset() -> None:
    # gold "x y z w x y z w" has 5 shingles, xyzw twice; the extraction has xyzw once.
    # Multiset: TP 1, FN 4 -> (0.2, 0, 0.8). Sets would give TP 1, FN 3 -> (0.25, 0, 0.75).
    assert match_shingles("x y z w x y z w", "x y z w") == pytest.approx((0.2, 0.0, 0.8))


def test_shingles_score_pages_averages_per_page() -> None:
    pages = [(0.5, 0.0, 0.5), (0.0, 0.0, 1.0), (0.25, 0.5, 0.25)]
    scores = score_pages(pages)
    # precision: the empty page 2 is left out; (1 + 1/3) / 2 = 2/3
    assert scores["precision"] == pytest.approx(2 / 3)
    # recall: (0.5 + 0 + 0.5) / 3 = 1/3
    assert scores["recall"] == pytest.approx(1 / 3)
    # F1 from the means: 2 * 2/3 * 1/3 / (2/3 + 1/3) = 4/9
    assert scores["f1"] == pytest.approx(4 / 9)


def test_shingles_score_pages_without_pages_is_zero() -> None:
    assert score_pages([]) == {"f1": 0.0, "precision": 0.0, "recall": 0.0}


# --- renderer ---------------------------------------------------------------------------------


def test_render_visible_text_one_line_per_block() -> None:
    html = """<html><head><title>Not body text</title></head><body>
    <nav><ul><li><a href="/">Home</a></li><li>World</li></ul></nav>
    <script>var x = 1;</script><style>p {}</style><template><p>Later</p></template>
    <article><h1>Rain   floods&nbsp;the valley</h1>
    <p>Water rose <b>two</b> metres overnight.<br>Roads were closed.</p>
    <!-- an editor's note -->
    <noscript>Turn on scripts</noscript>
    <table><tr><td>Cell one</td><td>Cell two</td></tr></table>
    <p>   </p>
    <p><span class="dropcap">T</span>he river fell<svg><title>icon</title></svg> later.</p>
    </article>
    <footer>Copyright Valley News</footer>
    </body></html>"""
    assert render_visible_text(html).splitlines() == [
        "Home",
        "World",
        "Rain floods the valley",
        "Water rose two metres overnight.",
        "Roads were closed.",
        "Cell one",
        "Cell two",
        "The river fell later.",
        "Copyright Valley News",
    ]


def test_render_visible_text_reads_declared_charset() -> None:
    html = b'<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9 closed</p></body>'
    assert render_visible_text(html) == "Caf\u00e9 closed"


def test_render_visible_text_accepts_xml_declaration() -> None:
    html = '<?xml version="1.0" encoding="utf-8"?><html><body><p>Kept</p></body></html>'
    assert render_visible_text(html) == "Kept"


@pytest.mark.parametrize("html", ["", "   ", "<!-- nothing -->", b""], ids=repr)
def test_render_visible_text_empty_page(html: str | bytes) -> None:
    assert render_visible_text(html) == ""


# --- data sets, with a stand-in cleaner --------------------------------------------------------


def _stand_in_clean(document: Document, *, settings: Settings) -> Document:
    """Keep lines of six words or more; fail on pages that say FAIL."""
    if "FAIL" in document.page_text:
        raise RuntimeError("stand-in cleaner refused the page")
    text = document.page_text
    if document.page_kind == "html":
        text = render_visible_text(text)
    lines = [line for line in text.splitlines() if len(line.split()) >= 6]
    document.article = Article(text="\n".join(lines))
    return document


@pytest.fixture
def stand_in_cleaner(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("strife.clean")
    module.clean_document = _stand_in_clean  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "strife.clean", module)


def _write_scrapinghub(folder: Path, pages: dict[str, bytes], bodies: dict[str, str]) -> Path:
    (folder / "html").mkdir(parents=True)
    gold = {key: {"articleBody": bodies[key], "url": f"https://example.org/{key}"} for key in pages}
    (folder / "ground-truth.json").write_text(json.dumps(gold), encoding="utf-8")
    for key, raw in pages.items():
        (folder / "html" / f"{key}.html.gz").write_bytes(gzip.compress(raw))
    return folder


def _write_evaldata(folder: Path) -> Path:
    (folder / "cache").mkdir(parents=True)
    (folder / "cache" / "floods.html").write_text(PAGE, encoding="utf-8")
    gold = {
        "https://example.org/floods": {
            "file": "floods.html",
            "with": ["closed three  roads on Tuesday"],
            "without": ["Copyright Valley News"],
            "title": "Valley floods",
            "author": None,
            "date": "2024-03-05",
        }
    }
    (folder / "evaldata.json").write_text(json.dumps(gold), encoding="utf-8")
    return folder


@pytest.mark.usefixtures("stand_in_cleaner")
def test_evaluate_clean_scrapinghub_format(tmp_path: Path) -> None:
    folder = _write_scrapinghub(
        tmp_path / "shub", {"page1": PAGE.encode("utf-8")}, {"page1": ARTICLE}
    )
    calls: list[tuple[int, int]] = []
    report = evaluate_clean(folder, settings=Settings(), progress=lambda *a: calls.append(a))
    assert report.dataset == "scrapinghub:shub"
    assert report.n == 1
    assert calls == [(1, 1)]
    assert list(report.systems) == list(SYSTEMS)
    assert report.systems["strife"]["f1"] == pytest.approx(1.0)
    assert report.systems["strife_text"]["f1"] == pytest.approx(1.0)
    # keep_everything: Home World Sport + 12 article tokens + Copyright Valley News = 18 tokens,
    # 15 shingles, of which the 9 article shingles are in the gold.
    keep = report.systems["keep_everything"]
    assert keep["recall"] == pytest.approx(1.0)
    assert keep["precision"] == pytest.approx(9 / 15)
    assert set(report.systems["trafilatura"]) == {
        "f1",
        "precision",
        "recall",
        "pages_per_second",
        "empty_pages",
    }
    assert report.failures == {}


@pytest.mark.usefixtures("stand_in_cleaner")
def test_evaluate_clean_evaldata_format(tmp_path: Path) -> None:
    report = evaluate_clean(_write_evaldata(tmp_path / "tests"), settings=Settings())
    assert report.dataset == "evaldata:tests"
    assert report.n == 1
    assert report.systems["strife"]["precision"] == pytest.approx(1.0)
    assert report.systems["strife"]["recall"] == pytest.approx(1.0)
    # keep_everything keeps the snippet (TP) and the footer (FP): P 1/2, R 1, F1 2/3
    keep = report.systems["keep_everything"]
    assert (keep["precision"], keep["recall"]) == pytest.approx((0.5, 1.0))
    assert keep["f1"] == pytest.approx(2 / 3)


def test_evaluate_clean_detects_neither_format(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    with pytest.raises(InputError, match=r"neither ground-truth\.json"):
        evaluate_clean(tmp_path, settings=Settings())


def test_evaluate_clean_detects_both_formats_as_unclear(tmp_path: Path) -> None:
    (tmp_path / "ground-truth.json").write_text("{}", encoding="utf-8")
    (tmp_path / "evaldata.json").write_text("{}", encoding="utf-8")
    with pytest.raises(InputError, match="format is unclear"):
        evaluate_clean(tmp_path, settings=Settings())


def test_evaluate_clean_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="no such folder"):
        evaluate_clean(tmp_path / "absent", settings=Settings())


def test_evaluate_clean_bad_gold_json(tmp_path: Path) -> None:
    (tmp_path / "ground-truth.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read as JSON"):
        evaluate_clean(tmp_path, settings=Settings())


@pytest.mark.usefixtures("stand_in_cleaner")
def test_evaluate_clean_page_failures_do_not_stop_the_run(tmp_path: Path) -> None:
    pages = {"a-good": PAGE.encode("utf-8"), "b-refused": PAGE.replace("Home", "FAIL").encode()}
    folder = _write_scrapinghub(tmp_path, pages, dict.fromkeys(pages, ARTICLE))
    (folder / "html" / "c-broken.html.gz").write_bytes(b"not gzip at all")
    gold = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    gold["c-broken"] = {"articleBody": ARTICLE}
    (folder / "ground-truth.json").write_text(json.dumps(gold), encoding="utf-8")

    report = evaluate_clean(folder, settings=Settings())

    assert report.n == 3
    assert [message.split(":")[0] for message in report.failures["input"]] == ["c-broken"]
    assert [message.split(":")[0] for message in report.failures["strife"]] == ["b-refused"]
    assert report.systems["strife"]["empty_pages"] == 2.0
    # recall over the 3 pages: 1, 0, 0; precision only over the page with output
    assert report.systems["strife"]["recall"] == pytest.approx(1 / 3)
    assert report.systems["strife"]["precision"] == pytest.approx(1.0)
    assert "failures" in report.to_dict()


@pytest.mark.usefixtures("stand_in_cleaner")
def test_evaluate_clean_limit(tmp_path: Path) -> None:
    pages = {f"p{index}": PAGE.encode("utf-8") for index in range(3)}
    folder = _write_scrapinghub(tmp_path, pages, dict.fromkeys(pages, ARTICLE))
    assert evaluate_clean(folder, settings=Settings(), limit=2).n == 2


def test_evaluate_report_to_dict_rounds_and_omits_empty_failures() -> None:
    report = EvalReport("scrapinghub:x", 2, 1.234567, {"strife": {"f1": 0.123456789}})
    assert report.to_dict() == {
        "dataset": "scrapinghub:x",
        "n": 2,
        "seconds": 1.2346,
        "systems": {"strife": {"f1": 0.1235}},
    }


# --- the real data ----------------------------------------------------------------------------


@pytest.mark.eval
@pytest.mark.skipif(
    not SCRAPINGHUB_DATA.is_dir(),
    reason=f"evaluation data not found at {SCRAPINGHUB_DATA} (../shared/eval from the repo root)",
)
def test_evaluate_clean_on_scrapinghub_sample() -> None:
    report = evaluate_clean(SCRAPINGHUB_DATA, settings=Settings(), limit=10)
    assert report.n == 10
    assert report.failures.get("input", []) == []
    for name in SYSTEMS:
        metrics = report.systems[name]
        assert 0.0 <= metrics["precision"] <= 1.0
        assert 0.0 <= metrics["recall"] <= 1.0
        assert metrics["pages_per_second"] > 0
    # keeping everything finds nearly all the gold text; trafilatura is far more precise
    assert report.systems["keep_everything"]["recall"] > 0.9
    assert (
        report.systems["trafilatura"]["precision"] > report.systems["keep_everything"]["precision"]
    )
