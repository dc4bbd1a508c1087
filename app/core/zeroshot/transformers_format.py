"""CLIP and SigLIP in transformers' format (config.json + model.safetensors + a tokenizer),
loaded with the Auto classes: safetensors only, `trust_remote_code=False`.

The image settings are read from preprocessor_config.json (the model's own mean, std and size).
Loupe squeezes the whole image to the square the encoder takes, as everywhere else in the app
(`training.backbones.ImageSettings`), where CLIP's processor would crop the centre: the edges of a
tile or a scan may hold what the class is about.
"""

from __future__ import annotations

from pathlib import Path

from app.core.errors import ConfigError
from app.core.zeroshot.loaded import SIGMOID, SOFTMAX, ZeroShotModel, read_json, safetensors_weights

#: The model types this format loads, and how their logits become class probabilities.
KINDS = {"clip": SOFTMAX, "siglip": SIGMOID}
#: CLIP's normalisation (OpenAI), for a folder without preprocessor_config.json.
CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)


def _image_settings(folder: Path, config: dict) -> tuple[int, tuple, tuple]:
    pre = read_json(folder / "preprocessor_config.json") if (folder / "preprocessor_config.json").is_file() else {}
    size = pre.get("crop_size") or pre.get("size") or {}
    if isinstance(size, dict):
        size = size.get("height") or size.get("shortest_edge")
    size = int(size or config.get("vision_config", {}).get("image_size") or 224)
    mean = tuple(pre.get("image_mean") or CLIP_MEAN)
    std = tuple(pre.get("image_std") or CLIP_STD)
    return size, mean, std


def load(folder: Path, key: str, device: str) -> ZeroShotModel:
    import torch
    from torch.nn import functional
    from transformers import AutoModel, AutoTokenizer

    config = read_json(folder / "config.json")
    model_type = config.get("model_type")
    if model_type not in KINDS:
        raise ConfigError(
            f"{folder} is a '{model_type}' model; zero-shot labels need a CLIP or SigLIP model "
            f"(model types: {', '.join(KINDS)}) or an open_clip model"
        )
    safetensors_weights(folder)  # a pickle-only folder is refused before transformers looks at it
    model = AutoModel.from_pretrained(str(folder), trust_remote_code=False, use_safetensors=True)
    model = model.to(device).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder), trust_remote_code=False)
    # SigLIP was trained on prompts padded to the full length with no attention mask (its own
    # tokenizer returns input_ids only; it pools the last position); CLIP pools at the end token.
    siglip = KINDS[model_type] == SIGMOID
    padding = "max_length" if siglip else True
    inputs = ("input_ids",) if siglip else ("input_ids", "attention_mask")
    max_length = config.get("text_config", {}).get("max_position_embeddings") or 77

    def embedding(out) -> torch.Tensor:
        # transformers 5 returns the projected embedding as `pooler_output`; older ones a tensor
        vectors = getattr(out, "pooler_output", out)
        return functional.normalize(vectors.float(), dim=-1).cpu()

    def encode_images(pixels):
        with torch.inference_mode():
            return embedding(model.get_image_features(pixel_values=pixels.to(device)))

    def encode_texts(prompts: list[str]):
        tokens = tokenizer(prompts, padding=padding, truncation=True, max_length=max_length, return_tensors="pt")
        with torch.inference_mode():
            return embedding(model.get_text_features(**{k: v.to(device) for k, v in tokens.items() if k in inputs}))

    bias = getattr(model, "logit_bias", None)
    size, mean, std = _image_settings(folder, config)
    return ZeroShotModel(
        key=key,
        format="transformers",
        encode_images=encode_images,
        encode_texts=encode_texts,
        logit_scale=float(model.logit_scale.detach().exp().item()),
        logit_bias=float(bias.detach().item()) if bias is not None else None,
        kind=KINDS[model_type],
        size=size,
        mean=mean,
        std=std,
        device=device,
    )
