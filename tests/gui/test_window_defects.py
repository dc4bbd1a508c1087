"""Issue 20's defects, each seen as the user saw it: a failed run's bar and card, the bar of a
reopened project, the device said once, the F1 list on a 1280×800 screen, an unreadable file in
the viewer, and the report card's numbers in plain words. (The live curves' ticks and key:
test_training_plot.py.)"""

from __future__ import annotations

import json

import pytest
from PySide6.QtWidgets import QMainWindow

from app.core.labelling.classes import list_classes
from app.core.project.store import Project
from app.core.training.config import TrainConfig
from app.core.training.runs import finish_run
from app.gui.jobs import JobRunner
from app.gui.report_card import ReportCard, no_report_text, plain_cost, summary_text
from app.gui.run_history import RunHistoryPanel, device_text
from app.gui.training_panel import TrainingPanel
from tests.gui.conftest import make_project, make_project_with_a_broken_file
from tests.sqlite_work import sqlite_work
from tests.synthetic_runs import record_finished_run
from tests.tiny_models import make_colour_project

COST = {
    "parameters": {"trainable": 1538, "total": 86_000_000, "trainable_share": 1538 / 86e6},
    "saved_bytes": 12_000,
    "peak_memory": {"bytes": 1.2e9, "what": "resident memory of the whole process"},
    "latency_ms_per_image": {"1": 12.3, "32": 3.1},
    "device": "cpu",
}


@pytest.fixture
def jobs():
    runner = JobRunner()
    yield runner
    runner.shutdown()


def _classes(project: Project) -> list[dict]:
    """The project's classes (make_project's cat and dog) as a run records them."""
    return [{"id": c.id, "name": c.name} for c in list_classes(project)]


def _image_ids(project: Project) -> list[int]:
    return [row[0] for row in project.conn.execute("SELECT id FROM images")]


def _panel(qtbot, project: Project, jobs: JobRunner) -> TrainingPanel:
    panel = TrainingPanel(project, jobs, confirm=lambda warnings: True)
    qtbot.addWidget(panel)
    panel.resize(420, 700)
    panel.show()
    return panel


# -- 2. a failed run ------------------------------------------------------------------------------


def test_a_failed_run_says_so_in_the_bar_not_starting(qtbot, tmp_path, jobs):
    """The model cannot load: the run is recorded as failed, and the bar names it."""
    with Project.open(make_colour_project(tmp_path, per_class=6, classes=("red", "green"))) as project:
        panel = _panel(qtbot, project, jobs)
        qtbot.waitUntil(lambda: panel._known_run == 0)  # read: no run yet
        panel.form.set_value(TrainConfig(model="loupe-tests/no-such-model", device="cpu", workers=0))
        with qtbot.waitSignal(panel.runFailed, timeout=60000):
            assert panel.start()
        qtbot.waitUntil(lambda: not panel.running and panel.worker is None, timeout=10000)
        assert "starting" not in panel.progress.text() and "failed" in panel.progress.text()
        qtbot.waitUntil(lambda: panel.progress.text() == "Run 1 failed", timeout=5000)
        assert "cannot be downloaded now" in panel.progress.toolTip()
        assert panel.train_button.isEnabled()


def test_a_run_that_fails_before_it_is_recorded_says_run_failed(qtbot, tmp_path, jobs):
    with Project.open(make_project(tmp_path, images=2)) as project:  # nothing labelled
        record_finished_run(project, _image_ids(project), _classes(project))  # an earlier run, done
        panel = _panel(qtbot, project, jobs)
        qtbot.waitUntil(lambda: panel.progress.text().startswith("Last run: 1"))
        panel.form.set_value(TrainConfig(model="loupe-tests/no-such-model", device="cpu", workers=0))
        with qtbot.waitSignal(panel.runFailed, timeout=60000) as failed:
            panel.start()
        qtbot.waitUntil(lambda: panel.worker is None, timeout=10000)
        qtbot.wait(200)  # the latest run is read again: run 1 is not this failure
        assert panel.progress.text() == "Run failed" and panel.progress.toolTip() == failed.args[0]


@pytest.mark.parametrize(
    "status, message, said",
    [
        ("failed", "the model 'x' cannot be downloaded now: this machine is offline", "This run failed: the model 'x'"),
        ("cancelled", "cancelled after 12 steps", "This run was cancelled after 12 steps"),
        ("cancelled", "", "This run was cancelled"),
    ],
)
def test_the_runs_card_says_why_a_run_has_no_report(qtbot, tmp_path, status, message, said):
    with Project.open(make_project(tmp_path, images=4)) as project:
        run = record_finished_run(project, _image_ids(project), _classes(project))
        finish_run(project, run, status, message=message)
        panel = RunHistoryPanel(project)
        qtbot.addWidget(panel)
        panel.resize(860, 400)
        panel.show()
        panel.refresh(active=None)
        text = panel.report_card.summary.text()
        assert text.startswith(said) and "no validation images" not in text, text
        assert not panel.report_card.body.isVisible()  # no empty tables under it
    assert "no validation images" in no_report_text("done", "")


# -- 3. the bar of a reopened project -------------------------------------------------------------


def test_reopening_a_project_shows_its_last_run_in_the_bar(qtbot, tmp_path, jobs):
    with Project.open(make_project(tmp_path, images=10)) as project:
        record_finished_run(project, _image_ids(project), _classes(project), accuracy=1 / 3)
        with sqlite_work(project.conn) as work:
            panel = _panel(qtbot, project, jobs)
            assert panel.progress.text() == "No run yet"  # until the job answers
            qtbot.waitUntil(lambda: panel.progress.text() != "No run yet", timeout=5000)
        assert panel.progress.text() == "Last run: 1 · done · 33.3% accuracy"
        assert not [s for s in work.statements if "FROM runs" in s], "the runs were read on the GUI thread"


def test_the_last_run_in_the_window(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=10)
    with Project.open(path) as project:
        record_finished_run(project, _image_ids(project), _classes(project), accuracy=0.9)
    window = open_window(path)
    qtbot.waitUntil(lambda: window.training.panel is not None, timeout=5000)
    panel = window.training.panel
    qtbot.waitUntil(lambda: panel.progress.text() == "Last run: 1 · done · 90.0% accuracy", timeout=5000)


# -- 4. the device, once --------------------------------------------------------------------------


def test_the_device_is_said_once(qtbot, tmp_path):
    assert device_text("auto", "CPU (1 thread)") == "auto (used CPU, 1 thread)"
    assert device_text("cuda", "CUDA: NVIDIA H200") == "cuda (used CUDA: NVIDIA H200)"
    assert device_text("auto", "") == "auto"
    with Project.open(make_project(tmp_path, images=4)) as project:
        run = record_finished_run(project, _image_ids(project), _classes(project))
        project.conn.execute("UPDATE runs SET device = 'CPU (8 threads)' WHERE id = ?", (run,))
        project.conn.commit()
        panel = RunHistoryPanel(project)
        qtbot.addWidget(panel)
        panel.show()
        panel.refresh(active=run)
        table = panel.settings_table
        rows = [(table.item(r, 0).text(), table.item(r, 1).text()) for r in range(table.rowCount())]
        assert [value for name, value in rows if name == "Device"] == ["auto (used CPU, 8 threads)"]


def test_one_cpu_thread_is_one_thread(monkeypatch):
    import torch

    from app.core.training.device import choose_device

    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    assert choose_device("cpu").description == "CPU (1 thread)"
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    assert choose_device("cpu").description == "CPU (4 threads)"


# -- 5. the F1 list at 1280×800 -------------------------------------------------------------------


def _shortcuts_over_a_window(qtbot):
    from app.gui.shortcuts_help import ShortcutsDialog

    window = QMainWindow()
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    dialog = ShortcutsDialog(window)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.window_behind = window  # kept alive with the dialog (it is the dialog's parent)
    return dialog


def test_the_shortcuts_list_fits_a_1280x800_screen_with_close_in_view(qtbot):
    from app.gui.shortcuts_help import SHORTCUTS

    dialog = _shortcuts_over_a_window(qtbot)
    assert dialog.height() <= 760 and dialog.sizeHint().height() <= 760, dialog.size()
    assert dialog.width() <= 1280
    close = dialog.buttons.button(dialog.buttons.StandardButton.Close)
    assert close.isVisible() and dialog.rect().contains(close.geometry().translated(dialog.buttons.pos()))
    table = dialog.table
    assert max(table.rowHeight(r) for r in range(table.rowCount())) <= table.fontMetrics().height() + 8  # compact
    keys = {keys: does for keys, does in SHORTCUTS}
    assert "Label workspace" in keys["Alt+1"] and "Train workspace" in keys["Alt+2"]
    assert "Review workspace" in keys["Alt+3"]
    assert any("Ctrl++" in k and "Ctrl+=" in k and "larger" in does for k, does in SHORTCUTS)


def test_on_a_small_screen_the_list_scrolls_and_close_stays(qtbot, monkeypatch):
    from app.gui import shortcuts_help

    monkeypatch.setattr(shortcuts_help, "SCREEN_SHARE", 0.4)  # as if the screen were 2.25× smaller
    dialog = _shortcuts_over_a_window(qtbot)
    room = dialog.screen().availableGeometry().height() * 0.4
    assert dialog.height() <= room + 1
    close = dialog.buttons.button(dialog.buttons.StandardButton.Close)
    assert dialog.rect().contains(close.geometry().translated(dialog.buttons.pos()))
    assert dialog.table.verticalScrollBar().maximum() > 0  # the rows scroll instead


# -- 6. a file that could not be read, in the viewer ----------------------------------------------


def test_an_image_that_cannot_be_read_says_why_in_the_viewer(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    (tmp_path / "images" / "img03.png").write_bytes(b"\x89PNG\r\n\x1a\n damaged after the import")
    window = open_window(path)
    placeholder = window.viewer.viewer.placeholder
    window.grid.select_row(3)
    qtbot.waitUntil(lambda: placeholder.isVisible(), timeout=5000)
    assert placeholder.text().startswith("Could not read this file: ") and len(placeholder.text()) > 30
    assert "img03.png" in window.viewer.info.full_text() and not window.viewer.viewer.has_image()
    window.grid.select_row(2)  # a readable image: the sentence goes
    qtbot.waitUntil(lambda: window.viewer.viewer.has_image() and not placeholder.isVisible(), timeout=5000)


def test_a_file_that_was_not_imported_says_why_in_the_viewer(qtbot, tmp_path, open_window):
    """A file the import refused (the Rejected list): the grid's reason, in the viewer."""
    from app.gui.image_list_model import PathRole, ReasonRole

    path = make_project_with_a_broken_file(tmp_path)
    window = open_window(path)
    window.filter_bar.show_filter("rejected")
    qtbot.waitUntil(lambda: window.model.query.show == "rejected" and window.model.rowCount() == 1)
    index = window.model.index(0)
    reason = index.data(ReasonRole)
    assert reason
    window.grid.select_row(0)  # the grid has no image id for it: the viewer is told None …
    window.viewer.show_rejected(index.data(PathRole), reason)  # … and the row's reason (the window's wiring)
    qtbot.wait(100)  # the None arrives after: it must not blank the reason
    placeholder = window.viewer.viewer.placeholder
    assert placeholder.isVisible() and placeholder.text() == f"Could not read this file: {reason}"
    assert "could not be read" in window.viewer.legend.current.text()
    assert window.viewer.info.full_text() == "images/broken.png"


# -- 7. the report card in plain words ------------------------------------------------------------


def _report(support: int = 10) -> dict:
    return {
        "accuracy": 0.85,
        "macro_f1": 0.8,
        "best_epoch": 3.0,
        "confusion_matrix": [[9, 1], [2, 8]],
        "classes": [
            {"name": name, "precision": 0.9, "recall": 0.9, "f1": 0.9, "support": support} for name in ("dog", "fox")
        ],
        "val_predictions": [],
        "augmentation": "general: flips, small rotations, colour jitter",
    }


def test_the_report_card_says_its_numbers_in_plain_words(qtbot):
    text = summary_text(_report(), 20)
    assert "95 % interval" in text and "likely 64%–95%" in text
    assert "macro-F1 0.800 (how well each class is found, on average)" in text
    assert "label more" in text and "label more" not in summary_text(_report(100), 200)
    line = plain_cost(COST)
    assert line.startswith("Cost: 0.0018 % of weights trained · 12 kB on disk · 1.2 GB memory · 12.3 ms an image")
    card = ReportCard()
    qtbot.addWidget(card)
    card.show_report(_report(), {}, COST, ["2 images could not be read and were skipped"])
    assert "Macro-F1:" in card.summary.toolTip() and "95 % interval:" in card.summary.toolTip()
    assert "In full:" in card.cost.toolTip() and "86 M" in card.cost.toolTip()


def test_the_report_card_is_no_taller_than_before(qtbot, tmp_path):
    """In the Runs tab of a 1280×800 window (about 860×400): the scores and cost in at most the
    nine lines they took before the plain words came (now eight: "Open in a window" moved to
    the tab bar)."""
    with Project.open(make_project(tmp_path, images=100)) as project:
        run = record_finished_run(project, _image_ids(project), _classes(project), accuracy=0.85)
        report = json.loads(project.conn.execute("SELECT report FROM runs WHERE id = ?", (run,)).fetchone()[0])
        report["augmentation"] = _report()["augmentation"]
        finish_run(project, run, "done", model_dir="run-1", report=report, cost=COST, notices=["2 images skipped"])
        panel = RunHistoryPanel(project)
        qtbot.addWidget(panel)
        panel.resize(860, 400)
        panel.show()
        panel.refresh(active=run)
        card = panel.report_card
        qtbot.waitUntil(lambda: card.summary.isVisible() and card.per_class.isVisible())
        line = card.summary.fontMetrics().lineSpacing()
        assert card.summary.height() + card.cost.height() <= 9 * line, (card.summary.height(), card.cost.height())
        assert card.open_button.isVisible() and panel.details.cornerWidget() is card.open_button
        window = card.open_window()
        qtbot.addWidget(window)
        assert window.card.summary.text() == card.summary.text() and not window.card.open_button.isVisible()
        window.close()
