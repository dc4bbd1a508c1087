"""The Models page (issue 21) against a fake hub on 127.0.0.1 (tests/fake_hub.py): every preset
listed by field, a download's progress in words and its end, a cancel that leaves a partial
download, a gated model's refusal in one sentence, the page offline, the access token saved where
huggingface_hub keeps it, and the ways in: View ▸ Models… (Ctrl+Shift+M), Models… beside the
training form's model, and Train on a preset that is not on this machine. No test reaches the
network."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

from app.core import hub
from app.core.training.presets import DOMAINS, PRESETS
from app.gui.jobs import JobRunner
from app.gui.models_page import ModelsPage
from app.gui.models_wording import GOOD_FOR, MODEL, NEEDS, ON_DISK, SIZE, progress_text
from tests.fake_hub import go_offline, serving, tiny_model_files
from tests.gui.conftest import make_project

SMALL = PRESETS["dinov2-small"]
GATED = next(preset for preset in PRESETS.values() if preset.gated)


@pytest.fixture
def fake_hub(monkeypatch, tmp_path):
    """The hub on 127.0.0.1, its cache and token file in tmp_path; SMALL's files on it (2 MB)."""
    with serving(monkeypatch, tmp_path) as server:
        server.add(SMALL.hub_id, tiny_model_files(weights_bytes=2_000_000))
        yield server


@pytest.fixture
def pages(qtbot, qt_loop):
    """Opens a Models page on its own lanes; stops its download and its lanes afterwards."""
    runner = JobRunner()
    opened: list[ModelsPage] = []

    def opener(confirm=None) -> ModelsPage:
        page = ModelsPage(runner, confirm=confirm)
        qtbot.addWidget(page)
        opened.append(page)
        page.resize(780, 560)  # the offscreen screen is 800×600
        page.show()
        qtbot.waitUntil(lambda: page.scans >= 1 and page.network_checks >= 1, timeout=10000)
        return page

    yield opener
    for page in opened:
        page.shut_down()
    runner.shutdown()


def downloaded(qtbot, page: ModelsPage) -> None:
    """Wait for the download to end and the page to have looked at the disk again."""
    scans = page.scans
    qtbot.waitUntil(lambda: page.downloading is None, timeout=20000)
    qtbot.waitUntil(lambda: page.scans > scans, timeout=5000)


def test_the_page_lists_every_preset_by_field(qtbot, fake_hub, pages):
    page = pages()
    tree = page.tree
    groups = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    fields = [domain for domain in DOMAINS if any(p.domain == domain for p in PRESETS.values())]
    assert [group.text(0) for group in groups] == [domain[0].upper() + domain[1:] for domain in fields]
    listed = {}
    for group, domain in zip(groups, fields):
        names = [group.child(i).text(MODEL) for i in range(group.childCount())]
        assert names == [p.name for p in PRESETS.values() if p.domain == domain]
        listed |= {group.child(i).text(MODEL): group.child(i) for i in range(group.childCount())}
    assert set(listed) == set(PRESETS)
    for name, item in listed.items():
        preset = PRESETS[name]
        assert item.text(SIZE) == (hub.bytes_text(preset.size_bytes) if preset.size_bytes else "")  # 0: unknown
        assert ("Zero-shot only" in item.text(NEEDS)) == (preset.tasks == ("zero-shot",))
        assert ("Accepted terms" in item.text(NEEDS)) == preset.gated
        assert ("GPU recommended" in item.text(NEEDS)) == preset.needs_gpu
        assert item.text(ON_DISK) == "No" and item.text(GOOD_FOR) == preset.good_for
    assert not page.banner.isVisible()
    assert str(hub.cache_folder()) in page.footer.text() and "free on that disk" in page.footer.text()
    page.select(SMALL.name)
    assert SMALL.hub_id in page.details.text() and SMALL.card_url in page.details.text()
    assert page.download_button.isEnabled() and not page.delete_button.isEnabled()
    qtbot.keyClick(page.tree, Qt.Key.Key_Escape)  # Esc closes the page
    assert not page.isVisible()


def test_download_shows_its_progress_in_words_and_ends_on_this_machine(qtbot, fake_hub, pages):
    fake_hub.throttle_bps = 3_000_000  # 2 MB: about 0.7 s, several progress events
    page = pages()
    page.select(SMALL.name)
    texts = []
    page.progress.valueChanged.connect(lambda _: texts.append(page.progress.format()))
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)  # Enter on a model not on this machine downloads it
    assert page.downloading == SMALL.name and page.cancel_button.isEnabled()
    assert not page.download_button.isEnabled()
    downloaded(qtbot, page)
    assert any(" of 2.0 MB" in text and "MB/s" in text for text in texts), texts
    item = page.items[SMALL.name]
    assert item.text(ON_DISK).startswith("Yes, 2.0 MB") and page.on_disk(SMALL.name)
    assert "is on this machine" in page.status.text()
    assert str(hub.model_on_disk(SMALL.hub_id).path) in page.details.text()
    assert not page.download_button.isEnabled() and page.delete_button.isEnabled()


def test_progress_in_words():
    event = hub.DownloadProgress("a/b", "model.safetensors", 120_000_000, 350_000_000, 8_500_000, 30)
    assert progress_text(event) == "120 MB of 350 MB · 8.5 MB/s · about 30 s left"
    assert progress_text(hub.DownloadProgress("a/b", "x", 0, 350_000_000, 0, None)) == "0 bytes of 350 MB"


def test_cancel_leaves_a_partial_download_that_resumes(qtbot, fake_hub, pages):
    fake_hub.throttle_bps = 400_000  # 2 MB: about 5 s
    page = pages()
    assert page.download(SMALL.name)
    qtbot.waitUntil(lambda: page.last_progress is not None and page.last_progress.done_bytes > 100_000)
    page.cancel_button.click()
    downloaded(qtbot, page)
    item = page.items[SMALL.name]
    assert item.text(ON_DISK).startswith("Partly:") and item.text(ON_DISK).endswith("resumes")
    assert not page.on_disk(SMALL.name) and hub.model_on_disk(SMALL.hub_id) is None
    assert "cancelled" in page.status.text() and page.download_button.isEnabled()
    assert page.download_button.text() == "Resume download"
    # Delete, asked first with the room it frees: the partial download goes.
    asked = []
    page.confirm = lambda question: asked.append(question) or True
    page.tree.setFocus()
    qtbot.keyClick(page.tree, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: page.items[SMALL.name].text(ON_DISK) == "No", timeout=5000)
    assert "frees" in asked[0] and hub.partial_bytes(SMALL.hub_id) == 0


def test_a_gated_model_refused_says_why_in_one_sentence(qtbot, fake_hub, pages):
    fake_hub.add(GATED.hub_id, tiny_model_files(weights_bytes=100_000), gated=True)
    page = pages()
    page.select(GATED.name)
    assert "Needs accepted terms" in page.details.text() and GATED.card_url in page.details.text()
    assert not page.download_button.isEnabled()  # no token yet: the page says to save one first
    page.token_edit.setText("hf_notgranted")
    page.save_token_button.click()
    qtbot.waitUntil(page.download_button.isEnabled, timeout=5000)
    page.download_button.click()
    downloaded(qtbot, page)
    said = page.status.text()
    assert "is gated" in said and f"https://huggingface.co/{GATED.hub_id}" in said
    assert "Traceback" not in said and said.count("\n") == 0
    assert page.progress.format() == "Download failed" and page.items[GATED.name].text(ON_DISK) == "No"


def test_offline_only_the_models_on_this_machine_are_usable(qtbot, fake_hub, pages, monkeypatch):
    hub.download_model(SMALL.hub_id)
    go_offline(monkeypatch)
    page = pages()
    assert page.banner.isVisible() and "HF_HUB_OFFLINE" in page.banner.text()
    grey = page.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
    for name, item in page.items.items():
        if name == SMALL.name:
            assert item.foreground(MODEL).color() != grey and item.text(ON_DISK).startswith("Yes")
        else:
            assert item.foreground(MODEL).color() == grey
            assert "HF_HUB_OFFLINE" in item.toolTip(MODEL)
    page.select("vit-b16")
    assert not page.download_button.isEnabled() and "Cannot be downloaded now" in page.details.text()
    assert not page.download("vit-b16") and "cannot be downloaded now" in page.status.text()
    page.select(SMALL.name)
    assert page.delete_button.isEnabled()


def test_the_token_is_saved_in_huggingface_hubs_file_not_kept_in_the_field(qtbot, fake_hub, pages):
    page = pages()
    assert "No token is saved" in page.token_state.text() and str(hub.token_path()) in page.token_state.text()
    assert not page.forget_token_button.isEnabled()
    page.token_edit.setText("hf_secret123")
    qtbot.keyClick(page.token_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "A token is saved" in page.token_state.text(), timeout=5000)
    assert hub.token_path().read_text() == "hf_secret123" and page.token_edit.text() == ""
    assert page.token_edit.echoMode() == page.token_edit.EchoMode.Password
    page.forget_token_button.click()
    qtbot.waitUntil(lambda: "No token is saved" in page.token_state.text(), timeout=5000)
    assert not hub.token_path().exists()


def test_the_window_opens_one_page_from_the_menu_and_from_the_training_form(qtbot, tmp_path, open_window):
    window = open_window(make_project(tmp_path))
    action = next(a for menu in window.menuBar().actions() for a in menu.menu().actions() if a.text() == "&Models…")
    assert action.shortcut().toString() == "Ctrl+Shift+M"
    action.trigger()
    page = window.models_page
    assert page is not None and page.isVisible()
    qtbot.waitUntil(lambda: page.scans >= 1 and page.network_checks >= 1, timeout=10000)
    page.close()
    window.show_training("train")
    qtbot.waitUntil(lambda: window.training.panel is not None, timeout=5000)
    panel = window.training.panel
    panel.form.editors["model"].put("vit-b16")
    panel.models_button.click()
    assert window.models_page is page and page.isVisible() and page.selected.name == "vit-b16"
    # Train on a preset that is not here: offline, the reason instead of a doomed run.
    qtbot.waitUntil(lambda: "vit-b16" in panel.missing_presets, timeout=20000)
    panel.ask_download = lambda question: pytest.fail("offline: nothing to offer")
    assert not panel.start() and "cannot be downloaded now" in panel.status.text() and not panel.running


def test_train_on_a_preset_not_here_offers_its_download(qtbot, tmp_path, open_window, fake_hub):
    window = open_window(make_project(tmp_path))
    window.show_training("train")
    qtbot.waitUntil(lambda: window.training.panel is not None, timeout=5000)
    panel = window.training.panel
    qtbot.waitUntil(lambda: SMALL.name in panel.missing_presets, timeout=20000)
    asked = []
    panel.ask_download = lambda question: asked.append(question) or True
    panel.form.editors["model"].put(SMALL.name)
    assert not panel.start() and not panel.running
    assert asked == [f"{SMALL.name} (88 MB) is not on this machine yet. Download it now?"]
    page = window.models_page
    assert page is not None and page.isVisible()
    qtbot.waitUntil(lambda: page.downloading == SMALL.name, timeout=10000)
    downloaded(qtbot, page)
    assert page.on_disk(SMALL.name)
    qtbot.waitUntil(lambda: SMALL.name not in panel.missing_presets, timeout=10000)  # Train now trains
