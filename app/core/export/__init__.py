"""Taking labels and models out of a project.

- `report`: what an export wrote, and the signature every format has.
- `formats`: every format by name (`EXPORTERS`) and `export()`.
- `datasets`: labels as CSV, images as an ImageFolder tree.
- `models`: a run's model as a Hugging Face folder or ONNX (checked against PyTorch).

May import: `training`, `labelling`, `project`, and the flat modules.
"""
