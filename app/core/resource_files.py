"""Where Loupe's own files are: the top-level `resources/` folder (the sample project's images,
the app icon in `icons/`, the interface's translations in `translations/`).

In a checkout it lies beside the `app` package; an installed Loupe carries it inside the
package as `app/resources/` (setup.py maps the folder there when the wheel is built), and so
does the app bundle (packaging/bundle_data.py puts the files under `app/resources/` in the
bundle's folder, where PyInstaller's frozen modules have their `__file__`), so all three find
the same files.
"""

from __future__ import annotations

from pathlib import Path

_APP = Path(__file__).resolve().parents[1]


def resource_dir() -> Path:
    """The resources folder: inside the installed package, else the checkout's."""
    installed = _APP / "resources"
    return installed if installed.is_dir() else _APP.parent / "resources"
