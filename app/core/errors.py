"""The exceptions the core raises on purpose.

Each carries a short message written for the user (the command line prints it as one line, the GUI
shows it in a dialog); anything else that escapes is a bug.
"""


class LoupeError(Exception):
    """Base class: a failure with a message meant for the user."""


class ProjectError(LoupeError):
    """The project file is missing, not a Loupe project, too new, or cannot be opened."""


class ProjectReadOnlyError(ProjectError):
    """A write was attempted on a project opened read-only (e.g. open in another Loupe)."""


class ImageError(LoupeError):
    """One image cannot be read; the message is the per-file reason shown to the user, always
    one line (a library's multi-line message is folded) of at most `MAX_REASON` characters."""

    MAX_REASON = 300

    def __init__(self, message: str = ""):
        line = " ".join(str(message).split())
        super().__init__(line if len(line) <= self.MAX_REASON else line[: self.MAX_REASON - 1] + "…")


class Cancelled(LoupeError):
    """A job stopped because its `should_stop` callable said so."""


class ConfigError(LoupeError):
    """A setting the user gave is not acceptable (unknown method, epochs below 1…): the command
    line exits 2 for it, the window shows it beside the form."""


def one_line(exc: BaseException) -> str:
    """An exception as one short line, for a log."""
    return " ".join(str(exc).split())[:300] or type(exc).__name__


def in_words(exc: BaseException) -> str:
    """An exception as a sentence for the user: a LoupeError's own message; a file-system error
    as what happened to which file ("/scans/p.loupe-cache: read-only file system"), never an
    errno or a class name; anything else (a bug) as its type and first line."""
    if isinstance(exc, LoupeError):
        return one_line(exc)
    if isinstance(exc, OSError) and exc.strerror:
        what = exc.strerror[0].lower() + exc.strerror[1:]
        return f"{exc.filename}: {what}" if exc.filename else what
    return f"{type(exc).__name__}: {one_line(exc)}"


def plural(count: int, noun: str, many: str = "") -> str:
    """A count and its noun, for any message that names a number of things: "1 image", "0 images",
    "1,230 images"; `many` for a plural that is not the noun + "s" ("1 class", "2 classes")."""
    return f"{count:,} {noun if count == 1 else many or noun + 's'}"
