"""The bundle's command-line executable (`loupe …`; `loupe-cli` on Windows and macOS): the
`loupe` console script's function, behind `freeze_support()` for the same reason as the
window's (DataLoader workers and forkserver helpers re-run this executable)."""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from app.cli import main

    sys.exit(main())
