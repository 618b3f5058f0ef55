"""Every tunable of strife, with its default and what it does.

Settings are read in this order, later ones winning: the defaults below, then
``STRIFE_<NAME>`` environment variables, then ``--set name=value`` on the
command line. The library never reads the environment by itself: callers build
a :class:`Settings` (``Settings()`` for the defaults, :func:`load_settings` for
the CLI's order).
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from strife.errors import SettingsError

ENV_PREFIX = "STRIFE_"


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True)
class Settings:
    """Every tunable, each with its default; see ``docs/settings.md``."""

    max_page_bytes: int = _setting(
        20_000_000, "Largest page accepted, in bytes (after gunzip); larger pages are refused."
    )
    fetch_timeout: float = _setting(
        20.0, "Seconds to wait for a URL to connect, and for each part of its answer."
    )
    fetch_deadline: float = _setting(
        60.0, "Seconds a whole fetch may take, however the server trickles its bytes."
    )
    fetch_max_redirects: int = _setting(5, "Redirects followed before a URL is given up.")
    user_agent: str = _setting(
        "strife/0.1 (news event extraction)", "User-Agent sent with fetches."
    )
    html_fallback: bool = _setting(
        False,
        "HTML path: let trafilatura compare its body with readability's and jusText's "
        "(about 30% slower; no gain measured on the ScrapingHub set).",
    )
    min_body_chars: int = _setting(
        250, "A body shorter than this is kept but flagged as a possible teaser (W202)."
    )
    language_min_chars: int = _setting(
        40, "Texts shorter than this are not given a language (too little evidence)."
    )
    gazetteer: str = _setting(
        "",
        "Gazetteer file (SQLite). Empty: built once into the user's cache folder "
        "($XDG_CACHE_HOME/strife, else ~/.cache/strife).",
    )
    db: str = _setting(
        "strife.sqlite",
        "The record `strife ingest` writes and `strife events` reads: a SQLite file path "
        "(created if missing) or a SQLAlchemy URL. `--db` overrides it.",
    )
    db_busy_timeout: float = _setting(
        10.0, "Seconds a database write waits for another process's lock before giving up (E501)."
    )
    batch_size: int = _setting(
        32,
        "Pages run through the stages together; `strife ingest` commits each batch in one "
        "transaction, so a killed run redoes at most this many.",
    )
    link_window_days: int = _setting(
        3, "Linking: reports more than this many days apart are never compared."
    )
    link_radius_km: float = _setting(
        25.0,
        "Linking: places this far apart score 0 for place; twice as far apart, two reports "
        "placed finer than a province are never compared.",
    )
    link_merge_threshold: float = _setting(
        0.6, "Linking: a report joins the best incident scoring at least this (0 to 1)."
    )
    link_same_article_threshold: float = _setting(
        0.75,
        "Linking: a report joins an incident that already holds another event of its own "
        "article only at this score (extraction can split one incident in two).",
    )
    link_suggest_threshold: float = _setting(
        0.5,
        "Linking: incidents scoring at least this, but under the merge threshold, are kept "
        "as suggestions for a person to decide.",
    )
    text_prose_min_words: int = _setting(
        8, "Plain-text path: a line with fewer words is never counted as body prose on its own."
    )
    map_tiles: str = _setting(
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "Web app (`strife serve`): the map's tile URL template ({z}/{x}/{y}); the browser "
        "fetches the tiles from there. Empty: no tiles, the events' points alone.",
    )
    map_attribution: str = _setting(
        "© OpenStreetMap contributors", "Web app: the credit shown under the map tiles."
    )
    web_secret: str = _setting(
        "",
        "Web app: the key that signs session cookies. Empty: a new random key each "
        "start, so sign-ins end when the server restarts; set it (STRIFE_WEB_SECRET) to keep them.",
    )
    web_secure_cookies: bool = _setting(
        False, "Web app: send the session cookie over HTTPS only (set it behind TLS)."
    )
    login_attempts: int = _setting(
        5,
        "Web app: failed sign-ins allowed per name and address within login_window "
        "seconds; more are refused (HTTP 429) until the window passes.",
    )
    login_window: float = _setting(
        900.0, "Web app: the window, in seconds, that login_attempts counts over."
    )
    reset_lifetime: float = _setting(
        3600.0,
        "Web app: seconds a password-reset link stays valid; it also stops working once used.",
    )
    public_url: str = _setting(
        "http://127.0.0.1:8000",
        "Notifications: the address people reach `strife serve` at; mail, webhooks and "
        "password-reset links point to pages under it.",
    )
    smtp_host: str = _setting(
        "",
        "Notifications: the SMTP server that mails them (`strife notify`). Empty: no mail "
        "(mail deliveries fail with that reason, then are abandoned).",
    )
    smtp_port: int = _setting(25, "Notifications: the SMTP server's port (587 with smtp_starttls).")
    smtp_sender: str = _setting(
        "strife@localhost", "Notifications: the From address of the mail strife sends."
    )
    smtp_starttls: bool = _setting(
        False, "Notifications: upgrade the SMTP connection with STARTTLS before signing in."
    )
    smtp_username: str = _setting(
        "", "Notifications: the SMTP account to sign in with; empty: no sign-in."
    )
    smtp_password: str = _setting(
        "", "Notifications: the SMTP account's password (set it as STRIFE_SMTP_PASSWORD)."
    )
    notify_timeout: float = _setting(
        5.0,
        "Notifications: seconds an SMTP server or webhook receiver may take to answer "
        "before the delivery counts as failed (and is tried again on the next run).",
    )
    notify_attempts: int = _setting(
        5, "Notifications: tries per email or webhook delivery before it is abandoned."
    )
    spike_min_fatalities: int = _setting(
        100,
        "Watch rules: a spike needs at least this many fatalities in 30 days (HDX Signals' "
        "minimum for ACLED data), however quiet the year before was.",
    )

    def with_overrides(self, overrides: Mapping[str, str]) -> Settings:
        """Return a copy with string overrides converted to each field's type."""
        known = {f.name: f for f in fields(self)}
        changes: dict[str, Any] = {}
        for name, raw in overrides.items():
            key = name.strip().lower().replace("-", "_")
            if key not in known:
                choices = ", ".join(sorted(known))
                raise SettingsError(f"unknown setting {name!r}; known settings: {choices}")
            changes[key] = _convert(key, raw, type(getattr(self, key)))
        return replace(self, **changes)


def setting_help() -> dict[str, tuple[Any, str]]:
    """Each setting's default and help text, for documentation and ``--help``."""
    return {f.name: (f.default, f.metadata["help"]) for f in fields(Settings)}


def load_settings(
    assignments: Iterable[str] = (), *, environ: Mapping[str, str] | None = None
) -> Settings:
    """Defaults, then ``STRIFE_*`` variables, then ``name=value`` assignments.

    Raises:
        SettingsError: an unknown name (a ``STRIFE_*`` variable included: a
            typo there would otherwise pass unnoticed), a value of the wrong
            type, or an assignment without ``=``.
    """
    environ = os.environ if environ is None else environ
    known = {f.name for f in fields(Settings)}
    from_env = {
        key[len(ENV_PREFIX) :].lower(): value
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX)
    }
    unknown = sorted(name for name in from_env if name not in known)
    if unknown:
        names = ", ".join(ENV_PREFIX + name.upper() for name in unknown)
        raise SettingsError(f"unknown environment variable {names}; is it a typo?")
    from_cli: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep:
            raise SettingsError(f"--set expects name=value, got {assignment!r}")
        from_cli[name] = value
    return Settings().with_overrides(from_env).with_overrides(from_cli)


def _convert(name: str, raw: str, kind: type) -> Any:
    try:
        if kind is bool:
            lowered = raw.strip().lower()
            if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                raise ValueError(raw)
            return lowered in {"1", "true", "yes", "on"}
        value = kind(raw)
    except ValueError as exc:
        raise SettingsError(f"setting {name} expects {kind.__name__}, got {raw!r}") from exc
    # float() takes "nan" and "inf"; as a timeout either crashes the fetch deep inside httpx.
    if isinstance(value, float) and not math.isfinite(value):
        raise SettingsError(f"setting {name} expects a finite number, got {raw!r}")
    if isinstance(value, int | float) and value < 0:
        raise SettingsError(f"setting {name} cannot be negative, got {raw!r}")
    return value
