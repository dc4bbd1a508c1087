"""Every input name and file kind handled (issue 19), in the core: a named pipe among the images
is refused at once instead of waited on for ever, a name whose bytes are not UTF-8 is stored,
found again, decoded and written out as `\\xNN`, and a palette TIFF with an alpha sample that
Pillow opens is no longer refused.

Tests that could wait on a named pipe run it in a thread with a deadline: on a hang the pipe is
opened for writing, which releases the reader, and the test fails instead of never ending."""

from __future__ import annotations

import csv
import os
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.core.errors import ImageError
from app.core.file_names import real_name, shown, tsv_field
from app.core.imaging import DecodeOptions, decode
from app.core.imaging.pillow_decoder import flatten_alpha
from app.core.imaging.regular_files import NotRegularFile, open_regular
from app.core.imaging.thumbnails import file_thumbnail_key
from app.core.importing.file_check import check_files, file_hash
from app.core.importing.folder_walk import walk_files
from app.core.importing.importer import ImportOptions, import_paths
from app.core.inference.predict import Prediction, expand_inputs, write_predictions_csv
from tests import synthetic

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes and byte names are POSIX")

PIPE_REASON = "not a regular file (a named pipe)"
#: Bytes no UTF-8 decoder takes: how a name from another system or an old archive arrives.
LATIN_BYTES = b"\xff\xfe.png"
RDF_TIF = Path(__file__).parents[1] / "fixtures" / "images" / "rdf.tif"


def within(seconds: float, work, *pipes: Path):
    """`work()`'s result, or a failed test when it is still running after `seconds` (blocked on
    one of `pipes`: opening each for writing lets the blocked reader go)."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for pipe in pipes:
            try:
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass
        thread.join(5)
        pytest.fail(f"still running after {seconds} s: blocked on a named pipe")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def undecodable(folder: Path, name: bytes = LATIN_BYTES) -> Path:
    """The path of a file in `folder` whose name holds bytes that are not UTF-8 (as Python gives
    it: lone surrogates)."""
    return folder / os.fsdecode(name)


# -- Named pipes ---------------------------------------------------------------------------------


def test_a_named_pipe_is_refused_at_once_by_every_reader(tmp_path):
    pipe = tmp_path / "x.png"
    os.mkfifo(pipe)
    with pytest.raises(NotRegularFile) as refused:
        within(5, lambda: open_regular(pipe), pipe)
    assert refused.value.strerror == PIPE_REASON
    with pytest.raises(ImageError, match=r"not a regular file \(a named pipe\)"):
        within(5, lambda: decode(pipe), pipe)
    with pytest.raises(OSError):
        within(5, lambda: file_hash(pipe), pipe)


def test_the_walk_lists_a_named_pipe_apart_with_its_reason(tmp_path):
    synthetic.save(synthetic.random_rgb(8, 8), tmp_path / "a.png")
    os.mkfifo(tmp_path / "x.png")
    os.mkfifo(tmp_path / "y")
    (listing,) = list(walk_files(tmp_path))
    assert listing.files == ["a.png"]
    assert listing.not_regular == [("x.png", PIPE_REASON), ("y", PIPE_REASON)]


def test_an_import_rejects_a_named_pipe_and_imports_the_rest(project, tmp_path):
    folder = tmp_path / "in"
    synthetic.save(synthetic.random_rgb(8, 8), folder / "a.png")
    pipes = [folder / "x.png", folder / "stream", tmp_path / "given"]
    for pipe in pipes:
        os.mkfifo(pipe)

    report = within(20, lambda: import_paths(project, [folder, tmp_path / "given"], ImportOptions(workers=2)), *pipes)

    assert report.added == 1
    # named as an image, or given by name: the user hears why; any other pipe is skipped
    assert report.rejected == [{"path": "in/x.png", "reason": PIPE_REASON}, {"path": "given", "reason": PIPE_REASON}]
    assert report.skipped == 1


def test_a_check_takes_an_image_replaced_by_a_named_pipe_for_missing(project, tmp_path):
    image = synthetic.save(synthetic.random_rgb(8, 8), tmp_path / "in" / "a.png")
    assert import_paths(project, [image]).added == 1
    image.unlink()
    os.mkfifo(image)

    report = within(10, lambda: check_files(project), image)

    assert [m["path"] for m in report.missing] == ["in/a.png"]


def test_predict_lists_named_pipes_with_their_reason_and_never_opens_them(tmp_path):
    folder = tmp_path / "in"
    synthetic.save(synthetic.random_rgb(8, 8), folder / "a.png")
    pipes = [folder / "x.png", folder / "no-suffix", tmp_path / "given"]
    for pipe in pipes:
        os.mkfifo(pipe)

    files, rejected = within(10, lambda: expand_inputs([folder, tmp_path / "given"]), *pipes)

    assert files == [folder / "a.png"]  # a pipe without an image's name is not an image file
    assert rejected == [
        {"path": str(folder / "x.png"), "reason": PIPE_REASON},
        {"path": str(tmp_path / "given"), "reason": PIPE_REASON},
    ]


# -- Names that are not UTF-8 ---------------------------------------------------------------------


def test_shown_escapes_only_the_bytes_that_are_not_utf8_and_real_name_undoes_it():
    name = os.fsdecode(b"/scans/caf\xc3\xa9-\xff\xfe.png")  # é in UTF-8, then two bytes that are not
    assert shown(name) == "/scans/café-\\xff\\xfe.png"
    assert shown(name).encode("utf-8")  # valid text for SQLite, a terminal, JSON, CSV
    assert real_name(shown(name)) == name
    assert shown("/scans/plain.png") == "/scans/plain.png"
    assert real_name("/scans/plain.png") == "/scans/plain.png"
    assert shown(b"/scans/\xff.png") == "/scans/\\xff.png"


def test_a_tsv_field_escapes_what_would_split_a_line_or_a_field():
    name = os.fsdecode(b"/in/a\tb\nc\rd\\e\xff.png")
    field = tsv_field(name)
    assert "\t" not in field and "\n" not in field and "\r" not in field
    assert field == "/in/a\\tb\\nc\\rd\\\\e\\xff.png"


def test_a_name_that_is_not_utf8_is_imported_found_again_and_decoded(project, tmp_path):
    folder = tmp_path / "in"
    synthetic.save(synthetic.random_rgb(8, 8, seed=1), folder / "plain.png")
    odd = synthetic.save(synthetic.random_rgb(8, 8, seed=2), undecodable(folder))
    label_folder = undecodable(folder, b"caf\xe9")  # a folder (a class) named in Latin-1
    synthetic.save(synthetic.random_rgb(8, 8, seed=3), label_folder / "x.png")

    report = import_paths(project, [folder], ImportOptions(labels_from_folders=True, workers=2))

    assert report.added == 3 and report.rejected == []  # one odd name used to fail its whole batch
    stored = sorted(row[0] for row in project.conn.execute("SELECT path FROM images"))
    assert stored == ["in/\\xff\\xfe.png", "in/caf\\xe9/x.png", "in/plain.png"]
    assert project.resolve_path("in/\\xff\\xfe.png") == odd
    assert project.resolve_path("in/plain.png") == folder / "plain.png"
    assert "caf\\xe9" in {row[0] for row in project.conn.execute("SELECT name FROM classes")}
    assert np.array_equal(np.asarray(decode(project.resolve_path(stored[0])).rgb), np.asarray(Image.open(odd)))
    assert check_files(project).missing == []
    assert import_paths(project, [folder]).unchanged == 3  # recognised by its stored name
    literal = synthetic.save(synthetic.random_rgb(8, 8, seed=4), tmp_path / "in" / "a\\xff.png")
    assert import_paths(project, [literal]).added == 1  # `\\xff` as characters: the name as written
    assert project.resolve_path("in/a\\xff.png") == literal


def test_the_predictions_csv_is_utf8_whatever_the_names(tmp_path):
    odd = undecodable(tmp_path)
    predictions = [
        Prediction(None, str(odd), 0, "cat", 0.9, top=((0, "cat", 0.9),)),
        Prediction(None, str(tmp_path / "new\nline.png"), None, "", 0.0, "the file is empty"),
    ]
    out = tmp_path / "out.csv"

    write_predictions_csv(predictions, out, top_k=1)

    with out.open(newline="", encoding="utf-8") as f:  # strict: the file is valid UTF-8
        rows = list(csv.DictReader(f))
    assert [r["path"] for r in rows] == [shown(odd), str(tmp_path / "new\nline.png")]


def test_a_file_from_outside_the_project_with_such_a_name_has_a_thumbnail_key(tmp_path):
    odd = synthetic.save(synthetic.random_rgb(8, 8), undecodable(tmp_path))
    assert file_thumbnail_key(odd, DecodeOptions()).startswith("file:")


# -- A TIFF Pillow opens ----------------------------------------------------------------------------


def test_a_palette_tiff_with_an_alpha_sample_decodes_as_pillow_shows_it():
    """rdf.tif from Pillow's own test images (python-pillow/Pillow, Tests/images/rdf.tif; Pillow's
    HPND licence): a palette with an unassociated alpha sample, two samples per pixel, LZW.
    tifffile reads it as H×W×2; Loupe refused it ("Cannot handle this data type")."""
    decoded = decode(RDF_TIF)

    with Image.open(RDF_TIF) as reference:
        assert reference.mode == "PA"
        expected = np.asarray(flatten_alpha(reference))  # transparent pixels on white, as every viewer
    assert decoded.info.format == "tiff" and decoded.info.mode == "palette" and decoded.info.bands == 2
    assert np.array_equal(np.asarray(decoded.rgb), expected)
