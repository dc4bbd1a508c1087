"""Everything in Loupe that is not a screen.

Nothing under app.core may import Qt (PySide6, qasync, pyqtgraph), directly or through another
module: the command line and the tests use this package without a display, and a test enforces it.
"""
