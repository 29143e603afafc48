"""One epoch of bench/scale.py's workloads with BLAS on 1 thread and on 2, on a quiet machine and a busy one.

    python bench/busy.py                 # workloads 1 and 2 of bench/scale.py, a tenth of their samples
    python bench/busy.py --workloads 2,3 --full   # the whole workloads (minutes)
    python bench/busy.py --batch 32      # nn.train's default batch size (bench/scale.py's is 128)

"Busy" is one other CPU-bound process (a Python loop, started here and stopped after), as a learner's
laptop runs a browser or an editor beside training. Every contender runs inside nn._blas_threads(N),
the context train enters, so that nn.train's own default does not decide the count; PyTorch runs with
torch.set_num_threads(N). The contenders take turns and each figure is the best of the repeats.
Printed: seconds, and the ratios 2 threads / 1 thread and busy / quiet.
"""

import argparse
import os
import subprocess
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402
import scale  # noqa: E402

def timed(label, sizes, data, threads):
    make, dtype = scale.maker(label)
    run = make(sizes, *data[dtype])
    if label.startswith("PyTorch"):
        import torch

        def inside():
            torch.set_num_threads(threads)
            run()
    else:
        def inside():  # nn.train limits BLAS to its own threads=, so it is given the count too
            if label.startswith("nn.train"):
                scale.NN_OPTIONS["threads"] = threads
            with nn._blas_threads(threads):
                run()
    return inside


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workloads", default="1,2")
    parser.add_argument("--full", action="store_true", help="the whole workloads, not a tenth")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--batch", type=int, default=scale.BATCH)
    args = parser.parse_args()
    scale.BATCH = args.batch  # the contenders read it when they run
    warnings.simplefilter("ignore", nn.ScaleWarning)
    labels = ["nn.train f64", "nn.train f32", "products f32"] + (["PyTorch f32"] if scale.have("torch") else [])
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"threadpoolctl {'found' if scale.have('threadpoolctl') else 'MISSING: no limit is applied'}")
    for number in map(int, args.workloads.split(",")):
        n, sizes = scale.WORKLOADS[number]
        n = n if args.full else n // scale.QUICK_FRACTION
        data = {dtype: scale.make_data(n, sizes[0], dtype) for dtype in (np.float64, np.float32)}
        best = {}
        for busy in (False, True):
            spinner = None
            if busy:
                spinner = subprocess.Popen([sys.executable, "-c", scale.SPIN])  # stops by itself within the hour
                time.sleep(0.5)
            try:
                runs = {(label, t): timed(label, sizes, data, t) for label in labels for t in (1, 2)}
                for repeat in range(args.repeats):
                    for key, run in runs.items():
                        start = time.perf_counter()
                        run()
                        took = time.perf_counter() - start
                        best[(busy,) + key] = min(best.get((busy,) + key, float("inf")), took)
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
        print(f"\nworkload {number}: {n:,} x {sizes}, batch {args.batch}, one epoch, best of {args.repeats} (seconds)")
        rows = []
        for label in labels:
            q1, q2, b1, b2 = (best[(busy, label, t)] for busy in (False, True) for t in (1, 2))
            rows.append([label, f"{q1:.3g}", f"{q2:.3g}", f"{b1:.3g}", f"{b2:.3g}", f"{q2 / q1:.2f}",
                         f"{b2 / b1:.2f}", f"{b1 / q1:.2f}", f"{b2 / q2:.2f}"])
        print(scale.table(["contender", "quiet 1", "quiet 2", "busy 1", "busy 2", "quiet 2/1", "busy 2/1",
                           "1: busy/quiet", "2: busy/quiet"], rows))
    print(f"\nload average now {os.getloadavg()[0]:.2f} (others sharing the cores count in it)")


if __name__ == "__main__":
    main()
