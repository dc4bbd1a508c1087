"""De-identify a DICOM dataset before it leaves the project: DICOM PS3.15 Annex E, the Basic
Application Level Confidentiality Profile, with pydicom.

    uids = UidMap()                     # one per export: the same original UID, the same new one
    clean = deidentified(dataset, uids) # a copy; the pixels untouched
    refusal = burned_in_refusal(dataset)  # a reason not to export it at all, or None

What is done, following Annex E's actions (X remove, Z empty, U new UID):
- the attributes Table E.1-1 lists that identify the patient, the people who saw them, the
  institution, the device, the visit and the request are removed (X) or, where the IOD requires
  them (type 2), emptied (Z);
- and, so that what the table's list misses cannot slip through: every person name (VR PN) at any
  depth is emptied; every date, time and date-time (DA, TM, DT) is emptied (without the Retain
  Longitudinal Temporal option dates are identifying); every private element is removed
  (without the Retain Safe Private option); overlays and curves (groups 60xx, 50xx, which can hold
  burned-in text) are removed;
- every UID that is not a UID of the standard (SOP classes, transfer syntaxes, coding schemes
  keep theirs) is replaced by a new one derived from it and a secret drawn for the export, so
  studies and series still group the same way inside one export but cannot be matched to the
  originals, nor one export to another (U);
- PatientIdentityRemoved is YES and DeidentificationMethod(CodeSequence) says how (113100).

Burned-in annotation: pixels are never changed here (the Clean Pixel Data option is not done), so
a file whose BurnedInAnnotation is YES, whose text may be written in its pixels, is refused
(`burned_in_refusal`). A file that does not say NO is exported, as the profile allows, but the
flag cannot vouch for pixels it does not describe; the docs say so.

Why not pydicom's `deid` project: it needs matplotlib (about 80 MB with its dependencies) and its
bundled recipe is one site's (it adds "STARR" identifiers, expects site variables, removes every UID
so no SOPInstanceUID is left, and keeps InstitutionName); we would write our own recipe anyway.
"""

from __future__ import annotations

import hashlib
import secrets
from copy import deepcopy

import pydicom
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence
from pydicom.uid import UID

#: Annex E Table E.1-1, Basic Profile action X (remove), by keyword.
REMOVE = frozenset(
    {
        # the patient
        "PatientAge",
        "PatientAddress",
        "PatientBirthName",
        "PatientBirthTime",
        "PatientComments",
        "PatientInsurancePlanCodeSequence",
        "PatientMotherBirthName",
        "PatientPrimaryLanguageCodeSequence",
        "PatientReligiousPreference",
        "PatientSize",
        "PatientWeight",
        "PatientTelephoneNumbers",
        "PatientState",
        "PatientInstitutionResidence",
        "PatientSexNeutered",
        "OtherPatientIDs",
        "OtherPatientIDsSequence",
        "OtherPatientNames",
        "IssuerOfPatientID",
        "IssuerOfPatientIDQualifiersSequence",
        "MedicalRecordLocator",
        "MilitaryRank",
        "BranchOfService",
        "EthnicGroup",
        "Occupation",
        "CountryOfResidence",
        "RegionOfResidence",
        "CurrentPatientLocation",
        "AdditionalPatientHistory",
        "MedicalAlerts",
        "Allergies",
        "SmokingStatus",
        "PregnancyStatus",
        "LastMenstrualDate",
        "SpecialNeeds",
        "ResponsiblePerson",
        "ResponsiblePersonRole",
        "ResponsibleOrganization",
        "ReferencedPatientSequence",
        "ReferencedPatientPhotoSequence",
        "PatientTransportArrangements",
        # people and places
        "InstitutionName",
        "InstitutionAddress",
        "InstitutionCodeSequence",
        "InstitutionalDepartmentName",
        "InstitutionalDepartmentTypeCodeSequence",
        "ReferringPhysicianAddress",
        "ReferringPhysicianTelephoneNumbers",
        "ReferringPhysicianIdentificationSequence",
        "ConsultingPhysicianName",
        "ConsultingPhysicianIdentificationSequence",
        "PhysiciansOfRecord",
        "PhysiciansOfRecordIdentificationSequence",
        "PerformingPhysicianName",
        "PerformingPhysicianIdentificationSequence",
        "NameOfPhysiciansReadingStudy",
        "PhysiciansReadingStudyIdentificationSequence",
        "OperatorsName",
        "OperatorIdentificationSequence",
        "RequestingPhysician",
        "RequestingService",
        "ScheduledPerformingPhysicianName",
        "HumanPerformerName",
        "HumanPerformerOrganization",
        "PersonName",
        "PersonAddress",
        "PersonTelephoneNumbers",
        "ContentCreatorIdentificationCodeSequence",
        # the device and the station
        "StationName",
        "DeviceSerialNumber",
        "DeviceDescription",
        "PerformedStationName",
        "PerformedStationAETitle",
        "PerformedLocation",
        "ScheduledStationName",
        "ScheduledStationAETitle",
        "ScheduledProcedureStepLocation",
        "ScheduledStudyLocation",
        "ScheduledStudyLocationAETitle",
        "SourceApplicationEntityTitle",
        "SendingApplicationEntityTitle",
        "ReceivingApplicationEntityTitle",
        "DetectorID",
        "GantryID",
        "PlateID",
        "CassetteID",
        "GeneratorID",
        # the visit, the order, the study's free text
        "AdmissionID",
        "AdmittingDiagnosesDescription",
        "AdmittingDiagnosesCodeSequence",
        "ServiceEpisodeID",
        "ServiceEpisodeDescription",
        "IssuerOfAdmissionIDSequence",
        "VisitComments",
        "ReasonForStudy",
        "ReasonForTheRequestedProcedure",
        "RequestedProcedureID",
        "RequestedProcedureDescription",
        "RequestedProcedureComments",
        "RequestAttributesSequence",
        "ScheduledProcedureStepID",
        "ScheduledProcedureStepDescription",
        "PerformedProcedureStepID",
        "PerformedProcedureStepDescription",
        "ReferencedPerformedProcedureStepSequence",
        "PlacerOrderNumberImagingServiceRequest",
        "FillerOrderNumberImagingServiceRequest",
        "OrderEntererLocation",
        "OrderCallbackPhoneNumber",
        "ImagingServiceRequestComments",
        "InterpretationAuthor",
        "InterpretationText",
        "InterpretationDiagnosisDescription",
        "StudyComments",
        "StudyDescription",
        "SeriesDescription",
        "ProtocolName",
        "ImageComments",
        "FrameComments",
        "AcquisitionComments",
        "DerivationDescription",
        "TextComments",
        "TextString",
        "ReferencedStudySequence",
        "ReferencedImageSequence",
        "SourceImageSequence",
        "ReferencedSOPInstanceMACSequence",
        "IconImageSequence",
        "OriginalAttributesSequence",  # holds the values before any earlier modification
        "ModifiedAttributesSequence",
        "DigitalSignaturesSequence",
        "MACParametersSequence",
        "ContributingEquipmentSequence",
        "AcquisitionContextSequence",
        "ClinicalTrialSponsorName",
        "ClinicalTrialProtocolID",
        "ClinicalTrialProtocolName",
        "ClinicalTrialSiteID",
        "ClinicalTrialSiteName",
        "ClinicalTrialSubjectID",
        "ClinicalTrialSubjectReadingID",
        "ClinicalTrialTimePointID",
        "ClinicalTrialTimePointDescription",
        "ClinicalTrialCoordinatingCenterName",
        "ClinicalTrialProtocolEthicsCommitteeName",
        "ClinicalTrialProtocolEthicsCommitteeApprovalNumber",
        "VerifyingObserverIdentificationCodeSequence",
        "DistributionName",
        "DistributionAddress",
    }
)
#: Action Z (emptied, kept: the IOD requires them, as type 2).
EMPTY = frozenset(
    {
        "PatientName",
        "PatientID",
        "PatientBirthDate",
        "PatientSex",
        "ReferringPhysicianName",
        "AccessionNumber",
        "StudyID",
        "StudyDate",
        "StudyTime",
        "ContentCreatorName",
        "VerifyingObserverName",
        "VerifyingOrganization",
    }
)
#: Value representations emptied wherever they are: person names, and dates and times.
EMPTY_VRS = frozenset({"PN", "DA", "TM", "DT"})
#: Free text removed wherever it is (reports, comments, notes: where names and numbers hide),
#: with structured-report content and every attribute whose name says it describes or comments:
#: Table E.1-1 removes these one by one; a rule by kind also catches the ones it lists that a list
#: by name would miss (IdentifyingComments, PatientTelecomInformation, ReasonForVisit, ...).
REMOVED_VRS = frozenset({"LT", "ST", "UT"})
REMOVED_WORDS = (
    "Comment",
    "Telecom",
    "Telephone",
    "Address",
    "Reason",
    "History",
    "Description",
    "Institution",
    "Physician",
    "Operator",
    "Identifying",
    "Occupation",
    "Alert",
    "Allergies",
)
REMOVED_SEQUENCES = frozenset({"ContentSequence", "RequestAttributesSequence", "ReferencedPatientSequence"})
#: Groups removed whole: curves (50xx) and overlays (60xx), which can carry burned-in text.
REMOVED_GROUPS = (0x5000, 0x6000)

#: "Basic Application Confidentiality Profile", DICOM's code for what this module does (CID 7050).
BASIC_PROFILE_CODE = ("113100", "DCM", "Basic Application Confidentiality Profile")
METHOD = "Loupe: PS3.15 Basic Application Confidentiality Profile"  # LO: 64 characters at most


class UidMap:
    """New UIDs for original ones, the same new one each time the same original is seen (within
    one export), derived from a secret drawn per export so that no one can recompute them."""

    def __init__(self, secret: bytes | None = None):
        self._secret = secret or secrets.token_bytes(32)
        self._seen: dict[str, str] = {}

    def __call__(self, uid: str) -> str:
        if uid not in self._seen:
            digest = hashlib.sha256(self._secret + uid.encode()).digest()
            self._seen[uid] = f"2.25.{int.from_bytes(digest[:16], 'big')}"  # a UUID-derived UID (PS3.5 B.2)
        return self._seen[uid]


def _is_standard_uid(uid: str) -> bool:
    """A UID of the standard (an SOP class, a transfer syntax, a coding scheme): not identifying."""
    return UID(uid).name != uid


def burned_in_refusal(dataset: Dataset) -> str | None:
    """Why a file must not be exported as it is, or None: one that says its pixels carry burned-in
    annotation (names, dates written into the image), which removing tags cannot clean."""
    if str(dataset.get("BurnedInAnnotation", "")).strip().upper() == "YES":
        return "its BurnedInAnnotation says patient details may be written in its pixels; not exported"
    return None


def deidentified(dataset: Dataset, uids: UidMap) -> Dataset:
    """A de-identified copy of `dataset` (file meta included); the pixel data is untouched."""
    clean = deepcopy(dataset)
    _clean(clean, uids)
    if getattr(clean, "preamble", None):
        clean.preamble = b"\0" * 128  # free bytes before "DICM" (a dual DICOM/TIFF file's TIFF header)
    meta = getattr(clean, "file_meta", None)
    if meta is not None:
        for keyword in ("SourceApplicationEntityTitle", "SendingApplicationEntityTitle", "PrivateInformation"):
            if keyword in meta:
                delattr(meta, keyword)
        if "MediaStorageSOPInstanceUID" in meta and "SOPInstanceUID" in clean:
            meta.MediaStorageSOPInstanceUID = clean.SOPInstanceUID
    clean.PatientIdentityRemoved = "YES"
    clean.DeidentificationMethod = METHOD
    value, scheme, meaning = BASIC_PROFILE_CODE
    code = Dataset()
    code.CodeValue, code.CodingSchemeDesignator, code.CodeMeaning = value, scheme, meaning
    clean.DeidentificationMethodCodeSequence = Sequence([code])
    return clean


def _clean(dataset: Dataset, uids: UidMap) -> None:
    dataset.remove_private_tags()
    for element in list(dataset):
        tag, keyword = element.tag, element.keyword
        if tag.group & 0xFF00 in REMOVED_GROUPS or keyword in REMOVE:
            del dataset[tag]
        elif keyword in EMPTY or element.VR in EMPTY_VRS:
            element.value = None
        elif (
            element.VR in REMOVED_VRS or keyword in REMOVED_SEQUENCES or any(word in keyword for word in REMOVED_WORDS)
        ):
            del dataset[tag]
        elif element.VR == "UI" and element.value:
            element.value = _new_uids(element.value, uids)
        elif element.VR == "SQ":
            for item in element.value:
                _clean(item, uids)


def _new_uids(value, uids: UidMap):
    if isinstance(value, pydicom.multival.MultiValue):
        return [uid if _is_standard_uid(uid) else uids(uid) for uid in map(str, value)]
    return value if _is_standard_uid(str(value)) else uids(str(value))
