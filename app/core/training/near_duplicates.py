"""Near-duplicates: groups of near-identical images (a rescan, a resized or recompressed copy, a
slightly cropped or re-windowed one, overlapping tiles), found from image embeddings and the
images' pixels, and kept on one side of the train/validation split (`splits.py`), so that no
validation image is scored against its own twin in training.

    pixels = pixel_signatures(project, image_ids)          # pixel_signatures.py: cached by content
    found = find_groups(image_ids, vectors, pixels)         # here: pure numpy (+ torch's top-k), bounded memory
    store_groups(project, found, features="…", scope=image_ids)   # near_duplicate_groups.py
    read_groups(project)                                    # image id -> group id

**How a pair is judged a near-duplicate.** `bench/near_duplicates.py` measures it: 4 planted
copies (resized to half, JPEG at quality 40, 5 % cropped, re-windowed) of each of 120 images among
400 mosaics of scikit-learn's digits, 120 tiles of its sample photos and 200 single digits, with
a real ImageNet EfficientNet-Lite0's features.

- *Candidates*: each image's `NEIGHBOURS` nearest others by its embedding and by its pixel
  signature. Embeddings are centred on the set's mean (raw pooled CNN features share a large
  common part: every raw cosine is high) and compared in their `REDUCED_DIMS` principal
  directions; both searches run in row blocks: 50,000 images take 30-45 s on a 2-core CPU
  (2.5 min beside other work) and a few hundred megabytes. A group larger than NEIGHBOURS is still found, through its members' links.
- *The pixels decide*: the two images' greyscale thumbnails (block means) correlate at least
  `PIXEL_MIN` on a 10 × 10 grid and `FINE_MIN` on a 24 × 24 one, each at the best of small
  shifts (about a tenth of the image: a 5 % crop moves the content that much). Correlation
  ignores brightness and contrast (a re-windowed copy); block means ignore most of what resizing
  and recompression change. The embeddings could not decide alone: a JPEG copy of a digit mosaic
  was on median the 70th nearest image to its original by the ImageNet features (its artefacts
  look like texture to them), and a tiny random model embeds every image nearly alike. No
  distance threshold, absolute or relative to the set's spread (cleanlab's 0.13 × the median
  nearest-neighbour distance; also 0.5 and 1 ×), found even half the copies without mixing
  distinct images (pair precision 0.02-0.19). On the bench, Loupe's rule: pair recall 0.60 on
  the mosaics and 0.73 on the photo tiles at precision 1.000 (copies found: resized 0.97, JPEG
  0.97, re-windowed 0.98, cropped 0.36); without the fine grid, 0.67 and 0.83 but a group mixed
  two distinct photo tiles. The coarse threshold matters for look-alikes only: two distinct
  handwritten digits of 8 × 8 pixels correlate highly (precision on them 0.75 at 0.95, 0.89 at
  0.97, 0.98 at 0.98, for recall 0.95, 0.91, 0.83).
- *The embedding can veto*: a pair farther apart than `GATE` × the median distance of the
  set's images to their NEIGHBOURS-th nearest is never grouped. On the bench it vetoes nothing at
  3 (and costs recall at 2); it is a safety net for images that share a layout but not a content.

Groups are the connected components of the pairs judged so. Without pixel signatures (features
alone, e.g. planted vectors in a test) a pair must be closer than `RELATIVE` × the median
nearest-neighbour distance and `ABSOLUTE`: a strict rule, for near-identical vectors only.

Known limits: a copy cropped by 5 % is found about a third of the time (a crop moves and
rescales everything); truly distinct look-alikes, such as two plain handwritten "1"s of 8 × 8 pixels, are
near-duplicates to pixels and features alike.

A search replaces every stored group that has a member among the images it looked at (its
`scope`); groups entirely outside it stay. The training run searches its labelled images (with the
backbone's features, cached and shared with the linear probe); Show ▸ Near-duplicates in the
window searches every image of the project. The images are compared in content order, so the
groups do not depend on the order they were imported in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import numpy as np

from app.core.errors import Cancelled
from app.core.training.pixel_signatures import FINE_GRID, FINE_SHIFT, PIXEL_GRID, PIXEL_SHIFT

#: Pixels: the shifted thumbnails' correlation a near-duplicate pair reaches at least.
PIXEL_MIN = 0.97
#: The embedding's veto: a pair farther apart than GATE × the median distance to the
#: NEIGHBOURS-th nearest image is never a near-duplicate.
GATE = 3.0
#: Features alone: closer than RELATIVE × the median nearest-neighbour distance and ABSOLUTE.
RELATIVE = 0.2
ABSOLUTE = 0.05
#: The finer thumbnail's correlation a near-duplicate pair reaches at least.
FINE_MIN = 0.96
#: Nearest neighbours looked at per image (by embedding and by pixels).
NEIGHBOURS = 8
#: Embeddings are compared in this many principal directions (`embedding_rows`).
REDUCED_DIMS = 128
#: Rows of the similarity matrix computed at once (BLOCK × N float32).
BLOCK = 512


@dataclass(frozen=True)
class NearDuplicates:
    """Groups found among some images: each group its image ids, ascending (the first is the
    group's id); `similarity` gives each member's embedding cosine to its closest other member."""

    groups: list[list[int]] = field(default_factory=list)
    similarity: dict[int, float] = field(default_factory=dict)

    @property
    def images(self) -> int:
        return sum(len(group) for group in self.groups)

    def group_of(self) -> dict[int, int]:
        """Image id -> group id (the smallest id of its group)."""
        return {image_id: group[0] for group in self.groups for image_id in group}


def _unit_rows(x: np.ndarray, centre: bool) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if centre:
        x = x - x.mean(axis=0, keepdims=True)
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def embedding_rows(vectors: np.ndarray) -> np.ndarray:
    """Embeddings as the grouping compares them: centred on the set's mean, reduced to their
    REDUCED_DIMS principal directions (a nearest-neighbour search over 50,000 images then takes
    seconds, not minutes), and of unit length."""
    x = np.asarray(vectors, dtype=np.float32)
    x = x - x.mean(axis=0, keepdims=True)
    if x.shape[1] > REDUCED_DIMS and len(x) > REDUCED_DIMS:
        _, directions = np.linalg.eigh(x.T @ x)
        x = x @ directions[:, -REDUCED_DIMS:]
    return _unit_rows(x, centre=False)


def nearest_neighbours(
    vectors: np.ndarray, k: int = NEIGHBOURS, should_stop: Callable[[], bool] = lambda: False, centre: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """(indices N×k, cosine distances N×k) of each row's k nearest other rows, nearest first
    (centred on the rows' mean first, unless `centre` is False); BLOCK rows at a time."""
    import torch  # its matrix product and top-k are several times numpy's here

    x = torch.from_numpy(np.ascontiguousarray(_unit_rows(vectors, centre)))
    n = len(x)
    k = max(1, min(k, n - 1))
    indices = np.zeros((n, k), dtype=np.int64)
    distances = np.zeros((n, k), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, n, BLOCK):
            if should_stop():
                raise Cancelled("stopped looking for near-duplicates")
            stop = min(start + BLOCK, n)
            similarity = x[start:stop] @ x.T
            rows = torch.arange(stop - start)
            similarity[rows, rows + start] = -torch.inf  # not its own neighbour
            top = similarity.topk(k, dim=1)  # sorted, nearest first
            indices[start:stop] = top.indices.numpy()
            distances[start:stop] = 1.0 - top.values.numpy()
    return indices, np.maximum(distances, 0.0)


def _windows(grids: np.ndarray, grid: int, shift: int, dy: int, dx: int) -> np.ndarray:
    """The inner window of each grid moved by (dy, dx) blocks, centred and normalised."""
    inner = grid - 2 * shift
    w = grids.reshape(len(grids), grid, grid)[:, shift + dy : shift + dy + inner, shift + dx : shift + dx + inner]
    w = w.reshape(len(grids), -1)
    return _unit_rows(w - w.mean(axis=1, keepdims=True), centre=False)


def _correlation(a: np.ndarray, b: np.ndarray, grid: int, shift: int) -> np.ndarray:
    fixed = _windows(a, grid, shift, 0, 0)
    moves = range(-shift, shift + 1)
    return np.max([np.sum(fixed * _windows(b, grid, shift, dy, dx), axis=1) for dy in moves for dx in moves], axis=0)


def pixel_correlation(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For pairs of pixel signatures (rows of a and b): their best correlation over small shifts
    of b, on the coarse thumbnail and on the fine one (`pixel_signature`)."""
    coarse = PIXEL_GRID**2
    return (
        _correlation(a[:, :coarse], b[:, :coarse], PIXEL_GRID, PIXEL_SHIFT),
        _correlation(a[:, coarse:], b[:, coarse:], FINE_GRID, FINE_SHIFT),
    )


def find_groups(
    image_ids: Iterable[int],
    vectors: np.ndarray,
    pixels: np.ndarray | None = None,
    should_stop: Callable[[], bool] = lambda: False,
    k: int = NEIGHBOURS,
    pixel_min: float = PIXEL_MIN,
    fine_min: float = FINE_MIN,
    gate: float = GATE,
    relative: float = RELATIVE,
    absolute: float = ABSOLUTE,
) -> NearDuplicates:
    """Groups of near-duplicate images among `image_ids`: one row of `vectors` (embeddings)
    each, and of `pixels` (`pixel_signature`; a row of NaN for an image that could not be read,
    which is grouped with nothing). See the module docstring."""
    ids = np.asarray(list(image_ids), dtype=np.int64)
    if len(ids) < 3:  # the set's spread needs a few images
        return NearDuplicates()
    x = embedding_rows(vectors)
    indices, distances = nearest_neighbours(x, k, should_stop, centre=False)
    if pixels is None:
        threshold = min(absolute, relative * float(np.median(distances[:, 0])))
        rows, cols = np.nonzero(distances < threshold)
        pairs = np.stack([rows, indices[rows, cols]], axis=1)
    else:
        pixels = np.asarray(pixels, dtype=np.float32)
        readable = ~np.isnan(pixels).any(axis=1)
        flat = _windows(np.nan_to_num(pixels[:, : PIXEL_GRID**2]), PIXEL_GRID, PIXEL_SHIFT, 0, 0)
        by_pixels, _ = nearest_neighbours(flat, k, should_stop, centre=False)
        candidates = np.concatenate(
            [np.stack([np.repeat(np.arange(len(ids)), nn.shape[1]), nn.ravel()], axis=1) for nn in (indices, by_pixels)]
        )
        candidates = np.unique(np.sort(candidates, axis=1), axis=0)
        candidates = candidates[readable[candidates[:, 0]] & readable[candidates[:, 1]]]
        keep = np.zeros(len(candidates), dtype=bool)
        for start in range(0, len(candidates), 50_000):
            if should_stop():
                raise Cancelled("stopped looking for near-duplicates")
            chunk = candidates[start : start + 50_000]
            coarse, fine = pixel_correlation(pixels[chunk[:, 0]], pixels[chunk[:, 1]])
            keep[start : start + 50_000] = (coarse >= pixel_min) & (fine >= fine_min)
        pairs = candidates[keep]
        if len(pairs):
            limit = gate * float(np.median(distances[:, -1]))
            pairs = pairs[1.0 - np.sum(x[pairs[:, 0]] * x[pairs[:, 1]], axis=1) < limit]
    return _components(ids, pairs, x)


def _components(ids: np.ndarray, pairs: np.ndarray, unit: np.ndarray) -> NearDuplicates:
    """The groups (connected components) that `pairs` of row indices make."""
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    closest: dict[int, float] = {}
    for a, b in pairs.tolist():
        if a == b:
            continue
        parent[root(a)] = root(b)
        similarity = float(unit[a] @ unit[b])
        for member in (a, b):
            closest[member] = max(closest.get(member, -1.0), similarity)
    members: dict[int, list[int]] = {}
    for i in closest:
        members.setdefault(root(i), []).append(int(ids[i]))
    groups = sorted((sorted(group) for group in members.values() if len(group) > 1), key=lambda g: g[0])
    return NearDuplicates(groups, {int(ids[i]): value for i, value in closest.items()})


# -- The pixel signature --------------------------------------------------------------------------
