"""Synthetic DICOM files as a hospital exports them: a modality, its windows, several frames, and
the patient's identity in every place a real file keeps it (standard tags, a nested sequence, a
private block, UIDs that link it to its study)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sequence import Sequence
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

#: Identifying values written into every file, and looked for in every exported one.
PATIENT = {
    "PatientName": "Doe^Jane",
    "PatientID": "MRN-0012345",
    "PatientBirthDate": "19610412",
    "PatientSex": "F",
    "PatientAge": "063Y",
    "PatientAddress": "12 Harbour Road, Portsmouth",
    "OtherPatientIDs": "NHS-9434765919",
    "InstitutionName": "St Elsewhere General Hospital",
    "InstitutionAddress": "1 Hospital Way",
    "AccessionNumber": "ACC20240117-77",
    "ReferringPhysicianName": "House^Gregory",
    "OperatorsName": "Tech^Tina",
    "PerformingPhysicianName": "Grey^Meredith",
    "StudyDate": "20240117",
    "StudyTime": "101500",
    "StudyID": "S-4471",
    "StudyDescription": "CT chest Jane Doe follow-up",
    "SeriesDescription": "Axial 1mm",
    "StationName": "CT-ROOM-3",
    "DeviceSerialNumber": "SN-448812",
    "ImageComments": "called Mrs Doe on 0777 123456",
}
#: Tags whose values identify (or link to) the patient; none may survive an export.
IDENTIFYING_KEYWORDS = (
    *PATIENT,
    "StudyInstanceUID",
    "SeriesInstanceUID",
    "SOPInstanceUID",
    "FrameOfReferenceUID",
)


def write_medical_dicom(
    path: Path,
    frames: np.ndarray,
    *,
    modality: str = "CT",
    windows: list[tuple[float, float]] | None = None,
    explanations: list[str] | None = None,
    slope: float | None = None,
    intercept: float | None = None,
    burned_in: str | None = None,
    study_uid: str | None = None,
    patient: dict[str, str] | None = None,
) -> Path:
    """A DICOM of `frames` (H×W: one frame; N×H×W: a multi-frame file) full of identifiers."""
    frames = np.asarray(frames)
    count = 1 if frames.ndim == 2 else frames.shape[0]
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.2"  # CT Image Storage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    meta.SourceApplicationEntityTitle = "STELSEWHERE_PACS"
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID = study_uid or generate_uid()
    ds.SeriesInstanceUID = generate_uid()
    ds.FrameOfReferenceUID = generate_uid()
    ds.Modality = modality
    for keyword, value in (patient or PATIENT).items():
        setattr(ds, keyword, value)
    ds.Manufacturer = "Loupe Test Scanners"
    # a patient name and a UID inside a sequence, as the request and the references keep them
    request = Dataset()
    request.RequestingPhysician = "Cuddy^Lisa"
    request.RequestedProcedureID = "RP-77"
    ds.RequestAttributesSequence = Sequence([request])
    reference = Dataset()
    reference.ReferencedSOPClassUID = ds.SOPClassUID
    reference.ReferencedSOPInstanceUID = generate_uid()
    ds.ReferencedImageSequence = Sequence([reference])
    other = Dataset()
    other.PatientID = "OLD-998877"
    other.PatientName = "Doe^Jane^Maiden"
    ds.OtherPatientIDsSequence = Sequence([other])
    # a vendor's private block holding the name again
    block = ds.private_block(0x0029, "ACME PRIVATE", create=True)
    block.add_new(0x10, "LO", "Doe Jane 19610412")
    block.add_new(0x11, "LO", "MRN-0012345")
    ds.Rows, ds.Columns = frames.shape[-2:]
    ds.SamplesPerPixel = 1
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.BitsAllocated = 16
    ds.BitsStored = 16
    ds.HighBit = 15
    ds.PixelRepresentation = 1 if frames.dtype.kind == "i" else 0
    if count > 1:
        ds.NumberOfFrames = count
    if slope is not None:
        ds.RescaleSlope = slope
        ds.RescaleIntercept = intercept or 0
    if windows:
        ds.WindowCenter = [c for c, _ in windows] if len(windows) > 1 else windows[0][0]
        ds.WindowWidth = [w for _, w in windows] if len(windows) > 1 else windows[0][1]
    if explanations:
        ds.WindowCenterWidthExplanation = explanations if len(explanations) > 1 else explanations[0]
    if burned_in is not None:
        ds.BurnedInAnnotation = burned_in
    ds.PixelData = frames.astype(np.int16 if frames.dtype.kind == "i" else np.uint16).tobytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    ds.save_as(path, enforce_file_format=True)
    return path


def frame_stack(count: int, height: int = 24, width: int = 32) -> np.ndarray:
    """`count` frames, each a different ramp (frame k holds values k*1000 + column), uint16."""
    row = np.arange(width, dtype=np.uint16)
    return np.stack([np.tile(row + k * 1000, (height, 1)) for k in range(count)])


def identifiers_left(dataset: pydicom.Dataset) -> list[str]:
    """Every identifying value still in `dataset` (nested sequences and file meta included):
    a listed tag with a value, a private tag, or a person name anywhere."""
    found = []
    for part in (dataset.file_meta, dataset) if hasattr(dataset, "file_meta") else (dataset,):
        for element in part.iterall():
            if element.tag.is_private:
                found.append(f"private {element.tag}")
            elif element.keyword in ("SourceApplicationEntityTitle",) and element.value:
                found.append(element.keyword)
            elif element.VR == "PN" and element.value:
                found.append(f"{element.keyword}={element.value}")
            elif element.keyword in PATIENT and element.value:
                found.append(f"{element.keyword}={element.value}")
    text = str(dataset)
    found += [f"value {value!r}" for value in PATIENT.values() if len(value) > 3 and value in text]
    return found
