"""`python main.py [PROJECT] [--screenshot FILE.png]` starts the Loupe desktop app."""

import sys

from app.gui.app import run_app

if __name__ == "__main__":
    sys.exit(run_app(sys.argv[1:]))
