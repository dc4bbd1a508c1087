"""Show ▸ Slide: NAME — the grid lists one slide's tiles, row by row."""

from __future__ import annotations

from app.core.project.store import Project
from app.core.sources.tile_import import import_sources
from app.core.sources.tiling import TileOptions
from tests.slides import pyramid_slide, slide_pixels


def test_the_show_list_offers_each_slide_and_shows_its_tiles(tmp_path, open_window, qtbot):
    first = pyramid_slide(tmp_path / "first.tif", slide_pixels(1024, 768, [(256, 256, 512, 256)]))
    second = pyramid_slide(tmp_path / "second.tif", slide_pixels(1024, 768, [(0, 0, 256, 128)]))
    with Project.create(tmp_path / "p.loupe") as project:
        import_sources(project, [first], TileOptions(size=128, level=0))
    window = open_window(tmp_path / "p.loupe")
    texts = [window.filter_bar.show_box.itemText(i) for i in range(window.filter_bar.show_box.count())]
    assert "Slide: first.tif" in texts and "Slide: second.tif" not in texts

    import_sources(window.project, [second], TileOptions(size=128, level=0))  # e.g. from another window
    window.filter_bar.refresh_sources()
    texts = [window.filter_bar.show_box.itemText(i) for i in range(window.filter_bar.show_box.count())]
    window.filter_bar.show_box.setCurrentIndex(texts.index("Slide: second.tif"))
    window.filter_bar.show_box.activated.emit(texts.index("Slide: second.tif"))
    qtbot.waitUntil(lambda: window.model.query.show == "source" and window.model.rowCount() == 2)
    assert [window.model.path(row) for row in range(2)] == [
        "second.tif::tile(L0,0,0,128x128,128)",
        "second.tif::tile(L0,128,0,128x128,128)",
    ]
    assert not window.filter_bar.sort_box.isEnabled()  # the tiles keep their order on the slide
