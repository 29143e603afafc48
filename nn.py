"""A multi-layer perceptron in NumPy: forward pass, loss, backpropagation and gradient descent by hand.

The whole algorithm, in the notation of README.md. Samples are rows, as in scikit-learn: X is
(n, n_0) and row i is the sample x^(i). A network of layer sizes [n_0, n_1, ..., n_D] has D layers;
layer l = 1..D has weights W_l (n_{l-1}, n_l) and a bias b_l (n_l,). The loss is L; dX means dL/dX
and has the shape of X; Y is (n, k) with k = n_D outputs.

    forward    A_0 = X, or (X - x_mean) / x_std for a network train returned (it learned on that)
               Z_l = A_{l-1} @ W_l + b_l                  (n, n_l), b_l added to every row
               A_l = g(Z_l) for l < D                     g: identity, relu, tanh or sigmoid
               Y_hat = out(Z_D)                           out: linear, sigmoid or softmax
    loss       from the logits Z_D, so that it is exact however saturated the outputs are:
               linear   L = 1/(n k) sum (Z_D - Y)^2                        (mean squared error)
               sigmoid  L = 1/(n k) sum [Y softplus(-Z_D) + (1 - Y) softplus(Z_D)]  (cross-entropy)
               softmax  L = -1/n sum Y (Z_D - logsumexp(Z_D))              (cross-entropy)
    backward   dZ_D = 2 (Y_hat - Y) / (n k)  |  (Y_hat - Y) / (n k)  |  (Y_hat - Y) / n
               dW_l = A_{l-1}.T @ dZ_l        db_l = dZ_l summed over the rows (the samples)
               dA_{l-1} = dZ_l @ W_l.T        dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})
    update     theta <- theta - lr dtheta for every W_l and b_l (or momentum's, or Adam's step)

How the file reads. Part 1 is a whole network and nothing else: copied alone into a file, it
trains (_plain_train) and predicts (_forward(params, X)[0]) with NumPy alone. Part 2 puts the same
functions behind checks of their inputs. Part 3 trains for real: `train` is Part 1's loop made fast
and safe (your raw data in, standardised inside with statistics the network keeps; validation, early
stopping, Ctrl-C, resuming, cache-sized optimizer steps), then the log, a look inside a network
and a sanity check. Part 4 uses a trained network: predict, save, load. Part 5 checks inputs at
the boundary.

A network is one dict: {"hidden": "tanh", "output": "sigmoid", "W1": ..., "b1": ..., ...}. The
activation names travel with the weights, so they can never be named wrong at use time. Randomness
comes only from a generator made from the seed you hand in.
"""

import math

import numpy as np

# Part 1. The whole network
#
# Activations. Each hidden activation g comes with its derivative g', written in terms of A = g(Z)
# so that backward reuses what forward kept instead of recomputing anything from Z.


def identity(Z):
    return Z


def relu(Z):
    return np.maximum(Z, 0)


def sigmoid(Z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)); logaddexp(0, -z) never overflows, even at z = -1e4.
    return _flush(np.exp(-np.logaddexp(0, -Z)))


def tanh(Z):
    return np.tanh(Z)


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # subtracting the row max changes nothing but overflow
    return _flush(E / E.sum(axis=1, keepdims=True))


def _flush(P):
    # An output below eps^2 (1e-14 in float32) is set to 0, a millionth of the rounding of an output near 1: else
    # backward carries it down into subnormal floats (below 1e-38), on which arithmetic is tens of times slower.
    return np.where(P < np.finfo(P.dtype).eps ** 2, 0, P)


HIDDEN = {  # name: (g, g' as a function of A = g(Z))
    "identity": (identity, lambda A: 1),  # z' = 1: a network of identity layers is one linear map
    "relu": (relu, lambda A: A > 0),  # 1 where z > 0, else 0; and z > 0 exactly where A > 0
    "tanh": (tanh, lambda A: 1 - A * A),  # tanh'(z) = 1 - tanh(z)^2
    "sigmoid": (sigmoid, lambda A: A * (1 - A)),  # s'(z) = s(z) (1 - s(z))
}

OUTPUT = {"linear": identity, "sigmoid": sigmoid, "softmax": softmax}


def _check_choice(value, name, table, what):
    if not isinstance(value, str) or value not in table:
        hint = {"linear": " (a linear hidden layer is 'identity')",
                "identity": " (a linear output is 'linear')"}.get(value, "") if isinstance(value, str) else ""
        raise ValueError(f"{name}={value!r} is not {what}; expected one of {list(table)}{hint}")


def _check_seed(seed, name="seed"):  # as np.random.default_rng takes it
    if not (seed is None or isinstance(seed, np.random.Generator) or isinstance(seed, (int, np.integer))
            and not isinstance(seed, (bool, np.bool_)) and seed >= 0):
        raise ValueError(f"{name} must be an integer >= 0 (or None, or a np.random.Generator); got {seed!r:.80}. "
                         f"Any number will do, e.g. {name}=0: the same seed gives the same run")
    return seed


def init_params(layer_sizes, hidden, output, *, seed=None, dtype=np.float64, init=None, **unknown):
    """A new network: {"hidden", "output", "W1": (n_0, n_1), "b1": (n_1,), ..., "epochs": 0}.

    W_l ~ N(0, s^2), s keeping the activations' spread level from layer to layer (README.md, section
    12): Glorot's sqrt(2 / (n_{l-1} + n_l)) for tanh, sigmoid and identity; He's sqrt(2 / n_{l-1}) for
    ReLU, but half Glorot's for its first layer, which then learns faster (docs/guide.md, "The initial
    scale"); init="he" or "glorot" for every layer. Biases start at 0. "epochs" counts the epochs
    trained. seed: an int, None or a np.random.Generator; dtype np.float64 or np.float32.
    """
    if unknown:  # scikit-learn's habits: random_state is seed
        raise TypeError(f"init_params() got an unexpected keyword argument {next(iter(unknown))!r}; its settings "
                        "are seed (scikit-learn's random_state), dtype and init")
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    _check_choice(output, "output", OUTPUT, "an output")
    if init not in (None, "he", "glorot"):
        raise ValueError(f"init must be None (the default for the activation), 'he' or 'glorot'; got {init!r}")
    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple, range, np.ndarray)) else []
    if len(sizes) < 2 or not all(isinstance(s, (int, np.integer)) and not isinstance(s, (bool, np.bool_))
                                 and s >= 1 for s in sizes):
        raise ValueError(f"layer_sizes must be a sequence [n_in, ..., n_out] of two or more positive "
                         f"integers; got {layer_sizes!r}")
    if sum(int(a) * int(b) for a, b in zip(sizes, sizes[1:])) > 2**31:
        raise ValueError(f"layer_sizes {sizes} make over 2**31 weights: far more than this file is for")
    if output == "softmax" and sizes[-1] < 2:
        raise ValueError("a softmax over 1 output is always 1 and learns nothing; use one output per class, "
                         "or output='sigmoid' with 1 output for two classes")
    if dtype not in (np.float32, np.float64, "float32", "float64"):
        raise ValueError(f"dtype must be np.float64 or np.float32; got {dtype!r}")
    rng = np.random.default_rng(_check_seed(seed))
    params = {"hidden": hidden, "output": output}
    for l in range(1, len(sizes)):
        n_in, n_out = int(sizes[l - 1]), int(sizes[l])
        he, glorot = math.sqrt(2 / n_in), math.sqrt(2 / (n_in + n_out))
        if init == "he" or (init is None and hidden == "relu" and l > 1):
            std = he
        elif init is None and hidden == "relu":
            std = glorot / 2  # ReLU's first layer (see above)
        else:
            std = glorot
        params[f"W{l}"] = (rng.standard_normal((n_in, n_out)) * std).astype(dtype)
        params[f"b{l}"] = np.zeros(n_out, dtype)
    params["epochs"] = 0
    return params


def depth(params):
    """D, the number of layers: one W per layer, W1 to WD."""
    if not isinstance(params, dict):
        raise TypeError(f"params must be a network dict (init_params makes one); got {type(params).__name__}")
    D = 0
    while f"W{D + 1}" in params:
        D += 1
    return D


def param_keys(params):
    """["W1", "b1", ..., "WD", "bD"]: the arrays that training changes, in order."""
    return [f"{p}{l}" for l in range(1, depth(params) + 1) for p in "Wb"]


def _standardise(params, X):
    """X as the first layer takes it: a network that train returned learned on (X - x_mean) / x_std,
    computed here in X's precision (float64) before the weights' dtype, so that a column far from 0
    (a time stamp) keeps its digits. Other networks take X as it is."""
    if "x_mean" not in params:
        return X
    return ((X - params["x_mean"]) / params["x_std"]).astype(params["W1"].dtype, copy=False)


def _forward(params, X):
    """Y_hat (n, n_D) and the cache backward needs: {"A0": A_0, "A1": A_1, ..., "ZD": Z_D, "AD": Y_hat}."""
    g, out, D = HIDDEN[params["hidden"]][0], OUTPUT[params["output"]], depth(params)
    A = _standardise(params, X)  # A_0: X itself, or X standardised for a network train returned
    cache = {"A0": A}
    for l in range(1, D + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]  # (n, n_{l-1}) @ (n_{l-1}, n_l) + (n_l,) -> (n, n_l)
        A = g(Z) if l < D else out(Z)  # (n, n_l)
        cache[f"A{l}"] = A
    cache[f"Z{D}"] = Z  # the logits: the loss is computed from them
    return A, cache


def _loss(Z, Y, output):
    """The mean loss of the last layer's pre-activations Z (n, k) against the targets Y (n, k).

    From the logits Z rather than from Y_hat = out(Z), so that no log ever meets a 0:
      sigmoid: -y log s(z) - (1 - y) log(1 - s(z)) = y softplus(-z) + (1 - y) softplus(z), as
               log s(z) = -softplus(-z) and log(1 - s(z)) = -softplus(z); two terms of one sign, so
               a loss near 0 (a confident, right output) keeps its digits;
      softmax: log p_c = z_c - logsumexp(z), and logsumexp(z) = max(z) + log sum_c e^(z_c - max(z)).
    Both are exact at any saturation: a confident wrong logit of 1e4 costs 1e4, not infinity.
    """
    n, k = Y.shape
    if output == "linear":
        return float(((Z - Y) ** 2).sum()) / (n * k)
    if output == "sigmoid":
        return float((Y * np.logaddexp(0, -Z) + (1 - Y) * np.logaddexp(0, Z)).sum()) / (n * k)  # softplus: log(1 + e^z)
    shifted = Z - Z.max(axis=1, keepdims=True)
    log_P = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-softmax (n, k)
    return float(-(Y * log_P).sum()) / n  # each row of Y is one-hot: only the true class counts


def _backward(params, cache, Y):
    """The gradient of the loss with respect to every W_l and b_l: {"W1": dW_1, "b1": db_1, ...}."""
    g_prime, output, D = HIDDEN[params["hidden"]][1], params["output"], depth(params)
    Y_hat = cache[f"A{D}"]
    n, k = Y.shape
    # Each output is paired with the loss whose derivative cancels its own, so dZ_D is a difference
    # (README.md derives all three).
    if output == "linear":
        dZ = (Y_hat - Y) * (2 / (n * k))  # dL/dZ_D = 2 (Y_hat - Y) / (n k)            (n, k)
    elif output == "sigmoid":
        dZ = (Y_hat - Y) / (n * k)  # dL/dZ_D = (Y_hat - Y) / (n k)                    (n, k)
    else:
        dZ = (Y_hat - Y) / n  # dL/dZ_D = (Y_hat - Y) / n, as each row of Y sums to 1      (n, k)
    grads = {}
    for l in range(D, 0, -1):
        A_prev = cache[f"A{l - 1}"]  # (n, n_{l-1})
        grads[f"W{l}"] = A_prev.T @ dZ  # dW_l = A_{l-1}.T @ dZ_l      (n_{l-1}, n) @ (n, n_l)
        grads[f"b{l}"] = dZ.sum(axis=0)  # db_l = dZ_l summed over the samples            (n_l,)
        if l > 1:
            dA = dZ @ params[f"W{l}"].T  # dA_{l-1} = dZ_l @ W_l.T                   (n, n_{l-1})
            dZ = dA * g_prime(A_prev)  # dZ_{l-1} = dA_{l-1} * g'(Z_{l-1}), g' from A_{l-1} (HIDDEN)
    return grads  # from the last layer down: W_D, b_D, ..., W_1, b_1


# Update rules (README.md, section 10). Each changes one array theta in place, given its gradient
# dtheta and its own state, which persists from step to step.


def _sgd_step(theta, dtheta, lr):
    theta -= lr * dtheta  # theta <- theta - lr dtheta: downhill, in proportion to the slope


def _momentum_step(theta, dtheta, velocity, lr, momentum):
    velocity *= momentum
    velocity += dtheta  # velocity <- mu velocity + dtheta: older gradients weighed down by mu (PyTorch's form)
    theta -= lr * velocity  # theta <- theta - lr velocity: a steady gradient builds steps of lr dtheta / (1 - mu)


def _adam_step(theta, dtheta, m, v, t, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    # Adam (Kingma and Ba, 2015), step t = 1, 2, ...: running averages of the gradient and its square.
    m *= beta1
    m += (1 - beta1) * dtheta  # m <- beta1 m + (1 - beta1) dtheta: the gradient, over ~10 steps
    v *= beta2
    v += (1 - beta2) * dtheta * dtheta  # v <- beta2 v + (1 - beta2) dtheta^2: its size, over ~1000
    # m and v start at 0, so they hold (1 - beta^t) of their averages: m_hat = m / (1 - beta1^t),
    # v_hat = v / (1 - beta2^t) undo that, and lr_t does both divisions at once.
    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    theta -= lr_t * m / (np.sqrt(v) + eps)  # theta <- theta - lr m_hat / sqrt(v_hat): about lr a step
    # (eps is added to sqrt(v), the paper's efficient form; PyTorch adds it after the correction.)


def _plain_train(params, X, Y, *, epochs, lr, batch_size, optimizer, momentum=0.0, l2=0.0, seed=None):
    """The training loop at its plainest: returns (a trained copy of params, {"loss": one per epoch}).

    X (n, n_0) and Y (n, k) as arrays (softmax: one-hot rows). Each epoch shuffles the samples and
    takes one step per mini-batch. optimizer has no default, so that every call says which step runs:
    "sgd" (plain gradient descent; with momentum in (0, 1), momentum) or "adam". l2 adds
    (l2 / 2) ||W_l||^2 for each weight matrix to what is minimised. `train` runs the same loop.
    """
    if optimizer not in ("adam", "sgd"):  # else any other name would run plain gradient descent
        raise ValueError(f"optimizer must be 'adam' or 'sgd'; got {optimizer!r}")
    if Y.ndim != 2 or len(Y) != len(X):  # else a 1-D Y would broadcast against (n, k) outputs
        raise ValueError(f"Y must be an (n, k) array, one row per row of X (softmax: one-hot rows); got {Y.shape}")
    params = {key: (value.copy() if isinstance(value, np.ndarray) else value) for key, value in params.items()}
    keys, D, n = param_keys(params), depth(params), X.shape[0]
    m = {key: np.zeros_like(params[key]) for key in keys}  # Adam's running mean, or momentum's velocity
    v = {key: np.zeros_like(params[key]) for key in keys}  # Adam's running mean of the squares
    rng, t, history = np.random.default_rng(seed), 0, {"loss": []}
    for epoch in range(epochs):
        order = rng.permutation(n) if batch_size < n else np.arange(n)
        total = 0.0
        for start in range(0, n, batch_size):
            rows = order[start:start + batch_size]
            _, cache = _forward(params, X[rows])
            total += _loss(cache[f"Z{D}"], Y[rows], params["output"]) * len(rows)
            grads = _backward(params, cache, Y[rows])
            t += 1
            for key in keys:
                if key[0] == "W":
                    grads[key] += l2 * params[key]  # d/dW (l2 / 2) ||W||^2 = l2 W
                if optimizer == "adam":
                    _adam_step(params[key], grads[key], m[key], v[key], t, lr)
                elif momentum:
                    _momentum_step(params[key], grads[key], m[key], lr, momentum)
                else:
                    _sgd_step(params[key], grads[key], lr)
        history["loss"].append(total / n)  # the epoch's mean loss, each batch's taken before its step
    params["epochs"] = params.get("epochs", 0) + epochs
    return params, history


def _gradient_check(params, X, Y, h=1e-5, max_per_key=None, seed=0):
    """{key: the largest error of backward against the slope (L(theta + h) - L(theta - h)) / 2h}, over
    max_per_key entries of each W_l, b_l: about 0 is right, above 1e-6 a bug (gradient_check says more).
    With ReLU, a sample whose units switch on or off between theta - h and theta + h sits on the kink
    at 0, where there is no slope: for that entry, both slopes are taken without it."""
    D, output = depth(params), params["output"]
    _, cache = _forward(params, X)
    Z = cache[f"Z{D}"]
    base, analytic = _loss(Z, Y, output), _backward(params, cache, Y)
    # How far rounding alone can move a slope: eps times L, plus Z's own rounding (eps |z|) times
    # dL/dz (about |Y_hat - Y|), plus a softmax's log(1 + tiny), all over h.
    error = np.abs(Z).max(axis=1) * np.abs(cache[f"A{D}"] - Y).max(axis=1)
    noise = 16 * np.finfo(np.float64).eps * (abs(base) + float(error.mean()) + (output == "softmax")) / h
    largest = {key: float(np.abs(g).max()) for key, g in analytic.items()}
    for key in analytic:  # a slope that rounding can move by a tenth of itself cannot be checked
        if not (math.isfinite(base) and math.isfinite(noise) and math.isfinite(largest[key])):
            raise ValueError(f"the loss ({base:.3g}) or the gradient of {key} is not finite: use standardised data")
        if noise > 0.1 * largest[key] > 0:
            raise ValueError(f"{key}'s slopes (at most {largest[key]:.2g}) are below what rounding lets finite "
                             f"differences see ({noise:.2g}): vanishing gradients, or huge inputs")
    rng, errors, on_rows = np.random.default_rng(seed), {}, {}
    for key in analytic:
        value = params[key]
        indices = list(np.ndindex(value.shape))
        if max_per_key is not None and len(indices) > max_per_key:
            indices = [indices[i] for i in rng.choice(len(indices), max_per_key, replace=False)]
        floor = max(1e-3 * largest[key], 1e-8)  # the key's scale judges tiny entries
        worst, checked = 0.0, 0
        for index in indices:
            shifted = value.copy()
            shifted[index] = value[index] + h
            _, up = _forward({**params, key: shifted}, X)
            shifted[index] = value[index] - h
            _, down = _forward({**params, key: shifted}, X)
            rows, a = slice(None), analytic[key][index]
            if params["hidden"] == "relu" and D > 1:  # per sample: did any unit switch?
                kink = np.any([((up[f"A{l}"] > 0) != (down[f"A{l}"] > 0)).any(axis=1) for l in range(1, D)], axis=0)
                if kink.all():
                    continue  # every sample straddles the kink: no slope to compare
                if kink.any():  # backward on the other samples alone (once for each such set)
                    rows = np.flatnonzero(~kink)
                    if rows.tobytes() not in on_rows:
                        on_rows[rows.tobytes()] = _backward(params, _forward(params, X[rows])[1], Y[rows])
                    a = on_rows[rows.tobytes()][key][index]
            numeric = (_loss(up[f"Z{D}"][rows], Y[rows], output) - _loss(down[f"Z{D}"][rows], Y[rows], output)) / 2 / h
            if not math.isfinite(numeric):
                raise ValueError(f"a finite difference of {key} is {numeric}: the loss overflows near these params")
            off = max(0.0, abs(a - numeric) - noise)  # beyond what rounding can explain
            worst, checked = max(worst, off / max(abs(a) + abs(numeric), floor)), checked + 1
        if not checked:
            raise ValueError(f"every entry of {key} tried moves a ReLU unit of every sample across its kink at 0, "
                             "so none could be checked: use other samples")
        errors[key] = float(worst)
    return errors


# Part 2. The same math, with its inputs checked
#
# Each public function checks what it is given (Part 5) and then calls the Part 1 function that does
# the math, so the gradient checks below test exactly what training runs. Parts 2 to 5 also use the
# standard library below; Part 1 needs only math and NumPy, so that it runs when copied alone.

import contextlib  # noqa: E402
import hashlib  # noqa: E402
import inspect  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402


def forward(params, X):
    """Run X (n, n_0) through the network: returns Y_hat (n, n_D) and the cache backward needs.

    X is converted to the params' dtype. A network that train returned takes X as train got it
    (raw, unscaled); a DataFrame must then have the same columns in the same order.
    """
    _check_params(params)
    _check_finite_params(params)  # a NaN weight behind a saturated unit would leave the outputs finite
    X = _check_X(X, params)
    with np.errstate(all="ignore"):  # an overflow is reported just below, in words
        Y_hat, cache = _forward(params, X)
    _finite(Y_hat, "the network's outputs")
    return Y_hat, cache


def loss(params, X, Y):
    """L(theta): the network's mean loss on (X, Y), the function backward differentiates.

    It runs forward itself, so no prediction array or output name can be paired with the wrong
    loss. Y is (n, k), or (n,) for one output; for softmax, integer labels 0..k-1 (n,) or one-hot.
    For a linear output it is in y's own units; the l2 penalty of train is not part of it.
    """
    D = _check_params(params)
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    with np.errstate(all="ignore"):
        value = _loss(_forward(params, X)[1][f"Z{D}"], Y, params["output"])
    return _finite(value, "the loss")


def backward(params, cache, Y):
    """dL/dtheta for every W_l and b_l: a dict with the keys and shapes of those arrays.

    cache is what forward returned for these params; Y is as for loss.
    """
    D = _check_params(params)
    _check_cache(cache, params)
    Y = _check_Y(Y, params, cache[f"A{D}"].shape[0])
    with np.errstate(all="ignore"):
        grads = _backward(params, cache, Y)
    if not _all_finite(list(grads.values())):  # a NaN in the cache (forward never returns one) would do it:
        _check_cache_numbers(cache, params)  # name it if so; looked for only here, as a NaN that backward reads
        # shows in the gradient (one in Z_D, which it does not read, cannot change it)
        _finite_each(grads, "the gradient of {}")
    return grads


def update(params, grads, lr):
    """One step of gradient descent: a new network with theta - lr dtheta; changes neither input."""
    keys = _check_grads(grads, params)
    _check_positive(lr, "lr")
    new = dict(params)
    with np.errstate(all="ignore"):
        for key in keys:
            new[key] = params[key].copy()
            _sgd_step(new[key], grads[key], lr)
    _finite_each({key: new[key] for key in keys}, "the updated {}")
    return new


def gradient_check(params, X, Y, h=1e-5, max_per_key=None, seed=0):
    """Compare backward with centred finite differences of loss; return {key: largest relative error}.

    For a number theta of params, the numerical slope is (L(theta + h) - L(theta - h)) / 2h, which
    errs by about h^2 (the curvature) plus eps L / h (rounding): about 1e-10 at h = 1e-5 in float64.
    It always runs in float64, on a float64 copy of params whatever their dtype: in float32 the
    rounding alone (1e-7 L / h) would be as large as the slopes. Each entry's error is
    (|analytic - numeric| - r) / max(|analytic| + |numeric|, 1e-3 g, 1e-8), at least 0, where
    r = 16 eps L / h bounds what rounding alone moves a numerical slope and g is the largest
    |analytic| of its key: a tiny entry is not failed for rounding, nor judged against itself
    alone, and 1e-8 keeps 0 / 0 away. Below 1e-6 everywhere means backward is right. A loss so
    large that r swamps the slopes cannot be checked this way, and raises a ValueError.

    A wrong hidden derivative g' spoils the layers below the last (their gradients pass through g'),
    never W_D and b_D. An entry whose +h and -h runs switch some ReLU unit on or off (a pre-activation
    within h of ReLU's kink at 0) has no slope to compare, so it is skipped; a key whose entries are
    all skipped raises a ValueError. Each entry costs two forward passes: use a few samples, or
    max_per_key entries per key, drawn with a generator made from seed.
    """
    _check_params(params)
    h = _check_positive(h, "h")
    if h > 3e-5:  # the slope's own error, about h^2 times the loss's curvature, would pass 1e-6
        raise ValueError(f"h must be at most 3e-5: the slope over [theta - h, theta + h] errs by about h^2, which "
                         f"beyond that can pass the 1e-6 a right gradient stays under; got {h!r} (the default "
                         "1e-5 suits float64)")
    if max_per_key is not None:
        max_per_key = _check_positive(max_per_key, "max_per_key", integer=True)
    _check_seed(seed)
    params = {key: (value.astype(np.float64) if key in param_keys(params) else value)
              for key, value in params.items()}
    _check_finite_params(params)
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    with np.errstate(all="ignore"):
        return _gradient_check(params, X, Y, h, max_per_key, seed)


# Part 3. Training
#
# train is Part 1's loop made fast and safe; then what helps watch and debug a run.


def cosine_lr(lr, epoch, epochs):
    """Cosine decay from lr at epoch 0 towards 0 at the last: lr (1 + cos(pi epoch / epochs)) / 2."""
    _check_positive(lr, "lr")
    epochs = _check_positive(epochs, "epochs", integer=True)
    if isinstance(epoch, (bool, np.bool_)) or not isinstance(epoch, (int, np.integer)) or not 0 <= epoch <= epochs:
        raise ValueError(f"epoch must be an integer from 0 to epochs={epochs}; got {epoch!r}")
    return lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


class ScaleWarning(UserWarning):
    """Legal input that is almost surely a mistake (data on another scale, a run that learned
    nothing); the message says how to fix it."""


class TrainingInterrupted(UserWarning):
    """train was stopped by Ctrl-C and returned what it had: history["interrupted"] is True."""


def _warn(message, category=None):
    """A ScaleWarning (or `category`) that points at the caller's own line: the first frame outside this file's
    functions (for a copy pasted into your own file, the first at module level or elsewhere)."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and frame.f_globals is globals() and frame.f_code.co_name != "<module>":
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category or ScaleWarning, stacklevel=level)


def train(params, X, Y, *, epochs=200, lr=0.003, batch_size=32, optimizer="adam", momentum=0.0,
          schedule=None, l2=1e-4, validation=None, patience=None, seed=None, log_every="auto",
          callback=None, standardize=True, resume=None, threads=1, **unknown):
    """Fit the network to (X, Y); return (trained params, history). The params passed in are not changed.

    X and Y go in raw. train standardises each column of X (and of Y, for a linear output) with the
    training data's mean and spread, in float64, and learns on that (README.md, section 13): the
    network returned carries the statistics ("x_mean", "x_std", "y_mean", "y_std"), standardises
    raw X itself and gives y in its own units. A second call on a returned network (a warm start)
    keeps its statistics; standardize=False trains a fresh network on the numbers exactly as given.

    Each epoch shuffles the samples with a generator made from `seed` and takes one step per batch
    of `batch_size` (None: all of X). optimizer "adam", or "sgd" with momentum in [0, 1); schedule
    None or "cosine"; l2 adds (l2 / 2) sum ||W_l||^2 (biases are not penalised; scikit-learn's
    alpha is l2 * batch_size, as it divides its penalty by the batch size). validation=(X_val,
    Y_val), raw too, is scored after every epoch; patience=N stops when it has not improved for N
    epochs and returns the best epoch's params; params["epochs"] counts the epochs of the weights
    returned.

    history["loss"][e - 1] is epoch e's mean loss over its batches, each taken before its step
    (scikit-learn's loss_curve_), and history["val_loss"] the validation loss after each epoch,
    without the l2 penalty; for a linear output, standardised, both are on standardised y, where 1.0
    is what always predicting the mean scores. history["ended"] is the closing sentence of the log,
    which says whose params are returned; history["interrupted"] says whether Ctrl-C cut it short;
    history["state"] is the record of the run that resume needs.

    Ctrl-C stops after the step in progress and returns as any ending does, with a warning; a second
    Ctrl-C stops train at once, returning nothing. resume=history goes on with that run exactly
    (optimizer state, shuffling, best so far), epochs being the total: 10 epochs, then resume to
    epochs=20, equal 20 in one go. resume refuses, saying why, what would break that promise: other
    data, another network, other settings (lr, l2, seed, ...), a cosine schedule taken to another
    total. log_every "auto" prints about ten lines, an int every that many epochs, None nothing.
    callback(epoch, history, params) runs after every epoch with a copy of the params and returns
    None or False to go on, True to stop. threads=N runs the matrix products (BLAS) and a large
    network's optimizer slices (see _LARGE) on N threads: 1, the default, does not collapse when
    another program holds a core; more can be faster for large batches on a quiet machine, and may
    change the last bits of the result (BLAS sums in another order). A loss or a weight that stops
    being finite raises a ValueError naming the epoch (and the layer).

    The defaults had the lowest validation losses of the recipes tried in bench/datasets.py: a
    start, not a tuned answer for your data.
    """
    s, data = _check_train(params, X, Y, epochs, lr, batch_size, optimizer, momentum, schedule, l2, validation,
                           patience, seed, log_every, callback, standardize, resume, threads, unknown)
    with _ctrl_c() as stop, _blas_threads(s["threads"]):  # from here on, a first Ctrl-C only asks to stop
        # The record of the run (history["state"]): theta, Adam's m and v, the step count, where the
        # epoch in progress stands, the best epoch so far, and what the numbers depend on.
        run = _start_run(params, data, s, resume)
        # Trick 1: one vector. theta strings every W_l and b_l together and `net` is a dict of views
        # into it (reshaped slices share theta's memory), so a step on theta moves the network.
        net = {"hidden": params["hidden"], "output": params["output"], **_views(run["theta"], params)}
        X, Y, validation, inputs = _into_network(data, run["stats"], net, fitted="x_mean" not in params)
        history = {"loss": list(resume["loss"]) if resume else []}
        if validation is not None:
            history["val_loss"] = list(resume["val_loss"]) if resume else []
        logits, n, stopped = f"Z{depth(net)}", X.shape[0], None
        started, first_epoch = time.perf_counter(), len(history["loss"]) + 1
        with _workers(s, run["theta"].size) as pool, np.errstate(over="ignore", invalid="ignore"):
            step = _make_step(run, net, s, pool)
            for epoch in range(first_epoch, s["epochs"] + 1):
                rate = s["lr"] if s["schedule"] is None else cosine_lr(s["lr"], epoch - 1, s["epochs"])
                for Xb, Yb in _batches(X, Y, run, s["batch_size"], inputs):  # as Part 1's loop, from run["at"] on
                    _, cache = _forward(net, Xb)
                    value = _loss(cache[logits], Yb, net["output"])
                    if not math.isfinite(value):
                        _tidy(run, net, epoch, s["lr"])  # names the layer, if a weight went bad
                        _diverged(f"the loss became {value}", epoch, s["lr"])
                    step(_backward(net, cache, Yb), rate)
                    run["partial"] += value * Xb.shape[0]
                    run["at"] += Xb.shape[0]
                    if stop["asked"] and run["at"] < n:
                        break
                if run["at"] < n:  # Ctrl-C in the middle of the epoch: run keeps where it stood
                    stopped = "interrupted"
                    break
                stopped = _end_epoch(run, history, net, epoch, validation, s)
                stopped = _call_back(s["callback"], epoch, history, run, net, data["names"], stopped)
                if stop["asked"]:
                    stopped = "interrupted"
                if s["log_every"] and (epoch == first_epoch or epoch % s["log_every"] == 0 or stopped
                                       or epoch == s["epochs"]):
                    print(_log_line(epoch, s["epochs"], history, run["best_epoch"], time.perf_counter() - started,
                                    first_epoch, standardised_y="y_mean" in (run["stats"] or {})), flush=True)
                if stopped:
                    break
        with np.errstate(over="ignore", invalid="ignore"):  # what overflows there is said in words
            trained = _finish(run, history, net, stopped, s, data, _sample(X, Y, inputs))
        if s["log_every"]:
            print(history["ended"], flush=True)
    if stop["asked"] or history["interrupted"]:  # whatever log_every: a cut-short run must not pass unseen
        _warn(history["ended"] if history["interrupted"] else
              f"Ctrl-C came as train was finishing; the run is complete ({history['ended']})", TrainingInterrupted)
    return trained, history


# The record of a run. Everything a run's numbers depend on is in it, so that resume can restore the
# run exactly, or refuse to, naming what differs and how to fix it. train keeps it as
# history["state"]; resume copies its arrays, so one history can be resumed more than once.

_RUN_SETTINGS = ("batch_size", "optimizer", "momentum", "lr", "l2", "schedule", "standardize", "seed", "threads",
                 "x_dtype")
_RUN_RECORD = ("theta", "m", "v", "t", "rng", "at", "partial", "best", "best_loss", "best_epoch", "stopped", "stats",
               "epochs_before", "settings", "samples", "cosine_epochs", "data", "networks")


def _start_run(params, data, s, resume):
    """A fresh record from params, or the record of `resume` restored for this call (after checks)."""
    if resume is not None:
        return _restored_run(resume, params, data, s)
    own = _stats_of(params)  # a network train returned keeps its statistics: they are part of it
    stats, constant = (own, None) if own or not s["standardize"] else _fit_stats(data["X"], data["Y"], params)
    start = _unfold(params, own) if own else params
    theta = np.concatenate([start[key].ravel() for key in param_keys(params)])
    if constant is not None:  # a column that never varied teaches nothing: its weights start (and stay) 0,
        theta[:start["W1"].size].reshape(start["W1"].shape)[constant] = 0  # so no later value of it moves y
    return {"theta": theta, "m": np.zeros_like(theta), "v": np.zeros_like(theta), "t": 0,
            "rng": np.random.default_rng(s["seed"]).bit_generator.state,  # the shuffle of the epoch in progress
            "at": 0, "partial": 0.0,  # the epoch in progress: its samples done and their summed loss
            "best": None, "best_loss": math.inf, "best_epoch": None, "stopped": None,
            "stats": stats, "epochs_before": params.get("epochs", 0),
            "settings": {name: _setting(s, name) for name in _RUN_SETTINGS + ("patience",)},
            "samples": data["X"].shape[0],
            "cosine_epochs": s["epochs"] if s["schedule"] == "cosine" else None,
            "data": _data_fingerprint(data), "networks": (_fingerprint(params),)}


def _restored_run(resume, params, data, s):
    """resume's record, checked against this call and copied: a refusal names what differs and the fix."""
    state = resume.get("state") if isinstance(resume, dict) else None
    if not isinstance(state, dict) or set(state) != set(_RUN_RECORD) or not isinstance(resume.get("loss"), list) \
            or not isinstance(state["settings"], dict) or set(state["settings"]) != set(_RUN_SETTINGS + ("patience",)):
        raise ValueError("resume must be the history that train returned for the run to continue")
    fresh = ("To train on differently, start afresh from the returned network (a warm start): "
             "nn.train(params, X, y, ...) without resume")
    for name in _RUN_SETTINGS:
        was, now = state["settings"][name], _setting(s, name)
        if name == "seed" and now is None:
            continue  # None: the run's own shuffling
        if was != now and name == "x_dtype":
            raise ValueError(f"resume continues a run exactly, and the run's X was {was} (this call's is {now}): "
                             f"pass X as the run had it, X.astype(np.{was})")
        if was != now:
            raise ValueError(f"resume continues a run exactly, so {name} must be as it was: the run had "
                             f"{name}={was!r}, this call has {now!r}. {fresh}")
    if state["data"] != _data_fingerprint(data):
        raise ValueError("resume continues a run on its own data, but X, y or the validation data differ from the "
                         "run's (another set, other rows or another order). Pass the run's own data. " + fresh)
    if _fingerprint(params) not in state["networks"]:
        raise ValueError("resume continues the network its history came with, but these params are another one: "
                         "pass the params that train returned with this history (or those it started from)")
    done, was_patience, patience = len(resume["loss"]), state["settings"]["patience"], s["patience"]
    if (was_patience is None) != (patience is None) or (patience is not None and patience < was_patience):
        raise ValueError(f"resume continues a run exactly, so patience must be as it was ({was_patience}), or "
                         f"larger to let a run that stopped early go on; got {patience}. {fresh}")
    if state["stopped"] == "early" and patience == was_patience:
        raise ValueError(f"this run stopped early at epoch {done}: its validation loss had not improved for "
                         f"{patience} epochs. Resume with a larger patience (e.g. patience={2 * patience}) to "
                         "let it go on, or use the params it returned")
    if state["cosine_epochs"] is not None and s["epochs"] != state["cosine_epochs"]:
        raise ValueError(f"this run's cosine schedule decays its lr to 0 over {state['cosine_epochs']} epochs, and "
                         "resume keeps that schedule, so epochs must stay "
                         f"{state['cosine_epochs']} (the run has had {done}). For a longer cosine run, start one "
                         f"with the epochs you want, or warm-start the returned params with a fresh schedule: "
                         f"nn.train(params, X, y, epochs=..., schedule='cosine')")
    if s["epochs"] <= done:
        raise ValueError(f"epochs counts the total with resume; the run has had {done} already, so pass "
                         f"epochs > {done} (e.g. epochs={2 * done})")
    run = {key: (value.copy() if isinstance(value, np.ndarray) else value) for key, value in state.items()}
    run["settings"] = {**state["settings"], "patience": patience}
    return run


def _setting(s, name):
    """A setting as the record keeps it: a seed that is a Generator by its kind, as it has no value."""
    value = s[name]
    if name == "seed" and value is not None and not isinstance(value, (int, np.integer)):
        return f"a {type(value).__name__}"
    return value


def _fingerprint(params):
    """A digest of a network's arrays and statistics: equal for the same network, different otherwise."""
    digest = hashlib.blake2b(digest_size=16)
    for key in param_keys(params) + [key for key in _STAT_KEYS if key in params]:
        array = np.ascontiguousarray(params[key])
        digest.update(f"{key} {array.dtype} {array.shape}".encode())
        digest.update(array.view(np.uint8).ravel())
    return digest.hexdigest()


def _data_fingerprint(data):
    """A digest of the training and validation data: their shapes and column sums, in float64 (X's
    from _check_train, whose finiteness check they are too)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in ("X", "Y", "X_val", "Y_val"):
        if data[name] is not None:
            with np.errstate(over="ignore", invalid="ignore"):  # an inf sum still tells data apart
                sums = data["X_sums"] if name == "X" else data[name].sum(axis=0, dtype=np.float64)
            digest.update(f"{name} {data[name].shape}".encode())
            digest.update(sums.view(np.uint8))
    return digest.hexdigest()


# Where data enter the network's coordinates. train learns on standardised columns; _fit_stats
# measures them, _standardise (Part 1) applies them to X, and the last layer is unfolded before
# training and folded after (README.md, section 13).


def _stats_of(params):
    """The statistics of a network that train returned, or None."""
    if "x_mean" not in params:
        return None
    return {key: np.asarray(params[key], dtype=np.float64) for key in _STAT_KEYS if key in params}


def _fit_stats(X, Y, params):
    """Each column's mean and standard deviation, as float64 numbers (measured in float32 for float32
    X of a float32 network, to be standardised in float32: _float32_stats), and which columns of X do
    not vary (their spread within 1e-14 of their mean). Such a column gets its own size, max(|mean|, 1),
    as spread: its training values standardise to 0 as any would, and another value of like size to
    about 1, never to a number the network's dtype cannot hold."""
    stats, dtype = {}, params["W1"].dtype if X.dtype == np.float32 else np.float64
    for name, A in (("x", X), ("y", Y)) if params["output"] == "linear" else (("x", X),):
        mean, std = _column_stats(A, dtype if name == "x" else np.float64)
        if not (np.isfinite(mean).all() and np.isfinite(std).all()):
            raise ValueError(f"{name.upper()} has values too large to standardise in float64 (largest "
                             f"{np.abs(A).max():.3g}): divide the column by a power of ten first")
        still = std <= 1e-14 * np.abs(mean)
        constant = still if name == "x" else constant
        stats[f"{name}_mean"] = mean
        stats[f"{name}_std"] = np.where(still, np.maximum(np.abs(mean), 1.0), std)
    return stats, constant


def _into_network(data, stats, net, fitted):
    """The training data in the coordinates the network learns in, as arrays of its dtype: Y (and
    the validation pair) standardised here; X too when it is small, else a block at a time by
    _batches, which applies `inputs` (the statistics, or {} for nothing more to do). fitted: the
    statistics are X's own, so X fits (no value lies beyond sqrt(n) of its own spreads)."""
    dtype, X, Y = net["W1"].dtype, data["X"], data["Y"]
    inputs = {} if stats is None else {"x_mean": stats["x_mean"], "x_std": stats["x_std"], "W1": net["W1"]}
    if inputs and X.dtype == dtype == np.float32 and np.array_equal(stats["x_mean"].astype(dtype), stats["x_mean"]):
        inputs["float32"] = (stats["x_mean"].astype(dtype), stats["x_std"].astype(dtype))  # see _standardised
    for name in (("X_val",) if fitted else ("X", "X_val")) if stats is not None else ():
        _check_fits(data[name], stats, dtype, name)
    y_stats = stats if stats is not None and "y_mean" in stats else {"y_mean": 0.0, "y_std": 1.0}
    scale_y = lambda A: ((A - y_stats["y_mean"]) / y_stats["y_std"]).astype(dtype, copy=False)
    validation = None
    if data["X_val"] is not None:
        validation = (_standardise(inputs, data["X_val"]).astype(dtype, copy=False), scale_y(data["Y_val"]))
    if X.nbytes <= 2**21:  # small: standardised once here, rather than a block at a time each epoch
        X, inputs = _standardise(inputs, X).astype(dtype, copy=False), {}
    return X, scale_y(Y), validation, inputs


def _check_fits(A, stats, dtype, name):
    """A ValueError if A (None: nothing), standardised with stats, goes beyond what dtype holds."""
    if A is None:
        return
    with np.errstate(over="ignore", invalid="ignore"):  # the largest standardised value of each column
        extreme = np.maximum(np.abs(A.max(axis=0) - stats["x_mean"]), np.abs(A.min(axis=0) - stats["x_mean"]))
        fits = (extreme / stats["x_std"] < np.finfo(dtype).max / 1e3).all()
    if not fits:
        raise ValueError(f"{name}, standardised with the statistics this network was trained with, goes beyond "
                         f"{np.dtype(dtype).name}'s range: it is on another scale from that data. Pass data "
                         "in the same units, or train a fresh network on these (nn.init_params)")


def _fold(net, stats):
    """The network for y's own units: trained on y_s = (y - m_y) / s_y, its output times s_y plus
    m_y is y, so W_D' = W_D s_y (column by column) and b_D' = b_D s_y + m_y, computed in float64
    and rounded to the network's dtype; the statistics go beside the weights. The input side is not
    folded (see _standardise): b_1 - (m / s) @ W_1 would cancel to noise for a column far from 0."""
    folded = dict(net)
    if stats is not None and "y_mean" in stats:
        D, dtype = depth(net), net["W1"].dtype
        WD, bD = net[f"W{D}"].astype(np.float64), net[f"b{D}"].astype(np.float64)
        folded[f"W{D}"] = (WD * stats["y_std"]).astype(dtype)
        folded[f"b{D}"] = (bD * stats["y_std"] + stats["y_mean"]).astype(dtype)
    return {**folded, **(stats or {})}


def _unfold(params, stats):
    """_fold undone: the network for standardised data, without its statistics."""
    net = {key: value for key, value in params.items() if key not in _STAT_KEYS}
    if "y_mean" in stats:
        D, dtype = depth(params), params["W1"].dtype
        WD, bD = params[f"W{D}"].astype(np.float64), params[f"b{D}"].astype(np.float64)
        net[f"W{D}"] = (WD / stats["y_std"]).astype(dtype)
        net[f"b{D}"] = ((bD - stats["y_mean"]) / stats["y_std"]).astype(dtype)
    return net


# The loop's pieces, each a trick that Part 1's loop does without.


def _batches(X, Y, run, batch, inputs):
    """The mini-batches of the epoch in progress, from sample run["at"] on: the rows of a fresh
    shuffle of all of X, as Part 1's loop takes them. Trick 2: the shuffled rows are gathered (and
    standardised) a block of about 1 MB at a time, X[order[a:b]], and each batch is a slice of its
    block: the same rows in the same order, holding a block instead of a shuffled copy of X. Once
    the epoch's last batch is out, run["rng"] moves on to the next epoch's shuffle."""
    n, rng, order = X.shape[0], None, None
    if batch < n:  # (one batch of all of X is never shuffled: no generator to make, 10 us an epoch)
        rng = np.random.Generator(getattr(np.random, run["rng"]["bit_generator"])())
        rng.bit_generator.state = run["rng"]
        order = rng.permutation(n)
    block = batch * max(1, 2**20 // (batch * X.itemsize * (X.shape[1] + Y.shape[1])))
    for first in range(run["at"] - run["at"] % block, n, block):
        rows = slice(first, first + block) if order is None else order[first:first + block]
        X_block, Y_block = _standardised(X[rows], inputs), Y[rows]
        for begin in range(max(run["at"], first), min(first + block, n), batch):
            yield X_block[begin - first:begin - first + batch], Y_block[begin - first:begin - first + batch]
    if rng is not None:
        run["rng"] = rng.bit_generator.state


def _standardised(block, inputs):
    """Part 1's _standardise(inputs, block) for a block of X's rows, done in place on an array of
    train's own: written as one expression it makes three new arrays of a megabyte, which took 3 times
    as long. The same float64 arithmetic bit for bit; or, for float32 X and a float32 network, the
    same formula in float32 (3 times faster again), to within two float32 roundings: the mean is a
    float32 number there (_column_stats), so X - mean is exact in float32 wherever it could cancel."""
    if not inputs:
        return block
    mean, std = inputs.get("float32", (inputs["x_mean"], inputs["x_std"]))
    block = block.astype(mean.dtype, copy=not block.flags.owndata)  # X[rows] is a copy; X[a:b] is X's own
    block -= mean
    block /= std
    return block.astype(inputs["W1"].dtype, copy=False)


# Trick 3: a small network takes one optimizer step on the whole of theta, its gradient first copied
# into one vector (a few NumPy calls a step instead of a few per array). A large one is stepped in
# slices straight from backward's arrays, with no copy: Adam makes a dozen elementwise passes over
# every number, and on a slice small enough to stay in a core's cache they cost about half what they
# cost on the whole vector. NumPy lets go of the interpreter lock inside each pass, so threads=N
# steps N runs of slices at once; on the 2-core machines measured (bench/scale.py) that was slower,
# as BLAS's own threads keep the cores busy between products, so the default is 1.
_LARGE = 2**17  # numbers in the network from which train steps array by array, in slices
_SLICE_BYTES = 2**18  # per array: a slice of theta, dtheta, m, v and Adam's temporaries fit a core's cache


def _make_step(run, net, s, pool):
    """step(grads, rate): l2's term, then one step of the optimizer on theta, as Part 1's loop takes it."""
    theta, m, v, keys, l2 = run["theta"], run["m"], run["v"], param_keys(net), s["l2"]

    def update(theta_part, dtheta_part, m_part, v_part, rate):  # Part 1's update rules, on a part of theta
        if s["optimizer"] == "adam":
            _adam_step(theta_part, dtheta_part, m_part, v_part, run["t"], rate)
        elif s["momentum"]:
            _momentum_step(theta_part, dtheta_part, m_part, rate, s["momentum"])
        else:
            _sgd_step(theta_part, dtheta_part, rate)

    if theta.size < _LARGE:
        dtheta = np.empty_like(theta)

        def step(grads, rate):
            run["t"] += 1
            for key in keys[::2] if l2 else ():  # the weights W_l
                grads[key] += l2 * net[key]  # d/dW (l2 / 2) ||W||^2 = l2 W
            np.concatenate([grads[key].ravel() for key in keys], out=dtheta)
            update(theta, dtheta, m, v, rate)
        return step

    plan = _slices(net, keys, s["threads"])

    def step_slices(pieces, grads, rate):
        for key, a, b, offset in pieces:
            part, dtheta_part = slice(offset + a, offset + b), grads[key].reshape(-1)[a:b]
            if l2 and key[0] == "W":
                dtheta_part += l2 * theta[part]  # d/dW (l2 / 2) ||W||^2 = l2 W
            update(theta[part], dtheta_part, m[part], v[part], rate)

    def step(grads, rate):
        run["t"] += 1
        if pool is None or len(plan) == 1:
            step_slices(plan[0], grads, rate)
        else:
            list(pool.map(step_slices, plan, [grads] * len(plan), [rate] * len(plan)))
    return step


def _slices(params, keys, threads):
    """The network's numbers cut into slices of _SLICE_BYTES, dealt out to `threads` workers in
    runs of consecutive slices: per worker, a list of (key, start, stop, offset of key in theta)."""
    pieces, offset, step = [], 0, _SLICE_BYTES // params["W1"].itemsize
    for key in keys:
        size = params[key].size
        pieces += [(key, a, min(a + step, size), offset) for a in range(0, size, step)]
        offset += size
    share = -(-len(pieces) // threads)
    return [pieces[i:i + share] for i in range(0, len(pieces), share)]


@contextlib.contextmanager
def _workers(s, size):
    """The threads that step a large network's slices (None: the calling thread alone)."""
    pool = ThreadPoolExecutor(s["threads"]) if size >= _LARGE and s["threads"] > 1 else None
    try:
        yield pool
    finally:
        if pool is not None:
            pool.shutdown()


@contextlib.contextmanager
def _blas_threads(threads):
    """Within it, NumPy's matrix products (its BLAS) run on `threads` threads; on leaving, on as many as
    before. Without threadpoolctl 3.0 or newer (installed with scikit-learn) it changes nothing.

    Why train limits them: OpenBLAS's threads meet at the end of every product, so when another program
    holds one of the cores, every product waits for that core's turn. On a 2-core machine beside one
    busy process, an epoch took 1.4 to 3.6 times as long on NumPy's default of 2 threads as on 1 (26
    times in issue 25's report); with nothing of ours beside, 2 threads ranged from 31% slower (batches
    of 32) to 28% faster (batches of 128, the widest network): bench/busy.py, RESULTS.md. The thread
    count can change the last bits of a product (how OpenBLAS splits it), not more.
    """
    try:
        from threadpoolctl import ThreadpoolController  # threadpoolctl 3.0 and newer
    except ImportError:  # nn.py needs NumPy alone
        yield
        return
    if not _BLAS:  # finding the loaded libraries takes 0.2 ms, a tenth of a small network's train: once
        _BLAS.append(ThreadpoolController())
    with _BLAS[0].limit(limits=threads, user_api="blas"):
        yield


_BLAS = []  # threadpoolctl's controller of the libraries loaded (NumPy's BLAS is, from import on)


@contextlib.contextmanager
def _ctrl_c():
    """While train runs, a first Ctrl-C only asks it to stop (stop["asked"]), which it does after the
    step in progress; a second one raises KeyboardInterrupt at once, as Ctrl-C does anywhere, and
    train returns nothing. Signals reach only the main thread: elsewhere Ctrl-C is left as it is."""
    stop, previous = {"asked": False}, None

    def ask(signum, frame):
        if stop["asked"]:
            raise KeyboardInterrupt
        stop["asked"] = True

    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        try:
            previous = signal.signal(signal.SIGINT, ask)
        except ValueError:  # an interpreter that does not allow it
            previous = None
    try:
        yield stop
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _end_epoch(run, history, net, epoch, validation, s):
    """After an epoch's last step: its mean loss, the weights checked every ~100 steps, and the
    validation loss with the best epoch so far; "early" when patience has run out, else None."""
    history["loss"].append(run["partial"] / run["at"])
    run["at"], run["partial"] = 0, 0.0
    if epoch % max(1, 100 // -(-run["samples"] // s["batch_size"])) == 0:
        _tidy(run, net, epoch, s["lr"])  # trick 4
    if validation is None:
        return None
    val_loss = _loss(_forward(net, validation[0])[1][f"Z{depth(net)}"], validation[1], net["output"])
    if not math.isfinite(val_loss):
        _diverged(f"the validation loss became {val_loss}", epoch, s["lr"])
    history["val_loss"].append(val_loss)
    if val_loss < run["best_loss"]:
        run["best_loss"], run["best_epoch"] = val_loss, epoch
        if s["patience"] is not None:  # keep a copy: the epochs after the best may be worse
            run["best"] = run["theta"].copy()
    if s["patience"] is not None and epoch - run["best_epoch"] >= s["patience"]:
        return "early"
    return None


def _call_back(callback, epoch, history, run, net, names, stopped):
    """Runs callback(epoch, history, a copy of the params); returns how the run stops: as it was
    (`stopped`), "callback" if the callback asks to stop (True), "interrupted" if it raised
    KeyboardInterrupt."""
    if callback is None:
        return stopped
    try:
        answer = callback(epoch, history, _returned_network(run, net, run["theta"], epoch, names))
    except KeyboardInterrupt:
        return "interrupted"
    if answer is None or answer is False or answer is True or isinstance(answer, np.bool_):
        return stopped or ("callback" if answer else None)
    raise ValueError(f"the callback returned {answer!r} after epoch {epoch}; it must return True to stop training, "
                     "or None or False to go on (a score to watch belongs in a list of your own)")


def _returned_network(run, net, theta, epochs, names):
    """The network as train returns it, from a vector of its numbers: arrays of its own, the output's
    scaling folded in, the statistics beside them, and epochs counting those of the weights."""
    arrays = {key: value.copy() for key, value in _views(theta, net).items()}
    returned = _fold({"hidden": net["hidden"], "output": net["output"], **arrays}, run["stats"])
    returned["epochs"] = int(run["epochs_before"] + epochs)
    if names is not None:
        returned["feature_names"] = names
    return returned


def _finish(run, history, net, stopped, s, data, sample):
    """The end of a run: the params to return (the best epoch's, with patience), the closing
    sentence, the record for resume, and a warning if the run learned (almost) nothing."""
    epoch = len(history["loss"])
    _tidy(run, net, epoch, s["lr"])
    best = run["best"] is not None  # kept only with patience
    final, returned_epoch = (run["best"], run["best_epoch"]) if best else (run["theta"], epoch)
    trained = _returned_network(run, net, final, returned_epoch, data["names"])
    for key in param_keys(trained):
        _finite(trained[key], f"the trained {key}, in y's units,")
    returned = {**net, **_views(final, net)}
    nothing = "" if stopped == "interrupted" or not epoch else _nothing_learned(
        history["loss"][:returned_epoch], returned, *sample, s)
    history["best_epoch"] = run["best_epoch"]
    history["interrupted"] = stopped == "interrupted"
    history["ended"] = _ending(stopped, epoch, s["epochs"], history, run, best, s["batch_size"],
                               still_falling_helps=not nothing)
    if epoch and net["hidden"] == "relu" and depth(net) > 1 and stopped != "interrupted" and not nothing:
        history["ended"] += _dead_units(returned, sample[0])
    run["stopped"], run["networks"] = stopped, run["networks"][:1] + (_fingerprint(trained),)
    history["state"] = run
    if nothing:
        _warn_nothing_learned(nothing, s)
    return trained


def _sample(X, Y, inputs):
    """Up to 2,000 training rows in the network's coordinates, to judge the returned network on."""
    return _standardised(X[:2000], inputs), Y[:2000]


def _views(theta, params):
    """{key: the slice of theta that holds params[key], shaped like it}: writing one writes the other."""
    views, start = {}, 0
    for key in param_keys(params):
        size = params[key].size
        views[key] = theta[start:start + size].reshape(params[key].shape)
        start += size
    return views


def _tidy(run, net, epoch, lr):
    """Trick 4, every ~100 steps: stop if a weight is no longer finite, naming its layer; and flush
    numbers that have decayed below the smallest normal float to 0 (such subnormal floats, left by
    units that died or weights that l2 shrank for thousands of steps, make every operation on them
    many times slower, and are too small to change any result). In slices, so as to add no array of
    theta's size."""
    theta, keys = run["theta"], param_keys(net)
    tiny = np.finfo(theta.dtype).tiny
    for array in (theta, run["m"], run["v"]):
        for a in range(0, array.size, 2**18):
            part = array[a:a + 2**18]
            small = np.abs(part) < tiny
            if array is theta and not np.isfinite(part).all():
                index = a + int(np.argmin(np.isfinite(part)))
                ends = np.cumsum([net[key].size for key in keys])  # where each key's numbers end in theta
                _diverged(f"{keys[int(np.searchsorted(ends, index, side='right'))]} became NaN or infinite",
                          epoch, lr)
            part[small] = 0


def _diverged(what, epoch, lr):
    raise ValueError(f"{what} at epoch {epoch} (lr={lr}): training diverged. Try a 10 times smaller lr")


def _log_line(epoch, epochs, history, best_epoch, elapsed, first_epoch=1, standardised_y=False):
    """`epoch  20/200  loss 0.2104  val_loss 0.2561 (best 0.2412 at 14)  0.4 s, ~3.6 s left`."""
    line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history['loss'][-1]:.4g}"
    if "val_loss" in history:
        line += (f"  val_loss {history['val_loss'][-1]:.4g} "
                 f"(best {history['val_loss'][best_epoch - 1]:.4g} at {best_epoch})")
    left = elapsed / (epoch - first_epoch + 1) * (epochs - epoch)
    line += f"  {elapsed:.1f} s" + (f", ~{left:.1f} s left" if epoch < epochs else "")
    if epoch == first_epoch and standardised_y:
        line += "  (loss on standardised y: 1 = predicting the mean)"
    return line


def _ending(stopped, epoch, epochs, history, run, returned_best, batch, still_falling_helps=True):
    """The sentence that says how training ended and which epoch's params are returned."""
    best_epoch, at, n = run["best_epoch"], run["at"], run["samples"]
    if stopped == "early":
        return (f"stopped early after epoch {epoch}: the validation loss had not improved for "
                f"{epoch - best_epoch} epochs; returning the params of epoch {best_epoch} (val_loss "
                f"{history['val_loss'][best_epoch - 1]:.4g})")
    returned = f"epoch {best_epoch}'s params, the best so far" if returned_best else f"epoch {epoch}'s params"
    if stopped == "interrupted":
        where = (f"during epoch {epoch + 1}, after {-(-at // batch)} of its {-(-n // batch)} batches" if at
                 else f"after epoch {epoch}")
        if at and not returned_best:
            returned = "the params after that batch's step"
        return (f"interrupted (Ctrl-C) {where}; returning {returned}. "
                "nn.train(params, X, y, epochs=..., resume=history) goes on from there")
    if stopped == "callback":
        return f"stopped by the callback after epoch {epoch}; returning {returned}"
    watched = history.get("val_loss", history["loss"])
    name = "validation loss" if "val_loss" in history else "loss"
    tail = max(1, len(watched) // 10)
    ending = f"ran all {epochs} epochs; returning {returned}"
    if best_epoch is not None and not returned_best and best_epoch < epoch:
        ending += f" (the validation loss was lowest at epoch {best_epoch}; patience=N returns that one)"
    if still_falling_helps and len(watched) >= 2 and min(watched[-tail:]) < 0.99 * min(watched[:-tail]):
        return (ending + f". The {name} was still falling ({1 - min(watched[-tail:]) / min(watched[:-tail]):.1%}"
                f" lower over the last {tail} epoch{'s' * (tail > 1)}): more epochs would help")
    return ending


def _dead_units(net, X):
    """A note for the closing line when most ReLU units of a layer never fire on (part of) the data."""
    _, cache = _forward(net, X)
    for l in range(1, depth(net)):
        dead = int(np.all(cache[f"A{l}"] <= 0, axis=0).sum())
        units = cache[f"A{l}"].shape[1]
        if dead > units / 2:
            return (f". {dead} of layer {l}'s {units} ReLU units never fire on the training data, so they "
                    "learn nothing (Adam with l2 prunes units a simple target does not need); if the loss "
                    "is poor, try a smaller lr or l2=0, and nn.look_inside(params, X, y) to see them")
    return ""


def _nothing_learned(losses, net, X, Y, s):
    """Why a run of 5 epochs or more learned (almost) nothing by the epoch it returns (losses runs up
    to it), or "" if it learned: it ended worse than it began, or an output of the returned network
    (on up to 2,000 training rows X, Y) is no better than always predicting its mean. Each output
    is judged alone, so that one on a small scale cannot hide behind one on a large scale."""
    if len(losses) < 5:
        return ""
    final, first, tail = losses[-1], losses[0], max(1, len(losses) // 10)
    if final > 1.01 * first:
        return f"the final training loss {final:.4g} is higher than the first epoch's {first:.4g}"
    stuck = min(losses[-tail:]) > 0.99 * min(losses[:-tail] or losses)
    got, constant = _losses_per_output(_forward(net, X)[1][f"Z{depth(net)}"], Y, net["output"])
    for j in range(len(got)):
        # One output: no better than its constant, or close and no longer improving. Several: the
        # history mixes them, so an output close to its constant is enough.
        if got[j] > 1.01 * constant[j] or (got[j] >= 0.99 * constant[j] and (stuck or len(got) > 1)):
            which = "the training loss" if len(got) == 1 else f"output {j}'s training loss"
            return f"{which} {got[j]:.4g} is no better than predicting a constant ({constant[j]:.4g})"
    return ""


def _losses_per_output(Z, Y, output):
    """Each output's loss (one for a softmax) and that of the best constant, each output's mean (its
    class frequencies), on logits Z and targets Y."""
    Y = Y.astype(np.float64)
    p = Y.mean(axis=0)
    if output == "softmax":
        return [_loss(Z, Y, output)], [float(-np.sum(p * np.log(np.clip(p, 1e-12, 1))))]
    got = [_loss(Z[:, [j]], Y[:, [j]], output) for j in range(Y.shape[1])]  # Part 1's loss, output by output
    if output == "linear":
        return got, Y.var(axis=0)
    q = np.clip(p, 1e-12, 1 - 1e-12)
    return got, -(p * np.log(q) + (1 - p) * np.log(1 - q))


def _warn_nothing_learned(why, s):
    causes = [f"l2={s['l2']:g} is large: it pulls every weight to 0 harder than the data pull (try l2=1e-4; "
              "scikit-learn's alpha is l2 * batch_size)"] if s["l2"] >= 0.01 else []
    causes += ["a learning rate far too large (try lr=0.001) or too small", "ReLU units that died, or "
               "gradients that vanish in a deep sigmoid or tanh network (nn.look_inside shows both)"]
    if "higher than the first epoch's" in why:  # it learned, then lost it: the steps are too large
        causes = [f"lr={s['lr']:g} is likely too large (try lr={s['lr'] / 10:g})"] + causes[:-2]
    headline = "training went backwards" if "higher than the first epoch's" in why else \
        "training learned (almost) nothing"
    _warn(f"{headline}: {why}. Usual causes: {'; '.join(causes)}. nn.sanity_check(params, X, y) tests the setup")


def loss_curve(history, width=64, height=12):
    """A picture of history["loss"] (and "val_loss") on a log scale, as plain ASCII text to print.

    `*` marks the training loss, `o` the validation loss, `@` both; columns are epochs, evenly spaced.
    """
    if not isinstance(history, dict) or not isinstance(history.get("loss"), (list, tuple, np.ndarray)) \
            or len(history["loss"]) == 0:
        raise ValueError("loss_curve needs the history train returned, with a non-empty history['loss']")
    width = _check_positive(width, "width", integer=True, most=1000)
    height = _check_positive(height, "height", integer=True, most=200)
    if width < 8 or height < 2:
        raise ValueError(f"loss_curve needs width >= 8 and height >= 2; got width={width}, height={height}")
    val_loss = history.get("val_loss")
    if val_loss is not None and not isinstance(val_loss, (list, tuple, np.ndarray)):
        raise ValueError(f"history['val_loss'] must be a list of numbers, as train writes it; got {val_loss!r:.60}")
    curves = [(history["loss"], "*")] + ([(val_loss, "o")] if val_loss is not None and len(val_loss) else [])
    try:
        values = np.concatenate([np.asarray(c).ravel() for c, _ in curves])
        if values.dtype.kind not in "biuf" or any(np.ndim(c) != 1 for c, _ in curves):
            raise TypeError
        values = values.astype(float)
    except (TypeError, ValueError, OverflowError):
        raise ValueError("history['loss'] and history['val_loss'] must be lists of real numbers") from None
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return "(no positive finite loss to draw)"
    low, high = math.log10(values.min()), math.log10(values.max())
    span = high - low or 1.0
    epochs = len(history["loss"])
    grid = [[" "] * width for _ in range(height)]
    for curve, mark in curves:
        for column in range(width):
            value = float(np.asarray(curve, dtype=float)[round(column * (len(curve) - 1) / max(1, width - 1))])
            if value > 0 and math.isfinite(value):
                row = round((high - math.log10(value)) / span * (height - 1))
                grid[row][column] = "@" if grid[row][column] not in (" ", mark) else mark
    labels = {0: f"{10 ** high:9.3g} |", height - 1: f"{10 ** low:9.3g} |"}
    lines = [labels.get(r, " " * 9 + " |") + "".join(row) for r, row in enumerate(grid)]
    lines.append(" " * 10 + "+" + "-" * width)
    lines.append(" " * 10 + f"epoch 1{str(epochs).rjust(width - 7)}")
    legend = "* loss" + ("   o val_loss   @ both" if len(curves) == 2 else "")
    return "\n".join(lines + [" " * 11 + legend + "   (log scale)"])


def _training_view(params, X, Y):
    """The network and data as train sees them inside: a network train returned, its last layer
    unfolded, with X (and a linear output's Y) standardised by its statistics; a fresh one, with
    the data's own."""
    stats = _stats_of(params) or _fit_stats(X, Y, params)[0]
    net = _unfold(params, stats) if _stats_of(params) else params
    X = _standardise({**stats, "W1": params["W1"]}, X)
    if "y_mean" in stats:
        Y = ((Y - stats["y_mean"]) / stats["y_std"]).astype(params["W1"].dtype)
    return net, X, Y


# A look inside. A network can train badly while every loss is finite: units that never fire, units
# pinned at the flat ends of tanh or sigmoid, gradients that shrink layer by layer on their way down
# to the first layer, steps too large or too small for the weights they move. look_inside measures
# each of these per layer on one batch.


def look_inside(params, X, Y, *, lr=0.003, optimizer="adam"):
    """Per layer, on the batch (X, Y) as train would see it: a list of dicts, one per layer, to
    print with format_table.

    layer, units, activation; |W| and |dW|, Frobenius norms; update/|W|, the size of one step of
    `optimizer` at `lr` from a fresh state relative to the weights (healthy: about 1e-3; sgd:
    lr |dW|, adam: lr sqrt(number of weights with a non-zero gradient)); mean and std of the
    layer's activations A_l; dead, the share of ReLU units that output 0 for every sample of the
    batch; saturated, the share of tanh or sigmoid activations where g' is below 1% of its peak
    (|A| > 0.995 for tanh, A < 0.01 or > 0.99 for sigmoid), through which almost no gradient flows.
    """
    D = _check_params(params)
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    _check_positive(lr, "lr")
    _check_choice(optimizer, "optimizer", ("sgd", "adam"), "an optimizer")
    _check_finite_params(params)
    with np.errstate(all="ignore"):  # a table of extreme weights shows inf rather than warning
        return _layer_rows(params, X, Y, D, lr, optimizer)


def _layer_rows(params, X, Y, D, lr, optimizer):
    net, X, Y = _training_view(params, X, Y)
    _, cache = _forward(net, X)
    grads = _backward(net, cache, Y)
    rows = []
    for l in range(1, D + 1):
        W, dW, A = net[f"W{l}"], grads[f"W{l}"], cache[f"A{l}"]
        w_norm, g_norm = float(np.linalg.norm(W)), float(np.linalg.norm(dW))
        step = lr * g_norm if optimizer == "sgd" else lr * math.sqrt(np.count_nonzero(dW))
        name = net["hidden"] if l < D else net["output"]
        row = {"layer": l, "units": W.shape[1], "activation": name, "|W|": w_norm, "|dW|": g_norm,
               "update/|W|": step / w_norm if w_norm else math.inf,
               "mean A": float(A.mean()), "std A": float(A.std()), "dead": None, "saturated": None}
        if l < D and name == "relu":
            row["dead"] = float(np.mean(np.all(A <= 0, axis=0)))
        elif l < D and name == "tanh":
            row["saturated"] = float(np.mean(np.abs(A) > 0.995))
        elif l < D and name == "sigmoid":
            row["saturated"] = float(np.mean((A < 0.01) | (A > 0.99)))
        rows.append(row)
    return rows


def format_table(rows):
    """Rows of dicts (look_inside's) as an aligned text table; None prints as '-'."""
    if not isinstance(rows, (list, tuple)) or not all(isinstance(row, dict) for row in rows):
        raise ValueError("format_table needs a list of dicts with the same keys, as look_inside returns")
    if not rows:
        return ""
    columns = list(rows[0])
    if any(list(row) != columns for row in rows):
        raise ValueError(f"format_table needs every row to have the keys {columns}, in that order")

    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3g}"
        return str(value)

    cells = [[cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(str(c)), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(str(c).rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def sanity_check(params, X, Y, *, seed=0, show=True):
    """Four checks to run before a long training; prints a PASS, FAIL or SKIP line for each, and
    returns {"initial loss", "overfit a small batch", "train matches the plain loop", "gradients"},
    each True (PASS), False (FAIL) or None (SKIP: the data leave nothing to check; the line says why).

    They run on the data as train sees it (standardised; see _training_view).
    1. The loss against what chance gives: ln k for a softmax over k classes, ln 2 per sigmoid
       output, and 1 for MSE on standardised targets. A fresh network must start near it (far above
       means outputs that start far from uniform); a trained one (params["epochs"] > 0) must be below
       it. The loss from the logits must also equal the textbook formula on the outputs (-log p),
       computed apart: a wrong line in _loss fails here.
    2. A copy of the network trained on 8 samples for 300 steps of plain gradient descent with
       momentum must drive their loss below 5% of where it started: a network that cannot memorise
       8 samples has a bug. Plain steps keep the gradient's size and sign, so a grossly wrong
       gradient cannot hide here as it can behind Adam, which divides each step by the gradient's
       own size; one off by a constant factor may still converge, and only check 4 catches it.
    3. Each update rule of Part 1, three steps on made-up gradients, must land where the textbook's
       formulas (computed apart) land; then train and Part 1's _plain_train, 3 epochs on those 8
       samples with l2, must give the same weights: a change made to one loop (an update rule, the
       l2 term) and not the other fails here. No gradient check can see an update rule.
    4. gradient_check on 4 samples, at most 20 entries per key: below 1e-6 PASS, above FAIL, naming
       where the bug likely is: the topmost key that fails (keys from the last layer down), dZ_D when
       every key is off alike, the hidden derivative g' when the last layer is right and the layers
       below it are not. Run it for each output you use: a bug in one output's dZ_D shows only on
       a network with that output.
    The loss of check 1 is taken on at most 1,000 samples drawn with `seed`, so that a large X
    costs one small forward pass.
    """
    _check_params(params)
    X = _check_X(X, params, dtype=np.float64)
    Y = _check_Y(Y, params, X.shape[0])
    _check_finite_params(params)
    _check_seed(seed)
    with np.errstate(all="ignore"):  # what overflows is reported as a failed check, in words
        net, X, Y = _training_view(params, X, Y)
        rows = np.random.default_rng(seed).permutation(X.shape[0])
        checks = [_initial_loss(net, X[rows[:1000]], Y[rows[:1000]], params.get("epochs", 0)),
                  _overfit(net, X[rows[:8]], Y[rows[:8]]), _loops_agree(net, X[rows[:8]], Y[rows[:8]], seed),
                  _gradients_agree(net, X[rows[:4]], Y[rows[:4]], seed)]
    if show:
        print("\n".join(f"{'PASS' if ok else 'SKIP' if ok is None else 'FAIL'}  {name}: {text}"
                        for name, ok, text in checks), flush=True)
    return {name: ok for name, ok, _ in checks}


def _initial_loss(net, X, Y, epochs):
    D, output, k = depth(net), net["output"], net["output"] != "linear" and Y.shape[1]
    P, cache = _forward(net, X)
    loss = _loss(cache[f"Z{D}"], Y, output)
    # The same loss the textbook way, from the outputs P rather than the logits: a second, independent
    # formula, so that a wrong line in _loss (which backward cannot see) shows here.
    Q, Y_64 = P.astype(np.float64), Y.astype(np.float64)
    textbook = {"linear": lambda: np.mean((Q - Y_64) ** 2),
                "sigmoid": lambda: -np.mean(Y_64 * np.log(Q) + (1 - Y_64) * np.log(1 - Q)),
                "softmax": lambda: -np.sum(Y_64 * np.log(Q)) / len(Q)}[output]()
    saturated = output != "linear" and (Q.min() < 1e-6 or Q.max() > 1 - 1e-6)  # where log p loses digits
    if not saturated and abs(loss - textbook) > 1e4 * np.finfo(P.dtype).eps * max(abs(textbook), 1e-3):
        return ("initial loss", False, f"{loss:.6g} from the logits, but {textbook:.6g} from the outputs by the "
                "textbook formula: the loss line of _loss is wrong")
    chance, what = {"softmax": (math.log(k or 1), f"ln {k} = {math.log(k or 1):.4g}, a uniform guess over {k} classes"),
                    "sigmoid": (math.log(2), "ln 2 = 0.6931, a guess of 0.5 per output"),
                    "linear": (1.0, "1, the variance of standardised targets")}[output]
    if np.ptp(Y, axis=0).max() == 0:
        return "initial loss", None, f"every target is the same ({Y[0].tolist()}): there is nothing to learn"
    if epochs:
        ok = loss < chance
        return ("initial loss", ok, f"{loss:.4g} against {what}; this network has been trained ({epochs} epochs), so "
                "it must be below chance" + ("" if ok else ": it learned nothing (the initial-loss check proper "
                                             "is for a fresh network, from nn.init_params)"))
    ok = chance / 3 <= loss <= 3 * chance
    advice = "" if ok else (". Far above: the last layer starts too large" if loss > chance else
                            ". Far below chance before any training: do the targets leak into X?")
    return "initial loss", ok, f"{loss:.4g} against {what}{advice}"


def _overfit(net, X, Y):
    name, D = "overfit a small batch", depth(net)
    if len(np.unique(X, axis=0)) < min(len(np.unique(Y, axis=0)), 2):
        return name, None, "the 8 samples drawn share one X (constant columns?): nothing tells their targets apart"
    start = _loss(_forward(net, X)[1][f"Z{D}"], Y, net["output"])
    small, _ = _plain_train(net, X, Y, epochs=300, lr=0.05, batch_size=len(X), optimizer="sgd", momentum=0.9)
    end = _loss(_forward(small, X)[1][f"Z{D}"], Y, net["output"])
    ok = 0 <= end <= 0.05 * start  # a loss below 0 is no fit: MSE and cross-entropy cannot go there
    return name, ok, (f"the loss on 8 samples went from {start:.4g} to {end:.4g} in 300 steps of gradient "
                      "descent (must fall below 5%)" + ("" if ok else ". Check the gradients below"))


def _loops_agree(net, X, Y, seed):
    name = "train matches the plain loop"
    off = _rules_off_the_textbook()
    if off:  # no gradient check sees an update rule, and both loops share them
        return name, False, off
    worst, where = 0.0, ""
    for optimizer, momentum in (("adam", 0.0), ("sgd", 0.9)):
        settings = dict(epochs=3, lr=0.01, batch_size=4, optimizer=optimizer, momentum=momentum, l2=0.01, seed=seed)
        plain, _ = _plain_train(net, X, Y, **settings)
        fast, _ = train(net, X, Y if Y.shape[1] > 1 or net["output"] == "softmax" else Y[:, 0],
                        standardize=False, log_every=None, **settings)
        for key in param_keys(net):
            gap = float(np.abs(fast[key] - plain[key]).max() / max(np.abs(plain[key]).max(), 1e-300))
            worst, where = max((worst, where), (gap, f"{key}, {optimizer}"))
    ok = worst < 1e-9
    return name, ok, (
        "each update rule takes its textbook steps, and train and Part 1's _plain_train take the same 12 steps "
        "(Adam, then momentum; l2 0.01) to the same weights" if ok else f"they part by {worst:.2g} (relative) in "
        f"{where}: a change made to one (an update rule, the l2 term) is missing from the other")


def _rules_off_the_textbook():
    """Which of Part 1's update rules, run three steps on made-up gradients, leaves the textbook's
    steps (computed here apart, Adam's with m_hat and v_hat as the paper first writes them); "" if none."""
    grads = np.array([[0.5, -2.0, 0.1], [1.0, -0.3, 4.0], [-0.7, 0.2, 0.05]])  # far above eps: its share < 1e-5
    lr, mu, b1, b2 = 0.1, 0.9, 0.9, 0.999
    theta = {rule: np.array([1.0, -1.0, 0.5]) for rule in ("sgd", "momentum", "adam")}
    state = {"momentum": np.zeros(3), "m": np.zeros(3), "v": np.zeros(3)}
    expected, velocity, m, v = {rule: np.array([1.0, -1.0, 0.5]) for rule in theta}, 0, 0, 0
    for t, g in enumerate(grads, start=1):
        _sgd_step(theta["sgd"], g.copy(), lr)
        _momentum_step(theta["momentum"], g.copy(), state["momentum"], lr, mu)
        _adam_step(theta["adam"], g.copy(), state["m"], state["v"], t, lr)
        velocity, m, v = mu * velocity + g, b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g * g
        expected["sgd"] -= lr * g
        expected["momentum"] -= lr * velocity
        expected["adam"] -= lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t))
    for rule in theta:
        if not np.allclose(theta[rule], expected[rule], rtol=1e-5, atol=0):
            return (f"_{rule}_step's three steps on made-up gradients end at "
                    f"{np.round(theta[rule], 6).tolist()}, the textbook's at {np.round(expected[rule], 6).tolist()}: "
                    "the update rule's lines are wrong (README.md, section 10)")
    return ""


def _gradients_agree(net, X, Y, seed):
    try:
        errors = gradient_check(net, X, Y, max_per_key=20, seed=seed)  # on a float64 copy of the network
    except ValueError as error:  # legal data that leave no slope to compare: said, not raised
        return "gradients", None, f"could not be checked on these 4 samples: {error}"
    worst_key = max(errors, key=errors.get)
    failing = [key for key in errors if errors[key] >= 1e-6]  # from the last layer down
    text = (f"largest relative error {errors[worst_key]:.2g} (in {worst_key}); below 1e-6 is right"
            if errors[worst_key] else "every key agrees with finite differences, to rounding")
    listed = ", ".join(f"{key} {errors[key]:.2g}" for key in errors)
    last = list(errors)[:2]  # W_D and b_D: their gradients do not pass through g'
    if failing and len(failing) == len(errors) and max(errors.values()) < 1.01 * min(errors.values()):
        text += ("; every key is off alike, so dZ_D is (an error err means a factor r with "
                 "err = |1 - r| / (1 + r): 0.33 is a factor of 2)")
    elif failing and not set(last) & set(failing):
        text += (f"; the last layer is right and the layers below it are not ({listed}): what only they pass "
                 f"through is wrong, the hidden derivative g' of '{net['hidden']}' (HIDDEN) or the dA and dZ "
                 "lines of _backward")
    elif failing:
        text += (f"; backward disagrees with the loss from {failing[0]} down ({listed}): the bug is in that "
                 "key's line of backward or in what feeds it from above, or in the output's line of "
                 "_loss (check 1 compares it with the textbook formula)")
    return "gradients", not failing, text


# Part 4. Using a trained network


def predict(params, X):
    """Values for a linear output (in y's units), 0/1 labels for sigmoid, class indices for softmax.

    As in scikit-learn, one output comes back as a 1-D array (n,), so that comparing it with a 1-D
    y is elementwise and never broadcasts into (n, n); several outputs stay (n, k). A sigmoid
    output of exactly 0.5 is label 0, as predict_proba's argmax says (and scikit-learn).
    """
    Y_hat = _finite_outputs(params, X)
    if params["output"] == "softmax":
        return Y_hat.argmax(axis=1)
    if params["output"] == "sigmoid":
        Y_hat = (Y_hat > 0.5).astype(np.int64)
    return Y_hat[:, 0] if Y_hat.shape[1] == 1 else Y_hat


def predict_proba(params, X):
    """Class probabilities, in scikit-learn's shapes.

    One sigmoid output: (n, 2), the columns P(0) and P(1). Several sigmoid outputs (multi-label):
    (n, k), each column an independent P(label j is 1). Softmax: (n, k), rows that sum to 1, whose
    argmax is predict(). A linear output has no probabilities.
    """
    _check_params(params)
    if params["output"] == "linear":
        raise ValueError("predict_proba needs a network with output 'sigmoid' or 'softmax'; this one's "
                         "output is 'linear', which gives values: use predict")
    P = _finite_outputs(params, X)
    if params["output"] == "sigmoid" and P.shape[1] == 1:
        return np.hstack([1 - P, P])
    return P


def _finite_outputs(params, X):
    _check_params(params)
    if params.get("epochs") == 0:
        _warn("this network has never been trained: init_params made it, and train returns the trained "
              "network as a new dict, leaving the one you pass unchanged. Use what it returns: "
              "params, history = nn.train(params, X, y)")
    return forward(params, X)[0]  # forward refuses outputs that are not finite: NaN > 0.5 would be label 0


def save_params(path, params):
    """Save the network (arrays, activation names, statistics, feature names) to an .npz file.

    Everything is stored as plain arrays (the names as strings): the file pickles nothing, and says
    by itself how to run the network it holds. Beside the network it holds a format version, the
    layer count and a checksum of every array, so that load_params can tell a whole file from a
    damaged one. A path without .npz gets it, as with np.savez. The file is written beside its
    target and then renamed onto it in one step, so a save that fails (a full disk, Ctrl-C) leaves
    any earlier file of that name as it was; a write-protected file is not replaced, and a new file
    gets the permissions your umask gives.
    """
    _check_params(params)
    _check_feature_names(params)
    path = _file_name(path)
    if path.endswith((os.sep, "/")):
        raise ValueError(f"path {path!r:.100} is a folder; name the file to write in it, e.g. "
                         f"nn.save_params(os.path.join({path!r:.100}, 'model.npz'), params)")
    path = path if path.endswith(".npz") else f"{path}.npz"
    if os.path.isdir(path) or len(os.path.basename(path)) > 250:
        raise ValueError(f"path {path!r:.100} is a folder or too long a file name; name the file to write, "
                         "e.g. 'model.npz'")
    if os.path.exists(path) and not (os.access(path, os.W_OK) and os.stat(path).st_mode & 0o222):
        raise PermissionError(f"{path} is write-protected, so save_params leaves it as it is: save under "
                              "another name, or make it writable first (os.chmod(path, 0o644))")
    entries = _file_entries(params)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise FileNotFoundError(f"no folder {folder} to save {os.path.basename(path)} in")
    temporary = None
    try:
        temporary, handle = _new_file(folder)
        with os.fdopen(handle, "wb") as file:
            np.savez(file, **entries)
            file.flush()
            os.fsync(file.fileno())
        if os.path.exists(path):
            os.chmod(temporary, os.stat(path).st_mode)  # a file replaced keeps its permissions
        os.replace(temporary, path)
    except OSError as error:
        _remove(temporary)
        raise OSError(error.errno, f"{error.strerror or error}; the network was not saved, and any earlier "
                                   "file of that name is as it was", os.path.abspath(path)) from None
    except BaseException:
        _remove(temporary)
        raise


_FORMAT_VERSION = 2  # 1 (no version in the file): W1, b1 had x's statistics folded in


def _file_entries(params):
    """The arrays save_params writes, the file's own entries first (see load_params)."""
    network = {"hidden": np.array(params["hidden"]), "output": np.array(params["output"])}
    for key, value in params.items():
        if key in param_keys(params) or key in _STAT_KEYS:
            network[key] = np.asarray(value)
        elif key == "feature_names" and value is not None:  # None: no names, as _check_X takes it
            network[key] = np.array([str(name) for name in value], dtype=str)
        elif key == "epochs":
            network[key] = np.array(int(value))
    network["format_version"], network["layers"] = np.array(_FORMAT_VERSION), np.array(depth(params))
    sums = np.array([f"{key} {_checksum(value)}" for key, value in network.items()])
    # The file's own entries first: a damaged zip index loses its last entries, never these alone.
    return {"format_version": network.pop("format_version"), "checksums": sums, **network}


def _checksum(array):
    """CRC-32 of an array's dtype, shape and bytes, as 8 hex digits."""
    head = f"{array.dtype.str} {array.shape} ".encode()
    return f"{zlib.crc32(np.ascontiguousarray(array).tobytes(), zlib.crc32(head)):08x}"


def _file_name(path):
    """path (str, bytes or os.PathLike) as a str, or a ValueError."""
    try:
        path = os.fsdecode(os.fspath(path))
    except TypeError:
        raise ValueError(f"path must be a file name (str or os.PathLike); got {type(path).__name__}") from None
    if "\0" in path or not path:
        raise ValueError(f"path {path!r:.100} is not a file name (empty, or holding a NUL character)")
    return path


def _new_file(folder):
    """A new file in folder, opened for writing: (its name, its descriptor). Created with mode 0o666,
    which the system narrows by the umask, as for any file a program writes."""
    for _ in range(100):
        name = os.path.join(folder, f".nn-save-{os.getpid()}-{os.urandom(6).hex()}.npz")
        try:
            return name, os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name in {folder}")


def _remove(name):
    if name is not None and os.path.exists(name):
        os.remove(name)


def load_params(path, *, folded=None):
    """The network save_params wrote, as one dict. Never unpickles anything.

    A bare path finds the .npz that save_params wrote for it. Anything else (a damaged or truncated
    file, another kind of file, arrays that do not make a network) is refused with a ValueError that
    names the file and says what is wrong: every array's shape is checked from its header, against
    what the file can hold, before it is read, and every array against the checksum save_params
    wrote. A file with x's statistics and no format version is ambiguous, and refused unless
    `folded` says which it is: True for one that save_params wrote before the format version (W1, b1
    with the statistics folded in: load_params unfolds them), False for one that np.savez wrote from
    a network of this nn.py (taken as it is).
    """
    if folded not in (None, True, False):
        raise ValueError(f"folded must be None, True or False; got {folded!r}")
    path = _file_name(path)
    if not os.path.isfile(path) and os.path.isfile(f"{path}.npz"):
        path = f"{path}.npz"
    if not os.path.isfile(path):
        raise FileNotFoundError(f"no file {path!r} (nor {path + '.npz'!r})")
    if not zipfile.is_zipfile(path):
        with open(path, "rb") as file:
            head = file.read(8)
        what = ("a single .npy array" if head.startswith(b"\x93NUMPY") else
                "a damaged or truncated .npz (its zip directory is missing)" if head.startswith(b"PK") else
                "a pickle, which load_params never unpickles (it could run code)" if head[:1] == b"\x80" else
                "not an .npz archive")
        raise ValueError(f"{path} is {what}, not a network that save_params wrote")
    try:
        headers = _npz_headers(path)
    except ValueError:
        raise
    except Exception as error:  # a damaged archive: a bad zip index, a truncated member
        raise ValueError(f"{path} is damaged and cannot be read ({type(error).__name__}: {error})") from None
    _check_headers(headers, path)
    try:
        with np.load(path, allow_pickle=False) as data:
            entries = {key: data[key] for key in data.files}
    except Exception as error:  # a damaged archive: bad CRC, truncated member, and NumPy's own words for them
        raise ValueError(f"{path} is damaged and cannot be read ({type(error).__name__}: {error})") from None
    version = _check_whole(entries, path)
    for name in ("hidden", "output"):
        entries[name] = str(entries[name])
    if "feature_names" in entries:
        if entries["feature_names"].ndim != 1:
            raise ValueError(f"{path}: 'feature_names' must be a list of names; got {entries['feature_names']!r:.80}")
        entries["feature_names"] = tuple(str(name) for name in entries["feature_names"])
    if "epochs" in entries:
        epochs = entries["epochs"]
        if epochs.shape != () or epochs.dtype.kind not in "iu":
            raise ValueError(f"{path}: 'epochs' must be a whole number; got {epochs!r:.80}")
        entries["epochs"] = int(epochs)
    for key in ("input_mean", "input_std"):  # written by earlier versions, for warnings they no longer give
        entries.pop(key, None)
    _check_params(entries, where=f"the file {path}")
    _check_feature_names(entries, where=f"the file {path}: params")
    if version is not None or "x_mean" not in entries or folded is False:
        return entries
    if folded is None:
        raise ValueError(
            f"{path} has x's statistics but no format version, so nothing says whether its first layer has "
            "them folded in. Written by nn.save_params before the format version (December 2026), it has: "
            f"nn.load_params({path!r}, folded=True) converts it. Written by np.savez from a network of this "
            f"nn.py, it has not: nn.load_params({path!r}, folded=False). Then nn.save_params writes a file "
            "that says which")
    return _unfold_old_file(entries)


def _check_whole(entries, path):
    """Refuse a file that is not the whole of what save_params wrote: its entries must be the ones
    its checksums list, each with its checksum, and as many layers as it says. (A file without a
    format version comes from before checksums, and has none to compare.)"""
    if "format_version" not in entries and "checksums" not in entries:
        if "layers" in entries:
            raise ValueError(f"{path} is damaged: it has a layer count but no format version")
        return None
    version, sums = entries.pop("format_version", None), entries.pop("checksums", None)
    if version is None or version.shape != () or version.dtype.kind not in "iu" or sums is None \
            or sums.ndim != 1 or sums.dtype.kind != "U":
        raise ValueError(f"{path} is damaged: its format version or checksums are missing or unreadable")
    if int(version) > _FORMAT_VERSION:
        raise ValueError(f"{path} is in format {int(version)}, newer than this nn.py reads "
                         f"({_FORMAT_VERSION}): use the nn.py that wrote it")
    listed = dict(line.split(" ", 1) for line in sums.tolist() if " " in line)
    whole = {**entries, "format_version": version}
    if set(listed) != set(whole):
        lost, strange = sorted(set(listed) - set(whole)), sorted(set(whole) - set(listed))
        raise ValueError(f"{path} is damaged: " + (f"its entries {lost} are missing" if lost else
                                                   f"it holds entries {strange} that save_params never wrote"))
    bad = [key for key in listed if _checksum(whole[key]) != listed[key]]
    if bad:
        raise ValueError(f"{path} is damaged: {bad} differ from what was saved (their checksums do not match)")
    layers = entries.pop("layers")
    if layers.shape != () or layers.dtype.kind not in "iu" or int(layers) != depth(entries):
        raise ValueError(f"{path} is damaged: it says {layers} layers and holds {depth(entries)}")
    return int(version)


def _unfold_old_file(params):
    """A network from a file written before the format version has x's statistics folded into W1,
    b1 (W1' = W1 / s, b1' = b1 - (m / s) @ W1); unfold them, in float64, so that W1, b1 act on
    standardised inputs again: W1 = W1' s, b1 = b1' + m @ W1'."""
    if "x_mean" not in params:
        return params
    W1, b1 = params["W1"].astype(np.float64), params["b1"].astype(np.float64)
    dtype = params["W1"].dtype
    params["W1"] = (W1 * params["x_std"][:, None]).astype(dtype)
    params["b1"] = (b1 + params["x_mean"] @ W1).astype(dtype)
    return params


def _npz_headers(path):
    """{name: (shape, dtype, bytes its data can really hold)} for each array of an .npz, read from
    its headers: nothing is allocated for an array until the file is known to hold its bytes."""
    headers, on_disk = {}, os.path.getsize(path)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".npy"):
                raise ValueError(f"{path} holds {info.filename!r}, which no .npz of params has")
            with archive.open(info) as member:
                try:
                    version = np.lib.format.read_magic(member)
                    reader = {(1, 0): np.lib.format.read_array_header_1_0,
                              (2, 0): np.lib.format.read_array_header_2_0}.get(version)
                    if reader is None:
                        raise ValueError(f"it is in .npy format {version}, which save_params never writes")
                    shape, _, dtype = reader(member)
                except ValueError as error:  # NumPy's own words for a header it cannot read
                    raise ValueError(f"{path} is damaged: the header of {info.filename} cannot be read ({error})") \
                        from None
                if info.compress_type == zipfile.ZIP_STORED:
                    size = min(info.file_size, info.compress_size, on_disk)
                else:  # compressed (not by save_params): count what it really unpacks to, up to what it needs
                    size = _unpacked_size(member, math.prod(shape) * dtype.itemsize, info.compress_size)
            headers[info.filename[:-4]] = (shape, dtype, size)
    return headers


def _unpacked_size(member, need, packed):
    """The bytes a compressed member unpacks to, counted a megabyte at a time and only up to need; 0
    if it asks for more than 100 bytes for each packed one (and a megabyte): a network's numbers never
    pack so tightly, a file made to exhaust memory does."""
    if need > 100 * packed + 2**20:
        return 0
    size = 0
    while size < need:
        block = member.read(min(2**20, need - size))
        if not block:
            break
        size += len(block)
    return size


def _check_headers(headers, path):
    """Refuse, before reading any array, a file whose arrays could not make a network."""
    for name, (shape, dtype, size) in headers.items():
        if dtype.hasobject:
            raise ValueError(f"{path} holds pickled objects in {name!r}, which load_params refuses to "
                             "unpickle (they could run code); save networks with save_params")
        if any(d < 0 for d in shape) or size < math.prod(shape) * dtype.itemsize:
            raise ValueError(f"{path} is damaged: {name!r} claims shape {shape}, more bytes than the file holds "
                             "for it")
    for name in ("hidden", "output"):
        shape, dtype, _ = headers.get(name, (None, np.dtype(float), 0))
        if shape != () or dtype.kind != "U":
            raise ValueError(
                f"{path} does not say which activations its network uses (no '{name}' string; files "
                "written by np.savez lack them). Add them and re-save, once, with the names it was "
                f"trained with: params = dict(np.load(path)); params['hidden'] = one of {list(HIDDEN)}; "
                f"params['output'] = one of {list(OUTPUT)}; nn.save_params(path, params). A network "
                "that train returned also needs the statistics it carried (x_mean, x_std; y_mean, "
                "y_std for a regression): without them it takes X as standardised and predicts wrong, "
                "so save the whole dict train returned with nn.save_params")
    n_prev, l = None, 1
    while f"W{l}" in headers:
        W, b = headers[f"W{l}"][0], headers.get(f"b{l}", (None,))[0]
        if len(W) != 2 or b != (W[1],) or (n_prev is not None and W[0] != n_prev):
            got = f"b{l} {b}" if b is not None else f"no b{l}"
            raise ValueError(f"{path}: W{l} {W} and {got} do not make layer {l} of a network")
        n_prev, l = W[1], l + 1


# Part 5. Checking inputs at the boundary
#
# Each check is cheap (shapes, one pass for finiteness) and says what it got, what it expected and,
# where it can, how to fix it. Nothing here changes the math.

_STAT_KEYS = ("x_mean", "x_std", "y_mean", "y_std")  # the statistics a network from train carries
_EXTRA_KEYS = ("epochs", "feature_names") + _STAT_KEYS  # what a network carries beside its arrays


def _check_params(params, where="params"):
    """Check that params is a network: hidden and output names, and W1, b1, ..., WD, bD that chain.

    Returns D. The names are checked too, since a dict edited by hand can carry any string.
    """
    if isinstance(params, tuple) and len(params) == 2 and isinstance(params[0], dict):
        raise ValueError(f"{where} is a tuple (params, history), as train returns it; unpack it: "
                         "params, history = nn.train(...)")
    if not isinstance(params, dict):
        raise ValueError(f"{where} must be the dict init_params, train or load_params returns; "
                         f"got {type(params).__name__}")
    if "loss" in params and "ended" in params:
        raise ValueError(f"{where} is the history dict that train returns second; unpack in order: "
                         "params, history = nn.train(...)")
    if "hidden" not in params or "output" not in params:
        raise ValueError(f"{where} has no 'hidden' and 'output' names, so nothing says how to run its "
                         "weights. Make networks with nn.init_params(sizes, hidden, output); for a dict "
                         "of weights from elsewhere, add the names it was trained with: "
                         f"params['hidden'] = one of {list(HIDDEN)}; params['output'] = one of {list(OUTPUT)}")
    _check_choice(params["hidden"], f"{where}: hidden", HIDDEN, "a hidden activation")
    _check_choice(params["output"], f"{where}: output", OUTPUT, "an output")
    keys = param_keys(params)  # W1, b1, ..., WD, bD
    D, names = len(keys) // 2, set(params)
    if D == 0 or not names <= {"hidden", "output", *_EXTRA_KEYS, *keys} or not names.issuperset(keys):
        raise ValueError(f"{where} must hold W1, b1, ..., WD, bD beside 'hidden' and 'output'; "
                         f"got keys {sorted(map(str, params))}")
    n_prev, dtype = None, params["W1"].dtype if isinstance(params["W1"], np.ndarray) else None
    floats = dtype in (np.float32, np.float64)  # once, not per layer: each public call runs this (issue 25)
    for l in range(1, D + 1):
        W, b = params[keys[2 * l - 2]], params[keys[2 * l - 1]]
        if not (type(W) is np.ndarray and type(b) is np.ndarray) or W.ndim != 2 or b.ndim != 1 \
                or b.shape[0] != W.shape[1] or W.size == 0:
            raise ValueError(f"{where}: W{l} must be a 2-D array (n_in, n_out) and b{l} a 1-D array "
                             f"(n_out,), neither empty; got W{l} {np.shape(W)} and b{l} {np.shape(b)}")
        if n_prev is not None and W.shape[0] != n_prev:
            raise ValueError(f"{where}: W{l} has {W.shape[0]} rows but layer {l - 1} has {n_prev} units; "
                             "the layers do not chain")
        if not floats or W.dtype != dtype or b.dtype != dtype:
            raise ValueError(f"{where}: every array must be float64 (or every one float32); got "
                             f"W{l} {W.dtype} and b{l} {b.dtype} with W1 {dtype}")
        n_prev = W.shape[1]
    if params["output"] == "softmax" and n_prev < 2:
        raise ValueError(f"{where}: a softmax over 1 output is always 1; use one output per class, or "
                         "output='sigmoid' with 1 output for two classes")
    for name, size in (("x_mean", params["W1"].shape[0]), ("x_std", params["W1"].shape[0]),
                       ("y_mean", n_prev), ("y_std", n_prev)):
        value = params.get(name)
        if name in params and not (type(value) is np.ndarray and value.shape == (size,) and value.dtype == np.float64
                                   and np.isfinite(value).all() and (name[2:] == "mean" or (value >= 1e-300).all())):
            raise ValueError(f"{where}: {name} must be a finite float64 array of shape ({size},) (a std >= 1e-300), "
                             f"as train records it; got {np.asarray(value, dtype=object).shape} {value!r:.80}")
    epochs = params.get("epochs", 0)
    if isinstance(epochs, (bool, np.bool_)) or not isinstance(epochs, (int, np.integer)) or not 0 <= epochs < 2**62:
        raise ValueError(f"{where}: epochs must be the count of epochs trained, an integer >= 0; got {epochs!r:.80}")
    if ("x_mean" in params) != ("x_std" in params) or ("y_mean" in params) != ("y_std" in params) or \
            ("y_mean" in params and "x_mean" not in params):
        raise ValueError(f"{where}: the statistics train keeps come in pairs (x_mean with x_std, "
                         "y_mean with y_std); keep both or neither")
    return D


def _finite(value, what):
    """value, if every number in it is finite; else a ValueError that says whether it overflowed or
    became NaN (not a number: inf - inf, 0 * inf or 0 / 0 along the way)."""
    if not np.isfinite(value).all():
        if np.isinf(value).any():
            raise ValueError(f"{what} overflowed to infinity: the data or the weights are too large for the "
                             "network's float type (standardised data and a network trained on it never do this)")
        raise ValueError(f"{what} came out NaN (not a number): somewhere on the way an infinity met another "
                         "(inf - inf, 0 * inf), so some number grew beyond the network's float type; check the "
                         "data and the weights for huge values (standardised data and a trained network have none)")
    return value


def _all_finite(arrays):
    """Whether every number in a list of arrays is finite, looked at cheaply: for a small network in one
    pass over one joined copy (a NumPy call per array costs more than a small network's arithmetic), for
    a large one by a sum per array, with no copy (a sum is finite unless some entry is not, or the sum
    overflows: then False, and the caller's closer look clears it)."""
    if sum(A.size for A in arrays) <= 2**16:
        return bool(np.isfinite(np.concatenate([A.ravel() for A in arrays])).all())
    with np.errstate(over="ignore", invalid="ignore"):
        return all(np.isfinite(A.sum()) for A in arrays)


def _finite_each(arrays, what):
    """arrays, a dict, if every number in them is finite; else _finite's error for the first array that is
    not (what.format(key) names it)."""
    if not _all_finite(list(arrays.values())):
        for key, A in arrays.items():
            _finite(A, what.format(key))
    return arrays


def _check_finite_params(params):
    keys = param_keys(params)
    if _all_finite([params[key] for key in keys]):
        return
    for key in keys:
        if not np.isfinite(params[key]).all():
            raise ValueError(f"params[{key!r}] contains NaN or infinity (did training diverge?): these weights "
                             "are no network to use, check or train; retrain with a smaller lr, or start "
                             "again from init_params or a saved network")


def _check_positive(value, name, integer=False, most=10**9):
    ok_type = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.integer,
                                                                                     np.floating))
    finite = ok_type and (integer or (not isinstance(value, int) or abs(value) < 10**308) and math.isfinite(value))
    if isinstance(value, (bool, np.bool_)) or not finite or not 0 < value <= (most if integer else math.inf):
        kind = "a positive integer" if integer else "a positive finite number"
        limit = f" (at most {most:,})" if integer and finite and value > most else ""
        raise ValueError(f"{name} must be {kind}; got {value!r:.80}{limit}")
    return int(value) if integer else float(value)


def _check_fraction(value, name, zero_ok):
    """A number in [0, 1) (zero_ok) such as momentum or Adam's betas."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not (0.0 <= value < 1.0) or (value == 0 and not zero_ok):
        raise ValueError(f"{name} must be a number in [0, 1), such as 0.9; got {value!r}")


def _check_grads(grads, params):
    """grads must hold an array of the same shape for every W_l and b_l; returns those keys."""
    _check_params(params)
    keys = param_keys(params)
    if not isinstance(grads, dict) or set(grads) != set(keys):
        got = sorted(map(str, grads)) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the keys {keys}, as backward returns them; got {got}")
    for key in keys:
        if not (isinstance(grads[key], np.ndarray) and grads[key].shape == params[key].shape
                and grads[key].dtype.kind == "f"):
            raise ValueError(f"grads[{key!r}] must be a float array of shape {params[key].shape}, as backward "
                             f"returns it; got {getattr(grads[key], 'dtype', type(grads[key]).__name__)} "
                             f"{np.shape(grads[key])}")
    return keys


def _feature_names(X):
    """The column names of a DataFrame (anything with .columns), as a tuple of str; else None."""
    columns = getattr(X, "columns", None)
    return None if columns is None else tuple(str(name) for name in columns)


def _check_feature_names(params, where="params"):
    """params["feature_names"] (the columns train was given) as a tuple of str, or None."""
    names = params.get("feature_names")
    if names is None:
        return None
    n_in = params["W1"].shape[0]
    if not isinstance(names, (list, tuple, np.ndarray)) or np.ndim(names) != 1 or len(names) != n_in or \
            not all(isinstance(name, str) and "\0" not in name for name in names):
        raise ValueError(f"{where}['feature_names'] must be the {n_in} column names train records, one str per "
                         f"input; got {names!r:.80}. Set them from the training frame, params['feature_names'] "
                         "= tuple(X.columns), or drop them: del params['feature_names']")
    return tuple(names)


def _few(names, most=5):
    """A list of names for a message: the first `most`, and how many more."""
    shown = ", ".join(repr(name) for name in names[:most])
    return f"[{shown}{f', ... ({len(names) - most} more)' if len(names) > most else ''}]"


def _columns_differ(names, known, name):
    """Why a DataFrame's columns are not the training ones (only what differs), and a fix that runs."""
    wanted = "list(params['feature_names'])" if name == "X" else "list(X.columns)"  # X_val: train's X
    missing = [column for column in known if column not in names]
    extra = [column for column in names if column not in known]
    pairs = [(got, was) for got, was in zip(names, known) if got != was]
    if len(names) == len(known) and missing and len(pairs) == len(missing) == len(extra) and \
            all(got in extra and was in missing for got, was in pairs):
        renamed = ", ".join(f"{was!r} as {got!r}" for got, was in pairs[:5])
        return (f"{name} has renamed columns: it has {renamed}{' ...' * (len(pairs) > 5)}. Give them the "
                f"names they had in training: {name} = {name}.rename(columns={dict(pairs[:5])})")
    if missing:
        also = f" (and has {_few(extra)}, which it was not: reindex drops them)" if extra else ""
        return (f"{name} lacks {len(missing)} of the columns the network was trained on: {_few(missing)}{also}. "
                "If they are dummy columns of categories absent from these rows (pd.get_dummies makes a "
                f"column only for the values present), add them as 0: {name} = {name}.reindex(columns={wanted}, "
                "fill_value=0); any other column must be supplied")
    if extra:
        return (f"{name} has {len(extra)} column{'s' * (len(extra) > 1)} the network was not trained on: "
                f"{_few(extra)}. Keep only the training columns, in order: {name} = {name}[{wanted}]")
    if len(names) != len(known):
        twice = sorted({column for column in names if names.count(column) > 1})
        return (f"{name} has the columns {_few(twice)} more than once; keep one of each: "
                f"{name} = {name}.loc[:, ~{name}.columns.duplicated()]")
    return (f"{name} has the training columns in another order (first: {pairs[0][0]!r} where training had "
            f"{pairs[0][1]!r}). Put them in the training order: {name} = {name}[{wanted}]")


_REAL = (int, float, np.integer, np.floating, np.bool_)  # what an object array may hold and be taken as numbers


def _first_non_number(values):
    """(index, value) of the first entry of a 1-D object array that is not a real number, or None."""
    for i, value in enumerate(values):
        if not isinstance(value, _REAL):
            return i, value
    return None


def _number_hint(value, kind, column, dummies="pd.get_dummies"):
    """How to turn `column` (an array, or a DataFrame's column X['c']) of this dtype kind, holding
    this value, into numbers; dummies: the call that one-hot encodes it."""
    if kind == "M":
        return f"seconds since 1970, e.g. {column} = {column}.map(pd.Timestamp.timestamp)"
    if kind == "m":
        return f"seconds, e.g. {column} = {column}.dt.total_seconds()"
    if value is None or (isinstance(value, float) and value != value) or type(value).__name__ in ("NAType", "NaTType"):
        return "it holds missing values: impute them or drop those rows first"
    if isinstance(value, (str, bytes)):
        try:
            float(value)
            return f"its numbers are text: {column} = pd.to_numeric({column})"
        except ValueError:
            return f"encode the categories as numbers first, e.g. {dummies}"
    return "encode it as numbers first"


def _frame_values(A, name, dtypes):
    """A DataFrame's values: float64 if every column is numeric, else an object array in which every
    column holds numbers; a column that does not is named, with its first value that is no number."""
    try:
        if all(getattr(kind, "kind", "O") in "biuf" for _, kind in dtypes.items()):
            return A.to_numpy(dtype=np.float64) if hasattr(A, "to_numpy") else np.asarray(A, dtype=np.float64)
        raw = np.asarray(A, dtype=object)
    except (TypeError, ValueError) as error:  # pandas' nullable columns holding pd.NA, say
        raise ValueError(f"{name} could not be read as numbers ({error}); impute or drop missing values "
                         "first") from None
    for j, (column, kind) in enumerate(dtypes.items()):
        bad = _first_non_number(raw[:, j]) if raw.ndim == 2 else None
        if bad is not None or getattr(kind, "kind", "O") in "mM":
            row, value = bad or (0, raw[0, j] if raw.size else None)
            fix = _number_hint(value, getattr(kind, "kind", "O"), f"{name}[{column!r}]",
                               f"{name} = pd.get_dummies({name}, columns=[{column!r}])")
            raise ValueError(f"{name}'s column {str(column)!r} is not numeric (dtype {kind}; row {row} holds "
                             f"{value!r:.40}): {fix}")
    return raw


def _as_numbers(A, name, dtype, finite=True):
    """A as a finite array of dtype (finite=False: left to the caller), or a ValueError that names what
    to change.

    Numbers of mixed Python types (an object array from a DataFrame's .values, an object column
    holding numbers) are numbers: they are taken. Anything else is refused, naming the column and
    the value, with how to turn that kind of column into numbers."""
    if hasattr(A, "toarray") and hasattr(A, "nnz"):
        raise ValueError(f"{name} is a sparse matrix; nn.py works on dense arrays: pass {name}.toarray()")
    dtypes = getattr(A, "dtypes", None)
    if dtypes is not None and hasattr(dtypes, "items"):  # a DataFrame (a Series' dtypes is one dtype)
        raw = _frame_values(A, name, dtypes)
    else:
        try:
            raw = np.asarray(A)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{name} must be a numeric array of shape (n_samples, n_features), with the "
                             f"same number of values in every row: {error}") from None
    if raw.dtype.kind == "c":
        raise ValueError(f"{name} is complex; a network learns on real numbers: pass {name}.real, or the "
                         "real and imaginary parts as separate columns")
    if raw.dtype == object:
        bad = _first_non_number(raw.ravel())
        if bad is not None:
            at = np.unravel_index(bad[0], raw.shape) if raw.ndim else ()
            raise ValueError(f"{name} must hold numbers; at {tuple(map(int, at))} it holds {bad[1]!r:.40} "
                             f"({type(bad[1]).__name__}): " + _number_hint(bad[1], "O", name))
        try:
            raw = raw.astype(np.float64)
        except OverflowError:
            digits = max(len(str(abs(int(value)))) for value in raw.ravel())
            raise ValueError(f"{name} holds an integer too large for any float (of {digits} digits; float64 ends "
                             "near 1.8e308): divide the column by a power of ten first")
    if raw.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric; got dtype {raw.dtype} with values like "
                         f"{raw.ravel()[:3].tolist()}: "
                         + _number_hint(raw.ravel()[0] if raw.size else None, raw.dtype.kind, name))
    with np.errstate(over="ignore", invalid="ignore"):
        cast = raw.astype(dtype, copy=False)
        if not finite or np.isfinite(np.sum(cast)):  # one pass, and no array of booleans: NaN and inf reach the sum
            return cast
        if raw.dtype.kind == "f" and not np.isfinite(raw).all():
            where = f" (first in row {int(np.argwhere(~np.isfinite(raw))[0][0])})" if raw.ndim else ""
            raise ValueError(f"{name} contains NaN or infinity{where}; remove or impute those values first")
        if not np.isfinite(cast).all():
            raise ValueError(f"{name} has values beyond {np.dtype(dtype).name}'s range (largest "
                             f"{np.abs(raw).max():.3g}): use a float64 network (init_params(..., "
                             "dtype=np.float64)), or divide the column by a power of ten")
    return cast  # finite numbers whose sum overflows: still fine


def _one_row(X, known):
    """A pandas Series whose index is the training columns (a row, X.iloc[i]) as one sample (1, n_0)."""
    index = getattr(X, "index", None)
    if known is None or index is None or getattr(X, "ndim", None) != 1 or hasattr(X, "columns"):
        return X
    labels = [str(label) for label in index]
    if sorted(labels) != sorted(known):
        return X
    return np.asarray(X)[[labels.index(column) for column in known]][None, :]


def _check_X(X, params, name="X", dtype=None, finite=True):
    """X as a 2-D array with as many columns as W1 has rows: of the params' dtype, or float64 for a
    network that standardises X itself (x_mean), so that no digit is lost before it does. finite=False
    leaves its finiteness to the caller."""
    known = _check_feature_names(params)
    X = _one_row(X, known)
    names, series = _feature_names(X), getattr(X, "ndim", None) == 1 and hasattr(X, "index")
    if names is not None and known is not None and names != known:
        raise ValueError(_columns_differ(names, known, name))
    X = _as_numbers(X, name, dtype or (np.float64 if "x_mean" in params else params["W1"].dtype), finite)
    n_in = params["W1"].shape[0]
    if X.ndim != 2:
        hint = (f" (a Series: for one sample, {name} = {name}.to_frame().T, or take the row as df.iloc[[i]], "
                f"with double brackets; for one feature, {name} = {name}.to_frame())" if series else
                f" (one sample: {name}.reshape(1, -1); one feature: {name}.reshape(-1, 1))" if X.ndim == 1 else
                f" (images or other grids: flatten each sample, {name}.reshape(len({name}), -1))"
                if X.ndim > 2 else "")
        raise ValueError(f"{name} must be 2-D (n_samples, n_features); got shape {X.shape}{hint}")
    if X.shape[1] != n_in or X.shape[0] == 0:
        raise ValueError(f"{name} has shape {X.shape}; the network expects (n_samples >= 1, {n_in}) "
                         f"since W1 is {params['W1'].shape}")
    if "x_mean" in params and "x_std" in params:
        why = _off_scale(X, np.asarray(params["x_mean"]), np.asarray(params["x_std"]), known)
        if why:
            _warn(f"{name} is on another scale from the data the network was trained on ({why}). The "
                  "network takes data as train got it: pass it as it was, without scaling it, with its "
                  "columns in the training order, and scale no part by hand")
    return X


def _off_scale(X, mean, std, names=None):
    """Why X seems to come from another scale than training data of this mean and std, or "".

    Per column, the shift of X's mean and the ratio of its spread, in training standard deviations.
    The median column judges (a shift of 1.5 with 20 rows or more to average, 3 with fewer; a
    spread 4 times larger or smaller, with 20 rows or more), and any column shifted by 50 or 100:
    a few sparse columns (a pixel that is rarely on) move a little on healthy data, and a column
    scaled or left unscaled moves by far more. Columns constant in training are skipped. The answer
    names the worst columns, and says so when they look like other training columns (the columns
    in another order).
    """
    known = std > 1e-6 * std.max() if std.size and std.max() > 0 else np.zeros(std.shape, bool)
    if not known.any():
        return ""
    x_mean, x_std = _column_stats(X)
    if not (np.isfinite(x_mean).all() and np.isfinite(x_std).all()):
        return "its values are beyond what float64 can average"
    looks_standardised = lambda m, s: (np.abs(m) < 1e-6).all() and (np.abs(s - 1) < 1e-6).all()
    if X.shape[0] >= 2 and looks_standardised(x_mean[known], x_std[known]) and \
            not looks_standardised(mean[known], std[known]):
        return "every column has mean 0 and spread 1, as if standardised by hand"
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):  # near float64's limit: inf, judged below
        shift = np.where(known, np.abs(x_mean - mean) / np.where(known, std, 1), 0)
        median, largest = (1.5, 50) if X.shape[0] >= 20 else (3, 100)
        if np.median(shift[known]) > median or shift.max() > largest:
            return (_worst_columns(shift, shift, names, median, "sits",
                                   "training standard deviations from its training mean") +
                    _moved_columns(shift, x_mean, mean, std, known, median, names))
        varies = known & (x_std > 0)  # a column held constant (a slice through the inputs) has no spread to judge
        if X.shape[0] >= 20 and varies.sum() >= known.sum() / 2:
            ratio = np.where(varies, np.abs(np.log(x_std / np.where(varies, std, 1))), 0)
            if np.median(ratio[varies]) > math.log(4) or ratio.max() > math.log(100):
                spread = np.where(varies, x_std / np.where(varies, std, 1), 1)
                return _worst_columns(ratio, spread, names, math.log(4), "spreads", "times as widely as in training")
    return ""


def _column_name(j, names):
    return f"column {j}" + (f" ({names[j]!r})" if names is not None and j < len(names) else "")


def _worst_columns(score, shown, names, floor, verb, what):
    """'column 3 ('area') sits 1.04e+03 <what>, column 0 sits 250, the median column 0.04': the worst
    column, and the next two if their score is above floor."""
    worst = [j for j in np.argsort(-score, kind="stable")[:3] if j == np.argmax(score) or score[j] > floor]
    rest = "".join(f", {_column_name(j, names)} {verb} {shown[j]:.3g}" for j in worst[1:])
    return (f"{_column_name(worst[0], names)} {verb} {shown[worst[0]]:.3g} {what}{rest}, the median column "
            f"{np.median(shown):.3g}")


def _moved_columns(shift, x_mean, mean, std, known, close, names):
    """'; column 3 looks like training column 0 ...: are the columns in another order?' or ""."""
    found = []
    for j in np.argsort(-shift, kind="stable")[:3]:
        if shift[j] <= close:
            break
        fit = np.where(known, np.abs(x_mean[j] - mean) / np.where(known, std, 1), np.inf)
        i = int(fit.argmin())
        if i != j and fit[i] <= close:
            found.append(f"{_column_name(j, names)} looks like training {_column_name(i, names)}")
    if not found:
        return ""
    return "; " + ", ".join(found) + ": the columns may be in another order than in training"


def _column_stats(A, dtype=np.float64):
    """Each column's mean and standard deviation, in float64, without a temporary the size of A
    (MNIST's X is 376 MB): the deviations are squared a block of rows (about 2 MB) at a time. dtype
    float32, for float32 X of a float32 network: _float32_stats."""
    if dtype == np.float32:
        return _float32_stats(A)
    rows = max(1, 2**21 // (8 * A.shape[1]))
    with np.errstate(over="ignore", invalid="ignore"):  # beyond float64's range: inf, for the caller to judge
        mean = A.mean(axis=0, dtype=np.float64)
        square_sum = np.zeros_like(mean)
        for start in range(0, A.shape[0], rows):
            deviation = A[start:start + rows] - mean
            deviation *= deviation
            square_sum += deviation.sum(axis=0)
        return mean, np.sqrt(square_sum / A.shape[0])


def _float32_stats(A):
    """_column_stats of float32 A in one pass over it instead of two, in float32 arithmetic: each block
    of rows is centred on c, the mean of a sample of 1,000 rows spread over A, rounded to float32 (so
    that A - c is exact wherever it could cancel); the centred values d and their squares are summed in
    float32 within a block of at most 256 rows (each sum within 256 roundings) and in float64 across
    blocks; then mean = c + sum(d) / n and variance = sum(d^2) / n - (sum(d) / n)^2, which c, close to
    the mean, keeps from cancelling. The mean is returned rounded to float32: train then centres
    float32 X in float32 as exactly as float64 would (_standardised). Within 1e-4 of float64's two
    passes (tested on sorted, stepped, offset and outlying columns), in a third of their time; a
    column whose spread float32's squares cannot hold gets float64's (below)."""
    n, rows = A.shape[0], max(1, min(256, 2**21 // (4 * A.shape[1])))
    with np.errstate(over="ignore", invalid="ignore"):  # a NaN or inf reaches the sums: the caller judges
        c = A[::max(1, n // 1000)].mean(axis=0, dtype=np.float64).astype(np.float32)
        sums, squares = np.zeros(A.shape[1]), np.zeros(A.shape[1])
        for start in range(0, n, rows):
            d = A[start:start + rows] - c
            sums += d.sum(axis=0)
            d *= d
            squares += d.sum(axis=0)
        mean = c + sums / n
        variance = squares / n - (sums / n) ** 2
    # float32's squares overflow beyond 1e19 of the centre and lose their digits below 1e-19 of it: such
    # columns (a spread below 1e-15 that is not 0, as a constant column's is exactly) take float64's two
    # passes, and train then standardises A in float64
    if not np.isfinite(variance).all() or ((variance < 1e-30) & ((sums != 0) | (squares != 0))).any():
        return _column_stats(A)
    return mean.astype(np.float32).astype(np.float64), np.sqrt(np.maximum(variance, 0))


def _check_Y(Y, params, n, name="Y", dtype=None):
    """Targets as an (n, k) array of the params' dtype (or `dtype`); softmax labels become one-hot rows."""
    dtype = dtype or params["W1"].dtype
    output, k = params["output"], params[f"W{depth(params)}"].shape[1]
    shape = getattr(Y, "shape", None)
    if getattr(Y, "ndim", None) == 2 and shape[1] != k:
        raise ValueError(_columns_not_outputs(Y, k, output, name))
    if getattr(Y, "ndim", None) == 2 and hasattr(Y, "columns") and k == 1:
        raise ValueError(f"{name} is a DataFrame of shape {Y.shape}; pass its column as a 1-D array, "
                         f"e.g. {name}.to_numpy().ravel() or df['target']")
    if output in ("sigmoid", "softmax"):
        try:
            labels = np.asarray(Y) if not hasattr(Y, "dtypes") else np.asarray(Y, dtype=object)
        except ValueError as error:
            raise ValueError(f"{name} must be an array of labels, with the same number of values in every row: "
                             f"{error}") from None
        if labels.dtype.kind in "US" or (labels.dtype == object and _first_non_number(labels.ravel()) is not None):
            raise ValueError(f"{name} must be numeric; got dtype {getattr(Y, 'dtype', labels.dtype)} with values "
                             f"like {labels.ravel()[:3].tolist()}" + _LABEL_HINT[output])
    if output == "softmax" and np.ndim(Y) == 1:
        return _one_hot(_as_numbers(Y, name, np.float64), n, k, name).astype(dtype)
    Y = _as_numbers(Y, name, dtype)
    if Y.ndim == 1 and k == 1:
        Y = Y[:, None]  # a 1-D target of a single output is a column, never broadcast to (n, n)
    if Y.ndim == 2 and Y.shape[0] == n and Y.shape[1] != k:
        raise ValueError(_columns_not_outputs(Y, k, output, name))
    if Y.shape != (n, k):
        hint = {1: " (or (n,) for a single output)"}.get(k, " (or integer labels (n,))" if output == "softmax" else
                                                     f"; for one class out of {k} per sample use output='softmax'"
                                                     if Y.ndim == 1 else "")
        raise ValueError(f"{name} has shape {Y.shape}; expected {(n, k)} to match the network's "
                         f"{k} output{'s' * (k > 1)} and the {n} samples of X{hint}")
    if output in ("sigmoid", "softmax") and (Y.min() < 0 or Y.max() > 1):
        raise ValueError(f"{output} targets must lie in [0, 1]; got values from {Y.min():g} to {Y.max():g}"
                         + _LABEL_HINT[output])
    if output == "softmax":
        sums = Y.sum(axis=1)
        if np.abs(sums - 1).max() > 1e-6:
            bad = int(np.abs(sums - 1).argmax())
            raise ValueError(f"softmax targets must be one-hot rows that sum to 1 (or integer labels (n,)); "
                             f"row {bad} sums to {sums[bad]}")
    return Y


def _columns_not_outputs(Y, k, output, name):
    """Y has another number of columns than the network has outputs: say so, and what to pass."""
    columns, names = Y.shape[1], list(getattr(Y, "columns", [])) or None
    listed = f" {_few(names)}" if names is not None else ""
    one = f"{name}[{names[0]!r}]" if names else f"{name}[:, 0]"
    if output == "softmax" and columns == 1:
        fix = f"pass its labels 0..{k - 1} as a 1-D array: np.ravel({name})"
    elif output == "softmax":
        fix = (f"one-hot rows need one column per class, so a network of {columns} outputs; or pass integer "
               f"labels 0..{k - 1}, e.g. np.argmax({name}, axis=1) for one-hot rows")
    elif k == 1:
        fix = (f"pass the one target column as a 1-D array (e.g. {one} if it is the first), or give the network "
               f"{columns} outputs: init_params([..., {columns}], ...)")
    else:
        fix = f"pass the {k} target columns, or give the network {columns} outputs: init_params([..., {columns}], ...)"
    return (f"{name} has {columns} column{'s' * (columns != 1)}{listed}; the network has {k} "
            f"output{'s' * (k > 1)}: {fix}")


_LABEL_HINT = {
    "sigmoid": ". Two classes are the labels 0 and 1: map other labels first, e.g. "
               "y = (y == positive_class).astype(int); for more than two classes use output='softmax' "
               "with one output per class",
    "softmax": ". Pass integer labels 0..k-1 of shape (n,), or one-hot rows; "
               "classes, y = np.unique(y, return_inverse=True) maps any labels to 0..k-1",
}


def _one_hot(labels, n, k, name="Y"):
    if labels.shape[0] != n:
        raise ValueError(f"{name} has {labels.shape[0]} labels; expected {n}, one per sample of X")
    if not (labels == np.round(labels)).all():
        raise ValueError(f"softmax labels must be integers 0..{k - 1}; got values like {labels[:3].tolist()}. "
                         f"Map any labels to 0..{k - 1} first: classes, y = np.unique(y, return_inverse=True)")
    low, high = labels.min(), labels.max()
    if low < 0 or high >= k:
        hint = (f". Labels start at 0: for labels 1..{k} pass y - 1" if low >= 1 and high == k else
                ". Map the labels to 0..k-1 with np.unique(y, return_inverse=True), and give the "
                "network one output per class")
        raise ValueError(f"softmax labels must lie in 0..{k - 1} for {k} outputs; "
                         f"got values from {low:g} to {high:g}{hint}")
    Y = np.zeros((n, k))
    Y[np.arange(n), labels.astype(np.int64)] = 1
    return Y


def _cache_keys(params):
    """What forward's cache holds for these params: [(key, width)] for A0, ..., AD and ZD."""
    D = depth(params)
    widths = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, D + 1)]
    return [(f"A{l}", width) for l, width in enumerate(widths)] + [(f"Z{D}", widths[-1])]


def _check_cache(cache, params):
    """Check that cache holds A0, ..., AD and ZD with as many rows as X and these layers' widths."""
    A0 = cache.get("A0") if isinstance(cache, dict) else None
    n, dtype = (A0.shape[0] if getattr(A0, "ndim", 0) == 2 else None), params["W1"].dtype
    for key, width in _cache_keys(params):
        A = cache.get(key) if n is not None else None
        if getattr(A, "shape", None) != (n, width) or getattr(A, "dtype", None) != dtype:
            shapes = {k: np.shape(v) for k, v in cache.items()} if isinstance(cache, dict) else cache
            raise ValueError(f"cache[{key!r}] must be a {dtype} array of shape (n, {width}) for these params; "
                             f"got {shapes!s:.200}. Pass the cache that forward returned for these params")


def _check_cache_numbers(cache, params):
    """A ValueError naming the first array of cache that holds NaN, if one does."""
    for key, _ in _cache_keys(params):
        if np.isnan(cache[key]).any():
            raise ValueError(f"cache[{key!r}] holds NaN, which forward never returns (it refuses NaN inputs "
                             "and outputs): pass the cache that forward returned for these params")


# What scikit-learn calls train's settings, so that its users are told ours.
_SKLEARN_NAMES = {"max_iter": "epochs", "alpha": "l2, which is alpha / batch_size (scikit-learn divides its "
                  "penalty by the batch size)",
                  "early_stopping": "validation=(X_val, y_val) and patience",
                  "verbose": "log_every", "learning_rate_init": "lr", "learning_rate": "lr (and schedule)",
                  "n_iter_no_change": "patience", "random_state": "seed", "solver": "optimizer",
                  "validation_fraction": "validation=(X_val, y_val)", "shuffle": "(always on)",
                  "warm_start": "no setting: training a returned network again, nn.train(params, X, y), starts "
                  "from its weights (a warm start); resume=history continues an interrupted run exactly",
                  "n_jobs": "threads",
                  "hidden_layer_sizes": "init_params(layer_sizes, ...)", "activation": "init_params(..., hidden, ...)"}


def _check_train(params, X, Y, epochs, lr, batch_size, optimizer, momentum, schedule, l2, validation,
                 patience, seed, log_every, callback, standardize, resume, threads, unknown):
    """Every check of train's inputs; returns the settings s and the data: X and Y (float64 where
    they will be standardised, the network's dtype where not), the validation pair and the feature
    names. Also warns (ScaleWarning) about y given as a column and a doubtful validation set."""
    if unknown:
        key = next(iter(unknown))
        ours = _SKLEARN_NAMES.get(key)
        if key == "alpha" and isinstance(unknown[key], (int, float)) and isinstance(batch_size, int):
            ours = (f"l2, which is alpha / batch_size as scikit-learn divides its penalty by the batch size: "
                    f"alpha={unknown[key]!r} with batch_size={batch_size} is l2={unknown[key] / batch_size:.3g}")
        hint = (f"; scikit-learn calls it {key}, nn.train calls it {ours}" if ours else
                "; train's settings are epochs, lr, batch_size, optimizer, momentum, schedule, l2, "
                "validation, patience, seed, log_every, callback, standardize, resume, threads")
        raise TypeError(f"train() got an unexpected keyword argument {key!r}{hint}")
    _check_params(params)
    _check_finite_params(params)
    if not isinstance(standardize, (bool, np.bool_)):
        raise ValueError(f"standardize must be True or False; got {standardize!r}")
    # Data to be standardised stay in float64 until they are, so that no digit is lost to the cast;
    # float32 X to be standardised is kept as it is (float64 holds each of its numbers exactly).
    scaled = standardize or "x_mean" in params
    dtype = np.float64 if scaled else params["W1"].dtype
    names = _feature_names(X)
    x_dtype = np.float32 if scaled and getattr(X, "dtype", None) == np.float32 else dtype
    X_given, X = X, _check_X(X, params, dtype=x_dtype, finite=False)  # finite: by the sums below
    with np.errstate(over="ignore", invalid="ignore"):
        sums = X.sum(axis=0, dtype=np.float64)  # one pass for X's finiteness and the digest resume compares
    if not np.isfinite(sums).all():
        _check_X(X_given, params, dtype=x_dtype)  # names the row with NaN or infinity, or the range exceeded
    Y_in = Y
    Y = _check_Y(Y, params, X.shape[0], dtype=dtype)
    column_y = np.ndim(Y_in) == 2 and Y.shape[1] == 1 and params["output"] != "softmax"
    _check_outputs_hold(Y, params, "Y")
    s = {"epochs": _check_positive(epochs, "epochs", integer=True), "lr": _check_positive(lr, "lr"),
         "optimizer": optimizer, "momentum": momentum, "schedule": schedule, "l2": l2, "seed": seed,
         "standardize": bool(standardize), "callback": callback,
         "threads": _check_positive(threads, "threads", integer=True),
         "batch_size": X.shape[0] if batch_size is None else
         min(_check_positive(batch_size, "batch_size", integer=True), X.shape[0]),
         "patience": None if patience is None else _check_positive(patience, "patience", integer=True),
         "log_every": (max(1, math.ceil(epochs / 10)) if isinstance(log_every, str) and log_every == "auto" else
                       None if log_every is None or isinstance(log_every, (int, np.integer)) and log_every == 0
                       else _check_positive(log_every, "log_every", integer=True))}  # None, False, 0: silence
    if optimizer == "adam" and 0.1 < lr <= 1e4:
        _warn(f"lr={lr!r} is large for Adam, whose every step moves each weight by about lr whatever its gradient "
              "(its usual lr is 1e-4 to 1e-2): try the default, lr=0.003")
    if lr > 1e4:
        raise ValueError(f"lr={lr!r} is far beyond any step that trains (Adam's are about 1e-3, plain gradient "
                         "descent's 1e-3 to 1 on standardised data)")
    if not (isinstance(l2, (int, float, np.integer, np.floating)) and l2 == 0):
        _check_positive(l2, "l2")
    _check_choice(optimizer, "optimizer", ("sgd", "adam"), "an optimizer")
    _check_fraction(momentum, "momentum", zero_ok=True)
    if momentum and optimizer != "sgd":
        raise ValueError(f"momentum={momentum} goes with optimizer='sgd'; Adam keeps its own running "
                         "average of the gradient (beta1), so leave momentum at 0 with 'adam'")
    if schedule not in (None, "cosine"):
        raise ValueError(f"schedule must be None or 'cosine'; got {schedule!r}")
    _check_seed(seed)
    if callback is not None and not _takes_three(callback):
        raise ValueError(f"callback must be a function callback(epoch, history, params) or None; "
                         f"got {callback!r}")
    X_val, Y_val = _check_validation(validation, params, X, Y, names, dtype)
    if patience is not None and validation is None:
        raise ValueError("patience needs validation=(X_val, Y_val): early stopping watches the validation loss")
    if column_y:
        _warn("y is a column (n, 1). Training is right, but nn.predict returns (n,) for one output, and "
              "comparing it with a column broadcasts to (n, n), a wrong number: pass y.ravel() (and "
              "compare predictions with y_test.ravel())")
    s["x_dtype"] = X.dtype.name  # float32 X is standardised in float32 for a float32 network: a run's own
    data = {"X": X, "Y": Y, "X_val": X_val, "Y_val": Y_val, "names": names or params.get("feature_names"),
            "X_sums": sums}
    return s, data


def _check_outputs_hold(Y, params, name):
    """Targets the network's outputs can hold: they are in y's units, of the network's dtype."""
    largest = np.finfo(params["W1"].dtype).max / 1e3
    if np.abs(Y).max() > largest:
        raise ValueError(f"{name} has values up to {np.abs(Y).max():.3g}, too large for the outputs of a "
                         f"{params['W1'].dtype} network (at most about {largest:.0e}): divide y by a power of ten"
                         + (", or use a float64 network" if params["W1"].dtype == np.float32 else ""))


def _takes_three(function):
    """Whether function can be called with three arguments, as train calls a callback."""
    if not callable(function):
        return False
    try:
        inspect.signature(function).bind(None, None, None)
    except TypeError:
        return False
    except ValueError:  # a built-in without a signature: its call will tell
        pass
    return True


def _check_validation(validation, params, X, Y, names, dtype):
    """X_val and Y_val checked like X and Y, and compared with them: (None, None) without validation."""
    if validation is None:
        return None, None
    if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
        raise ValueError(f"validation must be a pair (X_val, Y_val); got {type(validation).__name__}")
    X_val = _check_X(validation[0], {**params, "feature_names": names}, "X_val", dtype=dtype)
    Y_val = _check_Y(validation[1], params, X_val.shape[0], "Y_val", dtype=dtype)
    _check_outputs_hold(Y_val, params, "Y_val")
    why = _off_scale(X_val, *_column_stats(X))
    if why:
        _warn(f"X_val is on another scale from X ({why}): give both as they are, unscaled; train "
              "standardises them alike")
    why = _off_scale(Y_val, *_column_stats(Y)) if params["output"] == "linear" else ""
    if why:
        _warn(f"Y_val is on another scale from the training targets ({why}): give both as they are, "
              "unscaled; train standardises them alike")
    if X_val.shape == X.shape and np.array_equal(X_val[:50], X[:50]) and np.array_equal(X_val, X):
        _warn("validation=(X_val, y_val) holds the training data itself, so val_loss measures how well "
              "the network fits what it learned from, not new data. Hold a part out: e.g. "
              "X_train, X_val, y_train, y_val = sklearn.model_selection.train_test_split(X, y)")
    return X_val, Y_val
