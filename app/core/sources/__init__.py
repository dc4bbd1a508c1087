"""Whole slides and satellite scenes: files too large to be one image, cut into tiles that are.

- `masks`: an overview of a source, and where its tissue (slides) or valid data (scenes) is.
- `tiling`: the tiles' size, level and grid (`plan_tiles`), shared by import and maps.
- `tile_import`: import sources; each kept tile becomes a project image (no pixels copied).
- `records`: the stored sources, as the window, the split and `loupe info` read them.
- `tile_states`: a source's tiles with their labels, predictions and suggestions, for the window's
  overview; regions of the pyramid for its zoom.
- `context`: a tile's neighbourhood, for the viewer.
- `relink`: moved slides and scenes found again by their fingerprint (`loupe relink`).
- `maps`: a source's tile predictions written as CSV or GeoJSON (QuPath's tiles, or map
  coordinates with the scene's CRS).

The pixels themselves are read by `imaging.slides` (OpenSlide, tifffile). May import: `importing`,
`labelling`, `project`, `imaging`, and the flat modules.
"""

#: Default share of a tile that must be tissue (or valid data) for the tile to be kept (here, not
#: in `tiling`, so the command line can show it without loading the image readers).
MIN_TISSUE = 0.5
