"""Files PyInstaller's hooks collect that Loupe never opens, dropped from the bundle by
loupe.spec after the analysis (modules it never imports are left out by the spec's `excludes`).
The bundle built with these rules passes `make bundle-check`, as the one built without them
does (packaging/README.md, "Trimming", has the sizes).

Entries are PyInstaller TOC tuples (name in the bundle, source path, type); a rule is a glob on
the name in the bundle, "/" separated.
"""

from __future__ import annotations

from fnmatch import fnmatch

#: Names kept even where a rule below matches.
KEEP = (
    # Qt's own strings (standard buttons, file dialogs) in the interface's two languages.
    "PySide6/Qt/translations/qtbase_zh_CN.qm",
    "PySide6/Qt/translations/qtbase_en.qm",
)

DROP = (
    # Qt's translations for its other tools (designer, linguist, assistant, qml…) and other
    # languages: ~200 files, 7 MB.
    "PySide6/Qt/translations/*",
    # protoc, the protocol buffer compiler torch ships for building extensions (11 MB); the
    # torch_shm_manager beside it is kept (DataLoader workers share memory through it).
    "torch/bin/protoc*",
    # Headers, static libraries and build files: nothing links against the bundle.
    "*.a",
    "*/include/*",
    "torch/share/*",
    "*.cmake",
    # Tk's scripts and data, for tkinter, which the spec excludes.
    "_tcl_data/*",
    "_tk_data/*",
    "tcl8/*",
)


def dropped(name: str) -> bool:
    name = name.replace("\\", "/")
    return name not in KEEP and any(fnmatch(name, rule) for rule in DROP)


def trim(binaries: list, datas: list) -> tuple[list, list]:
    """The analysis' binaries and datas without the dropped files."""
    return [entry for entry in binaries if not dropped(entry[0])], [entry for entry in datas if not dropped(entry[0])]
