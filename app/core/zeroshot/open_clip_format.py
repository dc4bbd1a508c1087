"""Models in open_clip's hub layout (`open_clip_config.json` + weights + tokenizer files), built by
open_clip from that config and filled from a safetensors file only.

open_clip's own loader would take `open_clip_pytorch_model.bin` (a pickle) when that is all a
folder has; here the model is created without weights (`load_weights=False`) and filled with
`open_clip.load_checkpoint` from a `.safetensors` file, strictly (every weight must match). A
model whose text tower is a Hugging Face model (BiomedCLIP's PubMedBERT) builds that tower's
config through transformers, which needs it in the Hugging Face cache or the network.
"""

from __future__ import annotations

import logging
from pathlib import Path

from app.core.errors import ConfigError
from app.core.zeroshot.loaded import SIGMOID, SOFTMAX, ZeroShotModel, read_json, safetensors_weights


class _RandomInitNotice(logging.Filter):
    """open_clip logs "No pretrained weights loaded ... initialized randomly" when a model is built
    without weights; here they are loaded right after, so the line would mislead. A filter on the
    root logger's handlers' records, not a change of its level from a worker thread (which would
    silence every other thread's warnings meanwhile)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "root" and "initialized randomly" in record.getMessage())


_QUIET = _RandomInitNotice()

#: Weights file names open_clip's hub uploads use, tried first.
WEIGHTS_NAMES = ("open_clip_model.safetensors", "open_clip_pytorch_model.safetensors")


def load(folder: Path, key: str, device: str) -> ZeroShotModel:
    import open_clip
    import torch
    from torch.nn import functional

    if "model_cfg" not in read_json(folder / "open_clip_config.json"):
        raise ConfigError(f"open_clip_config.json in {folder} has no 'model_cfg': not an open_clip model")
    weights = safetensors_weights(folder, WEIGHTS_NAMES)
    source = f"local-dir:{folder}"
    logging.getLogger().addFilter(_QUIET)  # once: a filter already there is not added again
    model = open_clip.create_model(source, load_weights=False, pretrained_text=False, pretrained_image=False)
    open_clip.load_checkpoint(model, str(weights), strict=True)
    model = model.to(device).eval()
    tokenizer = open_clip.get_tokenizer(source)
    pre = model.visual.preprocess_cfg
    size = pre.get("size", 224)
    size = int(size[0] if isinstance(size, list | tuple) else size)

    def encode_images(pixels):
        with torch.inference_mode():
            return functional.normalize(model.encode_image(pixels.to(device)).float(), dim=-1).cpu()

    def encode_texts(prompts: list[str]):
        with torch.inference_mode():
            return functional.normalize(model.encode_text(tokenizer(prompts).to(device)).float(), dim=-1).cpu()

    bias = getattr(model, "logit_bias", None)
    return ZeroShotModel(
        key=key,
        format="open_clip",
        encode_images=encode_images,
        encode_texts=encode_texts,
        logit_scale=float(model.logit_scale.detach().exp().item()),
        logit_bias=float(bias.detach().item()) if bias is not None else None,
        kind=SIGMOID if bias is not None else SOFTMAX,
        size=size,
        mean=tuple(pre.get("mean", (0.48145466, 0.4578275, 0.40821073))),
        std=tuple(pre.get("std", (0.26862954, 0.26130258, 0.27577711))),
        device=device,
    )
