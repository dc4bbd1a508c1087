"""What the grid shows: the project's images through a filter, a search and a sort order.

Returns columns (parallel lists) rather than one object per image: a 100,000-image project loads
in a fraction of a second and the grid's model indexes the lists directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from app.core.imaging.options import DecodeOptions
from app.core.imaging.thumbnails import ThumbnailCache, cached_thumbnail, thumbnail_key
from app.core.project.settings import DEFAULT_REVIEW_BELOW
from app.core.project.store import Project

#: Filters by name -> SQL condition on images `i` and labels `l` (parameters from the query).
FILTERS: dict[str, str] = {
    "all": "1",
    "unlabelled": "l.class_id IS NULL",
    "labelled": "l.class_id IS NOT NULL",
    "class": "l.class_id = :class_id",
    # With the active run's predictions (`run_id`):
    "predicted": "p.class_id = :class_id",
    "disagrees": "l.class_id IS NOT NULL AND p.class_id IS NOT NULL AND p.class_id != l.class_id",
    # Predicted under the query's threshold (the window passes the project's REVIEW_BELOW):
    "low_confidence": "p.confidence < :threshold",
    # Files deleted, moved or overwritten since import (as the last check found them):
    "missing": "(i.status = 'missing' OR i.changed_at IS NOT NULL)",
    # An explicit set of images (e.g. one cell of a confusion matrix):
    "ids": "i.id IN (SELECT value FROM json_each(:ids))",
    # The suggestion queue: the unlabelled ones of these images, in the order given (an image
    # leaves the queue once labelled, as in "unlabelled"):
    "suggested": "l.class_id IS NULL AND i.id IN (SELECT value FROM json_each(:ids))",
    # Images in a near-duplicate group (as last found), a group's images together:
    "near_duplicates": "i.id IN (SELECT image_id FROM near_duplicates)",
    # The tiles of one whole slide or scene, row by row as they lie on it:
    "source": "i.source_id = :source_id",
}
#: Filters whose rows keep an order of their own (the sort order does not apply): the query's
#: `image_ids`, or the near-duplicate groups.
ORDERED_FILTERS = frozenset({"suggested", "near_duplicates", "source"})
#: Sort orders by name -> SQL ORDER BY.
SORTS: dict[str, str] = {
    "name": "i.path COLLATE NOCASE",
    "added": "i.id",
}
#: Filter that lists the rejected files (they are not images of the project) instead.
REJECTED = "rejected"


@dataclass(frozen=True)
class ImageQuery:
    show: str = field(default="all", metadata={"help": "A filter name (FILTERS) or 'rejected'."})
    class_id: int | None = field(default=None, metadata={"help": "The class, for 'class' and 'predicted'."})
    source_id: int | None = field(default=None, metadata={"help": "The slide or scene, for 'source'."})
    run_id: int | None = field(default=None, metadata={"help": "The run whose predictions are shown."})
    image_ids: tuple[int, ...] = field(default=(), metadata={"help": "The images of 'ids' and 'suggested' (in order)."})
    threshold: float = field(
        default=DEFAULT_REVIEW_BELOW, metadata={"help": "'low_confidence': predicted with less than this (0..1)."}
    )
    title: str = field(default="", metadata={"help": "How the GUI names an 'ids' selection or the suggestions."})
    search: str = field(default="", metadata={"help": "Only paths containing this (any case)."})
    sort: str = field(default="name", metadata={"help": "name or added"})
    descending: bool = False


@dataclass
class GridRows:
    """Parallel columns, one entry per row. Rejected files have image id None and a reason."""

    image_ids: list[int | None] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    class_ids: list[int | None] = field(default_factory=list)
    reasons: list[str | None] = field(default_factory=list)
    #: The active run's prediction per image id: (class id, confidence).
    predictions: dict[int, tuple[int, float]] = field(default_factory=dict)
    #: A note per image id that the view may show with it (Show ▸ Near-duplicates: its group).
    notes: dict[int, str] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.paths)


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def query_images(project: Project, query: ImageQuery = ImageQuery(), with_paths: bool = True) -> GridRows:
    """The rows for `query`. With `with_paths=False` the paths of image rows are left as None
    (fetch them with `image_paths` for the rows on screen): building 100,000 path strings is
    most of the cost of the query, and the grid only ever shows a screenful."""
    params = {
        "class_id": query.class_id,
        "source_id": query.source_id,
        "search": _like(query.search.strip()),
        "run_id": query.run_id,
        "threshold": query.threshold,
        "ids": json.dumps(list(query.image_ids)),
    }
    search = "AND {column} LIKE :search ESCAPE '\\'" if query.search.strip() else ""
    direction = "DESC" if query.descending else "ASC"
    if query.show == REJECTED:
        order = "path COLLATE NOCASE" if query.sort == "name" else "seen_at"
        rows = project.conn.execute(
            f"SELECT path, reason FROM rejected_files WHERE 1 {search.format(column='path')}"
            f" ORDER BY {order} {direction}",
            params,
        ).fetchall()
        paths = [row[0] for row in rows]
        none = [None] * len(paths)
        return GridRows(list(none), paths, list(none), [row[1] for row in rows])
    if query.show not in FILTERS:
        raise ValueError(f"unknown filter {query.show!r}; choose from {', '.join([*FILTERS, REJECTED])}")
    join = (
        "LEFT JOIN labels l ON l.image_id = i.id LEFT JOIN predictions p ON p.image_id = i.id AND p.run_id = :run_id"
        if query.show != "all"
        else ""
    )
    order = "i.tile_y, i.tile_x, i.id" if query.show == "source" else f"{SORTS[query.sort]} {direction}, i.id"
    ids = [
        row[0]
        for row in project.conn.execute(
            f"SELECT i.id FROM images i {join} WHERE {FILTERS[query.show]} {search.format(column='i.path')}"
            f" ORDER BY {order}",
            params,
        )
    ]
    notes: dict[int, str] = {}
    if query.show == "near_duplicates":
        ids, notes = _by_group(project, ids)
    elif query.show in ORDERED_FILTERS and query.show != "source":
        position = {image_id: k for k, image_id in enumerate(query.image_ids)}
        ids.sort(key=position.__getitem__)
    labels = dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())
    paths = [None] * len(ids)
    if with_paths and ids:
        known = image_paths(project, ids)
        paths = [known[i] for i in ids]
    predictions = {}
    if query.run_id is not None:
        predictions = {
            image_id: (class_id, confidence)
            for image_id, class_id, confidence in project.conn.execute(
                "SELECT image_id, class_id, confidence FROM predictions WHERE run_id = ?", (query.run_id,)
            )
        }
    return GridRows(ids, paths, list(map(labels.get, ids)), [None] * len(ids), predictions, notes)


def _by_group(project: Project, ids: list[int]) -> tuple[list[int], dict[int, str]]:
    """The near-duplicates among `ids`, a group's images together (groups in the order of their
    first image), and a note per image naming its group."""
    rows = project.conn.execute("SELECT image_id, group_id, similarity FROM near_duplicates").fetchall()
    group = {image_id: group_id for image_id, group_id, _ in rows}
    size: dict[int, int] = {}
    for _, group_id, _ in rows:
        size[group_id] = size.get(group_id, 0) + 1
    similarity = {image_id: value for image_id, _, value in rows}
    ordered = sorted((i for i in ids if i in group), key=lambda i: (group[i], i))
    notes = {
        i: f"near-duplicate group {group[i]}: {size[group[i]]} images; {similarity[i]:.1%} alike to its closest"
        for i in ordered
    }
    return ordered, notes


def source_entries(project: Project) -> list[tuple[int, str]]:
    """(source id, "Slide: name" or "Scene: name") of the project's sources, for a Show list."""
    return [
        (source_id, f"{kind.capitalize()}: {path.rsplit('/', 1)[-1]}")
        for source_id, kind, path in project.conn.execute("SELECT id, kind, path FROM sources ORDER BY path")
    ]


def image_paths(project: Project, image_ids: list[int]) -> dict[int, str]:
    """Stored paths of these images (in chunks: SQLite limits the parameters of one query)."""
    found: dict[int, str] = {}
    for start in range(0, len(image_ids), 900):
        chunk = image_ids[start : start + 900]
        found.update(
            project.conn.execute(
                f"SELECT id, path FROM images WHERE id IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        )
    return found


def fill_paths(project: Project, rows: GridRows, start: int, stop: int) -> GridRows:
    """Fill in the missing paths of rows[start:stop] (a screenful about to be shown)."""
    wanted = [i for i, p in zip(rows.image_ids[start:stop], rows.paths[start:stop]) if p is None and i is not None]
    known = image_paths(project, wanted) if wanted else {}
    for row in range(start, min(stop, len(rows))):
        if rows.paths[row] is None and rows.image_ids[row] is not None:
            rows.paths[row] = known.get(rows.image_ids[row], "")  # "": the image has left since
    return rows


#: Filters whose rows depend on the labels: a change of labels can bring images into them.
LABEL_FILTERS = frozenset({"unlabelled", "labelled", "class", "disagrees", "suggested"})


def depends_on_labels(query: ImageQuery) -> bool:
    """Whether changing labels can add rows to `query` (an undo there needs a new query; in any
    other view the changed tiles are all it takes)."""
    return query.show in LABEL_FILTERS


def matches(query: ImageQuery, class_id: int | None, predicted: int | None = None) -> bool:
    """Whether an image with this label still belongs in the rows of `query` (the grid uses it
    to drop a just-labelled image from an "unlabelled" view without querying again)."""
    if query.show == "disagrees":
        return class_id is not None and predicted is not None and class_id != predicted
    if query.show in ("unlabelled", "suggested"):
        return class_id is None
    if query.show == "labelled":
        return class_id is not None
    if query.show == "class":
        return class_id == query.class_id
    return True


def image_thumbnail(project: Project, cache: ThumbnailCache, image_id: int, rendering: DecodeOptions) -> bytes | None:
    """The grid's thumbnail of an image of the project (None when the image is gone): from the
    cache, else made again from the file (the cache folder was deleted). Multi-band images show
    `rendering` (the project's `image_choice`: chosen bands or a named composite); others look
    the same whatever it says, so they keep the one thumbnail made at import."""
    row = project.conn.execute("SELECT sha256, path, bands FROM images WHERE id = ?", (image_id,)).fetchone()
    if row is None:
        return None
    sha256, stored, band_count = row
    if not (band_count and band_count > 3):
        rendering = replace(rendering, bands=None, composite=None)
    return cached_thumbnail(
        cache, thumbnail_key(sha256, band_count or 0, rendering), project.resolve_path(stored), rendering
    )
