"""The viewer's window presets follow the image's modality: CT's named windows, the file's own
windows for MR and X-ray, the automatic one for all."""

from app.core.imaging import Window, auto_window
from app.core.imaging.windowing import AUTO_PRESET
from app.core.importing.importer import import_paths
from app.core.project.store import Project
from tests.gui.conftest import make_project
from tests.medical_dicom import frame_stack, write_medical_dicom


def _open_on(tmp_path, open_window, qtbot, **dicom):
    path = make_project(tmp_path, images=0)
    write_medical_dicom(tmp_path / "scan" / "image.dcm", frame_stack(1, 40, 60)[0] * 10, **dicom)
    with Project.open(path) as project:
        import_paths(project, [tmp_path / "scan"])
    viewer = open_window(path).viewer
    qtbot.waitUntil(lambda: viewer.decoded is not None and viewer.viewer.has_image())
    return viewer


def _choose(viewer, qtbot, name: str) -> None:
    index = viewer.presets.findText(name)
    assert index >= 0, name
    viewer.presets.setCurrentIndex(index)
    viewer.on_presets_activated(index)


def test_an_mr_image_offers_its_files_windows_not_cts(qtbot, tmp_path, open_window):
    viewer = _open_on(
        tmp_path, open_window, qtbot, modality="MR", windows=[(300, 600), (150, 200)], explanations=["T2", "NARROW"]
    )
    names = [viewer.presets.itemText(i) for i in range(viewer.presets.count())]
    assert names == [AUTO_PRESET, "T2", "NARROW"]
    assert viewer.presets.isVisibleTo(viewer) and viewer.window == Window(300, 600)
    _choose(viewer, qtbot, "NARROW")
    qtbot.waitUntil(lambda: viewer.window == Window(150, 200))
    _choose(viewer, qtbot, AUTO_PRESET)  # computed off the GUI thread, from the pixels
    expected = auto_window(viewer.decoded.samples)
    qtbot.waitUntil(lambda: viewer.window == expected)


def test_a_ct_image_offers_the_six_named_ct_windows(qtbot, tmp_path, open_window):
    viewer = _open_on(tmp_path, open_window, qtbot, modality="CT", slope=1, intercept=-1024, windows=[(40, 400)])
    names = [viewer.presets.itemText(i) for i in range(viewer.presets.count())]
    assert names == [AUTO_PRESET, "Lung", "Mediastinum", "Bone", "Brain", "Liver", "Soft tissue"]
    _choose(viewer, qtbot, "Mediastinum")
    qtbot.waitUntil(lambda: viewer.window == Window(50, 350))
