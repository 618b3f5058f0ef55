"""Tests for ``strife eval linking``: the scoring on clusters we chose, the loader, the real set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from strife.errors import InputError
from strife.evaluate.linking import Candidate, _load, evaluate_linking, score_clusters
from strife.settings import Settings

EVAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev" / "linking"


def _candidates(blocks: dict[int, list[str]]) -> list[Candidate]:
    return [Candidate(u, block, f"text {u}", None) for block, ids in blocks.items() for u in ids]


def test_score_clusters_counts_pairs_within_blocks_only() -> None:
    candidates = _candidates({0: ["a", "b", "c"], 1: ["d", "e"]})
    gold = {"a": "g1", "b": "g1", "d": "g2", "e": "g2"}
    # a-b right, c wrongly joined to them; d and e missed.
    answer = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "z"}

    metrics = score_clusters(candidates, gold, answer)

    assert metrics["pair_precision"] == pytest.approx(1 / 3)  # a-b of a-b, a-c, b-c
    assert metrics["pair_recall"] == pytest.approx(1 / 2)  # a-b of a-b, d-e
    # B-cubed precision: a, b: 2/3 each; c: 1/3; d, e: 1 each.
    assert metrics["b3_precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    # B-cubed recall: a, b, c: 1 each; d, e: 1/2 each.
    assert metrics["b3_recall"] == pytest.approx((1 + 1 + 1 + 0.5 + 0.5) / 5)


def test_score_clusters_ignores_pairs_across_blocks_and_counts_missing_as_alone() -> None:
    candidates = _candidates({0: ["a", "b"], 1: ["c"]})
    gold = {"a": "g", "b": "g", "c": "g"}

    metrics = score_clusters(candidates, gold, {"a": "x", "c": "x"})

    assert metrics["pair_precision"] == 0.0  # no pair answered together within a block
    assert metrics["pair_recall"] == 0.0
    assert metrics["b3_precision"] == 1.0


def test_load_reads_groups_dates_and_repeats(tmp_path: Path) -> None:
    rows = [
        {
            "block": 0,
            "unit_id": "1",
            "date": "7/4/15",
            "article_title": "Blast",
            "article_content": "A",
        },
        {
            "block": 0,
            "unit_id": "2",
            "date": "n/a",
            "article_title": "Blast",
            "article_content": "B",
        },
        {
            "block": 0,
            "unit_id": "1",
            "date": "7/4/15",
            "article_title": "Blast",
            "article_content": "A",
        },
    ]
    (tmp_path / "candidates.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (tmp_path / "groups.jsonl").write_text(json.dumps({"incident": "x", "unit_ids": ["1", "2"]}))

    candidates, gold = _load(tmp_path)

    assert [(c.unit_id, c.published) for c in candidates] == [("1", "2015-07-04"), ("2", None)]
    assert candidates[0].text == "Blast\n\nA"
    assert gold["1"] == gold["2"]


def test_load_refuses_a_folder_without_the_files_and_a_bad_line(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"no candidates\.jsonl"):
        _load(tmp_path)
    (tmp_path / "candidates.jsonl").write_text("{not json\n")
    (tmp_path / "groups.jsonl").write_text("")
    with pytest.raises(InputError, match="line 1 is not JSON"):
        _load(tmp_path)


@pytest.mark.eval
@pytest.mark.slow
def test_evaluate_linking_on_the_dev_set() -> None:
    if not EVAL_DATA.exists():
        pytest.skip(f"evaluation data not found at {EVAL_DATA} (../shared/eval from the repo root)")
    report = evaluate_linking(EVAL_DATA, settings=Settings(), limit=4)

    assert report.n > 8
    assert "strife" not in report.failures
    for system in ("strife", "baseline"):
        for metric in ("pair_precision", "pair_recall", "b3_precision", "b3_recall"):
            assert 0.0 <= report.systems[system][metric] <= 1.0
    assert report.systems["strife"]["b3_recall"] > 0.0
    assert report.systems["strife"]["pages_per_second"] > 0.0


def test_link_scale_blocking_keeps_the_candidates_per_report_flat_as_the_record_grows() -> None:
    """Four times the days at the same daily rate: nowhere near four times the candidates
    per report, and far fewer than all pairs (issue 7: linking cost at scale)."""
    from strife.evaluate.link_scale import measure_link_scale

    small = measure_link_scale(300, per_day=15, settings=Settings())  # 20 days
    large = measure_link_scale(1200, per_day=15, settings=Settings())  # 80 days

    assert (small["reports"], large["reports"]) == (300, 1200)
    assert min(large["joined"], large["new_incidents"]) > 0
    # Unblocked, each report would meet 4 times as many; edge days (fewer neighbours)
    # and the sample's spread over countries account for what growth there is.
    assert large["candidates_per_report"] / small["candidates_per_report"] < 2
    assert large["candidates"] < large["unblocked_pairs"] / 20


def test_link_scale_reports_spread_over_countries_provinces_and_days() -> None:
    from collections import Counter

    from strife.evaluate.link_scale import synthetic_reports

    documents = synthetic_reports(2000, per_day=100, seed=3)
    events = [document.events[0] for document in documents]
    countries = Counter(event.location["country"] for event in events if event.location)
    provinces = {(e.location["country"], e.location["admin1"]) for e in events if e.location}
    days = Counter(event.date["start"] for event in events if event.date)
    published = [document.article.published for document in documents if document.article]

    assert len(documents) == len({document.input.sha256 for document in documents}) == 2000
    assert (len(countries) >= 25, len(provinces) >= 150, len(days)) == (True, True, 20)
    top = countries.most_common(1)[0][1]
    assert 0.1 < top / sum(countries.values()) < 0.4  # a few countries lead, none is all
    assert 0.01 < (2000 - sum(countries.values())) / 2000 < 0.06  # the unplaced share
    assert published == sorted(published)  # stored, so linked, in publication order
