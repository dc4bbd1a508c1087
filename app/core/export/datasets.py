"""Labels out of a project: as a CSV, or as the labelled images in one folder per class (the
ImageFolder layout every training library reads). `formats.EXPORTERS` lists them with the model
formats.

The image files are never moved or changed: ImageFolder entries are hard links where the file
system allows (no extra space), copies elsewhere; an image whose file is gone is listed, not
fatal. Both are written whole or not at all (`atomic_files`).

Nothing exported carries a patient's identity:
- a DICOM image is written de-identified (`anonymise`: the PS3.15 Basic Profile; UIDs replaced
  consistently within the export; pixels untouched), never linked, and one whose
  BurnedInAnnotation is YES is not exported (listed with the reason);
- a part of a file (a DICOM frame, a tile of a slide) is written as a PNG of its pixels as Loupe
  shows them (`decode(path).rgb`), never a link to the whole file; a tile of a georeferenced
  scene as a GeoTIFF of its samples, placed where it lies (`geotiff_writer`);
- a DICOM image (whole or frame) is named by its project image id ("17.dcm", "18.png"), in the
  folder and in the CSV alike: folder and file names of clinical exports often hold the patient's
  name, ID or accession number. The CSV's other columns (class, label source, when it was
  labelled, image id) hold nothing about the patient; other formats keep their paths.
"""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.core.atomic_files import written_folder, written_whole
from app.core.errors import Cancelled, ImageError
from app.core.export.folder_names import file_name, folder_names
from app.core.export.report import ExportReport
from app.core.file_names import shown
from app.core.project.outputs import CSV_FILE, NEW_FOLDER, check_output
from app.core.project.store import Project

if TYPE_CHECKING:
    from app.core.export.anonymise import UidMap


@dataclass(frozen=True)
class ExportProgress:
    """Images placed so far, of all there are to place."""

    done: int
    total: int


def _labelled(project: Project) -> list[tuple[int, str, str, str, str, str]]:
    """(image id, stored path, class name, label source, labelled at, format) of every labelled
    image; a tile of a whole slide has the format "slide" (its name is a patient's as a DICOM's is)."""
    return project.conn.execute(
        "SELECT i.id, i.path, c.name, l.source, l.updated_at,"
        " CASE WHEN s.kind = 'slide' THEN 'slide' ELSE i.format END FROM labels l JOIN images i"
        " ON i.id = l.image_id JOIN classes c ON c.id = l.class_id LEFT JOIN sources s ON s.id = i.source_id"
        " WHERE c.deleted = 0 ORDER BY c.position, c.id, i.path"
    ).fetchall()


def split_part(stored: str):
    """`part_paths.split_part`, imported when an export runs: the imaging package loads every
    decoder (Pillow, tifffile, pydicom), and `loupe info` must not wait for them."""
    from app.core.imaging.part_paths import split_part as split

    return split(stored)


def pseudonym(image_id: int, stored: str, fmt: str) -> str | None:
    """The name a medical image is exported under, its project id: a DICOM "17.dcm" (a frame
    "17.png"), a tile of a whole slide "17.png" (slide files and folders are named by accession
    numbers); None for an image whose own name is kept (a photo, a satellite scene's tile)."""
    if fmt == "slide":
        return f"{image_id}.png"
    if fmt != "dicom":
        return None
    return f"{image_id}.png" if split_part(stored).is_part else f"{image_id}.dcm"


def export_labels_csv(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """One row per labelled image: absolute path (a DICOM image: its pseudonym, the name the
    ImageFolder export gives it), class, where the label came from, when, and its image id."""
    out = check_output(out, CSV_FILE, project.paths)
    rows = _labelled(project)
    with written_whole(out) as f:  # never half a file under the name asked for
        writer = csv.writer(f)
        writer.writerow(["path", "class", "source", "labelled_at", "image"])
        for image_id, path, name, source, when, fmt in rows:
            shown_path = pseudonym(image_id, path, fmt) or shown(os.path.abspath(project.resolve_path(path)))
            writer.writerow([shown_path, name, source, when, image_id])
    return ExportReport("labels-csv", str(out), images=len(rows))


def export_imagefolder(
    project: Project,
    out: Path,
    run_id: int | None = None,
    on_progress: Callable[[object], None] = lambda event: None,
    should_stop: Callable[[], bool] = lambda: False,
) -> ExportReport:
    """out/<class>/<file name> in a new or empty folder: hard links where possible, else copies;
    two images with the same file name in one class get their image id in front of the second
    one's name. Class names become folder names every system accepts (`folder_names`), each
    renamed one reported. A DICOM image is written de-identified under its image id, a frame or
    a tile as its pixels (see the module docstring: `PLACERS`). Written into a temporary folder
    renamed to `out` when complete: a stop, an error or a kill never leaves part of the images
    under `out`."""
    out = check_output(out, NEW_FOLDER, project.paths)
    rows = _labelled(project)
    folders = folder_names(dict.fromkeys(row[2] for row in rows))
    report = ExportReport(
        "imagefolder", str(out), folders={name: folder for name, folder in folders.items() if name != folder}
    )

    from app.core.export.anonymise import UidMap

    uids = UidMap()  # one per export: a study's images still share their (new) study UID

    def write(folder: Path) -> None:
        for done, (image_id, path, name, _, _, fmt) in enumerate(rows):
            if should_stop():
                raise Cancelled(f"export stopped after {done} of {len(rows)} images; nothing was written to {out}")
            source = project.resolve_path(split_part(path).file)
            if not source.is_file():
                report.missing.append({"path": shown(os.path.abspath(source)), "reason": "file not found"})
                continue
            image = _ExportedImage(image_id, project.resolve_path(path), source, fmt, pseudonym(image_id, path, fmt))
            PLACERS[_kind(path, fmt, source)](image, folder / folders[name], uids, report)
            on_progress(ExportProgress(done + 1, len(rows)))

    written_folder(out, write)
    return report


@dataclass(frozen=True)
class _ExportedImage:
    image_id: int
    path: Path  # what `decode` reads: the file, or the file and the part it names
    file: Path  # the file on disk
    format: str
    pseudonym: str | None  # the name to write it under, when its own may identify the patient


def _kind(stored: str, fmt: str, file: Path) -> str:
    """How an image is written: a tile of a georeferenced scene as a GeoTIFF of its samples, any
    other part of a file as its pixels, a DICOM de-identified, any other file linked."""
    part = split_part(stored)
    if part.tile is not None and _georef_of(file) is not None:
        return "scene tile"
    return "part" if part.is_part else "dicom" if fmt == "dicom" else "file"


def _georef_of(file: Path):
    from app.core.imaging.slides import cached_source

    try:
        return cached_source(file).georef
    except ImageError:
        return None  # not a source Loupe can open: its tiles are written as their pixels


def _place(image: _ExportedImage, folder: Path, uids: UidMap, report: ExportReport) -> None:
    """The file into `folder`: a hard link, else a copy, under a name no other image there has."""

    folder.mkdir(exist_ok=True)
    target = _target(folder, image.file.name, image.image_id)
    try:
        os.link(image.file, target)
        report.linked += 1
    except OSError:  # another file system, or one without hard links
        shutil.copy2(image.file, target)
        report.copied += 1
    report.images += 1


def _target(folder: Path, name: str, image_id: int) -> Path:
    target = folder / file_name(name)
    if os.path.lexists(target):  # another image of the class with the same file name
        target = folder / file_name(f"{image_id}-{name}")
    return target


def _place_deidentified(image: _ExportedImage, folder: Path, uids: UidMap, report: ExportReport) -> None:
    """A DICOM file written de-identified (`anonymise`), its pixel data as stored; one whose
    pixels may carry burned-in patient details is listed as missing, with why."""
    import pydicom

    from app.core.export.anonymise import burned_in_refusal, deidentified

    try:
        dataset = pydicom.dcmread(image.file, force=True)
    except Exception as exc:  # a damaged file: say so, never export what could not be cleaned
        report.missing.append({"path": shown(os.path.abspath(image.file)), "reason": f"cannot read it ({exc})"})
        return
    refusal = burned_in_refusal(dataset)
    if refusal:
        report.missing.append({"path": shown(os.path.abspath(image.file)), "reason": refusal})
        return
    folder.mkdir(exist_ok=True)
    deidentified(dataset, uids).save_as(_target(folder, image.pseudonym, image.image_id), enforce_file_format=False)
    report.copied += 1
    report.images += 1


def _dicom_refusal(image: _ExportedImage) -> str | None:
    """`burned_in_refusal` of the DICOM file a frame is part of, read from its header."""
    import pydicom

    from app.core.export.anonymise import burned_in_refusal

    try:
        header = pydicom.dcmread(image.file, force=True, stop_before_pixels=True)
    except Exception as exc:  # noqa: BLE001 - never export what could not be checked
        return f"cannot read its header ({exc})"
    return burned_in_refusal(header)


def _place_pixels(image: _ExportedImage, folder: Path, uids: UidMap, report: ExportReport) -> None:
    """A frame or a tile as a PNG of its pixels as Loupe shows them: never the whole file it is
    part of (a slide's other tiles, a series' other frames and its header stay behind)."""
    from app.core.imaging import decode

    refusal = _dicom_refusal(image) if image.format == "dicom" else None
    if refusal:  # a frame of a cine loop is as burned-in as its file
        report.missing.append({"path": shown(os.path.abspath(image.path)), "reason": refusal})
        return
    try:
        rgb = decode(image.path).rgb
    except ImageError as exc:
        report.missing.append({"path": shown(os.path.abspath(image.path)), "reason": str(exc)})
        return
    folder.mkdir(exist_ok=True)
    name = image.pseudonym or _part_name(image.path)
    target = _target(folder, name, image.image_id)
    rgb.save(target, "PNG")
    report.copied += 1
    report.images += 1


def _part_name(path: Path) -> str:
    """A tile's file name: its source's name and where the tile is ("scene-L0-512-1024.png")."""
    part = split_part(path)
    stem = Path(part.file).stem
    if part.tile is not None:
        return f"{stem}-L{part.tile.level}-{part.tile.x}-{part.tile.y}.png"
    return f"{stem}-frame{part.frame}.png"


def _place_scene_tile(image: _ExportedImage, folder: Path, uids: UidMap, report: ExportReport) -> None:
    """A tile of a georeferenced scene as a GeoTIFF of its samples as stored (every band, the
    scene's band names and no-data value), placed where it lies: it opens in QGIS on top of the
    scene it was cut from."""
    from app.core.imaging.geotiff_writer import write_georeferenced
    from app.core.imaging.slides import cached_source, region_pixels

    region = split_part(image.path).tile
    try:
        source = cached_source(image.file)
        pixels = region_pixels(source, region)
    except ImageError as exc:
        report.missing.append({"path": shown(os.path.abspath(image.path)), "reason": str(exc)})
        return
    folder.mkdir(exist_ok=True)
    target = _target(folder, _part_name(image.path).removesuffix(".png") + ".tif", image.image_id)
    names = source.band_names if len(source.band_names) == (pixels.shape[2] if pixels.ndim == 3 else 1) else ()
    write_georeferenced(pixels, source.georef.for_tile(region), target, names, source.nodata)
    report.copied += 1
    report.images += 1


#: How each kind of image is written into its class folder (`_kind`).
PLACERS: dict[str, Callable[[_ExportedImage, Path, UidMap, ExportReport], None]] = {
    "file": _place,
    "dicom": _place_deidentified,
    "part": _place_pixels,
    "scene tile": _place_scene_tile,
}
