"""Files that changed under the project, in the window: the background check on opening says what
is missing, the filter shows those images, and Find moved images brings them back."""

import shutil

from tests.gui.conftest import make_project


def test_missing_files_are_named_on_opening_and_found_again(qtbot, tmp_path, open_window):
    path = make_project(tmp_path)
    (tmp_path / "elsewhere").mkdir()
    shutil.move(tmp_path / "images" / "img02.png", tmp_path / "elsewhere" / "img02.png")
    window = open_window(path)
    qtbot.waitUntil(lambda: "1 image missing" in window.status.currentMessage(), timeout=10000)
    assert "Find moved images" in window.status.currentMessage()
    qtbot.waitUntil(lambda: "1 missing" in window.status.counts.text())

    window.filter_bar.show_filter("missing")
    qtbot.waitUntil(lambda: window.model.query.show == "missing" and window.model.rowCount() == 1)

    window.file_check.show_dialogs = False
    with qtbot.waitSignal(window.file_check.relinked, timeout=10000) as relinked:
        window.file_check.relink(str(tmp_path / "elsewhere"))
    assert relinked.args[0].relinked[0]["path"] == "elsewhere/img02.png"
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)  # the filter shows nothing missing now
    qtbot.waitUntil(lambda: "missing" not in window.status.counts.text())
