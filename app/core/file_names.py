"""File names as text: the one way Loupe stores and prints a name whose bytes are not UTF-8.

    shown(path)             # '/scans/\\xff\\xfe.png': text for the project, the screen, JSON, CSV
    real_name(stored)       # '/scans/\\udcff\\udcfe.png': the name the file system knows
    tsv_field(path)         # shown, with \\, tab, newline and carriage return escaped too

On Linux a file name is bytes; Python gives the bytes that are not UTF-8 as lone surrogates
('\\udcff'), which no UTF-8 text can hold: SQLite refuses them, and so does a UTF-8 terminal,
JSON or CSV file. One such name used to fail a whole import batch, and a whole `loupe predict`
after the classifying was done. Every such byte is written as the four characters `\\xNN`
instead (as Python's `backslashreplace` does), the name stays readable, and `real_name` turns the
escapes back into the bytes when a file is looked up.

A name that really holds the characters `\\xff` reads the same as one holding the byte 0xff;
`Project.resolve_path` prefers the name as written when both could be meant. The TSV form
(`tsv_field`) also doubles backslashes, so a field is never ambiguous there.
"""

from __future__ import annotations

import os
import re

#: An escape `shown` writes: always a byte 0x80-0xff (UTF-8 never fails on ASCII), so undoing
#: one can never make a '/' or a NUL that was not in the name.
_ESCAPED_BYTE = re.compile(rb"\\x([89a-fA-F][0-9a-fA-F])")
_TSV_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _name_bytes(text: str) -> bytes | None:
    """The bytes a name with lone surrogates stands for; None when it has none (fast path)."""
    try:
        text.encode("utf-8")
        return None
    except UnicodeEncodeError:
        pass
    try:
        return os.fsencode(text)
    except UnicodeEncodeError:  # a surrogate no file system gave (made in code): escape it as is
        return text.encode("utf-8", "backslashreplace")


def shown(path: str | os.PathLike) -> str:
    """`path` as text that is valid UTF-8: bytes that are not UTF-8 become `\\xNN`. A name
    that is valid UTF-8 comes back unchanged."""
    text = os.fspath(path)
    if isinstance(text, bytes):
        return text.decode("utf-8", "backslashreplace")
    raw = _name_bytes(text)
    return text if raw is None else raw.decode("utf-8", "backslashreplace")


def real_name(text: str) -> str:
    """The file-system name `shown` made `text` from: every `\\xNN` escape (bytes 0x80-0xff)
    turned back into its byte. Unchanged when it holds none."""
    if "\\x" not in text:
        return text
    raw = _ESCAPED_BYTE.sub(lambda match: bytes([int(match[1], 16)]), text.encode("utf-8"))
    return os.fsdecode(raw)


def tsv_field(path: str | os.PathLike) -> str:
    """`path` for one field of a tab-separated line: as `shown`, with backslash, tab, newline
    and carriage return written `\\\\`, `\\t`, `\\n`, `\\r`, so a name holding them can neither
    split a line or a field, nor be read as another name. On Windows, whose names hold none of
    these and whose separator is the backslash, the path is as it is."""
    text = os.fspath(path)
    if os.name == "nt":
        return os.fsdecode(text)
    raw = text if isinstance(text, bytes) else (_name_bytes(text) or text.encode("utf-8"))
    escaped = raw.replace(b"\\", b"\\\\").decode("utf-8", "backslashreplace")
    for char, escape in _TSV_ESCAPES.items():
        escaped = escaped.replace(char, escape)
    return escaped
