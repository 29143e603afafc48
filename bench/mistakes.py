"""Plausible mistakes a hurried user makes with nn.py, each made, with what happens now.

    python bench/mistakes.py

First the scaling mistakes of issue 18, which gave a plausible number with no error and no warning
while users scaled by hand; then issue 12's list. nn.train now standardises raw data inside and
folds it into the network, so most of them are no longer possible: there is no scaling step to
forget, to do twice or to do with the wrong statistics. What is left is scaling by hand anyway,
out of habit. Each case is the mistake itself, made in code, and one row of the table: the number
it gives, the right number (the same data used as nn.py now asks: raw in, raw out), and what nn.py
said (an error, a ScaleWarning, or nothing). "nothing" beside a wrong number is a silent path.
Needs scikit-learn (for data) and, for the DataFrame case, pandas; nn.py itself needs NumPy alone.
"""

import os
import sys
import tempfile
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, make_classification, make_regression
from sklearn.model_selection import train_test_split

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

ROWS = []  # (case, what it gave, the right number, what nn.py said)


def attempt(case, call, right=""):
    """Run call() (a mistake); record what it gave or raised and the first warning, as one row."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            gave, said = call(), None
        except Exception as error:  # the point is to show every error a mistake raises
            gave, said = "-", f"{type(error).__name__}: {str(error).splitlines()[0]}"
    if said is None:
        said = (f"{caught[0].category.__name__}: {caught[0].message}" if caught else "nothing")
    ROWS.append((case, str(gave), str(right), said))


def quietly(call):
    """call() with nn.train's log silenced and its warnings kept out of the table (a setup step)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return call()


def rmse(params, X, y):
    return f"RMSE {float(np.sqrt(np.mean((nn.predict(params, X) - y) ** 2))):.1f}"


def accuracy(params, X, y):
    return f"{float(np.mean(nn.predict(params, X) == y)):.3f}"


def by_hand(X_fit):
    """The scaling step that users no longer need: the mean and std of X_fit's columns."""
    return X_fit.mean(axis=0), X_fit.std(axis=0)


def train(sizes, hidden, output, X, y, **settings):
    params = nn.init_params(sizes, hidden, output, seed=0)
    return quietly(lambda: nn.train(params, X, y, **{"seed": 0, "log_every": None, **settings})[0])


def issue_18():
    # Diabetes: features already centred, with a spread of about 0.05 each; targets 25 to 346.
    X, y = load_diabetes(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0)
    regressor = [10, 32, 1], "relu", "linear"
    good = train(*regressor, X_train, y_train, epochs=100)
    right = rmse(good, X_test, y_test)
    m, s = by_hand(X_train)
    on_scaled = train(*regressor, (X_train - m) / s, y_train, epochs=100)
    attempt("18a diabetes: X_train standardised by hand, test X left unscaled",
            lambda: rmse(on_scaled, X_test, y_test), right)
    attempt("18b diabetes: X_train standardised by hand, test X scaled twice",
            lambda: rmse(on_scaled, ((X_test - m) / s - m) / s, y_test), right)
    attempt("18b' diabetes: raw X_train, test X standardised by hand (once too many)",
            lambda: rmse(good, (X_test - m) / s, y_test), right)
    attempt("18c diabetes: predictions compared with y_test as they come (no unscale)",
            lambda: rmse(good, X_test, y_test), right)
    y_m, y_s = y_train.mean(), y_train.std()
    on_scaled_y = train(*regressor, X_train, (y_train - y_m) / y_s, epochs=100)
    attempt("18c' diabetes: y_train standardised by hand anyway, predictions not unscaled",
            lambda: rmse(on_scaled_y, X_test, y_test), right)

    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=0, stratify=y)
    classifier = [30, 16, 1], "relu", "sigmoid"
    good = train(*classifier, X_train, y_train, epochs=50)
    right = accuracy(good, X_test, y_test)
    own = (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)
    attempt("18d breast cancer: raw X_train, test X standardised with its own statistics",
            lambda: accuracy(good, own, y_test), right)
    m, s = by_hand(X_train)
    on_scaled = train(*classifier, (X_train - m) / s, y_train, epochs=50)
    attempt("18d' breast cancer: X_train standardised by hand too, test X with its own statistics",
            lambda: accuracy(on_scaled, own, y_test), right)

    def dropped():
        params = nn.init_params(*classifier, seed=0)
        quietly(lambda: nn.train(params, X_train, y_train, epochs=50, seed=0, log_every=None))  # result dropped
        return accuracy(params, X_test, y_test)
    attempt("18e breast cancer: nn.train(params, ...) called, its result dropped", dropped, right)

    X, y = make_regression(1000, 5, noise=10, random_state=0)
    params = nn.init_params([5, 32, 1], "relu", "linear", seed=0)
    attempt("18f validation=(X_train, y_train), the training set itself",
            lambda: f"val_loss {nn.train(params, X[:800], y[:800], epochs=50, seed=0, log_every=None, validation=(X[:800], y[:800]))[1]['val_loss'][-1]:.4f}",
            f"val_loss {quietly(lambda: nn.train(params, X[:800], y[:800], epochs=50, seed=0, log_every=None, validation=(X[800:], y[800:])))[1]['val_loss'][-1]:.4f}")


def issue_12(folder):
    X, y = make_classification(2000, 10, n_informative=5, random_state=0, flip_y=0.1)
    X_train, y_train, X_test, y_test = X[:1500], y[:1500], X[1500:], y[1500:]
    net = nn.init_params([10, 32, 1], "tanh", "sigmoid", seed=0)
    good = quietly(lambda: nn.train(net, X_train, y_train, seed=0, log_every=None)[0])
    right = accuracy(good, X_test, y_test)

    attempt("1 the wrong activations at predict time", lambda: nn.predict(good, X_test, "relu", "sigmoid"))
    attempt("2 saved under the wrong names",
            lambda: nn.save_params(os.path.join(folder, "m.npz"), good, "relu", "sigmoid"))
    softmax = nn.init_params([10, 8, 2], "tanh", "softmax", seed=0)
    attempt("3 a softmax network read as sigmoid", lambda: nn.predict_proba(softmax, X_test, "sigmoid"))
    attempt("4 features in the tens of thousands",
            lambda: accuracy(nn.train(net, X_train * 1e4, y_train, seed=0, log_every=None)[0], X_test * 1e4, y_test),
            right)
    X_r, y_r = make_regression(2000, 5, noise=10, random_state=0)
    y_r = y_r * 10 + 2000  # targets around 2,000, noise of std 100
    regressor = nn.init_params([5, 32, 1], "relu", "linear", seed=0)
    least_squares = np.linalg.lstsq(np.c_[X_r[:1500], np.ones(1500)], y_r[:1500], rcond=None)[0]
    ols = f"RMSE {np.sqrt(np.mean((np.c_[X_r[1500:], np.ones(500)] @ least_squares - y_r[1500:]) ** 2)):.1f} (least squares)"
    attempt("5 regression targets around 2,000",
            lambda: rmse(nn.train(regressor, X_r[:1500], y_r[:1500], seed=0, log_every=None)[0], X_r[1500:], y_r[1500:]),
            ols)
    y_m, y_s = y_r[:1200].mean(), y_r[:1200].std()

    def stopped(history):
        return f"best val_loss {min(history['val_loss']):.3g} at epoch {history['best_epoch']}"
    attempt("6 training y standardised by hand, validation y left raw",
            lambda: stopped(nn.train(regressor, X_r[:1200], (y_r[:1200] - y_m) / y_s, patience=20, seed=0,
                                     validation=(X_r[1200:1500], y_r[1200:1500]), log_every=None)[1]),
            stopped(quietly(lambda: nn.train(regressor, X_r[:1200], y_r[:1200], patience=20, seed=0,
                                             validation=(X_r[1200:1500], y_r[1200:1500]), log_every=None)[1])))
    attempt("7 Adam at lr=100", lambda: accuracy(nn.train(net, X_train, y_train, lr=100, seed=0, log_every=None)[0],
                                                X_test, y_test), right)
    relu = nn.init_params([10, 32, 1], "relu", "sigmoid", seed=0)
    attempt("8 ReLU at lr=1", lambda: accuracy(nn.train(relu, X_train, y_train, lr=1, seed=0, log_every=None)[0],
                                              X_test, y_test), right)
    attempt("9 y as a column (n, 1), then compared with the column",
            lambda: accuracy(nn.train(net, X_train, y_train[:, None], seed=0, log_every=None)[0], X_test, y_test[:, None]),
            right)
    attempt("10 regression y as a column (n, 1)",
            lambda: nn.train(regressor, X_r[:1500], y_r[:1500, None], seed=0, log_every=None)[1]["ended"][:40])
    m, s = by_hand(X_train)
    on_scaled = quietly(lambda: nn.train(net, (X_train - m) / s, y_train, seed=0, log_every=None)[0])
    attempt("11 X_train standardised by hand, test set left unscaled (features already near scale 1)",
            lambda: accuracy(on_scaled, X_test, y_test), right)
    try:
        import pandas as pd
        frame = pd.DataFrame(X_train, columns=[f"f{i}" for i in range(10)])
        on_frame = quietly(lambda: nn.train(net, frame, y_train, seed=0, log_every=None)[0])
        test_frame = pd.DataFrame(X_test, columns=frame.columns)
        attempt("12 DataFrame columns in another order at predict time",
                lambda: nn.predict(on_frame, test_frame[test_frame.columns[::-1]]))
    except ImportError:
        ROWS.append(("12 DataFrame columns in another order", "-", "", "(skipped: pandas is not installed)"))
    attempt("13 forgot to unpack train's pair",
            lambda: nn.predict(nn.train(net, X_train, y_train, epochs=2, log_every=None), X_test))
    for keyword in ["max_iter", "alpha", "early_stopping", "verbose", "learning_rate_init"]:
        attempt(f"14 scikit-learn's keyword {keyword}", lambda: nn.train(net, X_train, y_train, **{keyword: 1}))
    path = os.path.join(folder, "model")
    attempt("15 save_params('model'), then load_params('model')",
            lambda: (nn.save_params(path, good), accuracy(nn.load_params(path), X_test, y_test))[1], right)


def main():
    issue_18()
    issue_12(tempfile.mkdtemp())
    header = ("mistake", "gives", "right", "nn.py says")
    print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header))
    for case, gave, right, said in ROWS:
        said = said if len(said) <= 120 else said[:117] + "..."
        print(f"| {case} | {gave} | {right} | {said.replace('|', '/')} |")


if __name__ == "__main__":
    main()
