"""Before training: what will go badly, said plainly while it can still be fixed."""

from __future__ import annotations

from app.core.project import Project
from app.core.training.splits import planned_validation_size

#: Fewer labels than this in a class make its scores mostly noise.
FEW_LABELS = 5


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
            "Only one class has labels: a classifier needs at least two." if labelled
            else "No image is labelled yet: label some images of at least two classes first."
        )
    empty = [name for name, count in rows if not count]
    if empty and len(labelled) >= 2:
        warnings.append(f"Classes with no labels are left out of this run (the model will never predict them): "
                        f"{', '.join(empty)}.")  # fmt: skip
    few = [f"{name} ({count})" for name, count in labelled.items() if count < FEW_LABELS]
    if few:
        warnings.append(f"Classes with fewer than {FEW_LABELS} labels will get unreliable scores: {', '.join(few)}.")
    if val_fraction <= 0:
        warnings.append("No images are held out for validation: the run's scores cannot be measured.")
    elif labelled and not planned_validation_size(project, val_fraction):
        warnings.append("No labelled image would be used for validation: label more images per class.")
    return warnings
