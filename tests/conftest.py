"""Test-wide set-up: offscreen Qt, no network, and small shared fixtures."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

import pytest  # noqa: E402

from app.core.project.store import Project  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def quick_latency():
    """Every run measures its prediction latency for its cost card, up to a second per batch
    size: most of a tiny model's run. The tests check that it is measured, not how precisely,
    and a few passes do that (in this process; a command run as a subprocess measures in full)."""
    from app.core.training import cost

    cost.LATENCY_BUDGET_S = 0.05


@pytest.fixture
def project(tmp_path):
    """A new, empty project in a temporary folder, closed after the test."""
    with Project.create(tmp_path / "test.loupe") as opened:
        yield opened


@pytest.fixture(scope="session")
def tiny_vit(tmp_path_factory):
    """A tiny ViT with random weights, saved with save_pretrained (loaded by path, no network)."""
    from tests.tiny_models import save_tiny_vit

    return save_tiny_vit(tmp_path_factory.mktemp("vit"))
