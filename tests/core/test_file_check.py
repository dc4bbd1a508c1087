"""Files that change under the project: deleted, moved, overwritten — noticed by the check, found
again by content (relink, or importing the moved file), and flagged until a person looks again."""

import os
import shutil

from app.core.importing.file_check import check_files, relink_files
from app.core.importing.importer import ImportOptions, import_paths
from app.core.labelling.browse import ImageQuery, query_images
from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.project.summary import summarize
from tests import synthetic


def make(tmp_path):
    for i in range(4):
        synthetic.save(synthetic.random_rgb(seed=i), tmp_path / "imgs" / "cat" / f"{i}.png")
    path = tmp_path / "p.loupe"
    with Project.create(path) as project:
        import_paths(project, [tmp_path / "imgs"], ImportOptions(labels_from_folders=True))
    return path


def test_the_check_marks_missing_and_changed_files_and_files_back_again(tmp_path):
    path = make(tmp_path)
    gone = tmp_path / "imgs" / "cat" / "0.png"
    stash = tmp_path / "stash.png"
    shutil.move(gone, stash)
    synthetic.save(synthetic.random_rgb(seed=99), tmp_path / "imgs" / "cat" / "1.png")  # other pixels
    touched = tmp_path / "imgs" / "cat" / "2.png"
    os.utime(touched, ns=(1, 1))  # a new time, the same content: not a change
    with Project.open(path) as project:
        report = check_files(project)
        assert (report.checked, [m["path"] for m in report.missing]) == (4, ["imgs/cat/0.png"])
        assert [c["path"] for c in report.changed] == ["imgs/cat/1.png"]
        summary = summarize(project)
        assert (summary.missing, summary.changed, summary.labelled) == (1, 1, 4)  # labels kept
        shown = query_images(project, ImageQuery(show="missing"))
        assert sorted(shown.paths) == ["imgs/cat/0.png", "imgs/cat/1.png"]

        shutil.move(stash, gone)  # back where it was
        again = check_files(project)
        assert again.found_again == 1 and not again.missing and not again.changed
        assert summarize(project).missing == 0
        label_images(project, [2], 1)  # a person labels the changed image: the flag is answered
        assert summarize(project).changed == 0


def test_relink_finds_moved_files_by_content_and_keeps_their_labels(tmp_path):
    path = make(tmp_path)
    elsewhere = tmp_path / "new-disk" / "deep"
    elsewhere.mkdir(parents=True)
    for name in ("0.png", "3.png"):
        shutil.move(tmp_path / "imgs" / "cat" / name, elsewhere / f"renamed-{name}")
    synthetic.save(synthetic.random_rgb(seed=50), elsewhere / "unrelated.png")
    with Project.open(path) as project:
        report = relink_files(project, tmp_path / "new-disk")
        assert sorted(r["path"] for r in report.relinked) == [
            "new-disk/deep/renamed-0.png",
            "new-disk/deep/renamed-3.png",
        ]
        assert report.still_missing == 0 and report.files_looked_at == 3
        assert summarize(project).missing == 0 and summarize(project).classes == {"cat": 4}
        assert not check_files(project).missing


def test_importing_a_moved_file_relinks_it_instead_of_calling_it_a_duplicate(tmp_path):
    path = make(tmp_path)
    (tmp_path / "moved").mkdir()
    shutil.move(tmp_path / "imgs" / "cat" / "2.png", tmp_path / "moved" / "2.png")
    with Project.open(path) as project:
        report = import_paths(project, [tmp_path / "moved"])
        assert (report.added, report.duplicates) == (0, [])
        assert report.relinked == [{"path": "moved/2.png", "was": "imgs/cat/2.png"}]
        assert summarize(project).classes == {"cat": 4} and summarize(project).images == 4
        # A copy of a file that is still in place is a duplicate, as before.
        shutil.copy(tmp_path / "imgs" / "cat" / "1.png", tmp_path / "moved" / "copy.png")
        again = import_paths(project, [tmp_path / "moved"])
        assert again.duplicates == [{"path": "moved/copy.png", "duplicate_of": "imgs/cat/1.png"}]
