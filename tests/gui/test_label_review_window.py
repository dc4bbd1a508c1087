"""The Check labels queue in the window: the check runs in a lane with progress, the queue walks
the labels that look wrong with the image current in the grid; K keeps (remembered), C changes
(one undoable action with the source `review`, Ctrl+Z takes it back), arrows skip."""

import pytest
from PySide6.QtCore import Qt

from app.core.labelling.labels import set_labels
from app.core.project.store import Project
from app.core.quality.label_errors import kept_labels
from app.core.training.config import TrainConfig, remember_config
from app.gui.label_review import CHANGED, KEPT, OPEN
from app.gui.label_review_panel import show_label_review
from app.gui.shortcuts_help import SHORTCUTS
from tests.tiny_models import copy_project, make_colour_project


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_colour_project(tmp_path_factory.mktemp("colours"), per_class=8)


@pytest.fixture
def review_project(template, tmp_path, tiny_vit):
    """The colour project with two labels planted wrong; the Train form's model is the tiny ViT."""
    path = copy_project(template, tmp_path, "review.loupe")
    with Project.open(path) as project:
        remember_config(project, TrainConfig(model=str(tiny_vit), device="cpu"))
        red, green, blue = (r[0] for r in project.conn.execute("SELECT id FROM classes ORDER BY position"))
        first = {
            c: project.conn.execute("SELECT min(image_id) FROM labels WHERE class_id = ?", (c,)).fetchone()[0]
            for c in (red, blue)
        }
        set_labels(project, [(first[red], green), (first[blue], red)])
    return path


def label_row(path, image_id):
    with Project.open(path, read_only=True) as project:
        return project.conn.execute("SELECT class_id, source FROM labels WHERE image_id = ?", (image_id,)).fetchone()


def test_check_labels_keep_and_change_with_one_key_and_undo(qtbot, open_window, review_project):
    window = open_window(review_project)
    qtbot.waitUntil(lambda: window.label_review is not None, timeout=10000)
    ctl, panel = window.label_review, window.label_review.panel
    progress = []
    ctl.progressed.connect(progress.append)
    show_label_review(window)  # View ▸ Check labels…: the tab in front, the check started
    assert window.side.currentWidget() is panel and ctl.running
    qtbot.waitUntil(lambda: ctl.result is not None and ctl.idle, timeout=60000)
    assert progress and progress[-1].done == progress[-1].total
    assert ctl.result.checked == 24 and ctl.issues, "two labels were planted wrong"
    assert panel.queue.count() == len(ctl.issues) and panel.box.isVisible()
    first = ctl.issues[0]
    assert window.grid.current_image_id() == first.image_id  # shown big in the viewer too
    assert window.viewer.image_id == first.image_id
    assert first.given_name in panel.given.text() and first.suggested_name in panel.suggested.text()

    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_C)  # change to the suggestion: one key
    qtbot.waitUntil(lambda: ctl.idle and ctl.states[0] == CHANGED)
    assert label_row(review_project, first.image_id) == (first.suggested, "review")
    assert window.labelling.undo_action.text().startswith("Undo changing the label of 1 image to")
    window.labelling.undo_action.trigger()  # Ctrl+Z takes it back, the queue follows
    qtbot.waitUntil(lambda: window.labelling.idle and ctl.states[0] == OPEN)
    assert label_row(review_project, first.image_id)[0] == first.given

    ctl.go(0)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_K)  # keep: remembered in the project, no label changed
    qtbot.waitUntil(lambda: ctl.idle and ctl.states[0] == KEPT)
    with Project.open(review_project, read_only=True) as project:
        assert kept_labels(project) == {(first.image_id, first.given)}
    assert label_row(review_project, first.image_id)[0] == first.given
    if len(ctl.issues) > 1:
        assert ctl.position == 1  # on to the next open one
        qtbot.keyClick(panel, Qt.Key.Key_Left)
        assert ctl.position == 0
        qtbot.keyClick(panel, Qt.Key.Key_Right)
        assert ctl.position == 1

    panel.check_button.click()  # checked again: the kept label stays out of the queue
    qtbot.waitUntil(lambda: not ctl.running and ctl.idle, timeout=60000)
    assert first.image_id not in {i.image_id for i in ctl.issues} and ctl.result.kept == 1
    assert "kept earlier" in panel.status.text()
    assert any(keys == "Ctrl+Shift+L" for keys, _ in SHORTCUTS)


def test_a_check_can_be_cancelled_and_says_why_it_cannot_run(qtbot, open_window, template, tmp_path):
    path = copy_project(template, tmp_path, "nomodel.loupe")  # no model chosen anywhere
    window = open_window(path)
    qtbot.waitUntil(lambda: window.label_review is not None, timeout=10000)
    ctl, panel = window.label_review, window.label_review.panel
    show_label_review(window)
    qtbot.waitUntil(lambda: not ctl.running, timeout=30000)
    assert "needs a model to compute image features" in panel.status.text()
    assert "--model" not in panel.status.text()  # the window says where to choose one, not a flag
    assert panel.check_button.isEnabled() and not panel.box.isVisible()
    with Project.open(path) as project:
        remember_config(project, TrainConfig(model="/no/such/model"))
    ctl.check()
    ctl.cancel()
    qtbot.waitUntil(lambda: not ctl.running, timeout=30000)
    assert panel.check_button.isEnabled() and ctl.result is None
