"""What this machine offers for training, and where Loupe keeps what it downloads and writes:
the facts the first-run note (app/gui/first_run.py) puts in words.

Reading them imports torch (seconds on a cold start), so callers run this off the GUI thread.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.core.user_folders import user_cache_dir, user_data_dir


@dataclass(frozen=True)
class MachineFacts:
    #: "cuda", "mps" or "cpu": where `choose_device("auto")` trains.
    device: str
    #: The GPU's name ("NVIDIA RTX 4090"), "Apple silicon", or the processor's model name.
    name: str
    #: The GPU's own memory (CUDA); the machine's memory for MPS (shared with the GPU) and the CPU.
    memory_bytes: int
    threads: int
    #: Where downloaded models are kept (the Hugging Face cache, shared with other tools).
    models_folder: Path
    #: Rebuildable things of read-only projects (thumbnails, features): safe to delete.
    cache_folder: Path
    #: The error log.
    data_folder: Path


def _system_memory() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):  # Windows has no sysconf
        pass
    if sys.platform == "win32":
        import ctypes

        class _Status(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong)] + [
                (name, ctypes.c_ulonglong)
                for name in ("total", "free", "page_total", "page_free", "virtual_total", "virtual_free", "extended")
            ]

        status = _Status(length=ctypes.sizeof(_Status))
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):
            return int(status.total)
    return 0


def _processor_name() -> str:
    """The CPU's model name where the system says it ("AMD EPYC 7B13"), else the architecture."""
    try:
        for line in Path("/proc/cpuinfo").read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine() or "CPU"


def machine_facts(models_folder: Path) -> MachineFacts:
    """The facts, with `models_folder` as the caller knows it (the hub's cache, a layer above)."""
    import torch

    from app.core.training.device import choose_device

    device = choose_device("auto").device.type
    if device == "cuda":
        properties = torch.cuda.get_device_properties(0)
        name, memory = properties.name, int(properties.total_memory)
    elif device == "mps":
        name, memory = "Apple silicon", _system_memory()
    else:
        name, memory = _processor_name(), _system_memory()
    return MachineFacts(
        device=device,
        name=name,
        memory_bytes=memory,
        threads=torch.get_num_threads(),
        models_folder=models_folder,
        cache_folder=user_cache_dir(),
        data_folder=user_data_dir(),
    )
