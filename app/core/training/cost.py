"""What a model costs, measured for every run: how many weights it trained of how many, how much
disk its saved folder takes, the peak memory while training, and how long it takes to classify
an image afterwards (at batch 1 — one image as it comes — and at batch 32 — a folder at once).

Peak memory is what the device reports: CUDA's peak of memory allocated to tensors, MPS's
allocated memory sampled every step, and on a CPU the resident memory of the whole process
sampled every step (which includes everything else the process holds — the window, other
models: an upper bound, said so in the record).
Latency is measured on the run's device with the model as trained (adapters not merged), in
eval mode under `torch.inference_mode()`, after one warm-up pass; the median of a few passes.

Describing a cost (`describe`) needs no torch: the run history shows it without loading it.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch
    from torch import nn

LATENCY_BATCHES = (1, 32)
#: Each latency is measured for about this long (at least one pass after the warm-up).
LATENCY_BUDGET_S = 1.0
MAX_PASSES = 20


def parameter_counts(model: nn.Module, trained: nn.Module) -> dict:
    """Trainable weights (those `trained` updates) and all the weights of the classifier."""
    trainable = sum(p.numel() for p in trained.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    return {"trainable": trainable, "total": total, "trainable_share": trainable / total if total else 0.0}


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def _resident_bytes() -> int | None:
    """The process's resident memory now (Linux), else None."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return None


class MemoryMeter:
    """The peak memory of a run on its device (see the module docstring)."""

    def __init__(self, device: torch.device):
        import torch

        self.device = device
        self.sampled = 0
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        self.sample()

    def sample(self) -> None:
        """Called at every step (cheap): MPS has no peak counter, and on a CPU the process's
        lifetime peak would include earlier runs."""
        import torch

        if self.device.type == "mps":
            self.sampled = max(self.sampled, torch.mps.current_allocated_memory())
        elif self.device.type == "cpu":
            self.sampled = max(self.sampled, _resident_bytes() or 0)

    def peak(self) -> dict | None:
        import torch

        if self.device.type == "cuda":
            return {
                "bytes": torch.cuda.max_memory_allocated(self.device),
                "what": "CUDA memory allocated to tensors (peak)",
            }
        if self.device.type == "mps":
            return {"bytes": self.sampled, "what": "MPS memory allocated (sampled each step)"}
        self.sample()
        if self.sampled:
            return {"bytes": self.sampled, "what": "resident memory of the whole process (sampled each step)"}
        try:
            import resource
        except ImportError:  # Windows
            return None
        scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
        return {
            "bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale,
            "what": "resident memory of the whole process (peak since it started)",
        }


def _synchronize(device: torch.device) -> None:
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def latency_ms(model: nn.Module, device: torch.device, size: int, batch: int, autocast_dtype=None) -> float:
    """Milliseconds per image to classify a batch of `batch` images of `size`² pixels."""
    import torch

    generator = torch.Generator().manual_seed(0)
    inputs = torch.randn(batch, 3, size, size, generator=generator).to(device)
    model.eval()
    autocast = torch.autocast(device.type, dtype=autocast_dtype, enabled=autocast_dtype is not None)
    times = []
    with torch.inference_mode(), autocast:
        model(pixel_values=inputs)  # warm-up: kernels chosen, caches filled
        _synchronize(device)
        deadline = time.perf_counter() + LATENCY_BUDGET_S
        while len(times) < MAX_PASSES and (not times or time.perf_counter() < deadline):
            started = time.perf_counter()
            model(pixel_values=inputs)
            _synchronize(device)
            times.append(time.perf_counter() - started)
    return statistics.median(times) / batch * 1000


def measure(
    model: nn.Module,
    trained: nn.Module,
    folder: Path,
    memory: MemoryMeter,
    device: torch.device,
    size: int,
    autocast_dtype=None,
    on_progress=lambda event: None,
) -> dict:
    """The cost record of a run (JSON-ready). Latency that cannot be measured (a batch of 32 too
    large for the device's memory) is left out with a lasting notice; the run keeps its model."""
    from app.core.training.events import Notice

    peak = memory.peak()  # of training, before the latency passes allocate their own
    latency = {}
    for batch in LATENCY_BATCHES:
        try:
            latency[str(batch)] = latency_ms(model, device, size, batch, autocast_dtype)
        except (RuntimeError, MemoryError) as exc:  # torch's out-of-memory is a RuntimeError
            on_progress(Notice(f"Speed at batch {batch} not measured: {str(exc).splitlines()[0][:200]}", lasting=True))
    return {
        "parameters": parameter_counts(model, trained),
        "saved_bytes": folder_bytes(folder),
        "peak_memory": peak,
        "latency_ms_per_image": latency,
        "device": str(device),
    }


def describe(cost: dict) -> str:
    """One line for people: "12.3 k of 88.1 k weights trained (14 %) · 52 kB saved · …"."""
    parts = []
    params = cost.get("parameters")
    if params:
        parts.append(
            f"{_count(params['trainable'])} of {_count(params['total'])} weights trained "
            f"({_share(params['trainable_share'])})"
        )
    if cost.get("saved_bytes") is not None:
        parts.append(f"{_bytes(cost['saved_bytes'])} saved")
    memory = cost.get("peak_memory")
    if memory:
        parts.append(
            f"peak memory {_bytes(memory['bytes'])}" + (" (whole process)" if "process" in memory["what"] else "")
        )
    latency = cost.get("latency_ms_per_image")
    if latency:
        parts.append(
            " / ".join(f"{ms:.3g} ms per image at batch {batch}" for batch, ms in latency.items())
            + f" ({cost.get('device', '')})"
        )
    return " · ".join(parts)


def _count(n: int) -> str:
    for unit, size in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return str(n)


def _share(fraction: float) -> str:
    percent = fraction * 100
    return f"{percent:.2g} %" if percent < 10 else f"{percent:.0f} %"


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} B"
