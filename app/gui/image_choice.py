"""How the project's multi-band images are shown, chosen in the viewer: a band choice or a named
composite becomes the project's (saved in the write lane) and the grid's thumbnails follow."""

from __future__ import annotations

from app.core.project.settings import BANDS, set_composite_choice, set_setting
from app.gui.jobs import Lane


def wire_image_choice(window) -> None:
    """Connect the viewer's band and composite choices to the project and the thumbnails."""

    def on_bands_chosen(bands: tuple[int, int, int]) -> None:
        if not window.project.read_only:
            window.jobs.run(set_setting, window.project, BANDS, list(bands), lane=Lane.WRITE)
        window.loader.set_bands(bands)
        window.model.reload_thumbnails()

    def on_composite_chosen(name: str) -> None:
        """ "" is bands chosen by hand, which `on_bands_chosen` saves; the bands follow at once
        (before any repaint asks for a thumbnail)."""
        if not window.project.read_only:
            window.jobs.run(set_composite_choice, window.project, name or None, lane=Lane.WRITE)
        window.loader.set_composite(name or None)
        window.model.reload_thumbnails()

    window.viewer.bandsChosen.connect(on_bands_chosen)
    window.viewer.compositeChosen.connect(on_composite_chosen)
