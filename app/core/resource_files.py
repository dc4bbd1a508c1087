"""Where Loupe's own files are: the top-level `resources/` folder (the sample project's images;
icons and translations to come).

In a checkout it lies beside the `app` package; an installed Loupe carries it inside the
package as `app/resources/` (setup.py maps the folder there when the wheel is built), so both
find the same files.
"""

from __future__ import annotations

from pathlib import Path

_APP = Path(__file__).resolve().parents[1]


def resource_dir() -> Path:
    """The resources folder: inside the installed package, else the checkout's."""
    installed = _APP / "resources"
    return installed if installed.is_dir() else _APP.parent / "resources"
