"""Using a trained run: batch prediction of files and folders, the engines that run the model,
batches of results the user reviews and accepts, and heatmaps that show why.

- `run_model`: a run's model loaded for prediction, the batch plans per device, probabilities.
- `decode_queue`: decoding on every core, overlapped with the model (shared with `active`).
- `engines`: PyTorch or onnxruntime (the run exported once, cached, checked).
- `predict`: predict files, folders or the project's images; the predictions CSV.
- `tile_maps`: every kept tile of whole slides and scenes classified into a map (`sources.maps` writes it).
- `batches`: a classified batch stored in the project; accepting its results as labels.
- `heatmaps`: Grad-CAM and attention maps.

May import: `export`, `training`, `sources`, `importing`, `labelling`, `project`, `imaging`, flat modules.
"""
