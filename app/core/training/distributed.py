"""Several GPUs (or CPU processes) through `torchrun`: DistributedDataParallel, NCCL on GPUs and
gloo on CPU. Only rank 0 writes to the project; the others read it and train.

Outside torchrun every helper here is a no-op, so the loop is written once.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

import torch
import torch.distributed as dist

#: How long a rank waits for the others at a collective (see `start`).
PREPARE_TIMEOUT_S = 2 * 3600


@dataclass(frozen=True)
class DistributedContext:
    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0


def context_from_env() -> DistributedContext:
    return DistributedContext(
        rank=int(os.environ.get("RANK", 0)),
        world_size=int(os.environ.get("WORLD_SIZE", 1)),
        local_rank=int(os.environ.get("LOCAL_RANK", 0)),
    )


def start(ctx: DistributedContext, device_type: str) -> None:
    if ctx.enabled and not dist.is_initialized():
        # The other ranks wait at a barrier while rank 0 alone prepares the split (features and
        # near-duplicate groups of every labelled image: minutes on a large first run), longer
        # than the collectives' default 10-minute timeout.
        dist.init_process_group(
            backend="nccl" if device_type == "cuda" else "gloo", timeout=timedelta(seconds=PREPARE_TIMEOUT_S)
        )
        if device_type == "cuda":
            torch.cuda.set_device(ctx.local_rank)


def stop() -> None:
    if dist.is_initialized():
        dist.destroy_process_group()


def _reduce(flag: bool, op) -> bool:
    if not dist.is_initialized():
        return flag
    tensor = torch.tensor([1 if flag else 0], dtype=torch.int32)
    if dist.get_backend() == "nccl":
        tensor = tensor.cuda()
    dist.all_reduce(tensor, op=op)
    return bool(tensor.item())


def any_rank(flag: bool) -> bool:
    """True on every rank if it is true on any (e.g. rank 0 was asked to stop)."""
    return _reduce(flag, dist.ReduceOp.MAX)


def all_ranks(flag: bool) -> bool:
    """True on every rank only if it is true on all (e.g. every rank's loss is finite)."""
    return _reduce(flag, dist.ReduceOp.MIN)


def barrier() -> None:
    if dist.is_initialized():
        dist.barrier()
