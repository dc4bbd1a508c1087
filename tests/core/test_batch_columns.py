"""A batch's results read as columns (what the Results table keeps of 100,000 results) are the
same results `batch_results` reads, one by one, including unreadable files, accepted labels and
the top classes."""

import gc
from pathlib import Path

from app.core.inference.batches import BatchColumns, batch_result_columns, batch_results, store_batch
from app.core.inference.predict import Prediction
from app.core.labelling.classes import add_class
from app.core.labelling.labels import set_labels
from app.core.project.store import Project


def test_columns_hold_the_same_results_and_nothing_for_the_collector(tmp_path):
    with Project.create(tmp_path / "p.loupe") as project:
        red, blue = add_class(project, "red"), add_class(project, "blue")
        predictions = [
            Prediction(None, "/in/a.png", red.id, "red", 0.9, "", ((red.id, "red", 0.9), (blue.id, "blue", 0.1))),
            Prediction(None, "/in/b.png", None, "", 0.0, "not an image"),
            Prediction(None, "/in/c.png", blue.id, "blue", 0.625, "", ((blue.id, "blue", 0.625),)),
        ]
        batch = store_batch(project, None, [Path("/in")], predictions)
        image = project.conn.execute(
            "INSERT INTO images (path, sha256, size_bytes, format, width, height, bit_depth, bands, mode)"
            " VALUES ('/in/c.png', 'c', 1, 'png', 1, 1, 8, 3, 'rgb')"
        ).lastrowid
        project.conn.execute("UPDATE batch_results SET image_id = ? WHERE path = '/in/c.png'", (image,))
        project.conn.commit()
        set_labels(project, [(image, blue.id)], source="accepted-prediction", description="accept")

        expected = batch_results(project, batch)
        columns = batch_result_columns(project, batch)
        assert len(columns) == 3 and [columns.result(i) for i in range(3)] == expected
        assert columns.accepted() == [r.accepted for r in expected] == [False, False, True]
        assert [BatchColumns.of(expected).result(i) for i in range(3)] == expected
        assert not any(gc.is_tracked(column) for column in columns.columns())  # numpy arrays: never visited
        assert len(BatchColumns()) == 0 == len(BatchColumns.of([]))
