"""A multi-frame DICOM imported as one image per frame, or as one chosen frame."""

import hashlib
import io
import shutil

import numpy as np
import pytest
from PIL import Image

from app.core.errors import ConfigError
from app.core.imaging import decode
from app.core.imaging.part_paths import frame_path
from app.core.imaging.thumbnails import ThumbnailCache
from app.core.importing import importer
from app.core.importing.importer import ImportOptions, frame_sha256, import_paths
from tests.medical_dicom import frame_stack, write_medical_dicom


@pytest.fixture
def scans(tmp_path):
    """A 4-frame series, a single-frame file and a 2-frame file."""
    folder = tmp_path / "scans"
    write_medical_dicom(folder / "cine.dcm", frame_stack(4), windows=[(2000, 4000)])  # frames brighter and brighter
    write_medical_dicom(folder / "single.dcm", frame_stack(1)[0])
    write_medical_dicom(folder / "pair.dcm", frame_stack(2) + 7)
    return folder


def _rows(project) -> dict[str, tuple]:
    return {
        path: (sha, frames)
        for path, sha, frames in project.conn.execute("SELECT path, sha256, frames FROM images ORDER BY path")
    }


def test_each_frame_becomes_an_image_with_its_own_path_hash_and_thumbnail(project, scans):
    report = import_paths(project, [scans])
    assert report.added == 4 + 1 + 2 and not report.rejected and not report.duplicates
    rows = _rows(project)
    cine_sha = hashlib.sha256((scans / "cine.dcm").read_bytes()).hexdigest()
    assert {p: v for p, v in rows.items() if "cine" in p} == {
        frame_path("scans/cine.dcm", n): (frame_sha256(cine_sha, n), 4) for n in range(4)
    }
    assert frame_sha256(cine_sha, 0) == hashlib.sha256(f"{cine_sha}:frame:0".encode()).hexdigest()
    assert rows["scans/single.dcm"][1] == 1  # a single frame: the file itself, as before
    # each row decodes to its own frame, and its thumbnail shows that frame
    cache = ThumbnailCache(project.paths.cache_dir)
    try:
        means = []
        for n in range(4):
            path = frame_path("scans/cine.dcm", n)
            image = decode(project.resolve_path(path))
            assert int(image.samples[0, 3]) == n * 1000 + 3
            thumbnail = Image.open(io.BytesIO(cache.get(rows[path][0])))
            means.append(np.asarray(thumbnail.convert("L")).mean())
        assert means == sorted(means) and len(set(np.round(means))) == 4  # each thumbnail shows its frame
    finally:
        cache.close()


def test_the_file_is_read_once_however_many_frames(project, scans, monkeypatch):
    opened = []
    real = importer.open_regular
    monkeypatch.setattr(importer, "open_regular", lambda path: opened.append(path.name) or real(path))
    monkeypatch.setattr(importer, "decode", lambda *a, **k: pytest.fail("multi-frame decoded frame by frame"))
    import_paths(project, [scans / "cine.dcm"])
    assert opened == ["cine.dcm"]


def test_first_imports_only_the_first_frame(project, scans):
    import_paths(project, [scans], ImportOptions(frames="first"))
    assert sorted(_rows(project)) == ["scans/cine.dcm::frame(0)", "scans/pair.dcm::frame(0)", "scans/single.dcm"]


def test_a_frame_number_imports_that_frame_and_rejects_files_without_it(project, scans):
    report = import_paths(project, [scans], ImportOptions(frames="2"))
    assert sorted(_rows(project)) == ["scans/cine.dcm::frame(2)", "scans/single.dcm"]
    assert report.rejected == [
        {"path": "scans/pair.dcm::frame(2)", "reason": "frame 2 does not exist; this DICOM has 2 frames (0 to 1)"}
    ]


def test_a_bad_frames_choice_is_refused_before_any_work(project, scans):
    with pytest.raises(ConfigError, match="frames must be 'each', 'first' or a frame number"):
        import_paths(project, [scans], ImportOptions(frames="some"))
    assert _rows(project) == {}


def test_reimport_moves_and_copies_of_a_multiframe_file(project, scans, tmp_path):
    import_paths(project, [scans])
    again = import_paths(project, [scans])
    assert again.added == 0 and again.unchanged == 3 and not again.duplicates  # known by its frames
    # a copy elsewhere: each frame a duplicate of the same frame
    shutil.copy(scans / "cine.dcm", tmp_path / "copy.dcm")
    copied = import_paths(project, [tmp_path / "copy.dcm"])
    assert copied.added == 0
    assert {(d["path"], d["duplicate_of"]) for d in copied.duplicates} == {
        (frame_path("copy.dcm", n), frame_path("scans/cine.dcm", n)) for n in range(4)
    }
    # the file moved: its frames follow it, keeping their ids (and so their labels)
    ids = dict(project.conn.execute("SELECT path, id FROM images"))
    (tmp_path / "moved").mkdir()
    (scans / "pair.dcm").rename(tmp_path / "moved" / "pair.dcm")
    moved = import_paths(project, [tmp_path / "moved"])
    assert moved.added == 0 and len(moved.relinked) == 2
    after = dict(project.conn.execute("SELECT path, id FROM images"))
    assert after[frame_path("moved/pair.dcm", 1)] == ids[frame_path("scans/pair.dcm", 1)]


def test_a_damaged_multiframe_file_is_rejected_frame_by_frame_and_the_import_goes_on(project, scans):
    import pydicom

    damaged = pydicom.dcmread(scans / "pair.dcm")
    damaged.PixelData = damaged.PixelData[:100]
    damaged.save_as(scans / "pair.dcm")
    report = import_paths(project, [scans])
    assert report.added == 4 + 1
    assert [r["path"] for r in report.rejected] == [frame_path("scans/pair.dcm", n) for n in range(2)]
    assert all("pixel data" in r["reason"] for r in report.rejected)
