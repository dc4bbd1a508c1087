"""Zero-shot scores are the model's own cosine-similarity softmax: checked against a hand
computation from the model's get_image_features / get_text_features (transformers) and
encode_image / encode_text (open_clip), with its logit scale; templates averaged; descriptions in
the prompt; cancel; the cache; agreement with the labels; cold start order; accepting."""

import json

import numpy as np
import pytest
import torch

from app.core.errors import Cancelled, ConfigError
from app.core.labelling.classes import list_classes
from app.core.labelling.labels import undo
from app.core.project.store import Project
from app.core.training.embeddings import EmbeddingCache
from app.core.zeroshot.accept import accept_zero_shot
from app.core.zeroshot.cold_start import cold_start_order
from app.core.zeroshot.models import FORMATS, format_of, load_zeroshot_model
from app.core.zeroshot.prompts import class_prompts, save_templates, templates_for
from app.core.zeroshot.scoring import probabilities, text_embeddings, zero_shot

TEMPLATES = ["a photo of {}.", "a picture of a {} thing."]


def pixels_of(project: Project, image_id: int, size: int, mean, std) -> torch.Tensor:
    """One image as the model sees it, by hand: whole image squeezed to the square, bicubic."""
    from PIL import Image

    path = project.resolve_path(project.conn.execute("SELECT path FROM images WHERE id = ?", (image_id,)).fetchone()[0])
    rgb = Image.open(path).convert("RGB").resize((size, size), Image.BICUBIC)
    array = torch.tensor(np.asarray(rgb), dtype=torch.float32).permute(2, 0, 1) / 255
    return ((array - torch.tensor(mean)[:, None, None]) / torch.tensor(std)[:, None, None])[None]


def hand_reference(folder, project, image_id, classes, templates):
    """Softmax over classes of exp(logit_scale) × cosine, straight from the model's own calls."""
    from transformers import AutoModel, AutoTokenizer

    torch.manual_seed(0)
    if format_of(folder).name == "transformers":
        model = AutoModel.from_pretrained(str(folder)).eval()
        tokenizer = AutoTokenizer.from_pretrained(str(folder))
        size, mean, std = 32, (0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)

        def image(x):
            return model.get_image_features(pixel_values=x).pooler_output

        def text(prompts):
            return model.get_text_features(**tokenizer(prompts, padding=True, return_tensors="pt")).pooler_output
    else:
        import open_clip

        model = open_clip.create_model(f"local-dir:{folder}", load_weights=False)
        open_clip.load_checkpoint(model, str(folder / "open_clip_model.safetensors"))
        model.eval()
        tokenizer = open_clip.get_tokenizer(f"local-dir:{folder}")
        size, mean, std = 32, (0.5, 0.4, 0.3), (0.2, 0.25, 0.3)

        def image(x):
            return model.encode_image(x)

        def text(prompts):
            return model.encode_text(tokenizer(prompts))

    with torch.no_grad():
        img = image(pixels_of(project, image_id, size, mean, std))
        img = img / img.norm(dim=-1, keepdim=True)
        rows = []
        for c in classes:
            t = text(class_prompts(c.name, c.description, templates))
            t = t / t.norm(dim=-1, keepdim=True)
            mean_t = t.mean(dim=0)
            rows.append(mean_t / mean_t.norm())
        logits = model.logit_scale.exp() * img @ torch.stack(rows).T
    return logits.softmax(dim=-1)[0].numpy()


def test_scores_equal_the_hand_computed_softmax(tiny_zeroshot, colour_project):
    model = load_zeroshot_model(str(tiny_zeroshot))
    with Project.open(colour_project) as project:
        result = zero_shot(project, model, TEMPLATES)
        classes = list_classes(project)
        assert len(result.predictions) == 6  # the unlabelled images
        assert result.agreement.labelled == 6
        for prediction in result.predictions[:3]:
            expected = hand_reference(tiny_zeroshot, project, prediction.image_id, classes, TEMPLATES)
            best = int(expected.argmax())
            assert prediction.class_id == classes[best].id
            assert prediction.confidence == pytest.approx(float(expected[best]), abs=2e-3)


def test_templates_are_averaged_normalised(tiny_clip):
    model = load_zeroshot_model(str(tiny_clip))
    texts = text_embeddings(model, [("red", ""), ("blue", "")], TEMPLATES)
    singles = [np.asarray(model.encode_texts([t.replace("{}", "red")]))[0] for t in TEMPLATES]
    mean = np.mean(singles, axis=0)
    assert np.allclose(texts[0], mean / np.linalg.norm(mean), atol=1e-5)
    assert np.allclose(np.linalg.norm(texts, axis=1), 1, atol=1e-5)
    one = text_embeddings(model, [("red", "")], TEMPLATES[:1])
    assert not np.allclose(one[0], texts[0], atol=1e-3)  # a second template changes the embedding


def test_a_description_changes_the_prompt_and_the_text_embedding(tiny_clip):
    assert class_prompts("tumour", "dense purple nuclei", ["a photo of {}."]) == [
        "a photo of tumour, dense purple nuclei."
    ]
    model = load_zeroshot_model(str(tiny_clip))
    bare = text_embeddings(model, [("tumour", "")], TEMPLATES)
    described = text_embeddings(model, [("tumour", "dense purple nuclei")], TEMPLATES)
    assert not np.allclose(bare, described, atol=1e-3)


def test_siglip_probabilities_are_sigmoids_shared_out():
    images = np.array([[1.0, 0.0], [0.6, 0.8]])
    texts = np.array([[1.0, 0.0], [0.0, 1.0]])
    probs = probabilities(images, texts, 10.0, -5.0, "sigmoid")
    own = 1 / (1 + np.exp(-(10 * images @ texts.T - 5)))
    assert np.allclose(probs, own / own.sum(axis=1, keepdims=True))
    soft = probabilities(images, texts, 10.0)
    assert np.allclose(soft, np.exp(10 * images @ texts.T) / np.exp(10 * images @ texts.T).sum(1, keepdims=True))


def test_image_embeddings_are_cached_and_reused(tiny_clip, colour_project):
    model = load_zeroshot_model(str(tiny_clip))
    with Project.open(colour_project) as project:
        first = zero_shot(project, model, TEMPLATES)
        cache = EmbeddingCache(project.paths.cache_dir)
        stored = cache.conn.execute(
            "SELECT COUNT(*) FROM embeddings WHERE backbone = ?", (f"zeroshot:{model.key}",)
        ).fetchone()[0]
        cache.close()
        assert stored == 12
        events = []
        again = zero_shot(project, model, TEMPLATES, on_progress=events.append)
        assert events[-1].total == 0  # nothing left to compute
        assert [(p.image_id, p.class_id) for p in again.predictions] == [
            (p.image_id, p.class_id) for p in first.predictions
        ]


def test_cancel_stops_and_keeps_what_was_computed(tiny_clip, colour_project):
    import app.core.zeroshot.scoring as scoring

    model = load_zeroshot_model(str(tiny_clip))
    asked = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > 2  # before the first batch: no; then stop

    old = scoring.BATCH
    scoring.BATCH = 4
    try:
        with Project.open(colour_project) as project:
            with pytest.raises(Cancelled):
                zero_shot(project, model, TEMPLATES, should_stop=stop)
            cache = EmbeddingCache(project.paths.cache_dir)
            kept = cache.conn.execute("SELECT COUNT(*) FROM embeddings").fetchone()[0]
            cache.close()
    finally:
        scoring.BATCH = old
    assert 0 < kept < 12


def test_agreement_counts_the_labelled_images(tiny_clip, colour_project):
    model = load_zeroshot_model(str(tiny_clip))
    with Project.open(colour_project) as project:
        result = zero_shot(project, model, TEMPLATES)
    agreement = result.agreement
    assert agreement.labelled == 6 and sum(c.labelled for c in agreement.per_class) == 6
    assert agreement.correct == sum(c.correct for c in agreement.per_class)
    assert agreement.accuracy == agreement.correct / 6
    assert "6 images you have labelled" in agreement.sentence()
    assert json.dumps(agreement.to_json())


def test_accepting_is_one_undoable_action_with_the_zero_shot_source(tiny_clip, colour_project):
    model = load_zeroshot_model(str(tiny_clip))
    with Project.open(colour_project) as project:
        result = zero_shot(project, model, TEMPLATES)
        chosen = {p.image_id: p.class_id for p in result.predictions[:4]}
        labelled_before = project.conn.execute("SELECT image_id FROM labels LIMIT 1").fetchone()[0]
        done = accept_zero_shot(project, {**chosen, labelled_before: result.class_ids[0]})
        assert set(done.image_ids) == set(chosen)  # the labelled image keeps its label
        rows = dict(
            project.conn.execute(
                f"SELECT image_id, source FROM labels WHERE image_id IN ({','.join('?' * len(chosen))})",
                list(chosen),
            )
        )
        assert rows == {image_id: "zero-shot" for image_id in chosen}
        undone = undo(project)
        assert set(undone.image_ids) == set(chosen)
        left = project.conn.execute(
            f"SELECT COUNT(*) FROM labels WHERE image_id IN ({','.join('?' * len(chosen))})", list(chosen)
        ).fetchone()[0]
        assert left == 0


def test_cold_start_takes_each_class_in_turn():
    from app.core.zeroshot.scoring import ZeroShotPrediction as P

    predictions = [P(1, 10, "a", 0.9), P(2, 10, "a", 0.8), P(3, 20, "b", 0.7), P(4, 20, "b", 0.95), P(5, 30, "c", 0.5)]
    assert cold_start_order(predictions) == [4, 1, 5, 3, 2]
    assert cold_start_order(predictions, limit=2) == [4, 1]


def test_templates_are_a_project_setting(project):
    assert templates_for(project) and all("{}" in t for t in templates_for(project))
    assert templates_for(project, "pathology")[0].startswith("a histopathology image")
    save_templates(project, ["an image of {}", "  "])
    assert templates_for(project) == ["an image of {}"]
    with pytest.raises(ValueError):
        save_templates(project, ["no placeholder"])


def test_pickle_only_weights_are_refused(tmp_path):
    from tests.zeroshot_models import save_tiny_open_clip

    folder = save_tiny_open_clip(tmp_path / "pickled", pickle_only=True)
    with pytest.raises(ConfigError, match="pickle"):
        load_zeroshot_model(str(folder))


def test_formats_are_a_registry_and_a_plain_backbone_is_refused(tiny_vit, tiny_clip, tiny_open_clip):
    assert set(FORMATS) == {"transformers", "open_clip"}
    assert format_of(tiny_clip).name == "transformers" and format_of(tiny_open_clip).name == "open_clip"
    with pytest.raises(ConfigError, match="CLIP or SigLIP"):
        load_zeroshot_model(str(tiny_vit))


def test_one_class_is_not_enough(tiny_clip, project):
    from app.core.labelling.classes import add_class

    add_class(project, "only")
    with pytest.raises(ConfigError, match="two classes"):
        zero_shot(project, load_zeroshot_model(str(tiny_clip)), TEMPLATES)


@pytest.mark.parametrize("sentencepiece", [False, True], ids=["clip-tokenizer", "sentencepiece"])
def test_siglip_scores_are_its_own_sigmoids_shared_out(tmp_path, colour_project, sentencepiece):
    """SigLIP through transformers: its logit scale and bias, a sigmoid per class, divided by the
    sum; checked against the model's own get_image_features / get_text_features. With its own
    kind of tokenizer too (a SentencePiece spiece.model, as the hub's SigLIP repositories have)."""
    from transformers import AutoModel, AutoTokenizer

    from tests.zeroshot_models import save_tiny_siglip

    folder = save_tiny_siglip(tmp_path / "siglip", sentencepiece=sentencepiece)
    model = load_zeroshot_model(str(folder))
    assert model.kind == "sigmoid" and model.logit_bias == pytest.approx(-2.0)
    assert model.logit_scale == pytest.approx(np.exp(1.5), rel=1e-5)
    reference = AutoModel.from_pretrained(str(folder)).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(folder))
    with Project.open(colour_project) as project:
        result = zero_shot(project, model, TEMPLATES)
        classes = list_classes(project)
        prediction = result.predictions[0]
        with torch.no_grad():
            img = reference.get_image_features(
                pixel_values=pixels_of(project, prediction.image_id, 32, model.mean, model.std)
            ).pooler_output
            img = img / img.norm(dim=-1, keepdim=True)
            rows = []
            for c in classes:
                tokens = tokenizer(
                    class_prompts(c.name, c.description, TEMPLATES),
                    padding="max_length",
                    max_length=16,
                    truncation=True,
                    return_tensors="pt",
                )
                t = reference.get_text_features(input_ids=tokens["input_ids"]).pooler_output
                t = t / t.norm(dim=-1, keepdim=True)
                rows.append(t.mean(0) / t.mean(0).norm())
            own = torch.sigmoid(reference.logit_scale.exp() * img @ torch.stack(rows).T + reference.logit_bias)[0]
        expected = (own / own.sum()).numpy()
    best = int(expected.argmax())
    assert prediction.class_id == classes[best].id
    assert prediction.confidence == pytest.approx(float(expected[best]), abs=2e-3)
