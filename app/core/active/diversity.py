"""Geometry of the embedding space for choosing a batch: farthest points (core-set), k-means++
seeding (BADGE), cluster representatives (cold start), and leaving out near-duplicates.

Pure numpy on float32 arrays: a 100,000-image pool costs a few matrix-vector products per pick,
never an N × N distance matrix.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

#: Two images whose embeddings have at least this cosine similarity are near-duplicates: a batch
#: holds one of them (labelling the same picture twice teaches the model once).
DUPLICATE_COSINE = 0.995


def distinct(
    order: Iterable[int], embeddings: np.ndarray | None, n: int, threshold: float = DUPLICATE_COSINE
) -> list[int]:
    """The first `n` rows of `order` that are not near-duplicates of a row taken before them
    (all of `order`'s first n when there are no embeddings to compare)."""
    taken: list[int] = []
    if embeddings is None:
        for row in order:
            taken.append(int(row))
            if len(taken) == n:
                break
        return taken
    kept = np.empty((n, embeddings.shape[1]), dtype=np.float32)
    for row in order:  # unit vectors of the rows looked at only: usually a few times n, not the pool
        vector = embeddings[row].astype(np.float32)
        vector /= max(float(np.linalg.norm(vector)), 1e-12)
        if taken and float((kept[: len(taken)] @ vector).max()) >= threshold:
            continue
        kept[len(taken)] = vector
        taken.append(int(row))
        if len(taken) == n:
            break
    return taken


def _squared_distances(x: np.ndarray, centre: np.ndarray, x_norms: np.ndarray) -> np.ndarray:
    return np.maximum(x_norms - 2 * (x @ centre) + float(centre @ centre), 0.0)


def k_center_greedy(
    candidates: np.ndarray, labelled: np.ndarray | None, n: int, rng: np.random.Generator
) -> tuple[list[int], np.ndarray]:
    """Core-set selection (Sener & Savarese 2018): repeatedly take the candidate farthest from
    everything labelled or taken so far. Returns the rows and each one's distance when taken
    (its score). Without labelled images the first pick is the candidate nearest the mean."""
    x = candidates.astype(np.float32, copy=False)
    norms = np.einsum("ij,ij->i", x, x)
    nearest = np.full(len(x), np.inf, dtype=np.float32)
    if labelled is not None and len(labelled):
        for start in range(0, len(labelled), 256):  # min distance to the labelled set, in chunks
            block = labelled[start : start + 256].astype(np.float32, copy=False)
            d = norms[:, None] - 2 * x @ block.T + np.einsum("ij,ij->i", block, block)[None, :]
            nearest = np.minimum(nearest, np.maximum(d, 0).min(axis=1))
    picks, scores = [], []
    for _ in range(min(n, len(x))):
        if np.isinf(nearest).all():
            row = int(np.argmin(_squared_distances(x, x.mean(axis=0), norms)))
        else:
            row = int(np.argmax(nearest))
        picks.append(row)
        scores.append(float(np.sqrt(nearest[row])) if np.isfinite(nearest[row]) else 0.0)
        nearest = np.minimum(nearest, _squared_distances(x, x[row], norms))
        nearest[row] = -1.0  # never again
    return picks, np.array(scores, dtype=np.float32)


def kmeans_pp_gradients(residuals: np.ndarray, features: np.ndarray, n: int, rng: np.random.Generator) -> list[int]:
    """k-means++ seeding over BADGE's gradient embeddings g_i = r_i ⊗ x_i (r = probabilities
    minus the one-hot predicted class, x = features), without forming the C × D products:
    <g_i, g_j> = <r_i, r_j> <x_i, x_j>. The first pick has the largest gradient; each next one is
    drawn with probability proportional to its squared distance from the nearest pick."""
    r = residuals.astype(np.float64)
    x = features.astype(np.float64)
    sq = np.einsum("ij,ij->i", r, r) * np.einsum("ij,ij->i", x, x)  # ||g_i||²
    picks = [int(np.argmax(sq))]
    nearest = np.full(len(r), np.inf)
    for _ in range(min(n, len(r)) - 1):
        last = picks[-1]
        d = np.maximum(sq + sq[last] - 2 * (r @ r[last]) * (x @ x[last]), 0.0)
        nearest = np.minimum(nearest, d)
        nearest[picks] = 0.0
        total = nearest.sum()
        if total <= 0:  # every remaining point coincides with a pick
            rest = np.setdiff1d(np.arange(len(r)), picks)
            if not len(rest):
                break
            picks.append(int(rng.choice(rest)))
            continue
        picks.append(int(rng.choice(len(r), p=nearest / total)))
    return picks


#: Cold start clusters at most this many labelled images per image it picks (a random sample of
#: them when there are more): 10,000 labels would mean 10,000 clusters.
COVERED_PER_PICK = 3


def cluster_representatives(
    embeddings: np.ndarray, n: int, rng: np.random.Generator, labelled: np.ndarray | None = None
) -> tuple[list[int], list[int]]:
    """Cold start: k-means over the unlabelled images (and the labelled ones, when there are some)
    with as many clusters as images labelled plus `n`; from each of the largest clusters that
    holds no labelled image, the unlabelled image nearest its centre — typical of a group that
    nothing labelled represents yet (TypiClust, Hacohen et al. 2022). Returns the rows, largest
    cluster first, and the size of each one's cluster. MiniBatchKMeans above 10,000 images keeps
    it to about a second."""
    from sklearn.cluster import KMeans, MiniBatchKMeans

    x = embeddings.astype(np.float32, copy=False)
    if labelled is not None and len(labelled) > COVERED_PER_PICK * n:  # k-means time grows with k: a sample
        labelled = labelled[rng.choice(len(labelled), COVERED_PER_PICK * n, replace=False)]
    covered = 0 if labelled is None else len(labelled)
    every = x if not covered else np.concatenate([x, labelled.astype(np.float32, copy=False)])
    k = min(n + covered, len(every))
    if k == 0 or not len(x):
        return [], []
    seed = int(rng.integers(2**31 - 1))
    if len(every) > 10_000:
        kmeans = MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=3, batch_size=2048).fit(every)
    else:
        kmeans = KMeans(n_clusters=k, random_state=seed, n_init=3).fit(every)
    assigned, centres = kmeans.labels_[: len(x)], kmeans.cluster_centers_
    taken = set(kmeans.labels_[len(x) :].tolist())  # clusters a labelled image already represents
    picks, sizes = [], []
    for cluster in range(k):
        members = np.flatnonzero(assigned == cluster)
        if not len(members) or cluster in taken:
            continue
        d = ((x[members] - centres[cluster]) ** 2).sum(axis=1)
        picks.append(int(members[np.argmin(d)]))
        sizes.append(len(members))
    order = np.argsort(-np.array(sizes), kind="stable")
    return [picks[i] for i in order], [sizes[i] for i in order]
