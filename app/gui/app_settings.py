"""What the app remembers between runs (QSettings): recent projects, tile size, window layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

MAX_RECENT = 10


class AppSettings:
    def __init__(self, settings: QSettings | None = None):
        self.qsettings = settings or QSettings()

    def recent_projects(self) -> list[str]:
        value = self.qsettings.value("recentProjects", [])
        paths = [value] if isinstance(value, str) else list(value or [])
        return [p for p in paths if Path(p).exists()]

    def add_recent(self, path: str | Path) -> None:
        path = str(Path(path).resolve())
        paths = [path] + [p for p in self.recent_projects() if p != path]
        self.qsettings.setValue("recentProjects", paths[:MAX_RECENT])

    def tile_size(self, default: int) -> int:
        return int(self.qsettings.value("grid/tileSize", default))

    def set_tile_size(self, size: int) -> None:
        self.qsettings.setValue("grid/tileSize", size)

    def window_state(self) -> tuple[QByteArray | None, QByteArray | None]:
        return self.qsettings.value("window/geometry"), self.qsettings.value("window/state")

    def set_window_state(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    def splitter_state(self, key: str) -> QByteArray | None:
        """How a splitter was left ("label/images", "train/columns", …)."""
        return self.qsettings.value(f"splitters/{key}")

    def set_splitter_state(self, key: str, state: QByteArray) -> None:
        self.qsettings.setValue(f"splitters/{key}", state)

    def splitter_sizes(self, key: str) -> list[int] | None:
        """A splitter's widths as the user left them, for one whose widgets move (the viewer goes
        from the Label workspace to Review and back, so its own saved state would not fit)."""
        value = self.qsettings.value(f"splitters/{key}/sizes")
        try:
            sizes = [int(v) for v in ([value] if isinstance(value, (str, int)) else value or [])]
        except (TypeError, ValueError):
            return None
        return sizes or None

    def set_splitter_sizes(self, key: str, sizes: list[int]) -> None:
        self.qsettings.setValue(f"splitters/{key}/sizes", [int(s) for s in sizes])

    def workspace(self, default: str) -> str:
        """The workspace the window showed when it was closed."""
        return str(self.qsettings.value("window/workspace", default))

    def set_workspace(self, name: str) -> None:
        self.qsettings.setValue("window/workspace", name)

    def language(self) -> str:
        """The interface language chosen ("en", "zh_CN"), or "" to follow the system's."""
        return str(self.qsettings.value("interface/language", "") or "")

    def set_language(self, language: str) -> None:
        self.qsettings.setValue("interface/language", language)

    def machine_shown(self) -> bool:
        """Whether the first-run note on this machine (device, folders) has been shown."""
        return str(self.qsettings.value("firstRun/machineShown", "false")).lower() == "true"

    def set_machine_shown(self) -> None:
        self.qsettings.setValue("firstRun/machineShown", True)
