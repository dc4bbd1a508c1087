"""Which device trains: CUDA, Apple MPS, or the CPU, and how to say so to the user."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from app.core.errors import ConfigError


@dataclass(frozen=True)
class DeviceChoice:
    device: torch.device
    description: str  # "CUDA: NVIDIA H200", "Apple MPS", "CPU (8 threads)"
    autocast_dtype: torch.dtype | None  # mixed precision where it helps and works


def _cuda() -> DeviceChoice:
    name = torch.cuda.get_device_name(0)
    dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return DeviceChoice(torch.device("cuda"), f"CUDA: {name}", dtype)


def _mps() -> DeviceChoice:
    return DeviceChoice(torch.device("mps"), "Apple MPS", torch.float16)


def _cpu() -> DeviceChoice:
    threads = torch.get_num_threads()
    return DeviceChoice(torch.device("cpu"), f"CPU ({threads} thread{'' if threads == 1 else 's'})", None)


def _mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


_AVAILABLE = {"cuda": torch.cuda.is_available, "mps": _mps_available, "cpu": lambda: True}
_MAKERS = {"cuda": _cuda, "mps": _mps, "cpu": _cpu}


def choose_device(name: str = "auto") -> DeviceChoice:
    if name == "auto":
        name = next(n for n in ("cuda", "mps", "cpu") if _AVAILABLE[n]())
    if name not in _MAKERS:
        raise ConfigError(f"unknown device '{name}'; choose auto, cpu, cuda or mps")
    if not _AVAILABLE[name]():
        raise ConfigError(f"device '{name}' is not available on this machine")
    return _MAKERS[name]()
