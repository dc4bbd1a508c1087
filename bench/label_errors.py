"""The label-error review on a public data set with planted wrong labels: Loupe's own ranking
(`loupe check-labels`) beside a plain scikit-learn + cleanlab baseline on the same features.

    python bench/label_errors.py [--quick] [--model FOLDER] [--share 0.05] [--seed 0]

Data: scikit-learn's 1,797 handwritten digits (bundled, no network), written as 224-pixel RGB PNGs
by `real_backbone.write_digits` (both of its parts) and imported into a real Loupe project,
labelled by folder; then a seeded `--share` of the labels (5 %) is changed to another digit at
random (the planted errors). Features:
- the real ImageNet EfficientNet-Lite0 (the folder `bench/build_efficientnet_lite0.py` writes;
  nothing downloaded), computed and cached by Loupe as `loupe check-labels --model FOLDER` does;
- the raw 8×8 pixels (64 numbers), written into the same cache under a key of their own: a
  second row that needs no model.

For each, Loupe's ranking (`quality.label_errors`: 5-fold out-of-fold probabilities from the
linear probe, cleanlab's `find_label_issues` ranked by self-confidence, the flagged labels in
order) and the baseline (StandardScaler + `LogisticRegression(max_iter=5000)`, C = 1, probabilities
by `cross_val_predict` over the same kind of seeded stratified 5-fold split, then the same cleanlab
call). Printed: how many labels each flags, precision at k = the number planted (planted errors
among the first k of the queue; an empty place counts as a miss; goal ≥ 0.8), recall (planted
errors anywhere in the queue), and the wall time. The digits data set has a few genuinely
ambiguous images of its own, so a flagged label that was not planted is not always a mistake.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from real_backbone import CLASSES, DEFAULT_MODEL, check_model, model_size, write_digits  # noqa: E402

PIXELS = "bench:pixels"


def make_project(root: Path, size: int, per_class: int | None, share: float, seed: int):
    """The digits imported and labelled by folder, `share` of them relabelled wrong: (project
    path, planted image ids, image id -> its 8×8 pixels)."""
    from sklearn.datasets import load_digits

    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels
    from app.core.project.store import Project

    write_digits(root, size, per_class, seed)
    digits = load_digits()
    path = root / "digits.loupe"
    rng = np.random.default_rng(seed)
    with Project.create(path) as project:
        class_ids = [add_class(project, name).id for name in CLASSES]
        import_paths(project, [root / "labelled", root / "test"], ImportOptions(labels_from_folders=True))
        rows = project.conn.execute(
            "SELECT i.id, i.path, l.class_id FROM images i JOIN labels l ON l.image_id = i.id ORDER BY i.id"
        ).fetchall()
        chosen = rng.choice(len(rows), int(round(share * len(rows))), replace=False)
        planted = []
        for k in chosen:
            image_id, _, class_id = rows[k]
            others = [c for c in class_ids if c != class_id]
            planted.append((image_id, int(rng.choice(others))))
        set_labels(project, planted, "human", "planted errors")
        pixels = {image_id: digits.data[int(Path(stored).stem)].astype(np.float32) for image_id, stored, _ in rows}
    return path, {image_id for image_id, _ in planted}, pixels


def write_pixels(project_path: Path, pixels: dict) -> None:
    from app.core.project.store import Project
    from app.core.training.embeddings import EmbeddingCache

    with Project.open(project_path) as project:
        sha = dict(project.conn.execute("SELECT id, sha256 FROM images"))
        cache = EmbeddingCache(project.paths.cache_dir)
        try:
            cache.put_many(PIXELS, {sha[i]: vector for i, vector in pixels.items()})
        finally:
            cache.close()


def scores(queue: list[int], planted: set[int]) -> tuple[float, float]:
    k = len(planted)
    return len(set(queue[:k]) & planted) / k, len(set(queue) & planted) / k


def loupe_row(project_path: Path, key: str | None, model: Path | None, seed: int) -> tuple[list[int], float, str]:
    from app.core.active.pool import EmbeddingSource
    from app.core.project.store import Project
    from app.core.quality.label_errors import check_labels, rank_label_issues

    with Project.open(project_path) as project:
        start = time.perf_counter()
        if model is not None:
            result = check_labels(project, EmbeddingSource.from_model(str(model)), device="cpu", seed=seed)
        else:
            result = rank_label_issues(project, key, seed=seed)
        took = time.perf_counter() - start
    return [issue.image_id for issue in result.issues], took, f"{result.folds}-fold, {result.checked} checked"


def baseline_row(project_path: Path, key: str, seed: int) -> tuple[list[int], float]:
    from cleanlab.filter import find_label_issues
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from app.core.active.pool import load_pool
    from app.core.project.store import Project

    with Project.open(project_path) as project:
        labels = dict(project.conn.execute("SELECT image_id, class_id FROM labels"))
        pool = load_pool(project, key)
    keep = [row for row, i in enumerate(pool.image_ids) if int(i) in labels]
    x = pool.embeddings[keep]
    ids = [int(pool.image_ids[row]) for row in keep]
    classes = sorted(set(labels.values()))
    y = np.array([classes.index(labels[i]) for i in ids])
    start = time.perf_counter()
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
    folds = StratifiedKFold(5, shuffle=True, random_state=seed)
    probabilities = cross_val_predict(model, x, y, cv=folds, method="predict_proba")
    ranked = find_label_issues(y, probabilities, return_indices_ranked_by="self_confidence", n_jobs=1)
    return [ids[row] for row in ranked], time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 digits per class")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL, help="the EfficientNet-Lite0 folder")
    parser.add_argument("--pixels-only", action="store_true", help="no model: the raw-pixel row only")
    parser.add_argument("--share", type=float, default=0.05, help="share of labels planted wrong (default 0.05)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not args.pixels_only:
        check_model(args.model)
    size = model_size(args.model) if not args.pixels_only else 32
    with tempfile.TemporaryDirectory(prefix="loupe-label-errors-") as folder:
        root = Path(folder)
        project_path, planted, pixels = make_project(root, size, 40 if args.quick else None, args.share, args.seed)
        write_pixels(project_path, pixels)
        print(
            f"digits: {len(pixels)} images, {len(planted)} labels planted wrong ({args.share:.0%}, seed {args.seed}); "
            f"precision at k = {len(planted)}"
        )
        print(f"{'features':<22} {'ranking':<34} {'flagged':>7} {'P@k':>6} {'recall':>6} {'time s':>7}")
        rows = [("raw pixels (64)", PIXELS, None)]
        if not args.pixels_only:
            rows.insert(0, ("EfficientNet-Lite0", None, args.model))
        for name, key, model in rows:
            queue, took, how = loupe_row(project_path, key, model, args.seed)
            precision, recall = scores(queue, planted)
            print(
                f"{name:<22} {'Loupe (' + how + ')':<34} {len(queue):>7} {precision:>6.3f} {recall:>6.3f} {took:>7.1f}"
            )
            key = key or _model_key(root)  # the model's features, as Loupe cached them
            queue, took = baseline_row(project_path, key, args.seed)
            precision, recall = scores(queue, planted)
            print(
                f"{name:<22} {'sklearn LR + cross_val_predict':<34} {len(queue):>7} {precision:>6.3f} {recall:>6.3f} {took:>7.1f}"
            )
    return 0


def _model_key(root: Path) -> str:
    """The embedding cache's key of the model's features (the only other key there)."""
    import sqlite3

    conn = sqlite3.connect(root / "digits.loupe-cache" / "embeddings.sqlite")
    try:
        keys = [k for (k,) in conn.execute("SELECT DISTINCT backbone FROM embeddings") if k != PIXELS]
    finally:
        conn.close()
    assert len(keys) == 1, keys
    return keys[0]


if __name__ == "__main__":
    raise SystemExit(main())
