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

    def splitter_state(self) -> QByteArray | None:
        return self.qsettings.value("window/splitter")

    def set_splitter_state(self, state: QByteArray) -> None:
        self.qsettings.setValue("window/splitter", state)
