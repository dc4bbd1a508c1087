"""How the zero-shot classes agree with the labels the user has already made: the one honest
number before accepting many pre-labels at once. On specialist images (H&E tiles, radiographs)
a general CLIP can be near chance; this says so on the user's own images."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClassAgreement:
    class_id: int
    name: str
    labelled: int  # labelled images of this class that were scored
    correct: int  # of those, how many the zero-shot class matches


@dataclass(frozen=True)
class Agreement:
    labelled: int
    correct: int
    per_class: tuple[ClassAgreement, ...] = ()

    @property
    def accuracy(self) -> float | None:
        """Share of labelled images whose zero-shot class is their label; None with none."""
        return self.correct / self.labelled if self.labelled else None

    def sentence(self) -> str:
        if not self.labelled:
            return "No labelled images yet to check the zero-shot classes against."
        return (
            f"On the {self.labelled:,} images you have labelled, zero-shot agrees with your label "
            f"{self.accuracy:.0%} of the time ({self.correct:,} of {self.labelled:,})."
        )

    def to_json(self) -> dict:
        return {
            "labelled": self.labelled,
            "correct": self.correct,
            "accuracy": self.accuracy,
            "classes": {c.name: {"labelled": c.labelled, "correct": c.correct} for c in self.per_class},
        }


def agreement_with_labels(pairs: list[tuple[int, int]], classes) -> Agreement:
    """From (given class id, zero-shot class id) pairs; `classes` gives the names and order."""
    per_class = tuple(
        ClassAgreement(
            c.id,
            c.name,
            sum(1 for given, _ in pairs if given == c.id),
            sum(1 for given, guess in pairs if given == c.id and guess == given),
        )
        for c in classes
    )
    return Agreement(len(pairs), sum(1 for given, guess in pairs if given == guess), per_class)
