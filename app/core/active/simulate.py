"""Replay active learning on a folder that is already labelled, to choose a strategy with numbers.

    rows = simulate(Path("labelled"), TrainConfig(model="dinov2-small", method="linear"),
                    ["random", "margin"], initial=20, step=20, rounds=10, seeds=3, out=Path("sim"))

`FOLDER/<class>/<images>`: the folder names are the oracle. Per seed, a fixed stratified share
of the images (`test_fraction`) is held out as the test set (never labelled, never a candidate);
the rest is the pool. Every strategy of a seed starts from the same `initial` random labels
(at least two classes) in its own copy of one project, then, round after round, trains with
Loupe's own `train` (the config the user gave, seed = config.seed + seed index: exactly what the
app would do), scores the test images and the unlabelled pool with that run's model, lets the
strategy pick `step` images, and gives them their oracle labels. Each row of `out/results.csv`
(strategy, seed, labels, accuracy, macro_f1) is written as soon as it is known, so a stopped or
crashed simulation keeps what it measured.

The projects stay in `out/work/` (inspectable with `loupe info`); each round's model folder is
deleted once scored (hundreds of models would fill a disk). No Qt here: the command line draws
the learning curves from the rows.
"""

from __future__ import annotations

import csv
import hashlib
import shutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from app.core.active.acquisition import PoolView, get_strategy
from app.core.errors import Cancelled, ConfigError, LoupeError, plural
from app.core.training.config import TrainConfig
from app.core.training.events import Notice

RESULT_COLUMNS = ("strategy", "seed", "labels", "accuracy", "macro_f1")

#: What scores the unlabelled images for the strategies, by name.
SCORERS: dict[str, str] = {
    # As the window's Suggested queue does: the trained model's image features (its head's input),
    # a linear head refitted on every label (`ActiveLearner`), BALD with dropout on that head's input.
    "head": "a linear head refitted on every label over the trained model's image features, as the window does",
    # The trained model itself: its own probabilities, and BALD with its own dropout layers
    # (BatchNorm in eval mode).
    "model": "the trained model's own probabilities (BALD: its own dropout layers, BatchNorm in eval mode)",
}


@dataclass(frozen=True)
class ResultRow:
    strategy: str
    seed: int  # the seed index (0, 1, …); training used config.seed + seed
    labels: int  # labelled images the model was trained with (its validation split included)
    accuracy: float  # on the held-out test images
    macro_f1: float

    def to_json(self) -> dict:
        return {name: getattr(self, name) for name in RESULT_COLUMNS}


@dataclass(frozen=True)
class SimulationProgress:
    """After each training (and once at the start, with done = 0)."""

    done: int  # trainings finished
    total: int  # strategies × seeds × (rounds + 1)
    strategy: str = ""
    seed: int = 0
    labels: int = 0
    accuracy: float | None = None  # the test accuracy of the training just finished


@dataclass(frozen=True)
class OracleImage:
    path: Path
    label: int  # index into the class names


def read_folder(folder: Path, exclude: Path | None = None) -> tuple[list[str], list[OracleImage]]:
    """Class names (the sub-folders holding images, sorted) and the images under each; a file
    whose content appeared before is left out (a duplicate could be in both the pool and the
    test set, and the test would then score a labelled image). Nothing under `exclude` (the
    simulation's own output, should it be inside the folder) counts."""
    from app.core.imaging.formats import looks_like_image_name

    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder} is not a folder")
    exclude = exclude.resolve() if exclude is not None else None

    def counts(path: Path, sub: Path) -> bool:
        return (
            path.is_file()
            and looks_like_image_name(path)
            and not any(part.startswith(".") for part in path.relative_to(sub).parts)
            and (exclude is None or not path.resolve().is_relative_to(exclude))
        )

    names, images, seen = [], [], set()
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        files = sorted(p for p in sub.rglob("*") if counts(p, sub))
        kept = []
        for path in files:
            digest = hashlib.sha256(path.read_bytes()).digest()
            if digest not in seen:
                seen.add(digest)
                kept.append(path)
        if kept:
            images += [OracleImage(path.resolve(), len(names)) for path in kept]
            names.append(sub.name)
    if len(names) < 2:
        raise ConfigError(f"{folder} needs at least two class folders with images (FOLDER/<class>/<images>)")
    return names, images


def split_test(labels: np.ndarray, test_fraction: float, rng: np.random.Generator) -> np.ndarray:
    """A stratified test split: `test_fraction` of each class (at least one image of a class that
    has two or more), as a boolean mask."""
    test = np.zeros(len(labels), dtype=bool)
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        count = int(round(len(members) * test_fraction)) if len(members) > 1 else 0
        if len(members) > 1 and test_fraction > 0:
            count = max(1, min(count, len(members) - 1))
        test[members[:count]] = True
    return test


def initial_picks(labels: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """`n` random pool rows with at least two classes among them (training needs two)."""
    rows = rng.choice(len(labels), size=n, replace=False)
    if len(np.unique(labels[rows])) < 2:
        others = np.flatnonzero(labels != labels[rows[0]])
        rows[-1] = rng.choice(others)
    return rows


def check_settings(
    strategies: list[str],
    initial: int,
    step: int,
    rounds: int,
    seeds: int,
    test_fraction: float,
    mc_passes: int | None = None,
) -> None:
    """Everything that can be wrong before an image is read (ConfigError, one sentence). At least
    one round: with none, no strategy ever picks an image and every one would tie with random."""
    if not strategies:
        raise ConfigError("name at least one strategy")
    for name in strategies:
        get_strategy(name)
    if len(set(strategies)) != len(strategies):
        raise ConfigError("a strategy is named twice")
    numbers = [("initial", initial, 2), ("step", step, 1), ("rounds", rounds, 1), ("seeds", seeds, 1)]
    if mc_passes is not None:  # None: the default
        numbers.append(("mc-passes", mc_passes, 1))
    for name, value, low in numbers:
        if value < low:
            raise ConfigError(f"{name} must be at least {low} (got {value})")
    if not 0 < test_fraction < 1:
        raise ConfigError(f"test-fraction must be above 0 and below 1 (got {test_fraction:g})")


class _ResultsFile:
    """results.csv, one row written (and flushed) as soon as it is measured."""

    def __init__(self, path: Path):
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = path.open("w", newline="", encoding="utf-8")
        self._writer = csv.writer(self._file)
        self._writer.writerow(RESULT_COLUMNS)
        self._file.flush()

    def add(self, row: ResultRow) -> None:
        self._writer.writerow([row.strategy, row.seed, row.labels, f"{row.accuracy:.6f}", f"{row.macro_f1:.6f}"])
        self._file.flush()

    def close(self) -> None:
        self._file.close()


def _seed_project(folder: Path, names: list[str], pool: list[OracleImage]) -> tuple[Path, dict[int, int]]:
    """The seed's template project: every class, the pool imported without labels. Returns its
    file and image id -> pool row. Each strategy trains in a copy of it, in the same folder (the
    stored image paths stay valid)."""
    from app.core.importing.importer import import_paths
    from app.core.labelling.classes import add_class
    from app.core.project.store import Project

    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "template.loupe"
    for leftover in folder.iterdir():  # an earlier simulation in the same place
        shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
    row_of_path = {str(image.path): row for row, image in enumerate(pool)}
    with Project.create(template) as project:
        for name in names:
            add_class(project, name)
        import_paths(project, [image.path for image in pool])
        ids = {
            image_id: row_of_path.get(str(project.resolve_path(path).resolve()))
            for image_id, path in project.conn.execute("SELECT id, path FROM images WHERE status != 'missing'")
        }
    return template, {image_id: row for image_id, row in ids.items() if row is not None}


def _test_scores(scores, labels: np.ndarray, run_classes: list[dict], names: list[str]) -> tuple[float, float]:
    """Accuracy and macro-F1 on the test images (an unreadable one counts as wrong)."""
    from app.core.training.metrics import summary_scores

    index_of = {name: k for k, name in enumerate(names)}
    mapped = np.array([index_of[entry["name"]] for entry in run_classes])
    predicted = np.full(len(labels), -1, dtype=np.int64)
    predicted[scores.rows] = mapped[scores.probabilities.argmax(axis=1)]
    return summary_scores(labels, predicted)


def simulate(
    folder: Path,
    config: TrainConfig,
    strategies: list[str],
    initial: int,
    step: int,
    rounds: int,
    seeds: int,
    out: Path,
    test_fraction: float = 0.2,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    mc_passes: int | None = None,
    scorer: str = "head",
) -> list[ResultRow]:
    """See the module docstring. Raises ConfigError for bad settings (before any training) and
    Cancelled when stopped (results.csv keeps the rows measured so far)."""
    from app.core.active.run_scoring import MC_PASSES

    check_settings(strategies, initial, step, rounds, seeds, test_fraction, mc_passes)
    if scorer not in SCORERS:
        raise ConfigError(f"unknown scorer '{scorer}'; choose {', '.join(SCORERS)}")
    config.validate()
    names, images = read_folder(folder, exclude=Path(out))
    labels = np.array([image.label for image in images], dtype=np.int64)
    pool_size = len(images) - int(split_test(labels, test_fraction, np.random.default_rng(0)).sum())
    if initial + rounds * step > pool_size:
        raise ConfigError(
            f"initial + rounds × step = {initial + rounds * step} labels, but the pool has "
            f"{pool_size} images (the rest are held out for testing)"
        )
    out = Path(out)
    results = _ResultsFile(out / "results.csv")
    total = len(strategies) * seeds * (rounds + 1)
    on_progress(SimulationProgress(0, total))
    rows: list[ResultRow] = []
    try:
        for seed in range(seeds):
            rng = np.random.default_rng([config.seed, seed])
            test = split_test(labels, test_fraction, rng)
            pool = [image for image, held_out in zip(images, test) if not held_out]
            test_images = [image for image, held_out in zip(images, test) if held_out]
            template, row_of_id = _seed_project(out / "work" / f"seed-{seed}", names, pool)
            id_of_row = {row: image_id for image_id, row in row_of_id.items()}
            pool_labels = np.array([pool[row].label for row in sorted(id_of_row)], dtype=np.int64)
            readable_rows = np.array(sorted(id_of_row), dtype=np.int64)
            start = readable_rows[initial_picks(pool_labels, initial, rng)]
            seed_config = replace(config, seed=config.seed + seed)
            for strategy in strategies:
                replay = _Replay(
                    template,
                    strategy,
                    seed,
                    seed_config,
                    names,
                    pool,
                    test_images,
                    id_of_row,
                    MC_PASSES if mc_passes is None else mc_passes,
                    on_progress,
                    should_stop,
                    scorer,
                )
                for row in replay.run(start, step, rounds, lambda: len(rows) + 1, total):
                    rows.append(row)
                    results.add(row)
    finally:
        results.close()
    return rows


class _Replay:
    """One strategy of one seed: its own copy of the seed's project, labelled round by round."""

    def __init__(
        self,
        template: Path,
        strategy: str,
        seed: int,
        config: TrainConfig,
        names: list[str],
        pool: list[OracleImage],
        test_images: list[OracleImage],
        id_of_row: dict[int, int],
        mc_passes: int,
        on_progress,
        should_stop,
        scorer: str = "head",
    ):
        self.file = template.with_name(f"{strategy}.loupe")
        self.scorer = scorer
        shutil.copyfile(template, self.file)
        self.strategy = get_strategy(strategy)
        self.seed, self.config, self.names = seed, config, names
        self.pool, self.test_images, self.id_of_row = pool, test_images, id_of_row
        self.mc_passes = mc_passes if "mc_probabilities" in self.strategy.needs and scorer == "model" else 0
        self.on_progress, self.should_stop = on_progress, should_stop
        self.rng = np.random.default_rng([config.seed, zlib.crc32(strategy.encode())])
        self.noticed: set[str] = set()

    def run(self, start: np.ndarray, step: int, rounds: int, done: Callable[[], int], total: int):
        from app.core.project.store import Project

        labelled = [int(row) for row in start]
        with Project.open(self.file) as project:
            self._label(project, labelled)
            for round_ in range(rounds + 1):
                row, picked = self._round(project, labelled, step if round_ < rounds else 0)
                self.on_progress(
                    SimulationProgress(done(), total, self.strategy.name, self.seed, row.labels, row.accuracy)
                )
                yield row
                if picked:
                    self._label(project, picked)
                    labelled += picked

    def _label(self, project, rows: list[int]) -> None:
        from app.core.labelling.labels import set_labels

        class_ids = dict(project.conn.execute("SELECT name, id FROM classes WHERE deleted = 0").fetchall())
        set_labels(
            project,
            [(self.id_of_row[row], class_ids[self.names[self.pool[row].label]]) for row in rows],
            "human",
            f"simulated oracle: {plural(len(rows), 'label')}",
        )

    def _notice(self, texts: list[str]) -> None:
        for text in texts:
            if text not in self.noticed:
                self.noticed.add(text)
                self.on_progress(Notice(f"{self.strategy.name}: {text}"))

    def _round(self, project, labelled: list[int], step: int) -> tuple[ResultRow, list[int]]:
        """Train, score the test set, and (when `step`) pick the next rows of the pool."""
        from app.core.active.run_scoring import score_files
        from app.core.inference.run_model import load_run_model
        from app.core.project.settings import image_choice
        from app.core.training import train

        if self.should_stop():
            raise Cancelled("simulation stopped")
        result = train(project, self.config, should_stop=self.should_stop)
        if result.status == "cancelled":
            raise Cancelled("simulation stopped")
        if not result.model_dir:
            raise LoupeError(
                f"training with {plural(len(labelled), 'label')} ended '{result.status}': {result.message}"
            )
        try:
            run_model = load_run_model(project, result.run, self.config.device)
            rendering = image_choice(project)
            test = score_files(
                run_model,
                [image.path for image in self.test_images],
                rendering=rendering,
                should_stop=self.should_stop,
            )
            accuracy, macro = _test_scores(
                test, np.array([image.label for image in self.test_images]), run_model.classes, self.names
            )
            row = ResultRow(self.strategy.name, self.seed, len(labelled), accuracy, macro)
            pick = self._pick_with_head if self.scorer == "head" else self._pick
            picked = pick(run_model, labelled, step, rendering) if step else []
        finally:
            shutil.rmtree(result.model_dir, ignore_errors=True)
        return row, picked

    def _pick_with_head(self, run_model, labelled: list[int], step: int, rendering) -> list[int]:
        """As the window picks: the model's image features of the whole pool, a linear head
        refitted on every label, the strategy on its scores."""
        from app.core.active.learner import ActiveLearner, LabelSnapshot
        from app.core.active.pool import Pool
        from app.core.active.run_scoring import score_files

        rows = sorted(self.id_of_row)
        scores = score_files(
            run_model, [self.pool[row].path for row in rows], rendering=rendering, should_stop=self.should_stop
        )
        read = np.array(rows, dtype=np.int64)[scores.rows]
        learner = ActiveLearner(Pool(read, scores.features, "simulation", 0), seed=int(self.rng.integers(2**31)))
        labels = {row: self.pool[row].label for row in labelled if row in set(read.tolist())}
        used = sorted(set(labels.values()))
        snapshot = LabelSnapshot(labels, {}, [(k, self.names[k]) for k in used])
        refresh = learner.refresh(snapshot, self.strategy.name, step)
        chosen = [s.image_id for s in refresh.suggestions]
        if len(chosen) < step:  # near-duplicates left out: top up at random, every strategy gets its budget
            taken = set(chosen) | set(labelled)
            rest = [row for row in read.tolist() if row not in taken]
            chosen += [int(row) for row in self.rng.permutation(rest)[: step - len(chosen)]]
        return chosen

    def _pick(self, run_model, labelled: list[int], step: int, rendering) -> list[int]:
        from app.core.active.run_scoring import score_files
        from app.core.training.logistic import standardiser

        taken = set(labelled)
        candidates = [row for row in sorted(self.id_of_row) if row not in taken]
        scores = score_files(
            run_model,
            [self.pool[row].path for row in candidates],
            mc_passes=self.mc_passes,
            rendering=rendering,
            seed=int(self.rng.integers(2**31)),
            should_stop=self.should_stop,
        )
        self._notice(scores.notices)
        candidates = [candidates[i] for i in scores.rows]
        labelled_features = None
        if "embeddings" in self.strategy.needs:
            labelled_features = score_files(
                run_model,
                [self.pool[row].path for row in labelled],
                rendering=rendering,
                should_stop=self.should_stop,
            ).features
        names = [entry["name"] for entry in run_model.classes]
        mean, scale = standardiser(scores.features)  # centred, as the window's strategies see them
        features = (scores.features - mean) / scale
        if labelled_features is not None:
            labelled_features = (labelled_features - mean) / scale
        view = PoolView(scores.probabilities, features, labelled_features, scores.mc_probabilities, names)
        picks = self.strategy.select(view, min(step, len(candidates)), self.rng)
        chosen = [candidates[row] for row in picks.rows]
        if len(chosen) < min(step, len(candidates)):  # near-duplicates left out: top up at random
            rest = [row for row in candidates if row not in set(chosen)]
            chosen += [int(row) for row in self.rng.permutation(rest)[: min(step, len(candidates)) - len(chosen)]]
        return chosen
