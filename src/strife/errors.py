"""Errors and warning codes, with the exit code each error ends a command with.

The exception tree::

    StrifeError                  E000  exit 70  (a bug; never raised directly)
     +-- InputError              E1xx  exit 3   the page cannot be read at all
     |    +-- WarcError          E105  exit 3   a WARC file is cut off or damaged
     |    +-- FeedError          E106  exit 3   a feed is broken, has no items, or an item no link
     |    +-- FetchError         E15x  exit 3   a URL could not be fetched
     +-- SetupError              E2xx  exit 4   settings, model or data missing
     +-- StageError              E3xx  exit 70  a stage failed on one document
     +-- StorageError            E5xx  exit 5   the database refused
          +-- DatabaseLockedError        E501   another writer holds the lock
          +-- ReadOnlyDatabaseError      E502   the file cannot be written
          +-- DiskFullError              E503   no space left
          +-- NotAStrifeDatabaseError    E504   not SQLite, or not strife's
          +-- DatabaseOpenError          E505   cannot be opened at all
          +-- SchemaVersionError         E506   written by a newer strife
          +-- ExportError                E507   the export file cannot be written
     +-- RecordError             E6xx  exit 6   the record cannot do what was asked
          +-- RecordNotFoundError        E601   no incident has this id
          +-- RecordEditError            E602   a merge or split that cannot be done
          +-- CorrectionError            E603   a field correction that cannot be made
          +-- AccountError               E610   an account cannot be made or used
               +-- NameTakenError        E611   another account has that name
               +-- SignInError           E612   a wrong name, password or API token
               +-- PermissionDeniedError E613   the account's role, or a missing CSRF token
               +-- TooManyAttemptsError  E614   too many failed sign-ins or reset requests; wait
               +-- ResetTokenError       E615   a password-reset link that is wrong, used or expired

Problems inside one document are not exceptions: a stage records a
:class:`~strife.document.Problem` with a ``W###`` code from :data:`WARNINGS`
and carries on with a partial result.

Exit codes of the ``strife`` command:

====  ======================================================
0     every input processed (warnings allowed)
1     the run finished, some inputs failed (listed on stderr)
2     bad command line
3     input error (one page given, and it could not be read)
4     setup error
5     storage error
6     record error (an unknown incident id, a merge or split that cannot be done)
70    unexpected bug; run again with ``--debug`` for the traceback
====  ======================================================
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOME_FAILED = 1
EXIT_USAGE = 2
EXIT_BUG = 70  # sysexits EX_SOFTWARE

#: Every warning code a stage may record on a document, with its meaning.
WARNINGS: dict[str, str] = {
    "W101": "the page was not valid UTF-8 and was decoded with a guessed encoding",
    "W102": "undecodable bytes were replaced with U+FFFD",
    "W103": "the page looks truncated (no closing </html>)",
    "W104": "the page is mostly scripts, styles or embedded objects (dropped, never run)",
    "W105": "the page held NUL characters; they were removed",
    "W201": "no article body was found; the text is empty",
    "W202": "the body is very short; it may be a teaser, a gallery or a paywall",
    "W203": "no title was found",
    "W204": "no publication time was found",
    "W205": "the publication time has no UTC offset; it is given as a local time",
    "W206": "a time-zone abbreviation is ambiguous; the most common reading was used",
    "W301": "the article is not in English; events are extracted from English only for now",
    "W302": "the language could not be identified",
    "W401": "a count too large to be one incident's toll was dropped",
    "W601": "a date after the publication date was ignored",
    "W602": "a date before 1900 was ignored",
    "W603": "a relative date could not be resolved: the page has no publication date",
    "W604": "an event has no date: no date expression, dateline or publication date",
    "W501": "no place was found for an event (its location is null)",
}


class StrifeError(Exception):
    """Base of every error strife raises on purpose."""

    code = "E000"
    exit_code = EXIT_BUG

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"{where}{self.message} [{self.code}]"


class InputError(StrifeError):
    """The page cannot be read: missing, empty, binary, too large, not text."""

    code = "E100"
    exit_code = 3


class EmptyInputError(InputError):
    """The page is empty or only white space."""

    code = "E101"


class BinaryInputError(InputError):
    """The page is a binary file (PDF, image, archive), not a news page."""

    code = "E102"


class TooLargeError(InputError):
    """The page is larger than ``max_page_bytes``."""

    code = "E103"


class NotFoundError(InputError):
    """No file at that path."""

    code = "E104"


class WarcError(InputError):
    """A WARC file is cut off or damaged; the whole records before the break were read."""

    code = "E105"


class FeedError(InputError):
    """A feed's XML is broken (the items read were kept), it has no items, or an item no link."""

    code = "E106"


class FetchError(InputError):
    """A URL could not be fetched (timeout, HTTP error, redirects, wrong type)."""

    code = "E150"


class FetchTimeoutError(FetchError):
    """The server did not answer within ``fetch_timeout``."""

    code = "E151"


class HTTPStatusError(FetchError):
    """The server answered with an HTTP error status (4xx, 5xx)."""

    code = "E152"


class TooManyRedirectsError(FetchError):
    """More redirects than ``fetch_max_redirects`` (often a loop)."""

    code = "E153"


class ContentTypeError(FetchError):
    """The server sent something that is not a web page."""

    code = "E154"


class SetupError(StrifeError):
    """Settings, a model or a data file are missing or wrong."""

    code = "E200"
    exit_code = 4


class SettingsError(SetupError):
    """An unknown setting, or a value of the wrong type."""

    code = "E201"


class GazetteerError(SetupError):
    """The gazetteer cannot be built or opened, or a GeoNames file cannot be loaded."""

    code = "E202"


class StageError(StrifeError):
    """A stage failed on one document for a reason that is not the input's fault."""

    code = "E300"
    exit_code = EXIT_BUG

    def __init__(
        self,
        message: str,
        *,
        stage: str,
        source: str | None = None,
        document_id: str | None = None,
    ) -> None:
        super().__init__(message, source=source)
        self.stage = stage
        #: ``Document.id`` (the page's digest prefix) when the page was loaded.
        self.document_id = document_id


class StorageError(StrifeError):
    """The database refused a read or a write."""

    code = "E500"
    exit_code = 5


def error_classes() -> list[type[StrifeError]]:
    """Every error class, the base included, in definition order."""
    found: list[type[StrifeError]] = [StrifeError]
    pending = [StrifeError]
    while pending:
        for sub in pending.pop(0).__subclasses__():
            found.append(sub)
            pending.append(sub)
    return found


class DatabaseLockedError(StorageError):
    """Another process holds the database's write lock for longer than the busy timeout."""

    code = "E501"


class ReadOnlyDatabaseError(StorageError):
    """The database file (or its folder) cannot be written."""

    code = "E502"


class DiskFullError(StorageError):
    """The disk holding the database is full; the batch being written was rolled back."""

    code = "E503"


class NotAStrifeDatabaseError(StorageError):
    """The file is not a SQLite database, or a database strife did not create."""

    code = "E504"


class DatabaseOpenError(StorageError):
    """The database cannot be opened: a missing folder, a bad URL, no driver."""

    code = "E505"


class SchemaVersionError(StorageError):
    """The database was written by a newer strife whose schema this one does not know."""

    code = "E506"


class ExportError(StorageError):
    """The export file cannot be written: a missing folder, no permission, a full disk."""

    code = "E507"


class RecordError(StrifeError):
    """The record cannot do what was asked of it."""

    code = "E600"
    exit_code = 6


class RecordNotFoundError(RecordError):
    """No incident has the id given (``strife event``, ``strife link merge``...)."""

    code = "E601"


class RecordEditError(RecordError):
    """A merge or split that cannot be done: one incident twice, a report not in it."""

    code = "E602"


class CorrectionError(RecordError):
    """A field correction that cannot be made: an unknown field, or a value out of its range."""

    code = "E603"


class AccountError(RecordError):
    """An account of ``strife serve`` cannot be made or used (a bad name, a short password)."""

    code = "E610"


class NameTakenError(AccountError):
    """Another account already has that name."""

    code = "E611"


class SignInError(AccountError):
    """A wrong name or password, or an unknown API token."""

    code = "E612"


class PermissionDeniedError(AccountError):
    """The account's role does not allow it, or a form came without its CSRF token."""

    code = "E613"


class TooManyAttemptsError(AccountError):
    """Too many failed sign-ins (or reset requests) for one name from one address; wait."""

    code = "E614"


class ResetTokenError(AccountError):
    """A password-reset link that is unknown, already used or expired; ask for a new one."""

    code = "E615"
