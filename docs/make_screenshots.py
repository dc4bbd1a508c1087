"""Make the README's pictures of the window (offscreen; no screen needed), one per workspace and
state, light and dark.

    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py          # light: docs/NAME.png
    QT_QPA_PLATFORM=offscreen python docs/make_screenshots.py --dark   # dark: docs/NAME-dark.png

- sample-project: the Label workspace on the sample project, as `main.py PROJECT --screenshot`
  shows it (light only: the app follows the system's scheme there).
- train-form: the Train workspace, LoRA chosen: the form, the sentence under each list, Train.
- training-run: the Train workspace after a run trained in the window (a linear probe): its live
  curves, the run history and its report card. The model is a tiny ViT with random weights built
  here (this machine cannot download hub weights); with a real backbone the scores are higher.
- predictions: the Label workspace with that run's predictions on the tiles.
- suggestions: Label next suggestions (N) pressed after that run: the Suggested queue in the
  grid, each tile saying why it is suggested.
- batch-results: the Review workspace after a folder of new images was classified with that run
  (as a drop chosen "Classify" does): thumbnails, class, confidence and top 3, "needs review" in
  red, two results accepted as labels, one opened in the viewer.
- heatmap: that result with its heatmap (H).
- models: View ▸ Models… — every preset by field, one model on this machine (selected: where it
  is, its revision) and one partly downloaded.
- models-downloading: a download under way: the bar with bytes, speed and time left.
- models-gated: a model behind accepted terms selected: the link to its terms and the token box.
- models-offline: the same page with HF_HUB_OFFLINE set: the banner, the other models greyed out.
  The Models shots download from tests/fake_hub.py's hub on 127.0.0.1 (files of the presets'
  sizes, random bytes), never from the internet, into a temporary Hugging Face cache.
- zeroshot: the Label workspace on the sample project after Run in the Zero-shot tab: each
  unlabelled tile with its ◇ zero-shot class, the tab with its warning and the agreement with the
  labels made. The model is a tiny CLIP with random weights built here (tests/zeroshot_models.py):
  the classes and confidences it shows mean nothing; a real CLIP's would.
- check-labels: the Label workspace's Check labels tab on the sample project with four labels
  planted wrong: the queue, the first label in doubt in words and its image in the viewer.
- near-duplicates: Show ▸ Near-duplicates on the sample project with a resized, a recompressed
  and a re-windowed copy of three of its images: each group's tiles together, badged "≈ group N".
- slides: the Label workspace's Slides and scenes tab on a synthetic whole slide (a pyramidal
  TIFF made here, 4096×3072 at 0.25 µm/px, tissue with a denser "tumour" part) cut into tiles,
  some labelled: each labelled tile in its class's colour, one tile current in the viewer.
- slides-predictions: the same slide after a linear probe trained on those labels (tiny ViT
  with random weights built here) predicted every tile: the prediction map with its legend, and
  Label next suggestions (N) pressed: the tiles to label next marked in place, the first current.
- slides-import: File ▸ Import slides or scenes… on another slide: the overview, what is not
  tissue dimmed, the tiles that would be kept outlined and counted.

- machine-note: the first-run note, "This machine": the device Loupe trains on (here the
  CPU), a sentence per method on what that means, and where things live.

All at 1280×800, the size the window must work at. `--language zh_CN` takes them in Simplified
Chinese, saved as docs/NAME-zh.png (docs/README in Chinese: sample-project, train-form,
training-run, batch-results, machine-note).

    python docs/make_screenshots.py [--dark] [NAME ...]   # only these (e.g. batch-results heatmap)
    python docs/make_screenshots.py models models-downloading models-gated models-offline
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


def results_and_heatmap(app, window, run: int, folder: Path, out: Path, wanted, suffix: str) -> None:
    """docs/batch-results.png and docs/heatmap.png: the Review workspace."""
    from app.core.file_names import real_name

    scans = new_scans(folder / "new-scans")
    window.classifier.classify([str(scans)], run)
    wait(app, lambda: window.classifier.batches_made == 1 and window.classifier.idle)
    panel = window.results_panel
    wait(app, lambda: panel is not None and panel.model.rowCount() == 24)
    panel.select_results([r.id for r in panel.model.rows[:2]])
    panel.request_accept(None)
    wait(app, lambda: window.classifier.idle and all(r.accepted for r in panel.model.rows[:2]))
    result = next((r for r in panel.model.rows[2:] if r.label == "irregular"), panel.model.rows[2])  # cells
    panel.select_results([result.id])
    window.viewer.heatmap_action.setChecked(False)
    window.viewer.show_file(real_name(result.path))
    wait(app, lambda: panel.model.thumbnails_loaded() >= 12 and window.viewer.viewer.has_image())
    settle(app)
    if "batch-results" in wanted:
        window.grab().save(str(out / f"batch-results{suffix}.png"))
    window.results.on_panel_result_opened(result, run)
    wait(app, lambda: window.viewer.viewer.has_overlay())
    settle(app)
    if "heatmap" in wanted:
        window.grab().save(str(out / f"heatmap{suffix}.png"))


MODEL_SHOTS = ("models", "models-downloading", "models-gated", "models-offline")
SLIDE_SHOTS = ("slides", "slides-predictions", "slides-import")
SHOTS = (
    "sample-project",
    "train-form",
    "training-run",
    "predictions",
    "suggestions",
    "batch-results",
    "heatmap",
    *MODEL_SHOTS,
    "zeroshot",
    "check-labels",
    "near-duplicates",
    *SLIDE_SHOTS,
    "machine-note",
)


def zeroshot_shot(app, folder: Path, save) -> None:
    """docs/zeroshot.png: zero-shot suggestions on the tiles and the Zero-shot tab."""
    from app.core.importing.sample import create_sample_project
    from app.gui.app_settings import AppSettings
    from app.gui.main_window import MainWindow
    from app.gui.screenshot import visible_tiles_ready
    from tests.zeroshot_models import save_tiny_zeroshot_clip

    project = create_sample_project(folder / "sample")
    model = save_tiny_zeroshot_clip(folder / "tiny-clip")
    window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.rows_loaded and getattr(window, "zero_shot", None) is not None)
    panel = window.zero_shot.panel
    window.side.setCurrentWidget(panel)
    wait(app, lambda: bool(panel.template_lines()))
    panel.model_box.setCurrentText(str(model))
    panel.run_button.click()
    wait(app, lambda: window.zero_shot.result is not None and window.zero_shot.idle, seconds=300)
    panel.threshold.setValue(35)  # the tiny model's confidences are low: the button shows a count
    window.filter_bar.show_filter("unlabelled")  # the tiles with a suggestion
    wait(app, lambda: window.rows_loaded and visible_tiles_ready(window))
    wait(app, lambda: False, seconds=2.0)  # the viewer shows the first unlabelled image
    settle(app)
    save(window, "zeroshot")
    window.close()


def near_duplicates_shot(app, folder: Path, save) -> None:
    """docs/near-duplicates.png: Show ▸ Near-duplicates on the sample project with a resized, a
    recompressed and a re-windowed copy of three of its images imported beside them: the search
    runs (tiny ViT features, thumbnails decide) and the groups are listed together."""
    from PIL import Image, ImageEnhance

    from app.core.importing.importer import import_paths
    from app.core.importing.sample import create_sample_project
    from app.core.project.store import Project
    from app.core.training.config import TrainConfig, remember_config
    from app.gui.app_settings import AppSettings
    from app.gui.main_window import MainWindow
    from app.gui.screenshot import visible_tiles_ready

    project = create_sample_project(folder / "sample")
    copies = folder / "copies"
    copies.mkdir()
    with Project.open(project) as opened:
        paths = [
            opened.resolve_path(p) for (p,) in opened.conn.execute("SELECT path FROM images ORDER BY path LIMIT 3")
        ]
        original = Image.open(paths[0]).convert("RGB")
        original.resize((original.width * 2, original.height * 2)).save(copies / "rescan-larger.png")
        Image.open(paths[1]).convert("RGB").save(copies / "recompressed.jpg", quality=40)
        ImageEnhance.Contrast(Image.open(paths[2]).convert("RGB")).enhance(1.4).save(copies / "rewindowed.png")
        import_paths(opened, [copies])
        remember_config(opened, TrainConfig(model=str(tiny_vit(folder / "vit"))))
    window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.rows_loaded)
    window.near_duplicates.show_dialogs = False
    window.filter_bar.show_filter("near_duplicates")
    wait(app, lambda: window.near_duplicates.searched and window.model.query.show == "near_duplicates", seconds=300)
    wait(app, lambda: window.rows_loaded and visible_tiles_ready(window) and window.model.rowCount() >= 2)
    wait(app, lambda: False, seconds=2.0)  # the viewer shows the first image of the first group
    settle(app)
    save(window, "near-duplicates")
    window.close()


def check_labels_shot(app, folder: Path, save) -> None:
    """docs/check-labels.png: the Check labels queue on the sample project with four labels
    planted wrong, its first image in the viewer. Features from the ImageNet EfficientNet-Lite0
    that `bench/build_efficientnet_lite0.py` writes when it is on this machine, else from a tiny
    ViT with random weights (then what it flags means little)."""
    from app.core.importing.sample import create_sample_project
    from app.core.labelling.labels import set_labels
    from app.core.project.store import Project
    from app.core.training.config import TrainConfig, remember_config
    from app.gui.app_settings import AppSettings
    from app.gui.label_review_panel import show_label_review
    from app.gui.main_window import MainWindow
    from app.gui.screenshot import visible_tiles_ready

    project = create_sample_project(folder / "sample")
    real = Path.home() / ".cache" / "loupe-bench" / "efficientnet-lite0"
    model = real if (real / "config.json").is_file() else tiny_vit(folder / "tiny-vit")
    with Project.open(project) as opened:
        remember_config(opened, TrainConfig(model=str(model), device="cpu"))
        rows = opened.conn.execute("SELECT image_id, class_id FROM labels ORDER BY image_id").fetchall()
        classes = sorted({c for _, c in rows})
        planted = rows[3::9][:4]  # four labels moved to the next class
        set_labels(opened, [(i, classes[(classes.index(c) + 1) % len(classes)]) for i, c in planted])
    window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.rows_loaded and getattr(window, "label_review", None) is not None)
    window.central.setSizes([330, 450, 500])
    show_label_review(window)
    wait(app, lambda: window.label_review.result is not None and window.label_review.idle, seconds=300)
    wait(app, lambda: visible_tiles_ready(window) and window.viewer.viewer.has_image())
    settle(app)
    save(window, "check-labels")
    window.close()


def slides_shots(app, folder: Path, save) -> None:
    """docs/slides*.png: a synthetic whole slide's tiles labelled, then predicted, in the overview;
    and the import dialog's preview of another slide."""
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels
    from app.core.project.store import Project
    from app.core.sources.tile_import import import_sources
    from app.core.sources.tiling import TileOptions
    from app.core.training import TrainConfig
    from app.core.training.preload import preload_ml_libraries
    from app.gui.app_settings import AppSettings
    from app.gui.main_window import MainWindow
    from app.gui.source_controller import show_sources
    from app.gui.source_overview import PREDICTIONS
    from tests.slide_data import is_tumour, write_slide

    width, height = 4096, 3072
    slide = write_slide(folder / "slides" / "biopsy-07.tif", width, height, tumour=True)
    project = folder / "slides.loupe"
    with Project.create(project) as opened:
        tumour, stroma = add_class(opened, "tumour"), add_class(opened, "stroma")
        import_sources(opened, [slide], TileOptions(size=128, mpp=0.5, min_tissue=0.5))
        tiles = opened.conn.execute("SELECT id, tile_x, tile_y, tile_w FROM images ORDER BY tile_y, tile_x").fetchall()
        # What a pathologist labels first: a few tiles in and around each tumour, some stroma.
        labels = []
        for image_id, x, y, side in tiles:
            centre = (x + side / 2, y + side / 2)
            if (x // side + y // side) % 3 == 0 and (centre[0] > width * 0.55 or centre[1] < height * 0.45):
                labels.append((image_id, tumour.id if is_tumour(*centre, width, height) else stroma.id))
        set_labels(opened, labels)
    preload_ml_libraries()
    window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
    window.resize(1280, 800)
    window.show()
    wait(app, lambda: window.rows_loaded and window.sources.record is not None and window.training.ready_to_train)
    window.central.setSizes([200, 640, 440])
    show_sources(window)
    view = window.sources.view
    current = next(i for i, (image_id, *_rest) in enumerate(tiles) if image_id == labels[len(labels) // 2][0])
    window.sources.tileChosen.emit(tiles[current][0])
    wait(app, lambda: window.viewer.viewer.has_image() and window.viewer.image_id == tiles[current][0])
    wait(app, lambda: False, seconds=1.0)
    settle(app)
    save(window, "slides")

    panel = window.training.panel
    finished = []
    panel.runFinished.connect(finished.append)
    panel.form.set_value(
        TrainConfig(
            model=str(tiny_vit(folder / "tiny-vit")),
            method="linear",
            epochs=40,
            lr=0.01,
            workers=0,
            patience=0,
            device="cpu",
        )
    )
    panel.start()
    wait(app, lambda: bool(finished), seconds=300)
    run = finished[0].run
    wait(app, lambda: window.filter_bar.run_id == run and window.sources.run_id == run, seconds=120)
    window.workspaces.show_workspace("label")
    overview = window.sources.panel
    overview.set_mode(PREDICTIONS)
    overview.opacity.setValue(60)
    wait(app, lambda: int((view.states.predicted >= 0).sum()) == len(view.states))
    window.suggestions.label_next()  # N: the tiles to label next, marked in place
    wait(app, lambda: window.suggestions.refreshes >= 1 and window.suggestions.idle, seconds=300)
    wait(app, lambda: bool(view.suggested) and view.current in view.suggested)
    wait(app, lambda: window.viewer.viewer.has_image())
    wait(app, lambda: False, seconds=1.0)
    settle(app)
    save(window, "slides-predictions")

    other = write_slide(folder / "slides" / "biopsy-08.tif", 3072, 2304, seed=3, tumour=True)
    window.source_import.ask([str(other)])
    dialog = window.source_import.import_dialog
    wait(app, lambda: dialog.preview is not None and dialog.import_button.isEnabled())
    dialog.choose_resolution(("mpp", 0.25))
    dialog.size_box.setValue(256)
    dialog.tissue_box.setValue(30)
    wait(app, lambda: False, seconds=1.0)
    settle(app)
    save(dialog, "slides-import")
    dialog.reject()
    window.close()


def models_page_shots(app, folder: Path, save) -> None:
    """docs/models*.png: the Models page over the fake hub (tests/fake_hub.py), its cache in `folder`."""
    import pytest

    from app.core.errors import LoupeError
    from app.core.hub import download_model
    from app.core.training.presets import PRESETS
    from app.gui.jobs import JobRunner
    from app.gui.models_page import ModelsPage
    from tests.fake_hub import go_offline, serving, tiny_model_files

    on_disk, partial, downloading = PRESETS["dinov2-small"], PRESETS["convnext-tiny"], PRESETS["swin-tiny"]
    gated = next(preset for preset in PRESETS.values() if preset.gated)
    with pytest.MonkeyPatch.context() as patch, serving(patch, folder) as hub:
        for preset in (on_disk, partial, downloading, gated):
            hub.add(
                preset.hub_id, tiny_model_files(preset.size_bytes if preset is not gated else 1000), gated=preset.gated
            )
        download_model(on_disk.hub_id)
        hub.cut_after, hub.down_after_cut = 41_000_000, True  # a download cut short: it resumes
        try:
            download_model(partial.hub_id)
        except LoupeError:
            pass  # cut on purpose
        hub.down = False
        jobs = JobRunner()
        page = ModelsPage(jobs)
        try:
            page.resize(1280, 800)
            page.show()
            wait(app, lambda: page.scans >= 1 and page.network_checks >= 1)
            page.select(on_disk.name)
            settle(app)
            save(page, "models")

            page.select(gated.name)
            page.token_edit.setText("hf_xxxxxxxxxxxxxxxxxxxx")
            page.token_edit.setFocus()
            settle(app)
            save(page, "models-gated")
            page.token_edit.clear()

            hub.throttle_bps = 9_000_000
            page.download(downloading.name)
            wait(app, lambda: page.last_progress is not None and page.last_progress.done_bytes > 45_000_000)
            wait(app, lambda: " of " in page.progress.format())
            settle(app)
            save(page, "models-downloading")
            page.cancel()
            wait(app, lambda: page.downloading is None)
        finally:
            page.shut_down()
            page.close()
        go_offline(patch)
        page = ModelsPage(jobs)  # opened again, offline
        try:
            page.resize(1280, 800)
            page.show()
            wait(app, lambda: page.scans >= 1 and page.network_checks >= 1)
            page.select(on_disk.name)
            settle(app)
            save(page, "models-offline")
        finally:
            page.shut_down()
            jobs.shutdown()
            page.close()


def machine_note_shot(app, save) -> None:
    """docs/machine-note.png: the first-run note over an empty 1280×800 backdrop."""
    from PySide6.QtWidgets import QWidget

    from app.core.training.preload import preload_ml_libraries
    from app.gui.first_run import show_machine_note

    preload_ml_libraries()
    backdrop = QWidget()
    backdrop.resize(1280, 800)
    backdrop.show()
    note = show_machine_note(backdrop)
    wait(app, lambda: note.facts is not None)
    note.move(backdrop.mapToGlobal(backdrop.rect().center()) - note.rect().center())
    settle(app)
    save(note, "machine-note")
    note.accept()
    backdrop.close()


def settle(app, rounds: int = 30) -> None:
    for _ in range(rounds):
        app.processEvents()


def main() -> None:
    from app.core.importing.sample import create_sample_project
    from app.core.training.preload import preload_ml_libraries
    from app.gui.app_settings import AppSettings
    from app.gui.main_window import MainWindow
    from app.gui.screenshot import visible_tiles_ready
    from app.gui.theme import dark_palette

    dark = "--dark" in sys.argv
    language = next((a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("--language=")), "")
    names = [a for a in sys.argv[1:] if not a.startswith("--")]
    wanted = set(names) or set(SHOTS)
    out = ROOT / "docs"
    suffix = ("-dark" if dark else "") + ("-zh" if language.startswith("zh") else "")

    def save(window, name: str) -> None:
        if name in wanted:
            window.grab().save(str(out / f"{name}{suffix}.png"))
            print(f"docs/{name}{suffix}.png")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        app = QApplication.instance() or QApplication([])
        app.setStyle("Fusion")
        app.setPalette(dark_palette() if dark else app.style().standardPalette())
        loop = qasync.QEventLoop(app, already_running=True)
        asyncio.set_event_loop(loop)
        if language:
            from app.gui.i18n import install_translation

            install_translation(app, language)
        if "machine-note" in wanted:
            machine_note_shot(app, save)
        if wanted & set(MODEL_SHOTS):
            models_page_shots(app, folder / "models", save)
        if "zeroshot" in wanted:
            zeroshot_shot(app, folder / "zeroshot", save)
        if "check-labels" in wanted:
            check_labels_shot(app, folder / "check-labels", save)
        if "near-duplicates" in wanted:
            near_duplicates_shot(app, folder / "near-duplicates", save)
        if wanted & set(SLIDE_SHOTS):
            slides_shots(app, folder / "slides", save)
        if (
            not wanted
            - set(MODEL_SHOTS)
            - set(SLIDE_SHOTS)
            - {"zeroshot", "check-labels", "near-duplicates", "machine-note"}
        ):
            return
        project = create_sample_project(folder / "sample")
        env = {**os.environ, "HOME": tmp, "XDG_CONFIG_HOME": tmp, "XDG_DATA_HOME": tmp}
        if "sample-project" in wanted and not dark:
            subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "main.py"),
                    str(project),
                    "--screenshot",
                    str(out / f"sample-project{suffix}.png"),
                ]
                + ([f"--language={language}"] if language else []),
                check=True,
                env=env,
            )
        model = tiny_vit(folder / "tiny-vit")
        preload_ml_libraries()
        window = MainWindow(project, AppSettings(QSettings(str(folder / "settings.ini"), QSettings.Format.IniFormat)))
        window.resize(1280, 800)
        window.show()
        wait(app, lambda: window.rows_loaded and window.training.ready_to_train and window.results.panel is not None)
        panel = window.training.panel
        window.show_training("train")
        panel.form.editors["method"].put("lora")
        settle(app)
        save(window, "train-form")

        from app.core.training import TrainConfig

        panel.form.set_value(
            TrainConfig(model=str(model), method="linear", epochs=40, lr=0.01, workers=0, patience=0, device="cpu")
        )
        finished = []
        panel.runFinished.connect(finished.append)
        panel.start()
        wait(app, lambda: bool(finished), seconds=300)
        run = finished[0].run
        print(f"run {run}: accuracy {finished[0].accuracy:.3f}, macro-F1 {finished[0].macro_f1:.3f}")
        wait(app, lambda: window.filter_bar.run_id == run and window.training.history.report_card.report is not None)
        settle(app)
        save(window, "training-run")

        window.workspaces.show_workspace("label")
        wait(app, lambda: window.rows_loaded and visible_tiles_ready(window) and window.viewer.viewer.has_image())
        settle(app)
        save(window, "predictions")
        window.suggestions.label_next()
        wait(app, lambda: window.suggestions.refreshes >= 1 and window.suggestions.idle)
        wait(
            app,
            lambda: (
                window.model.query.image_ids == window.suggestions.queue
                and window.rows_loaded
                and visible_tiles_ready(window)
                and window.viewer.viewer.has_image()
            ),
        )
        settle(app)
        save(window, "suggestions")
        try:
            results_and_heatmap(app, window, run, folder, out, wanted, suffix)
        finally:
            window.close()


if __name__ == "__main__":
    main()
