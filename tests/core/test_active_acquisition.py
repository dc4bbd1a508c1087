"""Each acquisition function on hand-made probabilities and embeddings whose right answer is known."""

import numpy as np
import pytest

from app.core.active.acquisition import (
    DEFAULT_STRATEGY,
    STRATEGIES,
    PoolView,
    bald,
    entropy,
    get_strategy,
    least_confidence,
    margin,
)
from app.core.active.diversity import distinct, k_center_greedy
from app.core.errors import ConfigError


def rng(seed=0):
    return np.random.default_rng(seed)


def test_uncertainty_scores_have_their_textbook_values():
    p = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    assert least_confidence(p) == pytest.approx([0.0, 0.5, 2 / 3])
    assert margin(p) == pytest.approx([0.0, 1.0, 1.0])
    assert entropy(p) == pytest.approx([0.0, np.log(2), np.log(3)], abs=1e-9)


def test_margin_picks_the_rows_closest_to_a_tie():
    p = np.array([[0.9, 0.1, 0.0], [0.45, 0.40, 0.15], [0.6, 0.4, 0.0], [0.34, 0.33, 0.33], [0.7, 0.2, 0.1]])
    picks = STRATEGIES["margin"].select(PoolView(probabilities=p, class_names=["a", "b", "c"]), 2, rng())
    assert picks.rows == [3, 1]  # margins 0.01 and 0.05
    assert picks.reasons[1] == "a 45% · b 40%"
    # least confidence ranks by the top probability alone: row 3 (0.34) then row 1 (0.45)
    assert STRATEGIES["least-confidence"].select(PoolView(probabilities=p), 2, rng()).rows == [3, 1]


def test_bald_is_zero_when_every_pass_agrees_and_high_when_sure_passes_disagree():
    agree = np.repeat(np.array([[[0.7, 0.3], [0.5, 0.5]]]), 8, axis=0)  # T × N × C
    assert bald(agree) == pytest.approx([0.0, 0.0], abs=1e-7)
    disagree = np.array([[[1.0, 0.0]], [[0.0, 1.0]]] * 4)
    assert bald(disagree) == pytest.approx([np.log(2)], abs=1e-6)
    # an image that is uncertain in every pass (aleatoric) scores below one the passes disagree on
    mc = np.concatenate([np.repeat(np.array([[[0.5, 0.5]]]), 8, axis=0), disagree], axis=1)
    picks = STRATEGIES["bald"].select(PoolView(probabilities=mc.mean(0), mc_probabilities=mc), 1, rng())
    assert picks.rows == [1]


def test_coreset_picks_the_farthest_point_then_the_farthest_from_both():
    labelled = np.array([[0.0, 0.0]])
    candidates = np.array([[1.0, 0.0], [5.0, 0.0], [0.0, 2.0], [4.5, 0.5], [-3.0, 0.0]])
    rows, distances = k_center_greedy(candidates, labelled, 3, rng())
    assert rows[0] == 1 and distances[0] == pytest.approx(5.0)
    assert rows[1] == 4  # 3 from the labelled point, 8 from the first pick
    picks = STRATEGIES["coreset"].select(PoolView(embeddings=candidates, labelled_embeddings=labelled), 2, rng())
    assert picks.rows == [1, 4]


def three_blobs(per_blob=30, seed=0):
    generator = rng(seed)
    centres = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]])
    x = np.concatenate([c + generator.normal(0, 0.5, (per_blob, 2)) for c in centres])
    return x, np.repeat([0, 1, 2], per_blob), centres


def test_cold_start_picks_one_typical_image_per_cluster():
    x, blob, centres = three_blobs()
    picks = STRATEGIES["cold-start"].select(PoolView(embeddings=x), 3, rng())
    assert sorted(blob[picks.rows]) == [0, 1, 2]
    for row in picks.rows:  # the pick is the member nearest its blob's centre
        members = np.flatnonzero(blob == blob[row])
        nearest = members[np.argmin(((x[members] - x[members].mean(0)) ** 2).sum(1))]
        assert row == nearest
    assert all(reason == "representative of a group of 30 similar images" for reason in picks.reasons)


def test_batches_leave_near_duplicates_out():
    x = np.array([[1.0, 0.0], [1.0, 0.0001], [0.0, 1.0], [0.7, 0.7]])
    p = np.array([[0.5, 0.5], [0.5, 0.5], [0.55, 0.45], [0.9, 0.1]])
    picks = STRATEGIES["margin"].select(PoolView(probabilities=p, embeddings=x), 2, rng())
    assert len({0, 1} & set(picks.rows)) == 1 and 2 in picks.rows
    assert distinct([0, 1, 2, 3], x, 4) == [0, 2, 3]


def test_badge_starts_at_the_largest_gradient_and_spreads_over_the_space():
    x, blob, _ = three_blobs(per_blob=20)
    x = x + 20.0  # away from the origin: the features' norms are alike
    p = np.full((len(x), 2), [0.95, 0.05])
    p[5] = [0.5, 0.5]  # the most uncertain image: the largest gradient embedding
    picks = STRATEGIES["badge"].select(PoolView(probabilities=p, embeddings=x, class_names=["a", "b"]), 3, rng())
    assert picks.rows[0] == 5
    assert sorted(blob[picks.rows]) == [0, 1, 2]


def test_random_is_seeded_and_every_strategy_returns_n_reasoned_picks():
    generator = rng(3)
    p = generator.dirichlet([1, 1, 1], 200)
    view = PoolView(
        probabilities=p,
        embeddings=generator.normal(size=(200, 8)),
        labelled_embeddings=generator.normal(size=(10, 8)),
        mc_probabilities=generator.dirichlet([1, 1, 1], (5, 200)),
        class_names=["a", "b", "c"],
    )
    assert STRATEGIES["random"].select(view, 10, rng(1)).rows == STRATEGIES["random"].select(view, 10, rng(1)).rows
    for strategy in STRATEGIES.values():
        picks = strategy.select(view, 10, rng())
        assert len(picks.rows) == len(set(picks.rows)) == 10, strategy.name
        assert len(picks.scores) == len(picks.reasons) == 10 and all(picks.reasons), strategy.name
    assert DEFAULT_STRATEGY in STRATEGIES
    assert not STRATEGIES["cold-start"].needs_model and STRATEGIES["margin"].needs_model
    with pytest.raises(ConfigError, match="unknown strategy 'nope'; choose random"):
        get_strategy("nope")


def test_cold_start_skips_the_groups_a_label_already_represents():
    x, blob, _ = three_blobs()
    labelled = x[blob == 0][:1] + 0.01  # one labelled image in the first group
    picks = STRATEGIES["cold-start"].select(PoolView(embeddings=x, labelled_embeddings=labelled), 2, rng())
    assert sorted(blob[picks.rows]) == [1, 2]


def test_typical_then_margin_switches_from_typical_images_to_near_ties_with_enough_labels():
    from app.core.active.acquisition import TYPICAL_PER_CLASS

    x, blob, _ = three_blobs()
    p = np.full((len(x), 3), [0.8, 0.1, 0.1])
    p[7] = [0.4, 0.4, 0.2]  # the closest call
    names = ["a", "b", "c"]
    few = PoolView(probabilities=p, embeddings=x, labelled_embeddings=x[:3], class_names=names)
    early = STRATEGIES["typical-then-margin"].select(few, 3, rng())
    assert set(blob[early.rows]) == {1, 2} and all("representative" in r for r in early.reasons)  # blob 0 has labels
    enough = PoolView(probabilities=p, embeddings=x, labelled_embeddings=x[: TYPICAL_PER_CLASS * 3], class_names=names)
    late = STRATEGIES["typical-then-margin"].select(enough, 3, rng())
    assert late.rows[0] == 7 and late.reasons[0] == "a 40% · b 40%"
