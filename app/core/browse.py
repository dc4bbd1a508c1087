"""What the grid shows: the project's images through a filter, a search and a sort order.

Returns columns (parallel lists) rather than one object per image: a 100,000-image project loads
in a fraction of a second and the grid's model indexes the lists directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.core.project import Project

#: Filters by name -> SQL condition on images `i` and labels `l` (parameters from the query).
FILTERS: dict[str, str] = {
    "all": "1",
    "unlabelled": "l.class_id IS NULL",
    "labelled": "l.class_id IS NOT NULL",
    "class": "l.class_id = :class_id",
}
#: Sort orders by name -> SQL ORDER BY.
SORTS: dict[str, str] = {
    "name": "i.path COLLATE NOCASE",
    "added": "i.id",
}
#: Filter that lists the rejected files (they are not images of the project) instead.
REJECTED = "rejected"


@dataclass(frozen=True)
class ImageQuery:
    show: str = field(default="all", metadata={"help": "all, unlabelled, labelled, class or rejected"})
    class_id: int | None = field(default=None, metadata={"help": "The class, when show is 'class'."})
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

    def __len__(self) -> int:
        return len(self.paths)

    def index_of(self, image_id: int) -> int | None:
        try:
            return self.image_ids.index(image_id)
        except ValueError:
            return None


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def query_images(project: Project, query: ImageQuery = ImageQuery(), with_paths: bool = True) -> GridRows:
    """The rows for `query`. With `with_paths=False` the paths of image rows are left as None
    (fetch them with `image_paths` for the rows on screen): building 100,000 path strings is
    most of the cost of the query, and the grid only ever shows a screenful."""
    params = {"class_id": query.class_id, "search": _like(query.search.strip())}
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
    join = "LEFT JOIN labels l ON l.image_id = i.id" if query.show != "all" else ""
    ids = [
        row[0]
        for row in project.conn.execute(
            f"SELECT i.id FROM images i {join} WHERE {FILTERS[query.show]} {search.format(column='i.path')}"
            f" ORDER BY {SORTS[query.sort]} {direction}, i.id",
            params,
        )
    ]
    labels = dict(project.conn.execute("SELECT image_id, class_id FROM labels").fetchall())
    paths = [None] * len(ids)
    if with_paths and ids:
        known = image_paths(project, ids)
        paths = [known[i] for i in ids]
    return GridRows(ids, paths, list(map(labels.get, ids)), [None] * len(ids))


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


def matches(query: ImageQuery, class_id: int | None) -> bool:
    """Whether an image with this label still belongs in the rows of `query` (the grid uses it
    to drop a just-labelled image from an "unlabelled" view without querying again)."""
    if query.show == "unlabelled":
        return class_id is None
    if query.show == "labelled":
        return class_id is not None
    if query.show == "class":
        return class_id == query.class_id
    return True
