"""Tests for nn.py. The heart is the gradient check: backward must agree with centred finite
differences of loss, for every parameter, activation, output and depth, and the same check must
fail when a bug is planted in backward. Run with `pytest`."""

import ast
import contextlib
import itertools
import json
import math
import os
import re
import signal
import subprocess
import sys
import warnings

import numpy as np
import pytest

import nn
from sklearn.datasets import load_breast_cancer

HERE = os.path.dirname(os.path.abspath(__file__))

# Any warning fails a test: an overflow or a divide by zero is a bug here, never noise, and a
# ScaleWarning on data a test meant to be well scaled is a false alarm. Tests that feed badly scaled
# data on purpose say which warning they expect.
pytestmark = pytest.mark.filterwarnings("error")

HIDDENS = ["identity", "relu", "tanh", "sigmoid"]
OUTPUTS = ["linear", "sigmoid", "softmax"]
DEPTHS = {"one hidden layer": [3, 5], "three hidden layers": [3, 5, 4, 5]}
N_OUT = {"linear": 2, "sigmoid": 2, "softmax": 3}


def arrays(params):
    """The keys of params that training changes (W1, b1, ...): the ones with gradients. A trained
    network also holds arrays of statistics (x_mean, x_std, ...), which are not among them."""
    return [key for key in params if re.fullmatch(r"[Wb]\d+", key)]


def untracked(params):
    """params without the "epochs" count, as weights built by hand or brought from elsewhere come:
    predict then has no count of 0 to call never-trained. For tests of predict on random weights."""
    return {key: value for key, value in params.items() if key != "epochs"}


def make_problem(hidden, output, sizes, n=6, seed=0):
    """Small random params, inputs and targets of the right kind for `output`."""
    rng = np.random.default_rng(seed)
    k = N_OUT[output]
    params = nn.init_params(sizes + [k], hidden, output, seed=rng)
    # Non-zero biases, so that b's gradient is not tested only at b = 0. The names stay.
    params = {key: v + 0.1 * rng.standard_normal(v.shape) if key[0] == "b" else v for key, v in params.items()}
    X = rng.standard_normal((n, sizes[0]))
    if output == "linear":
        Y = rng.standard_normal((n, k))
    elif output == "sigmoid":
        Y = rng.integers(0, 2, size=(n, k)).astype(float)
    else:
        Y = rng.integers(0, k, size=n)
    return params, X, Y


def separable(n=100, seed=0):
    """Standardised X (n, 3) and 0/1 labels a small network learns in a few epochs."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    return X, (X[:, 0] - X[:, 1] > 0).astype(np.int64)


H = 1e-5  # nn.gradient_check's step: truncation ~h^2 and rounding ~eps L / h, both << 1e-6 here


def smallest_hidden_preactivation(params, X):
    """min |Z| over the hidden layers: near 0, a ReLU's kink would make finite differences lie."""
    g = nn.HIDDEN[params["hidden"]][0]
    A, smallest = X, np.inf
    for l in range(1, nn.depth(params)):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        smallest = min(smallest, np.abs(Z).min())
        A = g(Z)
    return smallest


def gradient_errors(hidden, output, sizes):
    params, X, Y = make_problem(hidden, output, sizes)
    return nn.gradient_check(params, X, Y, h=H)


# The gradient check


@pytest.mark.parametrize("sizes", DEPTHS.values(), ids=DEPTHS.keys())
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDENS)
def test_backward_matches_finite_differences_for_every_parameter(hidden, output, sizes):
    params, X, _ = make_problem(hidden, output, sizes)
    if hidden == "relu":
        assert smallest_hidden_preactivation(params, X) > 100 * H  # a step of h never crosses the kink
    errors = gradient_errors(hidden, output, sizes)
    assert set(errors) == set(arrays(params))
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, f"{worst}: relative error {errors[worst]:.2e}"


WRONG_DERIVATIVES = {
    "identity": lambda A: A,  # the function written where its derivative belongs
    "relu": lambda A: A >= 0,  # true everywhere: the kink's zero slope forgotten
    "tanh": lambda A: 1.0 - A,  # the square forgotten
    "sigmoid": lambda A: 1.0 - A,  # the factor A forgotten
}


@pytest.mark.parametrize("hidden", HIDDENS)
def test_gradient_check_fails_on_a_planted_wrong_derivative(hidden, monkeypatch):
    monkeypatch.setitem(nn.HIDDEN, hidden, (nn.HIDDEN[hidden][0], WRONG_DERIVATIVES[hidden]))
    errors = gradient_errors(hidden, "linear", DEPTHS["three hidden layers"])
    # The last layer's gradients do not pass through g', so they stay right; the first layer's do.
    assert errors["W4"] < 1e-6 and errors["b4"] < 1e-6
    assert errors["W1"] > 1e-3, f"the check missed a wrong {hidden} derivative: {errors}"


def test_gradient_check_fails_on_a_planted_mean_instead_of_sum_for_bias(monkeypatch):
    right_backward = nn._backward

    def mean_for_bias(params, cache, Y):  # the bug: db = mean of dZ, not its sum
        grads = right_backward(params, cache, Y)
        grads["b1"] = grads["b1"] / cache["A0"].shape[0]
        return grads

    monkeypatch.setattr(nn, "_backward", mean_for_bias)
    errors = gradient_errors("tanh", "softmax", DEPTHS["one hidden layer"])
    assert errors["W1"] < 1e-6
    assert errors["b1"] > 0.5


def test_gradient_check_refuses_a_bad_step():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    with pytest.raises(ValueError, match=r"h must be a positive finite number; got 0"):
        nn.gradient_check(params, X, Y, h=0)


def test_gradient_check_samples_max_per_key_entries_and_still_finds_a_planted_bug(monkeypatch):
    monkeypatch.setitem(nn.HIDDEN, "tanh", (nn.HIDDEN["tanh"][0], WRONG_DERIVATIVES["tanh"]))
    params, X, Y = make_problem("tanh", "linear", DEPTHS["three hidden layers"])
    errors = nn.gradient_check(params, X, Y, h=H, max_per_key=3, seed=1)
    assert set(errors) == set(arrays(params))
    assert errors["W4"] < 1e-6 and errors["W1"] > 1e-3


def test_a_deep_identity_network_is_one_linear_map():
    params, X, _ = make_problem("identity", "linear", DEPTHS["three hidden layers"])
    # Z4 = ((X W1 + b1) W2 + b2) W3 ...: multiplying out gives X (W1 W2 W3 W4) + one bias vector.
    W = params["W1"] @ params["W2"] @ params["W3"] @ params["W4"]
    b = ((params["b1"] @ params["W2"] + params["b2"]) @ params["W3"] + params["b3"]) @ params["W4"] + params["b4"]
    Y_hat, _ = nn.forward(params, X)
    np.testing.assert_allclose(Y_hat, X @ W + b, rtol=1e-12, atol=1e-12)


# Sanity checks with answers known in closed form


@pytest.mark.parametrize("hidden", HIDDENS)
@pytest.mark.parametrize("output, expected", [("softmax", math.log(3)), ("sigmoid", math.log(2))])
def test_zero_last_layer_gives_the_uniform_loss(hidden, output, expected):
    params, X, Y = make_problem(hidden, output, DEPTHS["three hidden layers"])
    params["W4"][:] = 0.0
    params["b4"][:] = 0.0
    assert abs(nn.loss(params, X, Y) - expected) < 1e-12


def test_forward_matches_a_network_computed_by_hand():
    params = {"hidden": "relu", "output": "linear",
              "W1": np.array([[1.0, -1.0], [2.0, 0.5]]), "b1": np.array([0.0, 1.0]),
              "W2": np.array([[1.0], [-2.0]]), "b2": np.array([0.5])}
    X = np.array([[1.0, 2.0], [-3.0, 1.0]])
    # Row 1: Z1 = [1 + 4, -1 + 1 + 1] = [5, 1], A1 = [5, 1], Z2 = 5 - 2 + 0.5 = 3.5.
    # Row 2: Z1 = [-3 + 2, 3 + 0.5 + 1] = [-1, 4.5], A1 = [0, 4.5], Z2 = -9 + 0.5 = -8.5.
    Y_hat, cache = nn.forward(params, X)
    np.testing.assert_allclose(Y_hat, [[3.5], [-8.5]], rtol=1e-15)
    np.testing.assert_allclose(cache["A1"], [[5.0, 1.0], [0.0, 4.5]], rtol=1e-15)
    assert abs(nn.loss(params, X, np.array([3.0, -8.0])) - 0.25) < 1e-15  # (0.5^2 + 0.5^2) / 2
    P, _ = nn.forward({**params, "output": "sigmoid"}, X)
    np.testing.assert_allclose(P, 1 / (1 + np.exp([[-3.5], [8.5]])), rtol=1e-14)


def test_update_returns_new_arrays_and_leaves_its_inputs_untouched():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X)
    grads = nn.backward(params, cache, Y)
    params_before = {k: params[k].copy() for k in arrays(params)}
    grads_before = {k: v.copy() for k, v in grads.items()}
    new = nn.update(params, grads, 0.1)
    assert (new["hidden"], new["output"]) == ("tanh", "linear")  # the names travel with the weights
    for key in arrays(params):
        assert np.array_equal(params[key], params_before[key])
        assert np.array_equal(grads[key], grads_before[key])
        np.testing.assert_allclose(new[key], params[key] - 0.1 * grads[key], rtol=1e-15)
        assert new[key] is not params[key]


def test_train_learns_xor_to_full_accuracy():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    params = nn.init_params([2, 8, 1], "tanh", "sigmoid", seed=0)
    params, history = nn.train(params, X, y, epochs=2000, lr=0.5, batch_size=None, optimizer="sgd", l2=0.0,
                               seed=0, log_every=None)
    assert np.array_equal(nn.predict(params, X), y)
    assert history["loss"][-1] < 0.05 < history["loss"][0]


# The contract: shapes, keys, initialisation


def test_init_params_shapes_dtypes_names_and_zero_biases():
    params = nn.init_params([4, 32, 16, 1], "relu", "sigmoid", seed=0)
    assert list(params) == ["hidden", "output", "W1", "b1", "W2", "b2", "W3", "b3", "epochs"]
    assert (params["hidden"], params["output"], params["epochs"]) == ("relu", "sigmoid", 0)  # never trained
    assert [params[k].shape for k in arrays(params)] == [(4, 32), (32,), (32, 16), (16,), (16, 1), (1,)]
    assert all(params[k].dtype == np.float64 for k in arrays(params))
    assert all(not params[f"b{l}"].any() for l in (1, 2, 3))
    assert nn.depth(params) == 3


@pytest.mark.parametrize("hidden, init, std1, std2", [
    ("relu", None, math.sqrt(2 / 700) / 2, math.sqrt(2 / 300)),  # half Glorot's in layer 1, He's after
    ("relu", "he", math.sqrt(2 / 400), math.sqrt(2 / 300)),
    ("tanh", None, math.sqrt(2 / 700), math.sqrt(2 / 600)),
    ("sigmoid", None, math.sqrt(2 / 700), math.sqrt(2 / 600)),
    ("relu", "glorot", math.sqrt(2 / 700), math.sqrt(2 / 600)),
])
def test_init_scale_per_layer_is_the_documented_rule(hidden, init, std1, std2):
    params = nn.init_params([400, 300, 300], hidden, "linear", seed=0, init=init)  # 90,000+ draws a layer
    assert abs(params["W1"].std() / std1 - 1) < 0.01 and abs(params["W2"].std() / std2 - 1) < 0.01


def test_init_refuses_an_unknown_rule():
    with pytest.raises(ValueError, match="init must be None"):
        nn.init_params([3, 2], "relu", "linear", init="xavier")


def test_init_never_touches_the_global_random_state():
    X, y = separable(n=16, seed=1)
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    nn.init_params([3, 4, 1], "relu", "sigmoid", seed=None)
    nn.train(nn.init_params([3, 4, 1], "relu", "sigmoid", seed=1), X, y, epochs=3, lr=0.05, batch_size=2, seed=None,
             log_every=None)  # seed=None: fresh entropy, still not the global state's
    assert np.array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("output", OUTPUTS)
def test_backward_returns_the_keys_and_shapes_of_params(output):
    params, X, Y = make_problem("relu", output, DEPTHS["three hidden layers"])
    _, cache = nn.forward(params, X)
    grads = nn.backward(params, cache, Y)
    assert set(grads) == set(arrays(params))
    assert list(grads) == ["W4", "b4", "W3", "b3", "W2", "b2", "W1", "b1"]  # from the last layer down
    assert all(grads[k].shape == params[k].shape for k in grads)


def test_a_1d_target_for_one_output_is_a_column_not_an_n_by_n_broadcast():
    rng = np.random.default_rng(0)
    params = nn.init_params([3, 4, 1], "tanh", "linear", seed=0)
    X, y = rng.standard_normal((5, 3)), rng.standard_normal(5)
    Y_hat, _ = nn.forward(params, X)
    assert nn.loss(params, X, y) == pytest.approx(np.mean((Y_hat[:, 0] - y) ** 2), rel=1e-15)
    assert nn.loss(params, X, y) == nn.loss(params, X, y[:, None])


def test_softmax_integer_labels_and_one_hot_give_the_same_loss_and_gradients():
    params, X, labels = make_problem("tanh", "softmax", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X)
    one_hot = np.eye(3)[labels]
    assert nn.loss(params, X, labels) == nn.loss(params, X, one_hot)
    from_labels = nn.backward(params, cache, labels)
    from_one_hot = nn.backward(params, cache, one_hot)
    assert all(np.array_equal(from_labels[k], from_one_hot[k]) for k in arrays(params))


def test_predict_gives_values_labels_and_classes_in_scikit_learn_shapes():
    X = np.random.default_rng(1).standard_normal((7, 3))
    assert nn.predict(untracked(nn.init_params([3, 4, 1], "relu", "linear", seed=0)), X).shape == (7,)
    labels = nn.predict(untracked(nn.init_params([3, 4, 1], "relu", "sigmoid", seed=0)), X)
    assert labels.shape == (7,) and set(labels) <= {0, 1}
    classes = nn.predict(untracked(nn.init_params([3, 4, 5], "relu", "softmax", seed=0)), X)
    assert classes.shape == (7,) and classes.min() >= 0 and classes.max() < 5


def test_adams_first_step_is_nearly_lr_times_the_gradients_sign_and_changes_only_its_own_arrays():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X)
    grads = nn.backward(params, cache, Y)
    grads_before = {k: g.copy() for k, g in grads.items()}
    for key in arrays(params):
        theta, g = params[key].copy(), grads[key]
        m, v = np.zeros_like(theta), np.zeros_like(theta)
        nn._adam_step(theta, g, m, v, 1, 0.01)  # in place, on one array and its own state
        np.testing.assert_allclose(m, 0.1 * g, rtol=1e-14)  # (1 - 0.9) g and (1 - 0.999) g^2, to rounding
        np.testing.assert_allclose(v, 0.001 * g * g, rtol=1e-14)
        # On the first step m = 0.1 g and v = 0.001 g^2, and the bias correction cancels both factors:
        # the step is lr * g / (|g| + eps / sqrt(0.001)), nearly lr * sign(g).
        np.testing.assert_allclose(theta, params[key] - 0.01 * g / (np.abs(g) + 1e-8 / math.sqrt(0.001)),
                                   rtol=1e-12, atol=1e-15)
        assert np.array_equal(g, grads_before[key])  # the gradient is read, never written


@pytest.mark.parametrize("optimizer, schedule", [("sgd", None), ("adam", None), ("adam", "cosine")])
def test_train_lowers_the_loss_with_mini_batches(optimizer, schedule):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    params = nn.init_params([2, 16, 1], "tanh", "linear", seed=0)
    lr = 0.05 if optimizer == "sgd" else 0.01
    _, history = nn.train(params, X, y, epochs=200, lr=lr, batch_size=32, optimizer=optimizer,
                          schedule=schedule, seed=0, log_every=None)
    assert len(history["loss"]) == 200
    assert history["loss"][-1] < 0.1 * history["loss"][0]


def test_train_calls_back_after_every_epoch_counting_from_1():
    X, y = separable()
    seen = []
    _, history = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=25, lr=0.01, seed=0,
                          log_every=10, callback=lambda epoch, history, params: seen.append(epoch))
    assert seen == list(range(1, 26))  # every epoch, whatever log_every says
    assert len(history["loss"]) == 25


def test_a_callback_that_returns_true_stops_training_after_that_epoch():
    X, y = separable()
    _, history = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=50, lr=0.01,
                          seed=0, log_every=None, callback=lambda epoch, history, params: epoch == 3)
    assert len(history["loss"]) == 3
    assert history["ended"] == "stopped by the callback after epoch 3; returning epoch 3's params"


LOG_LINE = r"epoch +(\d+)/(\d+)  loss \S+(  val_loss \S+ \(best \S+ at \d+\))?  \d+\.\d s(, ~\d+\.\d s left)?"


def logged_epochs(out):
    """The epochs of the log lines in out, checking that every line but the last is a log line."""
    lines = out.rstrip("\n").split("\n")
    assert all(re.fullmatch(LOG_LINE, line) for line in lines[:-1]), lines
    return [int(re.fullmatch(LOG_LINE, line).group(1)) for line in lines[:-1]], lines[-1]


def test_train_logs_the_first_every_log_every_and_the_last_epoch_then_how_it_ended(capsys):
    X, y = separable()
    _, history = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=25, lr=0.01, seed=0,
                          log_every=10)
    epochs, ending = logged_epochs(capsys.readouterr().out)
    assert epochs == [1, 10, 20, 25]
    assert ending == history["ended"] and ending.startswith("ran all 25 epochs; returning epoch 25's params")


def test_train_logs_about_ten_lines_by_default_with_the_validation_loss_and_none_when_silenced(capsys):
    X, y = separable()
    X_val, y_val = separable(n=40, seed=1)
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    _, history = nn.train(params, X, y, epochs=30, lr=0.01, seed=0, validation=(X_val, y_val))
    out = capsys.readouterr().out
    epochs, _ = logged_epochs(out)
    assert epochs == [1, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30]  # every ceil(30 / 10) = 3, and the first
    best = history["best_epoch"]
    assert f"val_loss {history['val_loss'][-1]:.4g} (best {history['val_loss'][best - 1]:.4g} at {best})" in out
    nn.train(params, X, y, epochs=30, lr=0.01, seed=0, log_every=None)
    assert capsys.readouterr().out == ""


# Numerical stability at the extremes


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_logits_of_plus_minus_1e4_give_finite_loss_and_gradients_without_warnings(output):
    params = {"hidden": "relu", "output": output, "W1": np.array([[1e4, -1e4, 0.0]]), "b1": np.zeros(3)}
    if output == "sigmoid":
        Y = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])  # each saturated output on its wrong side
    else:
        Y = np.array([1, 0])  # the wrong class, with a logit 2e4 below the winner
    X = np.array([[1.0], [-1.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        _, cache = nn.forward(params, X)
        value = nn.loss(params, X, Y)
        grads = nn.backward(params, cache, Y)
    # Computed from the logits, a confident wrong answer costs exactly its margin: 1e4 for each wrong
    # sigmoid entry (softplus(1e4) = 1e4) and 2e4 for each softmax row (logsumexp 1e4 minus a logit of
    # -1e4), not -log(0) = inf and not a clipped 36; the sigmoid's logits of 0 cost log 2.
    expected = (4 * 1e4 + 2 * math.log(2)) / 6 if output == "sigmoid" else 2e4
    assert value == pytest.approx(expected, rel=1e-12)
    assert all(np.isfinite(g).all() for g in grads.values())


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_a_confident_float32_network_puts_no_subnormal_float_in_forward_or_backward(output):
    # Issue 25: products with subnormal floats (below 1.2e-38 in float32) are tens of times slower, and a
    # confident network's outputs of about e^-100 used to fill backward with them, epoch after epoch.
    rng = np.random.default_rng(0)
    params = nn.init_params([4, 16, 3], "sigmoid", output, seed=0, dtype=np.float32)
    params["W1"] *= 60  # hidden pre-activations beyond -87, where a float32 sigmoid is subnormal
    params["W2"] *= 60  # logits 100 and more apart
    X = rng.standard_normal((64, 4)).astype(np.float32)
    Z = nn._forward(params, X)[1]["Z2"]
    Y = (Z > 0).astype(np.float32) if output == "sigmoid" else np.argmax(Z, axis=1)  # confident and right
    with np.errstate(under="ignore"):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        unflushed = np.exp(-np.logaddexp(0, -Z)) if output == "sigmoid" else E / E.sum(axis=1, keepdims=True)
    tiny, eps = np.finfo(np.float32).tiny, np.finfo(np.float32).eps

    def subnormal(A):
        return int(((A != 0) & (np.abs(A) < tiny)).sum())
    assert subnormal(unflushed) > 0  # the textbook formula does make them here
    Y_hat, cache = nn.forward(params, X)
    grads = nn.backward(params, cache, Y)
    assert {key: subnormal(A) for key, A in {**cache, **grads}.items()} == dict.fromkeys({**cache, **grads}, 0)
    kept = unflushed >= eps**2  # and what is not flushed is exactly the textbook output
    np.testing.assert_array_equal(Y_hat[kept], unflushed[kept])
    assert (Y_hat[~kept] == 0).all()


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_the_loss_from_logits_equals_the_loss_from_probabilities_where_both_are_finite(output):
    rng = np.random.default_rng(0)
    Z = 5 * rng.standard_normal((40, 3))  # logits up to about 15: probabilities far from 0 and 1 in float64
    if output == "sigmoid":
        Y = rng.integers(0, 2, (40, 3)).astype(float)
        P = 1 / (1 + np.exp(-Z))
        from_probabilities = -np.mean(Y * np.log(P) + (1 - Y) * np.log(1 - P))
    else:
        Y = np.eye(3)[rng.integers(0, 3, 40)]
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        from_probabilities = -np.mean(np.log(P[Y == 1]))
    assert nn._loss(Z, Y, output) == pytest.approx(from_probabilities, rel=1e-10)


def test_backward_and_update_name_the_array_that_overflowed():
    # They check all arrays in one pass (issue 25), and name the culprit only when that pass fails.
    params = nn.init_params([3, 4, 2], "identity", "linear", seed=0, dtype=np.float32)
    params["W1"][:] = 1e-37
    X, Y = np.full((64, 3), 3e37, np.float32), np.zeros((64, 2), np.float32)  # Z_1 about 9, dW_1 about 1e39
    _, cache = nn.forward(params, X)
    with pytest.raises(ValueError, match="the gradient of W1 overflowed"):
        nn.backward(params, cache, Y)
    grads = {key: np.zeros_like(params[key]) for key in nn.param_keys(params)}
    grads["b2"][:] = 3e38  # finite in float32; 10 times it is not
    with pytest.raises(ValueError, match="the updated b2 overflowed"):
        nn.update(params, grads, 10.0)
    grads["b2"][:] = 3e37
    assert np.isfinite(nn.update(params, grads, 10.0)["b2"]).all()


def test_nn_imports_numpy_and_the_standard_library_only():
    with open(nn.__file__) as source:
        tree = ast.parse(source.read())
    # the nodes inside a `try: import ... except ImportError`: optional imports
    optional = {id(node) for trying in ast.walk(tree) if isinstance(trying, ast.Try)
                if any(isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in trying.handlers)
                for statement in trying.body for node in ast.walk(statement)}

    def imported(nodes):
        names = {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names}
        return names | {node.module.split(".")[0] for node in nodes if isinstance(node, ast.ImportFrom) and node.module}
    nodes = list(ast.walk(tree))
    assert imported([node for node in nodes if id(node) not in optional]) - sys.stdlib_module_names == {"numpy"}
    assert imported([node for node in nodes if id(node) in optional]) == {"threadpoolctl"}  # _blas_threads


def test_nn_imports_and_trains_without_threadpoolctl(tmp_path):
    import subprocess
    script = ("import sys; sys.modules['threadpoolctl'] = None  # any import of it now raises ImportError\n"
              "import numpy as np, nn\n"
              "params, _ = nn.train(nn.init_params([2, 4, 1], 'tanh', 'linear', seed=0), np.eye(2), np.ones(2),"
              " epochs=2, log_every=None)\n"
              "with nn._blas_threads(1):\n    print(params['epochs'])\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=HERE, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.split() == ["2"], done.stderr


def test_blas_threads_limits_the_matrix_products_inside_and_restores_them_after():
    threadpoolctl = pytest.importorskip("threadpoolctl")

    def blas():
        return [pool["num_threads"] for pool in threadpoolctl.threadpool_info() if pool["user_api"] == "blas"]
    with threadpoolctl.threadpool_limits(limits=2, user_api="blas"):  # so that 1 inside is a change
        before = blas()
        if not before or set(before) != {2}:
            pytest.skip(f"NumPy's BLAS cannot be set to 2 threads here: {before}")
        with nn._blas_threads(1):
            assert set(blas()) == {1}
        assert blas() == before
        with pytest.raises(KeyboardInterrupt):  # restored however the block is left
            with nn._blas_threads(1):
                raise KeyboardInterrupt
        assert blas() == before


# Bad input: a ValueError that names the argument, what it got and what it expected


@pytest.fixture
def net():
    """A [3, 4, 2] ReLU network with sigmoid outputs, 5 samples, and matching 0/1 targets."""
    rng = np.random.default_rng(0)
    return nn.init_params([3, 4, 2], "relu", "sigmoid", seed=0), rng.standard_normal((5, 3)), rng.integers(0, 2, (5, 2))


def net_with_output(net, output):
    """The fixture's weights (init_params draws the same ones whatever the output) with another output."""
    return nn.init_params([3, 4, 2], "relu", output, seed=0), net[1]


@pytest.mark.parametrize("X, message", [
    (np.ones(3), r"X must be 2-D \(n_samples, n_features\); got shape \(3,\).*reshape\(1, -1\)"),
    (np.ones((5, 4)), r"X has shape \(5, 4\); the network expects \(n_samples >= 1, 3\) since W1 is \(3, 4\)"),
    (np.ones((0, 3)), r"X has shape \(0, 3\)"),
    (np.array([[1.0, np.nan, 0.0]]), r"X contains NaN or infinity \(first in row 0\)"),
    (np.array([[0.0, 0.0, 0.0], [1.0, np.inf, 0.0]]), r"X contains NaN or infinity \(first in row 1\)"),
    ([["a", "b", "c"]], r"X must be numeric; got dtype <U1 with values like \['a', 'b', 'c'\]"),
], ids=["1-D", "wrong features", "no samples", "NaN", "infinity", "strings"])
def test_forward_rejects_bad_X_with_a_clear_message(net, X, message):
    params, _, _ = net
    with pytest.raises(ValueError, match=message):
        nn.forward(params, X)


@pytest.mark.parametrize("Y, output, message", [
    (np.ones((4, 2)), "sigmoid", r"Y has shape \(4, 2\); expected \(5, 2\) to match the network's 2 outputs "
                                 r"and the 5 samples of X"),
    (np.ones((5, 3)), "sigmoid", r"Y has 3 columns; the network has 2 outputs"),
    (np.ones(5), "sigmoid", r"Y has shape \(5,\); expected \(5, 2\)"),
    (np.full((5, 2), np.nan), "linear", r"Y contains NaN or infinity"),
    (np.full((5, 2), 2.0), "sigmoid", r"sigmoid targets must lie in \[0, 1\]; got values from 2 to 2"),
    (np.array([0, 1, 2, 1, 0]), "softmax", r"softmax labels must lie in 0..1 for 2 outputs; got values from 0 to 2"),
    (np.array([0, 1, -1, 1, 0]), "softmax", r"softmax labels must lie in 0..1"),
    (np.array([0, 1, 0.5, 1, 0]), "softmax",
     r"softmax labels must be integers 0..1; got values like \[0.0, 1.0, 0.5\]"),
    (np.array([0, 1, 1, 0]), "softmax", r"Y has 4 labels; expected 5, one per sample of X"),
    (np.full((5, 2), 0.7), "softmax", r"softmax targets must be one-hot rows that sum to 1.*row 0 sums to 1.4"),
], ids=["samples", "outputs", "1-D for two outputs", "NaN", "sigmoid range", "label too big",
        "negative label", "fractional label", "label count", "rows not summing to 1"])
def test_loss_and_backward_reject_bad_targets_with_a_clear_message(net, Y, output, message):
    params, X = net_with_output(net, output)
    _, cache = nn.forward(params, X)
    with pytest.raises(ValueError, match=message):
        nn.loss(params, X, Y)
    with pytest.raises(ValueError, match=message):
        nn.backward(params, cache, Y)


def test_a_softmax_over_a_single_output_is_refused(net):
    with pytest.raises(ValueError, match=r"a softmax over 1 output is always 1.*output='sigmoid'"):
        nn.init_params([3, 4, 1], "relu", "softmax", seed=0)
    edited = {**nn.init_params([3, 4, 1], "relu", "sigmoid", seed=0), "output": "softmax"}  # by hand
    with pytest.raises(ValueError, match=r"a softmax over 1 output is always 1"):
        nn.forward(edited, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"a softmax over 1 output"):
        nn.train(edited, np.ones((2, 3)), np.array([0, 0]), epochs=1, log_every=None)


def test_whole_number_float_labels_are_accepted_for_softmax(net):
    params, X = net_with_output(net, "softmax")
    as_floats, as_ints = np.array([0.0, 1.0, 1.0, 0.0, 1.0]), np.array([0, 1, 1, 0, 1])
    assert nn.loss(params, X, as_floats) == nn.loss(params, X, as_ints)


@pytest.mark.parametrize("hidden, output, message", [
    ("gelu", "linear", r"hidden='gelu' is not a hidden activation; expected one of \['identity', 'relu', 'tanh', "
                       r"'sigmoid'\]"),
    ("linear", "linear", r"hidden='linear' is not a hidden activation.*a linear hidden layer is 'identity'"),
    ("relu", "identity", r"output='identity' is not an output; expected one of \['linear', 'sigmoid', 'softmax'\] "
                         r"\(a linear output is 'linear'\)"),
])
def test_unknown_activations_are_named(net, hidden, output, message):
    params, X, Y = net
    with pytest.raises(ValueError, match=message):
        nn.init_params([3, 4, 2], hidden, output)
    edited = {**params, "hidden": hidden, "output": output}  # names written into the dict by hand
    with pytest.raises(ValueError, match=r"params: " + message):
        nn.forward(edited, X)
    with pytest.raises(ValueError, match=message):
        nn.train(edited, X, Y, epochs=1, log_every=None)


@pytest.mark.parametrize("layer_sizes, shown", [
    ([3], r"\[3\]"), (3, r"3"), ([3, 0, 1], r"\[3, 0, 1\]"), ([3, -2, 1], r"\[3, -2, 1\]"),
    ([3, 2.5, 1], r"\[3, 2.5, 1\]"), ([3, True, 1], r"\[3, True, 1\]"),
])
def test_init_params_rejects_bad_layer_sizes(layer_sizes, shown):
    with pytest.raises(ValueError, match=r"layer_sizes must be a sequence \[n_in, ..., n_out\] of two or more "
                                         r"positive integers; got " + shown + "$"):
        nn.init_params(layer_sizes, "relu", "linear")


def test_init_params_refuses_a_dtype_other_than_float32_or_float64():
    with pytest.raises(ValueError, match=r"dtype must be np.float64 or np.float32; got <class 'numpy.float16'>"):
        nn.init_params([3, 4, 1], "relu", "linear", dtype=np.float16)


@pytest.mark.parametrize("argument, value, message", [
    ("lr", 0.0, r"lr must be a positive finite number; got 0.0"),
    ("lr", -0.1, r"lr must be a positive finite number; got -0.1"),
    ("lr", float("nan"), r"lr must be a positive finite number; got nan"),
    ("lr", float("inf"), r"lr must be a positive finite number; got inf"),
    ("lr", "0.1", r"lr must be a positive finite number; got '0.1'"),
    ("epochs", 0, r"epochs must be a positive integer; got 0"),
    ("epochs", 2.5, r"epochs must be a positive integer; got 2.5"),
    ("batch_size", 0, r"batch_size must be a positive integer; got 0"),
    ("batch_size", -32, r"batch_size must be a positive integer; got -32"),
    ("l2", -1.0, r"l2 must be a positive finite number; got -1.0"),
    ("l2", float("nan"), r"l2 must be a positive finite number; got nan"),
    ("optimizer", "rmsprop", r"optimizer='rmsprop' is not an optimizer; expected one of \['sgd', 'adam'\]"),
    ("schedule", "step", r"schedule must be None or 'cosine'; got 'step'"),
    ("momentum", 1.0, r"momentum must be a number in \[0, 1\), such as 0.9; got 1.0"),
    ("momentum", -0.1, r"momentum must be a number in \[0, 1\)"),
    ("momentum", 0.9, r"momentum=0.9 goes with optimizer='sgd'"),
    ("patience", 5, r"patience needs validation=\(X_val, Y_val\)"),
    ("patience", 0, r"patience must be a positive integer; got 0"),
    ("log_every", -1, r"log_every must be a positive integer; got -1"),
    ("validation", np.ones((5, 3)), r"validation must be a pair \(X_val, Y_val\); got ndarray"),
    ("validation", (np.ones((5, 2)), np.ones((5, 2))),
     r"X_val has shape \(5, 2\); the network expects \(n_samples >= 1, 3\)"),
    ("validation", (np.ones((5, 3)), np.ones((4, 2))), r"Y_val has shape \(4, 2\); expected \(5, 2\)"),
    ("validation", (np.ones((5, 3)), np.full((5, 2), 2.0)), r"sigmoid targets must lie in \[0, 1\]"),
    ("callback", "print", r"callback must be a function callback\(epoch, history, params\) or None"),
])
def test_train_rejects_bad_settings_by_name(net, argument, value, message):
    params, X, Y = net
    settings = {"epochs": 2, "lr": 0.1, "log_every": None, argument: value}
    with pytest.raises(ValueError, match=message):
        nn.train(params, X, Y, **settings)


def test_update_rejects_a_bad_learning_rate_and_mismatched_grads(net):
    params, _, _ = net
    grads = {k: np.zeros_like(params[k]) for k in arrays(params)}
    with pytest.raises(ValueError, match=r"lr must be a positive finite number; got -1"):
        nn.update(params, grads, -1)
    with pytest.raises(ValueError, match=r"grads\['W2'\] must be a float array of shape \(4, 2\), as backward returns it; got float64 \(2, 4\)"):
        nn.update(params, {**grads, "W2": np.zeros((2, 4))}, 0.1)
    with pytest.raises(ValueError, match=r"grads must have the keys \['W1', 'b1', 'W2', 'b2'\], as backward returns "
                                         r"them; got \['W1'\]"):
        nn.update(params, {"W1": grads["W1"]}, 0.1)


@pytest.mark.parametrize("change, message", [
    (lambda p: p.pop("b2"), r"params must hold W1, b1, ..., WD, bD beside 'hidden' and 'output'; "
                            r"got keys \['W1', 'W2', 'b1', 'epochs', 'hidden', 'output'\]"),
    (lambda p: p.update(W2=np.ones((5, 2))), r"params: W2 has 5 rows but layer 1 has 4 units; the layers do not chain"),
    (lambda p: p.update(b1=np.ones(3)),
     r"params: W1 must be a 2-D array \(n_in, n_out\) and b1 a 1-D array \(n_out,\), neither empty; "
     r"got W1 \(3, 4\) and b1 \(3,\)"),
    (lambda p: p.update(W3=np.ones((2, 1))), r"params must hold W1, b1, ..., WD, bD beside 'hidden' and 'output'"),
    (lambda p: p.update(W2=p["W2"].astype(np.float32)),
     r"params: every array must be float64 \(or every one float32\); got W2 float32 and b2 float64 with W1 float64"),
], ids=["missing b2", "W2 does not chain", "b1 wrong size", "W3 without b3", "float32 beside float64"])
def test_params_whose_keys_shapes_or_dtypes_do_not_chain_are_refused(net, change, message):
    params, X, _ = net
    change(params)
    with pytest.raises(ValueError, match=message):
        nn.forward(params, X)


def test_backward_refuses_a_cache_from_another_network(net):
    params, X, Y = net
    _, other_cache = nn.forward(nn.init_params([3, 6, 2], "relu", "sigmoid", seed=0), X)
    with pytest.raises(ValueError, match=r"cache\['A1'\] must be a float64 array of shape \(n, 4\) for these params; "
                                         r"got \{'A0': \(5, 3\), 'A1': \(5, 6\), 'A2': \(5, 2\), 'Z2': \(5, 2\)\}. "
                                         r"Pass the cache that forward returned for these params"):
        nn.backward(params, other_cache, Y)
    with pytest.raises(ValueError, match=r"cache\['A1'\] must be a float64 array of shape \(n, 4\)"):
        nn.backward(params, {"A0": X}, Y)


def test_train_stops_with_a_clear_error_when_the_loss_diverges(capsys):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 3)) * 100, rng.standard_normal(50) * 1000  # raw: train standardises them
    # No warning either (the module makes any warning, an overflow's RuntimeWarning too, an error).
    with pytest.raises(ValueError, match=r"the loss became (inf|nan) at epoch \d+ \(lr=10\.0\): training "
                                         r"diverged. Try a 10 times smaller lr$"):
        nn.train(nn.init_params([3, 8, 1], "relu", "linear", seed=0), X, y, epochs=1000, lr=10.0,
                 batch_size=None, optimizer="sgd", log_every=1)
    assert "nan" not in capsys.readouterr().out


@pytest.mark.parametrize("hidden", HIDDENS)
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("scale", [1e-150, 1e6, 1e50])
def test_huge_and_tiny_inputs_and_weights_stay_finite_and_silent(hidden, output, scale):
    params, X, Y = make_problem(hidden, output, DEPTHS["three hidden layers"])
    X = X * scale
    params = {k: v * 1e3 if k == "W1" else v for k, v in params.items()}  # and weights far from init
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        _, cache = nn.forward(params, X)
        value = nn.loss(params, X, Y)
        grads = nn.backward(params, cache, Y)
    assert math.isfinite(value)
    assert all(np.isfinite(g).all() for g in grads.values())


@pytest.mark.parametrize("output", OUTPUTS)
def test_predict_refuses_to_turn_nan_outputs_into_labels(net, output):
    params, X = net_with_output(net, output)
    params["W2"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"params\['W2'\] contains NaN or infinity \(did training diverge\?\)"):
        nn.predict(untracked(params), X)


def test_the_same_seed_gives_bit_identical_training():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((100, 3))
    y = np.argmax(X @ rng.standard_normal((3, 3)), axis=1)  # 3 classes a small network can learn

    def run(seed):
        params = nn.init_params([3, 8, 3], "tanh", "softmax", seed=seed)
        return nn.train(params, X, y, epochs=20, lr=0.01, batch_size=16, optimizer="adam", schedule="cosine",
                        seed=seed, log_every=None)

    (p1, h1), (p2, h2), (p3, _) = run(7), run(7), run(8)
    assert {k: v for k, v in h1.items() if k != "state"} == {k: v for k, v in h2.items() if k != "state"}
    for name in ("theta", "m", "v"):  # what resume would continue from, too
        assert np.array_equal(h1["state"][name], h2["state"][name]), name
    assert all(np.array_equal(p1[k], p2[k]) for k in arrays(p1))
    assert not np.array_equal(p1["W1"], p3["W1"])


def test_validation_does_not_copy_a_float64_X(net):
    params, X, _ = net
    _, cache = nn.forward(params, X)
    assert cache["A0"] is X


@pytest.mark.parametrize("layer_sizes", [np.array([3, 4, 2]), (3, 4, 2), range(3, 5), [np.int64(3), 4, 2]],
                         ids=["array", "tuple", "range", "numpy ints"])
def test_init_params_takes_any_sequence_of_ints(layer_sizes):
    params = nn.init_params(layer_sizes, "tanh", "linear", seed=0)
    sizes = list(layer_sizes)
    assert [params[f"W{l}"].shape for l in range(1, len(sizes))] == list(zip(sizes[:-1], sizes[1:]))


@pytest.mark.parametrize("Y, output, message", [
    (np.array(["cat", "dog", "cat", "dog", "cat"]), "softmax",
     r"Y must be numeric; got dtype <U3 with values like \['cat', 'dog', 'cat'\]. Pass integer labels 0..k-1.*"
     r"np.unique\(y, return_inverse=True\)"),
    (np.array([1, 2, 1, 2, 2]), "softmax",
     r"softmax labels must lie in 0..1 for 2 outputs; got values from 1 to 2. Labels start at 0: .* y - 1"),
    (np.array([0, 5, 1, 1, 0]), "softmax", r"got values from 0 to 5.*np.unique\(y, return_inverse=True\), "
                                           r"and give the network one output per class"),
    (np.array([[-1, 1], [1, -1], [1, 1], [-1, -1], [1, 1]]), "sigmoid",
     r"sigmoid targets must lie in \[0, 1\]; got values from -1 to 1. Two classes are the labels 0 and 1.*"
     r"\(y == positive_class\).astype\(int\)"),
    (np.array([[1, 2], [2, 1], [1, 1], [2, 2], [1, 1]]), "sigmoid", r"got values from 1 to 2. Two classes"),
    (np.array([["a", "b"]] * 5), "sigmoid", r"Y must be numeric; got dtype <U1.*\(y == positive_class\)"),
], ids=["strings for softmax", "labels 1..k", "labels past k", "-1/+1 for sigmoid", "1/2 for sigmoid",
        "strings for sigmoid"])
def test_label_mistakes_are_refused_with_their_fix(net, Y, output, message):
    params, X = net_with_output(net, output)
    _, cache = nn.forward(params, X)
    with pytest.raises(ValueError, match=message):
        nn.backward(params, cache, Y)


# float32: every array the network touches keeps it; the gradient check still runs in float64


def test_a_float32_network_stays_float32_through_forward_train_and_predict():
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0, dtype=np.float32)
    assert all(params[k].dtype == np.float32 for k in arrays(params))
    Y_hat, cache = nn.forward(params, X)  # a float64 X is converted to the network's dtype
    assert Y_hat.dtype == np.float32 and cache["A0"].dtype == np.float32
    assert all(g.dtype == np.float32 for g in nn.backward(params, cache, y).values())
    trained, history = nn.train(params, X, y, epochs=20, lr=0.01, seed=0, log_every=None)
    assert all(trained[k].dtype == np.float32 for k in arrays(trained))
    assert history["loss"][-1] < 0.9 * history["loss"][0]
    assert nn.predict_proba(trained, X).dtype == np.float32


def test_the_gradient_check_of_a_float32_network_runs_in_float64_and_passes():
    params, X, Y = make_problem("tanh", "sigmoid", DEPTHS["one hidden layer"])
    params32 = {k: v.astype(np.float32) if isinstance(v, np.ndarray) else v for k, v in params.items()}
    errors = nn.gradient_check(params32, X, Y, h=H)
    assert max(errors.values()) < 1e-6, errors  # in float32 the rounding alone would be ~1e-2 here
    assert params32["W1"].dtype == np.float32  # the check worked on a copy


# Saving and loading: the file carries the activations, and nothing is pickled


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("hidden, output", [("tanh", "sigmoid"), ("identity", "softmax"), ("relu", "linear"),
                                            ("sigmoid", "sigmoid")])
def test_save_then_load_keeps_everything_a_prediction_needs(tmp_path, hidden, output, dtype):
    params, X, Y = make_problem(hidden, output, DEPTHS["one hidden layer"], n=7)
    params = {k: v.astype(dtype) if isinstance(v, np.ndarray) else v for k, v in params.items()}
    params, _ = nn.train(params, X, Y, epochs=2, seed=0, log_every=None)  # with its statistics and epochs
    params["feature_names"] = ("age", "height", "weight")  # what train stores for a DataFrame
    stats = ["x_mean", "x_std"] + (["y_mean", "y_std"] if output == "linear" else [])
    assert all(params[name].dtype == np.float64 for name in stats) and params["epochs"] == 2
    nn.save_params(tmp_path / "model", params)  # a path without .npz gets it, as with np.savez
    assert os.listdir(tmp_path) == ["model.npz"]
    loaded = nn.load_params(tmp_path / "model")
    assert (loaded["hidden"], loaded["output"], loaded["epochs"]) == (hidden, output, 2)
    assert loaded["feature_names"] == ("age", "height", "weight")
    assert set(loaded) == set(params)
    assert all(loaded[k].dtype == dtype and np.array_equal(loaded[k], params[k]) for k in arrays(params))
    assert all(loaded[k].dtype == np.float64 and np.array_equal(loaded[k], params[k]) for k in stats)
    assert np.array_equal(nn.predict(loaded, X), nn.predict(params, X))
    with np.load(tmp_path / "model.npz", allow_pickle=False) as data:  # every entry is a plain array
        assert sorted(data.files) == sorted(["W1", "W2", "b1", "b2", "epochs", "feature_names", "hidden", "output",
                                             *stats, "format_version", "layers", "checksums"])
        assert {data[name].dtype.kind for name in data.files} == {"f", "i", "U"}


def test_a_file_written_by_the_previous_save_params_loads_and_predicts_the_same(tmp_path):
    params, X, _ = make_problem("tanh", "sigmoid", DEPTHS["one hidden layer"])
    path = tmp_path / "old.npz"
    np.savez(path, hidden=np.array("tanh"), output=np.array("sigmoid"),  # how the previous version wrote it,
             input_mean=np.zeros(3), input_std=np.ones(3),  # with the input statistics train recorded then
             **{k: params[k] for k in arrays(params)})
    loaded = nn.load_params(path)
    assert (loaded["hidden"], loaded["output"]) == ("tanh", "sigmoid")
    assert not {"feature_names", "epochs", "input_mean", "input_std", "x_mean"} & set(loaded)
    assert np.array_equal(nn.predict_proba(loaded, X), nn.predict_proba(untracked(params), X))


def test_a_file_of_weights_only_is_refused_and_the_fix_in_the_message_works(tmp_path):
    params, X, _ = make_problem("relu", "sigmoid", DEPTHS["one hidden layer"])
    path = tmp_path / "weights.npz"
    np.savez(path, **{k: params[k] for k in arrays(params)})  # np.savez of the arrays alone
    with pytest.raises(ValueError, match=r"weights.npz does not say which activations its network uses") as error:
        nn.load_params(path)
    assert "params['hidden']" in str(error.value) and "nn.save_params(path, params)" in str(error.value)
    named = dict(np.load(path))  # the fix, as the message spells it
    named["hidden"] = "relu"
    named["output"] = "sigmoid"
    nn.save_params(path, named)
    assert np.array_equal(nn.predict_proba(nn.load_params(path), X), nn.predict_proba(untracked(params), X))


def test_load_params_refuses_an_activation_it_does_not_know(tmp_path):
    path = tmp_path / "gelu.npz"
    params = nn.init_params([3, 4, 1], "relu", "linear", seed=0)
    np.savez(path, hidden=np.array("gelu"), output=np.array("linear"), **{k: params[k] for k in arrays(params)})
    with pytest.raises(ValueError, match=r"the file .*gelu.npz: hidden='gelu' is not a hidden activation"):
        nn.load_params(path)


def test_load_params_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, W1=np.array([{"not": "an array"}], dtype=object), b1=np.zeros(1))
    with pytest.raises(ValueError, match=r"evil.npz holds pickled objects in 'W1', which load_params refuses to "
                                         r"unpickle"):
        nn.load_params(path)


def test_load_params_refuses_a_pickle_file(tmp_path):
    import pickle
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"W1": np.ones((2, 2))}))
    with pytest.raises(ValueError, match=r"evil.pkl is a pickle, which load_params never unpickles \(it could run "
                                         r"code\), not a network that save_params wrote"):
        nn.load_params(path)


def test_load_params_reports_missing_keys(tmp_path):
    path = tmp_path / "partial.npz"
    np.savez(path, hidden=np.array("relu"), output=np.array("linear"), W1=np.ones((3, 4)), b1=np.ones(4),
             W2=np.ones((4, 1)))
    with pytest.raises(ValueError, match=r"partial.npz: W2 \(4, 1\) and no b2 do not make layer 2 of a network"):
        nn.load_params(path)


def test_load_params_refuses_a_single_npy_array(tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.ones(3))
    with pytest.raises(ValueError, match=r"one.npy is a single .npy array, not a network that save_params wrote"):
        nn.load_params(path)


# predict_proba, in scikit-learn's shapes


def test_predict_proba_of_one_sigmoid_output_gives_two_columns_p0_and_p1(net):
    params = untracked(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0))
    X = net[1]
    P = nn.predict_proba(params, X)
    p1, _ = nn.forward(params, X)
    assert P.shape == (5, 2)
    np.testing.assert_array_equal(P[:, 1], p1[:, 0])
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-15)
    assert np.array_equal(P.argmax(axis=1), nn.predict(params, X))


def test_a_sigmoid_output_of_exactly_one_half_is_label_0_as_predict_probas_argmax_says(net):
    params = untracked(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0))
    params["W2"][:] = 0.0  # a logit of 0 for every sample: P(1) = 0.5 exactly
    X = net[1]
    P = nn.predict_proba(params, X)
    assert (P == 0.5).all()
    assert nn.predict(params, X).tolist() == P.argmax(axis=1).tolist() == [0] * 5  # scikit-learn says 0 too


def test_predict_proba_of_several_sigmoid_outputs_gives_independent_columns(net):
    params, X, _ = net
    P = nn.predict_proba(untracked(params), X)
    assert P.shape == (5, 2)
    np.testing.assert_array_equal(P, nn.forward(params, X)[0])
    assert not np.allclose(P.sum(axis=1), 1.0)  # multi-label: the columns need not add up


def test_predict_proba_of_softmax_gives_rows_that_sum_to_one_and_argmax_is_predict():
    params = untracked(nn.init_params([3, 6, 4], "relu", "softmax", seed=0))
    X = np.random.default_rng(2).standard_normal((9, 3))
    P = nn.predict_proba(params, X)
    assert P.shape == (9, 4)
    np.testing.assert_allclose(P.sum(axis=1), 1.0, rtol=1e-14)
    assert np.array_equal(P.argmax(axis=1), nn.predict(params, X))


def test_predict_proba_refuses_a_linear_output(net):
    params, X = net_with_output(net, "linear")
    with pytest.raises(ValueError, match=r"predict_proba needs a network with output 'sigmoid' or 'softmax'; "
                                         r"this one's output is 'linear'.*use predict"):
        nn.predict_proba(params, X)


# Training you can trust: momentum, validation, early stopping, and one implementation of the math


def test_momentum_matches_a_hand_written_reference_step_for_step():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    mu, lr, epochs = 0.9, 0.05, 10
    trained, _ = nn.train(params, X, Y, epochs=epochs, lr=lr, batch_size=None, optimizer="sgd", momentum=mu, l2=0.0,
                          standardize=False, log_every=None)  # the optimizer alone, on the data as given
    theta = dict(params)
    velocity = {k: np.zeros_like(params[k]) for k in arrays(params)}
    for _ in range(epochs):  # v <- mu v + g, theta <- theta - lr v, written out per array
        _, cache = nn.forward(theta, X)
        grads = nn.backward(theta, cache, Y)
        for k in arrays(params):
            velocity[k] = mu * velocity[k] + grads[k]
            theta[k] = theta[k] - lr * velocity[k]
    for k in arrays(params):
        np.testing.assert_allclose(trained[k], theta[k], rtol=1e-13, atol=1e-15)
    without_momentum = nn.train(params, X, Y, epochs=epochs, lr=lr, batch_size=None, optimizer="sgd", l2=0.0,
                                standardize=False, log_every=None)[0]
    assert not np.allclose(trained["W1"], without_momentum["W1"])


def test_the_momentum_step_given_the_same_gradient_twice_moves_lr_g_then_1_9_lr_g():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X)
    grads = nn.backward(params, cache, Y)
    for k in arrays(params):
        theta, velocity = params[k].copy(), np.zeros_like(params[k])
        nn._momentum_step(theta, grads[k], velocity, 0.1, 0.9)  # v = g
        nn._momentum_step(theta, grads[k], velocity, 0.1, 0.9)  # v = 0.9 g + g = 1.9 g
        np.testing.assert_allclose(velocity, 1.9 * grads[k], rtol=1e-15)
        np.testing.assert_allclose(theta, params[k] - 0.1 * grads[k] - 0.1 * 1.9 * grads[k], rtol=1e-13)


def standardised_loss(params, X, y):
    """The loss train's history gives for a network with one linear output: on standardised targets,
    so nn.loss's mean squared error in y's units divided by the training targets' variance."""
    return nn.loss(params, X, y) / float(params["y_std"][0]) ** 2


def overfitting_problem():
    """Few noisy samples and a wide network: the validation loss falls, then rises."""
    rng = np.random.default_rng(3)
    X = rng.uniform(-1, 1, (60, 2))
    y = np.sin(3 * X[:, 0]) + 0.5 * rng.standard_normal(60)
    X_val = rng.uniform(-1, 1, (200, 2))
    y_val = np.sin(3 * X_val[:, 0]) + 0.5 * rng.standard_normal(200)
    return nn.init_params([2, 64, 64, 1], "tanh", "linear", seed=0), X, y, X_val, y_val


def test_early_stopping_stops_and_returns_the_params_with_the_lowest_validation_loss():
    params, X, y, X_val, y_val = overfitting_problem()
    best, history = nn.train(params, X, y, epochs=3000, lr=0.01, batch_size=None, validation=(X_val, y_val),
                             patience=50, log_every=None)
    val = history["val_loss"]
    assert len(history["loss"]) == len(val) < 3000  # it stopped
    lowest = int(np.argmin(val))
    assert history["best_epoch"] == lowest + 1  # epochs count from 1
    assert len(val) - history["best_epoch"] == 50  # 50 epochs without improvement, then stop
    assert val[-1] > val[lowest]  # the last params were worse, and are not the ones returned
    assert standardised_loss(best, X_val, y_val) == pytest.approx(val[lowest], rel=1e-12)
    assert history["ended"].startswith(f"stopped early after epoch {len(val)}: the validation loss had not "
                                       f"improved for 50 epochs; returning the params of epoch {lowest + 1}")


def test_without_patience_validation_is_watched_every_epoch_and_all_epochs_run():
    params, X, y, X_val, y_val = overfitting_problem()
    last, history = nn.train(params, X, y, epochs=40, lr=0.01, batch_size=16, validation=(X_val, y_val), seed=0,
                             log_every=None)
    assert len(history["loss"]) == len(history["val_loss"]) == 40
    assert standardised_loss(last, X_val, y_val) == pytest.approx(history["val_loss"][-1], rel=1e-12)
    assert history["best_epoch"] == int(np.argmin(history["val_loss"])) + 1


def test_the_callback_receives_a_copy_of_the_current_params_it_can_score():
    params, X, y, X_val, y_val = overfitting_problem()
    seen = {}

    def score(epoch, history, current):
        seen[epoch] = (standardised_loss(current, X_val, y_val), current)

    final, history = nn.train(params, X, y, epochs=30, lr=0.01, batch_size=None, validation=(X_val, y_val),
                              log_every=None, callback=score)
    assert sorted(seen) == list(range(1, 31))
    assert all(seen[epoch][0] == pytest.approx(history["val_loss"][epoch - 1], rel=1e-12) for epoch in seen)
    assert np.array_equal(seen[30][1]["W1"], final["W1"])
    assert not np.array_equal(seen[1][1]["W1"], final["W1"])  # a copy, not a view that kept changing


@pytest.mark.parametrize("optimizer, momentum, l2, schedule", [
    ("sgd", 0.0, 0.0, None), ("sgd", 0.9, 0.01, "cosine"), ("adam", 0.0, 0.01, None), ("adam", 0.0, 0.0, "cosine"),
], ids=["sgd", "momentum, l2, cosine", "adam, l2", "adam, cosine"])
def test_trains_unchecked_loop_is_bit_identical_to_the_checked_public_functions(optimizer, momentum, l2, schedule):
    params, X, Y = make_problem("tanh", "softmax", DEPTHS["three hidden layers"], n=20)
    epochs, batch_size, lr = 6, 8, 0.05
    trained, history = nn.train(params, X, Y, epochs=epochs, lr=lr, batch_size=batch_size, optimizer=optimizer,
                                momentum=momentum, l2=l2, schedule=schedule, seed=4, standardize=False,
                                log_every=None)
    rng, p = np.random.default_rng(4), params  # the same batches, through the public functions
    m = {k: np.zeros_like(p[k]) for k in arrays(p)}  # Adam's first moment, or momentum's velocity
    v = {k: np.zeros_like(p[k]) for k in arrays(p)}  # Adam's second moment
    t = 0
    for epoch in range(1, epochs + 1):
        rate = lr if schedule is None else nn.cosine_lr(lr, epoch - 1, epochs)
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            Xb, Yb = X[rows], Y[rows]
            _, cache = nn.forward(p, Xb)
            grads = nn.backward(p, cache, Yb)
            grads = {k: g + l2 * p[k] if k[0] == "W" else g for k, g in grads.items()} if l2 else grads
            t += 1
            if optimizer == "sgd" and not momentum:
                p = nn.update(p, grads, rate)
                continue
            p = {**p, **{k: p[k].copy() for k in arrays(p)}}  # Part 1's steps work in place
            for k in arrays(p):
                if optimizer == "adam":
                    nn._adam_step(p[k], grads[k], m[k], v[k], t, rate)
                else:
                    nn._momentum_step(p[k], grads[k], m[k], rate, momentum)
    assert all(np.array_equal(trained[k], p[k]) for k in arrays(params))
    assert len(history["loss"]) == epochs


@pytest.mark.parametrize("optimizer, lr, momentum, l2", [("sgd", 0.5, 0.0, 0.0), ("sgd", 0.05, 0.9, 0.01),
                                                         ("adam", 0.05, 0.0, 0.01)],
                         ids=["sgd", "momentum, l2", "adam, l2"])
@pytest.mark.parametrize("output", OUTPUTS)
def test_train_returns_the_params_of_part_1s_plain_loop_to_rounding(optimizer, lr, momentum, l2, output):
    params, X, Y = make_problem("tanh", output, DEPTHS["three hidden layers"], n=30)
    Y2 = np.eye(3)[Y] if output == "softmax" else Y  # the plain loop takes Y as (n, k), one-hot rows
    # 4 epochs of 4 steps: random targets leave little to learn, and the learned-nothing check waits for 5
    settings = dict(epochs=4, lr=lr, batch_size=8, optimizer=optimizer, momentum=momentum, l2=l2, seed=3)
    trained, history = nn.train(params, X, Y, standardize=False, log_every=None, **settings)
    plain, plain_history = nn._plain_train(params, X, Y2, **settings)
    for k in arrays(params):
        np.testing.assert_allclose(trained[k], plain[k], rtol=1e-12, atol=1e-14, err_msg=k)
    np.testing.assert_allclose(history["loss"], plain_history["loss"], rtol=1e-12)
    assert trained["epochs"] == plain["epochs"] == 4
    assert not np.allclose(plain["W1"], params["W1"])  # both really trained


def test_train_leaves_the_params_passed_in_untouched():
    X, y = separable()
    params = nn.init_params([3, 5, 1], "relu", "sigmoid", seed=0)
    before = {k: params[k].copy() for k in arrays(params)}
    trained, _ = nn.train(params, X, y, epochs=3, lr=0.01, seed=0, log_every=None)
    assert all(np.array_equal(params[k], before[k]) for k in arrays(params))
    assert not np.array_equal(trained["W1"], params["W1"])


# Issue 12: one dict is the whole network, so no plausible mistake gives a silently wrong number.
# Each test starts from the mistake itself.


@pytest.mark.parametrize("call", [
    lambda p, X, y, path: nn.forward(p, X, "relu", "sigmoid"),
    lambda p, X, y, path: nn.predict(p, X, "relu", "sigmoid"),
    lambda p, X, y, path: nn.predict_proba(p, X, "relu", "sigmoid"),
    lambda p, X, y, path: nn.loss(p, X, y, "sigmoid"),
    lambda p, X, y, path: nn.backward(p, nn.forward(p, X)[1], y, "relu", "sigmoid"),
    lambda p, X, y, path: nn.train(p, X, y, "relu", "sigmoid", epochs=1, log_every=None),
    lambda p, X, y, path: nn.save_params(path, p, "relu", "sigmoid"),
], ids=["forward", "predict", "predict_proba", "loss", "backward", "train", "save_params"])
def test_the_wrong_activation_cannot_be_passed_positionally(tmp_path, call):
    params = nn.init_params([3, 4, 1], "tanh", "linear", seed=0)  # the names "relu", "sigmoid" are wrong for it
    X, y = separable(n=5)
    with pytest.raises(TypeError, match=r"takes \d positional arguments but \d (positional arguments .*)?were given"):
        call(params, X, y, tmp_path / "unused")
    assert not os.listdir(tmp_path)


@pytest.mark.parametrize("call", [
    lambda p, X, y: nn.forward(p, X, hidden="relu"),
    lambda p, X, y: nn.predict(p, X, output="sigmoid"),
    lambda p, X, y: nn.train(p, X, y, hidden="relu", epochs=1, log_every=None),
    lambda p, X, y: nn.train(p, X, y, output="sigmoid", epochs=1, log_every=None),
], ids=["forward", "predict", "train hidden", "train output"])
def test_the_wrong_activation_cannot_be_passed_by_keyword(call):
    params = nn.init_params([3, 4, 1], "tanh", "linear", seed=0)
    X, y = separable(n=5)
    with pytest.raises(TypeError, match=r"unexpected keyword argument '(hidden|output)'"):
        call(params, X, y)


def test_calls_in_the_previous_versions_style_are_refused_not_misread():
    params, X, Y = make_problem("tanh", "sigmoid", DEPTHS["one hidden layer"])
    Y_hat, _ = nn.forward(params, X)
    with pytest.raises(TypeError, match=r"missing 1 required positional argument: 'output'"):
        nn.init_params([3, 4, 2], "tanh", seed=0)  # init_params(sizes, hidden, seed=...) was the old form
    with pytest.raises(ValueError, match=r"params must be the dict init_params, train or load_params returns; "
                                         r"got ndarray"):
        nn.loss(Y_hat, Y, "sigmoid")  # loss(Y_hat, Y, output) was the old form
    with pytest.raises(ValueError, match=r"h must be a positive finite number; got 'tanh'"):
        nn.gradient_check(params, X, Y, "tanh", "sigmoid")  # gradient_check(params, X, Y, hidden, output)


def test_the_trained_params_carry_their_names_into_predict_and_the_callback():
    X, y = separable()
    names = []
    trained, _ = nn.train(nn.init_params([3, 4, 1], "relu", "sigmoid", seed=0), X, y, epochs=5, lr=0.05, seed=0,
                          log_every=None, callback=lambda e, h, p: names.append((p["hidden"], p["output"])))
    assert (trained["hidden"], trained["output"]) == ("relu", "sigmoid")
    assert names == [("relu", "sigmoid")] * 5
    assert set(nn.predict(trained, X)) <= {0, 1}


def paste_fix(message, target, **names):
    """Run the fix a message spells, from its last `target = ` (target "X", or "X['when']") to the end of
    the statement (a '; ' or the text after it ends it), with np and pd and `names` defined; return the
    namespace, changed as the fix changes it."""
    rest = message[message.rindex(f"{target} = "):].split("; ")[0]
    fix = next(rest[:end] for end in range(len(rest), 0, -1) if _compiles(rest[:end]))
    exec(fix, {"np": np, "pd": pytest.importorskip("pandas")}, names)
    return names


def _compiles(text):
    try:
        compile(text, "<fix>", "exec")
        return True
    except SyntaxError:
        return False


def test_a_dataframe_network_names_reordered_or_renamed_columns_and_the_pasted_fix_predicts_as_in_training(tmp_path):
    pd = pytest.importorskip("pandas")
    X, y = separable()
    frame = pd.DataFrame(X, columns=["age", "height", "weight"])
    params, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), frame, y, epochs=20, lr=0.01,
                         seed=0, log_every=None)
    assert params["feature_names"] == ("age", "height", "weight")
    nn.save_params(tmp_path / "model", params)
    loaded = nn.load_params(tmp_path / "model")
    expected = nn.predict_proba(params, X)
    for network in (params, loaded):
        for wrong, says in ((frame[["height", "age", "weight"]], r"X has the training columns in another order "
                                                                  r"\(first: 'height' where training had 'age'\)"),
                            (frame.rename(columns={"age": "years"}),
                             r"X has renamed columns: it has 'age' as 'years'")):
            with pytest.raises(ValueError, match=says) as error:
                nn.predict(network, wrong)
            fixed = paste_fix(str(error.value), "X", X=wrong, params=network)["X"]
            assert np.array_equal(nn.predict_proba(network, fixed), expected)
        # The same columns in the same order: the numbers of the plain array.
        assert np.array_equal(nn.predict_proba(network, frame), expected)
    with pytest.raises(ValueError, match=r"X_val has the training columns in another order") as error:
        nn.train(params, frame, y, epochs=1, log_every=None, validation=(frame[["weight", "height", "age"]], y))
    fixed = paste_fix(str(error.value), "X_val", X_val=frame[["weight", "height", "age"]], X=frame)["X_val"]
    assert list(fixed.columns) == ["age", "height", "weight"]


# Issue 12: data that trains without error but badly warns, once per call, and says how to fix it


def scale_warnings(call):
    """Run call() and return the messages of the ScaleWarnings it raised, every one of them."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught if issubclass(w.category, nn.ScaleWarning)]


def train_quietly(params, X, y, **settings):
    return lambda: nn.train(params, X, y, **{"epochs": 5, "lr": 0.01, "seed": 0, "log_every": None, **settings})


def column_targets():
    X, y = separable()
    return train_quietly(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y[:, None])


def adam_at_lr_100():
    X, y = separable()
    return train_quietly(nn.init_params([3, 8, 1], "tanh", "sigmoid", seed=0), X, y, epochs=20, lr=100.0)


def relu_at_lr_1():
    X, _ = separable(n=200)
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    y = (y - y.mean()) / y.std()  # scaled by hand: it still works, and the fold is then near the identity
    return train_quietly(nn.init_params([3, 8, 8, 1], "relu", "linear", seed=0, init="he"), X, y, epochs=100, lr=1.0,
                         batch_size=None)


def validation_set_is_the_training_set():
    X, y = separable()
    return train_quietly(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, validation=(X, y))


def scaled_network(centred=False):
    """A network trained on raw features (in the thousands, or already centred with a small spread, as
    scikit-learn's diabetes data are), its raw test part, and that part standardised by hand with the
    training part's statistics: the scaling step nobody needs any more, done anyway."""
    rng = np.random.default_rng(0)
    X_raw = rng.normal(0, 0.05, (140, 3)) if centred else rng.normal(1000, 200, (140, 3))
    y = (X_raw[:, 0] > X_raw[:, 1]).astype(np.int64)
    params, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X_raw[:100], y[:100],
                         epochs=20, lr=0.01, seed=0, log_every=None)
    mean, std = X_raw[:100].mean(axis=0), X_raw[:100].std(axis=0)
    return params, X_raw[100:], (X_raw[100:] - mean) / std


def hand_scaled_test_set():
    params, _, X_test_scaled = scaled_network()
    return lambda: nn.predict(params, X_test_scaled)


def centred_test_set_standardised_with_its_own_statistics():
    params, X_test, _ = scaled_network(centred=True)
    X_test = (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)  # means stay at 0: only the spread tells
    return lambda: nn.predict(params, X_test)


def result_of_train_dropped():
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nn.ScaleWarning)
        nn.train(params, X, y, epochs=5, lr=0.01, seed=0, log_every=None)  # the returned network dropped
    return lambda: nn.predict(params, X)


@pytest.mark.parametrize("mistake, kind, fix", [
    (column_targets, "y is a column (n, 1)", "pass y.ravel()"),
    (adam_at_lr_100, "training learned (almost) nothing", "a learning rate far too large (try lr=0.001)"),
    (relu_at_lr_1, "training learned (almost) nothing", "ReLU units that died"),
    (validation_set_is_the_training_set, "validation=(X_val, y_val) holds the training data itself",
     "Hold a part out"),
    (hand_scaled_test_set, "X is on another scale from the data the network was trained on (column ",
     "pass it as it was, without scaling it"),
    (centred_test_set_standardised_with_its_own_statistics,
     "X is on another scale from the data the network was trained on (every column has mean 0 and spread 1",
     "pass it as it was, without scaling it"),
    (result_of_train_dropped, "this network has never been trained", "params, history = nn.train(params, X, y)"),
], ids=["column y for one output", "adam at lr 100", "relu at lr 1", "validation set is the training set",
        "test X scaled by hand", "centred test X standardised by its own statistics",
        "result of train dropped"])
def test_a_scale_mistake_warns_once_per_call_and_names_its_fix(mistake, kind, fix):
    call = mistake()
    for _ in range(2):  # every call warns (not only the first), and once (not once an epoch or a batch)
        of_this_kind = [m for m in scale_warnings(call) if m.startswith(kind)]
        assert len(of_this_kind) == 1, of_this_kind
        assert fix in of_this_kind[0]


@pytest.mark.parametrize("mistake", [column_targets, hand_scaled_test_set], ids=["in train", "in predict"])
def test_a_scale_warning_points_at_the_callers_line_not_into_nn_py(mistake):
    call = mistake()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    assert caught and all(w.filename == __file__ for w in caught), [(w.filename, w.lineno) for w in caught]


def test_the_dead_relu_network_of_the_warning_test_is_really_dead():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", nn.ScaleWarning)  # the warning itself is tested above
        params, history = relu_at_lr_1()()
    X, _ = separable(n=200)
    rows = nn.look_inside(params, X, np.zeros(200))
    assert rows[1]["dead"] == 1.0  # every unit of the second hidden layer outputs 0 for every sample
    assert np.ptp(nn.predict(params, X)) == 0.0  # so the network predicts one constant


def test_a_loaded_network_still_knows_the_scale_it_was_trained_on(tmp_path):
    params, X_test_raw, X_test_scaled = scaled_network()
    nn.save_params(tmp_path / "model", params)
    loaded = nn.load_params(tmp_path / "model")
    assert all(np.array_equal(loaded[k], params[k]) for k in ("x_mean", "x_std"))
    assert len(scale_warnings(lambda: nn.predict(loaded, X_test_scaled))) == 1
    assert np.array_equal(nn.predict(loaded, X_test_raw), nn.predict(params, X_test_raw))  # silent: the module's filter


def test_predicting_on_the_training_data_itself_never_warns_even_with_a_constant_column():
    X, y = separable()
    X = np.column_stack([X, np.zeros(len(X))])  # a feature constant in training, as standardising makes it
    params, _ = nn.train(nn.init_params([4, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=20, lr=0.01, seed=0,
                         log_every=None)
    assert scale_warnings(lambda: nn.predict(params, X)) == []


def test_raw_data_of_any_scale_trains_and_predicts_without_a_single_warning():
    X, y = separable()
    X_val, y_val = separable(n=40, seed=1)
    target = 2000 + 300 * (X @ np.array([1.0, -0.5, 0.2]))  # regression targets in the thousands
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X * 3e4, y, epochs=20, lr=0.01,
                 validation=(X_val * 3e4, y_val), seed=0, log_every=None)  # features in the tens of thousands
        nn.train(nn.init_params([3, 4, 1], "relu", "linear", seed=0), X[:80], target[:80], epochs=20,
                 lr=0.01, validation=(X[80:], target[80:]), seed=0, log_every=None)  # validation y raw too
        for centred in (False, True):
            params, X_test_raw, _ = scaled_network(centred)
            nn.predict(params, X_test_raw)  # the test part as it came, like the training part
    assert [str(w.message) for w in caught] == []


# Issue 12: errors name their fix


@pytest.mark.parametrize("call", [
    lambda returned, X, y, path: nn.predict(returned, X),
    lambda returned, X, y, path: nn.forward(returned, X),
    lambda returned, X, y, path: nn.loss(returned, X, y),
    lambda returned, X, y, path: nn.train(returned, X, y, epochs=1, log_every=None),
    lambda returned, X, y, path: nn.save_params(path, returned),
], ids=["predict", "forward", "loss", "train", "save_params"])
def test_the_pair_train_returns_passed_as_params_says_how_to_unpack_it(tmp_path, call):
    X, y = separable()
    returned = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=5, lr=0.05, seed=0,
                        log_every=None)
    with pytest.raises(ValueError, match=r"params is a tuple \(params, history\), as train returns it; unpack it: "
                                         r"params, history = nn.train\(...\)"):
        call(returned, X, y, tmp_path / "model")


@pytest.mark.parametrize("name, value, ours", [
    ("max_iter", 200, "epochs"),
    ("alpha", 0.3, r"l2, which is alpha / batch_size as scikit-learn divides its penalty by the batch size: "
              r"alpha=0.3 with batch_size=32 is l2=0.00937"),
    ("warm_start", True, r"no setting: training a returned network again, nn.train\(params, X, y\), starts from "
                         r"its weights \(a warm start\); resume=history continues an interrupted run exactly"),
    ("early_stopping", True, r"validation=\(X_val, y_val\) and patience"),
    ("verbose", True, "log_every"),
    ("learning_rate_init", 0.001, "lr"),
])
def test_scikit_learns_names_for_train_settings_are_refused_with_ours(net, name, value, ours):
    params, X, Y = net
    with pytest.raises(TypeError, match=rf"unexpected keyword argument '{name}'; scikit-learn calls it {name}, "
                                        rf"nn.train calls it {ours}$"):
        nn.train(params, X, Y, epochs=1, log_every=None, **{name: value})


def test_a_dict_of_weights_without_names_says_how_to_add_them(tmp_path):
    params, X, _ = make_problem("tanh", "sigmoid", DEPTHS["one hidden layer"])
    weights = {k: params[k] for k in arrays(params)}  # e.g. arrays from another program
    for call in (lambda: nn.forward(weights, X), lambda: nn.predict(weights, X),
                 lambda: nn.save_params(tmp_path / "model", weights)):
        with pytest.raises(ValueError, match=r"params has no 'hidden' and 'output' names, so nothing says how to run "
                                             r"its weights. Make networks with nn.init_params\(sizes, hidden, output\); "
                                             r".*params\['hidden'\] = one of \['identity', 'relu', 'tanh', "
                                             r"'sigmoid'\]; params\['output'\] = one of \['linear', 'sigmoid', 'softmax'\]"):
            call()
    weights["hidden"], weights["output"] = "tanh", "sigmoid"  # the fix, as the message spells it
    assert np.array_equal(nn.predict(weights, X), nn.predict(untracked(params), X))


# Scaling inside train: statistics from the training part alone, folded exactly into the weights


def test_train_takes_its_statistics_from_the_training_part_alone():
    rng = np.random.default_rng(0)
    X_train, X_val = rng.normal(50, 10, (100, 3)), rng.normal(60, 10, (40, 3))  # another mean, though not far off
    X_train[:, 2] = X_val[:, 2] = 7.0  # a constant column
    y_train, y_val = X_train[:, 0] * 30 + 1000, X_val[:, 0] * 30 + 1000
    params, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "linear", seed=0), X_train, y_train, epochs=3,
                         validation=(X_val, y_val), seed=0, log_every=None)
    np.testing.assert_allclose(params["x_mean"], X_train.mean(axis=0), rtol=1e-15)
    np.testing.assert_allclose(params["x_std"][:2], X_train[:, :2].std(axis=0), rtol=1e-13)
    assert params["x_std"][2] == 7.0  # a column that does not vary is divided by its own size, not by 0
    np.testing.assert_allclose([params["y_mean"][0], params["y_std"][0]], [y_train.mean(), y_train.std()],
                               rtol=1e-13)
    assert all(params[k].dtype == np.float64 and params[k].shape == (n,)
               for k, n in (("x_mean", 3), ("x_std", 3), ("y_mean", 1), ("y_std", 1)))
    classifier, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X_train,
                             (X_train[:, 0] > 50).astype(int), epochs=3, seed=0, log_every=None)
    assert "x_mean" in classifier and "y_mean" not in classifier  # targets of 0 and 1 are left as they are
    raw, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "linear", seed=0), X_train, y_train, epochs=3,
                      standardize=False, seed=0, log_every=None)
    assert not {"x_mean", "x_std", "y_mean", "y_std"} & set(raw)


def unfolded_network(params, history):
    """The network train held at its end, in standardised coordinates: history["state"]["theta"], the
    vector of W1, b1, ..., WD, bD, cut back into arrays."""
    theta, net, start = history["state"]["theta"], {"hidden": params["hidden"], "output": params["output"]}, 0
    for key in arrays(params):
        net[key] = theta[start:start + params[key].size].reshape(params[key].shape)
        start += params[key].size
    return net


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-12), (np.float32, 1e-4)], ids=["float64", "float32"])
@pytest.mark.parametrize("output, y_scale", [("linear", 1e-3), ("linear", 1.0), ("linear", 1e4), ("sigmoid", None),
                                             ("softmax", None)])
def test_the_returned_network_on_raw_X_is_the_unfolded_one_on_standardised_X(output, y_scale, dtype, rtol):
    rng = np.random.default_rng(1)
    X = rng.normal([5000, -3, 0.01], [800, 2, 0.002], (60, 3))  # columns on very different scales
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    k = 2 if output == "linear" else N_OUT[output]
    if output == "linear":
        Y = (np.column_stack([Z[:, 0] - Z[:, 1], Z[:, 2] ** 2]) + [3.0, -1.0]) * y_scale * [1.0, 50.0]
    elif output == "sigmoid":
        Y = (np.column_stack([Z[:, 0], Z[:, 1]]) > 0).astype(float)
    else:
        Y = np.argmax(Z, axis=1)
    params = nn.init_params([3, 6, 5, k], "tanh", output, seed=0, dtype=dtype)
    trained, history = nn.train(params, X, Y, epochs=5, lr=0.01, batch_size=16, seed=0, log_every=None)
    inside = unfolded_network(trained, history)
    Z_s = ((X - trained["x_mean"]) / trained["x_std"]).astype(dtype)
    expected = nn.forward(inside, Z_s)[0].astype(np.float64)
    if output == "linear":
        expected = expected * trained["y_std"] + trained["y_mean"]  # back into y's units
    got = nn.forward(trained, X)[0]
    assert got.dtype == dtype
    scale = np.abs(expected).max(axis=0)
    np.testing.assert_allclose(got / scale, expected / scale, rtol=0, atol=rtol)
    # Unfolding the returned network gives back the weights it was folded from: a warm start resumes there.
    unfolded = nn._unfold(trained, nn._stats_of(trained))
    for key in arrays(trained):
        np.testing.assert_allclose(unfolded[key], inside[key], rtol=0,
                                   atol=rtol * max(1.0, np.abs(inside[key]).max()), err_msg=key)


def test_a_warm_start_keeps_the_first_calls_statistics_and_goes_on_from_its_weights():
    rng = np.random.default_rng(0)
    X = rng.normal(1000, 200, (80, 3))
    y = (X[:, 0] - X[:, 1]) * 0.5 + 40
    first, _ = nn.train(nn.init_params([3, 5, 1], "tanh", "linear", seed=0), X[:40], y[:40], epochs=30, lr=0.01,
                        seed=0, log_every=None)
    calls = []
    second, _ = nn.train(first, X[40:], y[40:], epochs=2, lr=1e-12, seed=0, log_every=None,
                         callback=lambda epoch, history, params: calls.append(params))
    for key in ("x_mean", "x_std", "y_mean", "y_std"):  # not refitted on the second call's data
        assert np.array_equal(second[key], first[key]) and np.array_equal(calls[0][key], first[key]), key
    for key in arrays(first):  # steps of lr 1e-12 later: where the first call stopped
        np.testing.assert_allclose(second[key], first[key], rtol=1e-9, atol=1e-9, err_msg=key)
    assert (first["epochs"], second["epochs"]) == (30, 32)


def raw_and_hand_scaled(kind):
    """Held-out numbers of a network trained on raw data, and of the same network trained on data
    standardised by hand (and, for a regression, predictions unscaled by hand)."""
    rng = np.random.default_rng(0)
    if kind == "regression, targets in the thousands":
        X = rng.standard_normal((300, 3))
        y = 2000 + 300 * (X @ np.array([1.0, -0.5, 0.2])) + 10 * rng.standard_normal(300)
        output = "linear"
    else:
        X = rng.normal(0, 0.05, (300, 3)) if kind == "classifier, already-centred features" else \
            rng.normal([3000, -5000, 800], [500, 2000, 50], (300, 3))
        y = (((X - X.mean(axis=0)) / X.std(axis=0)) @ np.array([1.0, -1.0, 0.5]) > 0).astype(int)
        output = "sigmoid"
    X_train, X_test, y_train, y_test = X[:200], X[200:], y[:200], y[200:]
    m, s = X_train.mean(axis=0), X_train.std(axis=0)
    my, sy = (y_train.mean(), y_train.std()) if output == "linear" else (0.0, 1.0)
    params = nn.init_params([3, 8, 1], "tanh", output, seed=0)
    settings = dict(epochs=60, lr=0.01, seed=0, log_every=None)
    raw, _ = nn.train(params, X_train, y_train, **settings)
    by_hand, _ = nn.train(params, (X_train - m) / s, (y_train - my) / sy, **settings)
    raw_pred, hand_pred = nn.predict(raw, X_test), nn.predict(by_hand, (X_test - m) / s) * sy + my
    if output == "linear":
        score = lambda pred: float(np.sqrt(np.mean((pred - y_test) ** 2)))  # RMSE
        return score(raw_pred), score(hand_pred), 0.1 * y_test.std()  # predicting the mean would score 1.0 std
    score = lambda pred: float(np.mean(pred == y_test))  # accuracy
    return score(raw_pred), score(hand_pred), None


@pytest.mark.parametrize("kind", ["regression, targets in the thousands", "classifier, features in the thousands",
                                  "classifier, already-centred features"])
def test_raw_data_give_the_held_out_numbers_of_data_standardised_by_hand(kind):
    raw, by_hand, rmse_target = raw_and_hand_scaled(kind)
    assert raw == pytest.approx(by_hand, rel=1e-6)
    if rmse_target is not None:
        assert raw < rmse_target, raw  # in y's own units, with no unscaling step
    else:
        assert raw >= 0.9, raw


# The walkthrough: every number main.py prints, computed again scalar by scalar without nn.py


def walkthrough_by_hand():
    """One step of the walkthrough's [2, 2, 1] ReLU network, one float at a time, in plain Python."""
    import main
    x, y = main.WALK_X.tolist(), main.WALK_Y[:, 0].tolist()
    W1, b1 = main.WALK_PARAMS["W1"].tolist(), main.WALK_PARAMS["b1"].tolist()
    W2, b2 = main.WALK_PARAMS["W2"][:, 0].tolist(), main.WALK_PARAMS["b2"][0]
    lr, n, samples, units = main.WALK_LR, 2, range(2), range(2)

    def run(W1, b1, W2, b2):
        z1 = [[x[i][0] * W1[0][j] + x[i][1] * W1[1][j] + b1[j] for j in units] for i in samples]
        a1 = [[max(z, 0.0) for z in row] for row in z1]
        y_hat = [a1[i][0] * W2[0] + a1[i][1] * W2[1] + b2 for i in samples]
        return z1, a1, y_hat, sum((y_hat[i] - y[i]) ** 2 for i in samples) / n

    z1, a1, y_hat, L = run(W1, b1, W2, b2)
    dz2 = [2 * (y_hat[i] - y[i]) / n for i in samples]
    dW2 = [sum(a1[i][j] * dz2[i] for i in samples) for j in units]
    db2 = sum(dz2)
    da1 = [[dz2[i] * W2[j] for j in units] for i in samples]
    dz1 = [[da1[i][j] * (1.0 if z1[i][j] > 0 else 0.0) for j in units] for i in samples]
    dW1 = [[sum(x[i][m] * dz1[i][j] for i in samples) for j in units] for m in range(2)]
    db1 = [sum(dz1[i][j] for i in samples) for j in units]
    new_W1 = [[W1[m][j] - lr * dW1[m][j] for j in units] for m in range(2)]
    new_b1 = [b1[j] - lr * db1[j] for j in units]
    new_W2 = [W2[j] - lr * dW2[j] for j in units]
    new_b2 = b2 - lr * db2
    return {"Z1": z1, "A1": a1, "Y_hat": [[v] for v in y_hat], "L": L, "dZ2": [[v] for v in dz2],
            "dW2": [[v] for v in dW2], "db2": [db2], "dA1": da1, "dZ1": dz1, "dW1": dW1, "db1": db1,
            "new W1": new_W1, "new b1": new_b1, "new W2": [[v] for v in new_W2], "new b2": [new_b2],
            "new L": run(new_W1, new_b1, new_W2, new_b2)[3]}


def shown_values(printed, name):
    """The values the walkthrough printed for `name`: between the brackets on its line, rows' | dropped."""
    line = printed.split(f"\n{name} ")[1].split("\n")[0]
    return " ".join(line[line.index("[") + 1:line.index("]")].replace("|", " ").split())


def test_the_walkthrough_prints_the_numbers_computed_by_hand(capsys):
    import main
    assert (main.WALK_PARAMS["hidden"], main.WALK_PARAMS["output"]) == ("relu", "linear")  # what by hand computes
    shown = main.walkthrough()
    printed = capsys.readouterr().out
    by_hand = walkthrough_by_hand()
    for name, expected in by_hand.items():
        np.testing.assert_allclose(shown[name], expected, rtol=1e-12, atol=1e-15, err_msg=name)
        values = " ".join(f"{v:.6g}" for v in np.ravel(expected))
        assert shown_values(printed, name) == values, name
    # A few of them, worked by hand in the README: L = (0.2^2 + 0.15^2) / 2, and the unit that is off
    # for sample 2 passes no gradient back.
    assert by_hand["L"] == pytest.approx(0.03125, rel=1e-12)
    assert by_hand["dZ1"][1][1] == 0.0 and by_hand["new L"] < by_hand["L"]


def test_the_two_output_walkthrough_divides_by_n_k_and_prints_the_right_gradients(capsys):
    import main
    shown = main.walkthrough_two_outputs()
    params, X, Y = main.WALK2_PARAMS, main.WALK_X, main.WALK2_Y
    assert (params["hidden"], params["output"]) == ("relu", "sigmoid") and Y.shape == (2, 2)
    P = 1 / (1 + np.exp(-shown["Z2"]))
    np.testing.assert_allclose(shown["P"], P, rtol=1e-14)
    np.testing.assert_allclose(shown["L"], shown["L_entries"].mean(), rtol=1e-14)  # over n k = 4 entries
    np.testing.assert_allclose(shown["dZ2"], (P - Y) / 4, rtol=1e-14)
    for key in ("W1", "b1", "W2", "b2"):  # each printed gradient against centred differences of nn.loss
        numeric = np.zeros_like(params[key])
        for index in np.ndindex(params[key].shape):
            up, down = params[key].copy(), params[key].copy()
            up[index] += 1e-6
            down[index] -= 1e-6
            numeric[index] = (nn.loss({**params, key: up}, X, Y) - nn.loss({**params, key: down}, X, Y)) / 2e-6
        np.testing.assert_allclose(shown[f"d{key}"], numeric, rtol=1e-7, atol=1e-10, err_msg=key)
    assert shown["new L"] < shown["L"]
    assert "n k = 4" in capsys.readouterr().out


def test_the_readme_shows_what_the_walkthrough_prints(capsys):
    import main
    main.walkthrough()
    printed = capsys.readouterr().out
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")) as readme:
        text = readme.read()
    shown = text[text.index("```\nX      (2, 2)") + 4:]
    assert printed[printed.index("X      (2, 2)"):] == shown[:shown.index("```")]


# main.py: its command line, and its experiments against their targets on held-out data. The tests skip
# scikit-learn's side of the comparisons (compare=False) except where a target is a comparison.


def test_main_help_lists_the_experiments_and_the_walkthrough(capsys):
    import main
    with pytest.raises(SystemExit) as stop:
        main.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert all(name in out for name in ["regression", "function", "classification", "digits", "walkthrough"])


def test_main_refuses_an_unknown_experiment_by_name(capsys):
    import main
    with pytest.raises(SystemExit) as stop:
        main.main(["nope"])
    assert stop.value.code == 2
    assert "unknown experiment nope; choose from: regression function" in capsys.readouterr().err


def test_regression_comes_within_5_percent_of_least_squares_on_the_test_set(capsys):
    import main
    r = main.experiment_regression(compare=False)
    assert {"test_mse", "test_rmse", "seconds", "ols_test_mse"} <= r.keys()
    assert r["test_mse"] <= 1.05 * r["ols_test_mse"], r
    assert r["loss_at_4500"] <= 120, r
    assert r["met"] and "TARGET MET" in capsys.readouterr().out
    assert the_picture_shows(r, "regression")  # docs/loss_curves.png


def test_function_approximation_reaches_test_mse_5e_5():
    import main
    r = main.experiment_function(compare=False)
    assert r["test_mse"] <= 5e-5, r
    assert r["test_rmse"] == pytest.approx(r["test_mse"] ** 0.5)
    assert r["met"]
    assert the_picture_shows(r, "function")  # docs/loss_curves.png
    from docs.draw import fit_numbers, matches
    assert matches(saved_figures()["function_fit"], fit_numbers(r))  # docs/function_fit.png


def test_breast_cancer_reaches_0_965_and_at_least_scikit_learns_accuracy():
    import main
    r = main.experiment_classification(compare=True)
    assert r["test_accuracy"] >= 0.965, r
    assert r["test_accuracy"] >= r["sklearn_test_accuracy"], r
    assert r["met"]
    assert the_picture_shows(r, "classification")  # docs/loss_curves.png


def test_digits_reach_0_97_test_accuracy():
    import main
    r = main.experiment_digits(compare=False)
    assert r["test_accuracy"] >= 0.97, r
    assert r["met"]
    assert the_picture_shows(r, "digits")  # docs/loss_curves.png


def test_a_missed_target_is_reported_as_missed(capsys):
    import main
    assert main.verdict(False, "test MSE 2e-4 (target <= 5e-5)") is False
    assert capsys.readouterr().out == "TARGET MISSED: test MSE 2e-4 (target <= 5e-5)\n"


# The README's numbers: each one the code prints or that the text quotes, computed again here.


def readme_text():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "README.md")) as readme:
        return readme.read()


def guide_text():
    with open(os.path.join(HERE, "docs", "guide.md")) as guide:
        return guide.read()


def readme_block(start):
    """The fenced block of README.md (or, failing that, docs/guide.md) that begins with the line `start`."""
    text = readme_text() if "```\n" + start in readme_text() else guide_text()
    block = text[text.index("```\n" + start) + 4:]
    return block[:block.index("```")]


def test_the_warm_up_numbers_of_the_readme_come_out_of_nn_py():
    # Section 1: one linear neuron, z = w x + b, L = (z - y)^2, x = 2, w = 0.5, b = 0.1, y = 1.
    neuron = {"hidden": "relu", "output": "linear", "W1": np.array([[0.5]]), "b1": np.array([0.1])}
    x, y = np.array([[2.0]]), np.array([[1.0]])
    assert nn.loss(neuron, x, y) == pytest.approx(0.01)
    grads = nn.backward(neuron, nn.forward(neuron, x)[1], y)
    assert (grads["W1"][0, 0], grads["b1"][0]) == pytest.approx((0.4, 0.2))
    stepped = nn.update(neuron, grads, 0.1)
    assert (stepped["W1"][0, 0], stepped["b1"][0]) == pytest.approx((0.46, 0.08))
    assert nn.loss(stepped, x, y) == pytest.approx(0.0, abs=1e-20)
    # Section 2: a ReLU neuron in front; the table's values and gradients.
    two = {"hidden": "relu", "output": "linear", "W1": np.array([[0.5]]), "b1": np.array([0.1]),
           "W2": np.array([[1.0]]), "b2": np.array([0.5])}
    Y_hat, cache = nn.forward(two, x)
    assert (cache["A1"][0, 0], Y_hat[0, 0], nn.loss(two, x, y)) == pytest.approx((1.1, 1.6, 0.36))
    grads = nn.backward(two, cache, y)
    assert [grads[key].item() for key in ("W2", "b2", "W1", "b1")] == pytest.approx([1.32, 1.2, 2.4, 1.2])
    assert "print(nn._backward(params, cache, np.array([[1.0]])))   # W2 1.32, b2 1.2, W1 2.4, b1 1.2" in readme_text()
    _, cache = nn._forward(two, x)  # the block calls Part 1's functions: the same numbers
    assert [nn._backward(two, cache, y)[key].item() for key in ("W2", "b2", "W1", "b1")] == pytest.approx(
        [1.32, 1.2, 2.4, 1.2])


def test_section_3s_block_run_from_part_1_alone_prints_its_comment(capsys):
    code = python_block(readme_text(), "print(nn._backward(params, cache, np.array([[1.0]])))")
    printed = printed_by(code, capsys, part_1_module())
    assert printed == "{'W2': array([[1.32]]), 'b2': array([1.2]), 'W1': array([[2.4]]), 'b1': array([1.2])}\n"


def walkthrough_two_outputs_by_hand():
    """Walkthrough 2, one float at a time in plain Python: two sigmoid outputs, mean over n k = 4."""
    import main
    x, Y = main.WALK_X.tolist(), main.WALK2_Y.tolist()
    W1, b1 = main.WALK2_PARAMS["W1"].tolist(), main.WALK2_PARAMS["b1"].tolist()
    W2, b2 = main.WALK2_PARAMS["W2"].tolist(), main.WALK2_PARAMS["b2"].tolist()
    lr, n, k, rows, cols = main.WALK2_LR, 2, 2, range(2), range(2)

    def run(W1, b1, W2, b2):
        z1 = [[x[i][0] * W1[0][j] + x[i][1] * W1[1][j] + b1[j] for j in cols] for i in rows]
        a1 = [[max(z, 0.0) for z in row] for row in z1]
        z2 = [[a1[i][0] * W2[0][j] + a1[i][1] * W2[1][j] + b2[j] for j in cols] for i in rows]
        p = [[1 / (1 + math.exp(-z)) for z in row] for row in z2]
        entries = [[-(Y[i][j] * math.log(p[i][j]) + (1 - Y[i][j]) * math.log(1 - p[i][j])) for j in cols]
                   for i in rows]
        return z1, a1, z2, p, entries, sum(map(sum, entries)) / (n * k)

    z1, a1, z2, p, entries, L = run(W1, b1, W2, b2)
    dz2 = [[(p[i][j] - Y[i][j]) / (n * k) for j in cols] for i in rows]
    dW2 = [[sum(a1[i][m] * dz2[i][j] for i in rows) for j in cols] for m in range(2)]
    db2 = [sum(dz2[i][j] for i in rows) for j in cols]
    da1 = [[sum(dz2[i][j] * W2[m][j] for j in cols) for m in range(2)] for i in rows]
    dz1 = [[da1[i][m] * (1.0 if z1[i][m] > 0 else 0.0) for m in range(2)] for i in rows]
    dW1 = [[sum(x[i][f] * dz1[i][m] for i in rows) for m in range(2)] for f in range(2)]
    db1 = [sum(dz1[i][m] for i in rows) for m in range(2)]
    step = lambda W, dW: [[w - lr * d for w, d in zip(row, drow)] for row, drow in zip(W, dW)]
    new_L = run(step(W1, dW1), [b - lr * d for b, d in zip(b1, db1)], step(W2, dW2),
                [b - lr * d for b, d in zip(b2, db2)])[5]
    return {"A1": a1, "Z2": z2, "P": p, "L_entries": entries, "L": L, "dZ2": dz2, "dW2": dW2, "db2": db2,
            "dA1": da1, "dZ1": dz1, "dW1": dW1, "db1": db1, "new L": new_L}


def test_the_second_walkthrough_prints_the_numbers_computed_by_hand_and_the_readme_shows_them(capsys):
    import main
    shown = main.walkthrough_two_outputs()
    printed = capsys.readouterr().out
    by_hand = walkthrough_two_outputs_by_hand()
    for name, expected in by_hand.items():
        np.testing.assert_allclose(shown[name], expected, rtol=1e-12, atol=1e-15, err_msg=name)
    label = {"L_entries": "L_ij"}
    for name, expected in by_hand.items():
        values = " ".join(f"{v + 0.0:.6g}" for v in np.ravel(expected))
        assert shown_values(printed, label.get(name, name)) == values, name
    # The 1/(n k): every output gradient is the entry's own slope P - Y divided by 4.
    assert by_hand["dZ2"][0][0] == pytest.approx((by_hand["P"][0][0] - 1) / 4)
    assert by_hand["new L"] < by_hand["L"]
    assert printed[printed.index("X      (2, 2)"):] == readme_block("X      (2, 2)  [         1         2 |         3        -1 ]  inputs (W1")


def test_the_readme_shows_what_main_inside_prints(capsys):
    import main
    result = main.inside()
    printed = capsys.readouterr().out
    assert readme_block("layer   |dW| sigmoid") in printed
    # What the text says of those numbers: the sigmoid network's gradients vanish, ReLU's do not,
    # and after 20 epochs the sigmoid network is at chance while ReLU's has learned the digits.
    sigmoid, relu = result["tables"]["sigmoid"], result["tables"]["relu"]
    assert sigmoid[-1]["|dW|"] / sigmoid[0]["|dW|"] > 100 and relu[-1]["|dW|"] / relu[0]["|dW|"] < 2
    assert result["sigmoid_test_accuracy"] < 0.2 and result["relu_test_accuracy"] > 0.95
    assert result["sigmoid_warned"] and not result["relu_warned"]
    spread = result["spread"]
    assert spread["0.01"][-1] < 1e-6 and spread["1"][-1] > 100 and 0.5 < min(spread["sqrt(2 / n_in), He's"])
    # "shrinks 1.6 to 4.8 times a layer, 335 times over five": the |dW| column, layer by layer
    shrink = [upper["|dW|"] / lower["|dW|"] for lower, upper in zip(sigmoid, sigmoid[1:])]
    assert len(shrink) == 5 and f"shrinks {min(shrink):.1f} to {max(shrink):.1f}" in " ".join(readme_text().split())


def test_the_readme_shows_what_sanity_check_prints_on_the_digits(capsys):
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    results = nn.sanity_check(nn.init_params([64, 32, 10], "relu", "softmax", seed=0), X, y)  # raw X, as train
    printed, shown = capsys.readouterr().out.splitlines(), readme_block("PASS  initial loss").splitlines()
    assert printed == shown  # the gradient check's line says "to rounding": no digits that vary by build
    assert all(results.values())


def test_the_readme_gradient_check_figures_are_what_gradient_check_returns(monkeypatch):
    rng = np.random.default_rng(0)
    params = nn.init_params([3, 5, 4, 2], "tanh", "linear", seed=0)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    errors = nn.gradient_check(params, X, Y)
    assert all(error == 0.0 for error in errors.values())  # "here every key gives 0.0"
    monkeypatch.setitem(nn.HIDDEN, "tanh", (np.tanh, lambda A: 1 - A))  # the README's planted bug
    planted = nn.gradient_check(params, X, Y)
    shown = "{" + ", ".join(f"'{key}': {value:.1e}" for key, value in planted.items()) + "}"
    assert "    " + shown in readme_text()


def python_block(text, marker):
    """The ```python block of text that contains marker, without its fences."""
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    found = [block for block in blocks if marker in block]
    assert len(found) == 1, marker
    return found[0]


def printed_by(code, capsys, nn_module=None):
    """What code prints when run as a reader would run it (with `import nn` getting nn_module, if given)."""
    saved = sys.modules.get("nn")
    if nn_module is not None:
        sys.modules["nn"] = nn_module
    try:
        exec(compile(code, "<block>", "exec"), {"__name__": "__block__"})
    finally:
        if saved is not None:
            sys.modules["nn"] = saved
    return capsys.readouterr().out


def part_1_module():
    """Part 1 of nn.py alone, as a module: what a copier of Part 1 has."""
    import types
    with open(nn.__file__) as source:
        text = source.read()
    module = types.ModuleType("nn")
    exec(compile(text[:text.index("\n# Part 2")], "part1.py", "exec"), module.__dict__)
    assert not hasattr(module, "train") and hasattr(module, "_plain_train")
    return module


def test_every_link_between_the_readme_and_the_guide_lands_on_a_heading():
    def slugs(text):  # GitHub's anchors: the heading's text, lower case, punctuation dropped, spaces as -
        return {re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-")
                for line in text.splitlines() if line.startswith("#")}
    pages = {"README.md": readme_text(), "docs/guide.md": guide_text()}
    links = [(page, target, anchor) for page, text in pages.items()
             for target, anchor in re.findall(r"\]\(((?:\.\./)?(?:README\.md|docs/guide\.md)?)#([^)]+)\)", text)]
    assert len(links) > 10
    for page, target, anchor in links:
        linked = {"": page, "../README.md": "README.md", "README.md": "README.md", "docs/guide.md": "docs/guide.md"}[target]
        assert anchor in slugs(pages[linked]), (page, target, anchor)


def test_the_readme_optimizer_block_prints_what_it_shows_and_what_optimizers_png_drew(capsys):
    text = readme_text()
    printed = printed_by(python_block(text, "nn._adam_step(theta"), capsys, part_1_module())
    assert "```\n" + printed + "```" in text  # the output block that follows the code
    from docs.draw import OPTIMIZERS, matches, optimizer_numbers
    drawn = saved_figures()["optimizers"]
    assert matches(drawn, optimizer_numbers())  # docs/optimizers.png shows these paths
    for (name, (lr, _)), line in zip(OPTIMIZERS.items(), printed.splitlines()):
        assert line.startswith(name) and line.endswith(f"L {drawn[name]['loss']:.2g}") and f"{lr}" in text
    losses = {name: drawn[name]["loss"] for name in OPTIMIZERS}
    # What the text says of the paths: gradient descent crawls, 3.5% of the way along a step, and it
    # is the furthest of the three after 50 steps; its lr is under the 2 / 50 at which it diverges.
    assert losses["gradient descent"] > losses["momentum 0.9"] > losses["Adam"]
    along = np.array(drawn["gradient descent"]["path"])[:, 0]
    assert np.allclose(along[1:] / along[:-1], 1 - 0.035) and 0.035 < 2 / 50


def test_the_walkthrough_runs_from_part_1_alone_and_prints_what_its_comments_say(capsys):
    code = python_block(readme_text(), "from nn import _forward, _loss, _backward, _sgd_step")
    printed = printed_by(code, capsys, part_1_module()).splitlines()
    said = [line.split("# ")[1].strip() for line in code.splitlines() if line.startswith("print(")]
    assert printed == said


def test_the_guides_fold_block_shows_the_cancellation_it_describes(capsys):
    text = guide_text()
    printed = printed_by(python_block(text, "ts = 1.7e12"), capsys)
    assert "```\n" + printed + "```" in text
    exact, folded = printed.splitlines()
    assert exact == "[-0.6124  0.      0.6124]" and folded.startswith("[-0.625  -0.0625  0.5625]")
    assert "`b_1' = -578352.4`" in text and "(float32 steps by 1/16" in text
    assert np.spacing(np.float32(578352.4)) == 1 / 16


def test_exercise_8s_unfolded_last_layer_gives_the_returned_networks_output():
    X = np.random.default_rng(0).normal(size=(200, 3))
    y = 1000 + 300 * (X @ [0.5, -1.0, 2.0])
    params, _ = nn.train(nn.init_params([3, 8, 1], "tanh", "linear", seed=0), X, y, epochs=20, seed=0,
                         log_every=None)
    m_y, s_y = params["y_mean"], params["y_std"]
    unfolded = {**params, "W2": params["W2"] / s_y, "b2": (params["b2"] - m_y) / s_y}  # the answer
    gap = np.abs(nn._forward(unfolded, X)[0] * s_y + m_y - nn._forward(params, X)[0]).max()
    assert 0 < gap < 1e-11 and "(to about 1e-13)" in " ".join(readme_text().split())


def test_a_network_train_returned_predicts_from_raw_x_in_a_copy_of_part_1():
    rng = np.random.default_rng(0)
    X = rng.normal(1e4, 300, (300, 3))  # raw, far from 0
    y = X @ [1.0, -2.0, 0.5]
    params, _ = nn.train(nn.init_params([3, 8, 1], "tanh", "linear", seed=0), X, y, epochs=5, seed=0,
                         log_every=None)
    Y_hat, _ = part_1_module()._forward(params, X)  # the guide: "_forward standardises it" (raw X in)
    np.testing.assert_allclose(Y_hat[:, 0], nn.predict(params, X), rtol=1e-12)


def test_the_guides_part_1_example_prints_its_accuracy(capsys):
    code = python_block(guide_text(), "from nn_core import")
    core = part_1_module()
    sys.modules["nn_core"] = core
    try:
        printed = printed_by(code, capsys)
    finally:
        del sys.modules["nn_core"]
    assert printed == "test accuracy 0.972\n" and "# 0.972" in code


def test_the_readme_first_model_prints_the_losses_and_accuracy_it_shows(capsys):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (1000, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    params = nn.init_params([2, 16, 1], "tanh", "sigmoid", seed=0)
    params, history = nn.train(params, X[:600], y[:600], validation=(X[600:800], y[600:800]), patience=20, seed=0)
    printed = capsys.readouterr().out.splitlines()
    assert f"{np.mean(nn.predict(params, X[800:]) == y[800:]):.3f}" == "0.990"
    shown = readme_block("epoch   1/200").splitlines()
    assert len(printed) == 12  # 11 epoch lines (1, 20, ..., 200) and the closing line
    untimed = lambda line: re.sub(r"  [0-9.]+ s(, ~[0-9.]+ s left)?$", "", line)  # timings vary; the rest may not
    for line in shown:
        if line != "...":
            assert untimed(line) in [untimed(p) for p in printed], line
    assert printed[-1] == shown[-1] == history["ended"]


# The README's pictures: docs/draw.py draws them and saves the numbers behind them in docs/figures.json.
# These tests fail when the code's numbers no longer match a committed picture (rerun the script).


def saved_figures():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "docs", "figures.json")) as saved:
        return json.load(saved)


def the_picture_shows(result, name):
    """Whether docs/loss_curves.png was drawn from this experiment's current loss history."""
    from docs.draw import curve_numbers, matches
    return matches(saved_figures()["loss_curves"][name], curve_numbers(result))


def test_the_graph_pictures_show_the_codes_numbers():
    from docs.draw import current_numbers, matches
    current = current_numbers(experiments=False)
    for part in ("neuron", "graph"):  # docs/neuron.png, docs/graph.png
        assert matches(saved_figures()[part], current[part])
    # the neuron's numbers are section 2's: z = 1.1, L = 0.01, dL/dw = 0.4, dL/db = 0.2
    neuron = current["neuron"]
    assert (neuron["value"]["z"], neuron["value"]["L"]) == pytest.approx((1.1, 0.01))
    assert (neuron["grad"]["w"], neuron["grad"]["b"], neuron["grad"]["x"]) == pytest.approx((0.4, 0.2, 0.1))


def test_a_changed_number_fails_the_picture_check():
    from docs.draw import current_numbers, matches
    drawn = saved_figures()["graph"]
    current = current_numbers(experiments=False)["graph"]
    changed = {**current, "L": current["L"] * 1.0001}  # a loss one part in 10,000 off
    with pytest.raises(AssertionError):
        matches(drawn, changed)


# Training that talks: how each run ends, the log's length, the look inside, the sanity check


def test_the_closing_line_says_when_the_loss_had_levelled_off_and_when_more_epochs_would_help():
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    _, short = nn.train(params, X, y, epochs=20, lr=0.003, seed=0, log_every=None)
    assert short["ended"].startswith("ran all 20 epochs; returning epoch 20's params. The loss was still falling")
    assert short["ended"].endswith("more epochs would help")
    X_line = np.linspace(-1, 1, 50)[:, None]
    y_line = X_line[:, 0] + 0.3 * np.random.default_rng(0).standard_normal(50)  # a line plus noise
    fitted, _ = nn.train(nn.init_params([1, 1], "relu", "linear", seed=0), X_line, y_line, epochs=300,
                         lr=0.05, batch_size=None, l2=0.0, seed=0, log_every=None)
    _, history = nn.train(fitted, X_line, y_line, epochs=50, lr=1e-3, batch_size=None, l2=0.0, seed=0,
                          log_every=None)  # already at least squares' fit: nothing left to learn
    assert history["ended"] == "ran all 50 epochs; returning epoch 50's params"


def test_the_closing_line_of_early_stopping_names_the_epoch_whose_params_are_returned():
    params, X, y, X_val, y_val = overfitting_problem()
    _, history = nn.train(params, X, y, epochs=500, lr=0.01, batch_size=None, validation=(X_val, y_val),
                          patience=5, log_every=None)
    best, run = history["best_epoch"], len(history["loss"])
    assert run == best + 5
    assert history["ended"] == (f"stopped early after epoch {run}: the validation loss had not improved for 5 "
                                f"epochs; returning the params of epoch {best} (val_loss "
                                f"{history['val_loss'][best - 1]:.4g})")


def test_a_callback_stop_with_patience_returns_the_best_epoch_so_far():
    params, X, y, X_val, y_val = overfitting_problem()
    trained, history = nn.train(params, X, y, epochs=500, lr=0.01, batch_size=None, validation=(X_val, y_val),
                                patience=400, log_every=None, callback=lambda epoch, h, p: epoch == 140)
    best = history["best_epoch"]
    assert len(history["loss"]) == 140 and best < 140
    assert history["ended"] == f"stopped by the callback after epoch 140; returning epoch {best}'s params, the best so far"
    assert standardised_loss(trained, X_val, y_val) == pytest.approx(history["val_loss"][best - 1], rel=1e-12)


@pytest.mark.parametrize("epochs, expected", [(10, list(range(1, 11))), (200, [1, *range(20, 201, 20)]),
                                              (5000, [1, *range(500, 5001, 500)])])
def test_the_default_log_is_about_ten_lines_whatever_the_number_of_epochs(capsys, epochs, expected):
    X, y = separable(n=8)
    nn.train(nn.init_params([3, 2, 1], "tanh", "sigmoid", seed=0), X, y, epochs=epochs, lr=0.01,
             batch_size=None, seed=0)
    logged, ending = logged_epochs(capsys.readouterr().out)
    assert logged == expected
    assert ending.startswith(f"ran all {epochs} epochs")


def test_look_inside_finds_every_relu_unit_dead_when_every_bias_is_very_negative():
    X, y = separable()
    params = nn.init_params([3, 8, 8, 1], "relu", "sigmoid", seed=0)
    params.update(b1=np.full(8, -100.0), b2=np.full(8, -100.0))
    rows = nn.look_inside(params, X, y)
    assert [row["dead"] for row in rows] == [1.0, 1.0, None]
    assert rows[0]["|dW|"] == 0.0 and rows[1]["|dW|"] == 0.0  # a dead unit passes no gradient back
    healthy = nn.look_inside(nn.init_params([3, 8, 8, 1], "relu", "sigmoid", seed=0), X, y)
    assert all(row["dead"] < 0.5 for row in healthy[:-1])


def test_look_inside_finds_a_sigmoid_network_with_huge_weights_saturated():
    X, y = separable()
    params = nn.init_params([3, 16, 1], "sigmoid", "sigmoid", seed=0)
    healthy = nn.look_inside(params, X, y)[0]["saturated"]
    params["W1"] = params["W1"] * 1000
    rows = nn.look_inside(params, X, y)
    assert rows[0]["saturated"] > 0.95 and healthy < 0.05
    assert rows[0]["dead"] is None and rows[1]["saturated"] is None  # only hidden layers are judged
    table = nn.format_table(rows)
    assert table.splitlines()[0].split() == ["layer", "units", "activation", "|W|", "|dW|", "update/|W|",
                                             "mean", "A", "std", "A", "dead", "saturated"]
    assert len(table.splitlines()) == 3


def sanity_problem(scale_y=1.0):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 4))
    y = np.sin(X[:, 0]) + X[:, 1] * X[:, 2]
    return nn.init_params([4, 16, 1], "tanh", "linear", seed=0), X, (y - y.mean()) / y.std() * scale_y


def test_the_sanity_check_passes_a_healthy_setup(capsys):
    results = nn.sanity_check(*sanity_problem())
    assert results == {"initial loss": True, "overfit a small batch": True, "train matches the plain loop": True,
                       "gradients": True}
    lines = capsys.readouterr().out.splitlines()
    assert [line[:6] for line in lines] == ["PASS  "] * 4


@pytest.mark.parametrize("scale_y", [1e-3, 1000.0])
def test_the_sanity_check_sees_targets_in_any_units_as_train_does_standardised(capsys, scale_y):
    results = nn.sanity_check(*sanity_problem(scale_y=scale_y))
    assert results == {"initial loss": True, "overfit a small batch": True, "train matches the plain loop": True,
                       "gradients": True}
    standardised = capsys.readouterr().out
    nn.sanity_check(*sanity_problem())
    assert capsys.readouterr().out.splitlines()[:2] == standardised.splitlines()[:2]  # the same numbers
    assert standardised.splitlines()[0] == "PASS  initial loss: 1.166 against 1, the variance of standardised targets"


def test_the_sanity_check_fails_a_planted_wrong_hidden_derivative_and_names_g_prime(capsys, monkeypatch):
    monkeypatch.setitem(nn.HIDDEN, "tanh", (np.tanh, lambda A: 1 - A))  # tanh' written wrong
    results = nn.sanity_check(*sanity_problem())
    assert results["gradients"] is False
    line = capsys.readouterr().out.splitlines()[3]
    assert line.startswith("FAIL  gradients") and "the last layer is right and the layers below it are not" in line
    assert "the hidden derivative g' of 'tanh' (HIDDEN)" in line


def test_the_sanity_check_points_at_backward_when_the_last_layer_is_wrong_too(capsys, monkeypatch):
    real = nn._backward

    def db_averaged(params, cache, Y):  # every layer's db divided by n: the last layer is wrong too
        grads = real(params, cache, Y)
        return {key: value / len(Y) if key[0] == "b" else value for key, value in grads.items()}

    monkeypatch.setattr(nn, "_backward", db_averaged)
    results = nn.sanity_check(*sanity_problem())
    line = capsys.readouterr().out.splitlines()[3]
    assert results["gradients"] is False and "backward disagrees with the loss from b" in line


def test_the_sanity_check_of_a_trained_network_checks_that_it_beats_chance(capsys):
    X, y = load_breast_cancer(return_X_y=True)
    trained, _ = nn.train(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0), X, y, epochs=100, seed=0,
                          log_every=None)
    assert all(nn.sanity_check(trained, X, y).values())
    assert "this network has been trained (100 epochs), so it must be below chance" in capsys.readouterr().out


@pytest.mark.parametrize("case", ["constant X", "constant y", "one sample, ReLU on its kink"])
def test_the_sanity_check_reports_legal_data_that_leave_nothing_to_check_instead_of_raising(case, capsys):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 3)), rng.standard_normal(50)
    if case == "constant X":
        X = np.ones((50, 3))
    elif case == "constant y":
        y = np.zeros(50)
    else:
        X, y = np.ones((1, 3)), np.ones(1)
    results = nn.sanity_check(nn.init_params([3, 4, 1], "relu", "linear", seed=0), X, y)
    printed = capsys.readouterr().out
    assert None in results.values() and "SKIP" in printed and False not in results.values(), printed


def test_the_loss_curve_is_plain_ascii_with_both_losses_on_a_log_scale():
    history = {"loss": [10 ** -(e / 10) for e in range(50)], "val_loss": [2 * 10 ** -(e / 20) for e in range(50)]}
    picture = nn.loss_curve(history, width=40, height=10)
    picture.encode("ascii")  # prints on any terminal
    lines = picture.splitlines()
    assert lines[0].split("|")[0].strip() == "2" and lines[9].split("|")[0].strip() == f"{10 ** -4.9:.3g}"
    grid = [line.split("|", 1)[1] for line in lines[:10]]
    assert grid[0][0] == "o" and grid[9][-1] == "*"  # validation starts highest, training ends lowest
    assert "* loss   o val_loss" in picture


# float32 end to end


def test_every_optimizer_keeps_a_float32_network_float32():
    params, X, Y = make_problem("tanh", "softmax", DEPTHS["one hidden layer"])
    p32 = {k: v.astype(np.float32) if isinstance(v, np.ndarray) else v for k, v in params.items()}
    grads = nn.backward(p32, nn.forward(p32, X)[1], Y)
    stepped = nn.update(p32, grads, 0.1)  # Part 1's momentum and Adam steps work in place: no dtype to lose
    assert all(stepped[k].dtype == np.float32 for k in arrays(stepped))
    for optimizer, momentum in (("sgd", 0.0), ("sgd", 0.9), ("adam", 0.0)):
        trained, _ = nn.train(p32, X, Y, epochs=2, optimizer=optimizer, momentum=momentum, log_every=None)
        assert all(trained[k].dtype == np.float32 for k in arrays(trained))
        assert trained["x_mean"].dtype == trained["x_std"].dtype == np.float64  # statistics stay float64


def test_a_float32_network_trains_to_within_float32_precision_of_its_float64_copy():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["three hidden layers"], n=40)
    p32 = {k: v.astype(np.float32) if isinstance(v, np.ndarray) else v for k, v in params.items()}
    p64 = {k: v.astype(np.float64) if isinstance(v, np.ndarray) else v for k, v in p32.items()}  # the same start
    t32, h32 = nn.train(p32, X, Y, epochs=20, lr=0.01, batch_size=8, seed=0, log_every=None)
    t64, h64 = nn.train(p64, X, Y, epochs=20, lr=0.01, batch_size=8, seed=0, log_every=None)
    for key in arrays(t64):
        np.testing.assert_allclose(t32[key], t64[key], rtol=0, atol=1e-4, err_msg=key)  # 100 steps of ~1e-7 each
    assert h32["loss"][-1] == pytest.approx(h64["loss"][-1], rel=1e-4)
    assert not np.array_equal(t32["W1"].astype(np.float64), t64["W1"])  # it really ran in float32


def test_the_gradient_check_gives_a_float32_network_its_float64_copys_verdict_and_catches_a_planted_bug(monkeypatch):
    params, X, Y = make_problem("tanh", "sigmoid", DEPTHS["three hidden layers"])
    p32 = {k: v.astype(np.float32) if isinstance(v, np.ndarray) else v for k, v in params.items()}
    p64 = {k: v.astype(np.float64) if isinstance(v, np.ndarray) else v for k, v in p32.items()}
    assert nn.gradient_check(p32, X, Y) == nn.gradient_check(p64, X, Y)  # computed on the same float64 copy
    monkeypatch.setitem(nn.HIDDEN, "tanh", (np.tanh, lambda A: 1 - A))
    errors = nn.gradient_check(p32, X, Y)
    assert errors["W1"] > 1e-2 and errors["W4"] < 1e-6  # the last layer does not pass through g'


def test_exercise_2s_first_losses_are_what_the_readme_says():
    from sklearn.datasets import load_digits
    X, y = load_digits(return_X_y=True)
    std = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(std > 0, std, 1.0)  # a fresh network's weights expect standardised X
    first, shrunk = [], []
    for seed in range(20):
        params = nn.init_params([64, 32, 10], "relu", "softmax", seed=seed)
        first.append(nn.loss(params, X, y))
        params["W2"] = params["W2"] * 0.1
        shrunk.append(nn.loss(params, X, y))
    assert f"{first[0]:.3f}" == "2.376" and "# 2.376" in readme_text()
    assert (f"{np.mean(first):.2f}", f"{np.mean(shrunk):.2f}") == ("2.44", "2.30")
    assert np.ptp(first) < 0.25 and abs(np.array(shrunk) - math.log(10)).max() < 0.015
    assert np.mean(first) > np.mean(shrunk) > math.log(10) - 0.005  # a spread of logits costs more, on average


# Issue 25: speed by removing work; each trick gives what the plain code gives


def test_trains_blocks_are_part_1s_standardise_bit_for_bit_or_within_two_float32_roundings_and_leave_X_alone():
    rng = np.random.default_rng(0)
    scale, offset = rng.uniform(1e-3, 1e3, 200), rng.choice([0, -3, 2.5e4, 1e6, 1.7e12], 200)
    for x_dtype in (np.float64, np.float32):
        X = (rng.standard_normal((4000, 200)) * scale + offset).astype(x_dtype)  # over 2 MB: blocks
        for net_dtype in (np.float64, np.float32):
            net = nn.init_params([200, 3], "relu", "softmax", dtype=net_dtype)
            stats, _ = nn._fit_stats(X, None, net)  # in float32, the 1.7e12 columns are constant
            data = {"X": X, "Y": np.zeros((4000, 3)), "X_val": None, "Y_val": None}
            _, _, _, inputs = nn._into_network(data, stats, net, fitted=True)
            before, rows = X.copy(), rng.permutation(4000)[:256]
            for block in (X[rows], X[10:266]):  # a copy, and a slice that shares X's memory
                expected = nn._standardise(inputs, block)
                got = nn._standardised(block, inputs)  # may write into block, a copy of train's own
                assert got.dtype == net_dtype
                if x_dtype == net_dtype == np.float32:  # centred in float32 on a float32 mean
                    np.testing.assert_array_max_ulp(got, expected, maxulp=2)
                    assert not np.array_equal(got, expected)  # it really ran in float32
                else:
                    assert np.array_equal(got, expected)
            assert np.array_equal(X, before)


def test_float32_statistics_in_one_pass_are_within_1e_4_of_float64s_two_on_hard_columns():
    rng = np.random.default_rng(1)
    for n in (1, 2, 700, 5000, 30000, 200000):
        X = (rng.standard_normal((n, 30)) * rng.uniform(1e-3, 1e3, 30)
             + rng.choice([0, 1, -50, 1e3, 1e5, 1e7], 30)).astype(np.float32)
        X[:, 0] = 3.25  # constant
        X[:, 1] = np.sort(X[:, 1])  # sorted: its first rows are far from its mean
        X[:, 2] = np.where(np.arange(n) < n // 50, 0, 1e6) + rng.standard_normal(n)  # a step, late
        X[:, 3] = np.float32(1e7) + np.sort(rng.integers(0, 2**7, n))  # float32 steps by 1 at 1e7: few digits
        X[:, 4] = rng.standard_normal(n); X[n // 2, 4] = 1e6  # one outlier
        mean, std = nn._column_stats(X, np.float32)
        exact = X.astype(np.float64)
        true_mean, true_std = exact.mean(axis=0), exact.std(axis=0)
        assert np.array_equal(mean, mean.astype(np.float32))  # a float32 centre
        ulp = np.spacing(np.abs(true_mean).astype(np.float32)).astype(np.float64)
        assert (np.abs(mean - true_mean) <= 1e-4 * true_std + ulp).all()
        assert std[0] == 0 and np.allclose(std, true_std, rtol=1e-4, atol=0)
        mean64, std64 = nn._column_stats(exact)  # float64: two exact passes
        assert np.array_equal(mean64, true_mean) and np.allclose(std64, true_std, rtol=1e-12, atol=0)


def test_float32_statistics_whose_squares_overflow_float32_are_float64s_and_train():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3000, 4)).astype(np.float32)
    X[:, 1] *= np.float32(1e30)  # squares beyond float32's 3.4e38
    assert all(np.array_equal(a, b) for a, b in zip(nn._column_stats(X, np.float32), nn._column_stats(X)))
    y = (X[:, 0] > 0).astype(int)
    trained, _ = nn.train(nn.init_params([4, 8, 1], "relu", "sigmoid", seed=0, dtype=np.float32), X, y,
                          epochs=10, log_every=None)
    assert (nn.predict(trained, X) == y).mean() > 0.95


def test_a_float32_column_of_tiny_spread_is_measured_in_float64_and_learned_from():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((3000, 3)).astype(np.float32)
    X[:, 0] *= np.float32(1e-25)  # its float32 squares would vanish below float32's smallest numbers
    X[:, 2] = 0  # constant: still measured in float32, its spread exactly 0
    assert all(np.array_equal(a, b) for a, b in zip(nn._column_stats(X, np.float32), nn._column_stats(X)))
    y = (X[:, 0] > 0).astype(int)
    trained, _ = nn.train(nn.init_params([3, 8, 1], "relu", "sigmoid", seed=0, dtype=np.float32), X, y,
                          epochs=20, log_every=None)
    assert trained["x_std"][0] == pytest.approx(X[:, 0].astype(np.float64).std()) and trained["x_std"][2] == 1
    assert (nn.predict(trained, X) == y).mean() > 0.95  # the column was not taken for a constant one
    X[:, 0] = rng.standard_normal(3000)
    assert np.array_equal(nn._column_stats(X, np.float32)[0], nn._column_stats(X, np.float32)[0].astype(np.float32))


def test_float64_X_beyond_a_float32_networks_range_is_named_as_such_not_as_nan():
    X = np.ones((20, 2)); X[3, 1] = 1e39
    params = nn.init_params([2, 3, 1], "tanh", "linear", seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="X has values beyond float32's range"):
        nn.train(params, X, np.ones(20), epochs=2, standardize=False, log_every=None)
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match=r"X contains NaN or infinity \(first in row 3\)"):
        nn.train(params, X, np.ones(20), epochs=2, log_every=None)


def test_resume_wants_X_in_the_runs_dtype_and_the_runs_numbers():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((4000, 5)).astype(np.float32)
    y = (X[:, 0] > 0).astype(int)
    params = nn.init_params([5, 8, 1], "relu", "sigmoid", seed=0, dtype=np.float32)
    settings = dict(lr=0.01, batch_size=64, seed=0, log_every=None)
    half, history = nn.train(params, X, y, epochs=2, **settings)
    with pytest.raises(ValueError, match=r"the run's X was float32 \(this call's is float64\): pass X as the run "
                                         r"had it, X.astype\(np.float32\)"):
        nn.train(half, X.astype(np.float64), y, epochs=4, resume=history, **settings)
    edited = X.copy()
    edited[1234, 3] += np.float32(0.1)  # one number of 20,000, by a tenth of its spread
    with pytest.raises(ValueError, match="X, y or the validation data differ from the run's"):
        nn.train(half, edited, y, epochs=4, resume=history, **settings)
    resumed, _ = nn.train(half, X.astype(np.float64).astype(np.float32), y, epochs=4, resume=history, **settings)
    whole, _ = nn.train(params, X, y, epochs=4, **settings)
    assert all(np.array_equal(resumed[key], whole[key]) for key in nn.param_keys(whole))


def test_the_data_digest_sees_a_tenth_changed_in_a_million_numbers_and_not_the_dtype():
    X = np.random.default_rng(6).standard_normal((1_000_000, 2)).astype(np.float32)

    def digest(A):
        return nn._data_fingerprint({"X": A, "X_sums": A.sum(axis=0, dtype=np.float64), "Y": np.ones((len(A), 1)),
                                     "X_val": None, "Y_val": None})
    edited = X.copy()
    edited[123_456, 1] += np.float32(0.1)
    assert digest(edited) != digest(X) == digest(X.astype(np.float64))


def test_the_same_numbers_as_float32_or_float64_X_train_the_same_network_for_every_dtype_and_standardize(monkeypatch):
    rng = np.random.default_rng(2)
    paths = []  # which arithmetic each block of rows took
    standardised = nn._standardised
    monkeypatch.setattr(nn, "_standardised", lambda block, inputs: (
        paths.append((block.dtype.name, "float32" in inputs)), standardised(block, inputs))[1])
    for n in (300, 6000):  # X standardised at once, and a block at a time (over 2 MB)
        X32 = (rng.standard_normal((n, 100)) * 3 + 1e4).astype(np.float32)
        y = np.argmax((X32 - np.float32(1e4)) @ rng.standard_normal((100, 3)), axis=1)  # a rule to learn
        for net_dtype in (np.float64, np.float32):
            params = nn.init_params([100, 16, 3], "relu", "softmax", seed=0, dtype=net_dtype)
            for standardize in (True, False):
                X = X32 if standardize else X32 - np.float32(1e4)  # unstandardised data must be small
                paths.clear()
                runs = [nn.train(params, X.astype(x_dtype), y, epochs=2, batch_size=64, seed=0,
                                 standardize=standardize, log_every=None) for x_dtype in (np.float32, np.float64)]
                float32_blocks = {("float32", True)} <= set(paths)
                assert float32_blocks == (n > 300 and standardize and net_dtype == np.float32), paths[:3]
                (p32, h32), (p64, h64) = runs
                assert all(p32[key].dtype == p64[key].dtype == net_dtype for key in nn.param_keys(params))
                if net_dtype == np.float64 or not standardize:  # float64 holds float32 X exactly
                    assert all(np.array_equal(p32[key], p64[key]) for key in nn.param_keys(params)), (n, standardize)
                else:  # measured and standardised in float32 (_column_stats, _standardised): as close as
                    assert h32["loss"] == pytest.approx(h64["loss"], rel=1e-3)  # 188 Adam steps keep two
                    assert (nn.predict(p32, X) == nn.predict(p64, X)).mean() > 0.99  # float32 runs


# Issue 20: checks that cannot be fooled, saves that cannot destroy, training you can stop and resume


def test_gradient_check_refuses_non_finite_params_and_a_max_per_key_below_1():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    broken = {**params, "W1": params["W1"].copy()}
    broken["W1"][0, 0] = np.nan  # NaN weights once passed with 0.0 for every key
    with pytest.raises(ValueError, match=r"params\['W1'\] contains NaN or infinity"):
        nn.gradient_check(broken, X, Y)
    for bad in (0, -1, 1.5, True):  # max_per_key=0 once checked nothing and passed
        with pytest.raises(ValueError, match=rf"max_per_key must be a positive integer; got {bad!r}$"):
            nn.gradient_check(params, X, Y, max_per_key=bad)


def test_gradient_check_passes_the_correct_gradients_of_the_seed_78_network_whatever_the_data():
    # Issue 20's example of rounding failing a correct gradient: tiny entries judged against themselves.
    params = nn.init_params([3, 4, 4, 1], "identity", "sigmoid", seed=78)
    worst = {}
    for seed in range(10):
        rng = np.random.default_rng(seed)
        X, Y = rng.standard_normal((6, 3)), rng.integers(0, 2, (6, 1)).astype(float)
        errors = nn.gradient_check(params, X, Y)
        worst[seed] = max(errors.items(), key=lambda item: item[1])
    assert all(error < 1e-6 for _, error in worst.values()), worst


def test_gradient_check_leaves_out_only_the_samples_on_relus_kink_and_says_so_when_none_is_left(monkeypatch):
    params = nn.init_params([3, 5, 4, 2], "relu", "linear", seed=0)  # zero biases, as init_params makes them
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    X[0] = 0.0  # every first-layer pre-activation of this sample is exactly 0: ReLU's kink
    errors = nn.gradient_check(params, X, Y)  # each entry is checked on the samples off the kink
    assert set(errors) == set(arrays(params)) and max(errors.values()) < 1e-6, errors
    monkeypatch.setitem(nn.HIDDEN, "relu", (nn.relu, WRONG_DERIVATIVES["relu"]))  # a wrong derivative is
    assert nn.gradient_check(params, X, Y)["W1"] > 1e-3  # still caught on the same data
    with pytest.raises(ValueError, match=r"every entry of b\d tried moves a ReLU unit of every sample across"):
        nn.gradient_check(params, X[:1], Y[:1])  # the kink's sample alone: no slope anywhere, not a pass


def test_a_failed_save_leaves_the_earlier_file_as_it_was_and_no_stray_file(tmp_path, monkeypatch):
    X, y = separable()
    old, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=3, seed=0, log_every=None)
    new, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=1), X, y, epochs=3, seed=0, log_every=None)
    path = tmp_path / "model.npz"
    nn.save_params(path, old)
    real_savez = np.savez

    def disk_full(file, **entries):  # writes part of the archive, then the disk is full
        file.write(b"PK\x03\x04 half an archive")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(nn.np, "savez", disk_full)
    with pytest.raises(OSError, match="No space left on device"):
        nn.save_params(path, new)
    monkeypatch.setattr(nn.np, "savez", real_savez)
    assert os.listdir(tmp_path) == ["model.npz"]
    assert np.array_equal(nn.predict_proba(nn.load_params(path), X), nn.predict_proba(old, X))
    nn.save_params(path, new)  # and a save that succeeds replaces it
    assert np.array_equal(nn.predict_proba(nn.load_params(path), X), nn.predict_proba(new, X))


@pytest.mark.parametrize("damage", ["truncated", "one byte flipped", "random bytes", "text", "empty"])
def test_load_params_refuses_a_damaged_or_foreign_file_with_a_value_error_naming_it(tmp_path, damage):
    path = tmp_path / "model.npz"
    nn.save_params(path, nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0))
    data = path.read_bytes()
    path.write_bytes({"truncated": data[:len(data) // 2],
                      "one byte flipped": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:],
                      "random bytes": np.random.default_rng(0).bytes(500),
                      "text": b"hidden,output\nrelu,linear\n", "empty": b""}[damage])
    with pytest.raises(ValueError, match=r"model.npz (is damaged|is not an .npz archive|is a damaged or truncated)"):
        nn.load_params(path)


def regression_for_resume():
    rng = np.random.default_rng(0)
    X = rng.normal(100, 20, (90, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 3 * rng.standard_normal(90)
    X_val = rng.normal(100, 20, (30, 3))
    return nn.init_params([3, 8, 1], "tanh", "linear", seed=0), X, y, (X_val, X_val @ np.array([1.0, -2.0, 0.5]))


@pytest.mark.parametrize("with_validation", [False, True], ids=["no validation", "validation and patience"])
@pytest.mark.parametrize("optimizer, momentum", [("adam", 0.0), ("sgd", 0.0), ("sgd", 0.9)],
                         ids=["adam", "sgd", "momentum"])
def test_10_epochs_then_resume_to_20_equal_20_epochs_in_one_go(optimizer, momentum, with_validation):
    params, X, y, validation = regression_for_resume()
    settings = dict(lr=0.01, batch_size=16, optimizer=optimizer, momentum=momentum, seed=1, log_every=None)
    if with_validation:
        settings.update(validation=validation, patience=50)
    whole, whole_history = nn.train(params, X, y, epochs=20, **settings)
    half, half_history = nn.train(params, X, y, epochs=10, **settings)
    resumed, resumed_history = nn.train(half, X, y, epochs=20, resume=half_history, **settings)
    assert all(np.array_equal(resumed[k], whole[k]) for k in arrays(whole))
    assert resumed_history["loss"] == whole_history["loss"] and len(whole_history["loss"]) == 20
    assert resumed_history.get("val_loss") == whole_history.get("val_loss")
    assert resumed["epochs"] == whole["epochs"] == (whole_history["best_epoch"] if with_validation else 20)
    restarted, _ = nn.train(half, X, y, epochs=10, **settings)  # a warm start without resume: the optimizer anew
    assert not all(np.array_equal(restarted[k], whole[k]) for k in arrays(whole))


@pytest.mark.parametrize("how", ["KeyboardInterrupt from the callback", "SIGINT"])
def test_ctrl_c_returns_the_params_and_a_history_that_says_so_and_resume_goes_on_exactly(how):
    X, y = separable()
    params = nn.init_params([3, 8, 1], "tanh", "sigmoid", seed=0)
    settings = dict(lr=0.01, seed=0, log_every=None)

    def press_ctrl_c(epoch, history, current):
        if epoch == 3:
            if how == "SIGINT":
                os.kill(os.getpid(), signal.SIGINT)  # the handler train installs asks it to stop
            else:
                raise KeyboardInterrupt

    with pytest.warns(nn.TrainingInterrupted, match="interrupted"):  # whatever log_every: it must not pass unseen
        stopped, history = nn.train(params, X, y, epochs=10, callback=press_ctrl_c, **settings)
    assert history["interrupted"] is True
    assert len(history["loss"]) == 3 and stopped["epochs"] == 3
    assert history["ended"].startswith("interrupted (Ctrl-C) after epoch 3; returning epoch 3's params")
    resumed, _ = nn.train(stopped, X, y, epochs=10, resume=history, **settings)
    whole, _ = nn.train(params, X, y, epochs=10, **settings)
    assert all(np.array_equal(resumed[k], whole[k]) for k in arrays(whole))
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl-C is given back afterwards


# Issue 21: the threads that step a large network change nothing but the time


def test_train_with_one_thread_and_with_several_gives_identical_params(monkeypatch):
    monkeypatch.setattr(nn, "_blas_threads", lambda threads: contextlib.nullcontext())  # the slices' threads alone
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((32, 100)), rng.standard_normal(32)
    params = nn.init_params([100, 600, 200, 1], "relu", "linear", seed=0)  # 181,001 numbers: stepped in slices
    assert sum(params[k].size for k in arrays(params)) >= nn._LARGE
    one, _ = nn.train(params, X, y, epochs=2, batch_size=8, seed=0, threads=1, log_every=None)
    several, _ = nn.train(params, X, y, epochs=2, batch_size=8, seed=0, threads=4, log_every=None)
    assert all(np.array_equal(one[k], several[k]) for k in arrays(params))
    assert not np.array_equal(one["W2"], params["W2"])


# Issue 19: Part 1 is the whole network


def test_part_1_copied_alone_into_a_file_trains_a_network_to_a_held_out_target(tmp_path):
    import subprocess
    with open(nn.__file__) as source:
        text = source.read()
    part_1 = text[:text.index("\n# Part 2")]
    assert len(part_1.splitlines()) <= 345
    script = part_1 + '''

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (1000, 2))
y = (X[:, 0] * X[:, 1] > 0).astype(float)[:, None]  # XOR's quadrants: no linear model learns them
params = init_params([2, 16, 1], "tanh", "sigmoid", seed=0)
params, history = _plain_train(params, X[:800], y[:800], epochs=100, lr=0.01, batch_size=32, optimizer="adam",
                               seed=0)
Y_hat, _ = _forward(params, X[800:])
print(float(np.mean((Y_hat > 0.5) == (y[800:] > 0.5))), history["loss"][0], history["loss"][-1])
'''
    (tmp_path / "copied.py").write_text(script)
    done = subprocess.run([sys.executable, "-I", "copied.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    accuracy, first, last = map(float, done.stdout.split())
    assert accuracy >= 0.95 and last < 0.3 * first, done.stdout


# Issues 19-21: what the lead's own checks add (copying, saving, stopping, messages)


def test_a_large_network_stepped_in_threaded_slices_returns_what_the_plain_loop_returns():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(96, 300))
    Y = X[:, 0] ** 2
    params = nn.init_params([300, 500, 1], "relu", "linear", seed=0)
    assert params["W1"].size > nn._LARGE  # this network takes the sliced path
    fast, _ = nn.train(params, X, Y, epochs=2, lr=1e-3, batch_size=32, l2=1e-3, seed=1, standardize=False,
                       log_every=None, threads=2)
    plain, _ = nn._plain_train(params, X, Y[:, None], epochs=2, lr=1e-3, batch_size=32, optimizer="adam",
                               l2=1e-3, seed=1)
    for key in nn.param_keys(params):
        np.testing.assert_allclose(fast[key], plain[key], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_the_loss_from_logits_equals_the_textbook_form_where_both_are_finite_and_stays_exact_at_saturation(output):
    rng = np.random.default_rng(0)
    Z = rng.normal(scale=3, size=(20, 3))
    Y = (rng.random((20, 3)) > 0.5).astype(float) if output == "sigmoid" else np.eye(3)[rng.integers(0, 3, 20)]
    P = nn.OUTPUT[output](Z)
    textbook = (-(Y * np.log(P) + (1 - Y) * np.log(1 - P)).mean() if output == "sigmoid"
                else -(Y * np.log(P)).sum() / 20)
    assert nn._loss(Z, Y, output) == pytest.approx(textbook, rel=1e-12)
    wrong = np.array([[1e4, -1e4, 0.0]])  # confidently wrong about the true class 1
    target = np.array([[0.0, 1.0, 0.0]])
    expected = (1e4 + 1e4 + np.log(2)) / 3 if output == "sigmoid" else 2e4 + np.log1p(np.exp(-1e4) + np.exp(-2e4))
    assert nn._loss(wrong, target, output) == pytest.approx(expected, rel=1e-12)


def test_the_whole_file_copied_alone_into_an_empty_folder_trains_predicts_saves_and_loads(tmp_path):
    # The guide's first way to copy: nn.py as it is, into a project of yours, with NumPy alone.
    import shutil
    import subprocess
    shutil.copy(nn.__file__, tmp_path / "nn.py")
    script = """
import numpy as np
import nn

rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (600, 2)) * [1.0, 1000.0]              # raw, one feature in the thousands
y = (X[:, 0] * X[:, 1] > 0).astype(int)
params, history = nn.train(nn.init_params([2, 16, 1], "tanh", "sigmoid", seed=0), X[:400], y[:400],
                           validation=(X[400:500], y[400:500]), patience=20, seed=0, log_every=None)
nn.save_params("model.npz", params)
again = nn.load_params("model.npz")
assert (nn.predict(again, X[500:]) == nn.predict(params, X[500:])).all()
print(np.mean(nn.predict(again, X[500:]) == y[500:]))
"""
    (tmp_path / "mine.py").write_text(script)
    done = subprocess.run([sys.executable, "-E", "-s", "mine.py"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) >= 0.9, done.stdout  # held-out accuracy: the copy really learned
    with open(nn.__file__) as source:
        imported = {line.split()[1].split(".")[0] for line in source if line.startswith(("import ", "from "))}
    assert imported - set(sys.stdlib_module_names) == {"numpy"}  # what the guide promises it needs


def test_a_warning_from_a_pasted_copy_points_at_the_callers_line():
    namespace = {}
    with open(nn.__file__) as source:  # the whole file, pasted into a project under another name
        exec(compile(source.read(), "pasted.py", "exec"), namespace)
    params = nn.init_params([3, 2, 1], "relu", "linear", seed=0)
    with pytest.warns(namespace["ScaleWarning"]) as caught:
        line = sys._getframe().f_lineno + 1
        namespace["predict"](params, np.zeros((2, 3)))
    assert caught[0].filename == __file__ and caught[0].lineno == line


def test_sanity_check_fails_a_bias_gradient_averaged_instead_of_summed(monkeypatch):
    X, y = load_breast_cancer(return_X_y=True)
    params = nn.init_params([30, 8, 1], "tanh", "linear", seed=0)
    assert all(nn.sanity_check(params, X, y, show=False).values())
    right = nn._backward

    def planted(params, cache, Y):
        grads = right(params, cache, Y)
        grads["b2"] = grads["b2"] / Y.shape[0]  # the bug: a mean over the samples, not a sum
        return grads

    monkeypatch.setattr(nn, "_backward", planted)
    verdicts = nn.sanity_check(params, X, y, show=False)
    assert verdicts["gradients"] is False


def test_a_saved_network_loads_into_pytorch_with_the_same_predictions(tmp_path):
    torch = pytest.importorskip("torch")
    X, y = load_breast_cancer(return_X_y=True)
    trained, _ = nn.train(nn.init_params([30, 8, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=3, seed=0,
                          log_every=None)
    nn.save_params(tmp_path / "net.npz", trained)
    # the guide's recipe, as a reader would type it
    params = nn.load_params(tmp_path / "net.npz")
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "identity": torch.nn.Identity}
    layers = []
    for l in range(1, nn.depth(params) + 1):
        linear = torch.nn.Linear(*params[f"W{l}"].shape, dtype=torch.float64)
        linear.weight.data = torch.from_numpy(params[f"W{l}"].T.copy())  # torch keeps W as (n_out, n_in)
        linear.bias.data = torch.from_numpy(params[f"b{l}"].copy())
        layers += [linear, act[params["hidden"]]()]
    model = torch.nn.Sequential(*layers[:-1], torch.nn.Sigmoid())
    X_in = (X - params["x_mean"]) / params["x_std"]  # the network carries its inputs' standardisation
    with torch.no_grad():
        probabilities = model(torch.from_numpy(X_in)).numpy()[:, 0]
    np.testing.assert_allclose(probabilities, nn.predict_proba(params, X)[:, 1], rtol=1e-10)


def test_a_save_that_fails_keeps_the_old_file(tmp_path):
    path = tmp_path / "net.npz"
    small = nn.init_params([3, 2, 1], "relu", "linear", seed=0)
    nn.save_params(path, small)
    big = nn.init_params([300, 400, 1], "relu", "linear", seed=0)
    script = (f"import resource, sys; sys.path.insert(0, {HERE!r}); import nn\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, 20000))\n"
              "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              f"nn.save_params({str(path)!r}, nn.init_params([300, 400, 1], 'relu', 'linear', seed=0))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode != 0 and "File too large" in done.stderr + done.stdout
    loaded = nn.load_params(path)
    np.testing.assert_array_equal(loaded["W1"], small["W1"])
    assert [p.name for p in tmp_path.iterdir()] == ["net.npz"]  # no half-written file left beside it
    assert big["W1"].shape == (300, 400)


def test_save_params_refuses_an_entry_it_cannot_store_as_a_plain_array(tmp_path):
    params = nn.init_params([3, 2, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match="keys"):
        nn.save_params(tmp_path / "net", {**params, "notes": [1, "a"]})


def test_ctrl_c_mid_epoch_ends_training_after_the_step_in_progress_and_resume_goes_on_exactly(monkeypatch):
    X, y = load_breast_cancer(return_X_y=True)
    params = nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0)
    steps, real = [0], nn._backward

    def backward_that_presses_ctrl_c(params, cache, Y):
        steps[0] += 1
        if steps[0] == 20:  # the 20th step: epoch 2, its 2nd batch (18 batches an epoch)
            os.kill(os.getpid(), signal.SIGINT)
        return real(params, cache, Y)

    monkeypatch.setattr(nn, "_backward", backward_that_presses_ctrl_c)
    with pytest.warns(nn.TrainingInterrupted):
        trained, history = nn.train(params, X, y, epochs=4, seed=0, log_every=None)
    assert history["ended"].startswith("interrupted (Ctrl-C) during epoch 2, after 2 of its 18 batches")
    monkeypatch.setattr(nn, "_backward", real)
    with pytest.raises(ValueError, match="epochs counts the total with resume; the run has had 1 already"):
        nn.train(trained, X, y, epochs=1, seed=0, log_every=None, resume=history)  # epoch 2 is not done yet
    resumed, _ = nn.train(trained, X, y, epochs=4, seed=0, log_every=None, resume=history)
    straight, _ = nn.train(params, X, y, epochs=4, seed=0, log_every=None)
    np.testing.assert_array_equal(resumed["W1"], straight["W1"])


def test_train_flushes_subnormal_weights_to_zero():
    params = nn.init_params([3, 4, 1], "relu", "linear", seed=0)
    params["W1"][0, :] = 1e-310  # subnormal in float64
    X, y = np.random.default_rng(0).normal(size=(40, 3)), np.zeros(40)
    X[:, 0] = 0  # so that W1's first row gets no gradient, and stays subnormal but for the flush
    trained, _ = nn.train(params, X, y, epochs=1, lr=1e-300, optimizer="sgd", seed=0, log_every=None,
                          standardize=False, l2=0)
    assert (trained["W1"][0] == 0).all()


def test_a_short_run_still_falling_says_more_epochs_would_help():
    X, y = load_breast_cancer(return_X_y=True)
    _, history = nn.train(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0), X, y, epochs=3, lr=1e-4,
                          seed=0, log_every=None)
    assert history["ended"].endswith("more epochs would help")


def test_train_names_the_layer_whose_weights_stopped_being_finite(monkeypatch):
    X, y = load_breast_cancer(return_X_y=True)
    real = nn._backward

    def poisoned(params, cache, Y):
        grads = real(params, cache, Y)
        grads["W2"][0, 0] = np.inf
        return grads

    monkeypatch.setattr(nn, "_backward", poisoned)
    with pytest.raises(ValueError, match="W2 became NaN or infinite at epoch 1"):
        nn.train(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0), X, y, epochs=2, optimizer="sgd",
                 seed=0, log_every=None)


@pytest.mark.parametrize("make, says", [
    (lambda X: __import__("scipy.sparse").sparse.csr_matrix(X), r"X.toarray\(\)"),
    (lambda X: X.reshape(len(X), 2, 2), r"X.reshape\(len\(X\), -1\)"),
    (lambda X: X + 1j, "complex"),
])
def test_unusable_inputs_get_a_message_that_names_the_fix(make, says):
    params = nn.init_params([4, 3, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match=says):
        nn.train(params, make(np.ones((10, 4))), np.ones(10), log_every=None)


def test_a_dataframe_column_of_strings_is_named_and_a_dataframe_y_gets_the_to_numpy_fix():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"age": [30.0, 40.0, 50.0], "city": ["a", "b", "c"]})
    params = nn.init_params([2, 3, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match="'city' is not numeric"):
        nn.train(params, X, np.ones(3), log_every=None)
    with pytest.raises(ValueError, match=r"to_numpy\(\).ravel\(\)"):
        nn.train(params, X[["age", "age"]].set_axis(["a", "b"], axis=1), pd.DataFrame({"y": [1.0, 2.0, 3.0]}),
                 log_every=None)


def test_values_beyond_float32s_range_are_named_as_such():
    params = nn.init_params([2, 3, 1], "relu", "linear", seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match="beyond float32's range"):
        nn.forward(params, np.array([[1e39, 1.0]]))


def test_threads_must_be_a_positive_integer():
    params = nn.init_params([2, 3, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match="threads"):
        nn.train(params, np.ones((4, 2)), np.ones(4), threads=0, log_every=None)


def test_fuzzing_the_public_functions_raises_only_value_and_type_errors(tmp_path):
    """About 300 seeded random calls of every public function (odd shapes, dtypes, values, malformed
    dicts, damaged files, a save that fails half-way): each returns a right answer or raises a
    ValueError or TypeError (FileNotFoundError for a missing file), with no warning but
    ScaleWarning, within 10 s; a failed save leaves the old file as it was. bench/fuzz.py runs more."""
    sys.path.insert(0, os.path.join(HERE, "bench"))
    try:
        import fuzz
    finally:
        sys.path.pop(0)
    calls, bad = fuzz.fuzz_public_functions(nn, seed=20, calls=300, folder=tmp_path)
    causes = {}
    for outcome in bad:
        causes.setdefault(outcome["cause"], outcome)
    assert calls == 300
    assert not bad, f"{len(bad)} bad outcomes in {calls} calls, {len(causes)} root causes:\n" + "\n".join(
        f"- {cause}\n    {o['function']}: {o['case']}\n    -> {o['detail']}" for cause, o in causes.items())


def test_a_validation_set_scaled_by_hand_beside_raw_training_data_warns():
    X, y = load_breast_cancer(return_X_y=True)
    X_val = (X[400:] - X[400:].mean(axis=0)) / X[400:].std(axis=0)  # the mistake: only this part scaled
    with pytest.warns(nn.ScaleWarning, match=r"X_val is on another scale from X .*give both as they are"):
        nn.train(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0), X[:400], y[:400], epochs=2,
                 validation=(X_val, y[400:]), seed=0, log_every=None)


def test_history_and_params_unpacked_the_wrong_way_round_are_named():
    X, y = load_breast_cancer(return_X_y=True)
    history, params = nn.train(nn.init_params([30, 4, 1], "relu", "sigmoid", seed=0), X, y, epochs=1, seed=0,
                               log_every=None)  # the mistake: the pair swapped
    with pytest.raises(ValueError, match=r"is the history dict that train returns second; unpack in order"):
        nn.predict(params, X)


def test_a_dataframe_of_numbers_and_dummy_booleans_trains():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"age": np.linspace(20, 60, 40), "city": ["a", "b"] * 20})
    X = pd.get_dummies(X)  # bool columns beside a float one: numbers to train on, not strings
    trained, _ = nn.train(nn.init_params([3, 4, 1], "relu", "linear", seed=0), X, np.linspace(0, 1, 40), epochs=2,
                          seed=0, log_every=None)
    assert nn.predict(trained, X).shape == (40,)


def test_sanity_check_fails_an_l2_term_that_the_plain_loop_adds_to_the_biases_too():
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    with open(os.path.join(HERE, "nn.py")) as source:
        text = source.read()
    right = '                if key[0] == "W":\n                    grads[key] += l2 * params[key]'
    assert text.count(right) == 1  # the plain loop's l2 line, which the bug changes
    bugged = {"__name__": "bugged_nn"}
    exec(compile(text.replace(right, right.replace('key[0] == "W"', "True")), "bugged_nn.py", "exec"), bugged)
    verdicts = bugged["sanity_check"](bugged["init_params"]([10, 8, 1], "tanh", "linear", seed=0), X, y, show=False)
    assert verdicts["train matches the plain loop"] is False and verdicts["gradients"] is True
    assert nn.sanity_check(nn.init_params([10, 8, 1], "tanh", "linear", seed=0), X, y, show=False)[
        "train matches the plain loop"]


def test_the_guides_first_regression_prints_the_log_and_figures_it_shows(capsys):
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    X_train, y_train, X_val, y_val, X_test, y_test = X[:300], y[:300], X[300:370], y[300:370], X[370:], y[370:]
    params = nn.init_params([10, 32, 1], "relu", "linear", seed=0)
    params, history = nn.train(params, X_train, y_train, validation=(X_val, y_val), patience=20, seed=0)
    printed = capsys.readouterr().out.splitlines()
    untimed = lambda line: re.sub(r"  [0-9.]+ s(, ~[0-9.]+ s left)?", "", line)
    shown = readme_block("epoch   1/200  loss 0.8116").splitlines()
    assert [untimed(line) for line in printed] == [untimed(line) for line in shown]
    guide = guide_text()
    rmse = np.sqrt(np.mean((nn.predict(params, X_test) - y_test) ** 2))
    assert f"# {rmse:.1f}" in guide and f"RMSE of {rmse:.1f} against {np.sqrt(np.mean((y_train.mean() - y_test) ** 2)):.1f}" in guide
    val_rmse = np.sqrt(history["val_loss"][history["best_epoch"] - 1]) * params["y_std"][0]
    assert f"* {params['y_std'][0]:.1f} = {val_rmse:.1f}" in guide


def test_sanity_check_fails_a_wrong_loss_line_that_backward_cannot_see():
    X, y = load_breast_cancer(return_X_y=True)
    with open(os.path.join(HERE, "nn.py")) as source:
        text = source.read()
    right = "return float((Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)).sum()) / (n * k)"
    assert text.count(right) == 1  # the sigmoid output's loss line, whose two classes the bug swaps
    bugged = {"__name__": "bugged_nn"}
    wrong = right.replace("(0, -Z) + (1 - Y) * np.logaddexp(0, Z)", "(0, Z) + (1 - Y) * np.logaddexp(0, -Z)")
    exec(compile(text.replace(right, wrong), "bugged_nn.py", "exec"), bugged)
    verdicts = bugged["sanity_check"](bugged["init_params"]([30, 8, 1], "relu", "sigmoid", seed=0), X, y, show=False)
    assert verdicts["initial loss"] is False
    healthy = nn.sanity_check(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0, dtype=np.float32), X, y,
                              show=False)
    assert all(healthy.values())  # and the two formulas agree on a float32 network too


def test_training_targets_standardised_by_hand_beside_a_raw_validation_y_warn():
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)
    y_train = (y[:300] - y[:300].mean()) / y[:300].std()  # the mistake: one part of y scaled, the other not
    with pytest.warns(nn.ScaleWarning, match=r"Y_val is on another scale from the training targets"):
        nn.train(nn.init_params([10, 8, 1], "relu", "linear", seed=0), X[:300], y_train, epochs=2,
                 validation=(X[300:], y[300:]), seed=0, log_every=None)


def test_a_raw_test_set_beside_training_data_standardised_by_hand_warns():
    from sklearn.datasets import load_diabetes
    X, y = load_diabetes(return_X_y=True)  # centred columns of spread 0.05: only the spread tells
    m, s = X[:350].mean(axis=0), X[:350].std(axis=0)
    trained, _ = nn.train(nn.init_params([10, 8, 1], "relu", "linear", seed=0), (X[:350] - m) / s, y[:350],
                          epochs=2, seed=0, log_every=None)
    with pytest.warns(nn.ScaleWarning, match=r"column \d+ spreads 0.0\d+ times as widely as in training"):
        nn.predict(trained, X[350:])  # the mistake: the test part left as it was


# Issue 26: every promise holds in every combination of train's options


def offset_regression(n=60, seed=0):
    """Raw X whose columns sit far from 0 beside their spread, a target in the thousands, and a
    validation pair from the same source."""
    rng = np.random.default_rng(seed)
    X = rng.normal([1e6, -50.0, 3.0], [2.0, 10.0, 0.5], (n + 20, 3))
    Z = (X - [1e6, -50.0, 3.0]) / [2.0, 10.0, 0.5]
    y = 2000 + 300 * np.tanh(Z[:, 0] - Z[:, 1]) + 50 * Z[:, 2]
    return X[:n], y[:n], (X[n:], y[n:])


def press_ctrl_c_at_step(monkeypatch, step):
    """From now on, train's `step`-th call of backward sends this process a SIGINT (Ctrl-C)."""
    calls, real = [0], nn._backward

    def backward(params, cache, Y):
        calls[0] += 1
        if calls[0] == step:
            os.kill(os.getpid(), signal.SIGINT)
        return real(params, cache, Y)

    monkeypatch.setattr(nn, "_backward", backward)
    return lambda: monkeypatch.setattr(nn, "_backward", real)


def same_run(a, a_history, b, b_history):
    """Two trainings that returned the same network, bit for bit, and the same history."""
    assert set(a) == set(b)
    for key in a:
        if isinstance(a[key], np.ndarray):
            assert a[key].dtype == b[key].dtype and np.array_equal(a[key], b[key]), key
        else:
            assert a[key] == b[key], key
    for key in ("loss", "val_loss", "best_epoch", "ended"):
        assert a_history.get(key) == b_history.get(key), key


OPTIONS = {  # each option of train that changes the numbers or the path they take, with its values
    "optimizer": [("adam", 0.0), ("sgd", 0.0), ("sgd", 0.9)],
    "schedule": [None, "cosine"],
    "patience": [None, 2],
    "standardize": [True, False],
    "dtype": [np.float64, np.float32],
    "path": ["one vector", "slices", "slices in 2 threads"],
}
MATRIX = list(itertools.product(*OPTIONS.values()))


@pytest.mark.parametrize("case", range(len(MATRIX)))
def test_a_run_interrupted_at_a_random_step_and_resumed_equals_one_run_for_every_combination(case, monkeypatch):
    (optimizer, momentum), schedule, patience, standardize, dtype, path = MATRIX[case]
    if path != "one vector":  # a small network, stepped as a large one is: in slices, in threads
        monkeypatch.setattr(nn, "_LARGE", 16)
        monkeypatch.setattr(nn, "_SLICE_BYTES", 64)
    X, y, validation = offset_regression()
    if not standardize:
        X, y, validation = (X - X.mean(0)) / X.std(0), (y - 2000) / 300, None
    params = nn.init_params([3, 6, 4, 1], "tanh", "linear", seed=0, dtype=dtype)
    settings = dict(epochs=6, lr=0.02, batch_size=16, optimizer=optimizer, momentum=momentum, schedule=schedule,
                    standardize=standardize, seed=case, log_every=None,
                    threads=2 if path == "slices in 2 threads" else 1)
    if patience:
        settings.update(validation=validation or (X[:20], y[:20]), patience=patience)
    whole, whole_history = nn.train(params, X, y, **settings)
    steps = len(whole_history["loss"]) * 4  # 60 samples in batches of 16: 4 steps an epoch
    at = int(np.random.default_rng(case).integers(1, steps + 1))
    give_back = press_ctrl_c_at_step(monkeypatch, at)
    with pytest.warns(nn.TrainingInterrupted):
        cut, cut_history = nn.train(params, X, y, **settings)
    give_back()
    assert cut_history["interrupted"] is True
    if at == steps:  # Ctrl-C at the very last step: nothing is left to resume, and the run is whole
        with pytest.raises(ValueError, match="epochs counts the total|stopped early"):
            nn.train(cut, X, y, **settings, resume=cut_history)
        assert all(np.array_equal(cut[k], whole[k]) for k in arrays(whole))
        return
    resumed, resumed_history = nn.train(cut, X, y, **settings, resume=cut_history)
    same_run(resumed, resumed_history, whole, whole_history)


def test_the_option_matrix_interrupts_runs_at_every_kind_of_moment():
    """The random steps of the test above fall mid-epoch, at an epoch's end and at the run's end alike."""
    kinds = set()
    for case in range(len(MATRIX)):
        at = int(np.random.default_rng(case).integers(1, 6 * 4 + 1))
        kinds.add("last step" if at == 24 else "end of an epoch" if at % 4 == 0 else "mid-epoch")
    assert kinds == {"mid-epoch", "end of an epoch", "last step"}


@pytest.mark.parametrize("offset", [1e3, 1e6, 1e9, 1e12])
def test_a_float32_network_predicts_within_rounding_of_the_float64_one_whatever_the_offsets(offset):
    rng = np.random.default_rng(0)
    spread = np.array([1.0, 1e-3, 50.0])
    X = offset * spread + rng.standard_normal((200, 3)) * spread  # offsets of `offset` spreads
    y = np.sin((X[:, 0] - offset) + (X[:, 1] - offset * 1e-3) * 1e3) + (X[:, 2] - offset * 50) / 50
    trained, _ = nn.train(nn.init_params([3, 16, 1], "tanh", "linear", seed=0), X, y, epochs=30, seed=0,
                          log_every=None)
    as_float32 = {k: (v.astype(np.float32) if k in arrays(trained) else v) for k, v in trained.items()}
    exact, rounded = nn.predict(trained, X), nn.predict(as_float32, X)
    assert rounded.dtype == np.float32
    assert np.abs(rounded - exact).max() < 1e-5 * np.abs(exact).max()  # float32's rounding, not the offset's
    assert np.corrcoef(exact, y)[0, 1] > 0.95  # and the network learned the columns, offsets and all


def test_a_float32_network_learns_from_unix_times_in_milliseconds_as_well_as_a_float64_one():
    rng = np.random.default_rng(0)
    t = 1.7e12 + rng.uniform(0, 60_000, 500)  # times within one minute: float32's step there is ~131 s
    y = np.sin(2 * np.pi * (t - 1.7e12) / 60_000)
    scores = {}
    for dtype in (np.float64, np.float32):
        params = nn.init_params([1, 16, 1], "tanh", "linear", seed=0, dtype=dtype)
        trained, _ = nn.train(params, t[:400, None], y[:400], epochs=100, seed=0, log_every=None)
        scores[dtype] = 1 - np.mean((nn.predict(trained, t[400:, None]) - y[400:]) ** 2) / np.var(y[400:])
    assert scores[np.float64] > 0.95 and abs(scores[np.float32] - scores[np.float64]) < 1e-3, scores


def interrupted_run(monkeypatch, at=5, **settings):
    X, y, validation = offset_regression()
    params = nn.init_params([3, 6, 1], "tanh", "linear", seed=0)
    settings = dict(epochs=6, lr=0.02, batch_size=16, seed=0, log_every=None, **settings)
    give_back = press_ctrl_c_at_step(monkeypatch, at)
    with pytest.warns(nn.TrainingInterrupted):
        cut, history = nn.train(params, X, y, **settings)
    give_back()
    return params, X, y, validation, cut, history, settings


@pytest.mark.parametrize("change, message", [
    (dict(lr=0.05), r"resume continues a run exactly, so lr must be as it was: the run had lr=0.02, this call has 0.05"),
    (dict(l2=0.1), r"so l2 must be as it was: the run had l2=0.0001, this call has 0.1"),
    (dict(seed=1), r"so seed must be as it was: the run had seed=0, this call has 1"),
    (dict(batch_size=8), r"so batch_size must be as it was"),
    (dict(optimizer="sgd"), r"so optimizer must be as it was"),
    (dict(schedule="cosine"), r"so schedule must be as it was"),
    (dict(standardize=False), r"so standardize must be as it was"),
    (dict(threads=2), r"so threads must be as it was"),
])
def test_resume_refuses_other_settings_and_says_how_to_train_on_differently(monkeypatch, change, message):
    params, X, y, _, cut, history, settings = interrupted_run(monkeypatch)
    with pytest.raises(ValueError, match=message + r".*start afresh from the returned network \(a warm start\)"):
        nn.train(cut, X, y, **{**settings, **change}, resume=history)
    warm, _ = nn.train(cut, X, y, **{**settings, **change})  # the fix it names runs
    assert warm["epochs"] == cut["epochs"] + 6


def test_resume_takes_seed_none_as_the_runs_own_shuffling(monkeypatch):
    params, X, y, _, cut, history, settings = interrupted_run(monkeypatch)
    resumed, _ = nn.train(cut, X, y, **{**settings, "seed": None}, resume=history)
    whole, _ = nn.train(params, X, y, **settings)
    assert all(np.array_equal(resumed[k], whole[k]) for k in arrays(whole))


def test_resume_refuses_another_network_or_other_data_and_accepts_the_start_or_the_returned_one(monkeypatch):
    params, X, y, _, cut, history, settings = interrupted_run(monkeypatch)
    other = nn.init_params([3, 6, 1], "tanh", "linear", seed=1)
    with pytest.raises(ValueError, match="resume continues the network its history came with, but these params"):
        nn.train(other, X, y, **settings, resume=history)
    with pytest.raises(ValueError, match="resume continues a run on its own data, but X, y or the validation"):
        nn.train(cut, X[::-1], y[::-1], **settings, resume=history)
    with pytest.raises(ValueError, match="resume continues a run on its own data"):
        nn.train(cut, X, y + 1, **settings, resume=history)
    from_start, _ = nn.train(params, X, y, **settings, resume=history)
    from_cut, _ = nn.train(cut, X, y, **settings, resume=history)  # a history can be resumed twice
    assert all(np.array_equal(from_start[k], from_cut[k]) for k in arrays(cut))


def test_a_cosine_run_resumed_to_another_total_is_refused_with_the_fix(monkeypatch):
    params, X, y, _, cut, history, settings = interrupted_run(monkeypatch, at=10, schedule="cosine")
    with pytest.raises(ValueError, match=r"cosine schedule decays its lr to 0 over 6 epochs, and resume keeps "
                                         r"that schedule, so epochs must stay 6"):
        nn.train(cut, X, y, **{**settings, "epochs": 12}, resume=history)
    resumed, _ = nn.train(cut, X, y, **settings, resume=history)  # to its own total, it goes on exactly
    whole, _ = nn.train(params, X, y, **settings)
    assert all(np.array_equal(resumed[k], whole[k]) for k in arrays(whole))
    finished, finished_history = nn.train(params, X, y, **settings)
    with pytest.raises(ValueError, match="cosine schedule"):  # a finished cosine run has nothing to resume
        nn.train(finished, X, y, **{**settings, "epochs": 12}, resume=finished_history)


def test_an_early_stopped_run_resumes_only_with_a_larger_patience_and_then_as_one_run_with_it():
    X, y, validation = offset_regression(seed=1)
    params = nn.init_params([3, 12, 1], "tanh", "linear", seed=0)
    settings = dict(epochs=300, lr=0.05, batch_size=8, seed=0, log_every=None, validation=validation)
    stopped, history = nn.train(params, X, y, patience=2, **settings)
    assert history["ended"].startswith("stopped early") and len(history["loss"]) < 300
    assert stopped["epochs"] == history["best_epoch"]  # the epochs of the weights returned, not of the run
    with pytest.raises(ValueError, match=r"this run stopped early at epoch \d+: .* Resume with a larger patience"):
        nn.train(stopped, X, y, patience=2, **settings, resume=history)
    with pytest.raises(ValueError, match="patience must be as it was"):
        nn.train(stopped, X, y, patience=1, **settings, resume=history)
    resumed, resumed_history = nn.train(stopped, X, y, patience=6, **settings, resume=history)
    whole, whole_history = nn.train(params, X, y, patience=6, **settings)
    same_run(resumed, resumed_history, whole, whole_history)


def test_a_saved_early_stopped_network_counts_the_epochs_of_its_weights(tmp_path):
    X, y, validation = offset_regression(seed=1)
    stopped, history = nn.train(nn.init_params([3, 12, 1], "tanh", "linear", seed=0), X, y, epochs=300, lr=0.05,
                                batch_size=8, seed=0, log_every=None, validation=validation, patience=2)
    nn.save_params(tmp_path / "net.npz", stopped)
    assert nn.load_params(tmp_path / "net.npz")["epochs"] == history["best_epoch"] < len(history["loss"])


def test_a_second_ctrl_c_stops_train_at_once_and_returns_nothing(monkeypatch):
    X, y, _ = offset_regression()
    calls, real = [0], nn._backward

    def backward(params, cache, Y):
        calls[0] += 1
        if calls[0] == 3:
            os.kill(os.getpid(), signal.SIGINT)
            os.kill(os.getpid(), signal.SIGINT)
        return real(params, cache, Y)

    monkeypatch.setattr(nn, "_backward", backward)
    with pytest.raises(KeyboardInterrupt):
        nn.train(nn.init_params([3, 6, 1], "tanh", "linear", seed=0), X, y, epochs=6, log_every=None)
    assert calls[0] == 3 and signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_ctrl_c_while_train_finishes_is_reported_and_the_run_is_whole(monkeypatch):
    X, y, _ = offset_regression()
    real = nn._finish

    def finish_interrupted(*args):
        os.kill(os.getpid(), signal.SIGINT)  # arrives after the last step, while train folds and checks
        return real(*args)

    monkeypatch.setattr(nn, "_finish", finish_interrupted)
    params = nn.init_params([3, 6, 1], "tanh", "linear", seed=0)
    with pytest.warns(nn.TrainingInterrupted, match="Ctrl-C came as train was finishing; the run is complete"):
        trained, history = nn.train(params, X, y, epochs=6, seed=0, log_every=None)
    monkeypatch.setattr(nn, "_finish", real)
    whole, _ = nn.train(params, X, y, epochs=6, seed=0, log_every=None)
    assert all(np.array_equal(trained[k], whole[k]) for k in arrays(whole)) and not history["interrupted"]


@pytest.mark.parametrize("answer", [0.93, 1, "stop", np.array([True])])
def test_a_callback_that_returns_anything_but_none_or_a_bool_is_refused_at_once(answer):
    X, y = separable()
    with pytest.raises(ValueError, match=r"the callback returned .* after epoch 1; it must return True to stop"):
        nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=5, log_every=None,
                 callback=lambda epoch, history, params: answer)


def test_an_output_on_a_small_scale_that_learned_nothing_is_named_beside_one_that_learned():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((400, 3))
    Y = np.column_stack([1000 * (X[:, 0] - X[:, 1]), 1e-3 * rng.standard_normal(400)])  # the second is noise
    params = nn.init_params([3, 8, 2], "tanh", "linear", seed=0)
    with pytest.warns(nn.ScaleWarning, match="output 1's training loss .* is no better than predicting a constant"):
        nn.train(params, X, Y, epochs=20, standardize=False, lr=0.01, seed=0, log_every=None)


def test_a_huge_l2_that_learns_nothing_is_named_in_the_warning():
    X, y = separable()
    with pytest.warns(nn.ScaleWarning, match=r"l2=1 is large: it pulls every weight to 0 harder than the data"):
        nn.train(nn.init_params([3, 8, 1], "tanh", "sigmoid", seed=0), X, y, epochs=20, l2=1.0, seed=0,
                 log_every=None)


@pytest.mark.parametrize("seed", range(8))
def test_the_readmes_gradient_check_with_relu_checks_every_key_and_catches_a_planted_relu_derivative(seed, monkeypatch):
    params = nn.init_params([3, 5, 4, 2], "relu", "linear", seed=seed)  # zero biases: samples sit on the kink
    rng = np.random.default_rng(seed)
    X, Y = rng.standard_normal((6, 3)), rng.standard_normal((6, 2))
    errors = nn.gradient_check(params, X, Y)
    assert set(errors) == set(arrays(params)) and max(errors.values()) < 1e-6, errors
    monkeypatch.setitem(nn.HIDDEN, "relu", (nn.relu, WRONG_DERIVATIVES["relu"]))
    assert max(nn.gradient_check(params, X, Y).values()) > 1e-3


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_gradient_check_passes_a_right_backward_on_confident_right_outputs(output):
    rng = np.random.default_rng(0)
    X = rng.standard_normal((20, 3))
    k = N_OUT[output]
    params = nn.init_params([3, 4, k], "tanh", output, seed=0)
    params["W1"][:] = 0
    params["W1"][0] = 5  # every hidden unit is about +-1 by the sign of x_1
    params["W2"][:] = np.linspace(-8, 8, k)  # logits of about +-8 k: outputs within 1e-7 of their targets
    Z = np.tanh(5 * X[:, :1]) * np.linspace(-8, 8, k) * 4
    Y = (Z > 0).astype(float) if output == "sigmoid" else np.argmax(Z, axis=1)
    errors = nn.gradient_check(params, X, Y)
    assert max(errors.values()) < 1e-6, errors


def test_gradient_check_refuses_an_h_whose_own_error_would_fail_a_right_backward():
    params, X, Y = make_problem("tanh", "sigmoid", DEPTHS["three hidden layers"])
    assert max(nn.gradient_check(params, X, Y, h=3e-5).values()) < 1e-6
    with pytest.raises(ValueError, match=r"h must be at most 3e-5: the slope over \[theta - h, theta \+ h\] errs by "
                                         r"about h\^2"):
        nn.gradient_check(params, X, Y, h=1e-4)


def test_gradient_check_of_a_network_whose_gradients_are_all_zero_reports_them_right():
    params = nn.init_params([3, 4, 1], "tanh", "linear", seed=0)
    X, y = np.zeros((5, 3)), np.zeros(5)  # zero inputs, zero biases, zero targets: every gradient is 0
    errors = nn.gradient_check(params, X, y)
    assert max(errors.values()) == 0.0


@pytest.mark.parametrize("bad", [np.inf, -np.inf])
def test_a_non_finite_weight_behind_a_saturated_unit_is_refused_by_forward_and_predict(bad):
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    params["W1"][0, 0] = bad  # tanh(+-inf) = +-1: the outputs stay finite, the network is broken
    X = np.random.default_rng(0).standard_normal((5, 3))
    for call in (lambda: nn.forward(params, X), lambda: nn.predict({**params, "epochs": 1}, X)):
        with pytest.raises(ValueError, match=r"params\['W1'\] contains NaN or infinity"):
            call()


def guide_code(start):
    """The ```python block of docs/guide.md that begins with the line `start`."""
    text = guide_text()
    block = text[text.index("```python\n" + start) + len("```python\n"):]
    return block[:block.index("```")]


def test_the_guides_resume_blocks_run_as_pasted_and_print_what_they_say(tmp_path, capsys, monkeypatch):
    first = guide_code("import numpy as np")
    data = first[:first.index("params = nn.init_params")]  # the first model's data
    resume, keep = guide_code("def press_ctrl_c("), guide_code("import pickle")
    monkeypatch.chdir(tmp_path)
    with pytest.warns(nn.TrainingInterrupted, match="interrupted"):
        exec(compile(data + resume + keep, "guide.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == ["True 57", "True", "300"]
    for code, shown in ((resume, "# True 57"), (resume, "# True: as if never stopped"), (keep, "# 300")):
        assert shown in code


@pytest.mark.parametrize("seed", ["abc", -1, 1.5, True])
@pytest.mark.parametrize("call", ["init_params", "train", "gradient_check", "sanity_check"])
def test_a_seed_that_is_no_seed_is_named(call, seed):
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    calls = {"init_params": lambda: nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=seed),
             "train": lambda: nn.train(params, X, y, epochs=1, seed=seed, log_every=None),
             "gradient_check": lambda: nn.gradient_check(params, X[:3], y[:3], seed=seed),
             "sanity_check": lambda: nn.sanity_check(params, X, y, seed=seed)}
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0 \(or None, or a np.random.Generator\); got "):
        calls[call]()


def test_a_callback_that_cannot_take_three_arguments_is_refused_before_training():
    X, y = separable()
    with pytest.raises(ValueError, match=r"callback must be a function callback\(epoch, history, params\)"):
        nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=1, log_every=None,
                 callback=lambda: None)


def test_gradient_check_refuses_a_loss_whose_rounding_it_cannot_bound():
    params = nn.init_params([1, 3, 5], "relu", "softmax", seed=0)
    with pytest.raises(ValueError, match="is not finite: use standardised data|below what rounding lets"):
        nn.gradient_check(params, np.array([[1.7e308]]), np.array([0]))
def test_targets_beyond_a_float32_networks_outputs_are_refused_with_the_fix():
    X = np.random.default_rng(0).standard_normal((20, 2))
    params = nn.init_params([2, 3, 1], "tanh", "linear", seed=0, dtype=np.float32)
    with pytest.raises(ValueError, match=r"Y has values up to 1e\+38, too large for the outputs of a float32 network"
                                         r".*divide y by a power of ten, or use a float64 network"):
        nn.train(params, X, np.full(20, 1e38) * np.sign(X[:, 0]), epochs=1, log_every=None)


def test_a_warm_start_on_data_that_its_statistics_blow_beyond_float32_is_refused():
    rng = np.random.default_rng(0)
    X = rng.normal(0, 1e-40, (30, 2))  # a spread of 1e-40: data in other units would standardise to 1e40
    params = nn.init_params([2, 3, 1], "tanh", "linear", seed=0, dtype=np.float32)
    first, _ = nn.train(params, X, rng.standard_normal(30), epochs=1, log_every=None)
    with pytest.raises(ValueError, match=r"X, standardised with the statistics this network was trained with, goes "
                                         r"beyond float32's range"), pytest.warns(nn.ScaleWarning):
        nn.train(first, rng.normal(0, 1, (30, 2)), rng.standard_normal(30), epochs=1, log_every=None)


def test_resume_refuses_a_history_whose_record_is_not_one_train_made():
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    trained, history = nn.train(params, X, y, epochs=2, log_every=None)
    broken = {**history, "state": {**history["state"], "settings": {"lr": 0.003}}}
    with pytest.raises(ValueError, match="resume must be the history that train returned for the run to continue"):
        nn.train(trained, X, y, epochs=4, log_every=None, resume=broken)


@pytest.mark.parametrize("quiet", [None, False, 0])
def test_log_every_none_false_or_0_prints_nothing(quiet, capsys):
    X, y = separable()
    nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=3, log_every=quiet, seed=0)
    assert capsys.readouterr().out == ""


def test_a_large_adam_learning_rate_warns_with_the_usual_range():
    X, y = separable()
    with pytest.warns(nn.ScaleWarning, match=r"lr=1.0 is large for Adam, whose every step moves each weight by about "
                                             r"lr .* try the default, lr=0.003"):
        nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=3, lr=1.0, seed=0,
                 log_every=None)


def test_train_leaves_an_ignored_sigint_ignored():
    X, y = separable()
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a background job's Ctrl-C is ignored
    try:
        def press_ctrl_c(epoch, history, params):
            os.kill(os.getpid(), signal.SIGINT)

        _, history = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=3, seed=0,
                              log_every=None, callback=press_ctrl_c)
        assert not history["interrupted"] and len(history["loss"]) == 3
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_run_that_learned_and_then_lost_it_is_said_to_have_gone_backwards(monkeypatch):
    X, y = separable()
    losses = iter([0.2, 0.3, 0.4, 0.5, 0.6])
    monkeypatch.setattr(nn, "_loss", lambda Z, Y, output: next(losses, 0.6))  # a loss that climbs
    with pytest.warns(nn.ScaleWarning, match=r"training went backwards: the final training loss 0.6 is higher than the "
                                             r"first epoch's 0.2. Usual causes: lr=0.003 is likely too large"):
        nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=5, batch_size=None, seed=0,
                 log_every=None)


def test_init_params_names_scikit_learns_random_state():
    with pytest.raises(TypeError, match=r"unexpected keyword argument 'random_state'; its settings are seed "
                                        r"\(scikit-learn's random_state\)"):
        nn.init_params([3, 4, 1], "tanh", "sigmoid", random_state=0)


def test_the_sanity_check_fails_adams_bias_correction_without_its_square_root(capsys, monkeypatch):
    with open(os.path.join(HERE, "nn.py")) as source:
        text = source.read()
    right = "lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)"
    assert text.count(right) == 1  # a fresh reader's planted bug, which every other check passed
    bugged = {"__name__": "bugged_nn"}
    exec(compile(text.replace(right, "lr_t = lr * (1 - beta2**t) / (1 - beta1**t)"), "bugged_nn.py", "exec"), bugged)
    X, y = separable()
    verdicts = bugged["sanity_check"](bugged["init_params"]([3, 8, 1], "tanh", "sigmoid", seed=0), X, y)
    assert verdicts["train matches the plain loop"] is False and verdicts["gradients"] is True
    assert "_adam_step's three steps on made-up gradients end at" in capsys.readouterr().out


# Issue 27: every message leads to the fix (pandas habits, wrong-cause warnings, damaged files)


def houses(n=60, seed=0):
    """A small DataFrame as a pandas user has one: a price, a room count and a city (a category)."""
    pd = pytest.importorskip("pandas")
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame({"price": rng.normal(2000, 100, n), "rooms": rng.integers(1, 5, n),
                          "city": rng.choice(["a", "b", "c"], n)})
    return frame, (frame["price"] > 2000).astype(int).to_numpy()


def houses_network():
    pd = pytest.importorskip("pandas")
    frame, y = houses()
    X = pd.get_dummies(frame)  # price, rooms, city_a, city_b, city_c: floats, ints and booleans
    params, _ = nn.train(nn.init_params([5, 4, 1], "relu", "sigmoid", seed=0), X, y, epochs=3, seed=0,
                         log_every=None)
    return params, X, frame


def test_a_frames_values_of_mixed_number_types_and_object_columns_of_numbers_are_taken_as_the_numbers_they_are():
    params, X, _ = houses_network()
    expected = nn.predict_proba(params, X.to_numpy(dtype=float))
    values = X.values  # an object array: [2092.4, 3, False]
    assert values.dtype == object
    assert np.array_equal(nn.predict_proba(params, values), expected)
    assert np.array_equal(nn.predict_proba(params, X.astype(object)), expected)


@pytest.mark.parametrize("column, fix", [
    (["3.5", "4.0", "1.25"], "X['c'] = pd.to_numeric(X['c'])"),
    ("dates", "X['c'] = X['c'].map(pd.Timestamp.timestamp)"),
    ("durations", "X['c'] = X['c'].dt.total_seconds()"),
], ids=["numbers as text", "dates", "durations"])
def test_a_column_that_is_not_numbers_is_named_with_the_fix_for_its_kind_and_the_pasted_fix_trains(column, fix):
    pd = pytest.importorskip("pandas")
    values = column if isinstance(column, list) else {
        "dates": pd.Series(pd.to_datetime(["2024-01-01", "2024-06-01", "2025-01-01"])),
        "durations": pd.Series(pd.to_timedelta([1, 60, 3600], unit="s"))}[column]
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "c": values})
    params = nn.init_params([2, 3, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match=r"X's column 'c' is not numeric") as error:
        nn.train(params, X, np.ones(3), epochs=1, log_every=None)
    assert fix in str(error.value)
    fixed = paste_fix(str(error.value), "X['c']", X=X.copy())["X"]
    trained, _ = nn.train(params, fixed, np.arange(3.0), epochs=1, log_every=None)
    assert nn.predict(trained, fixed).shape == (3,)


@pytest.mark.parametrize("values, says", [
    (["a", "b", "a"], r"'c' is not numeric .*row 0 holds 'a'.*X = pd.get_dummies\(X, columns=\['c'\]\)"),
    ([1.0, None, 2.0], r"'c' is not numeric .*row 1 holds None.*missing values"),
], ids=["categories", "a missing value"])
def test_a_column_of_categories_or_missing_values_is_named_with_its_row(values, says):
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "c": pd.Series(values, dtype=object)})
    with pytest.raises(ValueError, match=says):
        nn.train(nn.init_params([2, 3, 1], "relu", "linear", seed=0), X, np.ones(3), epochs=1, log_every=None)


def test_a_test_frame_lacking_a_dummy_column_names_it_and_the_pasted_reindex_predicts_as_the_full_frame():
    pd = pytest.importorskip("pandas")
    params, X, frame = houses_network()
    rows = frame["city"] != "c"
    X_test = pd.get_dummies(frame[rows])  # no 'c' among these rows: get_dummies makes no city_c column
    with pytest.raises(ValueError, match=r"X lacks 1 of the columns the network was trained on: \['city_c'\]") \
            as error:
        nn.predict(params, X_test)
    fixed = paste_fix(str(error.value), "X", X=X_test, params=params)["X"]
    assert np.array_equal(nn.predict_proba(params, fixed), nn.predict_proba(params, X[rows.to_numpy()]))


def test_one_extra_column_among_thirty_is_named_alone_and_the_pasted_fix_predicts_as_without_it():
    pd = pytest.importorskip("pandas")
    from sklearn.datasets import load_breast_cancer as cancer
    data = cancer(as_frame=True)
    X, y = data.data, data.target.to_numpy()
    params, _ = nn.train(nn.init_params([30, 4, 1], "relu", "sigmoid", seed=0), X, y, epochs=2, seed=0,
                         log_every=None)
    wider = X.assign(extra=1.0)
    with pytest.raises(ValueError, match=r"X has 1 column the network was not trained on: \['extra'\]") as error:
        nn.predict(params, wider)
    message = str(error.value)
    assert len(message) < 200 and "mean radius" not in message  # the 30 training names are not listed
    fixed = paste_fix(message, "X", X=wider, params=params)["X"]
    assert np.array_equal(nn.predict(params, fixed), nn.predict(params, X))


def test_a_y_of_two_columns_for_one_output_says_so_and_the_pasted_column_trains():
    pd = pytest.importorskip("pandas")
    X, y = separable()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    for Y, one in ((np.column_stack([y, 1 - y]), "Y[:, 0]"), (pd.DataFrame({"y": y, "other": 1 - y}), "Y['y']")):
        with pytest.raises(ValueError, match=r"Y has 2 columns.*; the network has 1 output: pass the one target "
                                             r"column") as error:
            nn.train(params, X, Y, epochs=1, log_every=None)
        assert f"e.g. {one} if it is the first" in str(error.value)
        column = eval(one, {}, {"Y": Y})  # the fix the message names
        trained, _ = nn.train(params, X, column, epochs=1, seed=0, log_every=None)
        assert nn.predict(trained, X).shape == y.shape


def test_one_row_as_a_series_is_one_sample_and_without_column_names_the_pasted_fix_makes_it_one():
    params, X, _ = houses_network()
    assert np.array_equal(nn.predict_proba(params, X.iloc[3]), nn.predict_proba(params, X.iloc[[3]]))
    assert np.array_equal(nn.predict_proba(params, X.iloc[3][X.columns[::-1]]), nn.predict_proba(params, X.iloc[[3]]))
    unnamed = {key: value for key, value in params.items() if key != "feature_names"}  # trained on an array
    with pytest.raises(ValueError, match=r"X must be 2-D .*got shape \(5,\) \(a Series: for one sample, "
                                         r"X = X.to_frame\(\).T") as error:
        nn.predict(unnamed, X.iloc[3])
    fixed = paste_fix(str(error.value).split(", or take")[0], "X", X=X.iloc[3])["X"]
    assert np.array_equal(nn.predict_proba(unnamed, fixed), nn.predict_proba(params, X.iloc[[3]]))


@pytest.mark.parametrize("seed", ["abc", 1.5, -1, [1, 2], True])
def test_a_seed_that_is_no_integer_is_named_and_the_fix_it_gives_is_a_seed(seed):
    with pytest.raises(ValueError, match=r"seed must be an integer >= 0 .*e.g. seed=0") as error:
        nn._check_seed(seed)
    fix = int(re.search(r"e.g. seed=(\d+):", str(error.value)).group(1))
    assert nn._check_seed(fix) == 0 and np.random.default_rng(fix).integers(10) == np.random.default_rng(0).integers(10)
    assert nn._check_seed(None) is None and nn._check_seed(np.int64(7)) == 7


def test_columns_in_another_order_warn_naming_the_columns_and_the_order_and_in_order_predict_quietly():
    X, y = load_breast_cancer(return_X_y=True)
    params, _ = nn.train(nn.init_params([30, 8, 1], "relu", "sigmoid", seed=0), X[:400], y[:400], epochs=2,
                         seed=0, log_every=None)
    swapped = X[400:][:, [3, 1, 2, 0] + list(range(4, 30))]  # 'mean area' and 'mean radius' change places
    with pytest.warns(nn.ScaleWarning) as caught:
        nn.predict(params, swapped)
    message = str(caught[0].message)
    assert re.search(r"column 0 sits [0-9.e+]+ training standard deviations from its training mean, column 3 "
                     r"sits [0-9.e+]+, the median column ", message), message
    assert "column 0 looks like training column 3, column 3 looks like training column 0: the columns may be in " \
           "another order than in training" in message
    nn.predict(params, swapped[:, [3, 1, 2, 0] + list(range(4, 30))])  # the training order: no warning at all


def test_a_network_file_from_before_the_format_version_loads_with_its_first_layer_unfolded(tmp_path):
    """The save_params before the format version wrote W1' = W1 / s, b1' = b1 - (m / s) @ W1 beside
    x_mean = m, x_std = s. load_params must give back W1 and b1, acting on standardised inputs."""
    rng = np.random.default_rng(0)
    for dtype in (np.float64, np.float32):
        net = nn.init_params([3, 5, 1], "tanh", "sigmoid", seed=0, dtype=dtype)
        net["b1"] = rng.normal(size=5).astype(dtype)
        m, s = np.array([1e4, -3.0, 250.0]), np.array([20.0, 0.5, 40.0])
        W1, b1 = net["W1"].astype(np.float64), net["b1"].astype(np.float64)
        old = {**net, "W1": (W1 / s[:, None]).astype(dtype), "b1": (b1 - (m / s) @ W1).astype(dtype),
               "x_mean": m, "x_std": s}
        np.savez(tmp_path / "old.npz", **{key: np.asarray(value) for key, value in old.items()})
        with pytest.raises(ValueError, match=r"has x's statistics but no format version, so nothing says whether"):
            nn.load_params(tmp_path / "old.npz")  # it could as well be a network of this nn.py saved by np.savez
        loaded = nn.load_params(tmp_path / "old.npz", folded=True)
        assert loaded["W1"].dtype == dtype and set(loaded) == set(old)
        eps = np.finfo(dtype).eps
        np.testing.assert_allclose(loaded["W1"], W1, rtol=4 * eps)
        np.testing.assert_allclose(loaded["b1"], b1, rtol=0, atol=8 * eps * (np.abs(m / s) @ np.abs(W1)).max())
        weights = lambda p: {key: p[key] for key in ("hidden", "output", "W1", "b1", "W2", "b2")}
        X = rng.normal(m, s, (6, 3))
        np.testing.assert_allclose(nn._forward(weights(loaded), ((X - m) / s).astype(dtype))[0],
                                   nn._forward(weights(old), X.astype(dtype))[0],
                                   rtol=1e-3 if dtype == np.float32 else 1e-9)
        nn.save_params(tmp_path / "new.npz", loaded)  # written again: a version now, so loaded as it is
        again = nn.load_params(tmp_path / "new.npz")
        assert all(np.array_equal(again[key], loaded[key]) for key in arrays(loaded) + ["x_mean", "x_std"])


def zip_index(path):
    """Where an .npz's zip index (central directory and end record) starts, and the file's bytes."""
    data = path.read_bytes()
    return data.index(b"PK\x01\x02"), data


def test_every_bit_flipped_in_a_saved_files_zip_index_is_refused_naming_the_file_or_loads_the_same_network(tmp_path):
    X, y = separable()
    params, _ = nn.train(nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0), X, y, epochs=2, seed=0,
                         log_every=None)
    path = tmp_path / "model.npz"
    nn.save_params(path, params)
    start, data = zip_index(path)
    refused = same = 0
    for at in range(start, len(data)):  # one bit of every byte of the index, each bit in turn
        damaged = bytearray(data)
        damaged[at] ^= 1 << at % 8
        path.write_bytes(bytes(damaged))
        try:
            loaded = nn.load_params(path)
        except ValueError as error:
            assert "model.npz" in str(error), str(error)
            refused += 1
            continue
        assert set(loaded) == set(params) and all(np.array_equal(loaded[k], params[k]) for k in arrays(params))
        same += 1
    assert refused > 0 and refused + same == len(data) - start


def test_a_zip_index_that_lost_its_last_entries_is_refused_as_missing_them(tmp_path):
    import struct
    path = tmp_path / "model.npz"
    nn.save_params(path, nn.init_params([3, 4, 4, 1], "tanh", "sigmoid", seed=0))
    start, data = zip_index(path)
    end = data.rindex(b"PK\x05\x06")
    last = data.rindex(b"PK\x01\x02", start, end)  # the index's last entry: drop it, as a damaged size does
    entries, size = struct.unpack_from("<HI", data, end + 10)
    record = bytearray(data[end:])
    struct.pack_into("<HHI", record, 8, entries - 1, entries - 1, size - (end - last))
    path.write_bytes(data[:last] + bytes(record))
    with pytest.raises(ValueError, match=r"model.npz is damaged: its entries \['\w+'\] are missing"):
        nn.load_params(path)


def test_load_params_names_the_file_for_a_header_numpy_cannot_read_and_for_one_asking_for_more_than_it_holds(tmp_path):
    import tracemalloc
    import zipfile
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    path = tmp_path / "model.npz"
    nn.save_params(path, params)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    header = b"{'descr': '<f8', 'fortran_order': False}"  # no 'shape': NumPy's own error
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            garbled = b"\x93NUMPY\x01\x00" + len(header + b"\n").to_bytes(2, "little") + header + b"\n"
            archive.writestr(name, garbled if name == "W1.npy" else data)
    with pytest.raises(ValueError, match=r"model.npz is damaged: the header of W1.npy cannot be read"):
        nn.load_params(path)
    # A deflated b1 that really unpacks to 64 MiB of zeros, from a file of a hundred KiB or so.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            if name != "b1.npy":
                archive.writestr(name, data)
        shape = f"{{'descr': '<f8', 'fortran_order': False, 'shape': ({2**23},), }}".encode()
        with archive.open("b1.npy", "w", force_zip64=True) as member:
            member.write(b"\x93NUMPY\x01\x00" + len(shape + b"\n").to_bytes(2, "little") + shape + b"\n")
            for _ in range(16):
                member.write(bytes(2**22))
    assert path.stat().st_size < 2**20
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"model.npz is damaged: 'b1' claims shape \(8388608,\), more bytes "
                                             r"than the file holds for it"):
            nn.load_params(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2**23, peak  # nothing near the 64 MiB asked for


@pytest.mark.parametrize("make, fix", [
    (lambda pd: pd.Series(pd.date_range("2024-01-01", periods=100, freq="D")), "Y = Y.map(pd.Timestamp.timestamp)"),
    (lambda pd: pd.Series(pd.to_timedelta(np.arange(100), unit="s")), "Y = Y.dt.total_seconds()"),
    (lambda pd: pd.Series([f"{v:.2f}" for v in np.linspace(0, 1, 100)], dtype="string"), "Y = pd.to_numeric(Y)"),
], ids=["dates", "durations", "text"])
def test_a_series_target_of_dates_durations_or_text_is_refused_and_the_pasted_fix_trains(make, fix):
    pd = pytest.importorskip("pandas")
    X, _ = separable()
    Y = make(pd)
    params = nn.init_params([3, 4, 1], "tanh", "linear", seed=0)
    with pytest.raises(ValueError, match=r"Y must (be numeric|hold numbers)") as error:
        nn.train(params, X, Y, epochs=1, log_every=None)
    assert fix in str(error.value)
    fixed = paste_fix(str(error.value), "Y", Y=Y)["Y"]
    trained, _ = nn.train(params, X, fixed, epochs=1, seed=0, log_every=None)
    assert nn.predict(trained, X).shape == (100,)


def test_a_0d_nan_and_a_huge_integer_in_an_object_series_get_value_errors_that_say_what_is_wrong():
    pd = pytest.importorskip("pandas")
    params = nn.init_params([1, 3, 1], "relu", "linear", seed=0)
    with pytest.raises(ValueError, match=r"X contains NaN or infinity; remove or impute"):
        nn.predict(untracked(params), np.array(np.nan))
    with pytest.raises(ValueError, match=r"Y holds an integer too large for any float \(of 401 digits"):
        nn.loss(params, np.ones((2, 1)), pd.Series([10**400, 1], dtype=object))


def test_x_near_float64s_limit_warns_of_its_scale_and_leaks_no_runtime_warning():
    X, y = load_breast_cancer(return_X_y=True)
    params, _ = nn.train(nn.init_params([30, 4, 1], "relu", "sigmoid", seed=0), X, y, epochs=1, seed=0,
                         log_every=None)
    for huge in (X[:50] / X.max() * 1e308, np.full((50, 30), 1.7e308), np.where(X[:50] > 1, 1.7e308, -1.7e308)):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                nn.predict_proba(params, huge)
            except ValueError as error:  # the outputs overflow (inf, or inf - inf): said in words
                assert re.search(r"the network's outputs (overflowed|came out NaN)", str(error))
        assert {w.category for w in caught} == {nn.ScaleWarning}, [str(w.message) for w in caught]


def test_a_nan_in_a_cache_is_named_and_nan_results_are_not_called_an_overflow():
    params, X, Y = make_problem("relu", "linear", [3, 5])
    _, cache = nn.forward(params, X)
    cache["A1"] = cache["A1"].copy()
    cache["A1"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"cache\['A1'\] holds NaN, which forward never returns"):
        nn.backward(params, cache, Y)
    with pytest.raises(ValueError, match=r"the loss came out NaN \(not a number\)"):
        nn._finite(np.array([np.nan, 1.0]), "the loss")
    with pytest.raises(ValueError, match=r"the loss overflowed to infinity"):
        nn._finite(np.array([np.inf, np.nan]), "the loss")


def test_a_full_disk_names_the_file_and_leaves_the_earlier_one(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"
    old = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    nn.save_params(path, old)

    def disk_full(file, **entries):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(nn.np, "savez", disk_full)
    with pytest.raises(OSError, match=r"No space left on device; the network was not saved, and any earlier file "
                                      r"of that name is as it was: '.*model.npz'") as error:
        nn.save_params(path, nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=1))
    assert error.value.errno == 28 and error.value.filename == str(path)
    monkeypatch.undo()
    assert np.array_equal(nn.load_params(path)["W1"], old["W1"]) and os.listdir(tmp_path) == ["model.npz"]


def test_saving_to_a_folder_path_is_refused_and_the_pasted_fix_saves_a_file_load_params_finds(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    with pytest.raises(ValueError, match=r"is a folder; name the file to write in it") as error:
        nn.save_params(f"{folder}{os.sep}", params)
    assert os.listdir(folder) == []
    fix = str(error.value).split("e.g. ")[1]
    exec(fix, {"nn": nn, "os": os, "params": params})
    assert os.listdir(folder) == ["model.npz"]
    assert np.array_equal(nn.load_params(folder / "model")["W1"], params["W1"])
    nn.save_params(folder, params)  # a bare name, as with np.savez: models.npz, beside the folder
    assert np.array_equal(nn.load_params(tmp_path / "models")["W1"], params["W1"])


def test_save_params_leaves_a_write_protected_file_and_gives_a_new_one_the_umasks_permissions(tmp_path):
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    path = tmp_path / "kept.npz"
    nn.save_params(path, params)
    path.chmod(0o444)
    other = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=1)
    with pytest.raises(PermissionError, match=r"kept.npz is write-protected, so save_params leaves it as it is") \
            as error:
        nn.save_params(path, other)
    assert np.array_equal(nn.load_params(path)["W1"], params["W1"]) and path.stat().st_mode & 0o777 == 0o444
    exec(str(error.value).split("writable first (")[1][:-1], {"os": os, "path": path})  # the fix: os.chmod(...)
    nn.save_params(path, other)
    assert np.array_equal(nn.load_params(path)["W1"], other["W1"]) and path.stat().st_mode & 0o777 == 0o644
    for umask in (0o077, 0o022):
        previous = os.umask(umask)
        try:
            nn.save_params(tmp_path / f"new{umask:o}.npz", params)
        finally:
            os.umask(previous)
        assert (tmp_path / f"new{umask:o}.npz").stat().st_mode & 0o777 == 0o666 & ~umask


def test_the_helpers_take_what_they_are_documented_to_and_name_what_to_pass_otherwise(tmp_path):
    params = nn.init_params([3, 4, 1], "tanh", "sigmoid", seed=0)
    nn.save_params(str(tmp_path / "bytes").encode(), params)  # a bytes path, as os.fsencode gives
    assert np.array_equal(nn.load_params(str(tmp_path / "bytes.npz").encode())["W1"], params["W1"])
    picture = nn.loss_curve({"loss": [1.0, 0.5, 0.25], "val_loss": np.array([1.1, 0.6, 0.4])})
    assert "o val_loss" in picture
    with pytest.raises(ValueError, match=r"history\['val_loss'\] must be a list of numbers"):
        nn.loss_curve({"loss": [1.0, 0.5], "val_loss": 0.5})
    named = {**untracked(params), "feature_names": 5}
    with pytest.raises(ValueError, match=r"params\['feature_names'\] must be the 3 column names train records") \
            as error:
        nn.predict(named, np.ones((2, 3)))
    exec(str(error.value).rsplit("or drop them: ", 1)[1], {}, {"params": named})
    assert "feature_names" not in named and nn.predict(named, np.ones((2, 3))).shape == (2,)
    with pytest.raises(ValueError, match=r"feature_names"):
        nn.save_params(tmp_path / "named", {**params, "feature_names": ("a", "b")})


def test_the_guides_threshold_for_imbalanced_classes_runs_as_pasted_and_gives_the_recall_it_reports():
    guide = guide_text()
    start = guide.index("```python\n# Is it an 8?") + len("```python\n")
    printed = []
    namespace = {"nn": nn, "np": np, "print": lambda *a: printed.append(a)}
    exec(guide[start:guide.index("```", start)], namespace)
    y_test, y_pred = namespace["y_test"], namespace["y_pred"]
    plain = nn.predict(namespace["params"], namespace["X_test"])
    recall = lambda pred: np.sum(pred & (y_test == 1)) / np.sum(y_test == 1)
    precision = lambda pred: np.sum(pred & (y_test == 1)) / np.sum(pred)
    found = lambda pred: int(np.sum(pred & (y_test == 1)))
    assert printed == [(recall(plain), recall(y_pred))]
    assert (np.sum(y_test == 1), len(y_test)) == (44, 450)
    assert (f"`predict` found {found(plain)} (a recall of {recall(plain):.3f}, at a precision\nof "
            f"{precision(plain):.3f}); the threshold chosen on validation, {namespace['threshold']:.2f}, found "
            f"{found(y_pred)} (a recall of {recall(y_pred):.3f}, at a precision\nof {precision(y_pred):.3f}") in guide
    assert recall(y_pred) > recall(plain)


def test_the_guides_errors_table_quotes_the_messages_of_issue_27_as_nn_py_words_them(tmp_path):
    pd = pytest.importorskip("pandas")
    params, X, frame = houses_network()
    table = guide_text().split("## Errors and warnings")[1].split("\n## ")[0]
    fresh = nn.init_params([3, 4, 1], "relu", "sigmoid", seed=0)  # for the raw frame: price, rooms, city
    made = {
        "X has the training columns in another order": lambda: nn.predict(params, X[X.columns[::-1]]),
        "X has 1 column the network was not trained on: ['extra']": lambda: nn.predict(params, X.assign(extra=1)),
        "X lacks 1 of the columns the network was trained on: ['city_c']":
            lambda: nn.predict(params, pd.get_dummies(frame[frame["city"] != "c"])),
        "X has renamed columns: it has 'rooms' as 'n_rooms'":
            lambda: nn.predict(params, X.rename(columns={"rooms": "n_rooms"})),
        "X's column 'city' is not numeric (dtype str; row 0 holds 'a')":  # str: pandas 3's text dtype
            lambda: nn.train(fresh, frame.assign(city="a"), np.ones(len(frame)), epochs=1, log_every=None),
        "X = pd.get_dummies(X, columns=['city'])":
            lambda: nn.train(fresh, frame, np.ones(len(frame)), epochs=1, log_every=None),
        "Y has 2 columns; the network has 1 output":
            lambda: nn.train(params, X, np.ones((len(X), 2)), epochs=1, log_every=None),
        "path 'models/' is a folder; name the file to write in it":
            lambda: nn.save_params("models/", params),
        "[Errno 28] No space left on device; the network was not saved": None,
    }
    for fragment, call in made.items():
        assert fragment in table, fragment
        if call is not None:
            message = str(_error_of(call)).replace("dtype object;", "dtype str;")  # pandas 2 calls text object
            assert fragment in message, (fragment, message)


def _error_of(call):
    try:
        call()
    except (ValueError, TypeError, OSError) as error:
        return error
    raise AssertionError("no error")


@pytest.mark.parametrize("dtype, rtol", [(np.float64, 1e-9), (np.float32, 1e-5)])
def test_an_old_file_converted_predicts_as_the_old_network_did(tmp_path, dtype, rtol):
    rng = np.random.default_rng(0)
    X = rng.normal([1e4, -3.0, 250.0], [20.0, 0.5, 40.0], (50, 3))
    old = {**nn.init_params([3, 5, 1], "tanh", "sigmoid", seed=0, dtype=dtype), "epochs": 7}  # for raw X, as folded
    m, s = X.mean(axis=0), X.std(axis=0)
    np.savez(tmp_path / "old.npz", **{key: np.asarray(value) for key, value in {**old, "x_mean": m, "x_std": s}.items()})
    loaded = nn.load_params(tmp_path / "old.npz", folded=True)
    np.testing.assert_allclose(nn.predict_proba(loaded, X)[:, 1], nn._forward(old, X.astype(dtype))[0][:, 0], rtol=rtol)


def test_a_network_saved_with_np_savez_loads_as_it_is_when_the_caller_says_so(tmp_path):
    rng = np.random.default_rng(0)
    X = rng.normal(100, 20, (80, 3))
    y = X @ [1.0, -2.0, 0.5]
    params, _ = nn.train(nn.init_params([3, 8, 1], "tanh", "linear", seed=0), X, y, epochs=20, seed=0,
                         log_every=None)
    np.savez(tmp_path / "mine.npz", **{key: np.asarray(value) for key, value in params.items()})
    with pytest.raises(ValueError, match=r"Written by np.savez from a network of this nn.py, it has not: "
                                         r"nn.load_params\(.*, folded=False\)"):
        nn.load_params(tmp_path / "mine.npz")  # a guess either way could be silently wrong
    loaded = nn.load_params(tmp_path / "mine.npz", folded=False)
    np.testing.assert_array_equal(nn.predict(loaded, X), nn.predict(params, X))


def test_a_column_constant_in_training_far_from_0_standardises_other_values_to_numbers_of_the_dtype():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.standard_normal(60), np.full(60, 3e38)])  # the second never varies, near float32's max
    y = (X[:, 0] > 0).astype(int)
    params, _ = nn.train(nn.init_params([2, 4, 1], "tanh", "sigmoid", seed=0, dtype=np.float32), X, y, epochs=3,
                         seed=0, log_every=None)
    assert params["x_std"][1] == pytest.approx(3e38, rel=1e-12)  # the column's mean, its own size
    assert np.isfinite(nn.predict_proba(params, np.zeros((1, 2)))).all()  # 0 standardises to -1, no overflow


def test_a_column_that_never_varied_in_training_cannot_move_a_prediction():
    rng = np.random.default_rng(0)
    X = np.column_stack([rng.standard_normal(200), np.full(200, 5.0), rng.standard_normal(200)])
    y = X[:, 0] - 2 * X[:, 2]
    params, _ = nn.train(nn.init_params([3, 8, 1], "tanh", "linear", seed=0), X, y, epochs=20, optimizer="sgd",
                         lr=0.05, seed=0, log_every=None)
    assert (params["W1"][1] == 0).all()  # it started at 0, and no gradient or l2 moved it
    X_test = X[:20].copy()
    X_test[:, 1] = rng.uniform(-100, 100, 20)  # the column varies now: the network learned nothing of it
    np.testing.assert_array_equal(nn.predict(params, X_test), nn.predict(params, X[:20]))
