"""What a multi-band file says about its bands: names, scale and offset, no-data value, metadata.

GDAL keeps these in two TIFF tags: GDAL_METADATA (42112), an XML list of items, per band when
they carry a `sample` attribute (`role="description"` is the band's name, `role="scale"` and
`role="offset"` turn stored numbers into physical values) or for the whole file otherwise
(Sentinel-2's `BOA_ADD_OFFSET`, `PROCESSING_BASELINE`, …); and GDAL_NODATA (42113), the value
of pixels that hold no data. Composites need all of it: which sensor's layout the bands are,
how digital numbers become reflectance, and which pixels to show transparent. Read with expat,
which refuses entity-expansion bombs.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field
from xml.etree import ElementTree


@dataclass(frozen=True)
class BandTags:
    """`names[i]`, `scales[i]`, `offsets[i]` describe band i (empty or None where the file is
    silent); `items` are the file-wide metadata items and `band_items[i]` band i's own."""

    names: tuple[str, ...] = ()
    nodata: float | None = None
    scales: tuple[float | None, ...] = ()
    offsets: tuple[float | None, ...] = ()
    items: dict[str, str] = field(default_factory=dict)
    band_items: tuple[dict[str, str], ...] = ()

    def item(self, name: str, band: int | None = None) -> str | None:
        """A metadata item for `band` (its own value first, then the file's), or None."""
        if band is not None and band < len(self.band_items) and name in self.band_items[band]:
            return self.band_items[band][name]
        return self.items.get(name)

    def scale_of(self, band: int) -> float | None:
        return self.scales[band] if band < len(self.scales) else None

    def offset_of(self, band: int) -> float | None:
        return self.offsets[band] if band < len(self.offsets) else None


def _number(text: str | None) -> float | None:
    try:
        return float(str(text).strip().strip("\x00"))
    except (TypeError, ValueError):
        return None


def parse_gdal_metadata(xml: str, nodata: float | None = None) -> BandTags:
    """BandTags from GDAL_METADATA's XML text (malformed XML: no tags)."""
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError:
        return BandTags(nodata=nodata)
    items: dict[str, str] = {}
    per_band: dict[int, dict[str, str]] = {}
    roles: dict[str, dict[int, str]] = {"description": {}, "scale": {}, "offset": {}}
    for item in root.iter("Item"):
        name, text = item.get("name") or "", (item.text or "").strip()
        sample = item.get("sample") or ""
        if not sample.isdigit():
            items[name] = text
            continue
        band = int(sample)
        role = item.get("role")
        if role in roles:
            roles[role][band] = text
        else:
            per_band.setdefault(band, {})[name] = text
    count = max([*per_band, *(b for r in roles.values() for b in r)], default=-1) + 1
    names = tuple(roles["description"].get(b, "") for b in range(count)) if roles["description"] else ()
    return BandTags(
        names=names,
        nodata=nodata,
        scales=tuple(_number(roles["scale"].get(b)) for b in range(count)),
        offsets=tuple(_number(roles["offset"].get(b)) for b in range(count)),
        items=items,
        band_items=tuple(per_band.get(b, {}) for b in range(count)),
    )


def band_tags_of(page) -> BandTags:
    """The band tags of a tifffile page (none: an empty BandTags)."""
    nodata_tag = page.tags.get("GDAL_NODATA")
    nodata = _number(nodata_tag.value) if nodata_tag is not None else None
    metadata = page.tags.get("GDAL_METADATA")
    if metadata is None or not isinstance(metadata.value, str):
        return BandTags(nodata=nodata)
    return parse_gdal_metadata(metadata.value, nodata)


def band_tags_of_file(path: str | os.PathLike) -> BandTags:
    """The band tags of a TIFF's first page, read from its header only (a file that is not a
    TIFF, or cannot be read, has none). A path naming a part of a file reads the file's. Kept
    per file version: every tile of a scene asks."""
    from app.core.imaging.part_paths import file_of

    file = file_of(path)
    try:
        stat = os.stat(file)
    except OSError:
        return BandTags()
    return _file_tags(file, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=64)
def _file_tags(file: str, mtime_ns: int, size: int) -> BandTags:
    import tifffile

    try:
        with tifffile.TiffFile(file) as tif:
            return band_tags_of(tif.pages.first)
    except Exception:  # not a TIFF, or a damaged one: the decoder says why; here, no tags
        return BandTags()
