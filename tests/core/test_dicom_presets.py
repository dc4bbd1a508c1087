"""DICOM window presets by modality, the file's own windows, and any frame of a multi-frame file."""

import numpy as np
import pytest

from app.core.errors import ImageError
from app.core.imaging import DecodeOptions, decode, probe
from app.core.imaging.dicom_decoder import decode_frames
from app.core.imaging.part_paths import frame_path
from app.core.imaging.windowing import AUTO_PRESET, CT_PRESETS, Window, window_presets
from tests.medical_dicom import frame_stack, write_medical_dicom


def test_ct_offers_the_six_standard_windows_in_hounsfield_units():
    presets = window_presets("CT", {"WINDOW1": Window(40, 400)})
    assert list(presets) == [AUTO_PRESET, "Lung", "Mediastinum", "Bone", "Brain", "Liver", "Soft tissue"]
    assert presets[AUTO_PRESET] is None  # computed from the pixels where the image is rendered
    assert presets["Lung"] == Window(-600, 1500) and presets["Brain"] == Window(40, 80)
    assert presets["Mediastinum"] == Window(50, 350)
    assert all(w.width > 0 for w in CT_PRESETS.values())


@pytest.mark.parametrize("modality", ["MR", "CR", "DX", "MG", "XA", "RF", "mr ", "US", "SOMETHING-NEW", ""])
def test_mr_and_xray_offer_the_files_windows_and_the_automatic_one(modality):
    own = {"T2 brain": Window(600, 1200), "Wide": Window(800, 3000)}
    presets = window_presets(modality, own)
    assert presets == {AUTO_PRESET: None, "T2 brain": Window(600, 1200), "Wide": Window(800, 3000)}
    assert "Lung" not in presets  # Hounsfield windows mean nothing without Hounsfield units
    assert window_presets(modality, {}) == {AUTO_PRESET: None}


def test_a_file_window_named_like_a_preset_keeps_both():
    presets = window_presets("MR", {AUTO_PRESET: Window(1, 2)})
    assert presets == {AUTO_PRESET: None, f"{AUTO_PRESET} (file)": Window(1, 2)}


def test_every_value_of_a_multi_valued_window_is_a_named_file_window(tmp_path):
    path = write_medical_dicom(
        tmp_path / "mr.dcm",
        frame_stack(1)[0],
        modality="MR",
        windows=[(500, 1000), (300, 400), (900, 1800)],
        explanations=["T1", "", "T1"],
    )
    image = decode(path)
    assert image.modality == "MR"
    assert image.file_windows == {
        "T1": Window(500, 1000),
        "File window 2": Window(300, 400),  # no explanation
        "File window 3": Window(900, 1800),  # a name already taken
    }
    assert image.window == Window(500, 1000)  # the first is the default, as before
    assert list(window_presets(image.modality, image.file_windows))[1:] == ["T1", "File window 2", "File window 3"]


def test_a_file_without_windows_is_windowed_automatically_and_names_none(tmp_path):
    path = write_medical_dicom(tmp_path / "dx.dcm", frame_stack(1)[0], modality="DX")
    image = decode(path)
    assert image.modality == "DX" and image.file_windows == {}
    assert image.window is not None and image.window.low >= 0  # the robust range of the pixels


def test_other_formats_have_no_modality(tmp_path):
    from tests import synthetic

    path = synthetic.write_tiff(tmp_path / "a.tif", synthetic.gradient(dtype=np.uint16, high=4000))
    image = decode(path)
    assert image.modality == "" and image.file_windows == {}


# -- frames


def test_each_frame_of_a_multiframe_dicom_decodes_its_own_pixels(tmp_path):
    stack = frame_stack(5)
    path = write_medical_dicom(tmp_path / "cine.dcm", stack, slope=1, intercept=-1000)
    assert probe(path).frames == 5
    for n in (0, 3, 4):
        image = decode(frame_path(str(path), n))
        assert np.array_equal(image.samples, stack[n].astype(np.float64) - 1000), n
    assert np.array_equal(decode(path).samples, decode(frame_path(str(path), 0)).samples)  # the file: frame 0


def test_a_frame_past_the_end_is_refused_with_a_clear_reason(tmp_path):
    path = write_medical_dicom(tmp_path / "cine.dcm", frame_stack(3))
    with pytest.raises(ImageError, match=r"^frame 3 does not exist; this DICOM has 3 frames \(0 to 2\)$"):
        decode(frame_path(str(path), 3))
    single = write_medical_dicom(tmp_path / "one.dcm", frame_stack(1)[0])
    with pytest.raises(ImageError, match="frame 1 does not exist; this DICOM has one frame"):
        decode(single.read_bytes(), DecodeOptions(frame=1))


def test_decode_frames_reads_the_file_once_and_yields_the_frames_asked_for(tmp_path, monkeypatch):
    import pydicom

    stack = frame_stack(4)
    data = write_medical_dicom(tmp_path / "cine.dcm", stack).read_bytes()
    reads = []
    real = pydicom.dcmread
    monkeypatch.setattr(pydicom, "dcmread", lambda *a, **k: reads.append(k) or real(*a, **k))
    read = list(decode_frames(data, [3, 9, 1], DecodeOptions()))
    assert [n for n, _ in read] == [3, 9, 1]
    assert int(read[0][1].samples[0, 0]) == 3000 and int(read[2][1].samples[0, 0]) == 1000
    assert len([k for k in reads if not k.get("stop_before_pixels")]) == 1  # the pixels parsed once
    assert isinstance(read[1][1], ImageError) and "frame 9 does not exist" in str(read[1][1])  # the others read
    with pytest.raises(ImageError, match="holds no image"):
        list(decode_frames(b"DICM" * 40, [0], DecodeOptions()))


def test_an_enhanced_dicoms_per_frame_window_and_rescale_are_used(tmp_path):
    import pydicom
    from pydicom.dataset import Dataset
    from pydicom.sequence import Sequence

    path = write_medical_dicom(tmp_path / "enhanced.dcm", frame_stack(2), modality="MR")
    ds = pydicom.dcmread(path)
    groups = []
    for centre, slope in ((100, 1.0), (2000, 2.0)):
        voi, transform, group = Dataset(), Dataset(), Dataset()
        voi.WindowCenter, voi.WindowWidth, voi.WindowCenterWidthExplanation = centre, 50, f"frame window {centre}"
        transform.RescaleSlope, transform.RescaleIntercept, transform.RescaleType = slope, 0, "US"
        group.FrameVOILUTSequence = Sequence([voi])
        group.PixelValueTransformationSequence = Sequence([transform])
        groups.append(group)
    ds.PerFrameFunctionalGroupsSequence = Sequence(groups)
    ds.save_as(path)
    second = decode(frame_path(str(path), 1))
    assert second.file_windows == {"frame window 2000": Window(2000, 50)} and second.window == Window(2000, 50)
    assert second.samples[0, 5] == 2 * (1000 + 5)
