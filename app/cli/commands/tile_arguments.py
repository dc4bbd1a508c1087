"""The arguments that cut whole slides and scenes into tiles, shared by the commands that take
them (`loupe predict --tiles`; `loupe import --tiles` takes the same), and the TileOptions they
make: one spelling, one set of defaults, one message for a tile option given without --tiles."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.core.errors import ConfigError
from app.core.sources import MIN_TISSUE  # the image readers load only when a command runs

if TYPE_CHECKING:
    from app.core.sources.tiling import TileOptions

#: Options that only mean something with --tiles.
TILE_ONLY = ("mpp", "level", "min_tissue", "tissue_threshold")


def add_tile_arguments(parser: argparse.ArgumentParser, title: str, tiles_help: str) -> None:
    tiles = parser.add_argument_group(title)
    tiles.add_argument("--tiles", type=int, metavar="SIZE", help=tiles_help)
    resolution = tiles.add_mutually_exclusive_group()
    resolution.add_argument("--mpp", type=float, metavar="M", help="tiles at M microns per pixel (slides)")
    resolution.add_argument("--level", type=int, metavar="L", help="tiles from pyramid level L (0: full resolution)")
    tiles.add_argument(
        "--min-tissue",
        type=float,
        metavar="F",
        default=None,
        help=f"keep tiles at least this share tissue or valid data, 0 to 1 (default {MIN_TISSUE})",
    )
    tiles.add_argument(
        "--tissue-threshold",
        type=float,
        metavar="T",
        default=None,
        help="colour saturation above which a slide's pixel is tissue, 0 to 1 (default: Otsu's threshold)",
    )


def refuse_tile_options(args: argparse.Namespace) -> None:
    """ConfigError (exit 2) when a tile option is given without --tiles."""
    given = [f"--{name.replace('_', '-')}" for name in TILE_ONLY if getattr(args, name) is not None]
    if given:
        raise ConfigError(f"{', '.join(given)} only mean{'s' if len(given) == 1 else ''} something with --tiles SIZE")


def tile_options(args: argparse.Namespace) -> TileOptions:
    """The TileOptions the arguments ask for, checked (ConfigError: exit 2)."""
    from app.core.sources.tiling import TileOptions

    options = TileOptions(
        size=args.tiles,
        mpp=args.mpp,
        level=args.level,
        min_tissue=MIN_TISSUE if args.min_tissue is None else args.min_tissue,
        tissue_threshold=args.tissue_threshold,
    )
    try:
        options.check()
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return options
