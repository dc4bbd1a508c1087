"""Finds text in `app/gui` that a user would read and that does not go through Qt's translation
system (`self.tr`, `QCoreApplication.translate`, `QT_TRANSLATE_NOOP`).

Any string literal with a word in it counts as text unless it sits where no user sees it: a
docstring, an argument to a call that takes keys, names or style rather than words (object names,
settings keys, style sheets, key sequences, `print` to the terminal, exceptions for developers),
a dict key or subscript, a comparison, or a bare identifier, path or key sequence. f-strings
with words are always text: they cannot be translated at all (lupdate needs a literal), so
`self.tr("{n} images").format(n=n)` is the form to use.

`python -m tests.gui.untranslated [FILE...]` lists what it finds, one `file:line: text` a line.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUI = ROOT / "app" / "gui"

#: Calls whose arguments are the translation system's own: their literals are the translations.
TRANSLATING = {"tr", "translate", "QT_TRANSLATE_NOOP", "QT_TR_NOOP", "QT_TRANSLATE_NOOP3"}

#: Calls that take names, keys, paths, style or developer text, never words a user reads.
NOT_TEXT = {
    # Qt object names, properties, style, settings and mime types
    "setObjectName",
    "findChild",
    "findChildren",
    "setProperty",
    "property",
    "setStyleSheet",
    "setValue",
    "contains",
    "remove",
    "beginGroup",
    "hasFormat",
    "setData",
    "data",
    "QKeySequence",
    "fromTheme",
    "QColor",
    "QFont",
    "setFamily",
    "QUrl",
    "fromLocalFile",
    "Signal",
    "Slot",
    "Property",
    # logging's set-up, PIL's image modes
    "basicConfig",
    "Formatter",
    "convert",
    # Python's own plumbing
    "print",
    "getattr",
    "setattr",
    "hasattr",
    "isinstance",
    "startswith",
    "endswith",
    "split",
    "rsplit",
    "partition",
    "strip",
    "rstrip",
    "lstrip",
    "replace",
    "join",
    "Path",
    "open",
    "with_suffix",
    "glob",
    "rglob",
    "compile",
    "match",
    "search",
    "fullmatch",
    "sub",
    "environ",
    "getenv",
    "strftime",
    "strptime",
    "namedtuple",
    "TypeVar",
    "cast",
    "field",
    "warn",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
    "critical_log",
    "format_map",
    "encode",
    "decode",
    "execute",
    "import_module",
    "setdefaultencoding",
    "Template",
    "partial",
    "connect",
    "disconnect",
    "register",
    "dumps",
    "loads",
    # the launcher's command line, which stays English like the `loupe` command's
    "ArgumentParser",
    "add_argument",
    "add_parser",
    "add_argument_group",
}

#: Calls whose first argument is a key and the rest may be words (`d.get(key, "no class")`).
KEY_FIRST = {"get", "pop", "setdefault", "value"}

#: Calls that show their text argument (at this position) as it is: any word there is text, even
#: a lowercase one that elsewhere could be a key ("unknown", "smoothed").
SHOWN = {
    "setText": 0,
    "setToolTip": 0,
    "setStatusTip": 0,
    "setWindowTitle": 0,
    "setPlaceholderText": 0,
    "setTitle": 0,
    "showMessage": 0,
    "setLabelText": 0,
    "setSpecialValueText": 0,
    "setSuffix": 0,
    "setPrefix": 0,
    "addItem": 0,
    "insertItem": 1,
    "setItemText": 1,
    "setTabText": 1,
    "addTab": 1,
    "insertTab": 2,
    "QLabel": 0,
    "QPushButton": 0,
    "QCheckBox": 0,
    "QRadioButton": 0,
    "QGroupBox": 0,
    "QAction": 0,
    "QMenu": 0,
    "QListWidgetItem": 0,
    "setFormat": 0,
}

#: Exceptions for developers: raised in the window, never shown as a message (a LoupeError is).
DEVELOPER_ERRORS = {
    "LookupError",
    "ValueError",
    "TypeError",
    "RuntimeError",
    "KeyError",
    "AssertionError",
    "NotImplementedError",
}

#: Keyword arguments that name rather than say (`QWidget(objectName="grid")`).
NOT_TEXT_KEYWORDS = {"objectName", "styleSheet", "key", "shortcut", "mime_type"}

#: Words that stay as they are in every language: the product's name and the names of things.
ALLOWED = {
    "Loupe",
    "English",
    "Language",
    "hf_…",  # the shape of a Hugging Face token, as the token box's placeholder
    "DICOM",
    "CSV",
    "ONNX",
    "GeoJSON",
    "PNG",
    "JPEG",
    "TIFF",
    "LoRA",
    "CUDA",
    "MPS",
    "CPU",
}

WORD = re.compile(r"[A-Za-z]{2,}")
TAG = re.compile(r"<[^<>]*>")
LABEL_WORD = re.compile(r"^&?[A-Z][a-z]+[:…]$")
#: A literal with no space that is a key, identifier, path, file pattern or key sequence.
NOT_WORDS = re.compile(
    r"""^(
        [a-z0-9_.\-/:]*             # identifiers, keys and paths in lower case
      | [A-Za-z0-9_]*[_./:#=+\\*{}\[\]<>()%@|,;-][^\s]*  # anything with punctuation a sentence word lacks
      | Q[A-Z][A-Za-z]+             # Qt class names (style sheet selectors, object names)
      | [a-z][a-z0-9]*([A-Z][a-z0-9]*)+  # camelCase object names and settings keys
      | [A-Z][A-Z0-9]+               # codes: image modes ("RGB"), formats, units
    )$""",
    re.VERBOSE,
)


def _is_text(value: str) -> bool:
    value = TAG.sub("", value)  # HTML markup around the words is not words
    if not WORD.search(value) or value in ALLOWED:
        return False
    if LABEL_WORD.match(value):
        return True  # "Opacity:", "Models…"
    if not any(c.isspace() for c in value) and not value.startswith("&") and NOT_WORDS.match(value):
        return False
    return True


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.attr
    if isinstance(func, ast.Name):
        return func.id
    return ""


class _Finder(ast.NodeVisitor):
    def __init__(self):
        self.found: list[tuple[int, str]] = []
        self.skip: set[int] = set()

    def _skip_tree(self, node: ast.AST | None) -> None:
        if node is not None:
            self.skip.update(id(n) for n in ast.walk(node))

    def _docstring(self, node) -> None:
        body = getattr(node, "body", None)
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            self.skip.add(id(body[0].value))

    def visit_Module(self, node):
        self._docstring(node)
        self.generic_visit(node)

    def visit_ClassDef(self, node):
        self._docstring(node)
        self.generic_visit(node)

    def visit_FunctionDef(self, node):
        self._docstring(node)
        for arg in [*node.args.args, *node.args.kwonlyargs, node.args.vararg, node.args.kwarg]:
            if arg is not None:
                self._skip_tree(arg.annotation)
        self._skip_tree(node.returns)
        self.generic_visit(node)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_AnnAssign(self, node):
        self._skip_tree(node.annotation)
        self.generic_visit(node)

    def visit_Call(self, node):
        name = _call_name(node)
        position = SHOWN.get(name)
        if position is not None and len(node.args) > position:
            shown = node.args[position]
            if isinstance(shown, ast.Constant) and isinstance(shown.value, str) and id(shown) not in self.skip:
                if WORD.search(TAG.sub("", shown.value)) and shown.value not in ALLOWED:
                    self.found.append((shown.lineno, shown.value[:80]))
                    self.skip.add(id(shown))
        if name in TRANSLATING:
            # The text must be a literal: lupdate cannot read anything else.
            for arg in node.args:
                if isinstance(arg, ast.JoinedStr):
                    self.found.append((arg.lineno, "f-string inside " + name + "(): use .format() after it"))
            self._skip_tree(node)
        elif name in KEY_FIRST and node.args:
            self._skip_tree(node.args[0])
        elif name in NOT_TEXT:
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                self._skip_tree(arg)
        for keyword in node.keywords:
            if keyword.arg in NOT_TEXT_KEYWORDS:
                self._skip_tree(keyword.value)
        self.generic_visit(node)

    def visit_Raise(self, node):
        called = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        if getattr(called, "id", getattr(called, "attr", "")) in DEVELOPER_ERRORS:
            self._skip_tree(node)  # for developers and the error log; a LoupeError reaches the user
        self.generic_visit(node)

    def visit_Subscript(self, node):
        self._skip_tree(node.slice)
        self.generic_visit(node)

    def visit_Dict(self, node):
        for key in node.keys:
            self._skip_tree(key)
        self.generic_visit(node)

    def visit_Compare(self, node):
        for side in [node.left, *node.comparators]:
            if isinstance(side, (ast.Constant, ast.Tuple, ast.Set, ast.List)):
                self._skip_tree(side)
        self.generic_visit(node)

    def visit_JoinedStr(self, node):
        if id(node) not in self.skip:
            words = TAG.sub("", "".join(v.value for v in node.values if isinstance(v, ast.Constant)))
            if _is_text(words) or (WORD.search(words) and " " in words):
                self.found.append((node.lineno, "f-string: " + words.strip()[:70]))
        self._skip_tree(node)

    def visit_Constant(self, node):
        if id(node) not in self.skip and isinstance(node.value, str) and _is_text(node.value):
            self.found.append((node.lineno, node.value[:80]))


def untranslated(path: Path) -> list[str]:
    """`file:line: text` for each piece of text in one module that is not translated."""
    finder = _Finder()
    finder.visit(ast.parse(path.read_text(encoding="utf-8")))
    rel = path.resolve().relative_to(ROOT)
    return [f"{rel}:{line}: {text!r}" for line, text in sorted(finder.found)]


def gui_modules() -> list[Path]:
    return sorted(GUI.rglob("*.py"))


if __name__ == "__main__":
    paths = [Path(p) for p in sys.argv[1:]] or gui_modules()
    findings = [f for path in paths for f in untranslated(path)]
    print("\n".join(findings))
    print(f"{len(findings)} untranslated", file=sys.stderr)
