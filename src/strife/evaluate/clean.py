"""Evaluate article cleaning on gold data: strife beside trafilatura and two baselines.

Takes a folder in one of two formats and returns an
:class:`~strife.evaluate.EvalReport`:

- **ScrapingHub** (scrapinghub/article-extraction-benchmark): ``ground-truth.json``
  maps a page id to ``{"articleBody", "url"}``; the page is ``html/<id>.html.gz``.
  Scored with 4-token shingles, as the benchmark does (see ``_shingles.py``).
- **evaldata**, trafilatura's own set (``tests/evaldata.json`` in adbar/trafilatura):
  ``evaldata.json`` maps a URL to ``{"file", "with", "without", ...}``; the page
  is beside the JSON or under ``cache/``, ``eval/`` or ``html/``. A "with"
  snippet found in the output is a true positive and one missing a false
  negative; a "without" snippet found is a false positive (white space
  normalised on both sides, as trafilatura's ``eval_common.py`` does).
  Precision, recall and F1 come from the totals over all pages.

Every system runs on every page, one after the other, in this one process:

- ``strife``: strife's HTML path (load, then clean);
- ``trafilatura``: ``trafilatura.extract`` alone, comments excluded;
- ``strife_text``: the page rendered to its whole visible text (``_render.py``),
  then strife's plain-text path; plain-text pages have no public benchmark;
- ``keep_everything``: the same rendered text, unfiltered; the precision floor.

``pages_per_second`` counts only the time spent inside each system: loading and
cleaning for the two strife systems, the ``extract`` call for trafilatura, the
rendering for ``keep_everything``. Rendering is not charged to ``strife_text``,
which stands for a page that arrives as text. ``empty_pages`` counts the pages
where a system returned no text; the ScrapingHub metric leaves those out of
precision, so read the two together.

A page that cannot be read counts as an empty output for every system and is
listed under ``failures["input"]``; a system that raises on a page counts as an
empty output for that system and is listed under its name. Neither stops the run.
"""

from __future__ import annotations

import gzip
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from strife.document import Document, PageInput
from strife.errors import InputError, NotFoundError
from strife.evaluate import EvalReport
from strife.evaluate._render import render_visible_text as _render
from strife.evaluate._shingles import Counts, match_shingles, score_pages
from strife.load import document_from_bytes
from strife.settings import Settings

SCRAPINGHUB = "scrapinghub"
EVALDATA = "evaldata"
#: The gold file that names each format.
GOLD_FILES = {SCRAPINGHUB: "ground-truth.json", EVALDATA: "evaldata.json"}
#: Where trafilatura keeps its evaluation pages, relative to the JSON (tests/cache, tests/eval).
EVALDATA_PAGE_FOLDERS = (".", "cache", "eval", "html")
SYSTEMS = ("strife", "trafilatura", "strife_text", "keep_everything")
#: The ``failures`` key for pages no system could be given.
INPUT_FAILURES = "input"

Clean = Callable[[Document], Document]
Extract = Callable[..., str | None]


@dataclass(slots=True)
class _Page:
    """One page of the data set and its gold."""

    key: str
    file: Path
    url: str | None
    body: str = ""
    must_have: tuple[str, ...] = ()
    must_not_have: tuple[str, ...] = ()


@dataclass(slots=True)
class _Tally:
    """What one system accumulated over the pages."""

    seconds: float = 0.0
    empty: int = 0
    shingles: list[Counts] = field(default_factory=list)
    snippets: list[int] = field(default_factory=lambda: [0, 0, 0])  # TP, FP, FN


def evaluate_clean(
    path: Path,
    *,
    settings: Settings,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> EvalReport:
    """Score strife's cleaning and its baselines on a gold data set.

    Args:
        path: a folder in the ScrapingHub or the trafilatura format (see the
            module docstring), or its ``ground-truth.json``/``evaldata.json``.
        settings: passed to strife's cleaner.
        limit: score only the first ``limit`` pages, in sorted id (or URL) order.
        progress: called with (pages done, pages to do) after each page.

    Returns:
        One entry per system in ``systems``: ``f1``, ``precision``, ``recall``,
        ``pages_per_second`` and ``empty_pages``; ``dataset`` is
        ``"<format>:<folder name>"``.

    Raises:
        InputError: the folder is missing, holds neither gold file (or both),
            or its gold file is not valid JSON of the expected shape.
    """
    started = time.perf_counter()
    kind, folder = _detect_format(path)
    pages = _load_pages(kind, folder)
    if limit is not None:
        pages = pages[: max(limit, 0)]
    run = _Run(kind, *_load_systems(settings))
    for done, page in enumerate(pages, start=1):
        run.add_page(page)
        if progress is not None:
            progress(done, len(pages))
    return EvalReport(
        dataset=f"{kind}:{folder.resolve().name}",
        n=len(pages),
        seconds=time.perf_counter() - started,
        systems={name: run.metrics(name, len(pages)) for name in SYSTEMS},
        failures=run.failures,
    )


def _load_systems(settings: Settings) -> tuple[Clean, Extract]:
    # Imported when a run starts, not with this module: both pull in trafilatura,
    # and an import inside the timed calls would be charged to the first page.
    import trafilatura

    from strife.clean import clean_document

    return partial(clean_document, settings=settings), trafilatura.extract


@dataclass(slots=True)
class _Run:
    """The systems, what each has scored so far, and the failures met."""

    kind: str
    clean: Clean
    extract: Extract
    tallies: dict[str, _Tally] = field(default_factory=lambda: {name: _Tally() for name in SYSTEMS})
    failures: dict[str, list[str]] = field(default_factory=dict)

    def add_page(self, page: _Page) -> None:
        """Run every system on the page and score each output."""
        for name, text in self._extract_all(page).items():
            self._score(name, page, text)

    def metrics(self, name: str, n: int) -> dict[str, float]:
        tally = self.tallies[name]
        if self.kind == SCRAPINGHUB:
            scores = score_pages(tally.shingles)
        else:
            scores = _score_snippets(*tally.snippets)
        speed = n / tally.seconds if tally.seconds > 0 else 0.0
        return {**scores, "pages_per_second": speed, "empty_pages": float(tally.empty)}

    def _extract_all(self, page: _Page) -> dict[str, str]:
        try:
            raw = _read_page(page.file)
        except InputError as exc:
            self.failures.setdefault(INPUT_FAILURES, []).append(f"{page.key}: {exc}")
            return dict.fromkeys(SYSTEMS, "")
        from_html = partial(self._clean_bytes, raw, page=page, content_type="text/html")
        outputs = {
            "strife": self._timed("strife", page, from_html),
            "trafilatura": self._timed("trafilatura", page, partial(self._trafilatura, raw, page)),
            "keep_everything": self._timed("keep_everything", page, partial(_render, raw)),
        }
        rendered = outputs["keep_everything"].encode("utf-8")
        from_text = partial(self._clean_bytes, rendered, page=page, content_type="text/plain")
        outputs["strife_text"] = self._timed("strife_text", page, from_text)
        return outputs

    def _timed(self, name: str, page: _Page, extract: Callable[[], str]) -> str:
        """Run one system on one page; a crash is an empty output and a failure."""
        start = time.perf_counter()
        try:
            text = extract()
        except Exception as exc:  # any crash is scored as a miss, as trafilatura's eval does
            text = ""
            self.failures.setdefault(name, []).append(f"{page.key}: {type(exc).__name__}: {exc}")
        self.tallies[name].seconds += time.perf_counter() - start
        return text

    def _clean_bytes(self, raw: bytes, *, page: _Page, content_type: str) -> str:
        given = PageInput(location=str(page.file), raw=raw, content_type=content_type)
        document = self.clean(document_from_bytes(given))
        return document.article.text if document.article is not None else ""

    def _trafilatura(self, raw: bytes, page: _Page) -> str:
        return self.extract(raw, url=page.url, include_comments=False) or ""

    def _score(self, name: str, page: _Page, text: str) -> None:
        tally = self.tallies[name]
        if not text.strip():
            tally.empty += 1
        if self.kind == SCRAPINGHUB:
            tally.shingles.append(match_shingles(page.body, text))
            return
        for index, count in enumerate(_match_snippets(page, text)):
            tally.snippets[index] += count


def _match_snippets(page: _Page, text: str) -> tuple[int, int, int]:
    """(TP, FP, FN) of one page's "with"/"without" snippets in an output."""
    found = _normalise(text)
    kept = sum(1 for snippet in page.must_have if _normalise(snippet) in found)
    leaked = sum(1 for snippet in page.must_not_have if _normalise(snippet) in found)
    return kept, leaked, len(page.must_have) - kept


def _score_snippets(tp: int, fp: int, fn: int) -> dict[str, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


def _normalise(text: str) -> str:
    return " ".join(text.split())


def _detect_format(path: Path) -> tuple[str, Path]:
    """The data set's format and folder, from the gold file it holds."""
    if path.is_file() and path.name in GOLD_FILES.values():
        path = path.parent
    if not path.is_dir():
        raise NotFoundError(
            "no such folder; give the folder of an article-cleaning data set", source=str(path)
        )
    found = [kind for kind, name in GOLD_FILES.items() if (path / name).is_file()]
    if len(found) == 1:
        return found[0], path
    expected = "ground-truth.json (ScrapingHub format) or evaldata.json (trafilatura format)"
    if not found:
        raise InputError(f"holds neither {expected}; give a folder with one", source=str(path))
    raise InputError(
        f"holds both {expected}, so the format is unclear; give a folder with only one",
        source=str(path),
    )


def _load_pages(kind: str, folder: Path) -> list[_Page]:
    gold_file = folder / GOLD_FILES[kind]
    gold = _read_gold(gold_file)
    if kind == SCRAPINGHUB:
        return [_scrapinghub_page(folder, key, gold[key]) for key in sorted(gold)]
    return [_evaldata_page(folder, url, gold[url], gold_file) for url in sorted(gold)]


def _read_gold(gold_file: Path) -> dict[str, dict[str, Any]]:
    """The gold JSON: an object of objects, or an InputError saying what is wrong."""
    try:
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"cannot be read as JSON ({exc})", source=str(gold_file)) from exc
    if not isinstance(gold, dict) or not all(isinstance(item, dict) for item in gold.values()):
        raise InputError(
            "must be a JSON object mapping each page to an object of its gold fields",
            source=str(gold_file),
        )
    return gold


def _scrapinghub_page(folder: Path, key: str, item: dict[str, Any]) -> _Page:
    file = folder / "html" / f"{key}.html.gz"
    if not file.exists() and file.with_suffix("").exists():
        file = file.with_suffix("")  # an unpacked copy, <id>.html
    body = item.get("articleBody") or ""
    if not isinstance(body, str):
        raise InputError(f"the articleBody of {key} is not text", source=str(folder))
    return _Page(key=key, file=file, url=item.get("url"), body=body)


def _evaldata_page(folder: Path, url: str, item: dict[str, Any], gold_file: Path) -> _Page:
    name = item.get("file")
    if not isinstance(name, str) or not name:
        raise InputError(f"the entry for {url} has no 'file'", source=str(gold_file))
    candidates = [folder / sub / name for sub in EVALDATA_PAGE_FOLDERS]
    file = next((path for path in candidates if path.is_file()), candidates[0])
    return _Page(
        key=url,
        file=file,
        url=url,
        must_have=_snippets(item, "with"),
        must_not_have=_snippets(item, "without"),
    )


def _snippets(item: dict[str, Any], key: str) -> tuple[str, ...]:
    # A blank snippet would match every output, so it is not a test of anything.
    snippets = item.get(key) or ()
    if isinstance(snippets, str):
        snippets = (snippets,)  # one snippet given bare rather than in a list
    if not isinstance(snippets, list | tuple):
        return ()
    return tuple(s for s in snippets if isinstance(s, str) and s.strip())


def _read_page(file: Path) -> bytes:
    """The page's bytes, unpacked when the name ends in ``.gz``."""
    try:
        data = file.read_bytes()
        return gzip.decompress(data) if file.suffix == ".gz" else data
    except FileNotFoundError as exc:
        raise NotFoundError("the page file is missing", source=str(file)) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"cannot be read ({exc})", source=str(file)) from exc
