"""The ISAF, FA-KES and WikiEvents evaluators: metric arithmetic on tiny files we wrote.

strife's own output is stubbed (``strife.pipeline.run_text`` returns documents
built here) so each figure can be worked out by hand; the real data sets run
in the ``eval`` + ``slow`` tests at the end, which skip when the data is absent.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from strife.document import Actor, Article, Claim, Document, Event, Figures, PageInput, Source
from strife.errors import InputError, StageError, StrifeError
from strife.evaluate import fakes, isaf, wikievents
from strife.pipeline import PageResult
from strife.settings import Settings
from strife.taxonomy import EVENT_TYPES

EVAL_DATA = Path(__file__).resolve().parents[2] / "shared" / "eval" / "dev"

Stub = Callable[..., Document]


def _document(
    key: str, text: str, events: list[Event], sources: list[Source] | None = None
) -> Document:
    document = Document(input=PageInput(key, text.encode()))
    document.article = Article(text=text)
    document.events = events
    document.sources = sources or [Source("s0", "The Courier", "outlet")]
    return document


def _figure(text: str, figure: str, prop: str, value: int, source: str = "s0") -> Claim:
    """A claim on the first occurrence of ``figure`` in ``text``."""
    start = text.index(figure)
    return Claim(source, prop, value, figure, start, start + len(figure), low=value, high=value)


def _event(key: str, claims: list[Claim], *, trigger: str = "", **fields: Any) -> Event:
    category, subtype = key.split("/")
    return Event("e", category, subtype, claims=claims, trigger=trigger, **fields)


def _stub(monkeypatch: pytest.MonkeyPatch, answers: dict[str, Document | Exception]) -> None:
    """Make the pipeline return the document (or fail with the error) given for each location."""

    class Pipeline:
        def run_batch(self, documents: list[Document], *, settings: Settings) -> list[PageResult]:
            results = []
            for document in documents:
                location = document.input.location
                answer = answers[location]
                if isinstance(answer, StrifeError):
                    results.append(PageResult(location, error=answer))
                elif isinstance(answer, Exception):
                    raise answer
                else:
                    results.append(PageResult(location, answer))
            return results

    monkeypatch.setattr("strife.pipeline.extract_pipeline", Pipeline)


def _failure() -> StageError:
    return StageError("stage extract failed: boom", stage="extract", source="test")


# ---------------------------------------------------------------------------
# ISAF
# ---------------------------------------------------------------------------

ISAF_DETAINED = (
    "KABUL, Afghanistan (May 3, 2012)\nAn Afghan and coalition force detained two suspected "
    "insurgents during an operation in Nadir district, Tarrow province, yesterday."
)
ISAF_AIRSTRIKE = (
    "KABUL, Afghanistan (June 9, 2012)\nThe security force engaged a group of armed insurgents "
    "with a precision airstrike, killing three insurgents."
)
ISAF_BOTH = (
    "KABUL, Afghanistan (July 1, 2012)\nThe force killed one insurgent and detained four "
    "suspected insurgents in Helmand province today."
)


def _write_isaf(folder: Path) -> Path:
    def gold(types: list[str], killed: int, captured: int) -> dict[str, Any]:
        return {"event_type": types, "min_killed": killed, "min_captured": captured}

    lines = [
        json.dumps({"idx": 1, "text": ISAF_DETAINED, "gold": gold(["detention"], 0, 2)}),
        json.dumps({"idx": 2, "text": ISAF_AIRSTRIKE, "gold": gold(["airstrike"], 3, 0)}),
        json.dumps(
            {"idx": 3, "text": ISAF_BOTH, "gold": gold(["insurgentskilled;detention"], 1, 4)}
        ),
        '{"idx": 4, "text": "cut short',
        json.dumps({"idx": 5, "text": "A release.", "gold": gold(["parade"], 0, 0)}),
    ]
    path = folder / "isaf.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_evaluate_isaf_scores_labels_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    path = _write_isaf(tmp_path)
    arrest = _figure(ISAF_DETAINED, "two", "arrests", 2)
    killed = _figure(ISAF_AIRSTRIKE, "three", "fatalities", 3)
    _stub(
        monkeypatch,
        {
            # right: detention, 0 killed, 2 captured
            "1": _document(
                "1", ISAF_DETAINED, [_event("strategic_developments/arrests", [arrest])]
            ),
            # typed as a clash, not an air strike: insurgentskilled (FP) for airstrike (FN)
            "2": _document(
                "2",
                ISAF_AIRSTRIKE,
                [_event("battles/armed_clash", [killed], fatalities=Figures(3, 3, 3))],
            ),
            # strife fails: scored as empty (2 FN, both counts wrong)
            "3": _failure(),
        },
    )

    report = isaf.evaluate_isaf(path, settings=settings)

    assert report.n == 3
    scores = report.systems["strife"]
    assert scores["event_type_f1"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 3))
    assert scores["min_killed_exact"] == pytest.approx(2 / 3)
    assert scores["min_captured_exact"] == pytest.approx(2 / 3)
    assert [line.split(":")[0] for line in report.failures["input"]] == ["line 4", "line 5"]
    assert report.failures["strife"][0].startswith("3: ")
    assert set(report.systems["baseline"]) == set(scores)


def test_evaluate_isaf_label_rules() -> None:
    assert isaf.labels_for({"killed", "captured"}) == {"captureandkill"}
    assert isaf.labels_for({"air_strike", "killed"}) == {"airstrike"}
    assert isaf.labels_for({"air_strike", "captured", "killed"}) == {"airstrike", "detention"}
    assert isaf.labels_for({"civilian_harm", "killed"}) == {"insurgentskilled"}
    assert isaf.labels_for({"civilian_harm", "clash"}) == {"civiliancasualty"}
    assert isaf.labels_for({"clash"}) == {"exchangeoffire"}
    assert isaf.labels_for(set()) == frozenset()


def test_evaluate_isaf_civilian_figures_are_civilian_harm() -> None:
    text = "Two civilians were killed and one insurgent was wounded in the crossfire."
    claims = [_figure(text, "Two", "fatalities", 2), _figure(text, "one", "injuries", 1)]
    document = _document("x", text, [_event("battles/armed_clash", claims)])
    assert isaf.strife_facts(document) == {"clash", "civilian_harm"}


def test_evaluate_isaf_adds_a_sources_groups_and_keeps_the_lowest_source() -> None:
    text = (
        "Forces captured one leader and detained two men, the army said; police said 2 were "
        "held. In a second raid, 4 men were detained."
    )
    leader = _figure(text, "one", "arrests", 1)
    men = _figure(text, "two", "arrests", 2)
    police = _figure(text, "2", "arrests", 2, source="s1")
    document = _document(
        "x",
        text,
        [
            _event("strategic_developments/arrests", [leader, men, police]),
            _event("strategic_developments/arrests", [_figure(text, "4", "arrests", 4)]),
        ],
    )
    # First sentence: the army's groups add up to 3, the police say 2: the lowest, 2.
    # Four men more than the two counted are new people: 2 + 4.
    assert isaf.strife_answer(document).captured == 2 + 4


def _vague(text: str, words: str, low: int) -> Claim:
    start = text.index(words)
    return Claim(
        "s0", "arrests", None, words, start, start + len(words), low=low, qualifier="vague"
    )


@pytest.mark.parametrize(
    ("text", "groups", "expected"),
    [
        (  # the body tells the lead's group again, person by person
            "Forces detained several suspected fighters in the north on Monday. After "
            "questioning, the force detained the commander and two of his associates.",
            [("several", 3), ("the commander", 1), ("two", 2)],
            3,
        ),
        (  # a commander, then fighters: a lone commander cannot hold two fighters
            "Forces captured a militia commander in the north on Monday. The force also "
            "detained two suspected fighters.",
            [("a militia commander", 1), ("two", 2)],
            3,
        ),
        (  # "additional" after a specific lead: new people, though fewer
            "Forces detained three suspected fighters on Monday. A second patrol detained two "
            "additional suspects near the river.",
            [("three", 3), ("two", 2)],
            5,
        ),
        (  # a total over several operations gives way to the one told
            "Forces detained more than 10 suspected fighters during three operations on "
            "Monday. In the north, the force detained two suspects at a compound.",
            [("more than 10", 11), ("two", 2)],
            2,
        ),
        (  # the set reads "a few" as 3
            "Forces detained a few suspected fighters in the north on Monday.",
            [("a few", 2)],
            3,
        ),
    ],
    ids=["restated-lead", "leader-then-fighters", "additional", "several-operations", "a-few"],
)
def test_evaluate_isaf_counts_each_detainee_once(
    text: str, groups: list[tuple[str, int]], expected: int
) -> None:
    claims = [
        _vague(text, words, low)
        if words in {"several", "a few"}
        else _figure(text, words, "arrests", low)
        for words, low in groups
    ]
    document = _document("x", text, [_event("strategic_developments/arrests", claims)])
    assert isaf.strife_answer(document).captured == expected


def test_evaluate_isaf_baseline_reads_keywords_and_first_numbers() -> None:
    answer = isaf.baseline_answer(ISAF_DETAINED)
    assert (answer.labels, answer.killed, answer.captured) == (frozenset({"detention"}), 0, 2)
    assert answer.start_date == "2012-05-03"  # the publication date, from the dateline
    answer = isaf.baseline_answer(ISAF_BOTH)
    assert (answer.labels, answer.killed, answer.captured) == (frozenset({"captureandkill"}), 1, 4)
    assert isaf.baseline_answer(ISAF_AIRSTRIKE).labels == {"airstrike"}


def test_evaluate_isaf_refuses_a_file_with_no_readable_line(
    tmp_path: Path, settings: Settings
) -> None:
    path = tmp_path / "isaf.jsonl"
    path.write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="no readable line"):
        isaf.evaluate_isaf(path, settings=settings)
    with pytest.raises(InputError, match="cannot read"):
        isaf.evaluate_isaf(tmp_path / "missing.jsonl", settings=settings)


# ---------------------------------------------------------------------------
# FA-KES
# ---------------------------------------------------------------------------

FAKES_AIR = "Air strikes hit Tellan market. At least 15 people died; 12 civilians were killed."
FAKES_BOMB = "A suicide bomber struck a checkpoint, killing two women and three soldiers."
FAKES_EXECUTED = "Militants executed five after seizing the village of Orra."
FAKES_COLUMNS = [
    "unit_id",
    "article_title",
    "article_content",
    "cause_of_death",
    "nb_civilians",
    "nb_noncivilians",
    "label",
]


def _write_fakes(folder: Path) -> Path:
    rows = [
        ["101", "Tellan market hit", FAKES_AIR, "shelling", "12", "0", "1"],
        ["102", "Checkpoint bombing", FAKES_BOMB, "explosion", "2", "3", "1"],
        ["103", "Village executions", FAKES_EXECUTED, "execution", "0", "5", "1"],
        ["104", "A contested report", FAKES_AIR, "shelling", "40", "0", "0"],
        ["105", "Unreadable gold", FAKES_BOMB, "explosion", "many", "0", "1"],
    ]
    path = folder / "fakes.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(FAKES_COLUMNS)
        writer.writerows(rows)
    return path


def _page(title: str, content: str) -> str:
    return f"{title}\n\n{content}"


def test_evaluate_fakes_scores_cause_and_split_toll(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    _write_fakes(tmp_path)
    air, bomb = _page("Tellan market hit", FAKES_AIR), _page("Checkpoint bombing", FAKES_BOMB)
    executed = _page("Village executions", FAKES_EXECUTED)
    _stub(
        monkeypatch,
        {
            # main event = the air strike (the first event with a fatality claim):
            # shelling, civilians = lowest of 15 people and 12 civilians
            "101": _document(
                "101",
                air,
                [
                    _event("other/attribution", []),
                    _event(
                        "explosions_remote_violence/air_drone_strike",
                        [
                            _figure(air, "15", "fatalities", 15),
                            _figure(air, "12", "fatalities", 12),
                        ],
                    ),
                ],
            ),
            "102": _document(
                "102",
                bomb,
                [
                    _event(
                        "explosions_remote_violence/suicide_bomb",
                        [
                            _figure(bomb, "two", "fatalities", 2),
                            _figure(bomb, "three", "fatalities", 3),
                        ],
                    )
                ],
            ),
            # "five" names no kind: counted as civilians, so both counts are wrong
            "103": _document(
                "103",
                executed,
                [
                    _event(
                        "violence_against_civilians/attack",
                        [_figure(executed, "five", "fatalities", 5)],
                        trigger="executed",
                    )
                ],
            ),
        },
    )

    report = fakes.evaluate_fakes(tmp_path, settings=settings)

    assert report.n == 3  # label 0 left out, unreadable gold listed
    scores = report.systems["strife"]
    assert scores["cause_accuracy"] == 1.0
    assert scores["civilians_exact"] == pytest.approx(2 / 3)
    assert scores["noncivilians_exact"] == pytest.approx(2 / 3)
    assert [line.split(":")[0] for line in report.failures["input"]] == ["105"]


@pytest.mark.parametrize(
    ("text", "figure", "kind"),
    [
        ("killed 20 opposition fighters near the dam", "20", fakes.COMBATANTS),
        ("20 Kurdish militia fighters were killed", "20", fakes.COMBATANTS),
        ("58 people including 11 children", "58", fakes.CIVILIANS),
        ("dozens of civilians died", "dozens", fakes.CIVILIANS),
        ("two armed men were shot", "two", fakes.COMBATANTS),
        ("the toll rose to 70.", "70", None),
    ],
    ids=["fighters", "adjectives", "stops-at-including", "of", "armed", "no-noun"],
)
def test_evaluate_fakes_victim_kind(text: str, figure: str, kind: str | None) -> None:
    assert fakes.victim_kind(text, text.index(figure) + len(figure)) == kind


def test_evaluate_fakes_cause_from_type_then_trigger() -> None:
    def cause(key: str, trigger: str = "") -> str:
        return fakes.event_cause(_event(key, [], trigger=trigger))

    assert cause("explosions_remote_violence/air_drone_strike") == "shelling"
    assert cause("explosions_remote_violence/chemical_weapon") == "chemical and toxic gases"
    assert cause("violence_against_civilians/attack", "beheads") == "execution"
    assert cause("violence_against_civilians/attack", "shot dead") == "shooting"
    assert cause("battles/armed_clash", "clashes") == fakes.UNKNOWN


def test_evaluate_fakes_baseline() -> None:
    page = (
        "Car bomb hits Dalen square\n\nA car bomb exploded in the square on Friday. "
        "Nine people were wounded, 9 civilians were killed and 4 soldiers were killed."
    )
    assert fakes.baseline_answer(page) == fakes.Answer("explosion", 9, 4)
    assert fakes.baseline_answer("Talks resume in the capital.") == fakes.Answer()


def test_evaluate_fakes_tables_name_taxonomy_keys() -> None:
    assert set(fakes.CAUSES) <= set(EVENT_TYPES)
    assert set(isaf.TYPE_FACTS) <= set(EVENT_TYPES)


# ---------------------------------------------------------------------------
# WikiEvents
# ---------------------------------------------------------------------------

WE_SENTENCES = [
    "Masked gunmen attacked the Harlow Road checkpoint on Tuesday.",
    "Two guards were killed, the regional governor said.",
    "The attackers later drove to Port Ellis.",
]
WE_OTHER = ["Three farmers were hurt near Korvin when a mine went off."]


def _mention(ident: str, sentence: int, text: str) -> dict[str, Any]:
    return {"id": ident, "sent_idx": sentence, "start": 0, "end": 1, "text": text}


def _argument(ident: str, role: str, text: str) -> dict[str, str]:
    return {"entity_id": ident, "role": role, "text": text}


def _we_record(doc_id: str, sentences: list[str], mentions: list[Any], events: list[Any]) -> str:
    return json.dumps(
        {
            "doc_id": doc_id,
            "tokens": [],
            "text": "".join(sentences),
            "sentences": [[[], sentence] for sentence in sentences],
            "entity_mentions": mentions,
            "event_mentions": events,
        }
    )


def _write_wikievents(folder: Path) -> Path:
    first = _we_record(
        "checkpoint",
        WE_SENTENCES,
        [
            _mention("T1", 0, "Masked gunmen"),
            _mention("T2", 0, "the Harlow Road checkpoint"),
            _mention("T3", 1, "Two guards"),
            _mention("T4", 1, "the regional governor"),
            _mention("T5", 2, "Port Ellis"),
        ],
        [
            {
                "event_type": "Conflict.Attack.Unspecified",
                "arguments": [_argument("T1", "Attacker", "gunmen"), _argument("T2", "Place", "")],
            },
            {
                "event_type": "Life.Die.Unspecified",
                "arguments": [_argument("T3", "Victim", ""), _argument("T1", "Killer", "")],
            },
            {
                "event_type": "Contact.Contact.Broadcast",
                "arguments": [_argument("T4", "Communicator", "")],
            },
            {
                "event_type": "Movement.Transportation.Unspecified",
                "arguments": [_argument("T5", "Place", ""), _argument("T1", "Transporter", "")],
            },
        ],
    )
    second = _we_record(
        "mine",
        WE_OTHER,
        [_mention("T1", 0, "Three farmers"), _mention("T2", 0, "Korvin")],
        [
            {
                "event_type": "Life.Injure.Unspecified",
                "arguments": [_argument("T1", "Victim", ""), _argument("T2", "Place", "")],
            }
        ],
    )
    path = folder / "dev.jsonl"
    path.write_text(f"{first}\n{second}\n{{broken\n", encoding="utf-8")
    return path


def test_evaluate_wikievents_gold_pairs(tmp_path: Path) -> None:
    line = _write_wikievents(tmp_path).read_text(encoding="utf-8").splitlines()[0]
    assert wikievents.gold_arguments(json.loads(line)) == {
        ("attacker", "gunmen"),
        ("victim", "guards"),
        ("place", "checkpoint"),
        ("communicator", "governor"),
    }  # Port Ellis is the place of a journey, not of an attack: not scored


def test_evaluate_wikievents_scores_head_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, settings: Settings
) -> None:
    path = _write_wikievents(tmp_path)
    page = "\n\n".join(WE_SENTENCES)
    governor = Source("s1", "the regional governor's office", "government", "Governor Lena Faro")
    attack = _event(
        "violence_against_civilians/attack",
        [
            Claim("s0", "perpetrator", "unidentified_armed_group", "Masked gunmen", 0, 13),
            _figure(page, "Two", "fatalities", 2, source="s1"),
        ],
        location={"text": "Harlow Road checkpoint", "basis": "event"},
        actors=[Actor("perpetrator", "Masked gunmen", "unidentified_armed_group")],
    )
    _stub(
        monkeypatch,
        {
            "checkpoint": _document(
                "checkpoint", page, [attack], [Source("s0", "C", "outlet"), governor]
            ),
            "mine": _failure(),
        },
    )
    monkeypatch.setattr("strife.read.load_nlp", object)
    monkeypatch.setattr(wikievents, "baseline_arguments", lambda page, nlp: set())

    report = wikievents.evaluate_wikievents(path, settings=settings)

    assert report.n == 2
    assert report.failures["input"][0].startswith("line 3:")
    scores = report.systems["strife"]
    # right: gunmen, guards, checkpoint; wrong: faro (gold: governor);
    # missed: governor, farmers, korvin
    assert scores["arg_precision"] == pytest.approx(3 / 4)
    assert scores["arg_recall"] == pytest.approx(3 / 6)
    assert scores["arg_f1"] == pytest.approx(6 / 10)
    assert scores["arg_f1_attacker"] == 1.0
    assert scores["arg_f1_victim"] == pytest.approx(2 / 3)
    assert scores["arg_f1_place"] == pytest.approx(2 / 3)
    assert scores["arg_f1_communicator"] == 0.0
    assert report.systems["baseline"]["arg_f1"] == 0.0


@pytest.mark.parametrize(
    ("phrase", "head"),
    [
        ("the Maracay Central Hospital", "hospital"),
        ("militias loyal to the regime", "militias"),
        ("Russia’s Defense Ministry", "ministry"),
        ("Russia’s", "russia"),
        ("Russian soldiers and Syrian militiamen", "soldiers"),
        (", the army", "army"),
        ("U.S.", "u.s"),
        ("", ""),
    ],
)
def test_evaluate_wikievents_head_word(phrase: str, head: str) -> None:
    assert wikievents.head_word(phrase) == head


def test_evaluate_wikievents_places_from_claim_sentences() -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    words = ["Shells", "hit", "Dorn", ".", "Aid", "reached", "Velka", "."]
    doc = Doc(
        spacy.blank("en").vocab,
        words=words,
        spaces=[True, True, False, True, True, True, False, False],
        sent_starts=[True, False, False, False, True, False, False, False],
        ents=["O", "O", "B-GPE", "O", "O", "O", "B-GPE", "O"],
    )
    text = doc.text
    document = _document("x", text, [])
    document.parsed = [(0, doc)]
    shelled = _event("x/y", [_figure(text, "Shells", "fatalities", 1)])
    assert wikievents.event_places(document, shelled) == ["Dorn"]
    by_trigger = _event("x/y", [], trigger="reached")
    assert wikievents.event_places(document, by_trigger) == ["Velka"]


# ---------------------------------------------------------------------------
# The real development sets (opt in with --slow; skipped when ../shared is absent)
# ---------------------------------------------------------------------------

REAL_SETS = [
    ("isaf", isaf.evaluate_isaf, "event_type_f1"),
    ("fakes", fakes.evaluate_fakes, "cause_accuracy"),
    ("wikievents", wikievents.evaluate_wikievents, "arg_f1"),
]


@pytest.mark.eval
@pytest.mark.slow
@pytest.mark.parametrize(("name", "evaluate", "metric"), REAL_SETS, ids=[s[0] for s in REAL_SETS])
def test_evaluate_events_on_the_dev_sets(
    name: str, evaluate: Callable[..., Any], metric: str, settings: Settings
) -> None:
    folder = EVAL_DATA / name
    if not folder.exists():
        pytest.skip(f"evaluation data not found at {folder} (../shared/eval from the repo root)")
    report = evaluate(folder, settings=settings, limit=20)
    assert report.n == 20
    assert "input" not in report.failures
    assert len(report.failures.get("strife", [])) < report.n
    for system in ("strife", "baseline"):
        assert 0.0 <= report.systems[system][metric] <= 1.0
    assert report.systems["strife"][metric] > 0.0
