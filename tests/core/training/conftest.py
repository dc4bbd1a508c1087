"""Tiny models and a learnable colour dataset, built once per test session (no network)."""

import pytest

from tests.tiny_models import (
    copy_project,
    make_colour_project,
    save_tiny_clip,
    save_tiny_resnet,
    save_tiny_timm,
    save_tiny_vit,
)


@pytest.fixture(scope="session")
def tiny_resnet(tmp_path_factory):
    return save_tiny_resnet(tmp_path_factory.mktemp("resnet"))


@pytest.fixture(scope="session")
def tiny_vit_dropout(tmp_path_factory):
    """A tiny ViT with dropout on: its outputs differ between training and eval mode."""
    return save_tiny_vit(tmp_path_factory.mktemp("vit-dropout"), dropout=0.2)


@pytest.fixture(scope="session")
def tiny_timm_vit(tmp_path_factory):
    """A tiny timm ViT (dropout on) in the hub's timm layout: transformers' TimmWrapper."""
    return save_tiny_timm(tmp_path_factory.mktemp("timm-vit"), "vit")


@pytest.fixture(scope="session")
def tiny_timm_cnn(tmp_path_factory):
    """A tiny timm EfficientNet (BatchNorm, depthwise convolutions) in the hub's timm layout."""
    return save_tiny_timm(tmp_path_factory.mktemp("timm-cnn"), "cnn")


@pytest.fixture(scope="session")
def tiny_clip(tmp_path_factory):
    return save_tiny_clip(tmp_path_factory.mktemp("clip"))


@pytest.fixture(scope="session")
def colour_project_template(tmp_path_factory):
    return make_colour_project(tmp_path_factory.mktemp("colours"), per_class=20)


@pytest.fixture
def colour_project(colour_project_template, tmp_path):
    """A fresh copy of the labelled colour project (3 classes × 20 images) for one test."""
    return copy_project(colour_project_template, tmp_path)
