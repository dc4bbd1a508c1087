#!/usr/bin/env sh
# Put Loupe in this user's application menu (and `.loupe` files opening in it): copies the
# desktop entry, with this folder's Loupe as its command, and the icon under ~/.local/share.
# Run it from the bundle folder once it sits where it will stay; run it again after moving it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
mkdir -p "$DATA/applications" "$DATA/icons/hicolor/256x256/apps"
cp "$HERE/loupe.png" "$DATA/icons/hicolor/256x256/apps/loupe.png"
sed -e "s|^Exec=.*|Exec=\"$HERE/Loupe\" %f|" -e "s|^TryExec=.*|TryExec=$HERE/Loupe|" \
    "$HERE/loupe.desktop" > "$DATA/applications/loupe.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
echo "Loupe added to the application menu ($DATA/applications/loupe.desktop)."
echo "For the command line anywhere: ln -s \"$HERE/loupe\" ~/.local/bin/loupe"
