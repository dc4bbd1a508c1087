"""The project and every input under abuse (short runs; bench/soak.py and bench/fuzz_decoders.py
run the same harnesses for long): kill -9 while labelling and while training, a training run
and fast labelling at once, and mutated image files of every format."""

import random
import threading

import pytest

from app.core.labelling.labels import label_images
from app.core.project.store import Project
from app.core.training import TrainConfig, train
from tests import abuse


def test_kill_9_while_labelling_loses_no_committed_label(tmp_path):
    path = abuse.make_labelling_project(tmp_path, images=5000)
    report = abuse.kill_while_labelling(path, kills=20, rng=random.Random(7))
    assert report.kills == 20 and report.printed > 20  # labels were being made when killed
    assert report.lost == [] and report.integrity_failures == 0


def test_kill_9_while_training_leaves_an_interrupted_run_and_no_half_model(colour_project, tiny_vit):
    # 30 epochs of 24 images take about two seconds here: kills early, midway and near the end
    # (steps, evaluations and the save of the model fall among them).
    report = abuse.kill_while_training(colour_project, tiny_vit, [0.2, 1.0, 1.9])
    assert report.kills >= 2 and report.interrupted_marked >= 1, report
    # Every run is either interrupted or done with its model (killed while the process ended).
    assert report.interrupted_marked + report.done_with_model == report.runs == 3
    assert report.leftovers == [] and report.next_run_trained


def test_training_and_fast_labelling_at_once_never_lock_and_lose_nothing(colour_project, tiny_vit):
    errors, made = [], {}
    with Project.open(colour_project) as project:
        ids = [row[0] for row in project.conn.execute("SELECT id FROM images")]
        classes = [row[0] for row in project.conn.execute("SELECT id FROM classes")]
        done = threading.Event()

        def labeller():
            rng = random.Random(1)
            while not done.is_set():
                image, cls = rng.choice(ids), rng.choice(classes)
                try:
                    label_images(project, [image], cls)
                    made[image] = cls
                except Exception as exc:  # noqa: BLE001 - counted, then asserted empty
                    errors.append(repr(exc))

        thread = threading.Thread(target=labeller, name="loupe-test-labeller")
        thread.start()
        try:
            result = train(
                project,
                TrainConfig(
                    model=str(tiny_vit), method="full", epochs=3, batch_size=2, workers=0, device="cpu", patience=0
                ),
            )
        finally:
            done.set()
            thread.join()
        stored = dict(project.conn.execute("SELECT image_id, class_id FROM labels"))
    assert result.status == "done" and len(made) > 10
    assert errors == []  # no "database is locked", nothing else either
    assert all(stored[image] == cls for image, cls in made.items())


def test_mutated_files_of_every_format_never_crash_or_hang_the_decoder(tmp_path):
    seeds = abuse.seed_files(tmp_path / "seeds")
    worker = abuse.DecodeWorker(seconds=30)
    try:
        report = abuse.fuzz_decoders(seeds, tmp_path / "mutants", count=300, rng=random.Random(11), worker=worker)
    finally:
        worker.close()
    assert report.tried == 300 and report.refused > 50 and report.decoded > 20
    assert report.crashes == [] and report.hangs == [] and report.bad_reasons == []


@pytest.fixture
def colour_project(tmp_path):
    from tests.tiny_models import make_colour_project

    return make_colour_project(tmp_path, per_class=8)


def test_a_metrics_write_kept_waiting_by_a_labelling_burst_waits_for_the_next_epoch(project):
    """The write lock held past the busy timeout (another connection writing labels without a
    pause) no longer fails the run at an epoch's metrics: they are kept and written later; only
    the last write, after three turns, gives up."""
    import sqlite3

    from app.core.training.runs import run_metrics
    from app.core.training.trainer import _RunRecorder
    from tests.synthetic_runs import record_finished_run

    run_id = record_finished_run(project, [], [{"id": 1, "name": "a"}])
    project.conn.execute("PRAGMA busy_timeout = 50")  # the recorder's thread's connection
    recorder = _RunRecorder(project, run_id, lambda event: None, memory=None)
    recorder.rows = [(1, 0.5, "train_loss", 0.9), (2, 1.0, "train_loss", 0.7)]
    other = sqlite3.connect(project.paths.file, timeout=0)
    other.execute("BEGIN IMMEDIATE")  # a labelling burst's write, not yet committed
    recorder.flush()
    assert len(recorder.rows) == 2  # kept, not lost and not raised
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        recorder.flush(last=True)
    other.rollback()
    other.close()
    recorder.flush(last=True)
    assert recorder.rows == [] and [value for _, _, value in run_metrics(project, run_id, "train_loss")] == [0.9, 0.7]
