"""Training from the window with a tiny local model: the form, live curves, cancel, the run
history, the report card and its confusion matrix driving the grid, predictions on the tiles,
and a window that stays responsive (and keeps labelling) while a model trains."""

import json
import time
from dataclasses import fields

import pytest
from PySide6.QtCore import Qt, QTimer

from app.core.project.store import Project
from app.core.training.config import TrainConfig
from app.core.training.presets import CLASSIFY, presets_for
from app.gui.image_list_model import ConfidenceRole, PredictedNameRole
from app.gui.run_history import COLUMNS
from tests.gui.test_labelling_window import labels_in
from tests.tiny_models import make_colour_project


@pytest.fixture
def training_window(tmp_path, open_window, tiny_vit, qtbot):
    def opener(method="linear", epochs=20, lr=0.01, batch_size=8, per_class=20, classes=("red", "green", "blue")):
        path = make_colour_project(tmp_path, per_class=per_class, classes=classes)
        window = open_window(path)
        qtbot.waitUntil(lambda: window.training.panel is not None, timeout=5000)
        panel = window.training.panel
        settings = TrainConfig(
            model=str(tiny_vit),
            method=method,
            epochs=epochs,
            lr=lr,
            batch_size=batch_size,
            workers=0,
            device="cpu",
            patience=0,
        )
        panel.form.set_value(settings)
        assert panel.form.value() == settings
        window.show_training("train")  # where the user trains
        return window, panel, path

    return opener


def test_the_form_has_every_config_field_with_its_help(training_window):
    window, panel, _ = training_window()
    for field in fields(TrainConfig):
        editor = panel.form.editors[field.name]
        assert editor.widget.toolTip() == field.metadata["help"]
    assert "auto" in panel.form.editors["device"].widget.itemText(0)


def test_train_see_curves_history_report_card_and_predictions(qtbot, training_window):
    window, panel, path = training_window()
    with qtbot.waitSignal(panel.runFinished, timeout=60000) as finished:
        panel.train_button.click()
        assert panel.cancel_button.isEnabled()
    result = finished.args[0]
    assert result.status == "done" and result.accuracy >= 0.8
    # The curve received points: the linear probe's cross-validation fits, then its one evaluation.
    assert len(panel.plot.steps) >= 20 and len(panel.plot.epochs) == 1
    qtbot.waitUntil(lambda: panel.plot.redraws > 0)

    history = window.training.history
    assert window.training.tabs.currentWidget() is history
    model = history.model
    assert model.data(model.index(0, 0)) == str(result.run)
    assert model.data(model.index(0, COLUMNS.index("Status"))) == "done"

    card = history.report_card
    qtbot.waitUntil(lambda: card.report is not None)  # the shown run's report is read in a job
    assert "95 % interval" in card.summary.text() and "on 12 validation images" in card.summary.text()
    assert (
        card.cost.isVisibleTo(card)
        and "weights trained" in card.cost.text()
        and "ms an image" in card.cost.text()
        and "ms per image at batch 32" in card.cost.toolTip()  # in plain words; in full on hover
    )
    matrix = card.report["confusion_matrix"]
    assert card.confusion.rowCount() == card.confusion.columnCount() == 3
    assert sum(int(card.confusion.item(r, c).text()) for r in range(3) for c in range(3)) == 12  # validation set
    rect = card.confusion.visualItemRect(card.confusion.item(0, 0))
    qtbot.mouseClick(card.confusion.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: window.model.query.show == "ids")
    assert window.model.rowCount() == matrix[0][0]
    assert set(window.model.rows.image_ids) == set(card.images_in_cell(0, 0))
    assert "true red, predicted red" in window.filter_bar.show_box.currentText()

    # The finished run became the active model; its predictions reach the tiles.
    qtbot.waitUntil(lambda: window.filter_bar.run_id == result.run, timeout=30000)
    qtbot.waitUntil(lambda: window.model.data(window.model.index(0), PredictedNameRole) is not None)
    assert 0 < window.model.data(window.model.index(0), ConfidenceRole) <= 1
    assert model.data(model.index(0, COLUMNS.index("Active"))) == "★"
    with Project.open(path, read_only=True) as project:
        assert project.conn.execute("SELECT count(*) FROM predictions").fetchone()[0] == 60
    window.filter_bar.show_filter("disagrees")
    qtbot.waitUntil(lambda: window.model.query.show == "disagrees")
    assert window.model.rowCount() <= 10


def test_training_from_the_window_with_dataloader_worker_processes(qtbot, training_window):
    """The default path: images decoded in DataLoader worker processes started from the
    training thread of the running window."""
    window, panel, _ = training_window(method="full", epochs=2, lr=1e-3)
    panel.form.editors["workers"].put(2)
    assert panel.form.value().workers == 2
    with qtbot.waitSignal(panel.runFinished, timeout=120000) as finished:
        panel.train_button.click()
    assert finished.args[0].status == "done" and finished.args[0].accuracy is not None


def test_the_method_list_offers_every_method_with_what_it_costs(training_window):
    from app.core.training.methods import METHODS

    window, panel, _ = training_window()
    box, note = panel.form.editors["method"].widget, panel.form.notes["method"]
    assert [box.itemData(i) for i in range(box.count())] == list(METHODS)
    for name, info in METHODS.items():
        panel.form.editors["method"].put(name)
        assert box.currentText() == info.title and info.cost in note.text()
    panel.form.editors["method"].put("lora")
    assert panel.form.value().method == "lora" and "% of the weights" in note.text()


def test_ctrl_enter_trains(qtbot, training_window):
    window, panel, _ = training_window(epochs=2)
    with qtbot.waitSignal(panel.runFinished, timeout=60000) as finished:
        qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert finished.args[0].status == "done"


def test_return_in_the_model_field_keeps_what_was_typed(qtbot, training_window):
    window, panel, _ = training_window()
    box = panel.form.editors["model"].widget
    box.lineEdit().selectAll()
    qtbot.keyClicks(box.lineEdit(), "someone/their-model")
    qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert panel.form.value().model == "someone/their-model"  # was reset to dinov2-small
    assert box.count() == len(presets_for(CLASSIFY))  # the backbone presets only: Return added no item


def test_the_form_speaks_plainly(training_window):
    from PySide6.QtWidgets import QFormLayout

    window, panel, _ = training_window()
    labels = []
    for layout in panel.form.findChildren(QFormLayout):
        for row in range(layout.rowCount()):
            item = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
            if item is not None and item.widget() is not None and item.widget().text():
                labels.append(item.widget().text())
    assert {"Learning rate", "Held out for validation", "Warm-up", "Gradient clipping", "LoRA rank"} <= set(labels)
    assert not any("_" in label or label in ("Lr", "Val fraction") for label in labels)


def test_the_form_refuses_what_the_config_refuses(qtbot, training_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    window, panel, path = training_window()
    assert panel.form.editors["epochs"].widget.validator().bottom() == 1  # the editor follows the rule
    assert panel.form.editors["batch_size"].widget.minimum() == 1
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    panel.form.editors["val_fraction"].widget.setText("1.5")
    assert panel.start() is False and not panel.running
    assert shown == ["val-fraction must be above 0 and below 1 (got 1.5)"]
    with Project.open(path, read_only=True) as project:
        assert project.conn.execute("SELECT count(*) FROM runs").fetchone()[0] == 0


def test_cancel_keeps_the_run_as_cancelled(qtbot, training_window):
    window, panel, _ = training_window(method="full", epochs=200, lr=1e-3, batch_size=4)
    panel.train_button.click()
    qtbot.waitUntil(lambda: panel.plot_area.built and len(panel.plot.steps) >= 2, timeout=60000)
    with qtbot.waitSignal(panel.runFinished, timeout=30000) as finished:
        panel.cancel_button.click()
    assert finished.args[0].status == "cancelled"
    qtbot.waitUntil(lambda: panel.train_button.isEnabled())  # the thread has ended
    assert not panel.running and not panel.cancel_button.isEnabled()
    assert (
        window.training.history.model.data(window.training.history.model.index(0, COLUMNS.index("Status")))
        == "cancelled"
    )


def test_warnings_before_training_can_stop_it(qtbot, training_window):
    window, panel, _ = training_window(per_class=3, classes=("red", "green"))
    asked = []
    panel.confirm = lambda warnings: asked.append(warnings) or False
    assert panel.start() is False
    assert not panel.running and "fewer than 5 labels" in asked[0][0]


def test_window_stays_responsive_and_labels_commit_while_training(qtbot, training_window):
    window, panel, path = training_window(method="full", epochs=200, lr=1e-3, batch_size=4)
    lateness, last = [], [0.0]

    def tick():
        now = time.perf_counter()
        if last[0]:
            lateness.append((now - last[0]) * 1000 - 10)
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    panel.train_button.click()
    qtbot.waitUntil(lambda: panel.plot_area.built and len(panel.plot.steps) >= 1, timeout=60000)
    timer.start()
    try:
        window.filter_bar.show_filter("all")
        qtbot.waitUntil(lambda: window.model.rowCount() == 60)
        window.grid.select_row(0)
        window.grid.setFocus()
        window.labelling.apply(window.session.class_for_shortcut("2").id)  # as pressing 2 does
        qtbot.wait(2000)
        steps_during = len(panel.plot.steps)
    finally:
        timer.stop()
        with qtbot.waitSignal(panel.runFinished, timeout=30000):
            panel.cancel()
    assert labels_in(path)[window.model.path(0)] == "green"
    assert steps_during > 3, "training did not run while we measured"
    print(f"\n{len(lateness)} ticks during training, worst lateness {max(lateness):.1f} ms")
    assert max(lateness) <= 100, f"the GUI thread was blocked for {max(lateness):.0f} ms while training"


def test_a_run_left_running_by_a_crash_shows_as_interrupted(qtbot, tmp_path, open_window):
    path = make_colour_project(tmp_path, per_class=2, classes=("red", "green"))
    with Project.open(path) as project:
        project.conn.execute(
            "INSERT INTO runs (status, model_ref, method, seed, config, classes) VALUES "
            "('running', 'x', 'linear', 0, ?, '[]')",
            (TrainConfig().to_json(),),
        )
        project.conn.commit()
    window = open_window(path)
    qtbot.waitUntil(lambda: window.training.panel is not None)
    model = window.training.history.model
    assert model.data(model.index(0, COLUMNS.index("Status"))) == "failed"
    assert "interrupted" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_worse_run_becomes_active_only_if_the_user_says_so(qtbot, training_window):
    window, panel, _ = training_window(epochs=30)
    with qtbot.waitSignal(panel.runFinished, timeout=60000) as first:
        panel.train_button.click()
    qtbot.waitUntil(lambda: window.filter_bar.run_id == first.args[0].run, timeout=30000)
    assert f"Model: run {first.args[0].run}" in window.status.active_model.text()

    asked = []
    window.training.confirm_switch = lambda run, active, comparison: asked.append((run, active, comparison)) or False
    panel.form.editors["method"].put("full")
    panel.form.editors["lr"].put(1e-9)  # barely trains: scores worse on the same images
    panel.form.editors["epochs"].put(1)
    panel.form.editors["seed"].put(1)  # another random head
    with qtbot.waitSignal(panel.runFinished, timeout=60000) as second:
        panel.train_button.click()
    assert second.args[0].status == "done"
    qtbot.waitUntil(lambda: bool(asked), timeout=5000)  # the comparison reads both reports in a job
    assert asked and asked[0][:2] == (second.args[0].run, first.args[0].run) and asked[0][2].images == 12
    qtbot.wait(200)
    assert window.filter_bar.run_id == first.args[0].run  # declined: the better run stays active


def test_a_full_fine_tune_of_a_big_model_on_the_cpu_is_warned_about(tmp_path, training_window):
    window, panel, _ = training_window(method="full")
    tiny = panel.form.value().model
    assert panel._device_warnings(panel.form.value()) == []  # a tiny model trains fast anywhere
    asked = []
    panel.confirm = lambda warnings: asked.append(warnings) or False
    big = tmp_path / "big-model"
    big.mkdir()
    (big / "config.json").write_text("{}")
    header = json.dumps({"w": {"dtype": "F32", "shape": [22_499_000], "data_offsets": [0, 89_996_000]}}).encode()
    with open(
        big / "model.safetensors", "wb"
    ) as weights:  # a valid header over sparse zeros: ViT-S's size, no disk used
        weights.write(len(header).to_bytes(8, "little") + header)
        weights.truncate(8 + len(header) + 89_996_000)
    panel.form.editors["model"].put(str(big))
    assert panel.start() is False and not panel.running
    assert any("full fine-tune on the CPU trains its 90 MB" in w for w in asked[0])
    panel.form.editors["method"].put("lora")
    assert panel._device_warnings(panel.form.value()) == []
    assert tiny != str(big)


def test_the_form_opens_as_the_last_run_left_it(qtbot, training_window, open_window):
    window, panel, path = training_window(epochs=2)
    panel.form.editors["lr"].put(0.02)
    panel.form.editors["lora_rank"].put(4)
    with qtbot.waitSignal(panel.runFinished, timeout=60000):
        panel.train_button.click()
    chosen = panel.form.value()
    window.close()
    reopened = open_window(path)
    qtbot.waitUntil(lambda: reopened.training.panel is not None, timeout=5000)
    assert reopened.training.panel.form.value() == chosen


def test_browse_picks_a_local_model_folder(training_window, tmp_path, monkeypatch):
    window, panel, _ = training_window()
    monkeypatch.setattr(
        "app.gui.training_panel.QFileDialog.getExistingDirectory", lambda *a, **k: str(tmp_path / "my-model")
    )
    panel.browse_button.click()
    assert panel.form.value().model == str(tmp_path / "my-model")
    assert panel.browse_button.isVisibleTo(panel)


def test_presets_say_whether_they_are_downloaded(qtbot, training_window, tmp_path, monkeypatch):
    cache = tmp_path / "hub"
    snapshot = cache / "models--facebook--dinov2-small" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "model.safetensors").write_bytes(b"\0" * 2_000_000)
    (snapshot / "config.json").write_text("{}")  # what makes a downloaded model: a config and weights
    (cache / "models--facebook--dinov2-small" / "refs").mkdir()
    (cache / "models--facebook--dinov2-small" / "refs" / "main").write_text("abc123")
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_CACHE", str(cache))
    window, panel, _ = training_window()
    box, note = panel.form.editors["model"].widget, panel.form.notes["model"]
    tip = lambda name: box.itemData(box.findData(name), Qt.ItemDataRole.ToolTipRole)  # noqa: E731
    qtbot.waitUntil(lambda: "On this machine" in (tip("dinov2-small") or ""), timeout=20000)
    assert "On this machine (2 MB)" in tip("dinov2-small")
    assert "Downloads on first use" in tip("vit-b16")
    panel.form.editors["model"].put("dinov2-small")
    assert "On this machine" in note.text()


def test_the_training_bar_is_at_the_top_and_in_view_at_1280x800(qtbot, training_window):
    window, panel, _ = training_window()
    window.resize(1280, 800)
    window.show_training("train")
    qtbot.waitUntil(lambda: panel.train_button.isVisible())
    for widget in (panel.train_button, panel.cancel_button, panel.progress, panel.status):
        top_left = widget.mapTo(window, widget.rect().topLeft())
        bottom = widget.mapTo(window, widget.rect().bottomRight())
        assert window.rect().contains(top_left) and window.rect().contains(bottom), widget.objectName()
    assert (
        panel.train_button.mapTo(panel, panel.train_button.rect().topLeft()).y()
        < panel.form.mapTo(panel, panel.form.rect().topLeft()).y()
    )


def test_the_report_card_opens_at_full_size_with_thumbnails_of_the_wrong_images(qtbot, training_window):
    window, panel, _ = training_window(method="full", epochs=1, lr=1e-9)  # barely trained: some images are wrong
    panel.form.editors["seed"].put(1)
    with qtbot.waitSignal(panel.runFinished, timeout=60000):
        panel.train_button.click()
    card = window.training.history.report_card
    qtbot.waitUntil(lambda: card.report is not None)
    wrong = [card.wrong.item(i) for i in range(card.wrong.count())]
    assert wrong and all(item.data(Qt.ItemDataRole.UserRole) for item in wrong)
    qtbot.waitUntil(lambda: all(not item.icon().isNull() for item in wrong), timeout=10000)

    big = card.open_window()
    qtbot.waitExposed(big)
    inner = big.card
    assert inner.report is card.report and inner.wrong.count() == card.wrong.count()
    for table in (inner.per_class, inner.confusion):  # every row and column in view, none clipped
        last = table.visualItemRect(table.item(table.rowCount() - 1, table.columnCount() - 1))
        assert table.viewport().rect().contains(last), table.objectName()
        assert last.bottom() < table.viewport().height() and last.right() < table.viewport().width()
    qtbot.waitUntil(lambda: not inner.wrong.item(0).icon().isNull(), timeout=10000)
    big.close()


def test_the_sentences_under_the_lists_are_not_clipped(qtbot, training_window):
    window, panel, _ = training_window(method="linear")
    window.resize(1280, 800)
    window.show_training("train")
    panel.form.editors["model"].put("dinov2-small")  # a typed model folder has no sentence: its row is hidden
    for name in ("method", "model"):
        note = panel.form.notes[name]
        qtbot.waitUntil(lambda: note.isVisible() and note.width() > 100)
        qtbot.waitUntil(lambda: note.height() >= note.heightForWidth(note.width()), timeout=2000)


def test_a_runs_settings_read_in_plain_words_and_can_be_trained_again(qtbot, training_window):
    window, panel, _ = training_window(epochs=2, lr=0.02)
    with qtbot.waitSignal(panel.runFinished, timeout=60000):
        panel.train_button.click()
    history = window.training.history
    qtbot.waitUntil(lambda: history.settings_table.rowCount() > 10)
    rows = {
        history.settings_table.item(r, 0).text(): history.settings_table.item(r, 1).text()
        for r in range(history.settings_table.rowCount())
    }
    assert (
        rows["Learning rate"] == "0.02"
        and rows["Held out for validation"] == "0.2"
        and rows["Augmentation"] == "general"
    )
    assert rows["Status"] == "done" and rows["Classes"] == "red, green, blue"
    assert not any(text.lstrip().startswith("{") for text in rows.values())  # no raw JSON
    panel.form.editors["lr"].put(0.5)
    history.reuse_button.click()
    assert panel.form.value().lr == 0.02 and window.workspaces.current_name == "train"


def test_a_run_whose_model_cannot_load_is_listed_as_failed(qtbot, training_window):
    window, panel, path = training_window()
    panel.form.editors["model"].put("loupe-tests/no-such-model")
    with qtbot.waitSignal(panel.runFailed, timeout=60000) as failed:
        panel.train_button.click()
    assert "cannot be downloaded now" in failed.args[0] and "cannot be downloaded now" in panel.status.text()
    model = window.training.history.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.data(model.index(0, COLUMNS.index("Status"))) == "failed"
    assert "cannot be downloaded now" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    assert model.data(model.index(0, COLUMNS.index("Backbone"))) == "loupe-tests/no-such-model"


def test_the_sentence_after_a_run_reads_as_sentences():
    from types import SimpleNamespace

    from app.gui.training_panel import finished_sentence

    result = SimpleNamespace(
        run=3,
        status="done",
        accuracy=0.912,
        macro_f1=0.9041,
        message="stopped early after epoch 4: no better validation loss for 3 epochs",
        notices=["2 images could not be read"],
    )
    assert finished_sentence(result) == (
        "Run 3 done: accuracy 91.2%, macro-F1 0.904. Stopped early after epoch 4: "
        "no better validation loss for 3 epochs. 1 notice on the Runs tab."
    )
    bare = SimpleNamespace(run=4, status="cancelled", accuracy=None, macro_f1=None, message="", notices=[])
    assert finished_sentence(bare) == "Run 4 cancelled."


def test_a_run_shows_its_progress_in_the_status_bar_on_every_workspace(qtbot, training_window):
    window, panel, _ = training_window(method="linear")
    bar = window.status.run_progress
    assert not bar.isVisible()
    with qtbot.waitSignal(panel.runFinished, timeout=60000):
        panel.train_button.click()
        window.workspaces.show_workspace("label")  # back to labelling while it trains
        qtbot.waitUntil(lambda: bar.isVisible() and bar.format().startswith("Training"))
        assert "img/s" not in bar.format()  # the short form: the bar has less room than the form's
    assert not bar.isVisible() and window.workspaces.current_name == "label"  # the user stays where they are
    bar.follow(panel.progress)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton)  # a click goes to the run
    assert window.workspaces.current_name == "train"
    bar.stop()
