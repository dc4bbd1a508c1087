"""The PySide6 desktop app: a thin layer over app.core (arrives with the labelling window)."""
