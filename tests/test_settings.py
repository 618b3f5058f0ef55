"""Tests for strife.settings: defaults, load order, conversion and refusals."""

from __future__ import annotations

import dataclasses

import pytest

from strife.errors import SettingsError
from strife.settings import Settings, _convert, load_settings, setting_help

NAMES = [f.name for f in dataclasses.fields(Settings)]


def test_settings_defaults() -> None:
    settings = Settings()

    assert settings.max_page_bytes == 20_000_000
    assert settings.fetch_timeout == 20.0
    assert settings.fetch_max_redirects == 5
    assert settings.min_body_chars == 250
    assert settings.language_min_chars == 40
    assert settings.text_prose_min_words == 8
    assert settings.user_agent.startswith("strife/")


def test_settings_load_without_environment_or_assignments_gives_defaults() -> None:
    assert load_settings(environ={}) == Settings()


def test_settings_are_frozen() -> None:
    settings = Settings()

    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.max_page_bytes = 1  # type: ignore[misc]


def test_settings_environment_overrides_defaults() -> None:
    settings = load_settings(environ={"STRIFE_MAX_PAGE_BYTES": "5000", "STRIFE_FETCH_TIMEOUT": "3"})

    assert settings.max_page_bytes == 5000
    assert settings.fetch_timeout == 3.0
    assert isinstance(settings.fetch_timeout, float)
    assert settings.min_body_chars == Settings().min_body_chars


def test_settings_assignment_overrides_environment() -> None:
    settings = load_settings(
        ["max_page_bytes=7000"],
        environ={"STRIFE_MAX_PAGE_BYTES": "5000", "STRIFE_MIN_BODY_CHARS": "100"},
    )

    assert settings.max_page_bytes == 7000
    assert settings.min_body_chars == 100  # the environment still counts where --set is silent


def test_settings_later_assignment_wins() -> None:
    settings = load_settings(["min_body_chars=100", "min_body_chars=300"], environ={})

    assert settings.min_body_chars == 300


def test_settings_load_reads_process_environment_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIFE_FETCH_MAX_REDIRECTS", "2")

    assert load_settings().fetch_max_redirects == 2


def test_settings_assignment_value_may_contain_equals_sign() -> None:
    settings = load_settings(["user_agent=strife-test/1.0 (contact=desk@example.org)"], environ={})

    assert settings.user_agent == "strife-test/1.0 (contact=desk@example.org)"


def test_settings_names_are_normalised() -> None:
    settings = load_settings(["Max-Page-Bytes=1234", " min_body_chars =90"], environ={})

    assert settings.max_page_bytes == 1234
    assert settings.min_body_chars == 90


def test_settings_with_overrides_converts_and_leaves_the_original_alone() -> None:
    original = Settings()

    changed = original.with_overrides({"fetch_timeout": " 2.5 ", "max_page_bytes": "1_000"})

    assert changed.fetch_timeout == 2.5
    assert changed.max_page_bytes == 1000
    assert original == Settings()


def test_settings_zero_is_accepted() -> None:
    assert Settings().with_overrides({"min_body_chars": "0"}).min_body_chars == 0


@pytest.mark.parametrize(
    ("name", "raw", "kind"),
    [
        ("max_page_bytes", "abc", "int"),
        ("max_page_bytes", "1.5", "int"),
        ("max_page_bytes", "1e6", "int"),
        ("max_page_bytes", "", "int"),
        ("fetch_max_redirects", "five", "int"),
        ("fetch_timeout", "soon", "float"),
        ("fetch_timeout", "nan", "float"),
        ("fetch_timeout", "inf", "float"),
    ],
)
def test_settings_value_of_wrong_type_is_refused(name: str, raw: str, kind: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings().with_overrides({name: raw})

    assert caught.value.message.startswith(f"setting {name} ")
    assert repr(raw) in caught.value.message
    if raw != "nan" and raw != "inf":
        assert f"expects {kind}" in caught.value.message
    assert caught.value.code == "E201"
    assert caught.value.exit_code == 4


def test_settings_wrong_type_in_environment_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"fetch_timeout expects float, got 'ten'"):
        load_settings(environ={"STRIFE_FETCH_TIMEOUT": "ten"})


@pytest.mark.parametrize(
    ("name", "raw"),
    [("max_page_bytes", "-1"), ("fetch_timeout", "-0.5"), ("min_body_chars", "-250")],
)
def test_settings_negative_numbers_are_refused(name: str, raw: str) -> None:
    with pytest.raises(SettingsError, match=rf"{name} cannot be negative, got '{raw}'"):
        load_settings([f"{name}={raw}"], environ={})


def test_settings_unknown_name_is_refused_with_the_known_names() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(["max_pages=10"], environ={})

    message = caught.value.message
    assert "unknown setting 'max_pages'" in message
    listed = message.split("known settings: ", 1)[1]
    assert listed.split(", ") == sorted(NAMES)


def test_settings_assignment_without_equals_sign_is_refused() -> None:
    with pytest.raises(SettingsError, match=r"--set expects name=value, got 'max_page_bytes'"):
        load_settings(["max_page_bytes"], environ={})


def test_settings_help_covers_every_field() -> None:
    help_table = setting_help()
    defaults = Settings()

    assert list(help_table) == NAMES
    for name, (default, text) in help_table.items():
        assert default == getattr(defaults, name), name
        assert isinstance(text, str), name
        assert len(text) > 10, name
        assert text[0].isupper(), name
        assert text.endswith("."), name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1", True), ("yes", True), (" On ", True), ("TRUE", True), ("0", False), ("off", False)],
)
def test_settings_convert_reads_yes_and_no_words_as_bool(raw: str, expected: bool) -> None:
    assert _convert("html_fallback", raw, bool) is expected


def test_settings_convert_refuses_other_words_as_bool() -> None:
    with pytest.raises(SettingsError, match=r"html_fallback expects bool, got 'maybe'"):
        _convert("html_fallback", "maybe", bool)


def test_settings_unknown_environment_variable_is_refused() -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ={"STRIFE_MAX_PAGE_BYTE": "1000"})
    assert "STRIFE_MAX_PAGE_BYTE" in caught.value.message
