"""Whole-slide tiles: import and map prediction speed, and peak memory, on a large synthetic slide,
each next to a plain baseline reading the same tiles in the same run.

    python bench/slide_tiles.py [--size 100000] [--tile 224] [--mpp 0.5 | --level 0]
                                [--tissue 0.05] [--workers N] [--keep DIR]

Set-up (timed on its own line, not in the table): a pyramidal tiled TIFF of `--size`² pixels at
level 0 (0.25 µm per pixel, JPEG tiles of 512², levels 1/4, 1/16 and 1/64 as SubIFDs, as scanners
write them), written from a generator a tile at a time so memory stays small whatever the size:
white glass except a few elliptical tissue regions (about `--tissue` of the area) of textured
pink tiles. Each tile is JPEG-encoded once and the same bytes written wherever it repeats (a
100,000² slide is 38,000 tiles at level 0; encoding each would take longer than everything
measured). A project with a tiny ViT (`tests.tiny_models`, 32 px input) whose linear run is
trained on the colour images and made active: the "tiny model".

Each measured side runs in its own subprocess, so its peak RSS (resource.getrusage's high-water
mark) is its own:
  import          — `sources.import_sources` (`loupe import --tiles`): overview and tissue mask,
                    the tile plan, a thumbnail of every kept tile, the image rows;
  read (tifffile) — the same kept regions read through tifffile's zarr store (as Loupe's reader
                    reads them) in one loop and shrunk to the tile size;
  read (direct)   — the same without any store: each TIFF tile a region touches read at its
                    offset and decoded by imagecodecs (what a leaner reader could do);
  map             — `inference.tile_maps` (`loupe predict --tiles --out map.geojson`): the plan
                    again, every kept tile decoded (`decode` of its tile path) and classified
                    through the one batch loop, the GeoJSON written, the predictions stored;
  torch loop      — the same regions read as in `read`, resized to the model's input, normalised
                    and put through the same model in batches of 64 in a bare PyTorch loop.
Prints a table: tiles, seconds, tiles per second, ratio to its baseline, peak RSS.

Measured on a shared 2-core AMD EPYC VM (load average 2-3 from other jobs; CPU only), the
100,000² slide written in under a second (443 MB, 5.0% tissue), one run each:
  --level 0 (tiles of 224 at level 0): 8,061 kept, 190,855 skipped as glass
      import 275 tiles/s (0.98x the zarr read, which makes no thumbnails), peak RSS 230 MB;
      zarr read 280, direct read 403 (1.44x); map 249 tiles/s against the torch loop's 173
      (1.44x: decoding on both cores), peak 931 MB (torch); 5.5 MB of GeoJSON in 0.2 s.
  default (0.5 µm/px: 448 level-0 px shrunk to 224): 1,962 kept, 47,767 skipped
      import 114 tiles/s (0.67x the read: the shrink and a thumbnail per tile), peak RSS 186 MB;
      zarr read 169, direct 166 (the shrink dominates); map 140 against 129 (1.09x), 925 MB.
Again on the same VM with nothing else running (commit edbc6ef):
  --level 0: import 254 tiles/s (0.84x the zarr read), 186 MB; map 208 against the torch loop's 237
      (0.88x), 931 MB.   default: import 142 (0.99x), 180 MB; map 150 against 131 (1.14x), 922 MB.
Peak memory of an import stays far under the 1.5 GB the issue allows, whatever the slide's size:
it holds the overview (about 2,000² pixels), the tile plan and the tiles in flight.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: TIFF tile side and the pyramid's downsamples below level 0.
TIFF_TILE = 512
DOWNSAMPLES = (4, 16, 64)
MPP = 0.25
GLASS = (243, 243, 240)
PINK = (200, 90, 150)


def _peak_mb() -> float:
    """This process's high-water RSS in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- The slide ----------------------------------------------------------------------------------


def _ellipses(size: int, tissue: float) -> list[tuple[float, float, float, float]]:
    """Three tissue regions (centre x, centre y, radius x, radius y at level 0) covering about
    `tissue` of the slide."""
    shares = ((0.30, 0.35, 0.5), (0.65, 0.55, 0.35), (0.45, 0.82, 0.15))
    out = []
    for cx, cy, part in shares:
        area = tissue * part * size * size
        rx = math.sqrt(area / math.pi * 1.6)
        out.append((cx * size, cy * size, rx, area / (math.pi * rx)))
    return out


def _is_tissue(ellipses, x: float, y: float) -> bool:
    return any(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1 for cx, cy, rx, ry in ellipses)


def write_slide(path: Path, size: int, tissue: float) -> dict:
    """The pyramidal TIFF; returns what was written."""
    import imagecodecs
    import numpy as np
    import tifffile

    rng = np.random.default_rng(0)
    glass = np.full((TIFF_TILE, TIFF_TILE, 3), GLASS, np.uint8)
    glass_bytes = imagecodecs.jpeg_encode(glass, level=90)
    textures = []
    for _ in range(16):  # textured tissue: stain, shading and nuclei-like dark dots
        noise = rng.normal(0, 18, (TIFF_TILE, TIFF_TILE, 1))
        tile = np.clip(np.array(PINK) + noise, 0, 255)
        dots = rng.random((TIFF_TILE, TIFF_TILE)) < 0.01
        tile[dots] = (90, 40, 110)
        textures.append(imagecodecs.jpeg_encode(tile.astype(np.uint8), level=90))
    ellipses = _ellipses(size, tissue)
    counts = {"tissue_tiles": 0, "tiles": 0}

    def tiles(scale: int):
        side = math.ceil(size / scale)
        for row in range(math.ceil(side / TIFF_TILE)):
            for col in range(math.ceil(side / TIFF_TILE)):
                x, y = (col + 0.5) * TIFF_TILE * scale, (row + 0.5) * TIFF_TILE * scale
                inside = _is_tissue(ellipses, x, y)
                if scale == 1:
                    counts["tiles"] += 1
                    counts["tissue_tiles"] += inside
                yield textures[(row * 7 + col) % len(textures)] if inside else glass_bytes

    started = time.monotonic()
    options = {"tile": (TIFF_TILE, TIFF_TILE), "compression": "jpeg", "photometric": "rgb", "dtype": np.uint8}
    resolution = {"resolution": (1e4 / MPP, 1e4 / MPP), "resolutionunit": "CENTIMETER"}
    with tifffile.TiffWriter(path, bigtiff=True) as tif:
        tif.write(tiles(1), shape=(size, size, 3), subifds=len(DOWNSAMPLES), **resolution, **options)
        for scale in DOWNSAMPLES:
            side = math.ceil(size / scale)
            tif.write(tiles(scale), shape=(side, side, 3), subfiletype=1, **options)
    return {
        "seconds": time.monotonic() - started,
        "bytes": path.stat().st_size,
        "tissue_share": counts["tissue_tiles"] / max(counts["tiles"], 1),
        "peak_mb": _peak_mb(),
    }


# -- The phases, each in its own process ------------------------------------------------------


def _options(args):
    from app.core.sources.tiling import TileOptions

    return TileOptions(size=args.tile, mpp=args.mpp, level=args.level)


def phase_setup(args) -> dict:
    """The project with an active linear run of a tiny ViT (untimed)."""
    from app.core.project.settings import ACTIVE_RUN, set_setting
    from app.core.project.store import Project
    from app.core.training import TrainConfig, train
    from tests.tiny_models import make_colour_project, save_tiny_vit

    vit = save_tiny_vit(args.work / "vit")
    path = make_colour_project(args.work / "project", per_class=6)
    with Project.open(path) as project:
        config = TrainConfig(model=str(vit), method="linear", epochs=4, lr=1e-2, workers=0, device="cpu", patience=0)
        run = train(project, config).run
        set_setting(project, ACTIVE_RUN, run)
    return {"project": str(path), "run": run}


def phase_import(args) -> dict:
    from app.core.project.store import Project
    from app.core.sources.tile_import import import_sources

    with Project.open(args.project) as project:
        started = time.monotonic()
        report = import_sources(project, [args.slide], _options(args), workers=args.workers)
        seconds = time.monotonic() - started
    (source,) = report.sources
    return {
        "tiles": source.tiles_added,
        "skipped": source.skipped_background,
        "seconds": seconds,
        "peak_mb": _peak_mb(),
        "level": source.level,
        "region": source.tile_region,
    }


def _kept_regions(args):
    from app.core.imaging.slides import open_source
    from app.core.sources.tiling import plan_tiles

    with open_source(args.slide) as source:
        return plan_tiles(source, _options(args)).tiles


def _plain_reads(args, regions):
    """The kept regions read through tifffile's zarr store and shrunk to the tile size, one
    loop, no Loupe code: (uint8 H×W×3 arrays, one at a time)."""
    import numpy as np
    import tifffile
    import zarr
    from PIL import Image

    with tifffile.TiffFile(args.slide) as tif:
        series = tif.series[0]
        arrays = [zarr.open(tif.aszarr(series=0, level=i), mode="r") for i in range(len(series.levels))]
        base = series.levels[0].shape[1]
        for r in regions:
            scale = base / series.levels[r.level].shape[1]
            x, y = round(r.x / scale), round(r.y / scale)
            w, h = round(r.width / scale), round(r.height / scale)
            data = np.asarray(arrays[r.level][y : y + h, x : x + w])
            if (w, h) != (r.size, r.size):
                data = np.asarray(Image.fromarray(data).resize((r.size, r.size), Image.Resampling.BOX))
            yield data


def _segment_reads(args, regions):
    """The kept regions read with no store at all: each TIFF tile a region touches read from the
    file at its offset and decoded by imagecodecs, copied into place, then shrunk as above."""
    import imagecodecs
    import numpy as np
    import tifffile
    from PIL import Image

    with tifffile.TiffFile(args.slide) as tif, open(args.slide, "rb") as f:
        series = tif.series[0]
        pages = [level.keyframe for level in series.levels]
        base = series.levels[0].shape[1]
        for r in regions:
            page = pages[r.level]
            side, per_row = page.tilewidth, math.ceil(page.imagewidth / page.tilewidth)
            scale = base / page.imagewidth
            x, y = round(r.x / scale), round(r.y / scale)
            w, h = round(r.width / scale), round(r.height / scale)
            out = np.empty((h, w, 3), np.uint8)
            for ty in range(y // side, (y + h - 1) // side + 1):
                for tx in range(x // side, (x + w - 1) // side + 1):
                    index = ty * per_row + tx
                    f.seek(page.dataoffsets[index])
                    tile = imagecodecs.jpeg_decode(f.read(page.databytecounts[index]))
                    x0, y0 = max(x, tx * side), max(y, ty * side)
                    x1, y1 = min(x + w, (tx + 1) * side), min(y + h, (ty + 1) * side)
                    out[y0 - y : y1 - y, x0 - x : x1 - x] = tile[
                        y0 - ty * side : y1 - ty * side, x0 - tx * side : x1 - tx * side
                    ]
            if (w, h) != (r.size, r.size):
                out = np.asarray(Image.fromarray(out).resize((r.size, r.size), Image.Resampling.BOX))
            yield out


def phase_read(args) -> dict:
    regions = _kept_regions(args)
    started = time.monotonic()
    count = sum(1 for _ in _plain_reads(args, regions))
    return {"tiles": count, "seconds": time.monotonic() - started, "peak_mb": _peak_mb()}


def phase_segments(args) -> dict:
    regions = _kept_regions(args)
    started = time.monotonic()
    count = sum(1 for _ in _segment_reads(args, regions))
    return {"tiles": count, "seconds": time.monotonic() - started, "peak_mb": _peak_mb()}


def phase_map(args) -> dict:
    from app.core.inference.tile_maps import classify_sources, plan_sources, store_tile_predictions
    from app.core.project.store import Project
    from app.core.sources.maps import write_map

    with Project.open(args.project) as project:
        planned = plan_sources([args.slide], _options(args))
        result = classify_sources(project, planned, device="cpu")
        started = time.monotonic()
        write_map(result.tile_map, args.work / "map.geojson")
        written = time.monotonic() - started
        stored = store_tile_predictions(project, result).stored
    return {
        "tiles": len(result.tile_map.tiles),
        "failed": result.failed,
        "seconds": result.seconds,
        "write_seconds": written,
        "stored": stored,
        "geojson_mb": (args.work / "map.geojson").stat().st_size / 1e6,
        "peak_mb": _peak_mb(),
    }


def phase_torch(args) -> dict:
    """A bare PyTorch loop: the plain reads, resized and normalised as the run's processor says,
    the run's model in batches of 64 under inference_mode, argmax."""
    import numpy as np
    import torch
    from PIL import Image

    from app.core.inference.run_model import load_run_model
    from app.core.project.settings import active_run
    from app.core.project.store import Project

    with Project.open(args.project, read_only=True) as project:
        run_model = load_run_model(project, active_run(project), "cpu")
    model, settings = run_model.model.eval(), run_model.settings
    mean = torch.tensor(settings.mean).view(1, 3, 1, 1)
    std = torch.tensor(settings.std).view(1, 3, 1, 1)
    regions = _kept_regions(args)
    started = time.monotonic()
    batch, count = [], 0

    def flush():
        pixels = torch.from_numpy(np.stack(batch)).permute(0, 3, 1, 2).float() / 255
        with torch.inference_mode():
            model(pixel_values=(pixels - mean) / std).logits.argmax(1)
        batch.clear()

    for data in _plain_reads(args, regions):
        small = Image.fromarray(data).resize((settings.size, settings.size), Image.Resampling.BILINEAR)
        batch.append(np.asarray(small))
        count += 1
        if len(batch) == 64:
            flush()
    if batch:
        flush()
    return {"tiles": count, "seconds": time.monotonic() - started, "peak_mb": _peak_mb()}


PHASES = {
    "setup": phase_setup,
    "import": phase_import,
    "read": phase_read,
    "segments": phase_segments,
    "map": phase_map,
    "torch": phase_torch,
}


def _run_phase(name: str, args, extra: list[str]) -> dict:
    command = [sys.executable, __file__, "--phase", name, "--work", str(args.work), "--tile", str(args.tile)]
    command += ["--mpp", str(args.mpp)] if args.mpp is not None else ["--level", str(args.level)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    done = subprocess.run(command + extra, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        sys.exit(f"phase {name} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="level-0 side in pixels (default 100000)")
    parser.add_argument("--tile", type=int, default=224)
    resolution = parser.add_mutually_exclusive_group()
    resolution.add_argument("--mpp", type=float, default=None, help="tiles at M µm/px (default 0.5)")
    resolution.add_argument("--level", type=int, default=None)
    parser.add_argument("--tissue", type=float, default=0.05, help="share of the slide that is tissue")
    parser.add_argument("--workers", type=int, default=None, help="import threads (default: cores)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mpp is None and args.level is None:
        args.mpp = 0.5
    if args.phase:
        args.slide = args.work / "slide.tif"
        print(json.dumps(PHASES[args.phase](args)))
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="loupe-slide-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    args.work = work
    slide = write_slide(work / "slide.tif", args.size, args.tissue)
    print(
        f"Slide: {args.size:,}² at {MPP} µm/px, {slide['bytes'] / 1e6:.0f} MB, tissue {slide['tissue_share']:.1%} of "
        f"the level-0 tiles, written in {slide['seconds']:.0f} s (peak RSS {slide['peak_mb']:.0f} MB)",
        flush=True,
    )
    setup = _run_phase("setup", args, [])
    project = ["--project", setup["project"]]
    results = {}
    for name in ("import", "read", "segments", "map", "torch"):
        results[name] = _run_phase(name, args, project)
        print(f"  {name}: {results[name]}", file=sys.stderr, flush=True)
    resolution = f"{args.mpp} µm/px" if args.mpp is not None else f"level {args.level}"
    imported = results["import"]
    print(
        f"Tiles of {args.tile} px at {resolution} (level {imported['level']}, {imported['region']} level-0 px): "
        f"{imported['tiles']:,} kept, {imported['skipped']:,} skipped as background"
    )
    print(f"{'side':<34}{'tiles':>8}{'seconds':>9}{'tiles/s':>9}{'ratio':>8}{'peak RSS':>11}")
    rows = (
        ("import (loupe import --tiles)", "import", "read"),
        ("read (tifffile zarr store, 1 loop)", "read", None),
        ("read (TIFF tiles decoded directly)", "segments", "read"),
        ("map (loupe predict --tiles)", "map", "torch"),
        ("torch loop (same reads + model)", "torch", None),
    )
    for label, name, baseline in rows:
        r = results[name]
        rate = r["tiles"] / r["seconds"] if r["seconds"] else 0.0
        ratio = ""
        if baseline:
            b = results[baseline]
            ratio = f"{rate / (b['tiles'] / b['seconds']):.2f}x"
        print(f"{label:<34}{r['tiles']:>8,}{r['seconds']:>9.1f}{rate:>9.0f}{ratio:>8}{r['peak_mb']:>8.0f} MB")
    m = results["map"]
    print(
        f"The map: {m['geojson_mb']:.1f} MB of GeoJSON written in {m['write_seconds']:.1f} s; "
        f"{m['stored']:,} predictions of the project's tiles stored; {m['failed']} tiles unreadable"
    )
    if not args.keep:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
