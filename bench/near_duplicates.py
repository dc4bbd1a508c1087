"""Near-duplicate groups on planted copies, with a real ImageNet backbone, beside plain baselines.

    nice python bench/near_duplicates.py [--model FOLDER] [--digits N] [--originals N] [--features NPZ]

The model folder is what `python bench/build_efficientnet_lite0.py` writes (default
~/.cache/loupe-bench/efficientnet-lite0); nothing is downloaded here.

Distinct images: `--digits` of scikit-learn's handwritten digits (8×8, brought to 64 px; distinct
digits can look alike: two plain "1"s differ by a few grey levels, and the bench counts every
such pair it groups as a false positive) and the 48 non-overlapping 100-px tiles of its two
sample photos (`load_sample_images`). `--originals` of them (seeded, photo tiles and digits
alike) get four planted copies each, written as files as a user would have them:
- resized: half size (then decoded and brought to the model's input size like every image),
- JPEG: recompressed at quality 40,
- cropped: 5 % of the width and height cut off (at a random offset),
- re-windowed: contrast stretched and gamma 0.7 (a different window/level of the same data).

Features: Loupe's — the model loaded as Loupe loads it, its decoder and evaluation transform,
the head's input (`real_backbone.loupe_features`). Grouping: `find_groups` with Loupe's defaults,
then a grid of its two thresholds. Baselines: exact content hash (sha256; what import's
duplicate check catches) and a 64-bit difference hash of an 8×9 greyscale thumbnail (dHash,
Hamming distance ≤ 4 and ≤ 10).

Scores, over pairs of images: recall = planted pairs (an original and its copy, or two copies of
one original) put in one group / all planted pairs; precision = planted pairs among all pairs put
in one group. Also: groups that mix two originals, and how many distinct images were grouped.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402
from real_backbone import DEFAULT_MODEL, check_model, loupe_features  # noqa: E402

COPIES = ("resized", "jpeg", "cropped", "rewindowed")


def distinct_images(digits: int, mosaics: int, seed: int) -> tuple[list[Image.Image], list[str]]:
    """(images, the set each comes from): single digits, 3×3 mosaics of random digits, and the
    non-overlapping 64-px tiles of the two sample photos."""
    from build_efficientnet_lite0 import sample_photos
    from sklearn.datasets import load_digits

    rng = np.random.default_rng(seed)
    data = load_digits()
    grey = (data.images * (255 / 16)).astype(np.uint8)
    images, sets = [], []
    for i in rng.permutation(len(grey))[:digits]:
        images.append(Image.fromarray(grey[i]).resize((64, 64), Image.Resampling.BILINEAR))
        sets.append("digit")
    for _ in range(mosaics):
        chosen = rng.integers(0, len(grey), 9)
        mosaic = np.block([[grey[chosen[3 * r + c]] for c in range(3)] for r in range(3)])
        images.append(Image.fromarray(mosaic).resize((96, 96), Image.Resampling.BILINEAR))
        sets.append("mosaic")
    for _, photo in sample_photos():
        width, height = photo.size
        for top in range(0, height - 63, 64):
            for left in range(0, width - 63, 64):
                images.append(photo.crop((left, top, left + 64, top + 64)))
                sets.append("photo tile")
    return images, sets


def planted_copy(image: Image.Image, kind: str, rng: np.random.Generator) -> Image.Image:
    width, height = image.size
    if kind == "resized":
        return image.resize((max(width // 2, 1), max(height // 2, 1)), Image.Resampling.BICUBIC)
    if kind == "jpeg":
        buffer = io.BytesIO()
        image.convert("RGB").save(buffer, "JPEG", quality=40)
        return Image.open(io.BytesIO(buffer.getvalue())).copy()
    if kind == "cropped":
        cut_w, cut_h = max(1, round(width * 0.05)), max(1, round(height * 0.05))
        left, top = int(rng.integers(0, cut_w + 1)), int(rng.integers(0, cut_h + 1))
        return image.crop((left, top, left + width - cut_w, top + height - cut_h))
    if kind == "rewindowed":
        pixels = np.asarray(image, dtype=np.float32) / 255
        low, high = np.percentile(pixels, 5), np.percentile(pixels, 95)
        stretched = np.clip((pixels - low) / max(high - low, 1e-6), 0, 1) ** 0.7
        return Image.fromarray((stretched * 255).round().astype(np.uint8))
    raise ValueError(kind)


def write_set(
    root: Path, digits: int, mosaics: int, originals: int, seed: int
) -> tuple[list[Path], list[int], list[str]]:
    """Files of the distinct images and the planted copies; (paths, origin index of each file,
    the set of each file's original)."""
    rng = np.random.default_rng(seed)
    images, sets = distinct_images(digits, mosaics, seed)
    paths, origin = [], []
    for i, image in enumerate(images):
        path = root / f"distinct-{i:04}.png"
        image.save(path)
        paths.append(path)
        origin.append(i)
    for i in sorted(rng.permutation(len(images))[:originals].tolist()):
        for kind in COPIES:
            path = root / f"copy-{i:04}-{kind}.{'jpg' if kind == 'jpeg' else 'png'}"
            copy = planted_copy(images[i], kind, rng)
            if kind == "jpeg":
                copy.convert("RGB").save(path, "JPEG", quality=40)
            else:
                copy.save(path)
            paths.append(path)
            origin.append(i)
    return paths, origin, [sets[o] for o in origin]


def pairs_of(groups: list[list[int]]) -> set[tuple[int, int]]:
    return {pair for group in groups for pair in combinations(sorted(group), 2)}


def score(groups: list[list[int]], origin: list[int], sets: list[str], only: str | None = None) -> dict:
    """Pair recall and precision, over the images of one set (`only`) or of all. A pair counts for
    a set when both its images are of it (a pair across sets is wrong, and counts for both)."""
    inside = (lambda i: True) if only is None else (lambda i: sets[i] == only)
    members: dict[int, list[int]] = {}
    for i, o in enumerate(origin):
        members.setdefault(o, []).append(i)
    truth = {pair for group in members.values() for pair in combinations(group, 2) if inside(pair[0])}
    found = {pair for pair in pairs_of(groups) if inside(pair[0]) or inside(pair[1])}
    right = found & truth
    mixed = sum(1 for group in groups if len({origin[i] for i in group}) > 1 and any(inside(i) for i in group))
    return {
        "recall": len(right) / max(len(truth), 1),
        "precision": len(right) / len(found) if found else float("nan"),
        "pairs": len(found),
        "groups": sum(1 for group in groups if any(inside(i) for i in group)),
        "mixed": mixed,
    }


def recall_by_kind(groups: list[list[int]], paths: list[Path], origin: list[int]) -> dict[str, float]:
    """Per kind of copy: the share of copies grouped with their original."""
    group_of = {i: n for n, group in enumerate(groups) for i in group}
    out = {}
    for kind in COPIES:
        copies = [i for i, p in enumerate(paths) if p.stem.endswith(kind)]
        hits = sum(1 for i in copies if i in group_of and group_of[i] == group_of.get(origin[i]))
        out[kind] = hits / max(len(copies), 1)
    return out


def hash_groups(keys: list) -> list[list[int]]:
    by_key: dict = {}
    for i, key in enumerate(keys):
        by_key.setdefault(key, []).append(i)
    return [group for group in by_key.values() if len(group) > 1]


def dhash(path: Path) -> int:
    grey = ImageOps.grayscale(Image.open(path)).resize((9, 8), Image.Resampling.LANCZOS)
    pixels = np.asarray(grey, dtype=np.int16)
    bits = (pixels[:, 1:] > pixels[:, :-1]).flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


def dhash_groups(paths: list[Path], limit: int) -> list[list[int]]:
    hashes = [dhash(p) for p in paths]
    parent = list(range(len(paths)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in combinations(range(len(paths)), 2):
        if bin(hashes[a] ^ hashes[b]).count("1") <= limit:
            parent[root(a)] = root(b)
    members: dict = {}
    for i in range(len(paths)):
        members.setdefault(root(i), []).append(i)
    return [group for group in members.values() if len(group) > 1]


SETS = ("mosaic", "photo tile", "digit")


def line(name: str, groups: list[list[int]], origin: list[int], sets: list[str]) -> str:
    cells = []
    for only in (*SETS, None):
        r = score(groups, origin, sets, only)
        precision = " n/a " if r["precision"] != r["precision"] else f"{r['precision']:.3f}"
        cells.append(f"{r['recall']:.3f} {precision} {r['mixed']:4}")
    return f"{name:<40} " + "  ".join(cells)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--digits", type=int, default=200)
    parser.add_argument("--mosaics", type=int, default=400)
    parser.add_argument("--originals", type=int, default=120)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--features", type=Path, help="reuse (or write) the features here (.npz)")
    args = parser.parse_args()
    check_model(args.model)
    from app.core.imaging import DecodeOptions, decode
    from app.core.training import near_duplicates as nd
    from app.core.training import pixel_signatures as ps

    with tempfile.TemporaryDirectory() as tmp:
        paths, origin, sets = write_set(Path(tmp), args.digits, args.mosaics, args.originals, args.seed)
        started = time.monotonic()
        if args.features and args.features.is_file():
            x = np.load(args.features)["x"]
            how = f"read from {args.features}"
        else:
            x = loupe_features(args.model, paths)
            if args.features:
                np.savez(args.features, x=x)
            how = f"{time.monotonic() - started:.0f} s"
        started = time.monotonic()
        options = DecodeOptions(draft_size=4 * ps.FINE_GRID)
        pixels = np.stack([ps.pixel_signature(decode(p, options).rgb) for p in paths])
        pixel_s = time.monotonic() - started
        sha = [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]
        dhash_4, dhash_10 = dhash_groups(paths, 4), dhash_groups(paths, 10)
        distinct = len(set(origin))
        counts = {name: sum(1 for o in set(origin) if sets[origin.index(o)] == name) for name in SETS}
        print("Near-duplicate groups on planted copies: EfficientNet-Lite0 (ImageNet) features, Loupe's grouping")
        print(
            f"{distinct} distinct images ({', '.join(f'{n} {name}s' for name, n in counts.items())}); "
            f"{len(paths) - distinct} planted copies, {len(COPIES)} of each of {args.originals} originals "
            f"({', '.join(COPIES)})"
        )
        print(f"features {x.shape[1]}-d: {how}; pixel signatures {pixel_s:.1f} s for {len(paths)} images")
        _, distances = nd.nearest_neighbours(x, nd.NEIGHBOURS)
        print(
            f"median cosine distance (centred features) to the nearest image {np.median(distances[:, 0]):.3f}, "
            f"to the {nd.NEIGHBOURS}th {np.median(distances[:, -1]):.3f}"
        )
        print()
        print("Pair recall, pair precision and groups that mix distinct originals, per set of distinct images:")
        header = f"{'method':<40} " + "  ".join(f"{name[:16]:^16}" for name in (*SETS, "all"))
        print(header)
        print(f"{'':<40} " + "  ".join(f"{'R     P   mix':^16}" for _ in (*SETS, "all")))
        print("-" * len(header))
        ids = range(len(paths))
        started = time.monotonic()
        loupe = nd.find_groups(ids, x, pixels)
        group_s = time.monotonic() - started
        print(line(f"Loupe ({nd.PIXEL_MIN}/{nd.FINE_MIN}, gate {nd.GATE})", loupe.groups, origin, sets))
        ungated = nd.find_groups(ids, x, pixels, gate=1e9).groups
        print(line("Loupe without the embedding gate", ungated, origin, sets))
        coarse_only = nd.find_groups(ids, x, pixels, fine_min=-1).groups
        print(line("Loupe without the fine thumbnail", coarse_only, origin, sets))
        print(
            line(
                f"features alone ({nd.RELATIVE} x NN median, <{nd.ABSOLUTE})",
                nd.find_groups(ids, x).groups,
                origin,
                sets,
            )
        )
        for relative in (0.13, 0.5, 1.0):
            groups = nd.find_groups(ids, x, relative=relative, absolute=2.0).groups
            print(line(f"features alone, {relative} x NN median", groups, origin, sets))
        print(line("exact hash (sha256)", hash_groups(sha), origin, sets))
        print(line("dHash 64-bit, Hamming <= 4", dhash_4, origin, sets))
        print(line("dHash 64-bit, Hamming <= 10", dhash_10, origin, sets))
        print()
        kinds = recall_by_kind(loupe.groups, paths, origin)
        print(
            "Loupe: copies grouped with their original, by kind: " + ", ".join(f"{k} {v:.2f}" for k, v in kinds.items())
        )
        print(f"Loupe grouped {loupe.images} images in {len(loupe.groups)} groups in {group_s * 1000:.0f} ms")
        print()
        print(
            "Coarse thumbnail's threshold (Loupe's rule otherwise): recall / precision over mosaics and photo tiles | digits"
        )
        for pixel_min in (0.9, 0.93, 0.95, 0.97, 0.98):
            groups = nd.find_groups(ids, x, pixels, pixel_min=pixel_min).groups
            m = [score(groups, origin, sets, name) for name in ("mosaic", "photo tile", "digit")]
            kept = [g for g in groups if all(sets[i] != "digit" for i in g)]
            both = score(
                kept,
                [origin[i] for i in range(len(origin))],
                ["x" if sets[i] != "digit" else "digit" for i in ids],
                "x",
            )
            print(
                f"  {pixel_min}: {both['recall']:.3f} / {both['precision']:.3f} | {m[2]['recall']:.3f} / {m[2]['precision']:.3f}"
            )
        rng = np.random.default_rng(1)
        n = 50_000
        big_x = rng.normal(0, 1, (n, x.shape[1])).astype(np.float32)
        big_p = rng.uniform(0, 255, (n, pixels.shape[1])).astype(np.float32)
        started = time.monotonic()
        nd.find_groups(range(n), big_x, big_p)
        print(f"\nfind_groups on {n:,} images ({x.shape[1]}-d features): {time.monotonic() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
