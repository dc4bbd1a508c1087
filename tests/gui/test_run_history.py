"""The Runs tab lists runs without reading their reports: only the shown run's is parsed."""

import json

from app.core.labelling.classes import add_class
from app.core.project.store import Project
from app.core.training import runs as core_runs
from app.gui.jobs import JobRunner
from app.gui.run_history import COLUMNS, RunHistoryPanel
from tests.gui.test_labelling_window import project_of_rows
from tests.sqlite_work import sqlite_work
from tests.synthetic_runs import record_finished_run


class ReportParses:
    """json for app.core.training.runs that counts the reports it parses."""

    def __init__(self):
        self.count = 0

    def loads(self, text, *args, **kwargs):
        self.count += '"val_predictions"' in text
        return json.loads(text, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(json, name)


def test_the_runs_table_parses_only_the_shown_runs_report(qtbot, tmp_path, monkeypatch):
    with Project.open(project_of_rows(tmp_path, 200)) as project:
        classes = [{"id": c.id, "name": c.name} for c in (add_class(project, "dog"), add_class(project, "fox"))]
        ids = [row[0] for row in project.conn.execute("SELECT id FROM images")]
        runs = [record_finished_run(project, ids, classes, accuracy) for accuracy in (0.7, 0.8, 0.9)]
        parses = ReportParses()
        monkeypatch.setattr(core_runs, "json", parses)
        panel = RunHistoryPanel(project)
        qtbot.addWidget(panel)
        panel.show()
        panel.refresh(active=runs[2])
        assert [panel.model.data(panel.model.index(row, 0)) for row in range(3)] == [str(r) for r in reversed(runs)]
        assert panel.model.data(panel.model.index(0, COLUMNS.index("Labels"))) == "200"
        assert parses.count == 1, "reports of runs nobody looked at were parsed"
        assert "on 40 validation images" in panel.report_card.summary.text()
        panel.table.selectRow(2)  # the oldest run
        assert parses.count == 2 and "Accuracy 70.0%" in panel.report_card.summary.text()
        panel.refresh(active=runs[2])  # after a run finishes: the shown run's report again, no other
        assert parses.count == 3


def test_the_shown_runs_report_is_read_off_the_gui_thread(qtbot, tmp_path):
    """With the window's jobs, selecting a run reads its report, curves and image paths in a job:
    the GUI thread's connection never reads a report."""
    with Project.open(project_of_rows(tmp_path, 200)) as project:
        classes = [{"id": c.id, "name": c.name} for c in (add_class(project, "dog"), add_class(project, "fox"))]
        ids = [row[0] for row in project.conn.execute("SELECT id FROM images")]
        runs = [record_finished_run(project, ids, classes, accuracy) for accuracy in (0.7, 0.9)]
        jobs = JobRunner()
        try:
            panel = RunHistoryPanel(project, jobs=jobs)
            qtbot.addWidget(panel)
            panel.show()
            with sqlite_work(project.conn) as work, qtbot.waitSignal(panel.detailsShown, timeout=10000) as shown:
                panel.refresh(active=runs[1])
            assert shown.args == [runs[1]] and "Accuracy 90.0%" in panel.report_card.summary.text()
            with qtbot.waitSignal(panel.detailsShown, timeout=10000):
                panel.table.selectRow(1)
            assert "Accuracy 70.0%" in panel.report_card.summary.text()
        finally:
            jobs.shutdown()
    assert not [s for s in work.statements if "report" in s or "run_metrics" in s], work.statements
