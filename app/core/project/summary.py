"""What is in a project, in numbers: the `loupe info` report and the GUI's status bar."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from app.core.project.store import Project


@dataclass
class ProjectSummary:
    images: int
    labelled: int
    missing: int  # images whose file is not where the project says (see `loupe check`)
    changed: int  # images whose file holds other content than was imported
    classes: dict[str, int]  # class name -> labelled images, in class order (empty classes too)
    rejected: list[dict] = field(default_factory=list)  # {path, reason}
    duplicates: list[dict] = field(default_factory=list)  # {path, duplicate_of}
    #: Near-duplicate groups as last found (by training, or Show ▸ Near-duplicates): {groups, images}.
    near_duplicates: dict = field(default_factory=lambda: {"groups": 0, "images": 0})
    #: Whole slides and scenes cut into tiles: {path, kind, width, height, tiles, labelled, skipped}.
    sources: list[dict] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


def summarize(project: Project) -> ProjectSummary:
    conn = project.conn
    classes = dict(
        conn.execute(
            "SELECT c.name, count(l.image_id) FROM classes c LEFT JOIN labels l ON l.class_id = c.id WHERE c.deleted = 0"
            " GROUP BY c.id ORDER BY c.position, c.id"
        ).fetchall()
    )
    rejected = [
        {"path": path, "reason": reason}
        for path, reason in conn.execute("SELECT path, reason FROM rejected_files ORDER BY path")
    ]
    duplicates = [
        {"path": path, "duplicate_of": original}
        for path, original in conn.execute(
            "SELECT d.path, i.path FROM duplicate_files d JOIN images i ON i.id = d.image_id ORDER BY d.path"
        )
    ]
    sources = [
        {
            "path": path,
            "kind": kind,
            "width": width,
            "height": height,
            "tiles": tiles,
            "labelled": labelled,
            "skipped": skipped,
        }
        for path, kind, width, height, tiles, labelled, skipped in conn.execute(
            "SELECT s.path, s.kind, s.width, s.height, s.tiles,"
            " (SELECT count(*) FROM images i JOIN labels l ON l.image_id = i.id WHERE i.source_id = s.id),"
            " s.skipped FROM sources s ORDER BY s.path"
        )
    ]
    groups, grouped = conn.execute("SELECT count(DISTINCT group_id), count(*) FROM near_duplicates").fetchone()
    return ProjectSummary(
        images=conn.execute("SELECT count(*) FROM images").fetchone()[0],
        labelled=conn.execute("SELECT count(*) FROM labels").fetchone()[0],
        missing=conn.execute("SELECT count(*) FROM images WHERE status = 'missing'").fetchone()[0],
        changed=conn.execute("SELECT count(*) FROM images WHERE changed_at IS NOT NULL").fetchone()[0],
        classes=classes,
        rejected=rejected,
        duplicates=duplicates,
        near_duplicates={"groups": groups, "images": grouped},
        sources=sources,
    )
