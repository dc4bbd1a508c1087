"""Show ▸ Near-duplicates in the window: the stored groups listed together; with none stored,
choosing the entry looks for them first (off the GUI thread), stores them and lists them."""

from __future__ import annotations

import numpy as np
from PIL import Image

from app.core.project.store import Project
from app.core.training.config import TrainConfig, remember_config
from app.core.training.near_duplicate_groups import read_groups, store_groups
from app.core.training.near_duplicates import NearDuplicates
from tests.gui.conftest import make_project


def shown_ids(window) -> list[int]:
    return list(window.model.rows.image_ids)


def test_the_stored_groups_are_listed_together(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=10)
    with Project.open(path) as project:
        store_groups(project, NearDuplicates([[2, 7], [3, 5, 9]], {2: 0.99, 7: 0.99}), "test", scope=range(1, 11))
    window = open_window(path)
    texts = [window.filter_bar.show_box.itemText(i) for i in range(window.filter_bar.show_box.count())]
    assert "Near-duplicates" in texts
    window.filter_bar.show_filter("near_duplicates")
    qtbot.waitUntil(lambda: shown_ids(window) == [2, 7, 3, 5, 9], timeout=10000)
    assert window.model.rows.notes[5] == window.model.rows.notes[9]
    assert window.model.rows.notes[5].startswith("near-duplicate group 3: 3 images")
    from PySide6.QtCore import Qt

    from app.gui.image_list_model import NoteRole

    row_of_5 = window.model.index(shown_ids(window).index(5))
    assert window.model.data(row_of_5, NoteRole) == window.model.rows.notes[5]
    assert "near-duplicate group 3: 3 images" in window.model.data(row_of_5, Qt.ItemDataRole.ToolTipRole)
    window.grid.viewport().grab()  # the tile paints its "≈ group 3" badge without error
    assert not window.filter_bar.sort_box.isEnabled()  # listed by group
    assert not window.near_duplicates.searched  # groups were stored: no search
    window.filter_bar.show_filter("all")
    qtbot.waitUntil(lambda: len(shown_ids(window)) == 10, timeout=10000)


def test_choosing_the_entry_with_none_stored_finds_them_first(qtbot, tmp_path, open_window, tiny_vit):
    path = make_project(tmp_path, images=0)
    folder = tmp_path / "images"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(12):
        Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(folder / f"img{i:02}.png")
    twin = np.asarray(Image.open(folder / "img03.png")).copy()
    twin[0, 0] = 255 - twin[0, 0]  # another file, nearly the same image
    Image.fromarray(twin).save(folder / "twin-of-img03.png")
    from app.core.importing.importer import import_paths

    with Project.open(path) as project:
        import_paths(project, [folder])
        remember_config(project, TrainConfig(model=str(tiny_vit)))
        ids = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
    window = open_window(path)
    window.near_duplicates.show_dialogs = False
    window.filter_bar.show_filter("near_duplicates")
    pair = sorted(i for p, i in ids.items() if p.endswith(("img03.png", "twin-of-img03.png")))
    qtbot.waitUntil(lambda: shown_ids(window) == pair, timeout=60000)
    qtbot.waitUntil(lambda: not window.jobs.busy("embed") and not window.jobs.busy("write"), timeout=10000)
    assert window.near_duplicates.searched
    with Project.open(path, read_only=True) as project:
        assert read_groups(project) == {pair[0]: pair[0], pair[1]: pair[0]}
    assert "2 near-duplicate images in 1 group" in window.status.currentMessage()
