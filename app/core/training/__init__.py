"""Fine-tuning pretrained vision models on a project's labels: a linear probe, the parameter-
efficient methods (BitFit, IA³, LoRA, DoRA, AdaLoRA, LoHa, LoKr), or every weight (`methods/`).

    from app.core.training import TrainConfig, train
    result = train(project, TrainConfig(model="dinov2-small", method="lora"), on_progress, should_stop)

Qt-free: the GUI runs it in a worker thread, `loupe train` in the terminal, `torchrun` on
several GPUs. Importing this package is cheap (torch and transformers load on first use of
`train`), so the commands that do not train never load them.
"""

from app.core.training.config import TrainConfig

__all__ = ["RunResult", "TrainConfig", "train"]


def __getattr__(name: str):
    if name in ("train", "RunResult"):
        from app.core.training import preload

        preload.before_use()  # a window may be loading torch in the background right now
        from app.core.training import trainer

        return getattr(trainer, name)
    raise AttributeError(name)
