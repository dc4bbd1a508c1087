"""Import: recursive, parallel, duplicates by content, idempotent, labels from folders, reasons."""

import threading

import numpy as np
import pytest
from PIL import Image

from app.core.imaging.thumbnails import ThumbnailCache
from app.core.importing.folder_walk import ImportInputError
from app.core.importing.importer import ImportOptions, import_paths
from app.core.project.summary import summarize
from tests import synthetic


@pytest.fixture
def folder(tmp_path):
    """data/cat (3 JPEGs), data/dog (2 PNGs + a copy of a cat), clutter that must not be added."""
    data = tmp_path / "data"
    for i in range(3):
        synthetic.save(synthetic.random_rgb(seed=i), data / "cat" / f"c{i}.jpg")
    for i in range(2):
        synthetic.save(synthetic.random_rgb(seed=10 + i), data / "dog" / f"d{i}.png")
    (data / "dog" / "copy-of-c0.jpg").write_bytes((data / "cat" / "c0.jpg").read_bytes())
    (data / "notes.txt").write_text("not an image")
    (data / ".DS_Store").write_bytes(b"\x00\x01")
    (data / ".hidden").mkdir()
    synthetic.save(synthetic.random_rgb(seed=99), data / ".hidden" / "secret.png")
    (data / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 50)
    return data


def test_import_folder(project, folder):
    events = []
    report = import_paths(project, [folder], on_progress=events.append)
    assert report.added == 5
    assert report.skipped == 2  # notes.txt and .DS_Store; the hidden folder is not entered
    assert [d["path"] for d in report.duplicates] == ["data/dog/copy-of-c0.jpg"]
    assert report.duplicates[0]["duplicate_of"] == "data/cat/c0.jpg"
    assert [r["path"] for r in report.rejected] == ["data/broken.jpg"]
    assert report.rejected[0]["reason"] == "the JPEG header is damaged or incomplete"

    summary = summarize(project)
    assert summary.images == 5 and summary.labelled == 0
    assert summary.rejected == report.rejected and summary.duplicates == report.duplicates
    paths = {row[0] for row in project.conn.execute("SELECT path FROM images")}
    assert "data/.hidden/secret.png" not in paths and "data/cat/c1.jpg" in paths

    assert events[0].phase == "scanning"
    assert events[-1].phase == "importing" and events[-1].done == events[-1].total == 8

    row = project.db.query("SELECT * FROM images WHERE path = 'data/cat/c1.jpg'")
    image = next(iter(row))
    assert (image["format"], image["width"], image["height"], image["bands"]) == ("jpeg", 64, 48, 3)
    assert len(image["sha256"]) == 64


def test_thumbnails_are_cached_by_content(project, folder):
    import_paths(project, [folder])
    cache = ThumbnailCache(project.paths.cache_dir)
    try:
        for (sha,) in project.conn.execute("SELECT sha256 FROM images"):
            thumb = cache.get(sha)
            assert thumb is not None and thumb[:3] == b"\xff\xd8\xff"
    finally:
        cache.close()


def test_reimport_adds_nothing(project, folder):
    import_paths(project, [folder])
    again = import_paths(project, [folder])
    assert again.added == 0 and again.duplicates == []
    assert again.unchanged == 6  # 5 images + the duplicate's path
    assert summarize(project).images == 5


def test_labels_from_folders(project, folder):
    report = import_paths(project, [folder], ImportOptions(labels_from_folders=True))
    assert report.labelled == 5
    summary = summarize(project)
    assert summary.classes == {"cat": 3, "dog": 2}
    sources = {row[0] for row in project.conn.execute("SELECT source FROM labels")}
    assert sources == {"imported"}


def test_labels_from_folders_on_reimport_labels_only_unlabelled_images(project, folder):
    import_paths(project, [folder])
    from app.core.labelling.classes import add_class
    from app.core.labelling.labels import set_labels

    other = add_class(project, "other")
    first = project.conn.execute("SELECT id FROM images WHERE path = 'data/cat/c0.jpg'").fetchone()[0]
    set_labels(project, [(first, other.id)])  # a human decision must not be overwritten
    report = import_paths(project, [folder], ImportOptions(labels_from_folders=True))
    assert report.added == 0 and report.labelled == 4
    assert summarize(project).classes == {"other": 1, "cat": 2, "dog": 2}


def test_single_files_and_every_format(project, tmp_path):
    files = [
        synthetic.save(synthetic.random_rgb(), tmp_path / "a.webp"),
        synthetic.save(synthetic.random_rgb(seed=3), tmp_path / "a.bmp"),
        synthetic.write_tiff(
            tmp_path / "sat.tif",
            np.random.default_rng(0).integers(0, 4000, (20, 30, 6), dtype=np.uint16),
            photometric="minisblack",
            planarconfig="contig",
        ),
        synthetic.write_dicom(tmp_path / "ct.dcm", np.arange(64, dtype=np.uint16).reshape(8, 8)),
        synthetic.write_undecodable_dicom(tmp_path / "compressed.dcm"),
    ]
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(synthetic.png_bomb_header())
    report = import_paths(project, files + [bomb])
    assert report.added == 4
    reasons = {r["path"]: r["reason"] for r in report.rejected}
    assert "decompression bomb" in reasons["bomb.png"]
    assert "cannot be decoded" in reasons["compressed.dcm"]
    formats = dict(project.conn.execute("SELECT path, format || ':' || bands FROM images").fetchall())
    assert formats == {"a.webp": "webp:3", "a.bmp": "bmp:3", "sat.tif": "tiff:6", "ct.dcm": "dicom:1"}


def test_a_fixed_file_leaves_the_rejected_list(project, tmp_path):
    path = tmp_path / "later.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n broken")
    assert len(import_paths(project, [path]).rejected) == 1
    synthetic.save(synthetic.random_rgb(), path)
    assert import_paths(project, [path]).added == 1
    assert summarize(project).rejected == []


def test_missing_path_is_a_bad_argument(project, tmp_path):
    with pytest.raises(ImportInputError, match="no such file or folder"):
        import_paths(project, [tmp_path / "nowhere"])


def test_cancel_stops_early_and_keeps_what_was_done(project, tmp_path):
    for i in range(60):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "many" / f"{i:02}.png")
    stop = threading.Event()

    def on_progress(event):
        if event.phase == "importing" and event.done >= 1:
            stop.set()

    report = import_paths(project, [tmp_path / "many"], ImportOptions(workers=1), on_progress, stop.is_set)
    assert report.cancelled
    assert 1 <= report.added < 60
    assert summarize(project).images == report.added  # committed, not lost
    rest = import_paths(project, [tmp_path / "many"])
    assert rest.added == 60 - report.added and summarize(project).images == 60


def test_read_only_project_refuses_import(project, folder):
    from app.core.errors import ProjectReadOnlyError
    from app.core.project.store import Project

    with Project.open(project.file) as second:
        with pytest.raises(ProjectReadOnlyError):
            import_paths(second, [folder])


def test_image_grey_16bit_imports_with_bit_depth(project, tmp_path):
    path = tmp_path / "xray.png"
    Image.fromarray(synthetic.gradient(64, 64, 0, 40000, np.uint16)).save(path)
    import_paths(project, [path])
    assert project.conn.execute("SELECT bit_depth, mode FROM images").fetchone() == (16, "grey")
