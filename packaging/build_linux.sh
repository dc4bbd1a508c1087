#!/usr/bin/env sh
# Build Loupe's Linux bundle: dist/Loupe/ with the window (Loupe), the command line (loupe), the
# desktop entry and its icon, and install-desktop-entry.sh (adds Loupe to the user's menu).
#
#     packaging/build_linux.sh            # with python3 on PATH
#     PYTHON=.venv/bin/python packaging/build_linux.sh    # what `make bundle` runs
#
# torch goes in as it is installed in that Python (CUDA or CPU build): see packaging/README.md.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3}
cd "$ROOT"

# The bundle extra (PyInstaller and its hooks, versions pinned in constraints.txt), if missing.
if ! "$PYTHON" packaging/bundle_tools.py --check; then
    echo "Installing the bundle extra (PyInstaller) into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
    "$PYTHON" -m pip install --quiet -c constraints.txt -e ".[bundle]"
fi

"$PYTHON" -m PyInstaller --noconfirm --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/loupe.spec

cp packaging/linux/loupe.desktop dist/Loupe/loupe.desktop
cp resources/icons/loupe-256.png dist/Loupe/loupe.png
cp packaging/linux/install-desktop-entry.sh dist/Loupe/install-desktop-entry.sh
chmod +x dist/Loupe/install-desktop-entry.sh
echo "Built $ROOT/dist/Loupe ($(du -sh dist/Loupe | cut -f1)): ./dist/Loupe/Loupe opens the window, ./dist/Loupe/loupe is the command line"
