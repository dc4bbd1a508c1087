#!/usr/bin/env sh
# Build Loupe's macOS bundle: dist/Loupe.app (bundle id org.loupe.Loupe), the window in
# Contents/MacOS/Loupe and the command line beside it as Contents/MacOS/loupe-cli (macOS file
# names ignore case, so it cannot be called `loupe` next to `Loupe`).
#
#     PYTHON=.venv/bin/python packaging/build_macos.sh
#
# UNTESTED: written without a Mac to run it on (see packaging/README.md). Not signed with a
# Developer ID and not notarised: PyInstaller signs ad hoc, so Gatekeeper asks the first time
# (right-click > Open).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
cd "$ROOT"

if ! "$PYTHON" packaging/bundle_tools.py --check; then
    echo "Installing the bundle extra (PyInstaller) into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    "$PYTHON" -m pip install --quiet -c constraints.txt -e ".[bundle]"
fi

"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/loupe.spec

# The one-folder output beside the .app is the same files; the .app is what users get.
rm -rf dist/Loupe
echo "Built $ROOT/dist/Loupe.app ($(du -sh dist/Loupe.app | cut -f1))."
echo "The command line: ln -s \"$ROOT/dist/Loupe.app/Contents/MacOS/loupe-cli\" /usr/local/bin/loupe"
