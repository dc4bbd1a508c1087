"""Named backbones: the pretrained models Loupe offers by name, with what a user needs to choose
one — its field (general, pathology, radiology, remote sensing), download size, licence, whether
the hub gates it behind accepted terms, what it is good for and whether it needs a GPU to be
practical — and the defaults a run starts from.

Pure data: no torch, no transformers, no timm, so the form, the Models page and `loupe models`
list them at no cost.

Where the facts come from (docs/models.md has the table and the sources, per model):

- licence, gating, architecture, input size, normalisation and the features a model is meant to
  be used with: its hub card, read through stored copies of the card or of the model's own GitHub
  repository (MahmoodLab/UNI README, TRIDENT, LazySlide's model registry…); the hub itself was not
  reachable when these were written. What could not be confirmed is said in the entry's notes.
- `parameters_m`: counted, not copied — each architecture built with timm 1.0.31 or
  transformers 5.25 on the meta device (no weights), with the card's construction arguments.
  The count matches the card's where the card gives one (Virchow2 632 M, H-optimus 1.1 B, UNI2-h
  681 M in LazySlide's registry).
- `size_bytes`: the weights' download size, taken as parameters × 4 bytes (float32 safetensors;
  the header adds a few kB). It matches the hub's file size for every general preset that was
  checked before (DINOv2-S 88 MB, ViT-B 346 MB, CLIP 605 MB…); for the gated models it is a
  computation, not a read file size.

timm-format presets and `model_args`: transformers' TimmWrapper builds a timm model from the
checkpoint's config.json alone (`timm.create_model(architecture, **model_args)`). Several
pathology cards create their model with arguments that config.json does not hold (UNI2-h: the
whole ViT-H shape plus `mlp_layer=SwiGLUPacked, act_layer=SiLU`; Virchow2: `mlp_layer`,
`act_layer`), so the wrapper alone builds the wrong layers: plain MLPs where the weights are
SwiGLU (their shapes differ; the loader reports them as missing weights and starts them at
random). `model_args` here is what the loader must merge over config.json's `model_args` before
the model is built, JSON-able: timm resolves `act_layer` names itself ("silu"); it does not
resolve `mlp_layer` names (a string there fails with "'str' object is not callable"), so the
keys in TIMM_LAYER_ARGS hold the name of a class in `timm.layers`, which the loader must turn
into that class for the build only (the class is not JSON: config.json could not be saved).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

#: The fields a preset belongs to, in the order the Models page lists them.
DOMAINS = ("general", "pathology", "radiology", "remote sensing")

#: What a preset is for: a backbone to train a classifier on, or zero-shot labels from class
#: names (a CLIP-family model, `app.core.zeroshot`). Training offers only CLASSIFY presets.
CLASSIFY = "classify"
ZERO_SHOT = "zero-shot"
TASKS = (CLASSIFY, ZERO_SHOT)

#: `model_args` keys whose value is the name of a class in `timm.layers` (e.g. "SwiGLUPacked"):
#: timm takes a class there, not a name, so the loader resolves them before the model is built.
#: (`act_layer` and `norm_layer` names timm resolves itself: "silu", "gelu", "layernorm".)
TIMM_LAYER_ARGS = ("mlp_layer",)

#: Above this many millions of weights a model is too slow to train on a CPU: `needs_gpu`.
GPU_PARAMETERS_M = 300

#: The normalisation of the H-optimus cards (not ImageNet's).
H_OPTIMUS_MEAN = (0.707223, 0.578729, 0.703617)
H_OPTIMUS_STD = (0.211883, 0.230117, 0.177517)


@dataclass(frozen=True)
class BackbonePreset:
    name: str
    hub_id: str
    description: str
    image_size: int = 224
    method: str = field(default="lora", metadata={"help": "The method suggested for this backbone."})
    lr: float | None = field(default=None, metadata={"help": "Learning rate for the suggested method."})
    domain: str = field(default="general", metadata={"help": "One of DOMAINS."})
    #: Download size in bytes (the safetensors weights), shown before a download.
    size_bytes: int = 0
    #: Weights in millions (counted from the architecture; see the module's docstring).
    parameters_m: float = 0.0
    licence: str = ""
    #: The hub asks the user to accept terms (and download with an access token).
    gated: bool = False
    good_for: str = ""
    #: Too slow to be practical on a CPU (a large ViT): the page says a GPU is needed.
    needs_gpu: bool = False
    #: "transformers" (a model type transformers knows), "timm" (TimmWrapper, needs timm) or
    #: "open_clip" (open_clip_config.json + weights; zero-shot only, `app.core.zeroshot`).
    format: str = "transformers"
    #: The embedding the card says the model is meant to be used with ("class token", "class
    #: token + mean patch tokens"), and where Loupe's head differs, what it sees.
    features: str = ""
    #: timm format: the architecture the checkpoint's config.json names (as the card or its
    #: repository states it); the shape `model_args` completes.
    architecture: str = ""
    #: timm format: arguments the card passes to `timm.create_model` that config.json lacks (or
    #: states wrongly for classification), to merge over config.json's `model_args` at load
    #: time; JSON-able (see TIMM_LAYER_ARGS). Empty: config.json builds the model as it is.
    model_args: dict = field(default_factory=dict, hash=False)
    #: The card's normalisation where it is not ImageNet's; None: the checkpoint's own (its
    #: preprocessor or pretrained_cfg). A check for the loader, not an override.
    mean: tuple[float, float, float] | None = None
    std: tuple[float, float, float] | None = None
    #: What could not be verified, and anything else a maintainer should know (not shown to users).
    notes: str = ""
    #: What the model is for (TASKS): a CLIP can be both a backbone and a zero-shot model.
    tasks: tuple[str, ...] = (CLASSIFY,)
    #: Why the preset cannot be downloaded whatever the network (its weights only as a pickle,
    #: which Loupe never loads); shown on the Models page. "" when it can be.
    unavailable: str = ""

    @property
    def card_url(self) -> str:
        """The model's page on the hub: its card, licence and (for gated models) the terms."""
        return f"https://huggingface.co/{self.hub_id}"


#: H-optimus-1; H-optimus-0 is the same architecture under another licence.
H_OPTIMUS_1 = BackbonePreset(
    "h-optimus-1",
    "bioptimus/H-optimus-1",
    "H-optimus-1 (Bioptimus): ViT-g/14 with 4 registers, for H&E tiles",
    method="linear",
    lr=1e-3,
    domain="pathology",
    size_bytes=4_539_097_088,
    parameters_m=1134.8,
    licence="CC-BY-NC-ND-4.0",
    gated=True,
    good_for="H&E tiles at 20x (0.5 µm/px); non-commercial use; a large GPU",
    needs_gpu=True,
    format="timm",
    features="class token",
    architecture="vit_giant_patch14_reg4_dinov2",
    model_args={"init_values": 1e-5, "dynamic_img_size": False, "img_size": 224},
    mean=H_OPTIMUS_MEAN,
    std=H_OPTIMUS_STD,
    notes="timm's vit_giant_patch14_reg4_dinov2 builds SwiGLUPacked + SiLU itself: no layer trap. "
    "The card passes init_values and dynamic_img_size; img_size 224 is added because the "
    "architecture's default is 518 and TimmWrapper loads no resized position embedding. "
    "Architecture from third-party loaders (TRIDENT loads the weights into it strictly).",
)


PRESETS: dict[str, BackbonePreset] = {
    preset.name: preset
    for preset in (
        # --- general -------------------------------------------------------------------------
        BackbonePreset(
            "dinov2-small",
            "facebook/dinov2-small",
            "DINOv2 ViT-S/14: strong frozen features; the default",
            method="linear",
            lr=1e-3,
            size_bytes=88_226_304,
            parameters_m=22.1,
            licence="Apache-2.0",
            good_for="any image: strong features without fine-tuning",
            features="class token + mean patch tokens",
        ),
        BackbonePreset(
            "vit-b16",
            "google/vit-base-patch16-224-in21k",
            "ViT-B/16 pretrained on ImageNet-21k",
            lr=5e-4,
            size_bytes=345_556_992,
            parameters_m=86.4,
            licence="Apache-2.0",
            good_for="photographs and everyday objects",
            features="class token",
        ),
        BackbonePreset(
            "convnext-tiny",
            "facebook/convnext-tiny-224",
            "ConvNeXt-T: a modern CNN, good on textures",
            method="full",
            lr=1e-4,
            size_bytes=114_356_512,
            parameters_m=28.6,
            licence="Apache-2.0",
            good_for="textures and surfaces (inspection, materials)",
            features="global average pool",
        ),
        BackbonePreset(
            "swin-tiny",
            "microsoft/swin-tiny-patch4-window7-224",
            "Swin-T: hierarchical transformer",
            lr=5e-4,
            size_bytes=113_153_416,
            parameters_m=28.3,
            licence="Apache-2.0",
            good_for="objects at several scales",
            features="global average pool",
        ),
        BackbonePreset(
            "resnet-50",
            "microsoft/resnet-50",
            "ResNet-50: the classic CNN baseline",
            method="full",
            lr=1e-4,
            size_bytes=102_228_128,
            parameters_m=25.6,
            licence="Apache-2.0",
            good_for="a well-known baseline to compare against",
            features="global average pool",
        ),
        BackbonePreset(
            "mobilevit-small",
            "apple/mobilevit-small",
            "MobileViT-S: small and fast, for CPU-only machines",
            image_size=256,
            method="full",
            lr=2e-4,
            size_bytes=22_314_528,
            parameters_m=5.6,
            licence="Apple sample code licence",
            good_for="machines without a GPU",
            features="global average pool",
        ),
        BackbonePreset(
            "clip-vit-b32",
            "openai/clip-vit-base-patch32",
            "CLIP ViT-B/32 vision tower (zero-shot capable family)",
            method="linear",
            lr=1e-3,
            size_bytes=605_109_252,
            parameters_m=151.3,
            licence="MIT",
            good_for="zero-shot pre-labels from class names",
            features="class token, projected (CLIP's image embedding); Loupe's CLIP head averages the patch tokens",
            tasks=(CLASSIFY, ZERO_SHOT),
            notes="151.3 M is the whole CLIP file (text tower too); the vision tower Loupe trains has 87.5 M. "
            "MIT is the licence of OpenAI's CLIP repository; the hub card was not re-read for a licence field.",
        ),
        BackbonePreset(
            "siglip-b16",
            "google/siglip-base-patch16-224",
            "SigLIP ViT-B/16 (Google): image-text model trained with a sigmoid loss",
            method="linear",
            lr=1e-3,
            size_bytes=812_623_880,
            parameters_m=203.2,
            licence="Apache-2.0",
            good_for="zero-shot pre-labels from class names; often better than CLIP on everyday photos",
            format="transformers",
            tasks=(ZERO_SHOT,),
            notes="Size counted (SiglipConfig() on the meta device: 203,155,970 weights x 4 bytes), matching the "
            "813 MB model.safetensors of the stored file list. The repository's tokenizer is a sentencepiece "
            "model (spiece.model); a tokenizer.json was not seen in the stored file lists, so loading may need "
            "the sentencepiece package, which Loupe does not install.",
        ),
        # --- pathology -----------------------------------------------------------------------
        BackbonePreset(
            "plip",
            "vinid/plip",
            "PLIP (Stanford): CLIP ViT-B/32 fine-tuned on 208 k pathology image-text pairs from Twitter",
            method="linear",
            lr=1e-3,
            domain="pathology",
            size_bytes=605_109_252,
            parameters_m=151.3,
            licence="not stated on the card",
            good_for="zero-shot pre-labels for H&E pathology images",
            tasks=(ZERO_SHOT,),
            notes="CLIP format (the project's README loads it with CLIPModel). model.safetensors (605 MB) was added "
            "by the safetensors bot and is in the main history of the stored file list. The card states no "
            "licence; the paper's terms restrict it to research.",
        ),
        BackbonePreset(
            "quiltnet-b32",
            "wisdomik/QuiltNet-B-32",
            "QuiltNet-B-32: CLIP ViT-B/32 trained on Quilt-1M histopathology videos (open_clip)",
            method="linear",
            lr=1e-3,
            domain="pathology",
            parameters_m=151.3,
            licence="MIT",
            good_for="zero-shot pre-labels for histopathology",
            format="open_clip",
            tasks=(ZERO_SHOT,),
            unavailable="its weights are on the hub only as a pickle (open_clip_pytorch_model.bin), which Loupe "
            "never loads; a folder with the weights converted to safetensors works (docs/zeroshot.md)",
            notes="Stored file list: open_clip_config.json (ViT-B/32, embed_dim 512), open_clip_pytorch_model.bin, "
            "tokenizer files; no safetensors. Weights counted as open_clip's ViT-B-32 (151,277,313).",
        ),
        BackbonePreset(
            "biomedclip",
            "microsoft/BiomedCLIP-PubMedBERT_256-vit_base_patch16_224",
            "BiomedCLIP (Microsoft): ViT-B/16 + PubMedBERT trained on 15 M figure-caption pairs (open_clip)",
            method="linear",
            lr=1e-3,
            domain="radiology",
            licence="MIT",
            good_for="zero-shot pre-labels for biomedical images (radiology, microscopy, pathology)",
            format="open_clip",
            tasks=(ZERO_SHOT,),
            unavailable="its weights are on the hub only as a pickle (open_clip_pytorch_model.bin, 784 MB), which "
            "Loupe never loads; a folder with the weights converted to safetensors works (docs/zeroshot.md)",
            notes="Stored file list: open_clip_config.json, open_clip_pytorch_model.bin (784 MB), tokenizer.json, "
            "vocab.txt; no safetensors. Its text tower is a Hugging Face BERT whose config open_clip fetches by "
            "name, so even a converted folder needs that config in the HF cache. Weights not counted (size 0).",
        ),
        BackbonePreset(
            "phikon-v2",
            "owkin/phikon-v2",
            "Phikon-v2 (Owkin): DINOv2 ViT-L/16 trained on 460 M tiles of public slides",
            method="linear",
            lr=1e-3,
            domain="pathology",
            size_bytes=1_213_407_232,
            parameters_m=303.4,
            licence="Owkin non-commercial licence",
            good_for="H&E tiles at 20x (0.5 µm/px); weights free to download, non-commercial use",
            needs_gpu=True,
            features="class token (last_hidden_state[:, 0], as TRIDENT and LazySlide take it); "
            "Loupe's DINOv2 head adds the mean patch tokens",
            notes="Not gated according to three third-party sources (not checked on the hub). The card was "
            "not read: licence from LazySlide's registry (LICENSE.pdf in the repository). Size assumes "
            "config image_size 224.",
        ),
        BackbonePreset(
            "uni",
            "MahmoodLab/UNI",
            "UNI (Mahmood Lab): ViT-L/16 trained on 100 k H&E slides",
            method="linear",
            lr=1e-3,
            domain="pathology",
            size_bytes=1_213_403_136,
            parameters_m=303.4,
            licence="CC-BY-NC-ND-4.0",
            gated=True,
            good_for="H&E tiles; academic, non-commercial research only",
            needs_gpu=True,
            format="timm",
            features="class token",
            architecture="vit_large_patch16_224",
            model_args={"init_values": 1e-5, "dynamic_img_size": True},
            notes="init_values builds the LayerScale layers whose weights the checkpoint holds. TRIDENT names "
            "pytorch_model.bin as its file; whether the repository also holds model.safetensors (Loupe "
            "loads safetensors only) was not verified.",
        ),
        BackbonePreset(
            "uni2-h",
            "MahmoodLab/UNI2-h",
            "UNI2-h (Mahmood Lab): ViT-H/14 with 8 registers, 200 M+ H&E and IHC images",
            method="linear",
            lr=1e-3,
            domain="pathology",
            size_bytes=2_725_576_704,
            parameters_m=681.4,
            licence="CC-BY-NC-ND-4.0",
            gated=True,
            good_for="H&E and IHC tiles; academic, non-commercial research only",
            needs_gpu=True,
            format="timm",
            features="class token",
            architecture="vit_giant_patch14_224",
            model_args={
                "img_size": 224,
                "patch_size": 14,
                "depth": 24,
                "num_heads": 24,
                "init_values": 1e-5,
                "embed_dim": 1536,
                "mlp_ratio": 5.33334,
                "no_embed_class": True,
                "mlp_layer": "SwiGLUPacked",
                "act_layer": "silu",
                "reg_tokens": 8,
                "dynamic_img_size": True,
            },
            notes="model_args are the card's timm_kwargs (mlp_ratio 2.66667 * 2) less num_classes. The "
            "card's own local-checkpoint recipe uses architecture vit_giant_patch14_224 with these "
            "arguments; the hub config.json itself was not read. TRIDENT names pytorch_model.bin; a "
            "model.safetensors in the repository was not verified.",
        ),
        BackbonePreset(
            "virchow2",
            "paige-ai/Virchow2",
            "Virchow2 (Paige): ViT-H/14 with 4 registers, 3.1 M slides at 5x-40x",
            method="linear",
            lr=1e-3,
            domain="pathology",
            size_bytes=2_524_957_696,
            parameters_m=631.2,
            licence="CC-BY-NC-ND-4.0",
            gated=True,
            good_for="H&E and IHC tiles at several magnifications; non-commercial use",
            needs_gpu=True,
            format="timm",
            features="class token + mean patch tokens (2560 values); through timm's head Loupe sees the class token",
            architecture="vit_huge_patch14_224",
            model_args={
                "img_size": 224,
                "init_values": 1e-5,
                "reg_tokens": 4,
                "mlp_ratio": 5.3375,
                "dynamic_img_size": True,
                "mlp_layer": "SwiGLUPacked",
                "act_layer": "silu",
                "global_pool": "token",
            },
            notes="config.json (quoted the same by several repositories) has global_pool '' (no pooling: "
            "logits per token, which cannot train) and lacks mlp_layer/act_layer (plain MLPs: every "
            "fc2 has the wrong shape). global_pool 'token' is Loupe's choice; the card's 2560-value "
            "embedding needs a head that concatenates the class token and the mean of the patch "
            "tokens (tokens 5: on). A pinned manifest in one repository names model.safetensors.",
        ),
        H_OPTIMUS_1,
        replace(
            H_OPTIMUS_1,
            name="h-optimus-0",
            hub_id="bioptimus/H-optimus-0",
            description="H-optimus-0 (Bioptimus): ViT-g/14 with 4 registers, for H&E tiles",
            licence="Apache-2.0",
            good_for="H&E tiles at 20x (0.5 µm/px); the one large pathology model licensed for commercial use",
            notes="Gated according to two third-party lists (LazySlide does not mark it gated); not checked "
            "on the hub. As for H-optimus-1 otherwise.",
        ),
        # --- radiology -----------------------------------------------------------------------
        BackbonePreset(
            "rad-dino",
            "microsoft/rad-dino",
            "RAD-DINO (Microsoft): DINOv2 ViT-B/14 trained on chest X-rays, 518 px",
            image_size=518,
            method="linear",
            lr=1e-3,
            domain="radiology",
            size_bytes=346_321_920,
            parameters_m=86.6,
            licence="MIT",
            good_for="chest X-rays; research use, not clinical practice",
            features="class token (card); Loupe's DINOv2 head adds the mean patch tokens",
            notes="The card's licence changed: earlier revisions say MSRLA, the later one MIT. 518 px "
            "(37 x 37 patches) costs about 5x a 224 px ViT-B per image; needs_gpu left off (86 M).",
        ),
        # --- remote sensing ------------------------------------------------------------------
        BackbonePreset(
            "dinov3-sat-l16",
            "timm/vit_large_patch16_dinov3.sat493m",
            "DINOv3 ViT-L/16 (Meta) distilled on 493 M satellite images (timm copy)",
            image_size=256,
            method="linear",
            lr=1e-3,
            domain="remote sensing",
            size_bytes=1_212_317_696,
            parameters_m=303.1,
            licence="DINOv3 License",
            good_for="aerial and satellite RGB imagery",
            needs_gpu=True,
            format="timm",
            features="class token (timm's default for this family is the patch average)",
            architecture="vit_large_patch16_dinov3",
            model_args={"global_pool": "token"},
            mean=(0.430, 0.411, 0.296),
            std=(0.213, 0.156, 0.143),
            notes="Meta's own facebook/dinov3-vitl16-pretrain-sat493m is gated and is dinov3_vit, which "
            "transformers 5.25 has no image-classification class for (AutoModelForImageClassification "
            "refuses it), so the timm copy is the preset. Its gating was not checked (the stored copy "
            "of a sibling timm DINOv3 card shows no access form); licence from timm's pretrained_cfg "
            "and the sibling cards' metadata (dinov3-license).",
        ),
        BackbonePreset(
            "remoteclip-b32",
            "chendelong/RemoteCLIP",
            "RemoteCLIP ViT-B/32: CLIP trained on remote-sensing image-text data",
            method="linear",
            lr=1e-3,
            domain="remote sensing",
            parameters_m=151.3,
            licence="Apache-2.0",
            good_for="zero-shot pre-labels for satellite and aerial images",
            format="open_clip",
            tasks=(ZERO_SHOT,),
            unavailable="the repository is not in open_clip's hub layout: three raw checkpoints "
            "(RemoteCLIP-RN50.pt, -ViT-B-32.pt, -ViT-L-14.pt) as pickles and no open_clip_config.json; "
            "convert ViT-B-32 to a folder with open_clip_config.json and safetensors (docs/zeroshot.md)",
            notes="Stored file list (main, 2 commits): .gitattributes and the three .pt pickles only. The weights "
            "load into open_clip's built-in ViT-B-32 (151,277,313 weights), as its GitHub README does. Licence "
            "from the GitHub repository (Apache-2.0); the hub card has none.",
        ),
    )
}


def presets_for(task: str) -> dict[str, BackbonePreset]:
    """The presets for one task (TASKS): training lists CLASSIFY ones, the zero-shot panel ZERO_SHOT ones."""
    return {name: preset for name, preset in PRESETS.items() if task in preset.tasks}


#: Why a preset does not fit a task: what it is for instead, and where that is done.
_NOT_FOR = {
    CLASSIFY: "is a zero-shot model (class names to labels, `loupe zeroshot`), not a backbone to train",
    ZERO_SHOT: "is a backbone to train, not a zero-shot model (it has no text encoder); choose one of {names}",
}


def task_problem(ref: str, task: str) -> str | None:
    """Why the preset named `ref` cannot do `task`, in words (None: it can, or `ref` is not a
    preset: a hub id or folder is judged when it loads). Asked before a download, so that a
    wrong choice costs no gigabyte."""
    preset = PRESETS.get(ref.strip().lower())
    if preset is None or task in preset.tasks:
        return None
    names = ", ".join(presets_for(ZERO_SHOT))
    return f"{preset.name} {_NOT_FOR[task].format(names=names)}"
