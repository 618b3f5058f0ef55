"""Tests for strife.evaluate.case2021: event typing scored on CASE 2021 task 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from strife.errors import InputError, NotFoundError
from strife.evaluate.case2021 import (
    BASELINE_KEYWORDS,
    CASE_LABELS,
    FILE_NAME,
    SYSTEMS,
    classify_baseline,
    evaluate_case2021,
    macro_f1,
)
from strife.settings import Settings
from strife.taxonomy import EVENT_TYPES

CASE2021_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "case2021"
#: The floor strife must stay above on the development half.
MIN_MACRO_F1 = 0.75

#: Five snippets written for these tests, in the task's format (header + rows).
ROWS = [
    ("1", "A suicide bomber blew himself up at a checkpoint, killing six.", "SUIC_BOMB"),
    ("2", "Police fired tear gas to disperse students at a protest.", "PROTEST_WITH_INTER"),
    ("3", "Police seized a cache of grenades and rifles in a raid on a farm.", "DISR_WEAP"),
    ("4", "Army troops recaptured the town of Ardin from the rebels.", "GOV_REGAINS_TERIT"),
    ("5", "The ministry said the weather would be sunny tomorrow.", "OTHER"),
]


def _write_task(folder: Path, rows: list[tuple[str, str, str]] = ROWS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["id\tEventSnippet\tSubType", *("\t".join(row) for row in rows)]
    file = folder / FILE_NAME
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return file


def test_evaluate_case2021_scores_both_systems(tmp_path: Path, settings: Settings) -> None:
    _write_task(tmp_path / "case2021")
    seen: list[tuple[int, int]] = []

    report = evaluate_case2021(
        tmp_path / "case2021",
        settings=settings,
        progress=lambda done, total: seen.append((done, total)),
    )

    assert report.dataset == "case2021:case2021"
    assert report.n == len(ROWS)
    assert set(report.systems) == set(SYSTEMS)
    for metrics in report.systems.values():
        assert set(metrics) == {"macro_f1", "accuracy", "articles_per_second"}
        assert metrics["articles_per_second"] > 0
    # strife gets the four events right and gives the weather no type (a miss on OTHER).
    assert report.systems["strife"]["accuracy"] == pytest.approx(4 / 5)
    assert report.systems["strife"]["macro_f1"] == pytest.approx(4 / 5)
    # The baseline also calls the seized grenades a grenade attack.
    assert report.systems["baseline"]["accuracy"] == pytest.approx(3 / 5)
    assert seen[-1] == (len(ROWS), len(ROWS))
    assert not report.failures


def test_evaluate_case2021_accepts_the_file_and_a_limit(tmp_path: Path, settings: Settings) -> None:
    file = _write_task(tmp_path)

    report = evaluate_case2021(file, settings=settings, limit=2)

    assert report.n == 2
    assert report.systems["strife"]["accuracy"] == 1.0


def test_evaluate_case2021_missing_path_is_not_found(tmp_path: Path, settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        evaluate_case2021(tmp_path / "nowhere", settings=settings)
    with pytest.raises(NotFoundError, match=FILE_NAME):
        evaluate_case2021(tmp_path, settings=settings)


def test_evaluate_case2021_bad_header_is_input_error(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / FILE_NAME).write_text("id,text,label\n1,x,y\n", encoding="utf-8")

    with pytest.raises(InputError, match="header"):
        evaluate_case2021(tmp_path, settings=settings)


def test_evaluate_case2021_short_row_is_input_error(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / FILE_NAME).write_text(
        "id\tEventSnippet\tSubType\n1\tno label here\n", encoding="utf-8"
    )

    with pytest.raises(InputError, match="line 2"):
        evaluate_case2021(tmp_path, settings=settings)


def test_evaluate_case2021_macro_f1_averages_gold_labels() -> None:
    gold = ["A", "A", "B", "C"]
    predicted = ["A", "B", "B", "X"]

    # A: P 1/1 R 1/2 -> 2/3; B: P 1/2 R 1/1 -> 2/3; C: 0. "X" is not a gold label.
    assert macro_f1(gold, predicted) == pytest.approx((2 / 3 + 2 / 3 + 0) / 3)
    assert macro_f1([], []) == 0.0


def test_evaluate_case2021_labels_cover_the_taxonomy() -> None:
    assert set(CASE_LABELS) == set(EVENT_TYPES)
    assert len(set(CASE_LABELS.values())) == len(CASE_LABELS)
    assert set(BASELINE_KEYWORDS) <= set(CASE_LABELS.values())


def test_evaluate_case2021_baseline_takes_first_label_in_order() -> None:
    assert classify_baseline("A suicide bomb attack") == "SUIC_BOMB"
    assert classify_baseline("Police fired tear gas at the protest") == "PROTEST_WITH_INTER"
    assert classify_baseline("Nothing happened") == ""


@pytest.mark.eval
@pytest.mark.skipif(
    not (CASE2021_DATA / FILE_NAME).is_file(),
    reason=f"evaluation data not found at {CASE2021_DATA} (../shared/eval from the repo root)",
)
def test_evaluate_case2021_dev_set_beats_floor_and_baseline(settings: Settings) -> None:
    report = evaluate_case2021(CASE2021_DATA, settings=settings)

    strife, baseline = report.systems["strife"], report.systems["baseline"]
    assert report.n > 500
    assert strife["macro_f1"] >= MIN_MACRO_F1
    assert strife["macro_f1"] > baseline["macro_f1"] + 0.2
