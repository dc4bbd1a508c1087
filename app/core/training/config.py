"""The training config: one dataclass, every field with its help text and the rule its value
must follow (the GUI's form, the command line's flags and the validation all read them).

`validate()` is the one place that says which values are acceptable; it runs before a run is
recorded or a split is stored, so a bad setting never leaves a trace in the project. Stored
configs of old runs are read back without validation (they were what they were).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields

from app.core.errors import ConfigError
from app.core.project.settings import get_setting, set_setting
from app.core.project.store import Project
from app.core.training.augmentation import AUGMENTATIONS, DEFAULT_AUGMENTATION, policy_for

DEVICES = ("auto", "cpu", "cuda", "mps")


def _method_names() -> Iterable[str]:
    from app.core.training.methods import METHODS  # the torch-free catalogue

    return METHODS


def _help(text: str, **rule) -> dict:
    """Field metadata: `help`, `label` (what the form calls it), and the rule: `min` / `max`
    (inclusive), `above` / `below` (exclusive), `choices` (names, or a function giving them),
    `required` (non-empty text)."""
    return {"help": text, **rule}


@dataclass
class TrainConfig:
    model: str = field(
        default="dinov2-small",
        metadata=_help(
            "Backbone: a preset name, a Hugging Face hub id, or a local folder.", required=True, label="Model"
        ),
    )
    method: str = field(
        default="linear",
        metadata=_help(
            "How much of the model trains: a head on frozen features (linear), a small part of the backbone (bitfit, ia3, lora, dora, adalora, loha, lokr) or every weight (full).",
            choices=_method_names,
            label="Method",
        ),
    )
    epochs: int | None = field(
        default=None,
        metadata=_help(
            "Passes over the training images; default: what the step budget gives (min-steps to max-steps).",
            min=1,
            label="Epochs",
        ),
    )
    batch_size: int = field(
        default=16,
        metadata=_help(
            "Images per step (halved automatically if the GPU runs out of memory).", min=1, label="Batch size"
        ),
    )
    lr: float | None = field(
        default=None,
        metadata=_help(
            "Learning rate; default: the preset's for its suggested method, else the method's own.",
            above=0,
            label="Learning rate",
        ),
    )
    weight_decay: float = field(default=0.01, metadata=_help("AdamW weight decay.", min=0, label="Weight decay"))
    warmup_fraction: float = field(
        default=0.1,
        metadata=_help("Share of steps spent warming the learning rate up.", min=0, below=1, label="Warm-up"),
    )
    val_fraction: float = field(
        default=0.2,
        metadata=_help(
            "Share of each class's labelled images held out for validation (stored: an image keeps its split).",
            above=0,
            below=1,
            label="Held out for validation",
        ),
    )
    seed: int = field(
        default=0,
        metadata=_help("Random seed (split of new images, initialisation, shuffling).", min=0, label="Random seed"),
    )
    device: str = field(default="auto", metadata=_help("auto, cpu, cuda or mps.", choices=DEVICES, label="Device"))
    augment: str = field(
        default=DEFAULT_AUGMENTATION,
        metadata=_help(
            "How training images are varied, by kind of image: "
            + "; ".join(f"{name}: {policy.words}" for name, policy in AUGMENTATIONS.items())
            + ".",
            choices=AUGMENTATIONS,
            label="Augmentation",
            off="none",
        ),
    )
    label_smoothing: float = field(
        default=0.0, metadata=_help("Cross-entropy label smoothing (0 = off).", min=0, below=1, label="Label smoothing")
    )
    class_weights: bool = field(
        default=True,
        metadata=_help("Weight the loss by inverse class frequency (imbalanced classes).", label="Balance classes"),
    )
    min_steps: int = field(
        default=300,
        metadata=_help(
            "With the default epochs: at least this many optimizer steps (a small project gets more passes).",
            min=1,
            label="Steps at least",
        ),
    )
    max_steps: int = field(
        default=4000,
        metadata=_help(
            "With the default epochs: at most this many optimizer steps (a large project gets fewer passes).",
            min=1,
            label="Steps at most",
        ),
    )
    patience: int = field(
        default=3,
        metadata=_help(
            "Stop after this many epochs without a better validation loss (0 = never).",
            min=0,
            label="Early stopping after",
        ),
    )
    grad_clip: float = field(
        default=1.0, metadata=_help("Clip the gradient norm to this (0 = off).", min=0, label="Gradient clipping")
    )
    workers: int = field(
        default=2,
        metadata=_help(
            "DataLoader worker processes (0 = load in the training thread).", min=0, label="Loader processes"
        ),
    )
    lora_rank: int = field(
        default=8,
        metadata=_help(
            "Rank r of the low-rank adapters (LoRA, DoRA, AdaLoRA's target, LoHa, LoKr).", min=1, label="LoRA rank"
        ),
    )
    init_from: int | None = field(
        default=None, metadata=_help("Continue from the model of this earlier run.", min=1, label="Continue from run")
    )
    max_nonfinite: int = field(
        default=5,
        metadata=_help("Stop after this many non-finite losses in a row.", min=1, label="Stop after bad losses"),
    )

    def __post_init__(self) -> None:
        if isinstance(self.augment, bool):  # a config stored before presets, or augment=False in code
            self.augment = policy_for(self.augment).name

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def described(self) -> list[tuple[str, str]]:
        """Each setting as the form names it and a plain value (for a run's settings view)."""
        shown = []
        for spec in fields(self):
            value = getattr(self, spec.name)
            if isinstance(value, bool):
                text = "yes" if value else "no"
            elif value is None:
                text = "default" if spec.name in ("lr", "epochs") else "—"
            else:
                text = f"{value:g}" if isinstance(value, float) else str(value)
            shown.append((spec.metadata.get("label", spec.name), text))
        return shown

    @classmethod
    def from_json(cls, text: str) -> TrainConfig:
        data = json.loads(text)
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    def problems(self) -> list[str]:
        """What is wrong with these settings, one plain sentence each (empty when all is well)."""
        found = []
        for spec in fields(self):
            problem = field_problem(spec, getattr(self, spec.name))
            if problem:
                found.append(problem)
        return found

    def validate(self) -> TrainConfig:
        """Raise ConfigError naming every unacceptable setting; returns the config itself."""
        problems = self.problems()
        if problems:
            raise ConfigError("; ".join(problems))
        return self


def _choices(rule: Iterable[str] | Callable[[], Iterable[str]]) -> list[str]:
    return list(rule() if callable(rule) else rule)


def field_problem(spec, value) -> str | None:
    """The rule of one config field applied to `value`: None, or what is wrong."""
    rules = spec.metadata
    name = spec.name.replace("_", "-")
    if value is None:
        return None if spec.default is None else f"{name} needs a value"
    if rules.get("required") and not str(value).strip():
        return f"{name} is empty"
    if "choices" in rules:
        names = _choices(rules["choices"])
        if value not in names:
            return f"unknown {name} '{value}'; choose {', '.join(names)}"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    low, high = rules.get("min"), rules.get("max")
    above, below = rules.get("above"), rules.get("below")
    if not math.isfinite(value):
        return f"{name} must be a finite number (got {value})"
    if low is not None and value < low:
        return f"{name} must be at least {low} (got {value:g})"
    if high is not None and value > high:
        return f"{name} must be at most {high} (got {value:g})"
    if above is not None and value <= above and below is not None:
        return f"{name} must be above {above} and below {below} (got {value:g})"
    if below is not None and value >= below:
        return (
            f"{name} must be above {above} and below {below} (got {value:g})"
            if above is not None
            else f"{name} must be below {below} (got {value:g})"
        )
    if above is not None and value <= above:
        return f"{name} must be above {above} (got {value:g})"
    return None


#: Passes a run makes when the step budget does not ask for more or fewer.
DEFAULT_EPOCHS = 10


@dataclass(frozen=True)
class Budget:
    """How long a gradient run trains: passes over the training images and the early-stopping
    patience, in passes. Why steps, not epochs: 120 images make 8 steps a pass, so ten passes
    leave an adapter far from trained; 50,000 images make 3,000, so ten passes are hours."""

    epochs: int
    patience: int
    steps: int
    from_budget: bool  # False: the user set the epochs

    def sentence(self, images: int) -> str:
        stop = (
            f", stopping early after {self.patience} passes without a better validation loss" if self.patience else ""
        )
        return f"Training budget: {self.epochs} passes over {images} images ({self.steps} steps){stop}"


def training_budget(config: TrainConfig, train_images: int) -> Budget:
    """The user's epochs and patience when set; otherwise DEFAULT_EPOCHS passes, raised to reach
    `min_steps` and lowered to stay within `max_steps` (at least one pass), with a patience that
    grows with the passes (a fifth of them, at least the configured one; 0 stays "never")."""
    per_pass = max(1, math.ceil(max(train_images, 1) / config.batch_size))
    if config.epochs is not None:
        return Budget(config.epochs, config.patience, config.epochs * per_pass, False)
    epochs = max(DEFAULT_EPOCHS, math.ceil(config.min_steps / per_pass))
    epochs = max(1, min(epochs, config.max_steps // per_pass))
    patience = max(config.patience, math.ceil(epochs / 5)) if config.patience else 0
    return Budget(epochs, patience, epochs * per_pass, True)


#: The training form's last settings (JSON of a TrainConfig), so the form opens as it was left.
TRAIN_FORM = "training.last_config"


def remembered_config(project: Project) -> TrainConfig:
    """The settings of the last run started in this project, or the defaults. Fields that no
    longer exist are dropped; a value that no longer validates is kept (the form shows it and
    Train says what is wrong with it)."""
    text = get_setting(project, TRAIN_FORM)
    try:
        return TrainConfig.from_json(text) if text else TrainConfig()
    except (TypeError, ValueError):
        return TrainConfig()


def remember_config(project: Project, config: TrainConfig) -> None:
    if project.read_only_reason is None:
        set_setting(project, TRAIN_FORM, config.to_json())
