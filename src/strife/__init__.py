"""strife: raw news pages in, a sourced record of violent and political events out.

The public API is listed in ``__all__``; everything else is internal.
"""

from __future__ import annotations

import logging

from strife.clean import CleanStage, clean_document
from strife.document import Article, Caption, Document, PageInput, Problem
from strife.errors import (
    FetchError,
    InputError,
    SettingsError,
    SetupError,
    StageError,
    StorageError,
    StrifeError,
)
from strife.load import document_from_bytes, load_page
from strife.pipeline import PageResult, Pipeline
from strife.settings import Settings, load_settings

__version__ = "0.1.0"
__all__ = [
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

logging.getLogger(__name__).addHandler(logging.NullHandler())
