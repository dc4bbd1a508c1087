"""The grid and the Results table keep what the user chose when their rows change: the same grid
query answered again (after an undo in an "Unlabelled" grid) moves only the rows that left or
came, so the selection, the current image and the scroll position stay; a sort of the results
keeps the selected results selected; and the grid's "Needs review" entry and the Results' "Needs
review … below" box are one project setting. (Their speed at 100,000 rows is measured in
bench/grid_speed.py and bench/results_view.py, not here.)"""

import random
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from app.core.inference.batches import store_batch
from app.core.inference.predict import Prediction
from app.core.labelling.browse import GridRows, ImageQuery
from app.core.labelling.classes import add_class
from app.core.project.settings import REVIEW_BELOW, get_setting, set_setting
from app.core.project.store import Project
from app.gui.batch_results import BatchResultsPanel
from app.gui.filter_bar import FilterBar
from app.gui.image_grid_view import ImageGridView
from app.gui.image_list_model import ImageIdRole, ImageListModel, row_changes
from app.gui.jobs import JobRunner, Lane
from app.gui.review_threshold import ReviewThreshold
from tests.gui.conftest import make_project

# -- the grid -------------------------------------------------------------------------------------


def grid_rows(image_ids) -> GridRows:
    ids = list(image_ids)
    return GridRows(ids, [f"images/img{i:03}.png" for i in ids], [None] * len(ids), [None] * len(ids))


class Heard:
    """What the model said, and whether its rows agreed with its count when it said it."""

    def __init__(self, model: ImageListModel):
        self.model, self.said, self.consistent = model, [], True
        for name in ("rowsRemoved", "rowsInserted", "modelReset", "layoutChanged"):
            getattr(model, name).connect(lambda *args, name=name: self.heard(name, args))

    def heard(self, name: str, args) -> None:
        self.said.append((name, tuple(args[1:3])) if name.startswith("rows") else (name, ()))
        model = self.model
        self.consistent &= model.rowCount() == len(model.rows.image_ids) == len(model.rows.paths)
        self.consistent &= all(
            model.index(row).data(ImageIdRole) == model.rows.image_ids[row] for row in range(model.rowCount())
        )


@pytest.fixture
def grid(qtbot):
    model = ImageListModel()
    view = ImageGridView(model)
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    qtbot.waitExposed(view)
    model.set_rows(grid_rows(range(1, 61)), ImageQuery(show="unlabelled"))
    return model, view


def selected(view: ImageGridView) -> set[int]:
    return {index.data(ImageIdRole) for index in view.selectionModel().selectedIndexes()}


def test_the_same_query_with_a_row_gone_removes_that_row_and_keeps_the_selection(qtbot, grid):
    model, view = grid
    query = model.query
    view.select_image(30)
    for image_id in (10, 45):
        view.selectionModel().select(model.index(model.row_of(image_id)), QItemSelectionModel.SelectionFlag.Select)
    view.verticalScrollBar().setValue(view.verticalScrollBar().maximum() // 2)
    scrolled = view.verticalScrollBar().value()
    heard = Heard(model)

    model.set_rows(grid_rows(i for i in range(1, 61) if i != 20), query)  # image 20 was labelled meanwhile
    assert heard.said == [("rowsRemoved", (19, 19))] and heard.consistent  # no modelReset
    assert model.rowCount() == 59 and model.row_of(30) == 28 and model.row_of(20) is None
    assert view.current_image_id() == 30 and selected(view) == {10, 30, 45}
    qtbot.wait(50)  # the view lays its rows out again meanwhile
    assert view.verticalScrollBar().value() == scrolled

    heard.said.clear()
    model.set_rows(grid_rows(range(1, 61)), query)  # an undo: it is back
    assert heard.said == [("rowsInserted", (19, 19))] and heard.consistent
    assert model.rows.image_ids == list(range(1, 61)) and model.row_of(20) == 19
    assert view.current_image_id() == 30 and selected(view) == {10, 30, 45}

    heard.said.clear()
    model.set_rows(grid_rows([5, *range(21, 61)]), query)  # two runs leave
    assert heard.said == [("rowsRemoved", (5, 19)), ("rowsRemoved", (0, 3))] and heard.consistent
    assert view.current_image_id() == 30 and selected(view) == {30, 45}


def test_the_current_image_leaving_and_other_queries_reset(qtbot, grid):
    model, view = grid
    view.select_image(30)
    heard = Heard(model)
    model.set_rows(grid_rows(i for i in range(1, 61) if i != 30), model.query)
    assert heard.said == [("rowsRemoved", (29, 29))] and heard.consistent
    assert view.current_image_id() in (29, 31)  # Qt moved it to a neighbour

    heard.said.clear()
    model.set_rows(grid_rows(range(1, 61)), ImageQuery(show="all"))  # another filter: a reset
    assert heard.said == [("modelReset", ())] and model.rowCount() == 60

    heard.said.clear()
    model.set_rows(grid_rows(reversed(range(1, 61))), ImageQuery(show="all"))  # a new order: a reset
    assert heard.said == [("modelReset", ())] and model.rows.image_ids[0] == 60


def test_labels_leaving_an_unlabelled_grid_go_in_runs(qtbot, grid):
    model, view = grid
    view.select_image(40)
    heard = Heard(model)
    model.apply_labels({i: 1 for i in (3, 4, 5, 9)})  # an "unlabelled" grid: they leave
    assert heard.said == [("rowsRemoved", (8, 8)), ("rowsRemoved", (2, 4))] and heard.consistent
    assert model.row_of(40) == 35 and view.current_image_id() == 40


def test_row_changes_finds_the_rows_that_left_and_came():
    assert row_changes([1, 2, 3, 4], [1, 2, 3, 4]) == ([], [])
    assert row_changes([1, 2, 3, 4], [1, 3, 4]) == ([(1, 1)], [])
    assert row_changes([1, 3, 4], [0, 1, 2, 3, 4, 5]) == ([], [(0, 0), (2, 2), (5, 5)])
    assert row_changes([1, 2, 3, 4, 5], [1, 6, 7, 4, 5]) == ([(1, 2)], [(1, 2)])
    assert row_changes([1, 2, 3], [1, 3, 2]) is None  # a new order is not rows leaving and coming
    assert row_changes([None, None], [None]) is None  # rejected files have no ids


def test_an_undo_in_an_unlabelled_grid_brings_the_image_back_without_a_reset(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path, images=12))
    window.filter_bar.show_filter("unlabelled")
    qtbot.waitUntil(lambda: window.model.query.show == "unlabelled" and not window.jobs.busy(Lane.INTERACTIVE))
    window.grid.select_image(window.model.image_id(5))
    chosen = window.grid.current_image_id()
    window.labelling.apply(window.session.classes[0].id)
    qtbot.waitUntil(lambda: window.labelling.idle and window.model.row_of(chosen) is None)
    heard = Heard(window.model)
    window.labelling.undo()
    qtbot.waitUntil(lambda: window.model.row_of(chosen) is not None and window.grid.current_image_id() == chosen)
    qtbot.waitUntil(lambda: window.labelling.idle and not window.jobs.busy(Lane.INTERACTIVE))
    assert ("rowsInserted", (5, 5)) in heard.said and ("modelReset", ()) not in heard.said and heard.consistent


# -- the Results table ----------------------------------------------------------------------------


@pytest.fixture
def results(qtbot, tmp_path):
    """A Results panel showing a stored batch of 40 results (three classes, seeded confidences)."""
    project = Project.create(tmp_path / "results.loupe")
    classes = [add_class(project, name) for name in ("red", "green", "blue")]
    rng = random.Random(3)
    predictions = []
    for i in range(40):
        c, other = classes[i % 3], classes[(i + 1) % 3]
        p = round(rng.random(), 3)
        predictions.append(
            Prediction(
                None, f"/data/scan-{i:02}.png", c.id, c.name, p, "", ((c.id, c.name, p), (other.id, other.name, 0.1))
            )
        )
    store_batch(project, None, [Path("/data")], predictions)
    jobs = JobRunner()
    panel = BatchResultsPanel(project, jobs, classes)
    qtbot.addWidget(panel)
    panel.resize(900, 400)
    panel.show()
    panel.refresh()
    qtbot.waitUntil(lambda: panel.loads == 1 and panel.model.rowCount() == 40)
    yield project, jobs, panel
    panel.shut_down()
    jobs.shutdown()
    project.close()


def shown_confidences(panel) -> list[float]:
    return [panel.model.result(row).confidence for row in range(panel.model.rowCount())]


def test_a_sort_keeps_the_selected_results_selected(qtbot, results):
    project, jobs, panel = results
    chosen = [panel.model.rows[i].id for i in (2, 3, 4, 17, 30)]
    panel.select_results(chosen)
    current = panel.model.rows[17].id
    panel.table.selectionModel().setCurrentIndex(
        panel.model.index(panel.model.row_of(current), 0), QItemSelectionModel.SelectionFlag.NoUpdate
    )

    panel.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)  # a click on the Confidence header
    confidences = shown_confidences(panel)
    assert confidences == sorted(confidences, reverse=True)
    assert sorted(panel.selected_result_ids()) == sorted(chosen)
    rows = sorted(panel.model.row_of(i) for i in chosen)
    assert [panel.model.result(row).id for row in rows] == panel.selected_result_ids()  # in row order
    assert panel.model.result(panel.table.currentIndex().row()).id == current

    panel.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by name, then a filter: still the same
    panel.class_box.setCurrentIndex(panel.class_box.findText("red"))
    panel.on_filters_changed()
    red = {r.id for r in panel.model.rows if r.label == "red"}
    assert set(panel.selected_result_ids()) == set(chosen) & red
    panel.class_box.setCurrentIndex(0)
    panel.on_filters_changed()
    assert set(panel.selected_result_ids()) == set(chosen) & red  # the others were hidden, then let go

    panel.table.selectAll()
    panel.table.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert len(panel.selected_result_ids()) == 40
    assert len(panel.table.selectionModel().selection()) == 1  # one range, not one per row


def test_reading_the_batch_again_keeps_the_selection_by_result_id(qtbot, results):
    project, jobs, panel = results
    panel.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    chosen = [panel.model.result(row).id for row in (0, 1, 5)]
    panel.select_results(chosen)
    loads = panel.loads
    panel.reload()  # after an accept, say
    qtbot.waitUntil(lambda: panel.loads > loads)
    assert sorted(panel.selected_result_ids()) == sorted(chosen)
    assert [panel.model.result(row).id for row in range(2)] == chosen[:2]


# -- one "needs review" threshold -----------------------------------------------------------------


def needs_review_entry(bar: FilterBar) -> str | None:
    texts = [bar.show_box.itemText(i) for i in range(bar.show_box.count())]
    return next((t for t in texts if t.startswith("Needs review")), None)


def test_the_grid_and_the_results_follow_the_one_review_setting(qtbot, results):
    project, jobs, panel = results
    bar = FilterBar(project=project)
    qtbot.addWidget(bar)
    bar.set_run(1)  # a run is active: its predictions can be filtered on
    assert needs_review_entry(bar) == "Needs review (< 80 %)" and panel.threshold.value() == 80
    bar.show_filter("low_confidence")
    assert bar.query().threshold == pytest.approx(0.8)

    with qtbot.waitSignal(bar.queryChanged) as asked:  # the grid shows those images: it asks again
        panel.threshold.setValue(90)
    assert asked.args[0].show == "low_confidence" and asked.args[0].threshold == pytest.approx(0.9)
    assert needs_review_entry(bar) == "Needs review (< 90 %)" and bar.show_box.currentText() == "Needs review (< 90 %)"
    assert panel.model.review_below == pytest.approx(0.9)
    qtbot.waitUntil(lambda: not jobs.busy(Lane.WRITE))
    assert get_setting(project, REVIEW_BELOW) == pytest.approx(0.9)  # saved in the write lane

    ReviewThreshold.of(project).set(0.65, jobs)  # from anywhere: the box follows too
    assert panel.threshold.value() == 65 and needs_review_entry(bar) == "Needs review (< 65 %)"
    qtbot.waitUntil(lambda: not jobs.busy(Lane.WRITE))
    assert get_setting(project, REVIEW_BELOW) == pytest.approx(0.65)


def test_the_window_s_show_list_uses_the_project_s_review_setting(qtbot, tmp_path, open_window):
    path = make_project(tmp_path, images=3)
    with Project.open(path) as project:
        set_setting(project, REVIEW_BELOW, 0.7)
    window = open_window(path)
    assert window.filter_bar.review is ReviewThreshold.of(window.project)
    assert window.filter_bar.review.value == pytest.approx(0.7)
    assert window.filter_bar.query().threshold == pytest.approx(0.7)
