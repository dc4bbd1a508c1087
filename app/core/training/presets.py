"""Named backbones: the pretrained models Loupe offers by name, with what a user needs to choose
one — its field (general, pathology, radiology, remote sensing), download size, licence, whether
the hub gates it behind accepted terms, what it is good for and whether it needs a GPU to be
practical — and the defaults a run starts from.

Pure data: no torch, no transformers, so the form, the Models page and `loupe models` list them
at no cost. Each entry was checked against the model's card on the Hugging Face hub (architecture,
input size, licence, gating, format).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The fields a preset belongs to, in the order the Models page lists them.
DOMAINS = ("general", "pathology", "radiology", "remote sensing")


@dataclass(frozen=True)
class BackbonePreset:
    name: str
    hub_id: str
    description: str
    image_size: int = 224
    method: str = field(default="lora", metadata={"help": "The method suggested for this backbone."})
    lr: float | None = field(default=None, metadata={"help": "Learning rate for the suggested method."})
    domain: str = field(default="general", metadata={"help": "One of DOMAINS."})
    #: Approximate download size in bytes (the weights file(s)), shown before a download.
    size_bytes: int = 0
    #: Weights in millions, as the card states them.
    parameters_m: float = 0.0
    licence: str = ""
    #: The hub asks the user to accept terms (and download with an access token).
    gated: bool = False
    good_for: str = ""
    #: Too slow to be practical on a CPU (a large ViT): the page says a GPU is needed.
    needs_gpu: bool = False
    #: "transformers" (a model type transformers knows) or "timm" (TimmWrapper, needs timm).
    format: str = "transformers"

    @property
    def card_url(self) -> str:
        """The model's page on the hub: its card, licence and (for gated models) the terms."""
        return f"https://huggingface.co/{self.hub_id}"


PRESETS: dict[str, BackbonePreset] = {
    preset.name: preset
    for preset in (
        BackbonePreset(
            "dinov2-small",
            "facebook/dinov2-small",
            "DINOv2 ViT-S/14: strong frozen features; the default",
            method="linear",
            lr=1e-3,
            size_bytes=88_000_000,
            parameters_m=22,
            licence="Apache-2.0",
            good_for="any image: strong features without fine-tuning",
        ),
        BackbonePreset(
            "vit-b16",
            "google/vit-base-patch16-224-in21k",
            "ViT-B/16 pretrained on ImageNet-21k",
            lr=5e-4,
            size_bytes=346_000_000,
            parameters_m=86,
            licence="Apache-2.0",
            good_for="photographs and everyday objects",
        ),
        BackbonePreset(
            "convnext-tiny",
            "facebook/convnext-tiny-224",
            "ConvNeXt-T: a modern CNN, good on textures",
            method="full",
            lr=1e-4,
            size_bytes=114_000_000,
            parameters_m=28,
            licence="Apache-2.0",
            good_for="textures and surfaces (inspection, materials)",
        ),
        BackbonePreset(
            "swin-tiny",
            "microsoft/swin-tiny-patch4-window7-224",
            "Swin-T: hierarchical transformer",
            lr=5e-4,
            size_bytes=113_000_000,
            parameters_m=28,
            licence="Apache-2.0",
            good_for="objects at several scales",
        ),
        BackbonePreset(
            "resnet-50",
            "microsoft/resnet-50",
            "ResNet-50: the classic CNN baseline",
            method="full",
            lr=1e-4,
            size_bytes=103_000_000,
            parameters_m=26,
            licence="Apache-2.0",
            good_for="a well-known baseline to compare against",
        ),
        BackbonePreset(
            "mobilevit-small",
            "apple/mobilevit-small",
            "MobileViT-S: small and fast, for CPU-only machines",
            image_size=256,
            method="full",
            lr=2e-4,
            size_bytes=22_000_000,
            parameters_m=5.6,
            licence="Apple sample code licence",
            good_for="machines without a GPU",
        ),
        BackbonePreset(
            "clip-vit-b32",
            "openai/clip-vit-base-patch32",
            "CLIP ViT-B/32 vision tower (zero-shot capable family)",
            method="linear",
            lr=1e-3,
            size_bytes=605_000_000,
            parameters_m=151,
            licence="MIT",
            good_for="zero-shot pre-labels from class names",
        ),
    )
}
