"""Project settings: small JSON values stored in the project file (e.g. the band choice for
multi-band images), so every machine that opens the project shows it the same way."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.core.project.store import Project

if TYPE_CHECKING:
    from app.core.imaging.options import DecodeOptions

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


#: The named band composite multi-band satellite images show (a name in
#: `imaging.composites.COMPOSITES`), or absent for the true colour; `BANDS`, when set, wins.
COMPOSITE = "display.composite"


def composite_choice(project: Project) -> str | None:
    return get_setting(project, COMPOSITE) or None


def set_composite_choice(project: Project, name: str | None) -> None:
    """Show `name` (None: three chosen bands, or the true colour): a composite replaces the
    project's band choice, which would otherwise win over it."""
    set_setting(project, COMPOSITE, name)
    if name:
        set_setting(project, BANDS, None)


def image_choice(project: Project) -> DecodeOptions:
    """How the project's multi-band images become RGB: its band choice, else its named composite.
    Every reader of the project's pixels (thumbnails, training, features, suggestions, zero-shot,
    predictions, heatmaps) decodes with these options, adding what it needs (a `draft_size`), so
    the model learns from and is judged on the picture the user chose to look at."""
    from app.core.imaging.options import DecodeOptions  # the image readers load only when pixels are read

    return DecodeOptions(bands=band_choice(project), composite=composite_choice(project))


#: The run whose model predicts for the grid and for `loupe predict` by default.
ACTIVE_RUN = "models.active_run"


def active_run(project: Project) -> int | None:
    return get_setting(project, ACTIVE_RUN)


#: Suggestions are on (the window prepares them as the project opens).
SUGGESTIONS_ENABLED = "active.enabled"
#: The suggestions' strategy, a name in `active.acquisition.STRATEGIES`.
SUGGESTION_STRATEGY = "active.strategy"

#: Results below this confidence (a probability, 0..1) need review.
REVIEW_BELOW = "batches.review_below"
DEFAULT_REVIEW_BELOW = 0.8
