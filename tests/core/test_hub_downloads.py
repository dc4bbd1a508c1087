"""Model downloads against a fake hub on 127.0.0.1 (tests/fake_hub.py), with huggingface_hub's real
HTTP code: progress, cancel and resume, a dropped connection, the hub's refusals in one sentence,
the token file, and what counts as a model on this machine. Nothing reaches the network."""

import os
import stat
import threading

import pytest

from app.core import hub
from app.core.errors import Cancelled, ConfigError, LoupeError
from app.core.training.presets import DOMAINS, PRESETS
from tests.fake_hub import git_blob_id, go_offline, serving, tiny_model_files

HUB_ID = "facebook/dinov2-small"  # the dinov2-small preset's, served by the fake hub
WANTED = ("config.json", "model.safetensors", "preprocessor_config.json")


@pytest.fixture
def files():
    return tiny_model_files()


@pytest.fixture
def fake(tmp_path, monkeypatch, files):
    with serving(monkeypatch, tmp_path) as running:
        running.add(HUB_ID, files)
        yield running


def total_bytes(files) -> int:
    return sum(len(files[name]) for name in WANTED)


def assert_same_files(model, files):
    assert sorted(path.name for path in model.path.iterdir()) == sorted(WANTED)
    for name in WANTED:
        assert (model.path / name).read_bytes() == files[name]


def one_sentence(text: str) -> bool:
    return text.endswith(".") and ". " not in text and "\n" not in text


# -- progress ------------------------------------------------------------------------------------


def test_progress_counts_up_to_the_total_with_a_speed(fake, files):
    fake.throttle_bps = 3_000_000
    events = []
    model = hub.download_model(HUB_ID, on_progress=events.append)
    done = [event.done_bytes for event in events]
    assert done == sorted(done) and done[-1] == total_bytes(files)
    assert {event.total_bytes for event in events} == {total_bytes(files)}
    assert len(events) >= 3 and any(event.speed_bps > 0 for event in events)
    assert any(event.eta_s for event in events[1:-1]) and events[-1].eta_s == 0
    assert len(events) <= 20, "at most 10 a second, plus a first and a last"
    assert {event.file for event in events} <= set(WANTED) | {""}
    assert model.hub_id == HUB_ID and model.revision == fake.repos[HUB_ID].commit
    assert model.path.name == model.revision and model.size_bytes == total_bytes(files)
    assert_same_files(model, files)
    assert hub.model_on_disk(HUB_ID) == model and hub.partial_bytes(HUB_ID) == 0


def test_only_config_and_safetensors_files_are_fetched_never_a_pickle(fake, files):
    model = hub.download_model(HUB_ID)
    fetched = {r.path for r in fake.requests if r.method == "GET" and "/resolve/" in r.path}
    assert not any(path.endswith((".bin", ".md", ".onnx")) or "/onnx/" in path for path in fetched)
    cached = {path.name for path in hub.cache_folder().rglob("*")}
    assert "pytorch_model.bin" not in cached and "model.onnx" not in cached
    assert_same_files(model, files)


def test_the_cache_is_laid_out_as_huggingface_hub_reads_it(fake, files):
    from huggingface_hub import try_to_load_from_cache

    model = hub.download_model(HUB_ID)
    found = try_to_load_from_cache(HUB_ID, "model.safetensors", cache_dir=str(hub.cache_folder()))
    assert found == str(model.path / "model.safetensors")
    folder = model.path.parents[1]
    assert (folder / "refs" / "main").read_text() == model.revision
    assert (folder / "blobs" / git_blob_id(files["config.json"])).read_bytes() == files["config.json"]
    assert not [path for path in folder.rglob("*") if path.name.startswith(".loupe")], "nothing of Loupe's in it"


# -- cancel and resume ---------------------------------------------------------------------------


def test_a_cancel_mid_file_keeps_a_partial_and_the_next_download_resumes_it(fake, files):
    fake.throttle_bps = 500_000
    events = []
    with pytest.raises(Cancelled, match="resumes"):
        hub.download_model(HUB_ID, events.append, lambda: bool(events) and events[-1].done_bytes > 200_000)
    assert hub.model_on_disk(HUB_ID) is None
    kept = hub.partial_bytes(HUB_ID)
    assert 0 < kept < len(files["model.safetensors"])
    assert not list(hub.cache_folder().rglob("snapshots/*/model.safetensors")), "no complete-looking file"

    fake.throttle_bps = None
    fake.requests.clear()
    events.clear()
    model = hub.download_model(HUB_ID, on_progress=events.append)
    assert [r.range for r in fake.file_requests("model.safetensors")] == [f"bytes={kept}-"]
    assert events[0].done_bytes >= kept, "what was already here counts as done"
    assert_same_files(model, files)
    assert hub.partial_bytes(HUB_ID) == 0


def test_a_dropped_connection_resumes_within_the_same_download(fake, files):
    fake.cut_after = 300_000
    model = hub.download_model(HUB_ID)
    assert [r.range for r in fake.file_requests("model.safetensors")] == [None, "bytes=300000-"]
    assert_same_files(model, files)


def test_a_cut_download_with_the_hub_gone_finishes_at_the_next_call(fake, files):
    fake.cut_after, fake.down_after_cut = 300_000, True
    with pytest.raises(hub.DownloadError) as failure:
        hub.download_model(HUB_ID)
    assert HUB_ID in str(failure.value) and "resumes" in str(failure.value) and one_sentence(str(failure.value))
    assert hub.partial_bytes(HUB_ID) == 300_000 and hub.model_on_disk(HUB_ID) is None

    fake.down = False
    model = hub.download_model(HUB_ID)
    assert fake.file_requests("model.safetensors")[-1].range == "bytes=300000-"
    assert_same_files(model, files)


def test_a_partial_that_is_not_the_files_start_is_caught_by_its_checksum(fake, files):
    fake.throttle_bps = 1_000_000
    events = []
    with pytest.raises(Cancelled):
        hub.download_model(HUB_ID, events.append, lambda: bool(events) and events[-1].done_bytes > 100_000)
    (partial,) = hub.cache_folder().rglob("*.incomplete")
    partial.write_bytes(b"\0" * partial.stat().st_size)  # damaged on disk
    fake.throttle_bps = None
    with pytest.raises(hub.DownloadError, match="arrived damaged"):
        hub.download_model(HUB_ID)
    assert hub.partial_bytes(HUB_ID) == 0 and hub.model_on_disk(HUB_ID) is None
    assert_same_files(hub.download_model(HUB_ID), files)


def test_two_downloads_of_one_model_at_once_both_end_with_it_whole(fake, files):
    fake.throttle_bps = 4_000_000
    results, errors = [], []

    def download():
        try:
            results.append(hub.download_model(HUB_ID))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=download) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == [] and len(results) == 2 and results[0] == results[1]
    assert len(fake.file_requests("model.safetensors")) == 1, "the second waited, then found it whole"
    assert_same_files(results[0], files)


# -- on disk, deleted ----------------------------------------------------------------------------


def test_delete_frees_the_models_bytes(fake, files):
    model = hub.download_model(HUB_ID)
    before = hub.cache_bytes()
    assert before >= total_bytes(files)
    freed = hub.delete_model(HUB_ID)
    assert freed >= total_bytes(files) and not model.path.exists()
    assert hub.model_on_disk(HUB_ID) is None and hub.cache_bytes() == before - freed
    assert hub.delete_model(HUB_ID) == 0


def test_a_snapshot_without_its_weights_whole_is_not_on_disk(fake, files):
    folder = hub.cache_folder() / "models--someone--cut"
    snapshot = folder / "snapshots" / ("a" * 40)
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}")
    (folder / "blobs").mkdir()
    (folder / "blobs" / "b1.incomplete").write_bytes(b"x" * 1234)
    assert hub.model_on_disk("someone/cut") is None and hub.partial_bytes("someone/cut") == 1234

    index = {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
    (snapshot / "model.safetensors.index.json").write_text(__import__("json").dumps(index))
    (snapshot / "model-00001-of-00002.safetensors").write_bytes(b"w")
    assert hub.model_on_disk("someone/cut") is None, "one shard of two"
    (snapshot / "model-00002-of-00002.safetensors").write_bytes(b"w")
    assert hub.model_on_disk("someone/cut").path == snapshot
    assert hub.delete_model("someone/cut") >= 1234 + 2


def test_disk_free_bytes_of_a_cache_not_made_yet(fake):
    assert not hub.cache_folder().exists() and hub.disk_free_bytes() > 0 and hub.cache_bytes() == 0


# -- the hub's refusals, in one sentence ---------------------------------------------------------


def test_a_gated_model_without_a_token_says_where_to_accept_its_terms(fake, files):
    fake.add("MahmoodLab/UNI", files, gated=True)
    with pytest.raises(hub.DownloadError) as failure:
        hub.download_model("MahmoodLab/UNI")
    message = str(failure.value)
    assert one_sentence(message), message
    assert "'MahmoodLab/UNI' is gated" in message and "https://huggingface.co/MahmoodLab/UNI" in message
    assert "loupe models token" in message
    assert hub.model_on_disk("MahmoodLab/UNI") is None


def test_a_gated_model_with_a_token_not_granted_is_403_and_a_granted_one_downloads(fake, files):
    repo = fake.add("MahmoodLab/UNI", files, gated=True)
    hub.save_token("hf_reader")
    with pytest.raises(hub.DownloadError) as failure:
        hub.download_model("MahmoodLab/UNI")
    assert one_sentence(str(failure.value)) and "not been granted" in str(failure.value)

    repo.granted.add("hf_reader")
    fake.requests.clear()
    assert_same_files(hub.download_model("MahmoodLab/UNI"), files)
    assert all(r.authorization == "Bearer hf_reader" for r in fake.requests if r.server == "hub" and "UNI" in r.path)
    assert all(r.authorization is None for r in fake.requests if r.server == "cdn"), "the token stays with the hub"


def test_a_missing_or_refused_token_on_a_private_model(fake):
    fake.token = "hf_right"
    with pytest.raises(hub.DownloadError) as missing:
        hub.download_model(HUB_ID)
    assert one_sentence(str(missing.value)) and "access token" in str(missing.value) and HUB_ID in str(missing.value)
    hub.save_token("hf_wrong")
    with pytest.raises(hub.DownloadError) as refused:
        hub.download_model(HUB_ID)
    assert one_sentence(str(refused.value)) and "refused the access token" in str(refused.value)
    hub.save_token("hf_right")
    assert hub.download_model(HUB_ID).hub_id == HUB_ID


def test_a_model_that_is_not_on_the_hub(fake):
    with pytest.raises(hub.DownloadError) as failure:
        hub.download_model("nobody/nothing")
    assert one_sentence(str(failure.value)) and "'nobody/nothing' is not on the Hugging Face hub" in str(failure.value)


def test_a_model_without_safetensors_is_refused_before_any_byte(fake, files):
    fake.add("old/pickled", {"config.json": files["config.json"], "pytorch_model.bin": b"pickle"})
    with pytest.raises(hub.DownloadError, match="no weights in safetensors"):
        hub.download_model("old/pickled")
    assert not [r for r in fake.requests if "/resolve/" in r.path]


def test_offline_nothing_is_asked_of_the_hub(fake, monkeypatch):
    go_offline(monkeypatch)
    assert hub.offline_reason() == "Offline: HF_HUB_OFFLINE is set, so only models already on this machine can be used."
    with pytest.raises(hub.DownloadError) as failure:
        hub.download_model(HUB_ID)
    assert one_sentence(str(failure.value)) and "HF_HUB_OFFLINE" in str(failure.value)
    assert hub.network_reason() == hub.offline_reason()
    assert fake.requests == []


def test_offline_reason_names_the_variable_that_is_set(fake, monkeypatch):
    assert hub.offline_reason() is None
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    assert "TRANSFORMERS_OFFLINE is set" in hub.offline_reason()


def test_network_reason_when_the_hub_answers_and_when_it_does_not(fake):
    assert hub.network_reason() is None
    fake.stop()
    reason = hub.network_reason(timeout=1.0)
    assert reason.startswith("Cannot reach the Hugging Face hub at http://127.0.0.1:")


def test_explain_falls_back_to_the_error_class():
    assert hub.explain(RuntimeError("odd"), "a/b") == "Downloading 'a/b' failed (RuntimeError: odd)."
    assert hub.explain(LoupeError("said already"), "a/b") == "said already"


# -- the access token ----------------------------------------------------------------------------


def test_the_token_is_kept_where_huggingface_hub_reads_it_and_not_in_the_project(fake, project, tmp_path):
    from huggingface_hub import constants, get_token

    assert not hub.has_token()
    path = hub.save_token("  hf_abc123\n")
    assert path == hub.token_path() == tmp_path / "hf-home" / "token" and str(path) == constants.HF_TOKEN_PATH
    assert path.read_text() == "hf_abc123" and get_token() == "hf_abc123" and hub.has_token()
    if os.name == "posix":
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    project_files = [p for p in project.paths.root.rglob("*") if p.is_file() and "hf-home" not in p.parts]
    assert project_files and not [p for p in project_files if b"hf_abc123" in p.read_bytes()]
    assert hub.forget_token() and not path.exists() and not hub.has_token()
    assert not hub.forget_token()


@pytest.mark.parametrize("token", ["", "   ", "hf_a b", "hf_a\tb"])
def test_a_token_that_cannot_be_one_is_refused(fake, token):
    with pytest.raises(ConfigError):
        hub.save_token(token)
    assert not hub.token_path().exists()


# -- the presets ---------------------------------------------------------------------------------


def test_model_rows_list_every_preset_by_field(fake, files):
    rows = hub.model_rows()
    assert sorted(row.preset.name for row in rows) == sorted(PRESETS)
    order = [DOMAINS.index(row.preset.domain) for row in rows]
    assert order == sorted(order)
    assert all(row.on_disk is None and row.partial_bytes == 0 for row in rows)
    gated = [row for row in rows if row.preset.gated]
    assert all("is gated" in row.unavailable for row in gated)
    assert all(row.unavailable is None for row in rows if not row.preset.gated and not row.preset.unavailable)
    assert all(row.unavailable == row.preset.unavailable for row in rows if row.preset.unavailable)
    hub.download_model(HUB_ID)
    (small,) = [row for row in hub.model_rows() if row.preset.hub_id == HUB_ID]
    assert small.on_disk is not None and small.unavailable is None


def test_ensure_downloaded_fetches_a_preset_once_and_never_a_folder(fake, files, tmp_path):
    assert hub.needs_download("dinov2-small") and hub.needs_download("DINOv2-small")
    model = hub.ensure_downloaded("dinov2-small")
    assert_same_files(model, files)
    fake.requests.clear()
    assert not hub.needs_download("dinov2-small") and hub.ensure_downloaded(HUB_ID) == model
    assert fake.requests == [], "a model on this machine asks nothing of the hub"
    assert not hub.needs_download(str(tmp_path)) and hub.ensure_downloaded(str(tmp_path)) is None
    assert not hub.needs_download("no-such-preset")
    with pytest.raises(ConfigError, match="unknown model"):
        hub.ensure_downloaded("no-such-preset")


def test_ensure_downloaded_offline_says_how_to_get_the_model(fake, monkeypatch):
    go_offline(monkeypatch)
    with pytest.raises(LoupeError) as failure:
        hub.ensure_downloaded("vit-b16")
    message = str(failure.value)
    assert "'vit-b16' is not on this machine" in message and "`loupe models download vit-b16` once online" in message
    assert (hub.model_rows()[0].unavailable or "").startswith("Offline:")


def test_a_sentencepiece_tokenizer_is_fetched_with_the_weights(fake, files):
    """SigLIP's tokenizer is a SentencePiece model (spiece.model, a protobuf, not a pickle):
    without it the zero-shot preset would download and then fail to load."""
    fake.add("google/tiny-siglip", {**files, "spiece.model": b"\x0a\x05piece", "pytorch_model.bin": b"pickle"})
    model = hub.download_model("google/tiny-siglip")
    assert (model.path / "spiece.model").read_bytes() == b"\x0a\x05piece"
    assert not (model.path / "pytorch_model.bin").exists()
