"""Show ▸ Near-duplicates in the window: the grid lists the stored groups, a group's images
together (each tile's group in `GridRows.notes`). When none are stored yet, choosing the entry
looks for them first, once per window: image features in the `embed` lane (progress dialog with
Cancel), the groups stored through the `write` lane, then the grid shows them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from qasync import asyncSlot

from app.core.active.pool import EmbeddingProgress
from app.core.quality.near_duplicates import find_near_duplicates, store_search
from app.core.training.near_duplicate_groups import group_counts
from app.gui.jobs import Lane
from app.gui.long_job import LongJobController

SHOW = "near_duplicates"


def found_sentence(groups: int, images: int) -> str:
    """The status bar's sentence after a search."""
    if not groups:
        return QCoreApplication.translate("NearDuplicatesController", "No near-duplicates found")
    if groups == 1:
        text = QCoreApplication.translate(
            "NearDuplicatesController",
            "{images} near-duplicate images in 1 group; training keeps each group on one side",
        )
    else:
        text = QCoreApplication.translate(
            "NearDuplicatesController",
            "{images} near-duplicate images in {groups} groups; training keeps each group on one side",
        )
    return text.format(images=images, groups=f"{groups:,}")


class NearDuplicatesController(LongJobController):
    found = Signal(object)  # quality.near_duplicates.Search
    failed = Signal(str)

    def __init__(self, project, jobs, filter_bar, parent_widget, show_dialogs: bool = True):
        super().__init__(project, jobs, parent_widget, show_dialogs)
        self.filter_bar = filter_bar
        self.searched = False  # looked once in this window: an empty result is not looked for again

    def on_filter_bar_query_changed(self, query) -> None:
        if query.show == SHOW and not self.searched and not self.running:
            self.find_if_none()

    @asyncSlot()
    async def find_if_none(self) -> None:
        groups, _ = await self.jobs.run(group_counts, self.project)
        if not groups:
            await self.find()

    @asyncSlot()
    async def find(self) -> None:
        """Look for near-duplicates among every image, store them, and show them."""
        self.searched = True
        search = await self.run_job(
            find_near_duplicates,
            self.project,
            None,
            self._relay,
            self._stop.is_set,
            lane=Lane.EMBED,
            dialog=(self.tr("Near-duplicates"), self.tr("Looking for near-duplicates…")),
        )
        if search is None:
            return
        if self.project.read_only:  # opened twice: nothing can be stored, the search says what it found
            self.failed.emit(
                self.tr("{found}; this window has the project read-only, so they are not stored or listed").format(
                    found=found_sentence(len(search.groups.groups), search.groups.images)
                )
            )
            return
        await self.jobs.run(store_search, self.project, search, lane=Lane.WRITE)
        self.found.emit(search)
        if self.filter_bar.query().show == SHOW:
            self.filter_bar.show_filter(SHOW)  # the grid queries the stored groups again

    def on_relay_progressed(self, event: EmbeddingProgress) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(event.total, 1))
        self.dialog.setValue(min(event.done, max(event.total, 1)))
        self.dialog.setLabelText(event.text or self.tr("Looking for near-duplicates…"))


def wire_near_duplicates(window) -> None:
    """The window's Show box asks for the groups; the status bar says what a search found or why
    it failed."""
    controller = window.near_duplicates
    window.filter_bar.queryChanged.connect(controller.on_filter_bar_query_changed)
    controller.found.connect(
        lambda s: window.status.showMessage(found_sentence(len(s.groups.groups), s.groups.images), 15000)
    )
    controller.failed.connect(lambda text: window.status.showMessage(text, 8000))
