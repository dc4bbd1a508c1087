"""Class names as folder and file names that every system accepts, and no two of them alike.

    folder_names(["a/b", "a_b", "x.", "x", "CON"])
    # {"a/b": "a_b", "a_b": "a_b-2", "x.": "x", "x": "x-2", "CON": "CON_"}

A class may be called anything ("T1/T2", "x.", seventy emoji, "aux"), but a folder name may not:
Windows refuses `\\ / : * ? " < > |`, control characters, names that end in a dot or a space and
the device names (CON, NUL, COM1…); most file systems stop at 255 bytes; macOS and Windows do not
tell "Tumour" from "tumour", and macOS stores names decomposed (NFD). So each name is made safe,
cut to `MAX_BYTES` of UTF-8 on a character boundary, and made unique by what those systems
compare (Unicode NFC, case folded) with "-2", "-3"… — the same on every platform, so an export
made on Linux copies to a Mac or a Windows disk whole.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: Characters some system refuses in a name.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
#: Names Windows keeps for devices, whatever their extension ("con.txt" too).
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", "¹", "²", "³")),
}
#: The longest folder name written, in bytes of UTF-8: 255 is the usual limit; room is left for
#: "-NNN" and for a file's image-id prefix.
MAX_BYTES = 200


def _cut(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, never in the middle of a character."""
    size = 0
    for i, character in enumerate(text):
        size += len(character.encode("utf-8", "surrogateescape"))  # an undecodable byte is one
        if size > limit:
            return text[:i]
    return text


def safe_name(name: str, limit: int = MAX_BYTES) -> str:
    """One name made acceptable everywhere (not yet unique)."""
    safe = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .")
    safe = _cut(safe, limit).rstrip(" .") or "_"
    stem, dot, rest = safe.partition(".")
    if stem.rstrip(" ").upper() in _RESERVED:  # "CON", "nul.tar.gz", "aux .x": devices on Windows
        safe = _cut(f"{stem}_{dot}{rest}", limit)
    return safe


def _key(name: str) -> str:
    """What case-insensitive, normalising file systems compare."""
    return unicodedata.normalize("NFC", name).casefold()


def folder_names(names: Iterable[str]) -> dict[str, str]:
    """Each class name's folder name: safe, at most MAX_BYTES, unique by `_key`; a later name
    that would clash gets "-2", "-3"… (the earlier keeps the plain one)."""
    taken: set[str] = set()
    folders = {}
    for name in names:
        base = safe_name(name)
        folder, n = base, 1
        while _key(folder) in taken:
            n += 1
            suffix = f"-{n}"
            folder = _cut(base, MAX_BYTES - len(suffix)).rstrip(" .") + suffix
        taken.add(_key(folder))
        folders[name] = folder
    return folders


def file_name(name: str, limit: int = 250) -> str:
    """An image's file name made acceptable everywhere as a class folder's entry: characters
    Windows refuses become "_", a device name is avoided, and a name too long for the disk has
    its stem cut and its extension kept."""
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 16 or not stem:
        return safe_name(name, limit)
    extension = _UNSAFE.sub("_", extension)
    return safe_name(stem, limit - len(extension.encode("utf-8", "surrogateescape")) - 1) + "." + extension
