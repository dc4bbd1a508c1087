"""The command line's progress: one tqdm bar on stderr, made when the first event arrives (a
command that finishes at once prints none), with lines written above it."""

from __future__ import annotations

import sys

from tqdm import tqdm


class ProgressBar:
    def __init__(self, enabled: bool, desc: str, unit: str):
        self.enabled, self.desc, self.unit = enabled, desc, unit
        self.bar: tqdm | None = None

    def update(self, done: int, total: int | None, desc: str | None = None, **postfix) -> None:
        """Show `done` of `total` (None: a counter); a new `desc` starts a new bar."""
        if not self.enabled:
            return
        if self.bar is None or (desc is not None and desc != self.desc):
            self.close()
            self.desc = desc or self.desc
            self.bar = tqdm(total=total, desc=self.desc, unit=self.unit, file=sys.stderr)
        self.bar.total = total
        self.bar.n = done
        if postfix:
            self.bar.set_postfix(refresh=False, **postfix)
        self.bar.refresh()

    def write(self, text: str) -> None:
        """A line above the bar (or alone, before it exists)."""
        if self.enabled:
            (self.bar.write if self.bar else print)(text, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
