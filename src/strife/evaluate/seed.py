"""Check a cleaned article against a hand-made reference in the seed's gold format.

The reference (``<page>.gold.json``, rules in the seed's README) lists what a
careful analyst takes from the page: title, subtitle, authors, publisher, the
publication instant with its offset, captions with credits, and snippets the
body must and must not contain. Each check is returned with its outcome, so a
benchmark can count them and a test can name the one that failed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from strife.document import Article
from strife.errors import InputError


@dataclass(frozen=True, slots=True)
class Check:
    """One expectation of the reference and whether the article meets it."""

    name: str
    passed: bool
    detail: str = ""


def load_gold(path: Path) -> dict[str, Any]:
    """Read a gold reference file.

    Raises:
        InputError: the file is missing or not JSON.
    """
    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(f"cannot read the reference ({exc})", source=str(path)) from exc
    return data


def check_article(article: Article, gold: dict[str, Any]) -> list[Check]:
    """Every ``article`` check of the reference, in its order."""
    expected = gold["article"]
    checks = [
        _equal("title", article.title, expected.get("title")),
        _equal("subtitle", article.subtitle, expected.get("subtitle")),
        _equal("publisher", article.publisher, expected.get("publisher")),
    ]
    for author in expected.get("authors", []):
        checks.append(Check(f"author {author}", author in article.authors))
    if "published" in expected:
        checks.append(_published(article, expected["published"]))
    for caption in expected.get("captions", []):
        found = any(
            c.text.startswith(caption["text"]) and c.credit == caption.get("credit")
            for c in article.captions
        )
        checks.append(Check(f"caption {caption['text'][:40]}", found))
    for snippet in expected.get("text_must_include", []):
        checks.append(Check(f"includes {snippet[:40]}", snippet in article.text))
    for snippet in expected.get("text_must_exclude", []):
        checks.append(Check(f"excludes {snippet[:40]}", snippet not in article.text))
    return checks


def _equal(name: str, found: str | None, wanted: str | None) -> Check:
    if wanted is None:
        return Check(name, True, "not in the reference")
    same = " ".join((found or "").split()) == " ".join(wanted.split())
    return Check(name, same, "" if same else f"got {found!r}")


def _published(article: Article, wanted: str) -> Check:
    expected = datetime.fromisoformat(wanted)
    found = article.published
    ok = (
        isinstance(found, datetime)
        and found.tzinfo is not None
        and found == expected
        and found.utcoffset() == expected.utcoffset()
    )
    return Check("published", ok, "" if ok else f"got {found!r}")
