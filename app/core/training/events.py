"""What training reports while it runs (to a progress bar, a live plot, or a log)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StepProgress:
    step: int  # optimizer steps so far (1-based)
    total_steps: int  # planned steps for the whole run (changes if the batch size is halved)
    epoch: float  # fractional epoch
    epochs: int
    loss: float
    lr: float
    images_per_s: float
    eta_s: float


@dataclass(frozen=True)
class EpochProgress:
    """The validation scores after an epoch (or, for a run cancelled before its first epoch
    ended, of the weights it keeps: `epoch` is then fractional)."""

    epoch: float
    epochs: int
    step: int
    val_loss: float
    val_accuracy: float
    val_macro_f1: float
    improved: bool


@dataclass(frozen=True)
class Notice:
    """Something the user should know that is not an error (embeddings cached, batch halved)."""

    text: str
    #: Kept with the run (images skipped, batch halved, early stop), not only shown in passing.
    lasting: bool = False
