"""Zero-shot as active learning's cold start: before any model exists, the order in which to show
unlabelled images is the most confident zero-shot image of each class in turn (round-robin across
classes), so the first screenfuls cover every class and each first label is likely a quick
confirmation. Acquisition strategies live below this package (`active.acquisition`) and cannot
import it; this order is offered beside them, for the window's zero-shot panel and scripts."""

from __future__ import annotations

from itertools import zip_longest

from app.core.zeroshot.scoring import ZeroShotPrediction


def cold_start_order(predictions: list[ZeroShotPrediction], limit: int | None = None) -> list[int]:
    """Image ids: each class's most confident image, then each class's second, and so on; classes
    in the order of their best confidence."""
    by_class: dict[int, list[ZeroShotPrediction]] = {}
    for prediction in sorted(predictions, key=lambda p: (-p.confidence, p.image_id)):
        by_class.setdefault(prediction.class_id, []).append(prediction)
    order = [p.image_id for row in zip_longest(*by_class.values()) for p in row if p is not None]
    return order[:limit] if limit is not None else order


def cold_start_queue(predictions: list[ZeroShotPrediction]) -> tuple[tuple[int, str], ...]:
    """`cold_start_order` with why each image is there, as active learning's learner takes it
    (`ActiveLearner.refresh(cold_start=...)`): "zero-shot: healthy 48%"."""
    by_id = {p.image_id: p for p in predictions}
    return tuple(
        (image_id, f"zero-shot: {by_id[image_id].class_name} {by_id[image_id].confidence:.0%}")
        for image_id in cold_start_order(predictions)
    )
