"""Accepting zero-shot classes as labels: one undoable action with the source `zero-shot`, so the
history says which labels a person made and which were pre-labels a person accepted. An image that
has a label by now keeps it: a zero-shot class never overwrites a person's choice."""

from __future__ import annotations

import json
from collections.abc import Mapping

from app.core.errors import plural
from app.core.labelling.labels import ActionResult, set_labels
from app.core.project.store import Project

SOURCE = "zero-shot"


def accept_zero_shot(project: Project, classes: Mapping[int, int]) -> ActionResult:
    """Label each image (id -> its zero-shot class id) that has no label yet, as one action."""
    conn = project.conn
    labelled = {
        image_id
        for (image_id,) in conn.execute(
            "SELECT image_id FROM labels WHERE image_id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(classes)),),
        )
    }
    chosen = {image_id: class_id for image_id, class_id in classes.items() if image_id not in labelled}
    description = f"Accept {plural(len(chosen), 'zero-shot label')}"
    action = set_labels(project, chosen.items(), SOURCE, description)
    return ActionResult(action, description, tuple(chosen) if action else ())
