"""A file is written whole or not at all: the target stays as it was on a failure halfway, and no
temporary file is left beside it."""

import pytest

from app.core.atomic_files import written_whole


def test_a_failure_halfway_leaves_the_old_file_and_no_temporary(tmp_path):
    out = tmp_path / "labels.csv"
    out.write_text("the old labels\n")
    with pytest.raises(ValueError):
        with written_whole(out) as f:
            f.write("half of the new ")
            raise ValueError("a bad value in row 90,000")
    assert out.read_text() == "the old labels\n"
    assert [p.name for p in tmp_path.iterdir()] == ["labels.csv"]


def test_the_file_is_replaced_whole_and_its_folder_made(tmp_path):
    out = tmp_path / "new" / "folder" / "predictions.csv"
    with written_whole(out) as f:
        f.write("path,class\r\n")
    assert out.read_bytes() == b"path,class\r\n"  # newline="" keeps what the csv module writes
    assert [p.name for p in out.parent.iterdir()] == ["predictions.csv"]
