"""The named backbones: facts a user chooses by, and, for timm-format presets, that the
construction arguments their cards need (`model_args`) build the layers their weights are for.
No network: timm models are built at tiny widths, with the layer kinds of the real ones."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import app.core.training.presets as presets_module
from app.core.training.methods import METHODS
from app.core.training.presets import DOMAINS, GPU_PARAMETERS_M, PRESETS, TASKS, TIMM_LAYER_ARGS, ZERO_SHOT
from app.core.training.timm_models import WRAPPER_SETS

REPO = Path(__file__).resolve().parents[3]
TIMM_PRESETS = [p for p in PRESETS.values() if p.format == "timm"]

#: The shape arguments replaced by tiny ones; every other argument (layer kinds, registers,
#: LayerScale, pooling, position-embedding layout) is kept as the preset states it.
TINY = {"embed_dim": 32, "depth": 2, "num_heads": 2, "img_size": 32, "patch_size": 16}

#: What each timm preset must build: (MLP class, its activation, prefix tokens = class +
#: registers, the pooling timm's head reads). A new timm preset needs a line here: the test
#: fails until its layers are stated.
EXPECTED_LAYERS = {
    "uni": ("Mlp", "GELU", 1, "token"),
    "uni2-h": ("GluMlp", "SiLU", 9, "token"),
    "virchow2": ("GluMlp", "SiLU", 5, "token"),
    "h-optimus-1": ("GluMlp", "SiLU", 5, "token"),
    "h-optimus-0": ("GluMlp", "SiLU", 5, "token"),
    "dinov3-sat-l16": ("Mlp", "GELU", 5, "token"),
}

#: paige-ai/Virchow2's config.json `model_args` (as several repositories quote it): what
#: TimmWrapper builds from when nothing is merged over it.
VIRCHOW2_CONFIG_ARGS = {
    "img_size": 224,
    "init_values": 1e-5,
    "num_classes": 0,
    "reg_tokens": 4,
    "mlp_ratio": 5.3375,
    "global_pool": "",
    "dynamic_img_size": True,
}


def declared_names() -> list[str]:
    """The names as written in presets.py (the PRESETS dict would silently keep one of two): each
    `BackbonePreset("name", …)`, and each `replace(preset, name="name", …)` made from another."""
    tree = ast.parse(Path(presets_module.__file__).read_text(encoding="utf-8"))
    calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)]
    written = [node.args[0].value for node in calls if getattr(node.func, "id", "") == "BackbonePreset" and node.args]
    copied = [
        keyword.value.value
        for node in calls
        if getattr(node.func, "id", "") == "replace"
        for keyword in node.keywords
        if keyword.arg == "name"
    ]
    return written + copied


def resolved(model_args: dict) -> dict:
    """`model_args` as the loader must pass them to timm: layer names turned into timm's classes."""
    import timm.layers

    return {k: getattr(timm.layers, v) if k in TIMM_LAYER_ARGS else v for k, v in model_args.items()}


def tiny(model_args: dict) -> dict:
    return {**resolved(model_args), **TINY}


def test_names_and_hub_ids_are_unique():
    names = declared_names()
    assert len(names) == len(set(names)) == len(PRESETS), names
    assert all(name == name.lower() and name in PRESETS and PRESETS[name].name == name for name in names)
    hub_ids = [p.hub_id.lower() for p in PRESETS.values()]
    assert len(hub_ids) == len(set(hub_ids))


@pytest.mark.parametrize("preset", PRESETS.values(), ids=lambda p: p.name)
def test_the_facts_a_user_chooses_by(preset):
    assert preset.domain in DOMAINS
    assert re.fullmatch(r"[A-Za-z0-9][\w.-]*/[\w.-]+", preset.hub_id), preset.hub_id
    assert preset.card_url == f"https://huggingface.co/{preset.hub_id}"
    assert preset.method in METHODS and preset.lr and preset.lr > 0
    assert preset.format in ("transformers", "timm", "open_clip")
    assert preset.tasks and set(preset.tasks) <= set(TASKS)
    assert preset.format != "open_clip" or preset.tasks == (ZERO_SHOT,)  # open_clip: zero-shot only
    assert preset.image_size >= 224 and preset.description and preset.good_for and preset.licence
    # A preset that cannot be downloaded (weights only as a pickle) may leave uncounted what it could not verify
    assert (preset.parameters_m > 0 and preset.size_bytes > 0) or preset.unavailable
    if preset.size_bytes:
        # float32 weights: 4 bytes each (a size typed in MB, or a count in units, is off by 10^6)
        assert abs(preset.size_bytes / (preset.parameters_m * 4e6) - 1) < 0.01
    for values in (preset.mean, preset.std):
        assert values is None or (len(values) == 3 and all(0 < v < 1 for v in values))


def test_gated_presets_say_whose_terms():
    gated = [p for p in PRESETS.values() if p.gated]
    assert gated, "the pathology presets are gated"
    for preset in gated:
        assert preset.licence and preset.card_url.startswith("https://huggingface.co/"), preset.name


def test_large_models_need_a_gpu():
    for preset in PRESETS.values():
        assert preset.needs_gpu == (preset.parameters_m > GPU_PARAMETERS_M), preset.name


def test_model_args_are_json_and_only_for_timm():
    for preset in PRESETS.values():
        if preset.format != "timm":
            assert not preset.model_args and not preset.architecture, preset.name
            continue
        assert preset.architecture, preset.name
        assert json.loads(json.dumps(preset.model_args)) == preset.model_args  # config.json can hold them
        assert not set(preset.model_args) & set(WRAPPER_SETS), "transformers passes num_classes itself"


def test_every_timm_preset_states_its_layers():
    assert {p.name for p in TIMM_PRESETS} == set(EXPECTED_LAYERS)


@pytest.mark.parametrize("preset", TIMM_PRESETS, ids=lambda p: p.name)
def test_model_args_build_the_cards_layers(preset):
    """Through transformers' TimmWrapper, as Loupe loads a timm checkpoint: the preset's
    arguments merged over config.json's, layer names resolved, at tiny widths."""
    import timm
    import torch
    from transformers import TimmWrapperConfig, TimmWrapperForImageClassification

    mlp, act, prefix, pool = EXPECTED_LAYERS[preset.name]
    assert preset.architecture in timm.list_models(preset.architecture)
    config = TimmWrapperConfig(architecture=preset.architecture, model_args=tiny(preset.model_args), num_labels=3)
    model = TimmWrapperForImageClassification(config).eval()
    inner = model.timm_model
    block = inner.blocks[0]
    assert type(block.mlp).__name__ == mlp and type(block.mlp.act).__name__ == act
    if mlp == "GluMlp":  # timm's SwiGLUPacked: one fc1 holding both halves, gate first
        assert block.mlp.gate_last is False and block.mlp.fc1.out_features == 2 * block.mlp.fc2.in_features
    assert inner.num_prefix_tokens == prefix and inner.global_pool == pool
    if "init_values" in preset.model_args:  # LayerScale weights are in the checkpoint
        assert type(block.ls1).__name__ == "LayerScale"
    with torch.no_grad():
        logits = model(pixel_values=torch.zeros(2, 3, 32, 32)).logits
    assert logits.shape == (2, 3)  # one row per image: the features are pooled


def test_timm_takes_no_mlp_layer_name():
    """Why TIMM_LAYER_ARGS exists: timm resolves an activation's name, not an MLP's. If this
    starts to pass, timm resolves names itself and the loader's table can go."""
    import timm

    with pytest.raises(TypeError, match="not callable"):
        timm.create_model("vit_base_patch16_224", pretrained=False, mlp_layer="SwiGLUPacked", **TINY)
    model = timm.create_model("vit_base_patch16_224", pretrained=False, act_layer="silu", **TINY)
    assert type(model.blocks[0].mlp.act).__name__ == "SiLU"


def test_virchow2_config_alone_builds_the_wrong_model():
    """The trap the preset's model_args close: built from config.json as it is, Virchow2 gets
    plain GELU MLPs (its SwiGLU fc2 weights do not fit them) and unpooled, per-token logits."""
    import torch
    from transformers import TimmWrapperConfig, TimmWrapperForImageClassification

    alone = {k: v for k, v in VIRCHOW2_CONFIG_ARGS.items() if k not in WRAPPER_SETS}
    wrong = TimmWrapperForImageClassification(
        TimmWrapperConfig(architecture="vit_huge_patch14_224", model_args={**alone, **TINY}, num_labels=3)
    )
    assert type(wrong.timm_model.blocks[0].mlp).__name__ == "Mlp"
    with torch.no_grad():
        assert wrong(pixel_values=torch.zeros(1, 3, 32, 32)).logits.dim() == 3
    merged = {**alone, **PRESETS["virchow2"].model_args}
    right = TimmWrapperForImageClassification(
        TimmWrapperConfig(architecture="vit_huge_patch14_224", model_args=tiny(merged), num_labels=3)
    )
    assert type(right.timm_model.blocks[0].mlp).__name__ == "GluMlp"


def test_importing_presets_imports_no_ml_library():
    code = (
        "import sys, app.core.training.presets; "
        "print(sorted(m for m in ('torch', 'timm', 'transformers') if m in sys.modules))"
    )
    found = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "[]", found.stdout + found.stderr


def test_zero_shot_presets_are_never_backbones_to_train():
    from app.core.errors import ConfigError
    from app.core.training.backbones import resolve
    from app.core.training.presets import CLASSIFY, presets_for

    zero_shot_only = [p for p in PRESETS.values() if CLASSIFY not in p.tasks]
    assert {p.name for p in zero_shot_only} >= {"siglip-b16", "plip", "biomedclip", "quiltnet-b32", "remoteclip-b32"}
    assert not set(presets_for(CLASSIFY)) & {p.name for p in zero_shot_only}
    assert "clip-vit-b32" in presets_for(ZERO_SHOT) and "clip-vit-b32" in presets_for(CLASSIFY)
    for preset in zero_shot_only:
        with pytest.raises(ConfigError, match="zero-shot"):
            resolve(preset.name)
