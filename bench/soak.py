"""Kill -9 soak: Loupe killed at random moments while it labels and while it trains.

    python bench/soak.py [--kills 1000] [--training-kills 30] [--seed 0]

Labelling: a child process labels images through the core API (one committed action each) and
prints each image id once its label is committed; it is killed with SIGKILL after a random delay
(up to 0.4 s after it is ready), `--kills` times. After every kill: each printed label must be
in the project, and SQLite's integrity check must pass.
Training: `loupe train` (a tiny ViT, 30 epochs) is killed at a random moment after its run is
recorded, `--training-kills` times; after each, the project must open with no run left
'running' and no model folder that no run names (half-written ones included); then one more run
must train. Prints the figures (the harness is tests/abuse.py; the test suite runs it briefly).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests import abuse  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=1000)
    parser.add_argument("--training-kills", type=int, default=30)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        path = abuse.make_labelling_project(folder, images=max(20_000, args.kills * 30))
        report = abuse.kill_while_labelling(path, args.kills, rng)
        print(
            f"labelling: {report.kills} kills in {time.perf_counter() - started:.0f} s; {report.printed} labels "
            f"reported committed, {len(report.lost)} lost; integrity check failed {report.integrity_failures} times"
        )

        from tests.tiny_models import make_colour_project, save_tiny_vit

        (folder / "train").mkdir()
        project = make_colour_project(folder / "train", per_class=8)
        model = save_tiny_vit(folder / "vit")
        started = time.perf_counter()
        moments = [rng.uniform(0.0, 2.5) for _ in range(args.training_kills)]
        trained = abuse.kill_while_training(project, model, moments)
        print(
            f"training: {trained.kills} kills of {len(moments)} runs in {time.perf_counter() - started:.0f} s; "
            f"{trained.interrupted_marked} marked interrupted, {trained.done_with_model} had finished with their "
            f"model; model folders no run names: {len(trained.leftovers)}; the next run trained: "
            f"{trained.next_run_trained}"
        )
    failed = report.lost or report.integrity_failures or trained.leftovers or not trained.next_run_trained
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
