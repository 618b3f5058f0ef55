"""Tests for strife.errors: codes, exit codes, the code scheme and the warning table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from strife import errors
from strife.errors import (
    WARNINGS,
    InputError,
    RecordError,
    SetupError,
    StageError,
    StorageError,
    StrifeError,
    error_classes,
)

SOURCE = Path(errors.__file__).resolve().parent
#: Each family of errors: its base, the pattern of its codes and its exit code.
FAMILIES: list[tuple[type[StrifeError], str, int]] = [
    (InputError, r"E1\d\d", 3),
    (SetupError, r"E2\d\d", 4),
    (StageError, r"E3\d\d", errors.EXIT_BUG),
    (StorageError, r"E5\d\d", 5),
    (RecordError, r"E6\d\d", 6),
]
CLASSES = error_classes()


def _source_files() -> list[Path]:
    return sorted(path for path in SOURCE.rglob("*.py") if path != Path(errors.__file__))


def test_errors_classes_are_all_found() -> None:
    names = {cls.__name__ for cls in CLASSES}

    assert CLASSES[0] is StrifeError
    assert {"InputError", "SetupError", "StageError", "StorageError"} <= names
    assert {"EmptyInputError", "FetchError", "SettingsError"} <= names
    assert len(CLASSES) == len(set(CLASSES))


def test_errors_codes_are_unique_and_own() -> None:
    codes = [cls.code for cls in CLASSES]

    assert len(codes) == len(set(codes)), sorted(codes)
    for cls in CLASSES:
        # Each class sets its own code; one inherited from its parent would be a duplicate.
        assert "code" in vars(cls), cls.__name__
        assert re.fullmatch(r"E\d{3}", cls.code), cls.__name__


def test_errors_every_class_has_an_exit_code() -> None:
    for cls in CLASSES:
        assert isinstance(cls.exit_code, int), cls.__name__
        assert cls.exit_code in {3, 4, 5, 6, errors.EXIT_BUG}, cls.__name__
        assert cls.exit_code != 126, cls.__name__  # shells reserve 126 for "not executable"


@pytest.mark.parametrize("cls", CLASSES[1:], ids=lambda cls: cls.__name__)
def test_errors_code_and_exit_code_follow_the_family(cls: type[StrifeError]) -> None:
    families = [family for family in FAMILIES if issubclass(cls, family[0])]

    assert len(families) == 1, f"{cls.__name__} belongs to no family (or to several)"
    ((_, pattern, exit_code),) = families
    assert re.fullmatch(pattern, cls.code), f"{cls.__name__} has {cls.code}, not {pattern}"
    assert cls.exit_code == exit_code


def test_errors_fetch_errors_are_input_errors_in_the_e15x_range() -> None:
    fetch = [cls for cls in CLASSES if issubclass(cls, errors.FetchError)]

    assert len(fetch) >= 2
    for cls in fetch:
        assert issubclass(cls, InputError)
        assert re.fullmatch(r"E15\d", cls.code), cls.__name__


def test_errors_base_is_a_bug() -> None:
    assert StrifeError.code == "E000"
    assert StrifeError.exit_code == errors.EXIT_BUG == 70


def test_errors_exit_codes_are_in_the_module_docstring() -> None:
    doc = errors.__doc__ or ""

    for cls in CLASSES:
        assert re.search(rf"\b{cls.exit_code}\b", doc), cls.__name__
    for code in (errors.EXIT_OK, errors.EXIT_SOME_FAILED, errors.EXIT_USAGE):
        assert re.search(rf"^{code}\s", doc, re.M), code


def test_errors_message_names_source_and_code() -> None:
    error = errors.NotFoundError("no such file", source="pages/korsk.html")

    assert str(error) == "pages/korsk.html: no such file [E104]"
    assert error.message == "no such file"
    assert isinstance(error, InputError)
    assert isinstance(error, StrifeError)
    assert str(SetupError("the gazetteer is missing")) == "the gazetteer is missing [E200]"


def test_errors_stage_error_carries_stage_and_document() -> None:
    error = StageError(
        "tagger failed", stage="read", source="pages/korsk.html", document_id="6b81886"
    )

    assert error.stage == "read"
    assert error.document_id == "6b81886"
    assert str(error) == "pages/korsk.html: tagger failed [E300]"


def test_errors_warning_codes_are_w_and_three_digits() -> None:
    assert WARNINGS
    for code, meaning in WARNINGS.items():
        assert re.fullmatch(r"W\d{3}", code), code
        assert meaning.strip(), code


def test_errors_every_warning_is_recorded_somewhere() -> None:
    # A code counts as used where the source spells it as a string literal ("W201").
    used = {
        match
        for path in _source_files()
        for match in re.findall(r"""["'](W\d{3})["']""", path.read_text(encoding="utf-8"))
    }

    assert set(WARNINGS) - used == set(), "WARNINGS lists codes no stage records"


def test_errors_every_warning_mentioned_in_the_source_is_listed() -> None:
    mentioned = {
        (path.relative_to(SOURCE).as_posix(), code)
        for path in _source_files()
        for code in re.findall(r"\bW\d{3}\b", path.read_text(encoding="utf-8"))
    }

    unlisted = sorted((where, code) for where, code in mentioned if code not in WARNINGS)
    assert unlisted == []
