"""Overlapping prediction jobs leave torch's thread count as the process had it, and a training
thread started while one ran gets it back (in a fresh process: the count is process-wide)."""

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading, time
    import torch
    from app.core.inference.decode_queue import worker_pool
    from app.core.torch_threads import TORCH_THREADS

    torch.set_num_threads(2)
    seen = {}

    def job(name, hold):
        with worker_pool(name, 2) as pool:
            pool.submit(lambda: None).result()
            time.sleep(hold)

    first = threading.Thread(target=job, args=("a", 0.4))
    first.start()
    time.sleep(0.1)
    second = threading.Thread(target=job, args=("b", 0.8))  # opens while the first is open, closes after
    second.start()

    def trainer():
        seen["started during"] = torch.get_num_threads()
        TORCH_THREADS.use_default(torch)
        seen["after use_default"] = torch.get_num_threads()

    during = threading.Thread(target=trainer)
    during.start(); during.join()
    first.join(); second.join()
    later = threading.Thread(target=lambda: seen.setdefault("started after", torch.get_num_threads()))
    later.start(); later.join()
    print(seen["started during"], seen["after use_default"], seen["started after"], torch.get_num_threads())
    """
)


def test_overlapping_pools_put_the_thread_count_back_and_training_gets_it():
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True)
    started_during, after_default, started_after, main = map(int, done.stdout.split())
    assert (after_default, started_after, main) == (2, 2, 2)
    assert started_during == 1  # what the fix is for: a thread begun mid-job inherits the pool's 1
