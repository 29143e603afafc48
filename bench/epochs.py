"""Do float32 epochs keep the cost of the first? Issue 25's workload, with and without _flush, in one run.

    python bench/epochs.py               # 10 epochs each way (about a minute on 2 cores)
    python bench/epochs.py --epochs 5 --rows 6000
    python bench/epochs.py --float64     # a third run: float64 with _flush, against the guide's "half the time"

The digits of scikit-learn (8 x 8) upscaled to 28 x 28 by linear interpolation, 12,000 rows drawn
from the 1,797 with replacement; a [784, 256, 128, 10] ReLU network with a softmax output, float32,
l2 = 0, batch 32, BLAS on one thread. A confident network's softmax outputs fall below 1e-38, where
float32 numbers are subnormal; carried down by backward (dZ, dA, the gradients), they make products
many times slower. nn.py's softmax and sigmoid set outputs below eps^2 to 0 (Part 1's _flush); the
"without" run swaps _flush for a function that returns its input, as the textbook formula would.
Printed per run: the last epoch's training loss (close both ways, not equal: a change in the last bits
of one step grows over thousands of steps, as any change of summation order does), each epoch's
seconds, epoch last / epoch 1, and the share of subnormal numbers in each array of one forward and
backward pass on 512 training rows after training.
"""

import argparse
import os
import sys
import time
import warnings

import numpy as np
from scipy.ndimage import zoom
from sklearn.datasets import load_digits

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402


def digits_28(rows, seed=0):
    digits = load_digits()
    images = np.stack([zoom(image, 3.5, order=1) for image in digits.images])  # (1797, 28, 28)
    pick = np.random.default_rng(seed).integers(0, len(images), rows)
    return images[pick].reshape(rows, -1).astype(np.float32), digits.target[pick]


def one_run(X, y, epochs, flush, dtype=np.float32):
    params = nn.init_params([784, 256, 128, 10], "relu", "softmax", seed=0, dtype=dtype)
    stamps = []
    real = nn._flush
    if not flush:
        nn._flush = lambda P: P  # the textbook softmax: subnormal outputs kept
    try:
        with nn._blas_threads(1), warnings.catch_warnings():
            warnings.simplefilter("ignore", nn.ScaleWarning)
            start = time.perf_counter()
            net, history = nn.train(params, X, y, epochs=epochs, l2=0.0, batch_size=32, seed=0, log_every=None,
                              callback=lambda epoch, history, copy: stamps.append(time.perf_counter()))
            _, cache = nn.forward(net, X[:512])
            grads = nn.backward(net, cache, y[:512])
    finally:
        nn._flush = real
    tiny = np.finfo(dtype).tiny
    subnormal = {key: float(np.mean((A != 0) & (np.abs(A) < tiny))) for key, A in {**cache, **grads}.items()}
    return np.diff([start] + stamps), subnormal, history["loss"][-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--rows", type=int, default=12_000)
    parser.add_argument("--float64", action="store_true", help="also train in float64, with _flush")
    args = parser.parse_args()
    X, y = digits_28(args.rows)
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"{args.rows:,} rows x 784, [784, 256, 128, 10] relu/softmax float32, batch 32, l2 0, BLAS 1 thread")
    runs = [(False, np.float32, "without _flush (textbook softmax)"), (True, np.float32, "with _flush (nn.py)")]
    runs += [(True, np.float64, "float64, with _flush")] if args.float64 else []
    for flush, dtype, name in runs:
        seconds, subnormal, last_loss = one_run(X.astype(dtype), y, args.epochs, flush, dtype)
        print(f"\n{name}: last epoch's loss {last_loss:.6g}\n  epochs (s): " + " ".join(f"{s:.2f}" for s in seconds)
              + f"\n  total {seconds.sum():.1f} s; epoch {args.epochs} / epoch 1: {seconds[-1] / seconds[0]:.2f}"
              + f"   slowest / epoch 1: {seconds.max() / seconds[0]:.2f}"
              + "\n  subnormal share after training: "
              + ", ".join(f"{key} {share:.3f}" for key, share in subnormal.items()))
    print(f"\nload average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
