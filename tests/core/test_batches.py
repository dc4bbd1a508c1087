"""Batches kept in the project: the migration, storing what a run classified (also when
cancelled), accepting results as labels in one undoable action, CSV export and deletion."""

import csv
import sqlite3

import pytest

from app.core.errors import LoupeError
from app.core.inference.batches import (
    accept_as_labels,
    batch_results,
    batches,
    classify_into_batch,
    delete_batch,
    export_batch_csv,
    get_batch,
    import_for_accept,
    store_batch,
)
from app.core.inference.predict import classify_files
from app.core.labelling.labels import current_labels, undo
from app.core.project.schema import migrate
from app.core.project.store import Project
from tests.predict_runs import active_linear_run, project_copy
from tests.tiny_models import COLOURS, colour_image


@pytest.fixture(scope="module")
def trained_template(tmp_path_factory, tiny_vit):
    """A colour project (3 classes × 8 images) with a linear run trained on it, made active."""
    return active_linear_run(tmp_path_factory.mktemp("batch-template"), tiny_vit, per_class=8, epochs=15)


@pytest.fixture
def trained(trained_template, tmp_path):
    """A fresh copy of the trained project (its images and models folder too), and new images
    outside the project folder to classify."""
    template, run = trained_template
    new = tmp_path / "incoming"
    new.mkdir()
    for i, name in enumerate(["red", "green", "blue"] * 2):
        colour_image(COLOURS[name], seed=5000 + i).save(new / f"{i:02}-{name}.png")
    (new / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    return project_copy(template, tmp_path / "project"), run, new


def test_the_migration_adds_batches_to_an_older_project(tmp_path):
    path = tmp_path / "old.loupe"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    migrate(conn, target=8)
    conn.close()
    with Project.open(path) as project:
        tables = set(project.db.table_names())
        assert {"batches", "batch_results"} <= tables
        columns = {c.name for c in project.db["batch_results"].columns}
        assert {"batch_id", "path", "class_id", "confidence", "top", "reason", "image_id"} <= columns
        assert batches(project) == []
    assert (tmp_path / "old.loupe.v8.bak").exists()


def test_a_batch_keeps_every_file_with_its_top_classes_and_reasons(trained):
    path, run, new = trained
    with Project.open(path) as project:
        events = []
        batch_id = classify_into_batch(project, [new], on_progress=events.append, device="cpu")
        batch = get_batch(project, batch_id)
        assert batch.run_id == run and batch.status == "finished" and batch.inputs == (str(new),)
        assert (batch.total, batch.classified, batch.failed) == (7, 6, 1)
        assert events and events[-1].done == events[-1].total
        results = batch_results(project, batch_id)
        assert [r.path for r in results] == sorted(str(p) for p in new.iterdir())  # absolute, in input order
        broken = results[-1]
        assert broken.class_id is None and broken.reason and broken.top == ()
        names = {"red", "green", "blue"}
        for r in results[:-1]:
            assert r.label in names and 0 < r.confidence <= 1 and r.image_id is None and not r.accepted
            assert len(r.top) == 3 and r.top[0] == (r.class_id, r.label, pytest.approx(r.confidence))
            assert {name for _, name, _ in r.top} == names
        right = sum(r.label in r.path for r in results[:-1])
        assert right >= 4  # the run learned the colours
        assert [b.id for b in batches(project)] == [batch_id]
        assert "7 images · run" in batch.title


def test_a_cancelled_batch_keeps_what_was_classified(trained):
    path, run, new = trained
    for i in range(40):
        colour_image(COLOURS["red"], seed=7000 + i).save(new / f"more{i:02}.png")
    with Project.open(path) as project:
        batch_id = classify_into_batch(project, [new], should_stop=_stop_after_first_progress(), device="cpu")
        batch = get_batch(project, batch_id)
        results = batch_results(project, batch_id)
        assert batch.status == "cancelled" and batch.total == 47  # every file found, the broken one too
        assert 0 < batch.classified < 46 and len(results) == batch.classified + batch.failed
        assert all(r.class_id is not None for r in results if not r.reason)
        assert "(cancelled)" in batch.title


def _stop_after_first_progress():
    asked = []

    def should_stop() -> bool:
        asked.append(1)
        return len(asked) > 1

    return should_stop


def test_a_batch_cut_off_while_written_says_it_is_incomplete(trained, monkeypatch):
    """A failure (a crash, a full disk) between two chunks of results leaves a batch that says
    it was cancelled, not one that claims results it lacks."""
    import app.core.inference.batches as batches_module

    path, run, new = trained
    monkeypatch.setattr(batches_module, "_CHUNK", 2)
    with Project.open(path) as project:
        predictions = classify_files(project, [new], device="cpu").predictions
        project.conn.execute(
            "CREATE TEMP TRIGGER cut BEFORE INSERT ON batch_results WHEN NEW.position = 3"
            " BEGIN SELECT RAISE(ABORT, 'disk full'); END"
        )
        with pytest.raises(sqlite3.IntegrityError, match="disk full"):
            store_batch(project, run, [new], predictions)
        (cut,) = batches(project)
        assert cut.status == "cancelled" and len(batch_results(project, cut.id)) == 2
        project.conn.execute("DROP TRIGGER cut")
        whole = store_batch(project, run, [new], predictions)
        assert get_batch(project, whole).status == "finished" and len(batch_results(project, whole)) == len(predictions)


def test_accept_imports_in_place_labels_as_one_action_and_one_undo_takes_them_back(trained):
    path, run, new = trained
    with Project.open(path) as project:
        batch_id = classify_into_batch(project, [new], device="cpu")
        results = batch_results(project, batch_id)
        chosen = results[:2]
        images_before = project.conn.execute("SELECT count(*) FROM images").fetchone()[0]
        actions_before = project.conn.execute("SELECT count(*) FROM label_actions").fetchone()[0]

        accepted = accept_as_labels(project, batch_id, [r.id for r in chosen])

        assert accepted.action and accepted.added == 2 and len(accepted.image_ids) == 2 and not accepted.skipped
        rows = project.conn.execute(
            "SELECT i.path, l.class_id, l.source FROM images i JOIN labels l ON l.image_id = i.id WHERE i.id IN (?, ?)",
            accepted.image_ids,
        ).fetchall()
        assert sorted(rows) == sorted((r.path, r.class_id, "accepted-prediction") for r in chosen)
        assert all((new / p.split("/")[-1]).exists() for p, _, _ in rows)  # the files stayed where they were
        assert project.conn.execute("SELECT count(*) FROM images").fetchone()[0] == images_before + 2
        assert project.conn.execute("SELECT count(*) FROM label_actions").fetchone()[0] == actions_before + 1
        after = batch_results(project, batch_id)
        assert [r.accepted for r in after] == [True, True] + [False] * (len(after) - 2)
        assert after[0].image_id in accepted.image_ids

        taken_back = undo(project)  # one undo takes every accepted label back
        assert set(taken_back.image_ids) == set(accepted.image_ids)
        assert current_labels(project, accepted.image_ids) == dict.fromkeys(accepted.image_ids)
        assert not any(r.accepted for r in batch_results(project, batch_id))
        # the images stay in the project, unlabelled, ready for labelling
        assert project.conn.execute("SELECT count(*) FROM images").fetchone()[0] == images_before + 2


def test_the_files_are_imported_first_as_a_window_does_then_accepted(trained):
    """The window imports in its import lane, then labels in the write lane: the same result."""
    path, run, new = trained
    with Project.open(path) as project:
        batch_id = classify_into_batch(project, [new], device="cpu")
        ids = [r.id for r in batch_results(project, batch_id)]  # the broken file among them
        images_before = project.conn.execute("SELECT count(*) FROM images").fetchone()[0]
        labels_before = project.conn.execute("SELECT count(*) FROM labels").fetchone()[0]

        added = import_for_accept(project, batch_id, ids[:3])
        assert added == 3 and import_for_accept(project, batch_id, ids[:3]) == 0  # nothing twice
        assert project.conn.execute("SELECT count(*) FROM labels").fetchone()[0] == labels_before  # not labelled yet
        accepted = accept_as_labels(project, batch_id, ids[:3], already_added=added)

        assert accepted.added == 3 and len(accepted.image_ids) == 3
        assert project.conn.execute("SELECT count(*) FROM images").fetchone()[0] == images_before + 3
        assert set(current_labels(project, accepted.image_ids).values()) <= {
            r.class_id for r in batch_results(project, batch_id)
        }


def test_accept_as_a_chosen_class_and_files_already_in_the_project(trained):
    path, run, new = trained
    with Project.open(path) as project:
        inside = project.paths.root / "images" / "red"
        batch_id = classify_into_batch(project, [inside / "red000.png", new / "broken.png"], device="cpu")
        known, broken = batch_results(project, batch_id)
        green = project.conn.execute("SELECT id FROM classes WHERE name = 'green'").fetchone()[0]
        image_id = project.conn.execute("SELECT id FROM images WHERE path = 'images/red/red000.png'").fetchone()[0]

        accepted = accept_as_labels(project, batch_id, [known.id, broken.id], class_id=green)

        assert accepted.added == 0 and accepted.image_ids == (image_id,)
        assert accepted.skipped == ({"path": broken.path, "reason": broken.reason},)
        assert current_labels(project, [image_id]) == {image_id: green}
        assert project.conn.execute("SELECT source FROM labels WHERE image_id = ?", (image_id,)).fetchone()[0] == (
            "accepted-prediction"
        )
        with pytest.raises(LoupeError, match="no class"):
            accept_as_labels(project, batch_id, [known.id], class_id=9999)


def test_export_csv_and_delete(trained, tmp_path):
    path, run, new = trained
    with Project.open(path) as project:
        batch_id = classify_into_batch(project, [new], device="cpu")
        out = export_batch_csv(project, batch_id, tmp_path / "out" / "batch.csv")
        with out.open(newline="") as f:
            rows = list(csv.DictReader(f))
        assert out.is_absolute() and len(rows) == 7
        assert list(rows[0])[:5] == ["path", "class", "confidence", "top_2_class", "top_2_probability"]
        assert rows[-1]["error"] and all(row["path"].startswith(str(new)) for row in rows)

        delete_batch(project, batch_id)
        assert batches(project) == []
        assert project.conn.execute("SELECT count(*) FROM batch_results").fetchone()[0] == 0
        with pytest.raises(LoupeError, match="no batch"):
            batch_results(project, batch_id)


def test_without_an_active_run_classifying_says_so(tmp_path):
    with Project.create(tmp_path / "empty.loupe") as project:
        (tmp_path / "x.png").write_bytes(b"")
        with pytest.raises(LoupeError, match="no run is active"):
            classify_into_batch(project, [tmp_path / "x.png"])


def test_accepting_a_multi_frame_file_labels_the_frame_it_classified(trained):
    """A batch classifies a multi-frame DICOM by its first frame: accepting it imports and labels
    that frame only (not every frame), and labels the project's own first frame when it has it."""
    from app.core.importing.importer import import_paths
    from tests.medical_dicom import frame_stack, write_medical_dicom

    path, run, new = trained
    cine = new / "cine" / "cine.dcm"
    write_medical_dicom(cine, frame_stack(3))
    with Project.open(path) as project:
        batch_id = classify_into_batch(project, [cine], device="cpu")
        [result] = batch_results(project, batch_id)
        accepted = accept_as_labels(project, batch_id, [result.id])
        assert accepted.added == 1 and not accepted.skipped
        [(stored,)] = project.conn.execute("SELECT path FROM images WHERE id = ?", accepted.image_ids).fetchall()
        assert stored.endswith("cine.dcm::frame(0)")
        undo(project)

        import_paths(project, [cine])  # every frame an image, as a user's import makes them
        again = accept_as_labels(project, batch_id, [result.id])
        assert again.added == 0 and again.image_ids == accepted.image_ids  # the same first frame
