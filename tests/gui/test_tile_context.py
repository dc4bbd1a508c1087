"""The viewer shows a tile inside its neighbourhood (X turns it off)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt

from app.core.project.store import Project
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions
from tests.slides import pyramid_slide, slide_pixels


def test_a_tile_is_shown_in_its_neighbourhood_and_n_hides_it(tmp_path, open_window, qtbot):
    slide = pyramid_slide(tmp_path / "slide.tif", slide_pixels(1024, 768, [(256, 256, 512, 256)]))
    with Project.create(tmp_path / "p.loupe") as project:
        import_sources(project, [slide], TileOptions(size=128, level=0))
    window = open_window(tmp_path / "p.loupe")
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.context.visible, timeout=10000)
    assert viewer.context.button.isVisible() and viewer.context.action.isChecked()
    # Half a tile on every side, the tile outlined where the image is.
    assert viewer.viewer.sceneRect() == QRectF(-64, -64, 256, 256)
    assert viewer.context.outline.rect() == QRectF(0, 0, 128, 128)
    assert viewer.context.background.pixmap().width() == 256

    viewer.viewer.setFocus()
    qtbot.keyClick(viewer.viewer, Qt.Key.Key_X)
    assert not viewer.context.visible and viewer.viewer.sceneRect() == QRectF(0, 0, 128, 128)
    viewer.context.action.trigger()
    qtbot.waitUntil(lambda: viewer.context.visible, timeout=10000)


def test_an_ordinary_image_has_no_neighbourhood(tmp_path, open_window, qtbot):
    from tests import synthetic

    synthetic.save(synthetic.random_rgb(seed=1), tmp_path / "images" / "a.png")
    with Project.create(tmp_path / "p.loupe") as project:
        from app.core.importing.importer import import_paths

        import_paths(project, [tmp_path / "images"])
    window = open_window(tmp_path / "p.loupe")
    qtbot.waitUntil(lambda: window.viewer.viewer.has_image(), timeout=10000)
    assert not window.viewer.context.button.isVisible() and not window.viewer.context.visible
