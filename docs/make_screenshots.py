"""Make the README's pictures of the window (offscreen; no screen needed).

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py

- docs/sample-project.png: the sample project, as `main.py PROJECT --screenshot` shows it.
- docs/train-form.png: the Train tab, LoRA chosen: the form, the sentence under each list, and
  the Train button.
- docs/training-run.png: the sample project after a training run: the run history, the report
  card with its confusion matrix and the model's cost, the curves, and predictions on the tiles.
  The model is a tiny ViT with random weights built here (this machine cannot download hub
  weights), trained as a linear probe; with a real backbone the scores are higher.
- docs/suggestions.png: Label next suggestions (N) pressed after that run: the Suggested queue in
  the grid, each tile saying why it is suggested, and the Suggest tab with "Am I done?".
- docs/batch-results.png: a folder of new images classified with that run (as a drop chosen
  "Classify" does): the Results tab with thumbnails, class, confidence and top 3, "needs review"
  in red, two results accepted as labels.
- docs/heatmap.png: one of those results opened in the viewer with its heatmap (H).

All at 1280×800, the size the window must work at.

    python docs/make_screenshots.py [NAME ...]   # only these (e.g. batch-results heatmap)
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def tiny_vit(folder: Path) -> Path:
    import torch
    from transformers import ViTConfig, ViTForImageClassification, ViTImageProcessor

    torch.manual_seed(0)
    config = ViTConfig(
        image_size=64,
        patch_size=8,
        hidden_size=96,
        num_hidden_layers=3,
        num_attention_heads=3,
        intermediate_size=192,
        num_labels=3,
    )
    ViTForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": 64, "width": 64}).save_pretrained(folder)
    return folder


def wait(app, condition, seconds=60.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)


def new_scans(folder: Path, count: int = 24) -> Path:
    """Images the project has not seen, made like the sample's (other seeds)."""
    sys.path.insert(0, str(ROOT / "resources"))
    from make_sample import field

    folder.mkdir(parents=True, exist_ok=True)
    kinds = ("healthy", "irregular", "no-cells")
    for i in range(count):
        field(kinds[i % 3], seed=20000 + i).save(folder / f"scan-{i:02}.jpg", quality=88)
    return folder


def results_and_heatmap(app, window, run: int, folder: Path, out: Path, wanted) -> None:
    """docs/batch-results.png and docs/heatmap.png."""
    from app.gui.screenshot import visible_tiles_ready

    scans = new_scans(folder / "new-scans")
    window.classifier.classify([str(scans)], run)
    wait(app, lambda: window.classifier.batches_made == 1 and window.classifier.idle)
    panel = window.results_panel
    wait(app, lambda: panel is not None and panel.model.rowCount() == 24)
    panel.select_results([r.id for r in panel.model.rows[:2]])
    panel.request_accept(None)
    wait(app, lambda: window.classifier.idle and all(r.accepted for r in panel.model.rows[:2]))
    panel.select_results([next(r for r in panel.model.rows[2:] if r.label == "irregular").id])
    wait(app, lambda: panel.model.thumbnails_loaded() >= 4 and window.rows_loaded and visible_tiles_ready(window))
    for _ in range(30):
        app.processEvents()
    if "batch-results" in wanted:
        window.grab().save(str(out / "batch-results.png"))
    result = next(r for r in panel.model.rows[2:] if r.label == "irregular")  # cells to point at
    window.results.on_panel_result_opened(result, run)
    wait(app, lambda: window.viewer.viewer.has_overlay())
    for _ in range(30):
        app.processEvents()
    if "heatmap" in wanted:
        window.grab().save(str(out / "heatmap.png"))


SHOTS = ("sample-project", "train-form", "training-run", "suggestions", "batch-results", "heatmap")


def main() -> None:
    from app.core.importing.sample import create_sample_project
    from app.core.project.store import Project
    from app.core.training import TrainConfig, train
    from app.core.training.preload import preload_ml_libraries
    from app.gui.app_settings import AppSettings
    from app.gui.main_window import MainWindow
    from app.gui.screenshot import visible_tiles_ready

    out = ROOT / "docs"
    wanted = set(sys.argv[1:]) or set(SHOTS)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = create_sample_project(folder / "sample")
        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp}
        if "sample-project" in wanted:
            subprocess.run(
                [sys.executable, str(ROOT / "main.py"), str(project), "--screenshot", str(out / "sample-project.png")],
                check=True,
                env=env,
            )

        model = tiny_vit(folder / "tiny-vit")
        with Project.open(project) as opened:
            result = train(
                opened,
                TrainConfig(model=str(model), method="linear", epochs=40, lr=0.01, workers=0, patience=0, device="cpu"),
            )
        print(f"run {result.run}: accuracy {result.accuracy:.3f}, macro-F1 {result.macro_f1:.3f}")

        app = QApplication.instance() or QApplication([])
        preload_ml_libraries()
        loop = qasync.QEventLoop(app, already_running=True)
        asyncio.set_event_loop(loop)
        window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
        window.resize(1280, 800)
        window.show()
        wait(app, lambda: window.rows_loaded and window.training.panel is not None)
        window.training.panel.form.editors["method"].put("lora")
        wait(app, lambda: visible_tiles_ready(window) and window.viewer.viewer.has_image())
        for _ in range(30):
            app.processEvents()
        if "train-form" in wanted:
            window.grab().save(str(out / "train-form.png"))
        window.predictions.activate(result.run)
        wait(app, lambda: window.filter_bar.run_id == result.run)
        window.training.tabs.setCurrentWidget(window.training.history)
        window.training.history.refresh(result.run, select=result.run)
        wait(app, lambda: window.rows_loaded and visible_tiles_ready(window) and window.viewer.viewer.has_image())
        for _ in range(30):
            app.processEvents()
        if "training-run" in wanted:
            window.grab().save(str(out / "training-run.png"))
        window.suggestions.label_next()
        wait(app, lambda: window.suggestions.refreshes >= 1 and window.suggestions.idle)
        wait(
            app,
            lambda: (
                window.model.query.image_ids == window.suggestions.queue
                and window.rows_loaded
                and visible_tiles_ready(window)
                and window.viewer.viewer.has_image()
                and window.suggestion_panel.advice.text() != ""
            ),
        )
        for _ in range(30):
            app.processEvents()
        if "suggestions" in wanted:
            window.grab().save(str(out / "suggestions.png"))
        try:
            results_and_heatmap(app, window, result.run, folder, out, wanted)
        finally:
            window.close()


if __name__ == "__main__":
    main()
