"""Whole slides and satellite scenes: files too large to be one image, cut into tiles that are.

- `masks`: an overview of a source, and where its tissue (slides) or valid data (scenes) is.
- `tiling`: the tiles' size, level and grid (`plan_tiles`), shared by import and maps.
- `tile_import`: import sources; each kept tile becomes a project image (no pixels copied).
- `records`: the stored sources, as the window, the split and `loupe info` read them.

The pixels themselves are read by `imaging.slides` (OpenSlide, tifffile). May import: `importing`,
`labelling`, `project`, `imaging`, and the flat modules.
"""

#: Default share of a tile that must be tissue (or valid data) for the tile to be kept (here, not
#: in `tiling`, so the command line can show it without loading the image readers).
MIN_TISSUE = 0.5
