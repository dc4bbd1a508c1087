"""Before training: what will go badly, said plainly while it can still be fixed."""

from __future__ import annotations

from app.core.project.store import Project
from app.core.training.splits import planned_validation_size

#: Fewer labels than this in a class make its scores mostly noise.
FEW_LABELS = 5
#: Weights above this size (about 5 million parameters) make a full fine-tune on a CPU slow;
#: every real backbone is far above it (ViT-S 88 MB, ResNet-50 100 MB).
SLOW_ON_CPU_BYTES = 20_000_000


def preflight(project: Project, val_fraction: float) -> list[str]:
    """Warnings about the labels (empty when all looks fine). Reads only; assigns no splits."""
    rows = project.conn.execute(
        "SELECT c.name, count(l.image_id) FROM classes c LEFT JOIN labels l ON l.class_id = c.id"
        " WHERE c.deleted = 0 GROUP BY c.id ORDER BY c.position"
    ).fetchall()
    labelled = {name: count for name, count in rows if count}
    warnings = []
    if len(labelled) < 2:
        warnings.append(
            "Only one class has labels: a classifier needs at least two."
            if labelled
            else "No image is labelled yet: label some images of at least two classes first."
        )
    empty = [name for name, count in rows if not count]
    if empty and len(labelled) >= 2:
        warnings.append(
            f"Classes with no labels are left out of this run (the model will never predict them): {', '.join(empty)}."
        )
    few = [f"{name} ({count})" for name, count in labelled.items() if count < FEW_LABELS]
    if few:
        warnings.append(f"Classes with fewer than {FEW_LABELS} labels will get unreliable scores: {', '.join(few)}.")
    if val_fraction <= 0:
        warnings.append("No images are held out for validation: the run's scores cannot be measured.")
    elif labelled and not planned_validation_size(project, val_fraction):
        warnings.append("No labelled image would be used for validation: label more images per class.")
    return warnings


def cost_warnings(model: str, method: str, on_cpu: bool) -> list[str]:
    """A full fine-tune of a real backbone on a CPU takes hours: say so before it starts. A model
    not on this machine yet counts as big (every downloadable backbone is)."""
    from app.core.training.backbones import local_weights_bytes
    from app.core.training.methods import METHODS

    info = METHODS.get(method)
    if info is None or not info.trains_backbone or not on_cpu:
        return []
    size = local_weights_bytes(model)
    if size is not None and size < SLOW_ON_CPU_BYTES:
        return []
    weight = f"its {size / 1e6:.0f} MB of weights" if size else "every weight"
    return [
        f"A full fine-tune on the CPU trains {weight} on every image, each epoch: expect hours, not minutes "
        "(the ETA after the first steps says how long; Cancel keeps the best model so far). LoRA or the "
        "linear probe finish far sooner."
    ]
