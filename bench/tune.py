"""How main.py chose its hyperparameters: on validation data cut from each training part, never the test set.

    python bench/tune.py regression       # or: function, classification, digits (a few minutes each)

For each experiment this trains nn.py on part of main.py's training split, scores it on the rest, and
prints one line per candidate. The test split is never loaded into a model here, so the test figures
that main.py prints remain an honest estimate of how the chosen settings do on new data. As in
main.py, the data go into nn.train raw: it standardises them with the statistics of the part it
trains on (the fold), never of the part that judges it, and the scores are in y's own units.
"""

import math
import os
import sys
import time

import numpy as np
from sklearn.datasets import load_breast_cancer, load_digits
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import KFold, RepeatedStratifiedKFold

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import main  # noqa: E402
import nn  # noqa: E402


def tune_regression():
    """4-fold cross-validation of full-batch gradient descent, 5000 epochs, over lr, l2 and the initial scale.

    nn.train standardises y inside, so its gradients are about y's standard deviation (128 here)
    smaller than on the raw target, where lr 1e-4 was chosen: the grid spans 1e-4 to 0.1. On
    standardised y a fresh network's random output is as large as the target itself (on the raw
    target it was ~1/128 of it), so the initial scale and l2 are in the grid too: init "he" (He's
    scale in every layer, what main.py used) or None (nn.init_params' default for ReLU: the first
    layer at half Glorot's scale).
    """
    X, _, y, _ = main.regression_data()
    folds = list(KFold(4, shuffle=True, random_state=0).split(X))
    ols = [main.mse(LinearRegression().fit(X[a], y[a]).predict(X[b]), y[b]) for a, b in folds]
    print(f"least squares                  validation MSE {np.mean(ols):7.2f}")
    grid = [("he", lr, 0.0) for lr in (1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1)]
    grid += [(init, lr, l2) for init in ("he", None) for lr in (1e-2, 3e-2) for l2 in (1e-4, 1e-3, 1e-2)]
    grid += [(None, lr, 0.0) for lr in (3e-3, 5e-3, 1e-2, 2e-2, 3e-2)]
    for init, lr, l2 in grid:
        scores = []
        for a, b in folds:
            params = nn.init_params([3, 128, 1], "relu", "linear", seed=main.SEED, init=init)
            try:
                params, _ = nn.train(params, X[a], y[a], epochs=5000, lr=lr, l2=l2, batch_size=None,
                                     optimizer="sgd", log_every=None)
            except ValueError as error:  # diverged: nn.train names the epoch
                scores.append(math.inf)
                print(f"  ({error})")
                break
            scores.append(main.mse(nn.predict(params, X[b]), y[b]))
        print(f"init {str(init):4} lr {lr:<6g} l2 {l2:<6g}  validation MSE {np.mean(scores):7.2f}  "
              f"(folds {' '.join(f'{s:.1f}' for s in scores)})", flush=True)


def tune_function():
    """Train on the first 3200 training points, validate on the last 800, over epochs, batch and lr.

    Two seeds per candidate: at these error levels one run differs from the next by tens of percent.
    The first six are the grid lr 0.005, batch 128 and 2000 epochs won when y went in raw; the rest
    are that choice's neighbours, since y is now standardised inside (its std is 0.87, so the
    change is small).
    """
    X, _, y, _ = main.function_data()
    X_fit, X_val = X[:3200], X[3200:]
    for epochs, batch_size, lr in [(1000, 128, 0.02), (1000, 128, 0.01), (1500, 128, 0.01),
                                   (2000, 256, 0.01), (2000, 128, 0.01), (2000, 128, 0.005),
                                   (2000, 128, 0.003), (2000, 64, 0.005), (2000, 64, 0.003),
                                   (3000, 128, 0.005), (3000, 128, 0.003)]:
        scores, start = [], time.perf_counter()
        for seed in (0, 1):
            params = nn.init_params([4, 32, 16, 1], "tanh", "linear", seed=seed)
            params, _ = nn.train(params, X_fit, y[:3200], epochs=epochs, lr=lr, batch_size=batch_size,
                                 optimizer="adam", schedule="cosine", l2=0.0, seed=seed, log_every=None)
            scores.append(main.mse(nn.predict(params, X_val), y[3200:]))
        print(f"epochs {epochs:5} batch {batch_size:4} lr {lr:<6g} validation MSE {np.mean(scores):.2e}  "
              f"(seeds {' '.join(f'{s:.2e}' for s in scores)}; {(time.perf_counter() - start) / 2:.1f} s a run)",
              flush=True)


def tune_classifier(load, output, grid):
    """5-fold cross-validation repeated 3 times; validation accuracy and log-loss per candidate."""
    X, _, y, _ = main.classification_data(load)
    n_out = 1 if output == "sigmoid" else int(y.max()) + 1
    splits = list(RepeatedStratifiedKFold(n_splits=5, n_repeats=3, random_state=0).split(X, y))
    for hidden, epochs, l2 in grid:
        accuracies, losses = [], []
        for a, b in splits:
            params = nn.init_params([X.shape[1], hidden, n_out], "relu", output, seed=main.SEED, init="he")
            params, _ = nn.train(params, X[a], y[a], epochs=epochs, lr=1e-3, batch_size=32,
                                 optimizer="adam", l2=l2, seed=main.SEED, log_every=None)
            accuracies.append(np.mean(nn.predict(params, X[b]) == y[b]))
            losses.append(nn.loss(params, X[b], y[b]))
        print(f"hidden {hidden:3} epochs {epochs:4} l2 {l2:<6g} validation accuracy {np.mean(accuracies):.4f}  "
              f"log-loss {np.mean(losses):.4f}", flush=True)


TUNERS = {
    "regression": tune_regression,
    "function": tune_function,
    "classification": lambda: tune_classifier(
        load_breast_cancer, "sigmoid",
        [(16, 200, 0.0), (16, 200, 0.003), (16, 200, 0.01), (16, 200, 0.03), (16, 100, 0.01),
         (8, 200, 0.01), (32, 200, 0.01), (64, 200, 0.01)]),
    "digits": lambda: tune_classifier(
        load_digits, "softmax",
        [(64, 50, 0.0), (64, 50, 1e-3), (64, 50, 0.01), (64, 100, 0.0), (64, 100, 1e-3), (32, 50, 1e-3)]),
}

if __name__ == "__main__":
    names = sys.argv[1:] or list(TUNERS)
    unknown = [name for name in names if name not in TUNERS]
    if unknown:
        sys.exit(f"unknown experiment {', '.join(unknown)}; choose from: {' '.join(TUNERS)}")
    for name in names:
        print(f"\n== {name}")
        TUNERS[name]()
