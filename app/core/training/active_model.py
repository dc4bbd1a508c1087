"""Which run predicts: choosing the active run by hand, and the rule a finished run meets to
become active by itself — the first model, or one at least as good as the active run on the
validation images both were checked on. The window and `loupe train` apply the same rule (the
window asks the user when the new run is worse; the command line keeps the active run and says
how to switch).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import LoupeError
from app.core.project.settings import ACTIVE_RUN, active_run, set_setting
from app.core.project.store import Project
from app.core.training.runs import Comparison, compare_with_active, get_run


@dataclass(frozen=True)
class Activation:
    run: int  # the run the rule was applied to
    active: int | None  # the active run afterwards
    comparison: Comparison | None  # with the run active before, when there was one to compare with

    @property
    def activated(self) -> bool:
        return self.active == self.run

    def sentence(self, project_name: str = "PROJECT") -> str:
        if self.activated:
            return f"Run {self.run} is now the active model (used by predict, suggest and export)."
        if self.comparison is None:
            return f"Run {self.run} has no model to use; the active model is still run {self.active}."
        c = self.comparison
        return (
            f"Run {self.active} stays the active model: on the {c.images} validation images both runs were "
            f"checked on, run {self.run} scores {c.new_accuracy:.1%} and run {self.active} {c.old_accuracy:.1%}. "
            f"To use run {self.run} anyway: loupe runs {project_name} --activate {self.run}"
        )


def activate_run(project: Project, run_id: int) -> None:
    """Make `run_id` the active model; LoupeError if it has no model that loads."""
    from app.core.training.saved_models import run_folder

    run = get_run(project, run_id, report=False)
    if run.status not in ("done", "cancelled") or not run.model_dir:
        raise LoupeError(f"run {run_id} has no model to use ({run.status}); choose a finished run")
    run_folder(project, run)  # its folder is there and holds no pickle
    set_setting(project, ACTIVE_RUN, run_id)


def activate_if_better(project: Project, run_id: int) -> Activation:
    """Apply the rule to a run that just finished (see the module docstring)."""
    before = active_run(project)
    comparison = compare_with_active(project, run_id, before)
    if comparison is not None and comparison.new_is_worse:
        return Activation(run_id, before, comparison)
    activate_run(project, run_id)
    return Activation(run_id, run_id, comparison)
