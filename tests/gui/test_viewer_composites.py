"""The viewer's composite combo on a Sentinel-2-like scene: the composites offered, no data
transparent, NDVI with its scale, "Custom bands", and the choice kept by the project."""

from __future__ import annotations

import numpy as np

from app.core.importing.importer import import_paths
from app.core.project.settings import BANDS, COMPOSITE, get_setting
from app.core.project.store import Project
from app.gui.composite_controls import CUSTOM_BANDS
from tests.gui.conftest import make_project
from tests.satellite import S2_L1C_NAMES, SPECTRA, cover_map, sentinel2_dn, write_scene


def scene_project(tmp_path):
    path = make_project(tmp_path, images=0)
    ids = tuple(name[1:] for name in S2_L1C_NAMES)
    write_scene(tmp_path / "scenes" / "s2.tif", sentinel2_dn(cover_map(60, 90, border=6), ids), S2_L1C_NAMES)
    with Project.open(path) as project:
        import_paths(project, [tmp_path / "scenes"])
    return path


def choose(qtbot, viewer, title: str) -> None:
    box = viewer.band_controls.composite_box
    index = box.findText(title)
    assert index >= 0, [box.itemText(i) for i in range(box.count())]
    box.setCurrentIndex(index)
    box.activated.emit(index)


def pixel(viewer, x: int, y: int) -> tuple[int, int, int, int]:
    colour = viewer.picture.image.pixelColor(x, y)
    return colour.red(), colour.green(), colour.blue(), colour.alpha()


def test_a_sentinel2_scene_offers_its_composites_with_no_data_transparent(qtbot, tmp_path, open_window):
    window = open_window(scene_project(tmp_path))
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.decoded is not None and viewer.picture.shown is not None)
    box = viewer.band_controls.composite_box
    assert [box.itemText(i) for i in range(box.count())] == [
        "True colour",
        "False colour (NIR)",
        "SWIR",
        "NDVI",
        CUSTOM_BANDS,
    ]
    assert box.isVisible() and box.currentText() == "True colour"
    assert not any(band_box.isVisible() for band_box in viewer.band_boxes)
    assert not viewer.band_controls.scale.isVisible()
    assert pixel(viewer, 0, 0)[3] == 0  # the no-data border shows the viewer's background
    image_width = viewer.picture.image.width() * viewer.viewer.zoom()
    assert image_width <= viewer.viewer.viewport().width()  # fit: the whole image, border included
    red, green, blue, alpha = pixel(viewer, 15, 30)  # vegetation, true colour on 0–0.3
    assert alpha == 255 and abs(red - int(SPECTRA["vegetation"]["4"] / 0.3 * 255)) <= 1


def test_ndvi_and_custom_bands_become_the_projects_choice(qtbot, tmp_path, open_window):
    path = scene_project(tmp_path)
    window = open_window(path)
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.picture.shown == "true_colour")
    choose(qtbot, viewer, "NDVI")
    qtbot.waitUntil(lambda: viewer.picture.shown == "ndvi")
    qtbot.waitUntil(lambda: get_setting(window.project, COMPOSITE) == "ndvi")
    assert get_setting(window.project, BANDS) is None
    assert viewer.band_controls.scale.isVisible() and "NDVI" in viewer.band_controls.scale.toolTip()
    red, green, _, _ = pixel(viewer, 15, 30)  # vegetation: green
    assert green > red + 80
    red, green, _, _ = pixel(viewer, 80, 30)  # water: red-orange
    assert red > green + 80

    choose(qtbot, viewer, CUSTOM_BANDS)
    qtbot.waitUntil(lambda: get_setting(window.project, BANDS) == [7, 3, 3])  # NDVI's NIR, red
    qtbot.waitUntil(lambda: viewer.decoded.bands_shown == (7, 3, 3) and viewer.band_boxes[0].isVisible())
    assert get_setting(window.project, COMPOSITE) is None
    assert all(band_box.count() == 13 for band_box in viewer.band_boxes)
    assert viewer.band_controls.composite_box.currentText() == CUSTOM_BANDS

    choose(qtbot, viewer, "False colour (NIR)")
    qtbot.waitUntil(lambda: get_setting(window.project, COMPOSITE) == "false_colour_nir")
    qtbot.waitUntil(lambda: get_setting(window.project, BANDS) is None)
    window.close()
    reopened = open_window(path).viewer
    qtbot.waitUntil(lambda: reopened.picture.shown == "false_colour_nir")
    assert np.array_equal(reopened.decoded.bands_shown, (7, 3, 2))


def test_an_unrecognised_five_band_image_keeps_the_band_boxes(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=0)
    data = np.random.default_rng(0).integers(0, 4000, (20, 30, 5), dtype=np.uint16)
    write_scene(tmp_path / "sat" / "five.tif", data, transform=None)
    with Project.open(path) as project:
        import_paths(project, [tmp_path / "sat"])
    viewer = open_window(path).viewer
    qtbot.waitUntil(lambda: viewer.decoded is not None)
    assert not viewer.band_controls.composite_box.isVisible()
    assert all(box.isVisible() and box.count() == 5 for box in viewer.band_boxes)


def test_the_thumbnails_follow_the_composite_and_back(qtbot, tmp_path, open_window):
    """NDVI chosen in the viewer: the grid's thumbnail of the scene turns to NDVI's colours
    (vegetation green), and back to the true colour when that is chosen again."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor

    from app.gui.image_list_model import HasThumbnailRole

    window = open_window(scene_project(tmp_path))
    model, viewer = window.model, window.viewer
    qtbot.waitUntil(lambda: model.data(model.index(0), HasThumbnailRole))
    qtbot.waitUntil(lambda: viewer.picture.shown == "true_colour")

    def vegetation() -> tuple[int, int]:
        image = model.data(model.index(0), Qt.ItemDataRole.DecorationRole).toImage()
        colour = QColor(image.pixel(image.width() // 6, image.height() // 2))
        return colour.red(), colour.green()

    red, green = vegetation()
    assert green < red + 40  # true colour: dark
    choose(qtbot, viewer, "NDVI")
    qtbot.waitUntil(lambda: vegetation()[1] > vegetation()[0] + 80, timeout=5000)
    choose(qtbot, viewer, "True colour")
    qtbot.waitUntil(lambda: vegetation()[1] < vegetation()[0] + 40, timeout=5000)
    assert window.loader.rendering.composite == "true_colour"
