"""The Hugging Face access token box of the Models page: a password field, Save and Forget, and
a sentence saying whether a token is saved and where (huggingface_hub's own token file, never
the project). Saving and forgetting run in the window's lanes; the box reports what happened in
words (`said`) and when the saved state changed (`changed`)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout
from qasync import asyncSlot

from app.core import hub
from app.core.errors import LoupeError
from app.gui.jobs import JobRunner

#: Where the user makes an access token.
TOKENS_URL = "https://huggingface.co/settings/tokens"


class TokenBox(QGroupBox):
    said = Signal(str)  # what happened, in a sentence
    changed = Signal()  # a token was saved or forgotten

    def __init__(self, jobs: JobRunner, parent=None):
        super().__init__(parent)
        self.setTitle(self.tr("Hugging Face access token"))
        self.jobs = jobs
        self.edit = QLineEdit(self, objectName="tokenEdit")
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setPlaceholderText("hf_…")
        self.edit.returnPressed.connect(self.on_save_clicked)
        self.save_button = QPushButton(self.tr("Save"), self, objectName="saveTokenButton")
        self.save_button.clicked.connect(self.on_save_clicked)
        self.forget_button = QPushButton(self.tr("Forget"), self, objectName="forgetTokenButton")
        self.forget_button.clicked.connect(self.on_forget_clicked)
        self.state = QLabel(self, objectName="tokenState")
        self.state.setWordWrap(True)
        self.state.setOpenExternalLinks(True)
        self.state.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.save_button)
        row.addWidget(self.forget_button)
        column = QVBoxLayout(self)
        column.addLayout(row)
        column.addWidget(self.state)
        column.addStretch(1)
        self.show_state(False, self.tr("huggingface_hub's token file"))

    def show_state(self, saved: bool, where: str) -> None:
        state = self.tr("A token is saved.") if saved else self.tr("No token is saved.")
        self.state.setText(
            self.tr(
                "{state} Only models with accepted terms need one. It is kept in huggingface_hub's own token "
                'file ({where}), never in the project. <a href="{url}">Make a token</a> (read access is enough).'
            ).format(state=state, where=html.escape(where), url=TOKENS_URL)
        )
        self.forget_button.setEnabled(saved)

    @asyncSlot()
    async def on_save_clicked(self) -> None:
        token = self.edit.text().strip()
        if not token or self.jobs.closed:
            return
        self.edit.clear()  # the token is not kept in the window
        try:
            await self.jobs.run(hub.save_token, token)
        except (LoupeError, OSError) as exc:
            self.said.emit(self.tr("The token was not saved: {error}").format(error=exc))
            return
        self.said.emit(self.tr("Access token saved."))
        self.changed.emit()

    @asyncSlot()
    async def on_forget_clicked(self) -> None:
        if self.jobs.closed:
            return
        try:
            await self.jobs.run(hub.forget_token)
        except (LoupeError, OSError) as exc:
            self.said.emit(self.tr("The token was not removed: {error}").format(error=exc))
            return
        self.said.emit(self.tr("Access token forgotten."))
        self.changed.emit()
