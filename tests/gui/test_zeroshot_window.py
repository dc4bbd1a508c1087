"""Zero-shot in the window: Run in its tab (a tiny CLIP saved in the test), each unlabelled tile
shows its zero-shot class, Enter accepts the selected tile as one undoable action with the source
zero-shot (Ctrl+Z brings back the unlabelled tile and its suggestion), and "Accept all above"
asks first, showing the agreement with the labels already made."""

import pytest
from PySide6.QtCore import Qt

from app.core.project.store import Project
from app.gui.image_list_model import ZeroShotColourRole, ZeroShotConfidenceRole, ZeroShotNameRole
from tests.gui.conftest import make_project
from tests.zeroshot_models import save_tiny_zeroshot_clip


@pytest.fixture(scope="module")
def tiny_clip(tmp_path_factory):
    return save_tiny_zeroshot_clip(tmp_path_factory.mktemp("gui-zs-clip"))


def sources(path) -> dict[str, str]:
    with Project.open(path) as project:
        return dict(project.conn.execute("SELECT i.path, l.source FROM labels l JOIN images i ON i.id = l.image_id"))


def run_zero_shot(qtbot, window, model_folder):
    qtbot.waitUntil(lambda: getattr(window, "zero_shot", None) is not None)
    panel = window.zero_shot.panel
    qtbot.waitUntil(lambda: bool(panel.template_lines()))
    panel.model_box.setCurrentText(str(model_folder))
    panel.run_button.click()
    qtbot.waitUntil(lambda: window.zero_shot.result is not None and window.zero_shot.idle, timeout=60000)
    return panel


def test_tiles_show_zero_shot_classes_and_enter_accepts_one_undoable_action(qtbot, tmp_path, open_window, tiny_clip):
    path = make_project(tmp_path, images=6)
    window = open_window(path)
    panel = run_zero_shot(qtbot, window, tiny_clip)
    assert "Zero-shot classes for 6 unlabelled images" in panel.status.text()
    # the suggestion queue's cold start: each class's most confident image in turn
    qtbot.waitUntil(lambda: len(window.suggestions.cold_start) == 6)
    first = window.zero_shot.result.predictions[0]
    assert window.suggestions.cold_start[0] == (first.image_id, f"zero-shot: {first.class_name} {first.confidence:.0%}")
    assert "poor on specialist images" in panel.findChild(type(panel.status), "zeroShotWarning").text()
    index = window.model.index(0)
    assert window.model.data(index, ZeroShotNameRole) in ("cat", "dog")
    assert 0.5 <= window.model.data(index, ZeroShotConfidenceRole) <= 1
    assert window.model.data(index, ZeroShotColourRole) is not None
    assert "zero-shot suggestion" in window.model.data(index, Qt.ItemDataRole.ToolTipRole)
    suggested = window.model.data(index, ZeroShotNameRole)

    window.grid.setFocus()
    window.grid.select_image(window.model.image_id(0))
    qtbot.keyClick(window.grid, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.zero_shot.idle and window.labelling.idle)
    assert sources(path) == {"images/img00.png": "zero-shot"}
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0), ZeroShotNameRole) is None)  # labelled now
    with Project.open(path) as project:
        assert (
            project.conn.execute("SELECT c.name FROM labels l JOIN classes c ON c.id = l.class_id").fetchone()[0]
            == suggested
        )

    window.labelling.undo()
    qtbot.waitUntil(lambda: window.labelling.idle)
    assert sources(path) == {}
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0), ZeroShotNameRole) == suggested)


def test_accept_all_above_asks_with_the_agreement_first(qtbot, tmp_path, open_window, tiny_clip):
    path = make_project(tmp_path, images=6)
    with Project.open(path) as project:  # two labels made by hand: the agreement is measured on them
        from app.core.labelling.labels import set_labels

        ids = [i for (i,) in project.conn.execute("SELECT id FROM images ORDER BY path LIMIT 2")]
        cat = project.conn.execute("SELECT id FROM classes WHERE name = 'cat'").fetchone()[0]
        set_labels(project, [(i, cat) for i in ids])
    window = open_window(path)
    panel = run_zero_shot(qtbot, window, tiny_clip)
    assert "On the 2 images you have labelled" in panel.agreement.text()
    panel.threshold.setValue(1)
    questions = []
    panel.confirm = lambda question: questions.append(question) or False
    panel.accept_button.click()
    assert questions and "On the 2 images you have labelled" in questions[0] and "Label 4 images" in questions[0]
    assert set(sources(path).values()) == {"human"}  # said no: nothing changed
    panel.confirm = lambda question: True
    panel.accept_button.click()
    qtbot.waitUntil(lambda: window.zero_shot.idle)
    assert sorted(sources(path).values()) == ["human", "human"] + ["zero-shot"] * 4
    window.labelling.undo()
    qtbot.waitUntil(lambda: window.labelling.idle)
    assert sorted(sources(path).values()) == ["human", "human"]


def test_cancel_stops_a_run(qtbot, tmp_path, open_window, tiny_clip):
    path = make_project(tmp_path, images=6)
    window = open_window(path)
    qtbot.waitUntil(lambda: getattr(window, "zero_shot", None) is not None)
    controller = window.zero_shot
    controller.run(str(tiny_clip), ["a photo of {}."])
    controller.cancel()  # before the model loads: the job says it stopped
    failures = []
    controller.failed.connect(failures.append)
    qtbot.waitUntil(lambda: controller.idle, timeout=60000)
    assert controller.result is None
    assert failures and "stopped" in failures[0]
    assert window.model.data(window.model.index(0), ZeroShotNameRole) is None
