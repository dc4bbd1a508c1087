"""How many threads torch uses, when jobs of one process change it.

Batch prediction runs each decode and forward thread with one torch thread (a thread team per
small op spins on the cores the model needs). `torch.set_num_threads` there also sets what
threads started later begin with, process-wide: with two jobs overlapping (a batch and a
suggestions refresh), the second read the first's 1 as the setting to put back and left it for
good, and a training thread started meanwhile trained on one core. Here the process's own setting
is read once, before any pool changes it, put back when the last pool closes, and given to a
training job that asks for it.
"""

from __future__ import annotations

import threading


class TorchThreads:
    def __init__(self):
        self._lock = threading.Lock()
        self._open = 0
        self._default: int | None = None

    def pool_opened(self, torch) -> None:
        with self._lock:
            if self._default is None:
                self._default = torch.get_num_threads()
            self._open += 1

    def pool_closed(self, torch) -> None:
        with self._lock:
            self._open -= 1
            if self._open == 0:
                torch.set_num_threads(self._default)

    def use_default(self, torch) -> None:
        """This thread runs torch on the process's setting (one that started while a pool was
        open began with 1)."""
        with self._lock:
            if self._default is not None:
                torch.set_num_threads(self._default)


TORCH_THREADS = TorchThreads()
