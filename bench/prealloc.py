"""What preallocating forward's and backward's outputs, and fewer passes in Adam, would save per step.

    python bench/prealloc.py     # float32, batch 128, BLAS on one thread; about a minute

For bench/scale.py's two larger networks, per training step in milliseconds, best of 7, in turns:
  Part 1 forward + loss + backward   what train runs now: every output a new array
  the same math, preallocated        the products written with np.matmul(out=), bias, ReLU, softmax,
                                     dZ and the mask applied in place: the most preallocating can give
  products alone                     the matrix products into preallocated arrays: the floor
  Adam, Part 1 on 256 KB slices      _adam_step as train calls it for a large network
  Adam, out= into two buffers        the same update with every temporary written into two buffers
It measures only: train and Part 1 are unchanged (issue 25 asks whether the gain is worth the reading).
"""

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

BATCH, SLICE = 128, 2**18  # train's slices are _SLICE_BYTES = 2**18 bytes


def contenders(sizes, dtype):
    rng = np.random.default_rng(0)
    p = nn.init_params(sizes, "relu", "softmax", seed=0, dtype=dtype)
    X = rng.standard_normal((BATCH, sizes[0])).astype(dtype)
    Y = np.eye(sizes[-1], dtype=dtype)[rng.integers(0, sizes[-1], BATCH)]
    D = len(sizes) - 1
    Z = [None] + [np.empty((BATCH, s), dtype) for s in sizes[1:]]
    dA = [np.empty((BATCH, s), dtype) for s in sizes]
    dW = [None] + [np.empty_like(p[f"W{l}"]) for l in range(1, D + 1)]
    db = [None] + [np.empty_like(p[f"b{l}"]) for l in range(1, D + 1)]

    def part_1():
        _, cache = nn._forward(p, X)
        nn._loss(cache[f"Z{D}"], Y, "softmax")
        nn._backward(p, cache, Y)

    def preallocated():
        A = X
        for l in range(1, D + 1):
            np.matmul(A, p[f"W{l}"], out=Z[l])
            Z[l] += p[f"b{l}"]
            if l < D:
                np.maximum(Z[l], 0, out=Z[l])
            A = Z[l]
        P = Z[D]  # softmax in place (the loss from the logits is left out: it is small)
        P -= P.max(axis=1, keepdims=True)
        np.exp(P, out=P)
        P /= P.sum(axis=1, keepdims=True)
        dZ = P
        dZ -= Y
        dZ /= BATCH
        for l in range(D, 0, -1):
            A_prev = X if l == 1 else Z[l - 1]
            np.matmul(A_prev.T, dZ, out=dW[l])
            np.sum(dZ, axis=0, out=db[l])
            if l > 1:
                np.matmul(dZ, p[f"W{l}"].T, out=dA[l - 1])
                dA[l - 1] *= A_prev > 0
                dZ = dA[l - 1]

    def products():
        A = X
        for l in range(1, D + 1):
            np.matmul(A, p[f"W{l}"], out=Z[l])
            A = Z[l]
        for l in range(D, 0, -1):
            A_prev = X if l == 1 else Z[l - 1]
            np.matmul(A_prev.T, Z[l], out=dW[l])
            if l > 1:
                np.matmul(Z[l], p[f"W{l}"].T, out=dA[l - 1])

    n = sum(p[key].size for key in nn.param_keys(p))
    theta = rng.standard_normal(n).astype(dtype)
    g = (rng.standard_normal(n) * 1e-3).astype(dtype)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    step = SLICE // np.dtype(dtype).itemsize
    u_buffer, w_buffer = np.empty(step, dtype), np.empty(step, dtype)

    def adam_part_1():
        for a in range(0, n, step):
            nn._adam_step(theta[a:a + step], g[a:a + step], m[a:a + step], v[a:a + step], 5, 1e-3)

    def adam_buffers():
        lr_t = 1e-3 * (1 - 0.999**5) ** 0.5 / (1 - 0.9**5)
        for a in range(0, n, step):
            t_, g_, m_, v_ = theta[a:a + step], g[a:a + step], m[a:a + step], v[a:a + step]
            u, w = u_buffer[:t_.size], w_buffer[:t_.size]
            m_ *= 0.9
            np.multiply(g_, 0.1, out=u)
            m_ += u
            v_ *= 0.999
            np.multiply(g_, g_, out=u)
            u *= 0.001
            v_ += u
            np.sqrt(v_, out=w)
            w += 1e-8
            np.divide(m_, w, out=u)
            u *= lr_t
            t_ -= u
    return n, {"Part 1 forward + loss + backward": part_1, "the same math, preallocated": preallocated,
               "products alone": products, "Adam, Part 1 on 256 KB slices": adam_part_1,
               "Adam, out= into two buffers": adam_buffers}


def main():
    print(f"numpy {np.__version__}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; "
          f"float32, batch {BATCH}, BLAS on 1 thread")
    for sizes in ([784, 256, 128, 10], [784, 1024, 1024, 10]):
        n, runs = contenders(sizes, np.float32)
        best = dict.fromkeys(runs, float("inf"))
        with nn._blas_threads(1):
            for _ in range(7):
                for label, run in runs.items():
                    start = time.perf_counter()
                    for _ in range(40):
                        run()
                    best[label] = min(best[label], (time.perf_counter() - start) / 40)
        print(f"\n{sizes}, {n:,} numbers, ms per step:")
        for label, seconds in best.items():
            print(f"  {label:34} {seconds * 1e3:7.3f}")
        ours, adam = best["Part 1 forward + loss + backward"], best["Adam, Part 1 on 256 KB slices"]
        print(f"  forward+backward: Part 1 / preallocated {ours / best['the same math, preallocated']:.2f}, "
              f"Part 1 / products {ours / best['products alone']:.2f}; "
              f"Adam: Part 1 / buffers {adam / best['Adam, out= into two buffers']:.2f}")
    print(f"\nload average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
