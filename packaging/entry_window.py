"""The bundle's window executable (`Loupe`): main.py's start, plus what a frozen program needs
first. DataLoader workers started from the window's training thread come from a forkserver
(spawn on Windows), which re-runs this executable with `-c ...`: `freeze_support()` turns such
a start into that helper process before the app parses its arguments."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.gui.app import run_app

    sys.exit(run_app(sys.argv[1:]))
