"""nn.train beside a bare NumPy loop and PyTorch doing the same training, timed in one run.

    pip install torch==2.13.0      # CPU build; only for this benchmark, never in requirements.txt
    python bench/train_speed.py    # add --no-torch to time nn.py against the bare loop alone

Each contender runs the same epochs of the same loop: shuffle the samples, and for every mini-batch
take its rows, forward, mean squared error, backward, plain gradient-descent update. The bare loop
is that math written out with no checks and no function calls, the plain-NumPy reference: each
epoch it copies X and Y whole in shuffled order (X[order]) and then slices each batch from the
copy. nn.train checks its inputs once and then runs nn.py's cores; it gathers each batch's rows
itself (X[order[a:b]]) instead of copying all of X each epoch, the same rows in the same order,
and, as always unless standardize=False, standardises them (and Y) with the training data's
statistics, which is part of what it costs (the data here are already standard normal, so the
arithmetic is the same as the others'). PyTorch runs in float64, nn.py's precision, with
autograd and torch.optim.SGD. Contenders take turns, and each figure is the best of several
repeats, the least noisy estimate on a shared machine. Ratios below 1 mean nn.train is faster.
"""

import os
import sys
import timeit
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

CASES = [  # (name, layer sizes, hidden activation, samples, batch size, epochs, target vs bare, vs torch)
    ("[4, 32, 16, 1] tanh, 4000 samples, batches of 64", [4, 32, 16, 1], "tanh", 4000, 64, 5, 1.15, 0.25),
    ("[3, 128, 1] relu, full batch of 800", [3, 128, 1], "relu", 800, 800, 300, 1.10, None),
]
REPEATS, LR = 7, 0.01
G = {"tanh": (np.tanh, lambda A: 1.0 - A * A), "relu": (lambda Z: np.maximum(Z, 0.0), lambda A: A > 0)}


def data(sizes, n):
    rng = np.random.default_rng(0)
    return rng.standard_normal((n, sizes[0])), rng.standard_normal((n, 1))


def nn_train(sizes, hidden, n, batch, epochs):
    X, Y = data(sizes, n)
    params = nn.init_params(sizes, hidden, "linear", seed=0)
    return lambda: nn.train(params, X, Y, epochs=epochs, lr=LR, batch_size=batch, optimizer="sgd",
                            l2=0.0, seed=0, log_every=None)


def bare_loop(sizes, hidden, n, batch, epochs):
    X, Y = data(sizes, n)
    g, g_prime = G[hidden]
    params = nn.init_params(sizes, hidden, "linear", seed=0)
    L = len(sizes) - 1

    def run():
        W = [params[f"W{l}"].copy() for l in range(1, L + 1)]
        b = [params[f"b{l}"].copy() for l in range(1, L + 1)]
        rng = np.random.default_rng(0)
        for _ in range(epochs):
            order = rng.permutation(n)
            Xs, Ys = X[order], Y[order]  # all of X copied in shuffled order, once per epoch
            for start in range(0, n, batch):
                Xb, Yb = Xs[start:start + batch], Ys[start:start + batch]
                A = [Xb]
                for l in range(L):
                    Z = A[-1] @ W[l] + b[l]
                    A.append(g(Z) if l < L - 1 else Z)
                float(np.mean((A[-1] - Yb) ** 2))
                dZ = (A[-1] - Yb) * (2.0 / Yb.size)
                for l in range(L - 1, -1, -1):
                    dW, db = A[l].T @ dZ, dZ.sum(axis=0)
                    if l > 0:
                        dZ = (dZ @ W[l].T) * g_prime(A[l])
                    W[l] -= LR * dW
                    b[l] -= LR * db
    return run


def torch_loop(sizes, hidden, n, batch, epochs):
    import torch
    torch.manual_seed(0)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=torch.float64))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    X, Y = (torch.from_numpy(a) for a in data(sizes, n))
    generator = torch.Generator().manual_seed(0)

    def run():
        for _ in range(epochs):
            order = torch.randperm(n, generator=generator)
            Xs, Ys = X[order], Y[order]
            for start in range(0, n, batch):
                optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(model(Xs[start:start + batch]), Ys[start:start + batch])
                loss.backward()
                optimizer.step()
                loss.item()
    return run


def main(use_torch):
    # The targets are noise, so nn.train rightly warns that it learned nothing; the timing does not care.
    warnings.simplefilter("ignore", nn.ScaleWarning)
    contenders = {"nn.train": nn_train, "bare NumPy loop": bare_loop}
    if use_torch:
        import torch
        contenders["PyTorch float64"] = torch_loop
        print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)")
    for name, sizes, hidden, n, batch, epochs, target_bare, target_torch in CASES:
        runs = {label: make(sizes, hidden, n, batch, epochs) for label, make in contenders.items()}
        best = {label: float("inf") for label in runs}
        for _ in range(REPEATS):  # alternate the contenders so that a noisy moment hits all of them
            for label, run in runs.items():
                best[label] = min(best[label], timeit.timeit(run, number=1))
        steps = epochs * -(-n // batch)
        print(f"\n{name}: {epochs} epochs, {steps} steps")
        for label, seconds in best.items():
            print(f"  {label:16} {seconds * 1e6 / steps:8.1f} us/step   nn.train / this = "
                  f"{best['nn.train'] / seconds:.2f}")
        verdicts = [f"vs bare loop {best['nn.train'] / best['bare NumPy loop']:.2f} (target <= {target_bare})"]
        if target_torch and "PyTorch float64" in best:
            verdicts.append(f"vs PyTorch {best['nn.train'] / best['PyTorch float64']:.2f} "
                            f"(target <= {target_torch})")
        print("  " + "; ".join(verdicts))


if __name__ == "__main__":
    main(use_torch="--no-torch" not in sys.argv[1:])
