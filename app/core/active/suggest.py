"""Suggestions in one call, for the command line (the window keeps an `ActiveLearner` between
refreshes instead): embed what is missing, refit the head, rescore, pick, record the round.

    result = suggest(project, "margin", n=20, on_progress=print)
    for s in result.refresh.suggestions: print(result.paths[s.image_id], s.reason)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from app.core.active.acquisition import DEFAULT_STRATEGY, get_strategy
from app.core.active.history import record_round
from app.core.active.learner import ActiveLearner, Refresh, read_labels
from app.core.active.pool import EmbeddingSource, embed_images, load_pool
from app.core.errors import LoupeError
from app.core.labelling.browse import image_paths
from app.core.project.settings import active_run, get_setting
from app.core.project.store import Project
from app.core.training.config import TRAIN_FORM, remembered_config


def default_source(project: Project) -> EmbeddingSource:
    """Whose features suggestions use: the active run's model when it fine-tuned the backbone
    (its features know the task), else the backbone of the active run, else the model the user
    put in the training form (or gave `loupe train`) — never a preset nobody chose."""
    from app.core.training.methods import METHODS
    from app.core.training.runs import get_run

    run_id = active_run(project)
    if run_id is not None:
        run = get_run(project, run_id, report=False)
        info = METHODS.get(run.method)
        if run.model_dir and info is not None and not info.frozen_features:
            return EmbeddingSource.from_run(run_id)
        return EmbeddingSource.from_model(run.model_ref)
    if get_setting(project, TRAIN_FORM) is None:
        raise LoupeError(
            "suggestions need a model to compute image features with, and none is chosen yet: "
            "choose a model in the Train tab (or train one), or give `loupe suggest` a --model"
        )
    return EmbeddingSource.from_model(remembered_config(project).model)


@dataclass
class SuggestResult:
    refresh: Refresh
    source: str  # whose features, in words
    paths: dict[int, str]  # stored path of each suggested image
    unreadable: dict[int, str]  # images whose features could not be computed -> reason


def suggest(
    project: Project,
    strategy: str = DEFAULT_STRATEGY,
    n: int = 20,
    source: EmbeddingSource | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
    device: str | None = None,  # None: the Train form's
    seed: int = 0,
) -> SuggestResult:
    get_strategy(strategy)  # a bad name fails before any model loads
    source = source or default_source(project)
    key, unreadable = embed_images(project, source, on_progress, should_stop, device)
    learner = ActiveLearner(load_pool(project, key), seed=seed)
    refresh = learner.refresh(read_labels(project), strategy, n)
    record_round(project, refresh, source.describe())
    paths = image_paths(project, [s.image_id for s in refresh.suggestions])
    return SuggestResult(refresh, source.describe(), paths, unreadable)
