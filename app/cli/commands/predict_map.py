"""`loupe predict PROJECT SOURCE... --tiles SIZE [--mpp M | --level L] [--min-tissue F] --out FILE [--json]`

Classify every kept tile of whole slides and scenes with the project's active run (or --run) and
write the map: a CSV, or GeoJSON (`--out map.geojson`) that QuPath imports on the slide and QGIS
places on the Earth (`sources.maps`). The tiles are cut as `loupe import` cuts them with the same
options; the sources need not be in the project.

Everything that can be refused is refused before the model loads: the --out path (never the
project's own files; the suffix chooses the format), the run, each source (unreadable: exit 1;
options it cannot meet, such as --mpp on a file with no pixel size: exit 2). The project is read
without being changed, except that the predictions of tiles that are the project's own images
(a source imported with the same tiles) are kept for the window, as `predict_project` keeps
those of ordinary images.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time

from app.cli.commands.tile_arguments import tile_options
from app.cli.output import EXIT_CANCELLED, print_json
from app.cli.progress import ProgressBar
from app.core.errors import ConfigError, plural
from app.core.file_names import shown
from app.core.project.outputs import check_output
from app.core.project.store import Project, ProjectPaths, project_file
from app.core.sources.maps import class_counts, map_format, write_map


def run_map(args: argparse.Namespace) -> int:
    from app.core.inference.predict import run_to_use
    from app.core.inference.tile_maps import classify_sources, plan_sources, store_tile_predictions

    if args.out is None:
        raise ConfigError("--tiles writes a map: give --out map.csv or --out map.geojson")
    options = tile_options(args)
    fmt = map_format(args.out)
    out = check_output(args.out, fmt.output, ProjectPaths(project_file(args.project)))
    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = ProgressBar(sys.stderr.isatty() or not args.json, "Classifying", "tile")
    shown_at = {"at": 0.0}

    def progress(event) -> None:
        if event.done == event.total or time.monotonic() - shown_at["at"] >= 0.1:
            shown_at["at"] = time.monotonic()
            bar.update(event.done, event.total)

    try:
        with Project.open(args.project, read_only=True) as project:  # the map changes nothing in it
            run_id = run_to_use(project, args.run_id)
            planned = plan_sources(args.paths, options, lambda name: bar.write(f"Planning the tiles of {name}…"))
            fmt.check([item.source for item in planned])
            result = classify_sources(
                project, planned, run_id, args.device, args.top_k, args.tta, progress, stop.is_set
            )
            stored = store_tile_predictions(project, result)  # read-only: finds the project's own tiles
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    write_map(result.tile_map, out)
    if stored.read_only:  # there are tiles of the project to keep: opened for writing only now
        with Project.open(args.project) as project:  # still read-only when the window has it open
            stored = store_tile_predictions(project, result)
    counts = class_counts(result.tile_map)
    if args.json:
        print_json(
            {
                "run": result.run_id,
                "out": str(out),
                "format": fmt.name,
                "tiles": len(result.tile_map.tiles),
                "classes": counts,
                "failed": result.failed,
                "tiles_per_second": round(result.tiles_per_second, 1),
                "seconds": round(result.seconds, 2),
                "stored": stored.stored,
                "cancelled": result.cancelled,
                "sources": [
                    {
                        "path": shown(item.source.path),
                        "kind": item.source.kind,
                        "width": item.source.width,
                        "height": item.source.height,
                        "level": item.geometry.level,
                        "tile_size": item.geometry.size,
                        "tile_region": item.geometry.region,
                        "tile_mpp": item.geometry.mpp,
                        "tiles": len(item.tiles),
                        "skipped": item.skipped,
                        "crs": item.source.georef.crs if item.source.georef else None,
                    }
                    for item in result.planned
                ],
            }
        )
    else:
        for item in result.planned:
            what = "background" if item.source.kind == "slide" else "no data"
            print(f"{shown(item.source.path)}: {plural(len(item.tiles), 'tile')}, {item.skipped} skipped as {what}")
        listed = ", ".join(f"{name} {count}" for name, count in counts.items())
        print(
            f"Classified {plural(len(result.tile_map.tiles) - result.failed, 'tile')} with run {result.run_id} "
            f"({result.tiles_per_second:.0f} tiles/s): {listed or 'none'}; {fmt.name} map written to {out}"
        )
        if result.failed:
            print(f"Could not read {plural(result.failed, 'tile')} (each in the map with its error)")
        if stored.stored:
            print(f"Kept the predictions of {plural(stored.stored, 'tile')} of the project for the window")
        elif stored.read_only:
            print(f"The predictions of the project's own tiles were not kept: {stored.not_stored}")
    if result.cancelled:
        print(f"loupe: stopped after {plural(len(result.tile_map.tiles), 'tile')}; the map has those", file=sys.stderr)
        return EXIT_CANCELLED
    return 0
