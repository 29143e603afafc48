"""Plausible mistakes a hurried user makes with nn.py, each tried, with what happens now.

    python bench/mistakes.py

Each line is one mistake: the call, then '->' what it returned or raised, and '!!' any warning.
None of them may give a silently wrong number: the outcome is the right answer, an error that says
the fix, or a warning that names it. Needs scikit-learn (for data) and, for the DataFrame case,
pandas; nn.py itself needs NumPy alone.
"""

import os
import sys
import tempfile
import warnings

import numpy as np
from sklearn.datasets import make_classification, make_regression

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402


def attempt(label, call):
    """Run call(), print what it gave or raised and every warning, one line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            outcome = f"ran: {call()}"
        except Exception as error:  # the point is to show every error a mistake raises
            outcome = f"{type(error).__name__}: {str(error).splitlines()[0]}"
    print(f"{label}\n   -> {outcome}" + "".join(f"\n   !! {w.category.__name__}: {w.message}" for w in caught))


def main():
    folder = tempfile.mkdtemp()
    X, y = make_classification(2000, 10, n_informative=5, random_state=0, flip_y=0.1)
    s = nn.fit_scaler(X[:1500])
    X_train, y_train, X_test, y_test = nn.scale(X[:1500], s), y[:1500], nn.scale(X[1500:], s), y[1500:]
    net = nn.init_params([10, 32, 1], "tanh", "sigmoid", seed=0)
    good, _ = nn.train(net, X_train, y_train, seed=0, log_every=None)

    def accuracy(params, X_part=X_test):
        return float(np.mean(nn.predict(params, X_part) == y_test))

    print(f"the right test accuracy: {accuracy(good):.3f}\n")
    attempt("1 the wrong activations at predict time", lambda: nn.predict(good, X_test, "relu", "sigmoid"))
    attempt("2 saved under the wrong names", lambda: nn.save_params(os.path.join(folder, "m.npz"), good, "relu", "sigmoid"))
    softmax = nn.init_params([10, 8, 2], "tanh", "softmax", seed=0)
    attempt("3 a softmax network read as sigmoid", lambda: nn.predict_proba(softmax, X_test, "sigmoid"))
    attempt("4 features in the tens of thousands",
            lambda: accuracy(nn.train(net, X[:1500] * 1e4, y_train, seed=0, log_every=None)[0], X[1500:] * 1e4))
    X_r, y_r = make_regression(2000, 5, noise=10, random_state=0)
    y_r = y_r * 10 + 2000
    regressor = nn.init_params([5, 32, 1], "relu", "linear", seed=0)
    attempt("5 regression targets around 2,000",
            lambda: nn.train(regressor, X_r[:1500], y_r[:1500], seed=0, log_every=None)[1]["ended"])
    sy = nn.fit_scaler(y_r[:1500])
    attempt("6 the validation y left raw, the training y standardised",
            lambda: nn.train(regressor, X_r[:1200], nn.scale(y_r[:1200], sy), validation=(X_r[1200:1500], y_r[1200:1500]),
                             patience=5, seed=0, log_every=None)[1]["ended"])
    attempt("7 Adam at lr=100", lambda: accuracy(nn.train(net, X_train, y_train, lr=100, seed=0, log_every=None)[0]))
    relu = nn.init_params([10, 32, 1], "relu", "sigmoid", seed=0)
    attempt("8 ReLU at lr=1", lambda: accuracy(nn.train(relu, X_train, y_train, lr=1, seed=0, log_every=None)[0]))
    attempt("9 y as a column (n, 1)", lambda: accuracy(nn.train(net, X_train, y_train[:, None], seed=0, log_every=None)[0]))
    attempt("10 regression y as a column (n, 1)",
            lambda: nn.train(regressor, X_r[:1500], nn.scale(y_r[:1500], sy)[:, None], seed=0, log_every=None)[1]["ended"])
    attempt("11 the test set left unscaled", lambda: accuracy(good, X[1500:]))
    try:
        import pandas as pd
        frame = pd.DataFrame(X_train, columns=[f"f{i}" for i in range(10)])
        on_frame, _ = nn.train(net, frame, y_train, seed=0, log_every=None)
        test_frame = pd.DataFrame(X_test, columns=frame.columns)
        attempt("12 DataFrame columns in another order at predict time",
                lambda: nn.predict(on_frame, test_frame[test_frame.columns[::-1]]))
    except ImportError:
        print("12 (skipped: pandas is not installed)")
    attempt("13 forgot to unpack train's pair", lambda: nn.predict(nn.train(net, X_train, y_train, epochs=2, log_every=None), X_test))
    for keyword in ["max_iter", "alpha", "early_stopping", "verbose", "learning_rate_init"]:
        attempt(f"14 scikit-learn's keyword {keyword}", lambda: nn.train(net, X_train, y_train, **{keyword: 1}))
    path = os.path.join(folder, "model")
    attempt("15 save_params('model'), then load_params('model')",
            lambda: (nn.save_params(path, good), accuracy(nn.load_params(path)))[1])


if __name__ == "__main__":
    main()
