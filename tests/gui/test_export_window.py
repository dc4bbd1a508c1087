"""File ▸ Export… in the window (issue 12): the active run as ONNX, the labels as CSV, a
non-empty folder refused with one plain sentence and nothing written, the Runs tab's Export…
with its run chosen; the dialog itself (formats from the core's registry, the run picker only for
model formats, OK refused for a non-empty folder); a stopped export writes nothing."""

import csv
import shutil

import pytest

from app.core.export.formats import EXPORTERS
from app.core.project.store import Project
from app.core.training.runs import get_run
from app.gui.export_dialog import (
    CANCELLED,
    FORMAT_VIEWS,
    ExportDialog,
    ExportRequest,
    export_choices,
    run_export,
)
from tests.predict_runs import active_linear_run, project_copy
from tests.tiny_models import make_colour_project


@pytest.fixture(scope="module")
def trained_template(tmp_path_factory, tiny_vit):
    """A colour project (3 classes × 6 images) with an active linear run."""
    return active_linear_run(tmp_path_factory.mktemp("export-window"), tiny_vit, per_class=6, epochs=4)


@pytest.fixture
def trained(trained_template, tmp_path):
    template, run = trained_template
    return project_copy(template, tmp_path / "project"), run


def file_menu_action(window, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    return next(a for a in menu.actions() if a.text() == text)


def export(qtbot, window, start, timeout: int = 60000) -> None:
    """`start()` (a menu action, a button), then wait until its export has ended."""
    with qtbot.waitSignal(window.exporter.finished, timeout=timeout):
        start()
    assert window.exporter.idle and window.jobs.busy("export") == 0


def test_onnx_of_the_active_run_from_the_file_menu(qtbot, trained, tmp_path, open_window):
    path, run = trained
    window = open_window(path)
    asked = []
    out = tmp_path / "exported" / "colours-onnx"
    window.choose_export = lambda parent, choices: asked.append(choices) or ExportRequest("onnx", out, choices.run_id)
    action = file_menu_action(window, "&Export…")
    assert action.shortcut().toString() == "Ctrl+E" and action.isEnabled()
    export(qtbot, window, action.trigger)
    choices = asked[0]
    assert choices.run_id == run and [r.id for r in choices.runs] == [run]
    assert choices.runs[0].text.startswith(f"run {run} · ") and choices.runs[0].text.endswith("% accuracy")
    assert " · Linear probe · " in choices.runs[0].text
    assert (out / "model.onnx").is_file() and (out / "README.md").is_file()
    assert window.status.currentMessage() == f"Exported run {run} as ONNX: {out / 'model.onnx'}"
    assert not list(out.parent.glob("*.partial"))


def test_labels_as_csv_and_a_non_empty_folder_refused(qtbot, trained, tmp_path, open_window):
    path, run = trained
    window = open_window(path)
    target = tmp_path / "labels.csv"
    window.choose_export = lambda parent, choices: ExportRequest("labels-csv", target, None)
    export(qtbot, window, window.on_export_triggered)
    with target.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 18 and {r["class"] for r in rows} == {"red", "green", "blue"}
    assert all(r["path"].startswith(str(path.parent)) for r in rows)
    assert window.status.currentMessage() == f"Saved 18 labels as {target}"

    full = tmp_path / "full"
    full.mkdir()
    (full / "keep.txt").write_text("mine")
    for format in ("hf", "imagefolder"):
        window.choose_export = lambda parent, choices: ExportRequest(format, full, run)
        export(qtbot, window, window.on_export_triggered)
        message = window.status.currentMessage()
        assert message == f"Nothing was exported: {full} is not an empty folder; choose a new or empty one."
        assert [p.name for p in full.iterdir()] == ["keep.txt"] and sorted(p.name for p in tmp_path.iterdir()) <= [
            "full",
            "labels.csv",
            "project",
            "settings.ini",
        ]


def test_runs_tab_export_chooses_its_run_and_a_missing_model_is_one_sentence(qtbot, trained, tmp_path, open_window):
    path, run = trained
    window = open_window(path)
    qtbot.waitUntil(lambda: window.training.panel is not None)
    history = window.training.history
    window.training.show_tab("runs")
    assert history.export_button.isEnabled() and history.selected_run().id == run
    asked = []
    window.choose_export = lambda parent, choices: asked.append(choices)  # cancelled: None
    history.export_button.click()
    assert asked[0].run_id == run and asked[0].format == "hf"

    shutil.rmtree(path.parent / history.selected_run().model_dir)  # the model folder moved away
    out = tmp_path / "hf"
    window.choose_export = lambda parent, choices: ExportRequest("hf", out, run)
    export(qtbot, window, window.on_export_triggered)
    assert window.status.currentMessage().startswith(f"Nothing was exported: the model of run {run} is missing: ")
    assert window.status.currentMessage().count(".") >= 1 and "\n" not in window.status.currentMessage()
    assert not out.exists()
    asked.clear()
    window.choose_export = lambda parent, choices: asked.append(choices)
    history.export_button.click()  # the Runs tab's Export… of that run now says so instead of asking
    assert asked == [] and window.status.currentMessage() == f"Run {run} has no saved model to export."


def test_dialog_formats_run_picker_and_where(qtbot, trained, tmp_path):
    path, run = trained
    assert set(FORMAT_VIEWS) == set(EXPORTERS)  # every core format has a title
    with Project.open(path, read_only=True) as project:
        choices = export_choices(project, run)
    dialog = ExportDialog(choices)
    qtbot.addWidget(dialog)
    dialog.show()
    assert [b.text() for b in dialog.format_buttons.values()] == [
        "Model as a Hugging Face folder",
        "Model as ONNX",
        "Labels as CSV",
        "Labelled images in class folders",
    ]
    assert dialog.format == "hf" and dialog.run_combo.isVisible() and dialog.run_combo.currentData() == run
    default = dialog.request()  # a new folder beside the project, named after the run
    assert default == ExportRequest("hf", path.parent / f"{path.stem}-run-{run}-hf", run) and not default.out.exists()

    dialog.set_format("labels-csv")
    assert not dialog.run_combo.isVisible() and not dialog.run_label.isVisible()
    assert dialog.request() == ExportRequest("labels-csv", path.parent / f"{path.stem}-labels.csv", None)

    dialog.set_format("onnx")
    full = tmp_path / "full"
    full.mkdir()
    (full / "a.txt").write_text("x")
    dialog.set_path(full)
    ok = dialog.export_button
    assert not ok.isEnabled() and dialog.request() is None
    assert (
        dialog.problem.isVisible() and dialog.problem.text() == "This folder is not empty: choose a new or empty one."
    )
    dialog.set_format("labels-csv")
    for own in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-cache") / "x.csv"):
        dialog.set_path(own)  # the project's own files: refused before anything runs
        assert not ok.isEnabled() and dialog.request() is None and "the project's" in dialog.problem.text()
    dialog.set_format("onnx")
    dialog.set_path("relative-out")  # beside the project
    assert ok.isEnabled() and dialog.request() == ExportRequest("onnx", path.parent / "relative-out", run)
    dialog.set_format("hf")
    assert dialog.request().out == path.parent / "relative-out"  # a chosen path stays chosen


def test_without_runs_only_the_label_formats_are_offered(qtbot, tmp_path):
    path = make_colour_project(tmp_path, per_class=2)
    with Project.open(path, read_only=True) as project:
        choices = export_choices(project, None)
    dialog = ExportDialog(choices)
    qtbot.addWidget(dialog)
    assert choices.runs == () and dialog.format == "labels-csv"
    assert [name for name, b in dialog.format_buttons.items() if b.isEnabled()] == ["labels-csv", "imagefolder"]


def test_a_stopped_model_export_writes_nothing(trained, tmp_path):
    path, run = trained
    out = tmp_path / "stopped"
    with Project.open(path, read_only=True) as project:
        assert run_export(project, ExportRequest("hf", out, run), should_stop=lambda: True) == CANCELLED
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_a_run_whose_model_folder_holds_a_pickle_is_not_offered(trained):
    """Neither for export nor for classifying a drop: the loader would refuse it (pickle files
    can run code when loaded), so the pickers never offer it."""
    from app.gui.drop_choice import run_description

    path, run = trained
    with Project.open(path, read_only=True) as project:
        assert [choice.id for choice in export_choices(project, run).runs] == [run]
        assert run_description(project, run).startswith(f"run {run} · ")
        folder = path.parent / get_run(project, run).model_dir
        (folder / "pytorch_model.bin").write_bytes(b"not really a pickle")
        assert export_choices(project, run).runs == () and run_description(project, run) is None
