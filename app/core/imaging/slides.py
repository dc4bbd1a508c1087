"""Whole slides and large scenes: files too large to decode whole, read a region at a time.

    source = open_source("a.svs")              # levels, µm per pixel, bands, georeferencing
    pixels = source.read_region(level, x, y, w, h)   # x, y in level-0 pixels; w, h at `level`
    image = read_tile("a.svs", region, options)      # one tile as a DecodedImage (what decode does)

Two readers, in `READERS`: OpenSlide for vendor slide formats (SVS, NDPI, MRXS, SCN, …), tifffile
for pyramidal and OME-TIFF and GeoTIFF scenes (any band count and sample type), which reads only
the TIFF tiles or strips a region touches (through its zarr store). Memory is bounded by the region
asked for, never the level. Open sources are kept per thread (a few at a time): the grid, training
and prediction read thousands of tiles of one file.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from app.core.errors import ImageError
from app.core.imaging.band_tags import BandTags, band_tags_of
from app.core.imaging.decoded import DecodedImage, ImageInfo, compose_rgb
from app.core.imaging.georef import GeoRef, georef_of
from app.core.imaging.options import DecodeOptions
from app.core.imaging.part_paths import TileRegion
from app.core.imaging.tiff_decoder import band_names_of


@dataclass(frozen=True)
class Level:
    width: int
    height: int
    downsample: float  # level-0 pixels per pixel of this level


@dataclass
class SlideSource:
    """An open whole slide or scene. Subclasses read regions; everything else is facts."""

    path: str
    reader: str
    format: str  # what the file is: "svs", "ndpi", "generic-tiff", "ome-tiff", "geotiff", "tiff"
    levels: tuple[Level, ...]
    bands: int
    dtype: str  # numpy dtype of the samples ("uint8", "uint16", "float32")
    mpp: float | None = None  # µm per level-0 pixel, when the file says
    band_names: tuple[str, ...] = ()
    georef: GeoRef | None = None
    nodata: float | None = None  # the value that means "no data" in a scene (GDAL_NODATA)
    properties: dict = field(default_factory=dict)
    #: What the file says about its bands (names, scale and offset, metadata), read once when it
    #: opens: every tile of a scene is composed with them.
    band_tags: BandTags | None = None

    @property
    def width(self) -> int:
        return self.levels[0].width

    @property
    def height(self) -> int:
        return self.levels[0].height

    @property
    def kind(self) -> str:
        """ "scene" (georeferenced, with a nodata value, or many bands: remote sensing) or "slide"
        (a 16-bit or greyscale slide is still a slide: its glass is found, its tiles are RGB)."""
        if self.georef is not None or self.nodata is not None or self.bands > 4:
            return "scene"
        return "slide"

    @property
    def fill(self) -> float:
        """What lies outside the image: white glass for a slide, no data for a scene."""
        if self.kind == "scene":
            return self.nodata if self.nodata is not None else 0
        kind = np.dtype(self.dtype)
        return np.iinfo(kind).max if kind.kind in "ui" else 1.0

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> np.ndarray:
        """Samples of `width`×`height` pixels of `level`, from level-0 position (x, y): H×W×bands
        (H×W for one band). Parts outside the image are `fill`."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> SlideSource:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def facts(self) -> dict:
        return {
            "reader": self.reader,
            "format": self.format,
            "kind": self.kind,
            "width": self.width,
            "height": self.height,
            "levels": [[level.width, level.height, level.downsample] for level in self.levels],
            "mpp": self.mpp,
            "bands": self.bands,
            "dtype": self.dtype,
            "band_names": list(self.band_names),
            "georef": self.georef.to_json() if self.georef else None,
            "nodata": self.nodata,
        }


def _clipped_read(
    source: SlideSource, level: int, x: int, y: int, width: int, height: int, read: Callable
) -> np.ndarray:
    """Read the part of the region inside the level with `read(x0, y0, x1, y1)` (level pixels)
    and place it in a `fill`ed array of the asked size."""
    info = source.levels[level]
    left, top = round(x / info.downsample), round(y / info.downsample)
    x0, y0 = max(left, 0), max(top, 0)
    x1, y1 = min(left + width, info.width), min(top + height, info.height)
    shape = (height, width) if source.bands == 1 else (height, width, source.bands)
    if x0 == left and y0 == top and x1 == left + width and y1 == top + height:
        return _read_or_say(read, level, x0, y0, x1, y1)
    out = np.full(shape, source.fill, dtype=source.dtype)
    if x1 > x0 and y1 > y0:
        out[y0 - top : y1 - top, x0 - left : x1 - left] = _read_or_say(read, level, x0, y0, x1, y1)
    return out


def _read_or_say(read: Callable, level: int, x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
    """`read(...)`, a codec's or the store's error (a truncated or damaged file) made an
    ImageError that says where: one damaged part of a slide must not take its import down."""
    try:
        return read(x0, y0, x1, y1)
    except (ImageError, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - imagecodecs, zarr and tifffile raise their own kinds
        first_line = str(exc).splitlines()[0] if str(exc) else ""
        raise ImageError(
            f"cannot read level {level} at ({x0}, {y0})–({x1}, {y1}): the file may be damaged "
            f"({type(exc).__name__}: {first_line})"
        ) from exc


class TiffSource(SlideSource):
    """Pyramidal TIFF, OME-TIFF, GeoTIFF: tifffile, one zarr array per level."""

    def __init__(self, path: str):
        import tifffile
        import zarr

        try:
            self._tif = tifffile.TiffFile(path)
        except Exception as exc:
            raise ImageError(f"cannot read the TIFF header ({exc})") from exc
        try:
            series = self._tif.series[0]
            page = series.keyframe
            self._axes = [level.axes for level in series.levels]
            self._arrays = [zarr.open(self._tif.aszarr(series=0, level=i), mode="r") for i in range(len(series.levels))]
        except Exception as exc:
            self._tif.close()
            raise ImageError(f"cannot read this TIFF as tiles ({type(exc).__name__}: {exc})") from exc
        base_width = _axis_length(series.levels[0], "X")
        levels = tuple(
            Level(
                _axis_length(level, "X"),
                _axis_length(level, "Y"),
                base_width / max(_axis_length(level, "X"), 1),
            )
            for level in series.levels
        )
        bands = _samples(series.levels[0])
        tags = band_tags_of(page)
        super().__init__(
            path=path,
            reader="tifffile",
            format="ome-tiff" if self._tif.is_ome else "geotiff" if page.is_geotiff else "tiff",
            levels=levels,
            bands=bands,
            dtype=str(series.dtype),
            mpp=_tiff_mpp(self._tif, page),
            band_names=band_names_of(page),
            georef=georef_of(page),
            nodata=tags.nodata,
            band_tags=tags,
        )
        self._photometric = getattr(page.photometric, "name", str(page.photometric))

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> np.ndarray:
        array, axes = self._arrays[level], self._axes[level]

        def read(x0: int, y0: int, x1: int, y1: int) -> np.ndarray:
            index = tuple(
                slice(y0, y1) if axis == "Y" else slice(x0, x1) if axis == "X" else slice(None) for axis in axes
            )
            data = np.asarray(array[index])
            order = [axes.index("Y"), axes.index("X")] + [i for i, axis in enumerate(axes) if axis not in "YX"]
            data = np.transpose(data, order)
            data = data.reshape(data.shape[0], data.shape[1], -1)
            if self._photometric == "RGB" and data.shape[2] == 4:
                data = data[:, :, :3]  # RGBA slides: the alpha sample is not data
            return data[:, :, 0] if data.shape[2] == 1 else data

        return _clipped_read(self, level, x, y, width, height, read)

    def close(self) -> None:
        self._tif.close()


def _axis_length(level, axis: str) -> int:
    return int(level.shape[level.axes.index(axis)])


def _samples(level) -> int:
    count = 1
    for size, axis in zip(level.shape, level.axes):
        if axis not in "YX":
            count *= int(size)
    photometric = getattr(level.keyframe.photometric, "name", "")
    return 3 if photometric == "RGB" and count == 4 else count  # RGBA: alpha is not a band


def _tiff_mpp(tif, page) -> float | None:
    """µm per pixel from OME metadata, or from the resolution tags when in centimetres (as
    OpenSlide reads a generic TIFF; an inch resolution is usually a scanner's dpi, not a
    microscope's)."""
    if tif.is_ome:
        try:
            import re

            match = re.search(r'PhysicalSizeX="([0-9.eE+-]+)"', tif.ome_metadata or "")
            unit = re.search(r'PhysicalSizeXUnit="([^"]+)"', tif.ome_metadata or "")
            if match and (unit is None or unit.group(1) in ("µm", "um", "\u00b5m")):
                return float(match.group(1))
        except (TypeError, ValueError):
            pass
    unit = page.tags.get("ResolutionUnit")
    resolution = page.tags.get("XResolution")
    if unit is None or resolution is None or getattr(unit.value, "name", str(unit.value)) != "CENTIMETER":
        return None
    numerator, denominator = resolution.value
    if not numerator or not denominator:
        return None
    mpp = 10_000 * denominator / numerator
    return mpp if 0.01 <= mpp <= 1000 else None


class OpenSlideSource(SlideSource):
    """Vendor slide formats through OpenSlide (SVS, NDPI, MRXS, SCN, BIF, VMS, generic TIFF)."""

    def __init__(self, path: str):
        import openslide

        try:
            self._slide = openslide.OpenSlide(path)
        except (openslide.OpenSlideError, openslide.OpenSlideUnsupportedFormatError) as exc:
            raise ImageError(f"OpenSlide cannot read this slide ({exc})") from exc
        properties = dict(self._slide.properties)
        mpp = properties.get(openslide.PROPERTY_NAME_MPP_X)
        super().__init__(
            path=path,
            reader="openslide",
            format=properties.get(openslide.PROPERTY_NAME_VENDOR, "slide"),
            levels=tuple(
                Level(int(w), int(h), float(d))
                for (w, h), d in zip(self._slide.level_dimensions, self._slide.level_downsamples)
            ),
            bands=3,
            dtype="uint8",
            mpp=float(mpp) if mpp else None,
            properties=properties,
        )

    def read_region(self, level: int, x: int, y: int, width: int, height: int) -> np.ndarray:
        try:
            rgba = self._slide.read_region((x, y), level, (width, height))
        except Exception as exc:
            raise ImageError(f"OpenSlide cannot read this region ({exc})") from exc
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))  # outside the scanned area: glass
        return np.asarray(white)

    def close(self) -> None:
        self._slide.close()


def _vendor(path: str) -> str | None:
    try:
        import openslide

        return openslide.OpenSlide.detect_format(path)
    except Exception:  # OpenSlide's library missing on this platform: tifffile still reads TIFFs
        return None


def _is_tiff(path: str) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(4) in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")
    except OSError:
        return False


@dataclass(frozen=True)
class SourceReader:
    name: str
    opens: Callable[[str], bool]
    open: Callable[[str], SlideSource]


#: Tried in order: the first that says it opens a file reads it. Vendor formats go to OpenSlide
#: (it knows their levels, µm per pixel and overlaps); TIFFs of any other kind to tifffile, which
#: also reads scenes OpenSlide cannot (many bands, 16-bit, float).
READERS: dict[str, SourceReader] = {
    "openslide": SourceReader("openslide", lambda p: _vendor(p) not in (None, "generic-tiff"), OpenSlideSource),
    "tifffile": SourceReader("tifffile", _is_tiff, TiffSource),
}


def open_source(path: str | os.PathLike, reader: str | None = None) -> SlideSource:
    """Open a whole slide or scene with `reader` (a name in READERS), or the first that reads it."""
    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ImageError("file not found" if not os.path.exists(path) else "not a regular file")
    if reader is not None:
        return READERS[reader].open(path)
    for candidate in READERS.values():
        if candidate.opens(path):
            return candidate.open(path)
    raise ImageError("not a whole slide or scene Loupe reads (OpenSlide formats and TIFF)")


class _OpenSources(threading.local):
    def __init__(self):
        self.sources: OrderedDict[tuple, SlideSource] = OrderedDict()


_OPEN = _OpenSources()
#: Sources kept open per thread.
_KEEP_OPEN = 16


def cached_source(path: str | os.PathLike) -> SlideSource:
    """`open_source`, kept open in this thread for the next tile (a changed file is reopened)."""
    path = os.fspath(path)
    try:
        stat = os.stat(path)
    except OSError:
        raise ImageError("file not found") from None
    key = (path, stat.st_mtime_ns, stat.st_size)
    sources = _OPEN.sources
    if key in sources:
        sources.move_to_end(key)
        return sources[key]
    source = open_source(path)
    sources[key] = source
    while len(sources) > _KEEP_OPEN:
        sources.popitem(last=False)[1].close()
    return source


def region_pixels(source: SlideSource, region: TileRegion) -> np.ndarray:
    """A tile's samples, `region.size` pixels on its longer side."""
    level = source.levels[min(region.level, len(source.levels) - 1)]
    width = max(1, round(region.width / level.downsample))
    height = max(1, round(region.height / level.downsample))
    data = source.read_region(region.level, region.x, region.y, width, height)
    scale = region.size / max(region.width, region.height)
    out = (max(1, round(region.width * scale)), max(1, round(region.height * scale)))
    return resized(data, out)


def resized(data: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Samples resized to `size` (width, height): area averaging when shrinking, bilinear when
    growing; 8-bit RGB in one step, other samples band by band in float."""
    if (data.shape[1], data.shape[0]) == size:
        return data
    shrinking = size[0] < data.shape[1]
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    if data.dtype == np.uint8 and (data.ndim == 2 or data.shape[2] == 3):
        return np.asarray(Image.fromarray(data).resize(size, method))
    planes = data[:, :, None] if data.ndim == 2 else data
    out = np.stack(
        [
            np.asarray(Image.fromarray(planes[:, :, b].astype(np.float32), "F").resize(size, method))
            for b in range(planes.shape[2])
        ],
        axis=2,
    ).astype(data.dtype if data.dtype.kind == "f" else np.float32)
    return out[:, :, 0] if data.ndim == 2 else out


def slide_rgb(data: np.ndarray) -> np.ndarray:
    """A slide's samples as 8-bit RGB on the sample type's own full scale (a 16-bit scan divided
    by 257, a greyscale one repeated), never stretched tile by tile: a glass tile stays white."""
    if data.dtype != np.uint8:
        top = np.iinfo(data.dtype).max if data.dtype.kind in "ui" else 1.0
        data = np.clip(data.astype(np.float32) * (255.0 / top), 0, 255).astype(np.uint8)
    if data.ndim == 2:
        data = np.repeat(data[:, :, None], 3, axis=2)
    return np.ascontiguousarray(data[:, :, :3])


def source_rgb(source: SlideSource, samples: np.ndarray) -> np.ndarray:
    """A region of a source as 8-bit RGB, as the window and the overview show it: a slide on its
    full scale (`slide_rgb`), a scene composed as the viewer composes it (no data blank)."""
    if source.kind == "slide":
        return slide_rgb(samples)
    data = samples.astype(np.float32)
    if source.nodata is not None:
        data[data == source.nodata] = np.nan
    image, _, _ = compose_rgb(data, band_names=source.band_names)
    return np.asarray(image.convert("RGB"))


def read_tile(file: str | os.PathLike, region: TileRegion, options: DecodeOptions) -> DecodedImage:
    """One tile of a slide or scene, as `decode` returns an image."""
    source = cached_source(file)
    if region.level >= len(source.levels):
        raise ImageError(f"this file has {len(source.levels)} levels; the tile asks for level {region.level}")
    data = region_pixels(source, region)
    info = ImageInfo(
        format=source.format,
        width=data.shape[1],
        height=data.shape[0],
        bit_depth=np.dtype(source.dtype).itemsize * 8,
        bands=source.bands,
        mode="rgb" if source.kind == "slide" and source.bands == 3 else "multiband" if source.bands > 1 else "grey",
    )
    if source.kind == "slide":  # one fixed scale for every tile of a slide: glass stays white
        return DecodedImage(info=info, rgb=Image.fromarray(slide_rgb(data), "RGB"))
    if source.nodata is not None:
        data = np.where(data == source.nodata, np.nan, data.astype(np.float32))
    try:
        rgb, window, bands = compose_rgb(
            data,
            window=options.window,
            bands=options.bands,
            band_names=source.band_names,
            composite=options.composite,
            tags=source.band_tags,
        )
    except ValueError as exc:
        raise ImageError(str(exc)) from exc
    return DecodedImage(info=info, rgb=rgb, samples=data, window=window, bands_shown=bands)
