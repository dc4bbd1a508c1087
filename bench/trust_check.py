"""Can Loupe's numbers be trusted? Loupe's validation accuracy next to a bare PyTorch loop's, on the
same model, images, split and learning rate — the check that found validation running in
training mode (issue 8).

    python bench/trust_check.py [--epochs 6] [--lr 2e-3] [--batch-size 16]

Data: scikit-learn's digits (all ten, 1,797 images) at 32 px in a Loupe project. Model: a small
ResNet with BatchNorm, random weights (from scratch), the same seeded weights for both sides.
- Loupe: `loupe train PROJECT --model FOLDER --method full --lr LR --epochs N --device cpu
  --no-augment --json` (augmentation off: the bare loop has none), as a user runs it.
- Bare: AdamW at the same learning rate over Loupe's own training split, evaluated on Loupe's
  validation split after every epoch in eval mode — and, to show what the old defect did, also
  in training mode (BatchNorm on each batch's statistics).
Prints each side's best validation accuracy and the accuracy Loupe reports.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402
from PIL import Image  # noqa: E402
from torch import nn  # noqa: E402

SIZE = 32


def make_project(folder: Path) -> Path:
    from sklearn.datasets import load_digits

    from app.core.importing.importer import ImportOptions, import_paths
    from app.core.labelling.classes import add_class
    from app.core.project.store import Project

    digits = load_digits()
    for index, (pixels, label) in enumerate(zip(digits.images, digits.target)):
        grey = Image.fromarray((pixels * (255 / 16)).astype(np.uint8)).resize((SIZE, SIZE), Image.Resampling.BILINEAR)
        path = folder / "images" / f"digit{label}" / f"{index:04}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        grey.convert("RGB").save(path)
    project = folder / "digits.loupe"
    with Project.create(project) as opened:
        for digit in range(10):
            add_class(opened, f"digit{digit}")
        import_paths(opened, [folder / "images"], ImportOptions(labels_from_folders=True))
    return project


def make_model(folder: Path) -> Path:
    from transformers import ResNetConfig, ResNetForImageClassification, ViTImageProcessor

    torch.manual_seed(0)
    config = ResNetConfig(num_channels=3, embedding_size=16, hidden_sizes=[16, 32, 64], depths=[1, 1, 1], num_labels=10)
    ResNetForImageClassification(config).save_pretrained(folder)
    ViTImageProcessor(size={"height": SIZE, "width": SIZE}, image_mean=[0.5] * 3, image_std=[0.5] * 3).save_pretrained(
        folder
    )
    return folder


def split_tensors(project_path: Path, run_id: int):
    """Loupe's training and validation images of run `run_id` as tensors, normalised the same way."""
    from app.core.project.store import Project

    with Project.open(project_path, read_only=True) as project:
        rows = project.conn.execute(
            "SELECT i.path, r.split, c.name FROM run_labels r JOIN images i ON i.id = r.image_id"
            " JOIN classes c ON c.id = r.class_id WHERE r.run_id = ? ORDER BY i.id",
            (run_id,),
        ).fetchall()
        root = project.paths.root
    out = {}
    for split in ("train", "val"):
        chosen = [(path, name) for path, s, name in rows if s == split]
        pixels = np.stack([np.asarray(Image.open(root / path).convert("RGB")) for path, _ in chosen])
        x = (torch.from_numpy(pixels).permute(0, 3, 1, 2).float() / 255 - 0.5) / 0.5
        y = torch.tensor([int(name.removeprefix("digit")) for _, name in chosen])
        out[split] = (x, y)
    return out


def bare_loop(model_folder: Path, data, epochs: int, lr: float, batch_size: int) -> tuple[list[float], list[float]]:
    """Validation accuracy per epoch, in eval mode and (the old defect) in training mode."""
    from transformers import AutoModelForImageClassification

    model = AutoModelForImageClassification.from_pretrained(model_folder)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    (x, y), (vx, vy) = data["train"], data["val"]
    generator = torch.Generator().manual_seed(0)
    in_eval, in_train = [], []

    def accuracy() -> float:
        with torch.no_grad():
            predicted = torch.cat([model(pixel_values=b).logits.argmax(1) for b in vx.split(batch_size)])
        return (predicted == vy).float().mean().item()

    for _ in range(epochs):
        model.train()
        for batch in torch.randperm(len(y), generator=generator).split(batch_size):
            loss = nn.functional.cross_entropy(model(pixel_values=x[batch]).logits, y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        state = {k: v.clone() for k, v in model.state_dict().items()}
        model.train()
        in_train.append(accuracy())  # BatchNorm on each batch's statistics (and learning them)
        model.load_state_dict(state)
        model.eval()
        in_eval.append(accuracy())
    return in_eval, in_train


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder)
        model = make_model(folder / "resnet")
        command = [
            sys.executable,
            "-m",
            "app",
            "train",
            str(project),
            "--model",
            str(model),
            "--method",
            "full",
            "--lr",
            str(args.lr),
            "--epochs",
            str(args.epochs),
            "--batch-size",
            str(args.batch_size),
            "--device",
            "cpu",
            "--no-augment",
            "--patience",
            "0",
            "--json",
        ]
        result = subprocess.run(
            command, capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}
        )
        if result.returncode != 0:
            print(result.stderr)
            return 1
        document = json.loads(result.stdout)
        from app.core.project.store import Project
        from app.core.training.runs import run_metrics

        with Project.open(project, read_only=True) as opened:
            curve = [value for _, _, value in run_metrics(opened, document["run"], "val_accuracy")]
        data = split_tensors(project, document["run"])
        in_eval, in_train = bare_loop(model, data, args.epochs, args.lr, args.batch_size)
    print(
        f"digits 0–9 at {SIZE} px: {len(data['train'][1])} training, {len(data['val'][1])} validation images; "
        f"small ResNet from scratch; full, lr {args.lr:g}, {args.epochs} epochs, batch {args.batch_size}, CPU"
    )
    print(f"Loupe  validation accuracy per epoch: {' '.join(f'{a:.3f}' for a in curve)}")
    print(f"bare   validation accuracy per epoch: {' '.join(f'{a:.3f}' for a in in_eval)}   (eval mode)")
    print(f"bare   in training mode, the old defect: {' '.join(f'{a:.3f}' for a in in_train)}")
    print(
        f"Loupe reports {document['accuracy']:.3f} (its best epoch by validation loss); "
        f"bare loop best {max(in_eval):.3f}, last {in_eval[-1]:.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
