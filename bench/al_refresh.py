"""How fast the Suggested queue refreshes: refit the linear head on every label and rescore the
whole unlabelled pool from cached image features, against scoring alone, on the CPU.

    python bench/al_refresh.py [--labelled 10000] [--pool 100000] [--dims 384] [--classes 5] [--repeat 5]

The features are synthetic (Gaussian classes in DINOv2-small's 384 dimensions; the head and the
strategies do not care where they came from). Each refresh follows the window's loop: five new
labels, then `ActiveLearner.refresh` — the accuracy estimate (a head fitted on the training
split, scored on the validation split), the head refitted on all labels (warm-started from the
last one), the pool rescored, the strategy's picks. Printed: median seconds of each part and of
the whole refresh per strategy, next to scoring alone (the baseline), and the one-off cost of
reading the pool's features from the project cache (SQLite) when the window starts the loop.
Goal: a refresh under one second at 10,000 labelled and 100,000 unlabelled images.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from app.core.active.acquisition import DEFAULT_STRATEGY, STRATEGIES  # noqa: E402
from app.core.active.learner import ActiveLearner, LabelSnapshot  # noqa: E402
from app.core.active.pool import Pool  # noqa: E402
from app.core.training.logistic import fit_head  # noqa: E402


def synthetic_features(n: int, dims: int, classes: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(0, 1, (classes, dims)).astype(np.float32)
    y = rng.integers(0, classes, n)
    return (centres[y] + rng.normal(0, 2.5, (n, dims)).astype(np.float32)), y


def snapshot(y: np.ndarray, labelled: int, classes: int) -> LabelSnapshot:
    labels = {i + 1: int(y[i]) + 1 for i in range(labelled)}
    splits = {i: ("val" if i % 5 == 0 else "train") for i in labels}
    return LabelSnapshot(labels, splits, [(c + 1, f"class {c}") for c in range(classes)])


def cache_read_seconds(x: np.ndarray) -> float:
    """Seconds to read every feature back from an embedding cache like the project's."""
    from app.core.training.embeddings import EmbeddingCache

    with tempfile.TemporaryDirectory() as tmp:
        cache = EmbeddingCache(Path(tmp))
        hashes = [f"{i:064x}" for i in range(len(x))]
        cache.put_many("bench", dict(zip(hashes, x)))
        started = time.perf_counter()
        found = cache.get_many("bench", hashes)
        np.stack([found[h] for h in hashes])
        seconds = time.perf_counter() - started
        cache.close()
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--labelled", type=int, default=10_000)
    parser.add_argument("--pool", type=int, default=100_000, help="unlabelled images")
    parser.add_argument("--dims", type=int, default=384)
    parser.add_argument("--classes", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--strategies", default=",".join(STRATEGIES))
    args = parser.parse_args()
    total = args.labelled + args.pool + 5 * args.repeat * 2
    x, y = synthetic_features(total, args.dims, args.classes)
    print(
        f"# {args.labelled:,} labelled + {args.pool:,} unlabelled images, {args.dims} features, {args.classes} classes; "
        f"torch {torch.__version__}, {torch.get_num_threads()} CPU threads; median of {args.repeat}\n"
    )
    started = time.perf_counter()
    learner = ActiveLearner(Pool(np.arange(1, total + 1), x, "bench", 0))
    setup = time.perf_counter() - started
    reading = cache_read_seconds(x)
    head = fit_head(x[: args.labelled], y[: args.labelled], args.classes)
    unlabelled = x[args.labelled : args.labelled + args.pool]
    score_alone = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        head.probabilities(unlabelled)
        score_alone.append(time.perf_counter() - started)
    baseline = statistics.median(score_alone)
    print(f"once per window: features read from the cache {reading:.2f} s; pool set up (standardised) {setup:.2f} s\n")
    print("| strategy | estimate + fit | rescore | pick | whole refresh | vs scoring alone |")
    print("| --- | --- | --- | --- | --- | --- |")
    labelled = args.labelled
    learner.refresh(snapshot(y, labelled, args.classes), DEFAULT_STRATEGY, 20)  # the first refresh (cold head)
    for name in args.strategies.split(","):
        parts: dict[str, list[float]] = {"fit": [], "score": [], "select": [], "total": []}
        for _ in range(args.repeat):
            labelled += 5  # five new labels since the last refresh
            started = time.perf_counter()
            refresh = learner.refresh(snapshot(y, labelled, args.classes), name, 20)
            parts["total"].append(time.perf_counter() - started)
            for key in ("fit", "score", "select"):
                parts[key].append(refresh.seconds.get(key, 0.0))
        med = {key: statistics.median(values) for key, values in parts.items()}
        print(
            f"| {name} | {med['fit']:.3f} s | {med['score']:.3f} s | {med['select']:.3f} s | "
            f"**{med['total']:.3f} s** | {med['total'] / baseline:.1f}× |",
            flush=True,
        )
    cold = []
    for _ in range(max(1, args.repeat // 2)):  # a window's first refresh: a new learner, the head from zero
        fresh = ActiveLearner(Pool(np.arange(1, total + 1), x, "bench", 0))
        started = time.perf_counter()
        fresh.refresh(snapshot(y, labelled, args.classes), DEFAULT_STRATEGY, 20)
        cold.append(time.perf_counter() - started)
    print(
        f"| {DEFAULT_STRATEGY}, first refresh (head fitted from zero) | | | | **{statistics.median(cold):.3f} s** | "
        f"{statistics.median(cold) / baseline:.1f}× |"
    )
    print(f"\nscoring alone (baseline): {baseline:.3f} s for {args.pool:,} images")
    return 0


if __name__ == "__main__":
    sys.exit(main())
