"""The first-run note: the device Loupe trains on, what it means for each method, and where
things live; shown once, and again from Help."""

from pathlib import Path

from app.core.training.machine import MachineFacts, machine_facts
from app.core.training.methods import METHODS
from app.gui.first_run import MachineNote, show_on_first_run


def facts(device: str, name: str = "NVIDIA RTX A5000", memory: int = 24 * 10**9) -> MachineFacts:
    return MachineFacts(device, name, memory, 8, Path("/hub/cache"), Path("/cache/loupe"), Path("/data/loupe"))


def test_the_note_names_the_gpu_its_memory_and_a_sentence_per_method(qtbot):
    note = MachineNote()
    qtbot.addWidget(note)
    note.show_facts(facts("cuda"))
    assert "NVIDIA RTX A5000" in note.device.text() and "24 GB" in note.device.text() and "CUDA" in note.device.text()
    methods = note.methods.text()
    assert methods.count("<tr>") == 3  # the head only, adapters, everything
    assert all(method.title in methods for method in METHODS.values())
    assert "Hours even" not in methods  # the CPU's sentences are for the CPU
    folders = note.folders.text()
    from app.gui.error_reporting import log_folder

    assert all(place in folders for place in ("/hub/cache", "/cache/loupe", str(log_folder()), ".loupe"))
    note.accept()


def test_on_a_cpu_the_note_says_what_each_kind_of_method_costs(qtbot):
    note = MachineNote()
    qtbot.addWidget(note)
    note.show_facts(facts("cpu", name="AMD EPYC 7B13", memory=16 * 10**9))
    assert "No GPU was found" in note.device.text() and "AMD EPYC 7B13" in note.device.text()
    rows = note.methods.text().split("<tr>")[1:]
    by_title = {METHODS[name].title: next(row for row in rows if METHODS[name].title in row) for name in METHODS}
    assert "the best start without a GPU" in by_title["Linear probe"]
    assert "Tens of minutes" in by_title["LoRA"]
    assert "Hours even" in by_title["Full fine-tune"]
    note.accept()


def test_the_facts_of_this_machine_are_read():
    from app.core.hub.cache import cache_folder

    found = machine_facts(cache_folder())
    from app.core.training.device import choose_device

    assert found.device == choose_device("auto").device.type
    assert found.name and found.memory_bytes > 1024**3 and found.threads >= 1
    assert found.models_folder == cache_folder()


def test_the_note_opens_on_the_first_start_only_and_fills_in_from_a_worker(qtbot, settings):
    note = show_on_first_run(None, settings)
    assert note is not None and note.isVisible()
    qtbot.waitUntil(lambda: note.facts is not None, timeout=20000)
    said = {"cpu": "processor", "cuda": "CUDA", "mps": "MPS"}[note.facts.device]
    assert said in note.device.text() and str(note.facts.models_folder) in note.folders.text()
    from app.gui.error_reporting import log_folder

    assert str(log_folder()) in note.folders.text()  # where the window writes loupe.log
    note.accept()
    assert show_on_first_run(None, settings) is None  # remembered


def test_help_offers_the_note_again(open_window, tmp_path, qtbot):
    from tests.gui.conftest import make_project

    window = open_window(make_project(tmp_path))
    help_menu = window.menuBar().actions()[-1].menu()
    action = next(a for a in help_menu.actions() if a.objectName() == "machineAction")
    action.trigger()
    note = window.findChild(MachineNote, "machineNote")
    assert note is not None and note.isVisible()
    qtbot.waitUntil(lambda: note.facts is not None, timeout=20000)
    note.accept()


def test_the_note_says_why_when_the_training_libraries_failed_to_load(qtbot, monkeypatch):
    from app.gui.ml_loader import ml_libraries

    monkeypatch.setattr(ml_libraries(), "error", "ImportError: libtorch_cuda.so: cannot open shared object file")
    note = MachineNote()
    qtbot.addWidget(note)
    note.load()
    qtbot.waitUntil(lambda: "cannot train here" in note.device.text(), timeout=5000)
    assert "libtorch_cuda.so" in note.device.text() and note.facts is None
    note.accept()
