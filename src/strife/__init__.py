"""strife: raw news pages in, a sourced record of violent and political events out.

The public API is listed in ``__all__``; everything else is internal.
"""

from __future__ import annotations

import logging

from strife.clean import clean_document
from strife.document import Article, Caption, Document, PageInput, Problem
from strife.errors import InputError, SetupError, StrifeError
from strife.load import document_from_bytes, load_page
from strife.settings import Settings, load_settings

__version__ = "0.1.0"
__all__ = [
    "Article",
    "Caption",
    "Document",
    "InputError",
    "PageInput",
    "Problem",
    "Settings",
    "SetupError",
    "StrifeError",
    "__version__",
    "clean_document",
    "document_from_bytes",
    "load_page",
    "load_settings",
]

logging.getLogger(__name__).addHandler(logging.NullHandler())
