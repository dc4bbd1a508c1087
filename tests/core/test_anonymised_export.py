"""Images exported from a project never carry a patient's identity: every exported DICOM's tags are
read back, every exported byte and the CSV are searched for the patient's details."""

import csv
import os

import numpy as np
import pydicom
import pytest
import tifffile
from PIL import Image

from app.core.export.anonymise import UidMap, burned_in_refusal, deidentified
from app.core.export.datasets import export_imagefolder, export_labels_csv
from app.core.imaging import decode
from app.core.imaging.part_paths import TileRegion, frame_path, tile_path
from app.core.importing.importer import import_paths
from app.core.labelling.classes import add_class
from app.core.labelling.labels import label_images
from tests import synthetic
from tests.medical_dicom import IDENTIFYING_KEYWORDS, PATIENT, frame_stack, identifiers_left, write_medical_dicom

#: The patient's folder, named as PACS exports often name it: the path itself identifies.
PATIENT_FOLDER = "DOE^JANE MRN-0012345"
STUDY_UID = "1.2.826.0.1.3680043.8.498.777000111"


@pytest.fixture
def medical(project, tmp_path):
    """Two CT slices of one study, a 3-frame series, a file flagged with burned-in annotation, a
    PNG and a tile of a tiled TIFF, all labelled."""
    folder = tmp_path / PATIENT_FOLDER
    write_medical_dicom(folder / "slice1.dcm", frame_stack(1)[0], study_uid=STUDY_UID, windows=[(40, 400)])
    write_medical_dicom(folder / "slice2.dcm", frame_stack(1)[0] + 50, study_uid=STUDY_UID)
    write_medical_dicom(folder / "cine.dcm", frame_stack(3), modality="XA", windows=[(1500, 3000)])
    write_medical_dicom(folder / "screen.dcm", frame_stack(1)[0] + 9, burned_in="YES")
    synthetic.save(synthetic.random_rgb(seed=3), tmp_path / "photos" / "leaf.png")
    scene = (np.random.default_rng(0).random((512, 512, 3)) * 255).astype(np.uint8)
    (tmp_path / "slides").mkdir()
    tifffile.imwrite(tmp_path / "slides" / "scene.tif", scene, tile=(256, 256), photometric="rgb")
    import_paths(project, [folder, tmp_path / "photos", tmp_path / "slides"])
    tile = tile_path("slides/scene.tif", TileRegion(0, 256, 0, 256, 256, 256))
    project.conn.execute("UPDATE images SET path = ? WHERE path = 'slides/scene.tif'", (tile,))
    project.conn.commit()
    ids = dict(project.conn.execute("SELECT path, id FROM images"))
    a, b = add_class(project, "nodule"), add_class(project, "clear")
    label_images(project, [i for p, i in ids.items() if "slice" in p or "screen" in p], a.id)
    label_images(project, [i for p, i in ids.items() if "slice" not in p and "screen" not in p], b.id)
    return ids, folder, tmp_path


def _files(out):
    return sorted(p for p in out.rglob("*") if p.is_file())


def test_every_exported_dicom_is_free_of_patient_tags_and_keeps_its_pixels(project, medical):
    ids, folder, tmp_path = medical
    out = tmp_path / "export"
    report = export_imagefolder(project, out)

    dicoms = [p for p in _files(out) if p.suffix == ".dcm"]
    assert sorted(p.name for p in dicoms) == sorted(f"{ids[f'{PATIENT_FOLDER}/slice{n}.dcm']}.dcm" for n in (1, 2))
    originals = {p.name: pydicom.dcmread(folder / p.name) for p in (folder / "slice1.dcm", folder / "slice2.dcm")}
    new_study_uids = set()
    for path in dicoms:
        exported = pydicom.dcmread(path)
        original = originals[f"slice{1 if path.stem == str(ids[f'{PATIENT_FOLDER}/slice1.dcm']) else 2}.dcm"]
        assert identifiers_left(exported) == [], path.name
        for keyword in IDENTIFYING_KEYWORDS:  # absent, empty or replaced
            assert not exported.get(keyword) or str(exported.get(keyword)) != str(original.get(keyword)), keyword
        assert not any(element.tag.is_private for element in exported.iterall())
        assert "RequestAttributesSequence" not in exported and "OtherPatientIDsSequence" not in exported
        assert exported.PixelData == original.PixelData  # the pixels as stored, byte for byte
        assert np.array_equal(exported.pixel_array, original.pixel_array)
        assert exported.PatientIdentityRemoved == "YES"
        assert exported.DeidentificationMethodCodeSequence[0].CodeValue == "113100"
        assert exported.SOPClassUID == original.SOPClassUID  # a UID of the standard, kept
        assert exported.SOPInstanceUID != original.SOPInstanceUID
        assert exported.file_meta.MediaStorageSOPInstanceUID == exported.SOPInstanceUID
        assert "SourceApplicationEntityTitle" not in exported.file_meta
        assert exported.Modality == "CT" and exported.get("WindowCenter") == original.get("WindowCenter")
        new_study_uids.add(exported.StudyInstanceUID)
    assert new_study_uids != {STUDY_UID} and len(new_study_uids) == 1  # replaced, and consistently
    assert report.images == 7 and report.linked == 1  # only the PNG is a link


def test_no_exported_byte_and_no_file_name_holds_the_patients_details(project, medical):
    _, _, tmp_path = medical
    out = tmp_path / "export"
    export_imagefolder(project, out)
    export_labels_csv(project, tmp_path / "labels.csv")
    texts = [p.read_bytes() for p in _files(out)] + [(tmp_path / "labels.csv").read_bytes()]
    names = " ".join(str(p.relative_to(out)) for p in _files(out))
    secrets = [v for v in PATIENT.values() if len(v) > 4] + ["Doe", "Cuddy", "MRN-0012345", STUDY_UID]
    for secret in secrets:
        assert all(secret.encode() not in data for data in texts), secret
        assert secret not in names, secret


def test_a_file_with_burned_in_annotation_is_not_exported(project, medical):
    _, folder, tmp_path = medical
    report = export_imagefolder(project, tmp_path / "export")
    assert [m["reason"] for m in report.missing] == [
        "its BurnedInAnnotation says patient details may be written in its pixels; not exported"
    ]
    assert burned_in_refusal(pydicom.dcmread(folder / "slice1.dcm")) is None


def test_frames_and_tiles_are_pngs_of_their_pixels_never_links_to_the_whole_file(project, medical):
    ids, folder, tmp_path = medical
    out = tmp_path / "export"
    export_imagefolder(project, out)
    pngs = {p.name: p for p in _files(out) if p.suffix == ".png"}
    for n in range(3):
        stored = frame_path(f"{PATIENT_FOLDER}/cine.dcm", n)
        written = np.asarray(Image.open(pngs[f"{ids[stored]}.png"]).convert("RGB"))
        assert np.array_equal(written, np.asarray(decode(project.resolve_path(stored)).rgb)), n
    tile = np.asarray(Image.open(pngs["scene-L0-256-0.png"]).convert("RGB"))
    assert np.array_equal(tile, tifffile.imread(tmp_path / "slides" / "scene.tif")[0:256, 256:512])
    for path in _files(out):
        for whole in (folder / "cine.dcm", tmp_path / "slides" / "scene.tif"):
            assert not os.path.samefile(path, whole)
    assert os.path.samefile(out / "clear" / "leaf.png", tmp_path / "photos" / "leaf.png")  # others still linked


def test_the_labels_csv_names_dicom_images_by_pseudonym(project, medical):
    ids, _, tmp_path = medical
    export_labels_csv(project, tmp_path / "labels.csv")
    with (tmp_path / "labels.csv").open(newline="") as f:
        rows = {row["image"]: row for row in csv.DictReader(f)}
    slice1 = str(ids[f"{PATIENT_FOLDER}/slice1.dcm"])
    frame = str(ids[frame_path(f"{PATIENT_FOLDER}/cine.dcm", 1)])
    assert rows[slice1]["path"] == f"{slice1}.dcm" and rows[slice1]["class"] == "nodule"
    assert rows[frame]["path"] == f"{frame}.png"
    leaf = str(ids["photos/leaf.png"])
    assert rows[leaf]["path"] == str(tmp_path / "photos" / "leaf.png")  # not medical: its path, as before


# -- the de-identification itself


def test_uids_are_replaced_the_same_within_an_export_and_differently_across_exports(tmp_path):
    dataset = pydicom.dcmread(write_medical_dicom(tmp_path / "a.dcm", frame_stack(1)[0], study_uid=STUDY_UID))
    one, other = UidMap(), UidMap()
    first, again = deidentified(dataset, one), deidentified(dataset, one)
    assert first.StudyInstanceUID == again.StudyInstanceUID and first.SOPInstanceUID == again.SOPInstanceUID
    assert deidentified(dataset, other).StudyInstanceUID != first.StudyInstanceUID
    assert first.StudyInstanceUID.startswith("2.25.") and pydicom.uid.UID(first.StudyInstanceUID).is_valid
    assert dataset.PatientName == PATIENT["PatientName"]  # the original is left as it was


def test_dates_overlays_and_names_anywhere_go(tmp_path):
    dataset = pydicom.dcmread(write_medical_dicom(tmp_path / "a.dcm", frame_stack(1)[0]))
    dataset.AcquisitionDate = "20240117"
    dataset.add_new(0x60000010, "US", 24)
    dataset.add_new(0x60003000, "OW", b"\x00" * 96)
    item = pydicom.Dataset()
    item.VerifyingObserverName = "Wilson^James"
    dataset.VerifyingObserverSequence = pydicom.Sequence([item])
    clean = deidentified(dataset, UidMap())
    assert not clean.AcquisitionDate and not clean.StudyDate
    assert not any(element.tag.group == 0x6000 for element in clean)
    assert not clean.VerifyingObserverSequence[0].VerifyingObserverName
    assert identifiers_left(clean) == []


def test_a_tile_of_a_georeferenced_scene_is_a_geotiff_where_it_lies(project, tmp_path):
    from app.core.imaging.georef import GeoRef, georef_of
    from app.core.imaging.geotiff_writer import write_georeferenced

    scene = np.random.default_rng(1).integers(0, 10000, (512, 512, 4), dtype=np.uint16)
    place = GeoRef((500000.0, 10.0, 0.0, 4000000.0, 0.0, -10.0), 32633)
    write_georeferenced(scene, place, tmp_path / "scenes" / "s2.tif", ("blue", "green", "red", "nir"), 0)
    import_paths(project, [tmp_path / "scenes"])
    region = TileRegion(0, 256, 128, 256, 256, 256)
    project.conn.execute("UPDATE images SET path = ?", (tile_path("scenes/s2.tif", region),))
    label_images(project, [project.conn.execute("SELECT id FROM images").fetchone()[0]], add_class(project, "crop").id)
    report = export_imagefolder(project, tmp_path / "export")
    assert report.images == 1 and not report.missing
    written = tmp_path / "export" / "crop" / "s2-L0-256-128.tif"
    with tifffile.TiffFile(written) as tif:
        assert np.array_equal(tif.pages[0].asarray(), scene[128:384, 256:512])  # the samples as stored
        assert georef_of(tif.pages[0]) == place.for_tile(region)
        assert georef_of(tif.pages[0]).to_map(0, 0) == (500000.0 + 2560, 4000000.0 - 1280)


def test_the_preamble_is_blanked(tmp_path):
    path = synthetic.write_dicom_with_tiff_preamble(tmp_path / "dual.dcm", frame_stack(1)[0])
    clean = deidentified(pydicom.dcmread(path), UidMap())
    clean.save_as(tmp_path / "out.dcm", enforce_file_format=False)
    data = (tmp_path / "out.dcm").read_bytes()
    assert data[:128] == b"\0" * 128 and data[128:132] == b"DICM"


def test_free_text_comments_telecoms_and_report_content_go(tmp_path):
    """What a list by name misses, the rule by kind removes: free text, comments, telecoms,
    reasons, descriptions and structured-report content, nested too."""
    dataset = pydicom.dcmread(write_medical_dicom(tmp_path / "a.dcm", frame_stack(1)[0]))
    dataset.IdentifyingComments = "MRN-0012345"
    dataset.PatientTelecomInformation = "jane@example.org 0777123456"
    dataset.AcquisitionDeviceProcessingDescription = "DOE JANE CHEST"
    dataset.ReasonForVisit = "Jane's cough"
    dataset.CommentsOnThePerformedProcedureStep = "Jane Doe was anxious"
    dataset.StudyDescription = "CT Jane Doe"
    item = pydicom.Dataset()
    item.TextValue = "Patient Jane Doe, MRN-0012345"
    dataset.ContentSequence = pydicom.Sequence([item])
    clean = deidentified(dataset, UidMap())
    text = str(clean)
    assert "Jane" not in text and "0012345" not in text and "example.org" not in text
    assert "ContentSequence" not in clean and "StudyDescription" not in clean
    assert clean.Rows == dataset.Rows and clean.PixelData == dataset.PixelData  # the image stays whole


def test_the_frames_of_a_burned_in_cine_loop_are_not_exported(project, tmp_path):
    """Ultrasound cine loops carry names in their pixels: a multi-frame file flagged so is refused
    frame by frame, as a single-frame one is."""
    write_medical_dicom(tmp_path / "us" / "loop.dcm", frame_stack(3), modality="US", burned_in="YES")
    import_paths(project, [tmp_path / "us"])
    label_images(project, [i for (i,) in project.conn.execute("SELECT id FROM images")], add_class(project, "x").id)
    report = export_imagefolder(project, tmp_path / "export")
    assert report.images == 0 and len(report.missing) == 3
    assert all("BurnedInAnnotation" in m["reason"] for m in report.missing)
    assert not any(p.is_file() for p in (tmp_path / "export").rglob("*"))


def test_a_slides_tiles_are_exported_under_their_ids_never_the_slides_name(project, tmp_path):
    """A slide named by its accession number, in a folder named by its patient: its tiles leave
    as "<id>.png" in the folder export and in the labels CSV."""
    from app.core.sources.tile_import import import_sources
    from app.core.sources.tiling import TileOptions
    from tests.slides import pyramid_slide, slide_pixels

    folder = tmp_path / PATIENT_FOLDER
    folder.mkdir()
    pyramid_slide(folder / "S24-00123.tif", slide_pixels(512, 512, [(0, 0, 256, 256)]))
    import_sources(project, [folder], TileOptions(size=128, level=0))
    ids = [i for (i,) in project.conn.execute("SELECT id FROM images")]
    label_images(project, ids, add_class(project, "tumour").id)
    export_imagefolder(project, tmp_path / "export")
    export_labels_csv(project, tmp_path / "labels.csv")
    assert sorted(p.name for p in _files(tmp_path / "export")) == sorted(f"{i}.png" for i in ids)
    text = (tmp_path / "labels.csv").read_text()
    assert "S24-00123" not in text and "DOE" not in text and all(f"{i}.png" in text for i in ids)
