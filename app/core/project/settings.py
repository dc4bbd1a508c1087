"""Project settings: small JSON values stored in the project file (e.g. the band choice for
multi-band images), so every machine that opens the project shows it the same way."""

from __future__ import annotations

import json
from typing import Any

from app.core.project.store import Project

#: Bands shown as R, G, B for multi-band images (0-based), or absent for the first three.
BANDS = "display.bands"


def get_setting(project: Project, key: str, default: Any = None) -> Any:
    row = project.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return json.loads(row[0]) if row else default


def set_setting(project: Project, key: str, value: Any) -> None:
    project.require_writable()
    with project.conn as conn:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def band_choice(project: Project) -> tuple[int, int, int] | None:
    bands = get_setting(project, BANDS)
    return tuple(bands) if bands else None

#: The run whose model predicts for the grid and for `loupe predict` by default.
ACTIVE_RUN = "models.active_run"


def active_run(project: Project) -> int | None:
    return get_setting(project, ACTIVE_RUN)


#: The training form's last settings (JSON of a TrainConfig), so the form opens as it was left.
TRAIN_FORM = "training.last_config"


def remembered_config(project: Project):
    """The settings of the last run started in this project, or the defaults. Fields that no
    longer exist are dropped; a value that no longer validates is kept (the form shows it and
    Train says what is wrong with it)."""
    from app.core.training.config import TrainConfig

    text = get_setting(project, TRAIN_FORM)
    try:
        return TrainConfig.from_json(text) if text else TrainConfig()
    except (TypeError, ValueError):
        return TrainConfig()


def remember_config(project: Project, config) -> None:
    if project.read_only_reason is None:
        set_setting(project, TRAIN_FORM, config.to_json())
