"""Named band composites of satellite images: Sentinel-2 and Landsat 8/9 shown as analysts know them.

A remote-sensing analyst does not think "bands 4, 3, 2" but "true colour", "false colour (NIR)",
"SWIR", "NDVI". This module recognises which sensor's bands a file holds (`recognise`, from its
band names — "B4", "B04", "SR_B4", "Red" — or, when unnamed, its band count), turns stored
digital numbers into reflectance (`reflectance_scaling`), and renders a composite by name
(`render`) on a *fixed* reflectance range, so every tile of a scene, and every scene of a
project, looks alike (a per-image percentile stretch makes a tile of sea and a tile of desert
look equally bright, which hides what a classifier must learn). Pixels without data (the file's
GDAL_NODATA, NaN, or all-zero Sentinel-2 digital numbers) come back as an alpha mask; where an
RGB image is needed they are painted `NEUTRAL`.

Three registries: `SENSORS` (band ids and their roles, how DNs become reflectance), `LAYOUTS`
(band orders as products ship them, to recognise unnamed files by band count) and `COMPOSITES`
(which roles a composite shows and how). Nothing outside them tests a sensor's or composite's name.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from app.core.imaging.band_tags import BandTags
from app.core.imaging.windowing import Window, apply_window, auto_window

#: What a pixel without data shows as where an RGB image is needed (thumbnails, training): the
#: ImageNet mean colour. Black would read as water or shadow and white as cloud, both classes
#: an analyst labels; the mean colour is what the backbones' normalisation maps to zero, so a
#: model sees "no signal" there rather than a land cover.
NEUTRAL = (124, 116, 104)


# -- sensors ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scaling:
    """reflectance = stored · scale + offset."""

    scale: float
    offset: float = 0.0

    def apply(self, plane: np.ndarray) -> np.ndarray:
        return plane.astype(np.float32) * np.float32(self.scale) + np.float32(self.offset)


def _first_number(text: str | None) -> float | None:
    """The first number in a metadata value (Sentinel-2 lists one per band: "-1000 -1000 …")."""
    match = re.search(r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?", text or "")
    return float(match.group()) if match else None


def _sentinel2_scaling(tags: BandTags, band: int) -> Scaling:
    """Sentinel-2 L1C/L2A digital numbers are reflectance × 10000 (QUANTIFICATION_VALUE). Since
    processing baseline 04.00 (January 2022) ESA adds 1000 to every DN so that dark pixels can go
    below zero: a file that says so (BOA_ADD_OFFSET for L2A, RADIO_ADD_OFFSET for L1C, usually
    -1000) gets it subtracted; without that item the DNs are taken as plain (an older baseline,
    or a product whose offset was already removed)."""
    quantification = next(
        (
            value
            for key in ("BOA_QUANTIFICATION_VALUE", "QUANTIFICATION_VALUE")
            if (value := _first_number(tags.item(key, band)))
        ),
        10000.0,
    )
    offset = next(
        (
            value
            for key in ("BOA_ADD_OFFSET", "RADIO_ADD_OFFSET")
            if (value := _first_number(tags.item(key, band))) is not None
        ),
        0.0,
    )
    return Scaling(1 / quantification, offset / quantification)


def _landsat_scaling(tags: BandTags, band: int) -> Scaling:
    """Landsat Collection 2 Level-2 surface reflectance: DN × 0.0000275 − 0.2 (USGS). Landsat
    stacks that reach Loupe are in practice Level-2; Level-1 DNs read this way come out close
    enough to reflectance to look right, which is all a display needs."""
    return Scaling(0.0000275, -0.2)


def _no_scaling(tags: BandTags, band: int) -> None:
    return None


@dataclass(frozen=True)
class Sensor:
    """A sensor's bands by id ("4", "8A"), each with the roles it plays ("red", "nir"); how its
    stored numbers become reflectance (None: unknown, then composites stretch each image on its
    own); and whether an all-zero pixel means "no data" (Sentinel-2's products fill outside the
    swath with 0)."""

    name: str
    title: str
    bands: dict[str, tuple[str, ...]]
    reflectance: Callable[[BandTags, int], Scaling | None] = _no_scaling
    name_prefixes: tuple[str, ...] = ()  # band-name prefixes only this sensor's files use
    blank_is_nodata: bool = False


SENTINEL2 = Sensor(
    "sentinel-2",
    "Sentinel-2 MSI",
    {
        "1": ("coastal",),
        "2": ("blue",),
        "3": ("green",),
        "4": ("red",),
        "5": ("rededge1",),
        "6": ("rededge2",),
        "7": ("rededge3",),
        "8": ("nir",),
        "8A": ("nir_narrow",),
        "9": ("water_vapour",),
        "10": ("cirrus",),
        "11": ("swir1",),
        "12": ("swir2",),
    },
    _sentinel2_scaling,
    blank_is_nodata=True,
)
LANDSAT = Sensor(
    "landsat-8-9",
    "Landsat 8/9 OLI-TIRS",
    {
        "1": ("coastal",),
        "2": ("blue",),
        "3": ("green",),
        "4": ("red",),
        "5": ("nir", "nir_narrow"),  # OLI's NIR band is already narrow (0.85–0.88 µm)
        "6": ("swir1",),
        "7": ("swir2",),
        "8": ("panchromatic",),
        "9": ("cirrus",),
        "10": ("thermal1",),
        "11": ("thermal2",),
    },
    _landsat_scaling,
    name_prefixes=("SR_", "ST_", "QA_"),
)
#: Bands known by what they are ("Red", "NIR", "SWIR 1"), not by a sensor: composites show them
#: by role, stretched per image unless the file gives a scale (GDAL's scale/offset).
NAMED_BANDS = Sensor("bands", "Named bands", {})

#: Four unnamed bands: blue, green, red, NIR, the order of Sentinel-2's 10 m bands (B2, B3, B4,
#: B8) and of PlanetScope and NAIP-style products. Their scaling differs by product (and 8-bit
#: ones have none), so they are stretched per image, and a black pixel is just black.
FOUR_BANDS = Sensor(
    "blue-green-red-nir", "Blue, green, red, NIR", {"1": ("blue",), "2": ("green",), "3": ("red",), "4": ("nir",)}
)

#: Sensors recognised by the band ids in a file's band names.
SENSORS: dict[str, Sensor] = {sensor.name: sensor for sensor in (SENTINEL2, LANDSAT)}


@dataclass(frozen=True)
class Layout:
    """Bands in the order a product ships them: how an unnamed file of that band count is read."""

    name: str
    sensor: Sensor
    band_ids: tuple[str, ...]


_S2_ALL = ("1", "2", "3", "4", "5", "6", "7", "8", "8A", "9", "10", "11", "12")
#: Unnamed files recognised by band count, as the products ship their bands.
LAYOUTS: dict[int, Layout] = {
    len(layout.band_ids): layout
    for layout in (
        Layout("sentinel-2-l1c", SENTINEL2, _S2_ALL),
        Layout("sentinel-2-l2a", SENTINEL2, tuple(b for b in _S2_ALL if b != "10")),
        Layout("landsat-oli-tirs", LANDSAT, ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11")),
        Layout("landsat-oli", LANDSAT, ("1", "2", "3", "4", "5", "6", "7")),
        Layout("blue-green-red-nir", FOUR_BANDS, ("1", "2", "3", "4")),
    )
}


# -- recognising a file's bands -------------------------------------------------------------------


@dataclass(frozen=True)
class BandLayout:
    """A file's bands, recognised: the sensor, the layout's name, and which file band plays each
    role ("red" → 3)."""

    sensor: Sensor
    layout: str
    roles: dict[str, int] = field(default_factory=dict)

    def band(self, alternatives: tuple[str, ...]) -> int | None:
        """The file band of the first role in `alternatives` this file has."""
        return next((self.roles[role] for role in alternatives if role in self.roles), None)


_BAND_ID = re.compile(r"^(?P<prefix>[A-Z]+_)?B(?:AND)?[ _]?0*(?P<id>\d{1,2}A?)(?![0-9A-Z])")

#: Band descriptions that say what a band is, in the order they are tried ("red edge" before
#: "red", "SWIR 2" before "SWIR").
_ROLE_WORDS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (role, re.compile(pattern))
    for role, pattern in (
        ("rededge", r"red ?edge"),
        ("nir_narrow", r"\bnir ?narrow|narrow nir"),
        ("nir", r"\bnir\b|near ?infra ?red"),
        ("swir2", r"\bswir ?(2|22)\b"),
        ("swir1", r"\bswir ?(1|16)?\b"),
        ("coastal", r"coastal|aerosol"),
        ("red", r"\bred\b"),
        ("green", r"\bgreen\b"),
        ("blue", r"\bblue\b"),
    )
)


def band_id(name: str) -> tuple[str, str] | None:
    """("SR_", "4") for "SR_B4"; ("", "8A") for "B8A" or "B08A, central wavelength 865 nm"."""
    match = _BAND_ID.match(name.strip().upper())
    return (match.group("prefix") or "", match.group("id")) if match else None


def band_role(name: str) -> str | None:
    """The role a band description names ("SWIR 1" → "swir1"), or None."""
    words = " ".join(name.lower().replace("_", " ").replace("-", " ").split())
    return next((role for role, pattern in _ROLE_WORDS if pattern.search(words)), None)


def recognise(band_count: int, tags: BandTags | None = None) -> BandLayout | None:
    """Which sensor's bands a file of `band_count` bands holds: by band ids in its names (a
    sensor whose bands include them all; a name prefix such as Landsat's "SR_" decides between
    sensors), else by role words in its names, else, with no names, by band count (LAYOUTS).
    None when nothing says (then the first three bands are shown, as before)."""
    names = tuple((tags.names if tags else ())[:band_count])
    if any(names):
        return _by_band_ids(names) or _by_role_words(names)
    layout = LAYOUTS.get(band_count)
    if layout is None:
        return None
    return BandLayout(layout.sensor, layout.name, _roles(layout.sensor, layout.band_ids))


def _roles(sensor: Sensor, ids) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, identifier in enumerate(ids):
        for role in sensor.bands.get(identifier, ()) if identifier else ():
            roles.setdefault(role, index)
    return roles


def _by_band_ids(names: tuple[str, ...]) -> BandLayout | None:
    """By band ids in the names; bands whose names are not ids (a Landsat stack's QA_PIXEL, a
    Sentinel-2 stack's SCL) are left out, as long as three or more bands are named by id."""
    ids = [parsed[1] if (parsed := band_id(name)) else None for name in names]
    known = [identifier for identifier in ids if identifier]
    if len(known) < 3 or len(set(known)) != len(known):
        return None
    candidates = [sensor for sensor in SENSORS.values() if set(known) <= set(sensor.bands)]
    prefixed = [
        sensor
        for sensor in candidates
        if sensor.name_prefixes and any(name.strip().upper().startswith(sensor.name_prefixes) for name in names)
    ]
    chosen = prefixed or _best_covered(candidates, set(known))
    if len(chosen) != 1:
        return None
    sensor = chosen[0]
    return BandLayout(sensor, f"{sensor.name} (named bands)", _roles(sensor, ids))


def _best_covered(candidates: list[Sensor], ids: set[str]) -> list[Sensor]:
    """Between sensors whose bands include all of a file's, the one a product of that sensor
    would ship: a visible-colour stack holds the sensor's NIR (B2, B3, B4, B8 is Sentinel-2's:
    B8 is Landsat's panchromatic band; B1–B7 is Landsat's: Sentinel-2's would hold B8); then
    the sensor whose bands the file covers most (B1–B11 is all of Landsat's, not Sentinel-2's
    without B8A and B12)."""
    plausible = [sensor for sensor in candidates if _plausible(sensor, ids)] or candidates
    if not plausible:
        return []
    coverage = {sensor.name: len(ids) / len(sensor.bands) for sensor in plausible}
    best = max(coverage.values())
    return [sensor for sensor in plausible if coverage[sensor.name] == best]


def _plausible(sensor: Sensor, ids: set[str]) -> bool:
    roles = {role for identifier in ids for role in sensor.bands[identifier]}
    return "nir" in roles or not ({"red", "green", "blue"} <= roles)


def _by_role_words(names: tuple[str, ...]) -> BandLayout | None:
    roles: dict[str, int] = {}
    for index, name in enumerate(names):
        role = band_role(name) if name else None
        if role is not None:
            roles.setdefault(role, index)
    if not ({"red", "green", "blue"} <= set(roles) or {"nir", "red"} <= set(roles)):
        return None
    return BandLayout(NAMED_BANDS, "named bands", roles)


# -- reflectance ------------------------------------------------------------------------------------


def looks_like_digital_numbers(samples: np.ndarray) -> bool:
    """Integer samples are digital numbers; float samples are too when they run far above 1 (a
    DN product saved as float, or tiles resampled in float), else they are reflectance already."""
    if samples.dtype.kind in "iu":
        return True
    flat = samples.reshape(-1)[:: max(1, samples.size // 100_000)]
    flat = flat[np.isfinite(flat)]
    return bool(flat.size) and float(np.percentile(flat, 99)) > 2.0


def reflectance_scaling(layout: BandLayout, tags: BandTags | None, band: int, digital_numbers: bool) -> Scaling | None:
    """How band `band`'s stored numbers become reflectance: the file's own scale and offset
    (GDAL's per-band metadata) when it gives them; none needed for reflectance stored as float;
    else the sensor's rule (None: unknown)."""
    tags = tags or BandTags()
    scale, offset = tags.scale_of(band), tags.offset_of(band)
    if scale is not None or offset is not None:
        return Scaling(1.0 if scale is None else scale, offset or 0.0)
    if not digital_numbers:
        return Scaling(1.0)
    return layout.sensor.reflectance(tags, band)


# -- composites -----------------------------------------------------------------------------------


def _stretched(composite: Composite, planes: list[np.ndarray], scaled: bool, valid: np.ndarray) -> np.ndarray:
    """Three reflectance planes on the composite's fixed range (or, when reflectance is unknown,
    each on its own robust range over the pixels with data)."""
    out = []
    for plane in planes:
        window = Window.from_range(*composite.stretch) if scaled else auto_window(plane[valid])
        out.append(apply_window(plane, window))
    return np.dstack(out)


#: ColorBrewer's RdYlGn (11 classes): red where there is no vegetation, yellow for bare soil,
#: green for dense vegetation, the scale NDVI maps are read with.
NDVI_COLOURS = np.array(
    [
        (165, 0, 38),
        (215, 48, 39),
        (244, 109, 67),
        (253, 174, 97),
        (254, 224, 139),
        (255, 255, 191),
        (217, 239, 139),
        (166, 217, 106),
        (102, 189, 99),
        (26, 152, 80),
        (0, 104, 55),
    ],
    dtype=np.float32,
)


def ndvi(nir: np.ndarray, red: np.ndarray) -> np.ndarray:
    """(NIR − red) / (NIR + red); NaN where both are zero."""
    nir, red = nir.astype(np.float32), red.astype(np.float32)
    total = nir + red
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total != 0, (nir - red) / total, np.nan).astype(np.float32)


def index_colours(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """`values` through NDVI_COLOURS, `low` red to `high` green (NaN: NEUTRAL)."""
    position = (np.nan_to_num(values, nan=low) - low) / (high - low) * (len(NDVI_COLOURS) - 1)
    position = np.clip(position, 0, len(NDVI_COLOURS) - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, len(NDVI_COLOURS) - 1)
    weight = (position - below)[..., None]
    rgb = NDVI_COLOURS[below] * (1 - weight) + NDVI_COLOURS[above] * weight
    rgb = np.rint(rgb).astype(np.uint8)
    rgb[~np.isfinite(values)] = NEUTRAL
    return rgb


#: Steps of the index colour table: finer than the eye can tell apart, and a table lookup is ten
#: times faster than interpolating every pixel between palette colours.
_INDEX_STEPS = 1024


@functools.lru_cache(maxsize=4)
def _index_table(low: float, high: float) -> np.ndarray:
    """index_colours at _INDEX_STEPS values from `low` to `high`, then NEUTRAL for NaN."""
    steps = np.linspace(low, high, _INDEX_STEPS, dtype=np.float32)
    return np.vstack([index_colours(steps, low, high), np.array([NEUTRAL], np.uint8)])


def index_colours_fast(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """`index_colours` through a table (what a composite uses on whole images)."""
    position = (values - np.float32(low)) * np.float32((_INDEX_STEPS - 1) / (high - low))
    np.clip(position, 0, _INDEX_STEPS - 1, out=position)
    indices = np.rint(np.nan_to_num(position, nan=_INDEX_STEPS)).astype(np.intp)
    return _index_table(low, high)[indices]


def _ndvi_map(composite: Composite, planes: list[np.ndarray], scaled: bool, valid: np.ndarray) -> np.ndarray:
    return index_colours_fast(ndvi(planes[0], planes[1]), *composite.stretch)


@dataclass(frozen=True)
class Composite:
    """A named view of a file's bands: the roles read (for each input, alternatives in order of
    preference: SWIR uses Sentinel-2's narrow NIR, B8A, where there is one), the reflectance
    range shown, and how the planes become RGB."""

    name: str
    title: str
    inputs: tuple[tuple[str, ...], ...]
    stretch: tuple[float, float]
    paint: Callable[[Composite, list[np.ndarray], bool, np.ndarray], np.ndarray] = _stretched
    description: str = ""

    def bands_in(self, layout: BandLayout) -> tuple[int, ...] | None:
        """The file bands this composite reads, or None when the file lacks one."""
        bands = tuple(layout.band(alternatives) for alternatives in self.inputs)
        return None if None in bands else bands  # type: ignore[return-value]


COMPOSITES: dict[str, Composite] = {
    composite.name: composite
    for composite in (
        Composite(
            "true_colour",
            "True colour",
            (("red",), ("green",), ("blue",)),
            (0.0, 0.3),
            description="Red, green, blue as the eye sees them (reflectance 0–0.3)",
        ),
        Composite(
            "false_colour_nir",
            "False colour (NIR)",
            (("nir",), ("red",), ("green",)),
            (0.0, 0.5),
            description="Near-infrared as red: healthy vegetation shows bright red (reflectance 0–0.5)",
        ),
        Composite(
            "swir",
            "SWIR",
            (("swir2",), ("nir_narrow", "nir"), ("red",)),
            (0.0, 0.5),
            description="SWIR 2, NIR, red (Sentinel-2 12-8A-4, Landsat 7-5-4): moisture, burn scars, "
            "bare soil (reflectance 0–0.5)",
        ),
        Composite(
            "ndvi",
            "NDVI",
            (("nir",), ("red",)),
            (-1.0, 1.0),
            _ndvi_map,
            description="NDVI = (NIR − red) / (NIR + red), coloured red (−1: water, no vegetation) "
            "through yellow (0: bare soil) to green (+1: dense vegetation)",
        ),
    )
}
#: What a recognised file shows until the project chooses otherwise.
DEFAULT_COMPOSITE = "true_colour"


def available(layout: BandLayout | None) -> tuple[str, ...]:
    """The composites a file with this layout can show, in COMPOSITES order."""
    if layout is None:
        return ()
    return tuple(name for name, composite in COMPOSITES.items() if composite.bands_in(layout) is not None)


# -- rendering ------------------------------------------------------------------------------------


@dataclass
class Rendered:
    """A composite as pixels: `rgb` (nodata painted NEUTRAL), `alpha` (True where there is data),
    the composite's name and the file bands it read."""

    rgb: np.ndarray
    alpha: np.ndarray
    composite: str
    bands: tuple[int, ...]

    def rgba(self) -> np.ndarray:
        return np.dstack([self.rgb, np.where(self.alpha, 255, 0).astype(np.uint8)])

    @property
    def bands_shown(self) -> tuple[int, int, int]:
        """Three band indices for code that expects R, G, B; an index (NDVI) repeats its last
        band: (NIR, red, red)."""
        padded = (*self.bands, *(self.bands[-1:] * 3))
        return padded[:3]  # type: ignore[return-value]


def data_mask(samples: np.ndarray, layout: BandLayout, tags: BandTags | None, digital_numbers: bool) -> np.ndarray:
    """True where a pixel has data: not the file's nodata value in any band, not NaN, and (for a
    sensor whose products fill with zero, in digital numbers) not zero in every band."""
    planes = samples if samples.ndim == 3 else samples[:, :, None]
    valid = np.ones(planes.shape[:2], bool)
    if planes.dtype.kind == "f":
        valid &= np.isfinite(planes).all(axis=2)
    nodata = tags.nodata if tags else None
    if nodata is not None and not np.isnan(nodata):
        valid &= ~(planes == nodata).any(axis=2)
    if layout.sensor.blank_is_nodata and digital_numbers:
        valid &= (planes != 0).any(axis=2)
    return valid


def render(samples: np.ndarray, layout: BandLayout, name: str, tags: BandTags | None = None) -> Rendered:
    """Composite `name` of H×W×bands `samples` (ValueError when this file cannot show it)."""
    composite = COMPOSITES.get(name)
    if composite is None:
        raise ValueError(f"no composite named {name!r}; known: {', '.join(COMPOSITES)}")
    bands = composite.bands_in(layout)
    if bands is None:
        raise ValueError(f"this image's bands cannot show {composite.title}")
    digital_numbers = looks_like_digital_numbers(samples)
    valid = data_mask(samples, layout, tags, digital_numbers)
    scalings = [reflectance_scaling(layout, tags, band, digital_numbers) for band in bands]
    scaled = all(scaling is not None for scaling in scalings)
    planes = [
        scaling.apply(samples[:, :, band]) if scaled else samples[:, :, band].astype(np.float32)
        for band, scaling in zip(bands, scalings)
    ]
    rgb = composite.paint(composite, planes, scaled, valid)
    rgb[~valid] = NEUTRAL
    return Rendered(rgb, valid, name, bands)


def render_default(samples: np.ndarray, tags: BandTags | None, composite: str | None = None) -> Rendered | None:
    """`composite` (or, when None or not available, the true colour) of a recognised file; None
    when the file's bands are not recognised."""
    layout = recognise(samples.shape[2] if samples.ndim == 3 else 1, tags)
    names = available(layout)
    if not names:
        return None
    chosen = composite if composite in names else DEFAULT_COMPOSITE if DEFAULT_COMPOSITE in names else None
    return render(samples, layout, chosen, tags) if chosen else None
