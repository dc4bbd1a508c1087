"""Suggestions in the window, with a tiny local model as the source of image features: the
Suggested queue in Show (N), labelling in it, a background refresh that keeps the user's place,
the Suggest panel, and a source that cannot load."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

from app.core.active.acquisition import DEFAULT_STRATEGY, STRATEGIES
from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.classes import add_class, list_classes
from app.core.labelling.labels import label_images
from app.core.project.settings import SUGGESTION_STRATEGY, SUGGESTIONS_ENABLED, get_setting, set_setting
from app.core.project.store import Project
from app.core.training.config import TRAIN_FORM, TrainConfig, remember_config
from app.gui.active_learning import MODEL_HINT, REFRESH_EVERY
from app.gui.export_dialog import export_choices
from app.gui.image_grid_view import two_lines
from app.gui.image_list_model import SuggestionRole
from app.gui.learning_curve_plot import ACCURACY_TICKS
from app.gui.shortcuts_help import SHORTCUTS
from tests.gui.test_labelling_window import committed, labels_in
from tests.read_only import read_only_copy
from tests.tiny_models import colour_image

IMAGES = 48
SEED_LABELS = 2  # per class, before the window opens


@pytest.fixture
def colour_project(tmp_path, tiny_vit):
    """48 images of random colours (red, green or blue by their strongest channel), 2 of each
    class labelled; suggestions' image features from `model` (the tiny ViT unless told). Each
    image has a colour of its own: same-colour images would be near-duplicates, one per queue."""

    def make(model=None):
        rng = np.random.default_rng(0)
        colours = rng.integers(0, 256, (IMAGES, 3))
        images = tmp_path / "images"
        images.mkdir()
        for i, colour in enumerate(colours):
            colour_image(tuple(int(v) for v in colour), seed=i).save(images / f"im{i:02}.png")
        path = tmp_path / "suggest.loupe"
        with Project.create(path) as project:
            for name in ("red", "green", "blue"):
                add_class(project, name)
            import_paths(project, [images], ImportOptions())
            remember_config(project, TrainConfig(model=str(model or tiny_vit)))
            ids = dict(project.conn.execute("SELECT path, id FROM images").fetchall())
            for channel, info in enumerate(list_classes(project)):
                mine = [ids[f"images/im{i:02}.png"] for i in range(IMAGES) if colours[i].argmax() == channel]
                label_images(project, mine[:SEED_LABELS], info.id)
        return path

    return make


def wait_for_queue(qtbot, window, refreshes=1, timeout=30000):
    """Until `refreshes` refreshes have put their queue in the grid (and every lane is quiet)."""
    ctl = window.suggestions
    qtbot.waitUntil(lambda: ctl.error is None and ctl.refreshes >= refreshes and ctl.idle, timeout=timeout)
    qtbot.waitUntil(
        lambda: (
            window.model.query.show == "suggested"
            and window.model.query.image_ids == ctl.queue
            and not window.jobs.busy("interactive")
            and not window.jobs.busy("write")
        )
    )
    assert ctl.error is None, ctl.error


def test_the_queue_in_order_and_labelling_moves_to_the_next_suggestion(qtbot, colour_project, open_window):
    path = colour_project()
    window = open_window(path)
    ctl = window.suggestions
    assert not ctl.enabled and ctl.queue == ()
    qtbot.keyClick(window.grid, Qt.Key.Key_N)  # Label next suggestions
    wait_for_queue(qtbot, window)
    model = window.model
    queue = list(ctl.queue)
    assert len(queue) > 5 and model.rows.image_ids == queue  # the grid shows the queue, in its order
    assert ctl.last_refresh.strategy == DEFAULT_STRATEGY and ctl.last_refresh.labels == 3 * SEED_LABELS
    assert [s.image_id for s in ctl.last_refresh.suggestions] == queue
    assert window.grid.current_image_id() == queue[0] and window.grid.hasFocus()
    assert f"Suggested ({STRATEGIES[DEFAULT_STRATEGY].title})" == window.filter_bar.show_box.currentText()
    assert not window.filter_bar.sort_box.isEnabled()  # the queue keeps its own order
    why = model.data(model.index(0), SuggestionRole)
    # 2 labels per class: the default still picks typical images of groups no label represents yet
    assert why == ctl.reasons[queue[0]] and why.startswith("representative of a group of")
    assert f"suggested: {why}" in model.data(model.index(0), Qt.ItemDataRole.ToolTipRole)
    with Project.open(path, read_only=True) as project:  # remembered: reopening resumes
        assert get_setting(project, SUGGESTIONS_ENABLED) is True

    qtbot.keyClick(window.grid, Qt.Key.Key_1)  # label the current suggestion
    committed(qtbot, window)
    assert window.grid.current_image_id() == queue[1]  # the next suggestion is current
    qtbot.waitUntil(lambda: window.suggestion_panel is not None)  # the dock is built after the first screen
    assert window.suggestion_panel.isVisible()  # N showed how the first suggestions came
    assert model.rows.image_ids == queue[1:]  # the labelled image left the queue
    assert ctl.labels_since == 1 and window.suggestion_panel.count.text().startswith("1 label since the last refresh")
    assert len(labels_in(path)) == 3 * SEED_LABELS + 1

    window.labelling.undo_action.trigger()  # undo (Ctrl+Z): the image is back in its place
    committed(qtbot, window)
    qtbot.waitUntil(lambda: model.rows.image_ids == queue and window.grid.current_image_id() == queue[0])


def test_reopening_resumes_suggestions_with_the_remembered_strategy(qtbot, colour_project, open_window):
    path = colour_project()
    with Project.open(path) as project:
        set_setting(project, SUGGESTIONS_ENABLED, True)
        set_setting(project, SUGGESTION_STRATEGY, "least-confidence")
    window = open_window(path)
    ctl = window.suggestions
    assert ctl.enabled and ctl.strategy == "least-confidence"
    qtbot.waitUntil(lambda: ctl.refreshes >= 1 and ctl.idle, timeout=30000)  # without a request
    assert ctl.last_refresh.strategy == "least-confidence" and len(ctl.queue) > 5
    assert window.model.query.show == "all"  # the grid stays as it was
    assert window.suggestion_panel.strategy_box.currentData() == "least-confidence"


def test_a_background_refresh_keeps_the_current_image_and_its_place(qtbot, colour_project, open_window):
    path = colour_project()
    window = open_window(path)
    ctl = window.suggestions
    window.filter_bar.show_filter("suggested")  # choosing Suggested in Show turns suggestions on
    wait_for_queue(qtbot, window)
    first = list(ctl.queue)
    window.grid.clearSelection()
    window.grid.select_row(2)  # the user skipped two suggestions
    assert window.grid.selected_image_ids() == [first[2]]
    shown = []
    for label in range(REFRESH_EVERY):  # labels the third and those after it: a refresh follows
        if label == REFRESH_EVERY - 1:
            window.grid.currentImageChanged.connect(shown.append)
        qtbot.keyClick(window.grid, Qt.Key.Key_2)
        committed(qtbot, window)
    current = window.grid.current_image_id()
    assert current == first[2 + REFRESH_EVERY]
    wait_for_queue(qtbot, window, refreshes=2)
    rows = window.model.rows.image_ids
    assert window.grid.current_image_id() == current  # still current
    assert shown == [current]  # only the move after the last label: the viewer never reloaded
    assert rows[:3] == [first[0], first[1], current]  # the user's place: the skipped ones and the current one
    assert ctl.last_refresh.labels == 3 * SEED_LABELS + REFRESH_EVERY
    assert rows[3:] == [s.image_id for s in ctl.last_refresh.suggestions if s.image_id not in rows[:3]]
    assert set(rows[3:]) != set(first[3 + REFRESH_EVERY :])  # new suggestions follow
    assert ctl.labels_since == 0
    with Project.open(path, read_only=True) as project:
        assert project.conn.execute("SELECT count(*) FROM active_rounds").fetchone()[0] == 2

    # Nothing changed: no new query of the grid.
    queries = []
    window.rowsLoaded.connect(queries.append)
    ctl._show_refresh(ctl.last_refresh)
    assert queries == []


def test_the_panel_explains_the_strategy_counts_labels_and_says_when_to_stop(qtbot, colour_project, open_window):
    path = colour_project()
    window = open_window(path)
    ctl = window.suggestions
    qtbot.waitUntil(lambda: window.suggestion_panel is not None)
    panel = window.suggestion_panel
    window.show_suggestions()  # opening the panel asks for suggestions
    qtbot.waitUntil(lambda: ctl.refreshes >= 1 and ctl.idle, timeout=30000)
    assert panel.isVisible() and panel.label_button.isVisible()
    assert panel.explanation.text() == STRATEGIES[DEFAULT_STRATEGY].explanation
    assert panel.count.text() == f"0 labels since the last refresh · refreshes every {REFRESH_EVERY} labels"
    qtbot.waitUntil(lambda: panel.advice.text() != "")
    assert panel.advice.text().endswith(".") and "label" in panel.advice.text().lower()
    assert "Accuracy" in panel.accuracy.text() or "No accuracy estimate yet" in panel.accuracy.text()
    assert "suggestions from" in panel.status.text()
    assert panel.plot is not None
    accuracy_axis = panel.plot.plot.getAxis("left")  # in percent, as the sentence beside it says it
    assert accuracy_axis.labelText == "accuracy" and accuracy_axis._tickLevels == [ACCURACY_TICKS]
    assert [text for _, text in ACCURACY_TICKS] == ["0%", "25%", "50%", "75%", "100%"]

    index = panel.strategy_box.findData("entropy")  # another strategy: explained, remembered, refreshed at once
    panel.strategy_box.setCurrentIndex(index)
    panel.strategy_box.activated.emit(index)
    assert panel.explanation.text() == STRATEGIES["entropy"].explanation
    qtbot.waitUntil(lambda: ctl.refreshes >= 2 and ctl.idle and ctl.last_refresh.strategy == "entropy", timeout=10000)
    assert "Suggested (Most uncertain)" in [
        window.filter_bar.show_box.itemText(i) for i in range(window.filter_bar.show_box.count())
    ]
    qtbot.waitUntil(lambda: not window.jobs.busy("write") and not window.jobs.busy("interactive"))
    with Project.open(path, read_only=True) as project:
        assert get_setting(project, SUGGESTION_STRATEGY) == "entropy"
    assert any(keys == "N" for keys, _ in SHORTCUTS)
    for name in STRATEGIES:  # every strategy fills the queue from the window
        done = ctl.refreshes
        ctl.set_strategy(name)
        qtbot.waitUntil(lambda: ctl.idle and ctl.refreshes > done, timeout=10000)
        assert ctl.error is None and len(ctl.queue) > 5 and ctl.last_refresh.strategy == name
        assert all(ctl.reasons[i] for i in ctl.queue)


def test_a_source_that_cannot_load_says_so_in_a_sentence(qtbot, colour_project, open_window, tmp_path):
    path = colour_project(model=tmp_path / "no-such-model")
    window = open_window(path)
    ctl = window.suggestions
    failures = []
    ctl.failed.connect(failures.append)
    qtbot.keyClick(window.grid, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: ctl.error is not None and ctl.idle, timeout=10000)
    qtbot.waitUntil(lambda: window.suggestion_panel is not None)
    status = window.suggestion_panel.status.text()
    assert status == ctl.error and status.startswith("No suggestions: ") and "no-such-model" in status
    assert "\n" not in status and "Traceback" not in status and len(failures) == 1
    assert window.model.rowCount() == 0 and window.model.query.show == "suggested"
    assert not window.suggestion_panel.progress.isVisible()
    assert window.grid.placeholder == ctl.error  # the empty grid says why, not only the Suggest tab
    assert status.endswith(f". {MODEL_HINT}")  # and what to do about it in the window


def test_a_reason_on_two_lines_keeps_each_class_with_its_probability():
    fits = lambda text: len(text) <= 16  # noqa: E731 - a tile about 16 characters wide
    assert two_lines("blue 55% · green 45%", fits) == ["blue 55% ·", "green 45%"]  # not "blue 55% · green" / "45%"
    bald = "no-cells 98% · healthy 2% · passes disagree"
    assert two_lines(bald, fits) == ["no-cells 98% ·", "healthy 2% · passes disagree"]  # the rest is elided
    assert two_lines("a 1% · b 2% · c 3%", lambda text: len(text) <= 13) == ["a 1% · b 2% ·", "c 3%"]
    assert two_lines("representative of a group of 12 similar images", fits) == [
        "representative",
        "of a group of 12 similar images",
    ]


def test_the_empty_queue_says_in_the_grid_how_image_features_come_along_and_cancel_keeps_them(
    qtbot, colour_project, open_window, monkeypatch
):
    import threading

    import app.gui.active_learning as active_learning
    from app.core.active.pool import EmbeddingProgress

    gate, real = threading.Event(), active_learning.embed_images

    def held(project, source, on_progress, should_stop):  # the first batch takes until the test says
        on_progress(EmbeddingProgress(0, IMAGES, f"Image features: 0 of {IMAGES}"))
        gate.wait(10)
        return real(project, source, on_progress=on_progress, should_stop=should_stop)

    monkeypatch.setattr(active_learning, "embed_images", held)
    window = open_window(colour_project())
    ctl = window.suggestions
    qtbot.keyClick(window.grid, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.grid.placeholder == f"Image features: 0 of {IMAGES}", timeout=10000)
    assert window.model.rowCount() == 0 and ctl.computing_features
    qtbot.waitUntil(lambda: window.suggestion_panel is not None and window.suggestion_panel.cancel_button.isVisible())
    window.suggestion_panel.cancel_button.click()
    gate.set()
    qtbot.waitUntil(lambda: ctl.idle and not ctl.computing_features, timeout=10000)
    assert window.grid.placeholder.startswith("Stopped computing image features") and ctl.error is None
    assert not window.suggestion_panel.progress.isVisible() and not ctl.enabled
    window.filter_bar.show_filter("all")  # another filter: no word about suggestions
    qtbot.waitUntil(lambda: window.model.rowCount() == IMAGES)
    assert window.grid.placeholder == ""


def test_when_every_image_has_a_label_the_queue_says_so(qtbot, colour_project, open_window):
    path = colour_project()
    with Project.open(path) as project:
        first = list_classes(project)[0].id
        unlabelled = [
            i for (i,) in project.conn.execute("SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM labels)")
        ]
        label_images(project, unlabelled, first)
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: window.suggestions.refreshes >= 1 and window.suggestions.idle, timeout=30000)
    said = "No suggestions left: every image has a label. Import more images to go on."
    qtbot.waitUntil(lambda: window.grid.placeholder == said)  # not "0 suggestions from 0 unlabelled images"
    assert window.model.rowCount() == 0 and window.suggestions.status == said


def test_an_older_read_of_am_i_done_never_replaces_a_newer_one(qtbot, colour_project, open_window, monkeypatch):
    import threading

    import app.gui.active_learning as active_learning

    window = open_window(colour_project())
    ctl = window.suggestions
    first_started, calls = threading.Event(), []

    def read(project):  # the first read is slow: the second one (newer) ends first
        calls.append(len(calls))
        if calls[-1] == 0:
            first_started.set()
            threading.Event().wait(0.5)
            return "older"
        return "newer"

    monkeypatch.setattr(active_learning, "read_progress", read)
    shown = []
    ctl.progressRead.connect(shown.append)
    ctl.read_progress()
    qtbot.waitUntil(first_started.is_set)
    ctl.read_progress()
    qtbot.waitUntil(lambda: len(calls) == 2 and not window.jobs.busy("interactive"), timeout=5000)
    assert shown == ["newer"]


def test_after_choosing_a_strategy_the_class_keys_label_the_current_suggestion(qtbot, colour_project, open_window):
    path = colour_project()
    window = open_window(path)
    qtbot.keyClick(window.grid, Qt.Key.Key_N)
    wait_for_queue(qtbot, window)
    qtbot.waitUntil(lambda: window.suggestion_panel is not None and window.suggestion_panel.isVisible())
    box = window.suggestion_panel.strategy_box
    box.setFocus()  # the user picks another strategy with the mouse
    index = box.findData("entropy")
    box.setCurrentIndex(index)
    box.activated.emit(index)
    assert window.grid.hasFocus()  # the keys are back with the grid, not with the list
    wait_for_queue(qtbot, window, refreshes=2)
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_1)
    committed(qtbot, window)
    assert len(labels_in(path)) == 3 * SEED_LABELS + 1


def test_a_button_beside_the_filters_starts_the_suggestions_in_view_at_1280_by_800(qtbot, colour_project, open_window):
    from PySide6.QtWidgets import QToolButton

    window = open_window(colour_project())
    window.resize(1280, 800)
    button = next(b for b in window.filter_toolbar.findChildren(QToolButton) if b.text() == "Label next suggestions")
    qtbot.waitUntil(button.isVisible)
    corner = button.mapTo(window, button.rect().bottomRight())
    assert 0 < corner.x() <= window.width() and 0 < corner.y() < 100  # in the top bar, not in an overflow menu
    assert "(N)" in button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    wait_for_queue(qtbot, window)
    assert window.grid.current_image_id() == window.suggestions.queue[0]


def test_the_model_typed_in_the_train_form_is_the_one_suggestions_use(
    qtbot, colour_project, open_window, tmp_path, tiny_vit
):
    path = colour_project(model=tmp_path / "no-such-model")  # what the form held before
    window = open_window(path)
    qtbot.waitUntil(lambda: window.training.panel is not None, timeout=10000)
    box = window.training.panel.form.editors["model"].widget
    box.lineEdit().clear()
    qtbot.keyClicks(box.lineEdit(), str(tiny_vit))  # typed, never trained with
    qtbot.waitUntil(lambda: get_setting(window.project, TRAIN_FORM, "").find(str(tiny_vit)) >= 0, timeout=5000)
    qtbot.keyClick(window.grid, Qt.Key.Key_N)
    wait_for_queue(qtbot, window)
    assert window.suggestions.source.model_ref == str(tiny_vit)


# -- A project in a folder Loupe cannot write (a read-only share): the rebuildable cache moves to
# the user's cache folder, so suggestions still work, and outputs are proposed where they can be
# written (issue 19).


def test_suggestions_in_a_read_only_folder_use_the_users_cache(
    qtbot, colour_project, open_window, tmp_path, monkeypatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    path = colour_project()
    with read_only_copy(path.parent, tmp_path) as shared:
        window = open_window(shared / path.name)
        assert window.project.read_only
        cache = window.project.paths.cache_dir
        assert tmp_path / "user-cache" in cache.parents
        qtbot.keyClick(window.grid, Qt.Key.Key_N)  # Label next suggestions
        wait_for_queue(qtbot, window)
        assert len(window.suggestions.queue) > 5 and (cache / "embeddings.sqlite").is_file()
        # Exporting proposes the home folder, not the unwritable one.
        assert export_choices(window.project, None).folder == tmp_path / "home"
        window.close()
