"""The public surface of ``strife``: exactly ``__all__``, sorted, and cheap to import."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from importlib.metadata import version

import strife

PUBLIC_NAMES = [
    "Article",
    "Caption",
    "CleanStage",
    "Document",
    "FetchError",
    "InputError",
    "PageInput",
    "PageResult",
    "Pipeline",
    "Problem",
    "Settings",
    "SettingsError",
    "SetupError",
    "StageError",
    "StorageError",
    "StrifeError",
    "__version__",
    "clean_document",
    "document_from_bytes",
    "load_page",
    "load_settings",
]
#: Heavy or optional dependencies that ``import strife`` must leave unloaded.
HEAVY_MODULES = [
    "trafilatura",
    "spacy",
    "typer",
    "click",
    "rich",
    "httpx",
    "dateparser",
    "htmldate",
    "lxml",
    "py3langid",
    "charset_normalizer",
    "sqlalchemy",
    "alembic",
]


def test_public_api_all_is_exact_and_sorted() -> None:
    assert strife.__all__ == sorted(strife.__all__)
    assert strife.__all__ == PUBLIC_NAMES


def test_public_api_every_name_resolves() -> None:
    for name in strife.__all__:
        assert hasattr(strife, name), name


def test_public_api_nothing_public_is_left_out_of_all() -> None:
    # Submodules and the __future__ import are attributes of the package, not its API.
    public = {
        name
        for name, value in vars(strife).items()
        if not name.startswith("_")
        and not isinstance(value, types.ModuleType)
        and name != "annotations"
    }

    assert public == set(strife.__all__) - {"__version__"}


def test_public_api_version_matches_the_installed_package() -> None:
    assert strife.__version__ == version("strife")


def test_public_api_import_is_cheap() -> None:
    probe = (
        "import json, sys\n"
        "import strife\n"
        f"heavy = {HEAVY_MODULES!r}\n"
        "print(json.dumps(sorted(name for name in heavy if name in sys.modules)))\n"
    )

    completed = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )

    assert json.loads(completed.stdout) == []


def test_public_api_adds_only_a_null_handler() -> None:
    import logging

    handlers = logging.getLogger("strife").handlers

    assert [type(handler) for handler in handlers] == [logging.NullHandler]
