"""Tests for nn.py. The heart is the gradient check: backward must agree with centred finite
differences of loss, for every parameter, activation, output and depth, and the same check must
fail when a bug is planted in backward. Run with `pytest`."""

import ast
import math
import sys
import warnings

import numpy as np
import pytest

import nn

# Any warning fails a test: an overflow or a divide by zero is a bug here, never noise.
pytestmark = pytest.mark.filterwarnings("error")

HIDDENS = ["relu", "tanh", "sigmoid"]
OUTPUTS = ["linear", "sigmoid", "softmax"]
DEPTHS = {"one hidden layer": [3, 5], "three hidden layers": [3, 5, 4, 5]}
N_OUT = {"linear": 2, "sigmoid": 2, "softmax": 3}


def make_problem(hidden, output, sizes, n=6, seed=0):
    """Small random params, inputs and targets of the right kind for `output`."""
    rng = np.random.default_rng(seed)
    k = N_OUT[output]
    params = nn.init_params(sizes + [k], hidden, seed=rng)
    # Non-zero biases, so that b's gradient is not tested only at b = 0.
    params = {key: v + 0.1 * rng.standard_normal(v.shape) if key[0] == "b" else v for key, v in params.items()}
    X = rng.standard_normal((n, sizes[0]))
    if output == "linear":
        Y = rng.standard_normal((n, k))
    elif output == "sigmoid":
        Y = rng.integers(0, 2, size=(n, k)).astype(float)
    else:
        Y = rng.integers(0, k, size=n)
    return params, X, Y


H = 1e-5  # centred differences err by ~h^2 (truncation) plus ~eps * L / h (rounding): both << 1e-6 here


def numerical_grads(params, X, Y, hidden, output, h=H):
    """dL/dtheta by centred differences, (L(theta + h) - L(theta - h)) / 2h, one entry at a time."""
    def loss_at(p):
        return nn.loss(nn.forward(p, X, hidden, output)[0], Y, output)

    grads = {}
    for key, value in params.items():
        grads[key] = np.zeros_like(value)
        for idx in np.ndindex(value.shape):
            shifted = value.copy()
            shifted[idx] = value[idx] + h
            up = loss_at({**params, key: shifted})
            shifted[idx] = value[idx] - h
            down = loss_at({**params, key: shifted})
            grads[key][idx] = (up - down) / (2 * h)
    return grads


def relative_errors(analytic, numeric):
    """Per key, the largest elementwise |a - b| / max(1e-8, |a| + |b|)."""
    return {key: float(np.max(np.abs(analytic[key] - numeric[key])
                              / np.maximum(1e-8, np.abs(analytic[key]) + np.abs(numeric[key]))))
            for key in analytic}


def smallest_hidden_preactivation(params, X, hidden):
    """min |Z| over the hidden layers: near 0, a ReLU's kink would make finite differences lie."""
    A, smallest = X, np.inf
    n_layers = len(params) // 2
    for l in range(1, n_layers):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        smallest = min(smallest, np.abs(Z).min())
        A = nn.HIDDEN[hidden][0](Z)
    return smallest


def gradient_errors(hidden, output, sizes):
    params, X, Y = make_problem(hidden, output, sizes)
    _, cache = nn.forward(params, X, hidden, output)
    analytic = nn.backward(params, cache, Y, hidden, output)
    return relative_errors(analytic, numerical_grads(params, X, Y, hidden, output))


# The gradient check


@pytest.mark.parametrize("sizes", DEPTHS.values(), ids=DEPTHS.keys())
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("hidden", HIDDENS)
def test_backward_matches_finite_differences_for_every_parameter(hidden, output, sizes):
    params, X, _ = make_problem(hidden, output, sizes)
    if hidden == "relu":
        assert smallest_hidden_preactivation(params, X, hidden) > 100 * H  # a step of h never crosses the kink
    errors = gradient_errors(hidden, output, sizes)
    assert set(errors) == set(params)
    worst = max(errors, key=errors.get)
    assert errors[worst] < 1e-6, f"{worst}: relative error {errors[worst]:.2e}"


WRONG_DERIVATIVES = {
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


def test_gradient_check_fails_on_a_planted_mean_instead_of_sum_for_bias():
    params, X, Y = make_problem("tanh", "softmax", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X, "tanh", "softmax")
    grads = nn.backward(params, cache, Y, "tanh", "softmax")
    grads["b1"] = grads["b1"] / X.shape[0]  # the bug: db = mean of dZ rather than its sum
    errors = relative_errors(grads, numerical_grads(params, X, Y, "tanh", "softmax"))
    assert errors["W1"] < 1e-6
    assert errors["b1"] > 0.5


# Sanity checks with answers known in closed form


@pytest.mark.parametrize("hidden", HIDDENS)
@pytest.mark.parametrize("output, expected", [("softmax", math.log(3)), ("sigmoid", math.log(2))])
def test_zero_last_layer_gives_the_uniform_loss(hidden, output, expected):
    params, X, Y = make_problem(hidden, output, DEPTHS["three hidden layers"])
    params["W4"][:] = 0.0
    params["b4"][:] = 0.0
    Y_hat, _ = nn.forward(params, X, hidden, output)
    assert abs(nn.loss(Y_hat, Y, output) - expected) < 1e-12


def test_forward_matches_a_network_computed_by_hand():
    params = {"W1": np.array([[1.0, -1.0], [2.0, 0.5]]), "b1": np.array([0.0, 1.0]),
              "W2": np.array([[1.0], [-2.0]]), "b2": np.array([0.5])}
    X = np.array([[1.0, 2.0], [-3.0, 1.0]])
    # Row 1: Z1 = [1 + 4, -1 + 1 + 1] = [5, 1], A1 = [5, 1], Z2 = 5 - 2 + 0.5 = 3.5.
    # Row 2: Z1 = [-3 + 2, 3 + 0.5 + 1] = [-1, 4.5], A1 = [0, 4.5], Z2 = -9 + 0.5 = -8.5.
    Y_hat, cache = nn.forward(params, X, "relu", "linear")
    np.testing.assert_allclose(Y_hat, [[3.5], [-8.5]], rtol=1e-15)
    np.testing.assert_allclose(cache["A1"], [[5.0, 1.0], [0.0, 4.5]], rtol=1e-15)
    assert abs(nn.loss(Y_hat, np.array([3.0, -8.0]), "linear") - 0.25) < 1e-15  # (0.5^2 + 0.5^2) / 2
    P, _ = nn.forward(params, X, "relu", "sigmoid")
    np.testing.assert_allclose(P, 1 / (1 + np.exp([[-3.5], [8.5]])), rtol=1e-14)


def test_update_returns_new_arrays_and_leaves_its_inputs_untouched():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X, "tanh", "linear")
    grads = nn.backward(params, cache, Y, "tanh", "linear")
    params_before = {k: v.copy() for k, v in params.items()}
    grads_before = {k: v.copy() for k, v in grads.items()}
    new = nn.update(params, grads, 0.1)
    for key in params:
        assert np.array_equal(params[key], params_before[key])
        assert np.array_equal(grads[key], grads_before[key])
        np.testing.assert_allclose(new[key], params[key] - 0.1 * grads[key], rtol=1e-15)
        assert new[key] is not params[key]


def test_train_learns_xor_to_full_accuracy():
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([0, 1, 1, 0])
    params = nn.init_params([2, 8, 1], "tanh", seed=0)
    params, history = nn.train(params, X, y, "tanh", "sigmoid", epochs=2000, lr=0.5, seed=0, log_every=None)
    assert np.array_equal(nn.predict(params, X, "tanh", "sigmoid"), y)
    assert history[-1] < 0.05 < history[0]


# The contract: shapes, keys, initialisation


def test_init_params_shapes_dtypes_and_zero_biases():
    params = nn.init_params([4, 32, 16, 1], seed=0)
    assert list(params) == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert [params[k].shape for k in params] == [(4, 32), (32,), (32, 16), (16,), (16, 1), (1,)]
    assert all(v.dtype == np.float64 for v in params.values())
    assert all(not params[f"b{l}"].any() for l in (1, 2, 3))


@pytest.mark.parametrize("hidden, std", [("relu", math.sqrt(2 / 400)), ("tanh", math.sqrt(2 / 700)),
                                          ("sigmoid", math.sqrt(2 / 700))])
def test_init_scale_is_he_for_relu_and_glorot_otherwise(hidden, std):
    W = nn.init_params([400, 300], hidden, seed=0)["W1"]  # 120,000 draws: the sample std is within 1%
    assert abs(W.std() / std - 1) < 0.01


def test_init_never_touches_the_global_random_state():
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    nn.init_params([3, 4, 1], seed=None)
    nn.train(nn.init_params([3, 4, 1], seed=1), np.ones((8, 3)), np.ones(8), epochs=3, batch_size=2,
             log_every=None)
    assert np.array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize("output", OUTPUTS)
def test_backward_returns_the_keys_and_shapes_of_params(output):
    params, X, Y = make_problem("relu", output, DEPTHS["three hidden layers"])
    _, cache = nn.forward(params, X, "relu", output)
    grads = nn.backward(params, cache, Y, "relu", output)
    assert grads.keys() == params.keys()
    assert all(grads[k].shape == params[k].shape for k in params)


def test_a_1d_target_for_one_output_is_a_column_not_an_n_by_n_broadcast():
    rng = np.random.default_rng(0)
    Y_hat, y = rng.standard_normal((5, 1)), rng.standard_normal(5)
    assert nn.loss(Y_hat, y) == pytest.approx(np.mean((Y_hat[:, 0] - y) ** 2), rel=1e-15)
    assert nn.loss(Y_hat, y) == nn.loss(Y_hat, y[:, None])


def test_softmax_integer_labels_and_one_hot_give_the_same_loss_and_gradients():
    params, X, labels = make_problem("tanh", "softmax", DEPTHS["one hidden layer"])
    Y_hat, cache = nn.forward(params, X, "tanh", "softmax")
    one_hot = np.eye(3)[labels]
    assert nn.loss(Y_hat, labels, "softmax") == nn.loss(Y_hat, one_hot, "softmax")
    from_labels = nn.backward(params, cache, labels, "tanh", "softmax")
    from_one_hot = nn.backward(params, cache, one_hot, "tanh", "softmax")
    assert all(np.array_equal(from_labels[k], from_one_hot[k]) for k in params)


def test_predict_gives_values_labels_and_classes_in_scikit_learn_shapes():
    params = nn.init_params([3, 4, 1], seed=0)
    X = np.random.default_rng(1).standard_normal((7, 3))
    assert nn.predict(params, X, "relu", "linear").shape == (7,)
    assert set(nn.predict(params, X, "relu", "sigmoid")) <= {0, 1}
    softmax_params = nn.init_params([3, 4, 5], seed=0)
    classes = nn.predict(softmax_params, X, "relu", "softmax")
    assert classes.shape == (7,) and classes.min() >= 0 and classes.max() < 5


def test_save_then_load_gives_back_the_same_params(tmp_path):
    params = nn.init_params([3, 4, 2], seed=0)
    nn.save_params(tmp_path / "net.npz", params)
    loaded = nn.load_params(tmp_path / "net.npz")
    assert loaded.keys() == params.keys()
    assert all(np.array_equal(loaded[k], params[k]) for k in params)


def test_adam_state_is_explicit_and_inputs_are_untouched():
    params, X, Y = make_problem("tanh", "linear", DEPTHS["one hidden layer"])
    _, cache = nn.forward(params, X, "tanh", "linear")
    grads = nn.backward(params, cache, Y, "tanh", "linear")
    state = nn.adam_init(params)
    before = {k: v.copy() for k, v in params.items()}
    new, state2 = nn.adam_update(params, grads, state, lr=0.01)
    assert state["t"] == 0 and state2["t"] == 1
    assert all(np.array_equal(params[k], before[k]) for k in params)
    # On the first step m = 0.1 g and v = 0.001 g^2, and the bias correction cancels both factors:
    # the step is lr * g / (|g| + eps / sqrt(0.001)), nearly lr * sign(g).
    for key in params:
        g = grads[key]
        np.testing.assert_allclose(new[key], params[key] - 0.01 * g / (np.abs(g) + 1e-8 / math.sqrt(0.001)),
                                   rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("optimizer, schedule", [("sgd", None), ("adam", None), ("adam", "cosine")])
def test_train_lowers_the_loss_with_mini_batches(optimizer, schedule):
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (200, 2))
    y = np.sin(2 * X[:, 0]) + X[:, 1] ** 2
    params = nn.init_params([2, 16, 1], "tanh", seed=0)
    lr = 0.05 if optimizer == "sgd" else 0.01
    _, history = nn.train(params, X, y, "tanh", epochs=200, lr=lr, batch_size=32, optimizer=optimizer,
                          schedule=schedule, seed=0, log_every=None)
    assert len(history) == 200
    assert history[-1] < 0.1 * history[0]


def test_train_logs_at_epoch_zero_and_every_log_every_epochs():
    seen = []
    nn.train(nn.init_params([1, 2, 1], seed=0), np.ones((4, 1)), np.ones(4), epochs=25, lr=0.01,
             log_every=10, callback=lambda epoch, value: seen.append(epoch))
    assert seen == [0, 10, 20]


def test_the_default_log_line_is_steady(capsys):
    nn.print_loss(500, 166.8412)
    assert capsys.readouterr().out == "epoch   500  loss 166.841\n"


# Numerical stability at the extremes


@pytest.mark.parametrize("output", ["sigmoid", "softmax"])
def test_logits_of_plus_minus_1e4_give_finite_loss_and_gradients_without_warnings(output):
    params = {"W1": np.array([[1e4, -1e4, 0.0]]), "b1": np.zeros(3)}
    if output == "sigmoid":
        Y = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 0.0]])  # each saturated output on its wrong side
    else:
        Y = np.array([1, 0])  # the wrong class, with a logit 2e4 below the winner
    X = np.array([[1.0], [-1.0]])
    with warnings.catch_warnings(), np.errstate(over="raise", divide="raise", invalid="raise"):
        warnings.simplefilter("error")
        Y_hat, cache = nn.forward(params, X, "relu", output)
        value = nn.loss(Y_hat, Y, output)
        grads = nn.backward(params, cache, Y, "relu", output)
    # A saturated wrong entry costs -log(eps) ~ 36.04, not -log(0) = inf; the sigmoid's 0.5s cost log 2.
    cap = -math.log(np.finfo(float).eps)
    expected = (4 * cap + 2 * math.log(2)) / 6 if output == "sigmoid" else cap
    assert value == pytest.approx(expected, rel=1e-12)
    assert all(np.isfinite(g).all() for g in grads.values())


def test_nn_imports_numpy_and_the_standard_library_only():
    with open(nn.__file__) as source:
        tree = ast.parse(source.read())
    modules = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names}
    modules |= {node.module.split(".")[0] for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module}
    assert modules - sys.stdlib_module_names == {"numpy"}



# Bad input: a ValueError that names the argument, what it got and what it expected


@pytest.fixture
def net():
    """A [3, 4, 2] network, 5 samples, and matching sigmoid targets."""
    rng = np.random.default_rng(0)
    return nn.init_params([3, 4, 2], seed=0), rng.standard_normal((5, 3)), rng.integers(0, 2, (5, 2))


@pytest.mark.parametrize("X, message", [
    (np.ones(3), r"X must be 2-D \(n_samples, n_features\); got shape \(3,\).*reshape\(1, -1\)"),
    (np.ones((5, 4)), r"X has shape \(5, 4\); params expect \(n_samples >= 1, 3\) since W1 is \(3, 4\)"),
    (np.ones((0, 3)), r"X has shape \(0, 3\)"),
    (np.array([[1.0, np.nan, 0.0]]), r"X contains NaN or infinity \(first in row 0\)"),
    (np.array([[0.0, 0.0, 0.0], [1.0, np.inf, 0.0]]), r"X contains NaN or infinity \(first in row 1\)"),
    ([["a", "b", "c"]], r"X must be a numeric array"),
], ids=["1-D", "wrong features", "no samples", "NaN", "infinity", "strings"])
def test_forward_rejects_bad_X_with_a_clear_message(net, X, message):
    params, _, _ = net
    with pytest.raises(ValueError, match=message):
        nn.forward(params, X)


@pytest.mark.parametrize("Y, output, message", [
    (np.ones((4, 2)), "sigmoid", r"Y has shape \(4, 2\); expected \(5, 2\)"),
    (np.ones((5, 3)), "sigmoid", r"Y has shape \(5, 3\); expected \(5, 2\)"),
    (np.ones(5), "sigmoid", r"Y has shape \(5,\); expected \(5, 2\)"),
    (np.full((5, 2), np.nan), "linear", r"Y contains NaN or infinity"),
    (np.full((5, 2), 2.0), "sigmoid", r"sigmoid targets must lie in \[0, 1\]; got values from 2.0 to 2.0"),
    (np.array([0, 1, 2, 1, 0]), "softmax", r"softmax labels must lie in 0..1 for 2 outputs; got values from 0 to 2"),
    (np.array([0, 1, -1, 1, 0]), "softmax", r"softmax labels must lie in 0..1"),
    (np.array([0, 1, 0.5, 1, 0]), "softmax", r"softmax labels must be integers 0..1; got dtype float64"),
    (np.array([0, 1, 1, 0]), "softmax", r"Y has 4 labels; expected 5"),
    (np.full((5, 2), 0.7), "softmax", r"softmax targets must be one-hot rows that sum to 1.*row 0 sums to 1.4"),
], ids=["samples", "outputs", "1-D for two outputs", "NaN", "sigmoid range", "label too big",
        "negative label", "fractional label", "label count", "rows not summing to 1"])
def test_loss_and_backward_reject_bad_targets_with_a_clear_message(net, Y, output, message):
    params, X, _ = net
    Y_hat, cache = nn.forward(params, X, "relu", output)
    with pytest.raises(ValueError, match=message):
        nn.loss(Y_hat, Y, output)
    with pytest.raises(ValueError, match=message):
        nn.backward(params, cache, Y, "relu", output)


def test_a_softmax_over_a_single_output_is_refused():
    params = nn.init_params([3, 4, 1], seed=0)
    with pytest.raises(ValueError, match=r"a softmax over 1 output is always 1.*output='sigmoid'"):
        nn.forward(params, np.ones((2, 3)), "relu", "softmax")
    with pytest.raises(ValueError, match=r"a softmax over 1 output"):
        nn.train(params, np.ones((2, 3)), np.array([0, 0]), "relu", "softmax", epochs=1)


def test_whole_number_float_labels_are_accepted_for_softmax(net):
    params, X, _ = net
    Y_hat, _ = nn.forward(params, X, "relu", "softmax")
    as_floats, as_ints = np.array([0.0, 1.0, 1.0, 0.0, 1.0]), np.array([0, 1, 1, 0, 1])
    assert nn.loss(Y_hat, as_floats, "softmax") == nn.loss(Y_hat, as_ints, "softmax")


@pytest.mark.parametrize("hidden, output, message", [
    ("gelu", "linear", r"hidden='gelu' is not a hidden activation; expected one of \['relu', 'tanh', 'sigmoid'\]"),
    ("relu", "identity", r"output='identity' is not an output; expected one of \['linear', 'sigmoid', 'softmax'\]"),
])
def test_unknown_activations_are_named(net, hidden, output, message):
    params, X, Y = net
    with pytest.raises(ValueError, match=message):
        nn.forward(params, X, hidden, output)
    with pytest.raises(ValueError, match=message):
        nn.train(params, X, Y, hidden, output, epochs=1)


@pytest.mark.parametrize("layer_sizes, message", [
    ([3], r"at least two sizes; got \[3\]"),
    (3, r"at least two sizes; got 3"),
    ([3, 0, 1], r"positive integers; got 0"),
    ([3, -2, 1], r"positive integers; got -2"),
    ([3, 2.5, 1], r"positive integers; got 2.5"),
    ([3, True, 1], r"positive integers; got True"),
])
def test_init_params_rejects_bad_layer_sizes(layer_sizes, message):
    with pytest.raises(ValueError, match="layer_sizes must"):
        nn.init_params(layer_sizes)
    with pytest.raises(ValueError, match=message):
        nn.init_params(layer_sizes)


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
    ("optimizer", "rmsprop", r"optimizer must be 'sgd' or 'adam'; got 'rmsprop'"),
    ("schedule", "step", r"schedule must be None or 'cosine'; got 'step'"),
])
def test_train_rejects_bad_settings_by_name(net, argument, value, message):
    params, X, Y = net
    settings = {"epochs": 2, "lr": 0.1, "log_every": None, argument: value}
    with pytest.raises(ValueError, match=message):
        nn.train(params, X, Y, "relu", "sigmoid", **settings)


def test_update_rejects_a_bad_learning_rate_and_mismatched_grads(net):
    params, _, _ = net
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    with pytest.raises(ValueError, match=r"lr must be a positive finite number; got -1"):
        nn.update(params, grads, -1)
    with pytest.raises(ValueError, match=r"grads\['W2'\] has shape \(2, 4\); params\['W2'\] has \(4, 2\)"):
        nn.update(params, {**grads, "W2": np.zeros((2, 4))}, 0.1)
    with pytest.raises(ValueError, match=r"grads must have the same keys as params"):
        nn.adam_update(params, {"W1": grads["W1"]}, nn.adam_init(params))


@pytest.mark.parametrize("change, message", [
    (lambda p: p.pop("b2"), r"params must be a dict with keys W1, b1, ..., WL, bL; got \['W1', 'W2', 'b1'\]"),
    (lambda p: p.update(W2=np.ones((5, 2))), r"params: W2 has 5 rows but layer 1 has 4 units; the layers do not chain"),
    (lambda p: p.update(b1=np.ones(3)),
     r"params: W1 must be a 2-D array \(n_in, n_out\) and b1 a 1-D array \(n_out,\); got W1 \(3, 4\) and b1 \(3,\)"),
    (lambda p: p.update(W3=np.ones((2, 1))), r"params must be a dict with keys W1, b1, ..., WL, bL"),
], ids=["missing b2", "W2 does not chain", "b1 wrong size", "W3 without b3"])
def test_params_whose_keys_or_shapes_do_not_chain_are_refused(net, change, message):
    params, X, _ = net
    change(params)
    with pytest.raises(ValueError, match=message):
        nn.forward(params, X)


def test_backward_refuses_a_cache_from_another_network(net):
    params, X, Y = net
    _, other_cache = nn.forward(nn.init_params([3, 6, 2], seed=0), X)
    with pytest.raises(ValueError, match=r"cache\['A1'\] must have shape \(n, 4\) for these params; "
                                         r"got \{'A0': \(5, 3\), 'A1': \(5, 6\), 'A2': \(5, 2\)\}"):
        nn.backward(params, other_cache, Y, "relu", "sigmoid")
    with pytest.raises(ValueError, match=r"cache\['A1'\] must have shape \(n, 4\)"):
        nn.backward(params, {"A0": X}, Y, "relu", "sigmoid")


def test_train_stops_with_a_clear_error_when_the_loss_diverges(capsys):
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((50, 3)) * 100, rng.standard_normal(50) * 1000
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no RuntimeWarning from the overflow on the way
        with pytest.raises(ValueError, match=r"the loss became (inf|nan) at epoch \d+ \(lr=10\.0\).*"
                                             r"smaller learning rate.*standardise X"):
            nn.train(nn.init_params([3, 8, 1], seed=0), X, y, epochs=1000, lr=10.0, log_every=1)
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
        Y_hat, cache = nn.forward(params, X, hidden, output)
        value = nn.loss(Y_hat, Y, output)
        grads = nn.backward(params, cache, Y, hidden, output)
    assert math.isfinite(value)
    assert all(np.isfinite(g).all() for g in grads.values())


@pytest.mark.parametrize("output", OUTPUTS)
def test_predict_refuses_to_turn_nan_outputs_into_labels(net, output):
    params, X, _ = net
    params["W2"][0, 0] = np.nan
    with pytest.raises(ValueError, match=r"outputs contain NaN or infinity, so its params are not finite"):
        nn.predict(params, X, "relu", output)


def test_the_same_seed_gives_bit_identical_training():
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((100, 3)), rng.integers(0, 3, 100)

    def run(seed):
        params = nn.init_params([3, 8, 3], "tanh", seed=seed)
        return nn.train(params, X, y, "tanh", "softmax", epochs=20, lr=0.01, batch_size=16,
                        optimizer="adam", schedule="cosine", seed=seed, log_every=None)

    (p1, h1), (p2, h2), (p3, _) = run(7), run(7), run(8)
    assert h1 == h2
    assert all(np.array_equal(p1[k], p2[k]) for k in p1)
    assert not np.array_equal(p1["W1"], p3["W1"])


def test_load_params_refuses_pickled_objects(tmp_path):
    path = tmp_path / "evil.npz"
    np.savez(path, W1=np.array([{"not": "an array"}], dtype=object), b1=np.zeros(1))
    with pytest.raises(ValueError, match=r"holds pickled objects, which load_params refuses to unpickle"):
        nn.load_params(path)


def test_load_params_refuses_a_pickle_file(tmp_path):
    import pickle
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps({"W1": np.ones((2, 2))}))
    with pytest.raises(ValueError, match=r"holds pickled objects"):
        nn.load_params(path)


def test_load_params_reports_missing_keys(tmp_path):
    path = tmp_path / "partial.npz"
    np.savez(path, W1=np.ones((3, 4)), b1=np.ones(4), W2=np.ones((4, 1)))
    with pytest.raises(ValueError, match=r"the file .*partial.npz must be a dict with keys W1, b1, ..., WL, bL; "
                                         r"got \['W1', 'W2', 'b1'\]"):
        nn.load_params(path)


def test_load_params_refuses_a_single_npy_array(tmp_path):
    path = tmp_path / "one.npy"
    np.save(path, np.ones(3))
    with pytest.raises(ValueError, match=r"is a single .npy array, not an .npz of params"):
        nn.load_params(path)


def test_validation_does_not_copy_a_float64_X(net):
    params, X, _ = net
    _, cache = nn.forward(params, X)
    assert cache["A0"] is X


# main.py's experiments reach their targets on held-out data (this runs them all, about a minute)


@pytest.fixture(scope="module")
def experiments():
    import main
    return {name: run() for name, run in main.EXPERIMENTS.items()}


def test_regression_comes_within_5_percent_of_least_squares_on_the_test_set(experiments):
    r = experiments["regression"]
    assert {"test_mse", "test_rmse", "seconds", "sklearn_test_mse", "sklearn_seconds", "ols_test_mse"} <= r.keys()
    assert r["test_mse"] <= 1.05 * r["ols_test_mse"], r
    assert r["loss_at_4500"] <= 120, r


def test_function_approximation_reaches_test_mse_5e_5(experiments):
    r = experiments["function"]
    assert {"test_mse", "test_rmse", "seconds", "sklearn_test_mse", "sklearn_seconds"} <= r.keys()
    assert r["test_mse"] <= 5e-5, r
    assert r["test_rmse"] == pytest.approx(r["test_mse"] ** 0.5)


@pytest.mark.parametrize("name, target", [("classification", 0.965), ("digits", 0.97)])
def test_classifiers_reach_their_test_accuracy(experiments, name, target):
    r = experiments[name]
    assert {"test_accuracy", "sklearn_test_accuracy", "seconds", "sklearn_seconds"} <= r.keys()
    assert r["test_accuracy"] >= target, r


def test_breast_cancer_accuracy_is_at_least_scikit_learns(experiments):
    r = experiments["classification"]
    assert r["test_accuracy"] >= r["sklearn_test_accuracy"], r


def test_main_refuses_an_unknown_experiment_by_name():
    import main
    with pytest.raises(SystemExit, match="unknown experiment nope; choose from: regression function"):
        main.main(["nope"])
