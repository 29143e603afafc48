"""Figures behind the notes that the tests assert only as thresholds.

    python bench/report.py gradients   # worst relative error of the gradient check, per case
    python bench/report.py seeds       # main.py's settings with other init seeds (a few minutes)

The seeds report is for reading, not choosing: main.py's seed was fixed before any result was seen.
The gradients report makes its own small problems (the same kinds test_nn.py checks), so that it
runs whatever state the tests are in.
"""

import os
import sys
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import main  # noqa: E402
import nn  # noqa: E402

from test_nn import DEPTHS, HIDDENS, OUTPUTS, gradient_errors  # noqa: E402  the tests' own cases


def gradients():
    worst_per_key = []
    for hidden in HIDDENS:
        for output in OUTPUTS:
            for depth, sizes in DEPTHS.items():
                errors = gradient_errors(hidden, output, sizes)
                worst_per_key += errors.values()
                key = max(errors, key=errors.get)
                print(f"{hidden:8} {output:8} {depth:20} worst {key}: {errors[key]:.1e}")
    print(f"{len(worst_per_key)} keys: worst {max(worst_per_key):.2e}, median {np.median(worst_per_key):.2e}")


def seeds():
    """main.py's settings, raw data into nn.train as there, with init seeds 0 to 3 (or 4)."""
    X_train, X_test, y_train, y_test = main.regression_data()
    ols = main.mse(main.LinearRegression().fit(X_train, y_train).predict(X_test), y_test)
    for seed in range(4):
        params = nn.init_params([3, 128, 1], "relu", "linear", seed=seed)
        params, _ = nn.train(params, X_train, y_train, epochs=5000, lr=0.01, batch_size=None,
                             optimizer="sgd", l2=0.0, log_every=None)
        ratio = main.mse(nn.predict(params, X_test), y_test) / ols
        print(f"regression seed {seed}: test MSE / least squares = {ratio:.3f}")

    X_train, X_test, y_train, y_test = main.function_data()
    for seed in range(4):
        params = nn.init_params([4, 32, 16, 1], "tanh", "linear", seed=seed)
        params, _ = nn.train(params, X_train, y_train, epochs=3000, lr=0.005, batch_size=128,
                             optimizer="adam", schedule="cosine", l2=0.0, seed=seed, log_every=None)
        print(f"function seed {seed}: test MSE {main.mse(nn.predict(params, X_test), y_test):.2e}")

    X_train, X_test, y_train, y_test = main.classification_data(load_breast_cancer)
    for seed in range(5):
        params = nn.init_params([30, 32, 1], "relu", "sigmoid", seed=seed, init="he")
        params, _ = nn.train(params, X_train, y_train, epochs=200, lr=1e-3, batch_size=32,
                             optimizer="adam", l2=0.01, seed=seed, log_every=None)
        sk = MLPClassifier(hidden_layer_sizes=(32,), activation="relu", alpha=0.01 * 32,
                           **{**main.sklearn_adam(200, 32, 1e-3), "random_state": seed})
        sk = make_pipeline(StandardScaler(), sk)  # scikit-learn does not scale its inputs itself
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            sk.fit(X_train, y_train)
        ours = np.mean(nn.predict(params, X_test) == y_test)
        print(f"breast cancer seed {seed}: accuracy ours {ours:.4f}, scikit-learn {sk.score(X_test, y_test):.4f}")


if __name__ == "__main__":
    reports = {"gradients": gradients, "seeds": seeds}
    if len(sys.argv) != 2 or sys.argv[1] not in reports:
        sys.exit(f"usage: python bench/report.py {'|'.join(reports)}")
    reports[sys.argv[1]]()
