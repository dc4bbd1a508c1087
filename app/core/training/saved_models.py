"""Models in and out of runs: where a run starts from, and the one loader that turns any run's
folder back into a classifier (for predictions, `--init-from`, and export).

A run starts from a backbone (a preset, a hub id or a model folder, with a fresh head for its
classes) or from an earlier run's model (`init_from`: the head keeps the rows of the classes
both runs know). Loading a run asks its method, by the name recorded in the project, to read
its folder; methods that saved only what they trained rebuild the model the run started from
first, which for a chain of runs means loading the earlier runs the same way.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from app.core.errors import ConfigError, LoupeError, one_line
from app.core.project.store import Project
from app.core.training.backbones import (
    BackbonePreset,
    backbone_origin,
    custom_code_problem,
    folder_config,
    load_classifier,
    load_image_processor,
    model_folder_problem,
    pickled_files,
    resolve,
    weights_fingerprint,
)
from app.core.training.runs import RunRecord, get_run


@dataclass
class StartingPoint:
    model: object  # torch.nn.Module: a classifier with a head for the run's classes
    source: str  # what the weights came from: a hub id or a folder (the embedding cache keys on it)
    processor: object | None  # the image processor, when the source has one
    preset: BackbonePreset | None
    model_ref: str  # the backbone at the root of the chain: a preset's name, a hub id, an absolute folder
    notices: list[str] = field(default_factory=list)  # about its weights (some missing from the file)
    #: SHA-256 of the backbone's weights files (None: continued from a run, or not on this machine)
    base_fingerprint: str | None = None
    #: The backbone at the root of the chain exactly: hub id and revision, or folder (`backbone_origin`)
    origin: dict = field(default_factory=dict)


#: Written beside a run's model: which backbone weights it was trained on. A run that saved
#: only what it trained (adapters, biases) fits those weights alone.
BASE_MODEL_FILE = "loupe_base_model.json"


def write_base_record(start: StartingPoint, folder: Path) -> None:
    if start.base_fingerprint is not None:
        record = {"source": start.source, "sha256": start.base_fingerprint, **start.origin}
        (folder / BASE_MODEL_FILE).write_text(json.dumps(record, indent=1))


def check_base(run: RunRecord, folder: Path, start: StartingPoint) -> None:
    """Refuse to rebuild run `run` on a backbone whose weights are not those it was trained on."""
    try:
        record = json.loads((folder / BASE_MODEL_FILE).read_text())
    except (OSError, ValueError):
        return  # a run from before the record was kept, or continued from another run
    if start.base_fingerprint is not None and record.get("sha256") != start.base_fingerprint:
        raise LoupeError(
            f"run {run.id} saved only what it trained on top of the model in {start.source}, and the weights there "
            "have changed since it was trained; it would give other answers on these weights. Put the original "
            "model back in that folder, or train the run again."
        )


def run_folder(project: Project, run: RunRecord) -> Path:
    if not run.model_dir:
        raise LoupeError(f"run {run.id} has no saved model ({run.status})")
    folder = project.paths.root / run.model_dir
    if not folder.is_dir():
        raise LoupeError(f"the model of run {run.id} is missing: {folder} was moved or deleted")
    pickles = pickled_files(folder)
    if pickles:  # Loupe writes safetensors only: someone put these here; never let a loader near them
        raise LoupeError(
            f"the model folder of run {run.id} holds {', '.join(pickles)}, pickle files that can run "
            "code when loaded; Loupe loads safetensors only and will not open this folder"
        )
    return folder


class DamagedRunError(LoupeError):
    """A run's model folder is there but cannot be read (random bytes, a file cut short, JSON
    that is not JSON)."""

    def __init__(self, run: RunRecord, folder: Path, problem: str):
        super().__init__(
            f"run {run.id}'s model folder {folder} is damaged ({problem}); restore the folder from a backup, "
            "or train the run again"
        )


def check_run_files(run: RunRecord, folder: Path) -> None:
    """Refuse a run folder whose files cannot be read, before any loader meets them
    (DamagedRunError). Every method saves a config.json and its weights as safetensors."""
    problem = (
        ("config.json is missing" if not (folder / "config.json").is_file() else None)
        or ("it holds no weights file (*.safetensors)" if not any(folder.glob("*.safetensors")) else None)
        or model_folder_problem(folder)
        or custom_code_problem(folder_config(folder), str(folder))
    )
    if problem:
        raise DamagedRunError(run, folder, problem)


def has_model(project: Project, run: RunRecord) -> bool:
    """Whether the run's model can be loaded: saved, its folder there, and no pickle in it (what
    `run_folder` checks before any loader runs). For pickers: a run offered is a run that loads."""
    try:
        run_folder(project, run)
    except LoupeError:
        return False
    return True


def earlier_run(project: Project, run_id: int) -> tuple[RunRecord, Path]:
    """The run to continue from and its model folder; ConfigError if there is none."""
    try:
        run = get_run(project, run_id)
        folder = run_folder(project, run)
        check_run_files(run, folder)  # a damaged folder is refused with the settings, before a run is recorded
        return run, folder
    except LoupeError as exc:
        raise ConfigError(f"cannot continue from run {run_id}: {exc}") from exc


def planned_model_ref(project: Project, model_ref: str, init_from: int | None) -> str:
    """The backbone a run will be recorded with, known before anything loads: what
    `starting_point(...).model_ref` will be (a preset by name, a folder by absolute path, an
    earlier run's backbone with `init_from`)."""
    if init_from is None:
        source, preset = resolve(model_ref)
        return model_ref if preset else source
    previous, _ = earlier_run(project, init_from)
    return previous.model_ref


def starting_point(
    project: Project, model_ref: str, init_from: int | None, classes: list[tuple[int, str]]
) -> StartingPoint:
    """The model a run with these settings starts from; `classes` are (class id, name) in order."""
    from app.core.training.heads import adapt_head

    if init_from is None:
        source, preset = resolve(model_ref)
        notices: list[str] = []
        model = load_classifier(source, [name for _, name in classes], notices, preset)
        # A folder is recorded as its absolute path: a run must load from any working folder.
        return StartingPoint(
            model,
            source,
            load_image_processor(source),
            preset,
            model_ref if preset else source,
            notices,
            weights_fingerprint(source),
            backbone_origin(source, model_ref),
        )
    previous, folder = earlier_run(project, init_from)
    model = adapt_head(load_run_model(project, previous), previous.classes, classes)
    origin = (previous.report or {}).get("backbone") or {"model": previous.model_ref}
    return StartingPoint(model, str(folder), load_image_processor(str(folder)), None, previous.model_ref, origin=origin)


def load_run_model(project: Project, run: RunRecord):
    """The classifier run `run` saved, in eval mode, on the CPU. A folder that cannot be read is
    a DamagedRunError naming the run, the folder and the file; a missing base model (a run that
    saved only what it trained) a LoupeError naming that base."""
    from safetensors import SafetensorError

    from app.core.training.methods import get_method

    folder = run_folder(project, run)
    check_run_files(run, folder)
    classes = [(entry["id"], entry["name"]) for entry in run.classes]

    unreadable = (OSError, ValueError, KeyError, RuntimeError, SafetensorError)  # what the checks cannot see

    def base_model():
        try:
            start = starting_point(project, run.model_ref, run.config.init_from, classes)
        except ConfigError as exc:  # the base is gone or unusable: a failure here (exit 1), not a bad argument
            raise LoupeError(_missing_base_message(run, exc)) from exc
        except LoupeError:
            raise
        except unreadable as exc:  # the base's fault, not the run folder's
            raise LoupeError(_missing_base_message(run, exc)) from exc
        check_base(run, folder, start)
        return start.model

    try:
        return get_method(run.method).load(folder, base_model).eval()
    except LoupeError:
        raise
    except unreadable as exc:
        raise DamagedRunError(run, folder, one_line(exc)) from exc


def _missing_base_message(run: RunRecord, exc: Exception) -> str:
    """Why run `run` cannot be rebuilt: its base folder is gone, or the run it continued from
    cannot load. Named, with what to do (`resolve`'s own words, "choose another model", fit a
    setting, not a run that was trained on that model)."""
    if run.config.init_from is not None:
        return (
            f"run {run.id} saved only what it trained on top of run {run.config.init_from}'s model, which cannot "
            f"be loaded: {exc.__cause__ or exc}"
        )
    base = Path(run.model_ref).expanduser()
    if base.is_absolute() and not base.exists():
        return (
            f"run {run.id} saved only what it trained on top of the base model in {base}, and that folder is "
            "missing (moved or deleted?); put the base model back there, or train the run again"
        )
    return (
        f"run {run.id} saved only what it trained on top of the base model {run.model_ref}, which cannot be "
        f"loaded: {one_line(exc)}"
    )


def load_run(project: Project, run_id: int):
    """(classifier, image processor or None, the run's record) for run `run_id`."""
    run = get_run(project, run_id)
    model = load_run_model(project, run)  # its folder's files checked: the processor's config reads
    return model, load_image_processor(str(run_folder(project, run))), run
