"""Classifying in the window: a drop asks (add or classify), the batch opens in the Results tab,
two results accepted as labels, Ctrl+Z takes them back; the heatmap overlay (H) in the viewer;
the batch and the review threshold are there again after reopening."""

import pytest
from PySide6.QtCore import QPoint, Qt

from app.core.project.settings import REVIEW_BELOW, get_setting
from app.core.project.store import Project
from app.gui.drop_choice import ADD, CLASSIFY, DropChoiceDialog
from app.gui.image_list_model import ClassIdRole
from app.gui.viewer import NO_MODEL
from tests.gui.conftest import make_project
from tests.gui.test_labelling_window import drop, labels_in
from tests.predict_runs import active_linear_run, project_copy
from tests.tiny_models import COLOURS, colour_image


@pytest.fixture(scope="module")
def trained_template(tmp_path_factory, tiny_vit):
    """A colour project (3 classes × 6 images) with an active linear run."""
    return active_linear_run(tmp_path_factory.mktemp("classify-window"), tiny_vit, per_class=6, epochs=10)


@pytest.fixture
def trained(trained_template, tmp_path):
    template, run = trained_template
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for i, name in enumerate(["red", "green", "blue", "red", "green"]):
        colour_image(COLOURS[name], seed=9000 + i).save(incoming / f"{i:02}-{name}.png")
    return project_copy(template, tmp_path / "project"), run, incoming


def results_ready(qtbot, window, rows: int) -> None:
    qtbot.waitUntil(
        lambda: (
            window.classifier.idle
            and window.results_panel is not None
            and window.results_panel.model.rowCount() == rows
        ),
        timeout=30000,
    )


def test_drop_classify_accept_two_and_undo(qtbot, trained, open_window):
    path, run, incoming = trained
    window = open_window(path)
    asked = []
    window.drop_choice = lambda parent, paths, run_text: asked.append((paths, run_text)) or CLASSIFY
    drop(window, [incoming])
    results_ready(qtbot, window, 5)
    assert asked == [([str(incoming)], asked[0][1])] and asked[0][1].startswith(f"run {run} · ")
    panel = window.results_panel
    assert window.workspaces.current_name == "review"  # the Review workspace came forward
    assert panel.model.batch.run_id == run and panel.picker.count() == 1
    assert {r.label for r in panel.model.rows} <= {"red", "green", "blue"}
    first = panel.model.index(0, 0)  # thumbnails of the rows in view, decoded in the results lane
    qtbot.waitUntil(
        lambda: first.data(Qt.ItemDataRole.DecorationRole) is not None and panel.model.thumbnails_loaded() >= 1
    )
    assert window.model.rowCount() == 18  # classifying added nothing to the project

    table = panel.table
    for row, modifier in ((0, Qt.KeyboardModifier.NoModifier), (1, Qt.KeyboardModifier.ControlModifier)):
        rect = table.visualRect(panel.model.index(row, 1))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())
    chosen = [panel.model.result(row) for row in (0, 1)]
    assert panel.selected_result_ids() == [r.id for r in chosen]
    panel.resultOpened.emit(chosen[0], run)  # the first result in the viewer, not yet a label
    qtbot.waitUntil(lambda: window.viewer.showing_outside_file and window.viewer.legend._shown is None)
    button = panel.accept_button  # its text part (the arrow beside it chooses another class)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(10, button.height() // 2))
    qtbot.waitUntil(lambda: window.classifier.idle and "Accepted 2 predictions" in window.status.currentMessage())
    expected = {f"{incoming}/{r.path.split('/')[-1]}": r.label for r in chosen}
    assert labels_in(path) | expected == labels_in(path) and len(labels_in(path)) == 18 + 2
    with Project.open(path, read_only=True) as project:
        sources = project.conn.execute("SELECT source, count(*) FROM labels GROUP BY source").fetchall()
        assert dict(sources)["accepted-prediction"] == 2
    assert "2 images added to the project" in window.status.currentMessage()
    grid_label = window.grid.currentIndex().data(ClassIdRole)
    assert grid_label is not None
    # The viewer's label line follows the accept of the result it shows (not the grid image's label).
    qtbot.waitUntil(lambda: window.viewer.legend._shown == chosen[0].class_id)
    qtbot.waitUntil(lambda: [r.accepted for r in panel.model.rows] == [True, True, False, False, False])
    qtbot.waitUntil(lambda: window.model.rowCount() == 20)  # the grid shows the new images
    assert (incoming / chosen[0].path.split("/")[-1]).exists()  # the files stayed where they were

    qtbot.keyClick(table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # one undo takes both back
    qtbot.waitUntil(lambda: window.labelling.idle and len(labels_in(path)) == 18)
    assert not set(expected) & set(labels_in(path))
    qtbot.waitUntil(lambda: not any(r.accepted for r in panel.model.rows))
    qtbot.waitUntil(lambda: window.viewer.legend._shown is None)  # and the viewer says so too


def test_heatmap_toggle_fade_and_a_result_opened_with_its_heatmap(qtbot, trained, open_window):
    path, run, incoming = trained
    window = open_window(path)
    viewer = window.viewer
    qtbot.waitUntil(lambda: viewer.viewer.has_image())
    qtbot.keyClick(window.grid, Qt.Key.Key_H)  # H where the user looks at images
    qtbot.waitUntil(lambda: viewer.viewer.has_overlay(), timeout=30000)
    assert viewer.heatmap.class_name in {"red", "green", "blue"} and 0 < viewer.heatmap.probability <= 1
    assert viewer.heat_info.full_text().startswith(f"Heatmap for '{viewer.heatmap.class_name}'")
    overlay = viewer.viewer._overlay.pixmap()
    assert (overlay.width(), overlay.height()) == (viewer.decoded.info.width, viewer.decoded.info.height)
    viewer.opacity.setValue(20)  # the slider fades it
    assert viewer.viewer.overlay_opacity() == pytest.approx(0.2)
    qtbot.keyClick(window.grid, Qt.Key.Key_H)
    assert not viewer.viewer.has_overlay() and viewer.heat_info.full_text() == ""

    window.drop_choice = lambda *args: CLASSIFY
    drop(window, [incoming / "01-green.png", incoming / "02-blue.png"])
    results_ready(qtbot, window, 2)
    table = window.results_panel.table
    table.setFocus()
    table.setCurrentIndex(window.results_panel.model.index(1, 0))
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the result, with its heatmap
    qtbot.waitUntil(lambda: viewer.path == incoming / "02-blue.png" and viewer.viewer.has_overlay(), timeout=30000)
    result = window.results_panel.model.rows[1]
    assert viewer.heatmap.class_name == result.label and viewer.heatmap_action.isChecked()


def test_without_a_model_a_drop_imports_and_the_heatmap_says_why(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=2)
    window = open_window(path)
    window.drop_choice = lambda *args: pytest.fail("asked without a model")
    folder = tmp_path / "more"
    folder.mkdir()
    colour_image(COLOURS["red"], seed=1).save(folder / "new.png")
    with qtbot.waitSignal(window.importer.finished, timeout=20000):
        drop(window, [folder])
    qtbot.waitUntil(lambda: window.viewer.viewer.has_image())
    qtbot.keyClick(window.grid, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: window.viewer.heat_info.full_text() == NO_MODEL)
    assert not window.viewer.viewer.has_overlay()


def classified(qtbot, trained, open_window):
    """The window on the trained project, its five incoming images classified: (window, panel)."""
    path, _, incoming = trained
    window = open_window(path)
    window.drop_choice = lambda *args: CLASSIFY
    drop(window, [incoming])
    results_ready(qtbot, window, 5)
    return window, window.results_panel


def test_reopening_shows_the_last_batch_and_the_review_threshold(qtbot, trained, open_window, settings):
    path, run, incoming = trained
    window, panel = classified(qtbot, trained, open_window)
    panel.threshold.setValue(95)
    panel.review.setChecked(True)
    review = [r for r in panel.model.rows if r.confidence < 0.95]
    assert panel.model.rowCount() == len(review) and panel.model.review_count() == len(review)
    panel.class_box.setCurrentIndex(panel.class_box.findText("red"))
    panel.on_filters_changed()
    assert panel.model.rowCount() == sum(r.label == "red" for r in review)
    panel.review.setChecked(False)
    panel.class_box.setCurrentIndex(0)
    panel.on_filters_changed()
    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # as a click on the Confidence header does
    shown = [panel.model.result(row).confidence for row in range(5)]
    assert shown == sorted(shown, reverse=True)
    window.close()
    with Project.open(path, read_only=True) as project:
        assert get_setting(project, REVIEW_BELOW) == pytest.approx(0.95)

    window = open_window(path)
    qtbot.waitUntil(lambda: window.results_panel is not None and window.results_panel.model.rowCount() == 5)
    panel = window.results_panel
    assert panel.threshold.value() == 95 and panel.picker.count() == 1

    panel.select_results([panel.model.rows[4].id])  # the arrow's menu: accept as another class
    as_green = next(a for a in panel.accept_menu.actions() if a.text() == "Label the selected as green")
    as_green.trigger()
    qtbot.waitUntil(lambda: window.classifier.idle and panel.model.rows[4].accepted)
    assert labels_in(path)[str(incoming / "04-green.png")] == "green"
    green = next(c.id for c in window.session.classes if c.name == "green")
    assert panel.model.rows[4].label_class_id == green

    out = path.parent / "exported.csv"
    with qtbot.waitSignal(window.classifier.exported, timeout=10000):
        window.classifier.export_csv(panel.batch_id, str(out))
    assert len(out.read_text().splitlines()) == 1 + 5
    panel.confirm = lambda question: True
    panel.delete_button.click()
    qtbot.waitUntil(lambda: panel.picker.count() == 0 and panel.model.rowCount() == 0)
    assert panel.count.full_text().startswith("No batch yet")


def test_the_drop_question_defaults_to_add(qtbot):
    dialog = DropChoiceDialog(["/data/a.png", "/data/b"], "run 2 (vit, Linear probe, 90% accuracy)")
    qtbot.addWidget(dialog)
    assert dialog.add_button.isDefault() and dialog.add_button.text() == "Add to the project for labelling"
    assert dialog.classify_button.text() == "Classify with run 2 (vit, Linear probe, 90% accuracy)"
    dialog.classify_button.click()
    assert dialog.choice == CLASSIFY
    assert ADD == "add"


def test_a_heatmap_no_longer_wanted_is_not_computed(trained, qtbot):
    """Paging through images with H on queues one heatmap per image in the one-thread explain
    lane: a request the user has moved past returns at once, before any model is loaded."""
    from app.core.errors import LoupeError
    from app.core.imaging import DecodeOptions
    from app.gui.viewer import heatmap_picture

    path, _, incoming = trained
    image = next(incoming.iterdir())
    with Project.open(path, read_only=True) as project:
        assert heatmap_picture(project, 999, image, None, DecodeOptions(), wanted=lambda: False) is None
        with pytest.raises(LoupeError):  # wanted: it goes on, and there is no run 999
            heatmap_picture(project, 999, image, None, DecodeOptions(), wanted=lambda: True)


def test_the_review_threshold_is_chosen_for_an_error_rate_on_the_validation_images(qtbot, trained, open_window):
    _, panel = classified(qtbot, trained, open_window)
    told = []
    panel.tell = told.append
    panel.ask_error_rate = lambda: 5.0  # a few validation images cannot promise 5 %
    panel.error_rate_button.click()
    qtbot.waitUntil(lambda: len(told) == 1)
    assert "every result needs review" in told[0] and panel.threshold.value() == 100 and panel.review.isChecked()
    panel.ask_error_rate = lambda: 50.0
    panel.error_rate_button.click()
    qtbot.waitUntil(lambda: len(told) == 2)
    assert told[1].startswith("Results under ") and panel.threshold.toolTip() == told[1]
    assert panel.threshold.value() < 100 and panel.model.review_count() < 5
