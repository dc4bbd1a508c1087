"""A form built from a config dataclass: one row per field, the widget chosen by the field's type,
the tooltip from its help text. A new config field appears in the form with no form code."""

from __future__ import annotations

import types
import typing
from dataclasses import MISSING, fields
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.elided_label import ElidedLineEdit
from app.gui.i18n import core_text


def _field_type(annotation) -> tuple[type, bool]:
    """(the base type, whether None is allowed) of an annotation like `float | None`."""
    if isinstance(annotation, types.UnionType):
        args = typing.get_args(annotation)
        base = next(a for a in args if a is not type(None))
        return base, type(None) in args
    return annotation, False


class _Editor:
    """Reads and writes one field's widget."""

    def __init__(self, widget: QWidget, get, put):
        self.widget, self.get, self.put = widget, get, put


def _bool_editor(_) -> _Editor:
    box = QCheckBox()
    return _Editor(box, box.isChecked, box.setChecked)


def _int_editor(field) -> _Editor:
    """A spin box that cannot go below the field's rule (the config's `validate` says the rest)."""
    box = QSpinBox()
    box.setRange(int(field.metadata.get("min", 0)), 1_000_000)
    return _Editor(box, box.value, box.setValue)


def _optional_number_editor(kind: type, field=None) -> _Editor:
    """A text box where empty means "the default" (None) and a number means itself (a whole
    number no lower than the field's minimum, for an int)."""
    edit = QLineEdit()
    edit.setPlaceholderText(QCoreApplication.translate("ConfigForm", "default"))
    lowest = int(field.metadata.get("min", -(2**31))) if field is not None else -(2**31)
    edit.setValidator(QIntValidator(lowest, 2**31 - 1, edit) if kind is int else QDoubleValidator(edit))

    def get():
        text = edit.text().strip()
        return kind(text) if text else None

    return _Editor(
        edit, get, lambda value: edit.setText("" if value is None else f"{value:g}" if kind is float else str(value))
    )


def _float_editor(_) -> _Editor:
    editor = _optional_number_editor(float)
    editor.widget.setPlaceholderText("")
    return editor


def _str_editor(_) -> _Editor:
    edit = QLineEdit()
    return _Editor(edit, edit.text, edit.setText)


_EDITORS = {bool: _bool_editor, int: _int_editor, float: _float_editor, str: _str_editor}


#: A choice in a list: (value, short text shown in the list, a sentence shown under it).
Choice = tuple[Any, str, str]


def _choice_editor(choices: list[Choice], editable: bool) -> _Editor:
    """A list; an editable one also takes typed text (a hub id, a model folder), which it shows
    shortened in the middle when too long (`ElidedLineEdit`), the folder's name whole."""
    box = QComboBox()
    box.setEditable(editable)
    if editable:
        box.setLineEdit(ElidedLineEdit(box))
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)  # Return keeps typed text as typed, adds no item
    for value, text, note in choices:
        box.addItem(text, value)
        box.setItemData(box.count() - 1, note, Qt.ItemDataRole.ToolTipRole)

    def get():
        index = box.currentIndex()
        if editable and (index < 0 or box.currentText() != box.itemText(index) or box.itemData(index) is None):
            return box.currentText().strip()
        return box.itemData(index)

    def put(value):
        index = box.findData(value)
        if index >= 0:
            box.setCurrentIndex(index)
        elif editable:
            box.setEditText(str(value))

    return _Editor(box, get, put)


class _WrappedNote(QLabel):
    """A word-wrapped label that asks for the height its text needs at its width: a scroll area's
    form otherwise squeezes a long note into the height of a short one, clipping its lines."""

    def __init__(self):
        super().__init__()
        self.setWordWrap(True)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        needed = self.heightForWidth(self.width()) if self.width() > 50 else self.sizeHint().height()
        if needed != self.minimumHeight() or needed != self.maximumHeight():
            self.setFixedHeight(needed)  # neither clipped nor padded with the form's spare height


def _note_label(box: QComboBox) -> QLabel:
    """A wrapped line under a list that says what the chosen item is (the list stays narrow).
    `label.shown(has_text)` follows each change: the form hides the row while there is nothing to
    say (typed text, an item without a sentence), leaving no empty gap under the list."""
    label = _WrappedNote()
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 0.9)
    label.setFont(font)
    label.shown = lambda has_text: None

    def show() -> None:
        index = box.currentIndex()
        chosen = index >= 0 and box.currentText() == box.itemText(index)
        label.setText((box.itemData(index, Qt.ItemDataRole.ToolTipRole) or "") if chosen else "")
        label.shown(bool(label.text()))

    box.currentIndexChanged.connect(show)
    box.editTextChanged.connect(show)
    label.refresh = show
    show()
    return label


class ConfigForm(QWidget):
    """Edits a config dataclass. `choices[name]` turns a field into a list of `Choice`s (editable
    ones also take free text, e.g. a hub id), each explained under the list when chosen; fields
    named in `advanced` go in an "Expert settings" group, closed until asked for."""

    def __init__(
        self,
        config_class,
        initial,
        choices: dict[str, tuple[list[Choice], bool]] | None = None,
        advanced: set[str] = frozenset(),
        parent=None,
    ):
        super().__init__(parent)
        self.config_class = config_class
        self.editors: dict[str, _Editor] = {}
        self.notes: dict[str, QLabel] = {}
        hints = typing.get_type_hints(config_class)
        main, more = QFormLayout(), QFormLayout()
        self.expert = group = QGroupBox(self.tr("Expert settings"))
        group.setCheckable(True)
        group.setChecked(False)
        for field in fields(config_class):
            kind, optional = _field_type(hints[field.name])
            if choices and field.name in choices:
                editor = _choice_editor(*choices[field.name])
            elif optional and kind in (int, float):
                editor = _optional_number_editor(kind, field)
            else:
                editor = _EDITORS[kind](field)
            editor.widget.setToolTip(core_text(field.metadata.get("help", "")))
            editor.widget.setObjectName(f"config_{field.name}")
            form = more if field.name in advanced else main
            label = core_text(field.metadata.get("label", "")) or field.name.replace("_", " ").capitalize()
            form.addRow(label, editor.widget)
            if isinstance(editor.widget, QComboBox) and any(note for _, _, note in choices[field.name][0]):
                note = self.notes[field.name] = _note_label(editor.widget)
                form.addRow("", note)
                note.shown = lambda has_text, form=form, note=note: form.setRowVisible(
                    note, has_text and (form is main or group.isChecked())
                )
            self.editors[field.name] = editor
        self._forms = (main, more)
        group.setLayout(more)
        group.toggled.connect(self._show_expert)
        self._show_expert(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(main)
        if more.rowCount():
            layout.addWidget(group)
        layout.addStretch(1)  # a tall column: the space below the form, not a tall empty group box
        self.set_value(initial)
        for note in self.notes.values():  # in place now: a row shown is not a window of its own
            note.refresh()

    def _show_expert(self, on: bool) -> None:
        """Open or close the expert settings: their rows shown or hidden, a note only with a text."""
        more = self._forms[1]
        notes = set(self.notes.values())
        for row in range(more.rowCount()):
            field = more.itemAt(row, QFormLayout.ItemRole.FieldRole)
            note = field.widget() if field is not None else None
            more.setRowVisible(row, on and (note not in notes or bool(note.text())))

    def attach(self, name: str, widget: QWidget) -> None:
        """Put `widget` beside a field's editor (e.g. Browse… beside the model)."""
        editor = self.editors[name].widget
        for form in self._forms:
            row, _ = form.getWidgetPosition(editor)
            if row >= 0:
                form.removeWidget(editor)
                pair = QWidget(self)
                line = QHBoxLayout(pair)
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(editor, 1)
                line.addWidget(widget)
                form.setWidget(row, QFormLayout.ItemRole.FieldRole, pair)
                return
        raise KeyError(name)

    def set_choice_note(self, name: str, value, note: str) -> None:
        """Change the sentence shown under a list when `value` is chosen."""
        box = self.editors[name].widget
        index = box.findData(value)
        if index >= 0:
            typed = box.currentText()  # an editable list puts its current item's text back on any data change
            box.setItemData(index, note, Qt.ItemDataRole.ToolTipRole)
            if box.isEditable() and box.currentText() != typed:
                box.setEditText(typed)  # keep a model path the user typed
            self.notes[name].refresh()

    def set_value(self, config) -> None:
        for field in fields(self.config_class):
            self.editors[field.name].put(getattr(config, field.name))

    def value(self):
        values = {}
        for field in fields(self.config_class):
            value = self.editors[field.name].get()
            if value is None and field.default is not MISSING and field.default is not None:
                value = field.default
            values[field.name] = value
        return self.config_class(**values)
