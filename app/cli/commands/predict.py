"""`loupe predict PROJECT PATH... [--run ID] [--out predictions.csv] [--device D] [--tta] [--top-k K] [--json]`,
and maps of whole slides and scenes:
`loupe predict PROJECT SOURCE... --tiles SIZE [--mpp M | --level L] [--min-tissue F] --out map.csv|map.geojson`
(`predict_map`).

Classify image files and folders (recursively) with the project's active run or a named one.
A PATH may name a tile of a slide (`a.svs::tile(L0,0,0,224x224,224)`, as the project stores it).
The project is opened read-only: predicting changes nothing in it. Files that cannot be read are
listed with their reasons and the rest is classified (exit 0); no run or no model is exit 1.

Every path printed (words, JSON, the CSV) is valid UTF-8: a name's bytes that are not UTF-8 are
written `\\xNN` (`file_names.shown`). Without --out, stdout has one `path<TAB>class<TAB>
confidence` line per image, each field escaped as in Python strings: backslash, tab, newline and
carriage return as `\\\\`, `\\t`, `\\n`, `\\r` (`file_names.tsv_field`), so a name holding
them never splits a line or a field.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from pathlib import Path

from app.cli.commands.base import Command, add_json_flag
from app.cli.commands.tile_arguments import add_tile_arguments, refuse_tile_options
from app.cli.output import EXIT_CANCELLED, print_json
from app.cli.progress import ProgressBar
from app.core.errors import ConfigError
from app.core.file_names import shown, tsv_field
from app.core.project.outputs import CSV_FILE, check_output
from app.core.project.store import Project, ProjectPaths, project_file
from app.core.training.config import DEVICES

#: Unreadable files listed by name; the rest are counted.
LISTED = 20


def _add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="the project file")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="image files and folders (searched recursively)")
    parser.add_argument(
        "--run", type=int, dest="run_id", metavar="ID", help="the run whose model classifies (default: the active run)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="also write the predictions to this CSV file (path, class, confidence, "
        "the next classes and their probabilities, error)",
    )
    parser.add_argument("--device", default="auto", choices=DEVICES, help="where the model runs (default: auto)")
    parser.add_argument(
        "--tta",
        action="store_true",
        help="test-time augmentation: average each image's probabilities with its mirror image's",
    )
    parser.add_argument(
        "--top-k",
        type=int,
        default=3,
        dest="top_k",
        metavar="K",
        help="how many classes to give per image, most probable first (default: 3)",
    )
    add_tile_arguments(
        parser,
        "whole slides and scenes: classify every kept tile into a map (CSV, or GeoJSON for QuPath and GIS tools)",
        "cut each SOURCE into tiles of SIZE pixels, as `loupe import` does, and write the map to --out",
    )
    add_json_flag(parser)


def _run(args: argparse.Namespace) -> int:
    if args.top_k < 1:
        raise ConfigError(f"--top-k must be at least 1 (got {args.top_k})")
    if args.tiles is not None:
        from app.cli.commands.predict_map import run_map

        return run_map(args)
    refuse_tile_options(args)
    from app.core.imaging.part_paths import file_of  # the image readers load only when a command runs

    missing = [os.path.abspath(p) for p in args.paths if not os.path.exists(file_of(p))]
    if missing:
        raise ConfigError(f"no such file or folder: {', '.join(missing)}")
    # The CSV's place is checked before anything is classified: never the project's own files,
    # never over a file that is not a CSV, never in a folder that cannot be written.
    out_path = check_output(args.out, CSV_FILE, ProjectPaths(project_file(args.project))) if args.out else None
    from app.core.inference.predict import classify_files, write_predictions_csv

    stop = threading.Event()
    previous = signal.signal(signal.SIGINT, lambda *_: stop.set())
    bar = ProgressBar(sys.stderr.isatty() or not args.json, "Classifying", "img")
    shown = {"at": 0.0}

    def progress(event) -> None:  # a batch is a few milliseconds: redraw ten times a second at most
        if event.done == event.total or time.monotonic() - shown["at"] >= 0.1:
            shown["at"] = time.monotonic()
            bar.update(event.done, event.total)

    try:
        with Project.open(args.project, read_only=True) as project:  # predicting changes nothing
            result = classify_files(
                project,
                [Path(p) for p in args.paths],
                args.run_id,
                args.device,
                args.top_k,
                args.tta,
                progress,
                stop.is_set,
            )
    finally:
        bar.close()
        signal.signal(signal.SIGINT, previous)
    out = str(out_path) if out_path else None
    if out_path:
        write_predictions_csv(result.predictions, out_path, args.top_k)
    classified = [p for p in result.predictions if p.class_id is not None]
    failed = [{"path": os.path.abspath(p.path), "reason": p.reason} for p in result.predictions if p.class_id is None]
    if args.json:
        print_json(
            {
                "run": result.run_id,
                "predictions": [
                    {
                        "path": os.path.abspath(p.path),
                        "label": p.label,
                        "confidence": p.confidence,
                        "top": [{"label": name, "probability": q} for _, name, q in p.top],
                    }
                    for p in classified
                ],
                "failed": failed,
                "out": out,
            }
        )
    else:
        _print_words(result.run_id, classified, failed, out)
    if result.cancelled:
        print(
            f"loupe: stopped after {len(result.predictions)} files"
            + (f"; what was classified is in {out}" if out else ""),
            file=sys.stderr,
        )
        return EXIT_CANCELLED
    return 0


def _print_words(run_id: int, classified: list, failed: list[dict], out: str | None) -> None:
    """Without --out, stdout is one `path<TAB>class<TAB>confidence` line per image (for pipes),
    its fields escaped by `file_names.tsv_field`, and the rest goes to stderr; with --out, the
    CSV has them and the summary is on stdout."""
    report = sys.stdout if out else sys.stderr
    if not out:
        for p in classified:  # a tab or newline in a name must not split the line: escaped (tsv_field)
            print(f"{tsv_field(os.path.abspath(p.path))}\t{tsv_field(p.label)}\t{p.confidence:.3f}")
    print(
        f"Classified {len(classified)} images with run {run_id}" + (f", written to {out}" if out else ""), file=report
    )
    if failed:
        print(f"Could not read {len(failed)} file{'s' if len(failed) > 1 else ''}:", file=report)
        for item in failed[:LISTED]:
            print(f"  {shown(item['path'])}: {shown(item['reason'])}", file=report)
        if len(failed) > LISTED:
            print(
                f"  … and {len(failed) - LISTED} more" + (" (every one in the CSV's error column)" if out else ""),
                file=report,
            )


PREDICT = Command(
    "predict",
    "classify image files and folders with a trained run",
    _add_arguments,
    _run,
    bad_argument_errors=(ConfigError,),
)
