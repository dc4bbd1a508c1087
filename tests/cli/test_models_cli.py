"""`loupe models`: the presets with where each stands, download (progress, Ctrl+C, resume), delete,
the access token, and `loupe train` downloading its model first. Against the fake hub on
127.0.0.1 (tests/fake_hub.py); nothing reaches the network."""

from __future__ import annotations

import io
import json
import re
import signal
import subprocess
import sys
import time

import pytest

from app.cli import main
from app.core import hub
from app.core.training.presets import PRESETS
from tests.fake_hub import folder_files, go_offline, serving, tiny_model_files

HUB_ID = "facebook/dinov2-small"


@pytest.fixture
def fake(tmp_path, monkeypatch):
    with serving(monkeypatch, tmp_path) as running:
        running.add(HUB_ID, tiny_model_files())
        yield running


def run_json(capsys, *args) -> dict:
    assert main([*map(str, args), "--json"]) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def by_name(listing: dict) -> dict:
    return {row["name"]: row for row in listing["models"]}


def test_models_json_lists_every_preset_and_the_download_shows_in_it(fake, capsys):
    listing = run_json(capsys, "models")
    assert set(by_name(listing)) == set(PRESETS)
    for name, row in by_name(listing).items():
        assert row["domain"] == PRESETS[name].domain and row["hub_id"] == PRESETS[name].hub_id
        assert row["on_disk"] is False and row["path"] is None and row["partial_bytes"] == 0
        assert {"size_bytes", "licence", "gated", "needs_gpu", "good_for", "revision"} <= row.keys()
    assert listing["cache_folder"] == str(hub.cache_folder()) and listing["offline"] is None
    assert listing["cache_bytes"] == 0 and listing["free_bytes"] > 0 and listing["token"] is False

    downloaded = run_json(capsys, "models", "download", "dinov2-small")
    assert downloaded["hub_id"] == HUB_ID and downloaded["revision"] == fake.repos[HUB_ID].commit
    row = by_name(run_json(capsys, "models"))["dinov2-small"]
    assert row["on_disk"] is True and row["path"] == downloaded["path"] and row["revision"] == downloaded["revision"]
    assert (hub.model_on_disk(HUB_ID).path / "model.safetensors").is_file()


def test_download_in_words_shows_progress_on_stderr(fake, capsys):
    assert main(["models", "download", HUB_ID]) == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{HUB_ID} is on this machine: {hub.cache_folder()}") and "1.0 MB" in out
    assert f"{HUB_ID}: 1.0 MB of 1.0 MB (100%)" in err
    assert main(["models", "download", "dinov2-small"]) == 0  # already here: nothing asked of the hub
    assert "is on this machine" in capsys.readouterr().out


def test_the_list_in_words_is_grouped_by_field(fake, capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("General:") and "dinov2-small" in out and "not downloaded" in out
    assert f"Cache: {hub.cache_folder()}" in out


def test_delete_says_what_it_freed(fake, capsys):
    run_json(capsys, "models", "download", "dinov2-small")
    deleted = run_json(capsys, "models", "delete", "dinov2-small")
    assert deleted["hub_id"] == HUB_ID and deleted["freed_bytes"] > 1_000_000
    assert by_name(run_json(capsys, "models"))["dinov2-small"]["on_disk"] is False
    assert main(["models", "delete", "dinov2-small"]) == 0
    assert "was not on this machine" in capsys.readouterr().out


def test_an_unknown_name_is_a_bad_argument(fake, capsys, tmp_path):
    assert main(["models", "download", "no-such-model"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unknown model 'no-such-model'" in err and "dinov2-small" in err
    assert main(["models", "delete", str(tmp_path)]) == 2
    assert "is a folder on this machine" in capsys.readouterr().err
    assert fake.requests == []


def test_offline_the_download_fails_in_one_sentence(fake, monkeypatch, capsys):
    go_offline(monkeypatch)
    assert main(["models", "download", "dinov2-small"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HF_HUB_OFFLINE is set" in err and HUB_ID in err
    assert fake.requests == []
    assert run_json(capsys, "models")["offline"].startswith("Offline: HF_HUB_OFFLINE is set")


def test_a_gated_model_fails_with_where_to_accept_its_terms(fake, capsys):
    fake.add("MahmoodLab/UNI", tiny_model_files(), gated=True)
    assert main(["models", "download", "uni"]) == 1
    err = capsys.readouterr().err
    assert "'MahmoodLab/UNI' is gated" in err and "https://huggingface.co/MahmoodLab/UNI" in err


def test_the_token_is_read_from_stdin_and_forgotten(fake, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hf_from_a_pipe\n"))
    saved = run_json(capsys, "models", "token")
    assert saved["token_path"] == str(hub.token_path()) and saved["saved"] is True
    assert hub.token_path().read_text() == "hf_from_a_pipe"
    assert run_json(capsys, "models")["token"] is True
    assert main(["models", "token", "--forget"]) == 0
    assert "removed" in capsys.readouterr().out and not hub.token_path().exists()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n"))
    assert main(["models", "token"]) == 2 and "empty" in capsys.readouterr().err


def test_ctrl_c_stops_the_download_and_the_next_one_resumes(fake, tmp_path):
    """In a real process, as a user at a terminal stops it."""
    fake.throttle_bps = 300_000
    command = [sys.executable, "-m", "app", "models", "download", "dinov2-small"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while hub.partial_bytes(HUB_ID) < 100_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    assert "cancelled" in err and "the next download resumes from there" in err and "Traceback" not in err
    kept = hub.partial_bytes(HUB_ID)
    assert kept >= 100_000 and hub.model_on_disk(HUB_ID) is None

    fake.throttle_bps = None
    finished = subprocess.run(command, capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0, finished.stderr
    assert fake.file_requests("model.safetensors")[-1].range == f"bytes={kept}-"
    assert hub.model_on_disk(HUB_ID) is not None


def test_suggest_downloads_its_model_first_then_uses_it(fake, tmp_path, capsys):
    """`loupe suggest` and `loupe train` share the step: a model not here is downloaded, visibly,
    then loaded from the cache by its hub id (transformers finds the snapshot huggingface_hub's way)."""
    from tests.tiny_models import make_colour_project, save_tiny_vit

    fake.add("tiny/vit", folder_files(save_tiny_vit(tmp_path / "vit")))
    project = make_colour_project(tmp_path / "p", per_class=3)
    assert main(["suggest", str(project), "--model", "tiny/vit", "-n", "2"]) == 0
    out, err = capsys.readouterr()
    assert re.search(r"tiny/vit: (\d+ kB) of \1 \(100%\)", err), "the download's progress, before the features"
    assert "features from tiny/vit" in out and hub.model_on_disk("tiny/vit") is not None


def test_train_offline_with_a_preset_not_here_says_how_to_get_it(fake, monkeypatch, tmp_path, capsys):
    from tests.tiny_models import make_colour_project

    project = make_colour_project(tmp_path / "p", per_class=2)
    go_offline(monkeypatch)
    assert main(["train", str(project), "--model", "vit-b16", "--method", "linear"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'vit-b16' is not on this machine" in err
    assert "`loupe models download vit-b16` once online" in err
