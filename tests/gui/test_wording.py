"""What a new user reads at 1280×800 (issue 20), with real widgets: the import report in the
singular, the status bar and the Edit menu saying what was done and what Undo takes back, the
suggestion count against every unlabelled image, "Am I done?" saying what its estimate waits for,
and a typed model folder shown whole where it matters, without an empty line under it."""

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from app.core.active.history import HistoryPoint, StoppingAdvice
from app.core.active.learner import Refresh
from app.core.importing.importer import ImportProgress, ImportReport
from app.core.project.store import Project
from app.core.training.backbones import PRESETS
from app.core.training.config import TrainConfig
from app.gui.active_learning import LearningProgress
from app.gui.class_panel import delete_question
from app.gui.config_form import ConfigForm
from app.gui.elided_label import ElidedLineEdit, elide_path
from app.gui.importing import RejectedFilesDialog, progress_text
from app.gui.suggestion_panel import accuracy_text
from app.gui.suggestion_wording import refresh_sentence
from tests.gui import test_active_learning_window as suggesting
from tests.gui.conftest import make_project
from tests.gui.test_labelling_window import committed

FOLDER = "/home/ana/projects/lung-study/models/tiny-model"
colour_project = suggesting.colour_project  # the fixture: 48 colour images, 2 of each class labelled


def test_the_import_report_says_one_image_and_this_file(qtbot):
    one = RejectedFilesDialog(ImportReport(added=1, rejected=[{"path": "/scans/a.png", "reason": "the file is empty"}]))
    qtbot.addWidget(one)
    texts = [label.text() for label in one.findChildren(QLabel)]
    assert "1 image imported; this file could not be read:" in texts
    assert one.windowTitle() == "A file was not imported"
    rejected = [{"path": f"/scans/{i}.png", "reason": "the file is empty"} for i in range(3)]
    many = RejectedFilesDialog(ImportReport(added=0, rejected=rejected))
    qtbot.addWidget(many)
    assert "0 images imported; these 3 files could not be read:" in [
        label.text() for label in many.findChildren(QLabel)
    ]
    assert many.windowTitle() == "Some files were not imported"
    assert progress_text(ImportProgress("scanning", 1, 0, 0, 0, 0, 0)) == "Looking for images… 1 file found"
    assert (
        progress_text(ImportProgress("importing", 2, 3, 1, 1, 0, 0))
        == "Importing 2 of 3: 1 added, 1 duplicate, 0 not readable"
    )


def test_the_status_bar_and_undo_say_what_was_done(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path, classes=("no-cells", "healthy")))
    said = []
    window.labelling.message.connect(said.append)
    qtbot.keyClick(window.grid, Qt.Key.Key_1)
    committed(qtbot, window)
    qtbot.waitUntil(lambda: "Labelled 1 image as 'no-cells'" in said)
    assert window.labelling.undo_action.text() == "Undo labelling 1 image as 'no-cells'"
    window.labelling.undo_action.trigger()
    committed(qtbot, window)
    qtbot.waitUntil(lambda: said[-1] == "Undid labelling 1 image as 'no-cells'")
    assert window.labelling.redo_action.text() == "Redo labelling 1 image as 'no-cells'"
    window.grid.select_row(0)
    qtbot.keyClick(window.grid, Qt.Key.Key_2)
    window.grid.select_row(0)
    qtbot.keyClick(window.grid, Qt.Key.Key_0)
    committed(qtbot, window)
    qtbot.waitUntil(lambda: said[-1] == "Cleared the label of 1 image")
    assert window.labelling.undo_action.text() == "Undo clearing the label of 1 image"


def test_deleting_a_class_counts_its_images_in_words():
    assert "Its 1 labelled image becomes unlabelled." in delete_question("no-cells", 1)
    assert "Its 4 labelled images become unlabelled." in delete_question("no-cells", 4)
    assert "No image has this label." in delete_question("no-cells", 0)


def refresh_of(scored: int, suggestions: int, set_aside: int = 0, unreadable: int = 0) -> Refresh:
    return Refresh(
        "margin", [None] * suggestions, 12, scored, None, 0, None, {"select": 0.01}, None, set_aside, unreadable
    )


def test_the_suggestion_count_names_every_unlabelled_image():
    """4 unlabelled images, the current one kept in the queue: before, "3 suggestions from 3
    unlabelled images"."""
    kept = refresh_sentence(refresh_of(3, 3, set_aside=1), "margin", None, kept=1)
    assert kept == "3 suggestions from 3 of the 4 unlabelled images (1 already in the queue) in 0.01 s."
    both = refresh_sentence(refresh_of(2, 2, set_aside=1, unreadable=1), "margin", None)
    assert both.startswith(
        "2 suggestions from 2 of the 4 unlabelled images (1 already in the queue; 1 could not be read)"
    )
    assert refresh_sentence(refresh_of(1, 1), "margin", None).startswith("1 suggestion from 1 unlabelled image in")
    assert refresh_sentence(refresh_of(4, 4), "margin", None).startswith("4 suggestions from 4 unlabelled images in")
    assert refresh_sentence(refresh_of(0, 0, set_aside=2), "margin", None, kept=2) == (
        "No new suggestions: every other image has a label."
    )
    assert refresh_sentence(refresh_of(0, 0, unreadable=2), "margin", None) == (
        "No new suggestions: of the 2 unlabelled images, 2 could not be read."
    )
    assert refresh_sentence(refresh_of(0, 0), "margin", None).startswith(
        "No suggestions left: every image has a label."
    )


def test_am_i_done_says_what_its_estimate_waits_for_and_what_it_was_checked_on():
    advice = StoppingAdvice(None, 0, False, "Not enough to tell yet.")
    missing = "No accuracy estimate yet: 12 labels in 3 classes, 3 of them set aside for checking, are enough; …"
    assert accuracy_text(LearningProgress([], advice, missing)) == missing
    refresh = HistoryPoint(12, 0.75, "refresh", None, 3)
    assert accuracy_text(LearningProgress([refresh], advice)) == (
        "Accuracy 75% with 12 labels (estimated on 3 labelled images set aside for checking; few images, so a "
        "rough figure)."
    )
    run = HistoryPoint(40, 0.9, "run", 2, 1)
    assert accuracy_text(LearningProgress([refresh, run], advice)) == (
        "Accuracy 90% with 40 labels (training run 2, checked on 1 labelled image set aside for checking)."
    )


def test_a_long_path_is_shortened_at_its_separators_keeping_the_folder_name_whole(qtbot):
    metrics = QFontMetrics(QWidget().font())
    assert elide_path(FOLDER, metrics, 10_000) == FOLDER
    for width in (metrics.horizontalAdvance("/home/…/models/tiny-model"), metrics.horizontalAdvance("…/tiny-model")):
        shown = elide_path(FOLDER, metrics, width)
        assert shown.endswith("/tiny-model") and "…" in shown and metrics.horizontalAdvance(shown) <= width
    assert elide_path(FOLDER, metrics, metrics.horizontalAdvance("/home/…/models/tiny-model")) == (
        "/home/…/models/tiny-model"
    )
    assert elide_path(r"C:\Users\ana\models\tiny-model", metrics, metrics.horizontalAdvance(r"C:\…\tiny-model")) == (
        r"C:\…\tiny-model"
    )
    squeezed = elide_path("tiny-model-with-a-long-name", metrics, metrics.horizontalAdvance("tiny-model"))
    assert "…" in squeezed  # no separator: shortened in the middle anyway


def model_form(qtbot) -> tuple[ConfigForm, QPushButton]:
    """The Train form's model and method lists as the training panel builds them, at its width."""
    choices = {
        "model": ([(name, name, p.description) for name, p in PRESETS.items()], True),
        "method": ([("linear", "Linear probe", "Frozen features: seconds."), ("lora", "LoRA", "")], False),
    }
    form = ConfigForm(TrainConfig, TrainConfig(model="dinov2-small", method="linear"), choices, {"seed"})
    elsewhere = QPushButton("Train", form)
    qtbot.addWidget(form)
    form.resize(330, 700)
    form.show()
    qtbot.waitExposed(form)
    return form, elsewhere


def test_a_typed_model_folder_shows_its_name_whole_and_no_empty_line_under_it(qtbot):
    form, elsewhere = model_form(qtbot)
    box, note = form.editors["model"].widget, form.notes["model"]
    method = form.editors["method"].widget
    assert note.isVisible() and note.text() == PRESETS["dinov2-small"].description
    form.editors["model"].put(FOLDER)
    elsewhere.setFocus()
    qtbot.waitUntil(lambda: not box.lineEdit().hasFocus())
    assert form.value().model == FOLDER and box.currentText() == FOLDER
    edit = box.lineEdit()
    assert isinstance(edit, ElidedLineEdit)
    shown = edit.shown_text()
    assert shown != FOLDER and shown.endswith("/tiny-model") and "…" in shown, shown
    assert edit.toolTip() == FOLDER
    # nothing to say about a typed folder: no empty line between the model and the method
    assert not note.isVisible()
    spacing = form.layout().itemAt(0).layout().verticalSpacing()
    gap = lambda: method.mapTo(form, QPoint(0, 0)).y() - box.mapTo(form, QPoint(0, box.height())).y()  # noqa: E731
    qtbot.waitUntil(lambda: gap() <= spacing)  # the form's spacing between two rows, not a row of its own
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert edit.shown_text() == FOLDER  # being edited: the whole text
    form.editors["model"].put("dinov2-small")
    assert note.isVisible() and note.text()


def test_an_empty_note_in_the_expert_settings_stays_hidden_when_they_open(qtbot):
    choices = {"device": ([("auto", "Automatic", "Picks the GPU if there is one."), ("cpu", "CPU", "")], False)}
    form = ConfigForm(TrainConfig, TrainConfig(device="cpu"), choices, {"device"})
    qtbot.addWidget(form)
    form.show()
    qtbot.waitExposed(form)
    note = form.notes["device"]
    assert not note.isVisible()
    form.expert.setChecked(True)
    assert form.editors["device"].widget.isVisible() and not note.isVisible()
    form.editors["device"].put("auto")
    assert note.isVisible()
    form.expert.setChecked(False)
    assert not note.isVisible() and not form.editors["device"].widget.isVisible()


def test_the_window_counts_the_suggestions_against_every_unlabelled_image(qtbot, colour_project, open_window):
    """42 unlabelled images, one of them missing from its folder: each refresh's sentence names all
    42, and says which it did not look at (before: "24 suggestions from 40 unlabelled images")."""
    path = colour_project()
    with Project.open(path) as project:
        unlabelled = [
            stored
            for (stored,) in project.conn.execute(
                "SELECT path FROM images WHERE id NOT IN (SELECT image_id FROM labels) ORDER BY id"
            )
        ]
    assert len(unlabelled) == suggesting.IMAGES - 3 * suggesting.SEED_LABELS == 42
    (path.parent / unlabelled[-1]).unlink()
    window = open_window(path)
    ctl = window.suggestions
    qtbot.keyClick(window.grid, Qt.Key.Key_N)  # Label next suggestions: the first one current
    suggesting.wait_for_queue(qtbot, window)
    assert ctl.status.startswith("24 suggestions from 41 of the 42 unlabelled images (1 could not be read) in ")
    assert window.grid.current_image_id() == ctl.queue[0]
    ctl.request_refresh()  # the user's place (the current suggestion) stays out of it
    suggesting.wait_for_queue(qtbot, window, refreshes=2)
    assert ctl.status.startswith(
        "24 suggestions from 40 of the 42 unlabelled images (1 already in the queue; 1 could not be read) in "
    ), ctl.status
