"""Fine-tuning pretrained vision models on a project's labels: linear probe, LoRA, or full.

    result = train(project, TrainConfig(model="dinov2-small", method="lora"), on_progress, should_stop)

Qt-free: the GUI runs it in a worker thread, `loupe train` in the terminal, `torchrun` on
several GPUs.
"""

from app.core.training.config import TrainConfig
from app.core.training.trainer import RunResult, train

__all__ = ["RunResult", "TrainConfig", "train"]
