"""`python -m app` runs the Loupe command line (the same as the `loupe` console script)."""

import sys

from app.cli import main

if __name__ == "__main__":
    sys.exit(main())
