"""Tiny zero-shot models built in the tests, saved the way real ones ship: a CLIP in transformers'
format (CLIPConfig at tiny sizes + a CLIP tokenizer whose vocabulary is written here: the 256
byte characters, no merges) and an open_clip model (open_clip_config.json + safetensors, open_clip's
own bundled tokenizer). Seeded; no network."""

from __future__ import annotations

import json
from pathlib import Path

IMAGE_SIZE = 32


def _byte_characters() -> list[str]:
    """CLIP's byte-to-character table (the printable stand-ins of the 256 bytes)."""
    keep = (
        list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars, extra = list(keep), 0
    for byte in range(256):
        if byte not in keep:
            keep.append(byte)
            chars.append(256 + extra)
            extra += 1
    return [chr(c) for c in chars]


def save_tiny_clip_tokenizer(folder: Path):
    """A CLIPTokenizer over single characters: each character, and each as a word's end."""
    from transformers import CLIPTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    chars = _byte_characters()
    vocab = {token: index for index, token in enumerate(chars + [c + "</w>" for c in chars])}
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (folder / "merges.txt").write_text("#version: 0.2\n", encoding="utf-8")
    tokenizer = CLIPTokenizer(str(folder / "vocab.json"), str(folder / "merges.txt"))
    tokenizer.save_pretrained(folder)
    return tokenizer


def save_tiny_zeroshot_clip(folder: Path, seed: int = 0) -> Path:
    import torch
    from transformers import CLIPConfig, CLIPImageProcessor, CLIPModel

    tokenizer = save_tiny_clip_tokenizer(folder)
    eos = tokenizer.convert_tokens_to_ids("<|endoftext|>")
    config = CLIPConfig(
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 32,
            "num_hidden_layers": 2,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        },
        text_config={
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            "vocab_size": eos + 1,
            "max_position_embeddings": 64,
            "bos_token_id": eos - 1,
            "eos_token_id": eos,
            "pad_token_id": eos,
        },
        projection_dim=16,
    )
    torch.manual_seed(seed)
    CLIPModel(config).eval().save_pretrained(folder)
    CLIPImageProcessor(
        size={"shortest_edge": IMAGE_SIZE}, crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}
    ).save_pretrained(folder)
    return folder


#: open_clip's config for a tiny CLIP (open_clip's own SimpleTokenizer needs its full vocabulary).
OPEN_CLIP_CONFIG = {
    "model_cfg": {
        "embed_dim": 16,
        "vision_cfg": {"image_size": IMAGE_SIZE, "layers": 1, "width": 32, "head_width": 16, "patch_size": 8},
        "text_cfg": {"context_length": 24, "vocab_size": 49408, "width": 32, "heads": 2, "layers": 1},
    },
    "preprocess_cfg": {"mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]},
}


def save_tiny_open_clip(folder: Path, seed: int = 0, pickle_only: bool = False) -> Path:
    """open_clip's hub layout; `pickle_only` writes the weights as open_clip_pytorch_model.bin only
    (what BiomedCLIP and QuiltNet ship), to check that Loupe refuses it."""
    import open_clip
    import torch
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    model = open_clip.model.CLIP(**json.loads(json.dumps(OPEN_CLIP_CONFIG["model_cfg"]))).eval()
    with torch.no_grad():
        model.logit_scale.fill_(2.0)  # exp(2) ≈ 7.4: not the init value, so the test sees it is read
    (folder / "open_clip_config.json").write_text(json.dumps(OPEN_CLIP_CONFIG), encoding="utf-8")
    state = {k: v.contiguous() for k, v in model.state_dict().items()}
    if pickle_only:
        torch.save(state, folder / "open_clip_pytorch_model.bin")
    else:
        save_file(state, str(folder / "open_clip_model.safetensors"))
    return folder


def save_siglip_tokenizer(folder: Path) -> object:
    """SigLIP's own kind of tokenizer: a SentencePiece model (spiece.model, as the hub's SigLIP
    repositories ship it), trained here on a few prompts."""
    import sentencepiece
    from transformers import SiglipTokenizer

    folder.mkdir(parents=True, exist_ok=True)
    corpus = folder / "corpus.txt"
    lines = ["a photo of a red", "a photo of a green", "a photo of a blue", "an image of the colour", "sky grass"]
    corpus.write_text("\n".join(lines * 40), encoding="utf-8")
    special_ids = {"pad_id": 0, "eos_id": 1, "unk_id": 2, "bos_id": -1}
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus),
        model_prefix=str(folder / "spiece"),
        vocab_size=24,
        model_type="unigram",
        minloglevel=2,
        **special_ids,
    )
    corpus.unlink()
    (folder / "spiece.vocab").unlink()
    tokenizer = SiglipTokenizer(vocab_file=str(folder / "spiece.model"))
    tokenizer.save_pretrained(folder)
    return tokenizer


def save_tiny_siglip(folder: Path, seed: int = 0, sentencepiece: bool = False) -> Path:
    """A tiny SigLIP (its own logit scale and bias, sigmoid per class) with the tiny CLIP
    tokenizer, or with `sentencepiece` a SentencePiece tokenizer as SigLIP's own."""
    import torch
    from transformers import SiglipConfig, SiglipImageProcessor, SiglipModel

    if sentencepiece:
        tokenizer = save_siglip_tokenizer(folder)
        eos, pad, vocab = tokenizer.eos_token_id, tokenizer.pad_token_id, len(tokenizer)
    else:
        tokenizer = save_tiny_clip_tokenizer(folder)
        eos = pad = tokenizer.convert_tokens_to_ids("<|endoftext|>")
        vocab = eos + 1
    config = SiglipConfig(
        vision_config={
            "image_size": IMAGE_SIZE,
            "patch_size": 8,
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 64,
        },
        text_config={
            "hidden_size": 32,
            "num_hidden_layers": 1,
            "num_attention_heads": 2,
            "intermediate_size": 64,
            "vocab_size": vocab,
            "max_position_embeddings": 16,
            "bos_token_id": eos - 1,
            "eos_token_id": eos,
            "pad_token_id": pad,
        },
    )
    torch.manual_seed(seed)
    model = SiglipModel(config).eval()
    with torch.no_grad():
        model.logit_scale.fill_(1.5)
        model.logit_bias.fill_(-2.0)
    model.save_pretrained(folder)
    SiglipImageProcessor(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}).save_pretrained(folder)
    return folder
