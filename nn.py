"""A multi-layer perceptron in NumPy: forward pass, loss, backpropagation and gradient descent by hand.

The whole algorithm, in the notation of README.md. Samples are rows, as in scikit-learn: X is
(n, n_0). A network of layer sizes [n_0, n_1, ..., n_D] has D layers; layer l = 1..D has weights
W_l (n_{l-1}, n_l) and a bias b_l (n_l,). The loss is L; dX means dL/dX and has the shape of X.

    forward    A_0 = X
               Z_l = A_{l-1} @ W_l + b_l                     (n, n_l), b_l added to every row
               A_l = g(Z_l) for l < D,  Y_hat = A_D = out(Z_D)   g: identity, relu, tanh, sigmoid
    loss       L = 1/(n k) sum (Y_hat - Y)^2                     out = linear   (MSE), k = n_D
               L = -1/(n k) sum [Y log Y_hat + (1-Y) log(1-Y_hat)]   sigmoid (binary cross-entropy)
               L = -1/n sum Y log Y_hat                          softmax (cross-entropy)
    backward   dZ_D = 2 (Y_hat - Y) / (n k)  |  (Y_hat - Y) / (n k)  |  (Y_hat - Y) / n
               dW_l = A_{l-1}.T @ dZ_l        db_l = dZ_l summed over the rows (the samples)
               dA_{l-1} = dZ_l @ W_l.T        dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})
    update     theta <- theta - lr * dtheta, for every W_l and b_l

How the file reads. Part 1 is that math and nothing else: the functions every other part calls.
Part 2 puts the same functions behind checks of their inputs (forward, loss, backward, update,
gradient_check). Part 3 trains: the optimizers, and train's loop with the few tricks it needs for
speed, each explained where it is; then the log, the look inside a network and a sanity check.
Part 4 uses a trained network: predict, save, load, scaling. Part 5 checks inputs.

A network is one dict: {"hidden": "tanh", "output": "sigmoid", "W1": ..., "b1": ..., ...}. The
activation names travel with the weights, so they can never be named wrong at use time. Randomness
comes only from a generator made from the seed you hand in. The file needs NumPy alone.
"""

import math
import os
import sys
import time
import warnings

import numpy as np

# Part 1. The math
#
# Activations. Each hidden activation g comes with its derivative g', written in terms of A = g(Z)
# so that backward reuses what forward kept instead of recomputing anything from Z.


def identity(Z):
    return Z


def relu(Z):
    return np.maximum(Z, 0)


def sigmoid(Z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)); logaddexp(0, -z) never overflows, even at z = -1e4.
    return np.exp(-np.logaddexp(0, -Z))


def tanh(Z):
    return np.tanh(Z)


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # subtracting the row max changes nothing but overflow
    return E / E.sum(axis=1, keepdims=True)


HIDDEN = {  # name: (g, g' as a function of A = g(Z))
    "identity": (identity, lambda A: 1),  # z' = 1: a network of identity layers is one linear map
    "relu": (relu, lambda A: A > 0),  # 1 where z > 0, else 0; and z > 0 exactly where A > 0
    "tanh": (tanh, lambda A: 1 - A * A),  # tanh'(z) = 1 - tanh(z)^2
    "sigmoid": (sigmoid, lambda A: A * (1 - A)),  # s'(z) = s(z) (1 - s(z))
}

OUTPUT = {"linear": identity, "sigmoid": sigmoid, "softmax": softmax}


def init_params(layer_sizes, hidden, output, *, seed=None, dtype=np.float64, init=None):
    """A new network: {"hidden": hidden, "output": output, "W1": (n_0, n_1), "b1": (n_1,), ...}.

    W_l ~ N(0, s^2), with s chosen so that the spread of the activations stays about the same from
    layer to layer and neither dies out nor blows up with depth (README.md, section 13, shows the
    numbers): Glorot's s = sqrt(2 / (n_{l-1} + n_l)) for tanh and sigmoid, He's s = sqrt(2 / n_{l-1})
    for ReLU, which zeroes half its inputs. One exception, from evidence: for ReLU the first layer
    starts at half Glorot's scale, which had lower validation losses than He's on 9 of 11 data sets
    (bench/datasets.py scales); from the second layer on, He's keeps the signal level however deep.
    init="he" or init="glorot" uses that rule for every layer instead. Biases start at 0: the random
    weights already make the units differ.
    layer_sizes is any sequence of positive ints [n_0, ..., n_D]. seed is an int, None (fresh
    entropy) or a np.random.Generator. dtype is np.float64 or np.float32: float32 halves the
    memory and roughly halves the time of large networks; every array the network touches keeps it.
    """
    sizes, dtype = _check_init(layer_sizes, hidden, output, dtype, init)
    rng = np.random.default_rng(seed)
    params = {"hidden": hidden, "output": output}
    for l in range(1, len(sizes)):
        n_in, n_out = sizes[l - 1], sizes[l]
        he, glorot = math.sqrt(2 / n_in), math.sqrt(2 / (n_in + n_out))
        if init == "he" or (init is None and hidden == "relu" and l > 1):
            std = he
        elif init is None and hidden == "relu":
            std = glorot / 2  # ReLU's first layer (see above)
        else:
            std = glorot
        params[f"W{l}"] = (rng.standard_normal((n_in, n_out)) * std).astype(dtype)
        params[f"b{l}"] = np.zeros(n_out, dtype)
    return params


def depth(params):
    """D, the number of layers: one W per layer."""
    return len([key for key in params if key[0] == "W"])


def _forward(params, X):
    """Y_hat (n, n_D) and the cache {"A0": X, "A1": A_1, ..., "AD": Y_hat} that backward needs."""
    g, out, D = HIDDEN[params["hidden"]][0], OUTPUT[params["output"]], depth(params)
    cache = {"A0": X}
    A = X
    for l in range(1, D + 1):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]  # (n, n_{l-1}) @ (n_{l-1}, n_l) + (n_l,) -> (n, n_l)
        A = g(Z) if l < D else out(Z)  # (n, n_l)
        cache[f"A{l}"] = A
    return A, cache


def _loss(Y_hat, Y, output):
    """The mean loss of predictions Y_hat against targets Y, both (n, k), as a float.

    The cross-entropies clip probabilities to [eps, 1 - eps] (eps = 2.2e-16 in float64), so a
    saturated wrong output costs at most -log(eps) = 36 per entry instead of -log(0) = +inf.
    """
    n, k = Y.shape
    if output == "linear":
        return float(((Y_hat - Y) ** 2).sum()) / (n * k)
    eps = np.finfo(Y_hat.dtype).eps
    P = np.clip(Y_hat, eps, 1 - eps)
    if output == "sigmoid":
        return float(-(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum()) / (n * k)
    return float(-(Y * np.log(P)).sum()) / n  # each row of Y is one-hot: only the true class counts


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
            dZ = dA * g_prime(A_prev)  # dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})          (n, n_{l-1})
    return grads  # from the last layer down: W_D, b_D, ..., W_1, b_1


def _gd_step(theta, dtheta, lr):
    """Gradient descent on one array, in place: theta <- theta - lr * dtheta."""
    theta -= lr * dtheta


# Part 2. The same math, with its inputs checked
#
# Each public function checks what it is given (Part 5) and then calls the Part 1 function that does
# the math. train checks once and then calls Part 1 directly, so the gradient checks below test
# exactly what training runs.


def forward(params, X):
    """Run X (n, n_0) through the network: returns Y_hat (n, n_D) and the cache backward needs.

    X is converted to the params' dtype. A pandas DataFrame is fine; if the network was trained on
    one, its columns must be the same names in the same order.
    """
    _check_params(params)
    X = _check_X(X, params)
    return _forward(params, X)


def loss(params, X, Y):
    """L(theta): the network's mean loss on (X, Y), the function backward differentiates.

    It runs forward itself, so no prediction array or output name can be paired with the wrong
    loss. Y is (n, k), or (n,) for one output; for softmax, integer labels 0..k-1 (n,) or one-hot.
    The l2 penalty of train is not part of it.
    """
    _check_params(params)
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    return _loss(_forward(params, X)[0], Y, params["output"])


def backward(params, cache, Y):
    """dL/dtheta for every W_l and b_l: a dict with the keys and shapes of those arrays.

    cache is what forward returned for these params; Y is as for loss.
    """
    D = _check_params(params)
    _check_cache(cache, params)
    Y = _check_Y(Y, params, cache[f"A{D}"].shape[0])
    return _backward(params, cache, Y)


def update(params, grads, lr):
    """One step of gradient descent: a new dict with theta - lr * dtheta; changes neither input.

    Works on any dict of arrays; entries that are not arrays (the activation names) are carried over.
    """
    keys = _check_grads(grads, params)
    _check_positive(lr, "lr")
    new = dict(params)
    for key in keys:
        new[key] = params[key].copy()
        _gd_step(new[key], grads[key], lr)
    return new


def gradient_check(params, X, Y, h=1e-5, max_per_key=None, seed=0):
    """Compare backward with centred finite differences of loss; return {key: largest relative error}.

    For a number theta of params, the numerical slope is (L(theta + h) - L(theta - h)) / 2h, which
    errs by about h^2 (the curvature) plus eps L / h (rounding): about 1e-10 at h = 1e-5 in float64.
    The check always runs in float64, on a float64 copy of params whatever their dtype: in float32
    the rounding alone (1e-7 L / h) would be as large as the slopes. The error per key is the
    largest |analytic - numeric| / max(1e-8, |analytic| + |numeric|) over its entries (1e-8 keeps a
    gradient of exactly 0 from dividing by 0). Below 1e-6 everywhere means backward is right.

    A wrong hidden derivative g' spoils the layers below the last (their gradients pass through g'),
    never W_D and b_D. ReLU's kink at 0 fools finite differences where a pre-activation lies within
    h of 0. Each number costs two forward passes: use a few samples, or max_per_key entries per
    key, drawn with a generator made from seed.
    """
    _check_params(params)
    h = _check_positive(h, "h")
    params = {key: (value.astype(np.float64) if isinstance(value, np.ndarray) else value)
              for key, value in params.items()}
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    analytic = _backward(params, _forward(params, X)[1], Y)
    rng = np.random.default_rng(seed)
    errors = {}
    for key in analytic:
        value = params[key]
        indices = list(np.ndindex(value.shape))
        if max_per_key is not None and len(indices) > max_per_key:
            indices = [indices[i] for i in rng.choice(len(indices), max_per_key, replace=False)]
        worst = 0.0
        for index in indices:
            shifted = value.copy()
            shifted[index] = value[index] + h
            up = _loss(_forward({**params, key: shifted}, X)[0], Y, params["output"])
            shifted[index] = value[index] - h
            down = _loss(_forward({**params, key: shifted}, X)[0], Y, params["output"])
            numeric = (up - down) / (2 * h)  # the centred slope dL/dtheta at this entry
            a = analytic[key][index]
            worst = max(worst, abs(a - numeric) / max(1e-8, abs(a) + abs(numeric)))
        errors[key] = float(worst)
    return errors


# Part 3. Training
#
# Optimizers. Each step changes theta (one array, or all of them strung into one vector) in place;
# the public *_update functions copy first, so they change none of their inputs.


def momentum_init(params):
    """Momentum's state: a velocity of zeros for every array of params."""
    return {"v": {key: np.zeros_like(params[key]) for key in _array_keys(params)}}


def _momentum_step(theta, dtheta, v, lr, momentum):
    # v <- mu v + dtheta; theta <- theta - lr v. Where the gradient keeps its sign the steps grow
    # towards lr dtheta / (1 - mu); where it flips from step to step they cancel (PyTorch's form).
    v *= momentum
    v += dtheta
    theta -= lr * v


def momentum_update(params, grads, state, lr, momentum):
    """One step of gradient descent with momentum mu in [0, 1); returns (new params, new state)."""
    keys = _check_grads(grads, params)
    _check_positive(lr, "lr")
    _check_momentum(momentum)
    _check_state(state, params, ("v",), "momentum_init")
    new, v = dict(params), {key: state["v"][key].copy() for key in keys}
    for key in keys:
        new[key] = params[key].copy()
        _momentum_step(new[key], grads[key], v[key], lr, momentum)
    return new, {"v": v}


def adam_init(params):
    """Adam's state: step count t = 0, and moments m and v of zeros for every array of params."""
    keys = _array_keys(params)
    return {"t": 0, "m": {key: np.zeros_like(params[key]) for key in keys},
            "v": {key: np.zeros_like(params[key]) for key in keys}}


def _adam_step(theta, dtheta, m, v, t, lr, beta1, beta2, eps, s1, s2):
    """One Adam step (Kingma and Ba, 2015) in place, on arrays of one shape; t counts from 1.

        m <- beta1 m + (1 - beta1) dtheta          running average of the gradient
        v <- beta2 v + (1 - beta2) dtheta^2        running average of its square
        theta <- theta - lr_t m / (sqrt(v) + eps), lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t)

    lr_t folds in the bias correction of m and v, which start at 0. Each line is written as NumPy
    calls into the scratch arrays s1 and s2 (shaped like theta) instead of expressions: an
    expression makes a new array for every operation, and on a large network allocating and
    filling those is most of Adam's time.
    """
    m *= beta1
    np.multiply(dtheta, 1 - beta1, out=s1)
    m += s1  # m <- beta1 m + (1 - beta1) dtheta
    v *= beta2
    np.multiply(dtheta, 1 - beta2, out=s1)
    s1 *= dtheta
    v += s1  # v <- beta2 v + (1 - beta2) dtheta^2
    lr_t = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)
    np.multiply(m, lr_t, out=s1)
    np.sqrt(v, out=s2)
    s2 += eps
    s1 /= s2
    theta -= s1  # theta <- theta - lr_t m / (sqrt(v) + eps)


def adam_update(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step; returns (new params, new state) and changes none of its inputs."""
    keys = _check_grads(grads, params)
    _check_positive(lr, "lr")
    _check_state(state, params, ("m", "v"), "adam_init")
    t = state["t"] + 1
    new = dict(params)
    m = {key: state["m"][key].copy() for key in keys}
    v = {key: state["v"][key].copy() for key in keys}
    for key in keys:
        new[key] = params[key].copy()
        s1, s2 = np.empty_like(new[key]), np.empty_like(new[key])
        _adam_step(new[key], grads[key], m[key], v[key], t, lr, beta1, beta2, eps, s1, s2)
    return new, {"t": t, "m": m, "v": v}


def cosine_lr(lr, epoch, epochs):
    """Cosine decay from lr at epoch 0 towards 0 at the last: lr (1 + cos(pi epoch / epochs)) / 2."""
    return lr * 0.5 * (1 + math.cos(math.pi * epoch / epochs))


class ScaleWarning(UserWarning):
    """Data whose scale makes training slow or its result poor; the message says how to fix it."""


def _warn(message):
    """A ScaleWarning that points at the caller's own line: the first frame outside this file."""
    level, frame = 1, sys._getframe(0)
    while frame is not None and frame.f_code.co_filename == __file__:
        level, frame = level + 1, frame.f_back
    warnings.warn(message, ScaleWarning, stacklevel=level)


def train(params, X, Y, *, epochs=200, lr=0.003, batch_size=32, optimizer="adam", momentum=0.0,
          schedule=None, l2=1e-4, validation=None, patience=None, seed=None, log_every="auto",
          callback=None, **unknown):
    """Fit the network to (X, Y); return (trained params, history). The params passed in are not changed.

    Each epoch shuffles the samples with a generator made from `seed` and takes one step per
    mini-batch of `batch_size` (the last may be smaller; None: one step on all of X). optimizer is
    "adam" or "sgd"; with "sgd", momentum in [0, 1) adds a velocity. schedule: None (constant lr) or
    "cosine". l2 > 0 adds (l2 / 2) sum ||W_l||^2 over the weights (not the biases) to what is
    minimised, like scikit-learn's alpha; 0 turns it off.

    validation=(X_val, Y_val) computes the validation loss after every epoch; patience=N then stops
    once it has not improved for N epochs and returns the params of the epoch where it was lowest.

    Epochs count from 1. history["loss"][e - 1] is epoch e's mean loss over its batches, each taken
    before its step (scikit-learn's loss_curve_); history["val_loss"][e - 1] the validation loss
    after epoch e; both leave the l2 penalty out. history["best_epoch"] is the epoch of the lowest
    validation loss (None without validation), history["ended"] the sentence the log closes with,
    which also says whose params are returned.

    log_every="auto" prints about ten lines a run (every ceil(epochs / 10) epochs, and the last),
    then a line saying how training ended; an int logs every that many epochs; None is silent.
    callback(epoch, history, params), if given, is called after every epoch with a copy of the
    params, yours to keep; returning True stops training (with patience, at the best epoch).
    A loss that stops being finite raises a ValueError that names the epoch.

    The defaults (Adam, lr 0.003, batches of 32, l2 1e-4, at most 200 epochs) had the lowest
    validation losses among the recipes tried in bench/datasets.py on standardised data, with
    validation and patience=20: a start, not a tuned answer for your data.
    """
    settings = _check_train(params, X, Y, epochs, lr, batch_size, optimizer, momentum, schedule, l2,
                            validation, patience, log_every, callback, unknown)
    X, Y, X_val, Y_val, batch, log_every, names, x_stats = settings
    output, n, keys = params["output"], X.shape[0], _array_keys(params)

    # Trick 1: one vector. The optimizer treats every number alike, so it runs on all of them at
    # once: theta is our own copy of every W_l and b_l strung together, and `net` a dict of views
    # into it (reshaped slices share theta's memory), so a step on theta moves the network. A few
    # NumPy calls a step instead of a few per array, which is most of their cost on small networks.
    theta = np.concatenate([params[key].ravel() for key in keys])
    net = {**params, **_views(theta, params, keys)}
    if names is not None:
        net["feature_names"] = names
    # Not parameters: the mean and spread of each training input, so that later calls can warn when
    # data arrive on another scale (the usual mistake: a test set left unscaled).
    net["input_mean"], net["input_std"] = (tuple(float(value) for value in stat) for stat in x_stats)
    dtheta = np.empty_like(theta)
    # Trick 2: the optimizer's state and scratch space are made once, not once a step.
    s1, s2 = np.empty_like(theta), np.empty_like(theta)
    m, v, t = np.zeros_like(theta), np.zeros_like(theta), 0
    rng = np.random.default_rng(seed)
    block = batch * max(1, 2**22 // (batch * X.itemsize * (X.shape[1] + Y.shape[1])))  # whole batches, ~4 MB
    history = {"loss": []} if X_val is None else {"loss": [], "val_loss": []}
    best, best_loss, best_epoch, stopped = None, math.inf, None, None
    started = time.perf_counter()
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is reported below, by name
        for epoch in range(1, epochs + 1):
            rate = lr if schedule is None else cosine_lr(lr, epoch - 1, epochs)
            # Trick 3: the shuffled rows are gathered a block of batches at a time, X[order[a:b]],
            # and each batch is a slice of its block: the same rows in the same order as copying all
            # of X shuffled each epoch, but holding a block (about 4 MB) instead of a copy of X, and
            # one gather a block instead of one a batch, which a small network's step would notice.
            order = rng.permutation(n) if batch < n else None
            total = 0.0
            for start in range(0, n, batch):
                if start % block == 0:
                    rows = order[start:start + block] if order is not None else slice(None)
                    X_block, Y_block = X[rows], Y[rows]
                Xb, Yb = X_block[start % block:start % block + batch], Y_block[start % block:start % block + batch]
                Y_hat, cache = _forward(net, Xb)
                value = _loss(Y_hat, Yb, output)
                if not math.isfinite(value):
                    _diverged(value, epoch, lr)
                grads = _backward(net, cache, Yb)
                if l2:
                    for key in keys:
                        if key[0] == "W":
                            grads[key] += l2 * net[key]  # d/dW (l2/2)||W||^2 = l2 W
                # backward gives one array per layer; the optimizer reads one vector (trick 1)
                np.concatenate([grads[key].ravel() for key in keys], out=dtheta)
                if optimizer == "adam":
                    t += 1
                    _adam_step(theta, dtheta, m, v, t, rate, 0.9, 0.999, 1e-8, s1, s2)
                elif momentum:
                    _momentum_step(theta, dtheta, v, rate, momentum)
                else:
                    _gd_step(theta, dtheta, rate)
                total += value * Xb.shape[0]
            history["loss"].append(total / n)
            if X_val is not None:
                val_loss = _loss(_forward(net, X_val)[0], Y_val, output)
                if not math.isfinite(val_loss):
                    _diverged(val_loss, epoch, lr)
                history["val_loss"].append(val_loss)
                if val_loss < best_loss:
                    best_loss, best_epoch = val_loss, epoch
                    if patience is not None:  # keep a copy: the epochs after the best may be worse
                        best = theta.copy()
                if patience is not None and epoch - best_epoch >= patience:
                    stopped = "early"
            if callback is not None and callback(epoch, history, {**net, **_views(theta.copy(), params, keys)}):
                stopped = stopped or "callback"
            done = stopped is not None or epoch == epochs
            if log_every is not None and (epoch == 1 or epoch % log_every == 0 or done):
                print(_log_line(epoch, epochs, history, best_epoch, time.perf_counter() - started), flush=True)
            if stopped:
                break

    if best is not None:
        theta = best
    history["best_epoch"] = best_epoch
    history["ended"] = _ending(stopped, epoch, epochs, history, best_epoch, best is not None)
    if log_every is not None:
        print(history["ended"], flush=True)
    _warn_if_nothing_learned(history, Y, output)
    trained = {**net, **_views(theta, params, keys)}
    return trained, history


def _views(theta, params, keys):
    """{key: the slice of theta that holds params[key], shaped like it}: writing one writes the other."""
    views, start = {}, 0
    for key in keys:
        size = params[key].size
        views[key] = theta[start:start + size].reshape(params[key].shape)
        start += size
    return views


def _diverged(value, epoch, lr):
    raise ValueError(f"the loss became {value} at epoch {epoch} (lr={lr}); training diverged. "
                     "Try a 10 times smaller lr, and standardise X (and y for regression): see "
                     "nn.fit_scaler in README.md")


def _log_line(epoch, epochs, history, best_epoch, elapsed):
    """`epoch  20/200  loss 0.2104  val_loss 0.2561 (best 0.2412 at 14)  0.4 s, ~3.6 s left`."""
    line = f"epoch {epoch:>{len(str(epochs))}}/{epochs}  loss {history['loss'][-1]:.4g}"
    if "val_loss" in history:
        line += (f"  val_loss {history['val_loss'][-1]:.4g} "
                 f"(best {history['val_loss'][best_epoch - 1]:.4g} at {best_epoch})")
    left = elapsed / epoch * (epochs - epoch)
    return line + f"  {elapsed:.1f} s" + (f", ~{left:.1f} s left" if epoch < epochs else "")


def _ending(stopped, epoch, epochs, history, best_epoch, returned_best):
    """The sentence that says how training ended and which epoch's params are returned."""
    if stopped == "early":
        return (f"stopped early after epoch {epoch}: the validation loss had not improved for "
                f"{epoch - best_epoch} epochs; returning the params of epoch {best_epoch} (val_loss "
                f"{history['val_loss'][best_epoch - 1]:.4g})")
    returned = f"epoch {best_epoch}'s params, the best so far" if returned_best else f"epoch {epoch}'s params"
    if stopped == "callback":
        return f"stopped by the callback after epoch {epoch}; returning {returned}"
    watched = history.get("val_loss", history["loss"])
    name = "validation loss" if "val_loss" in history else "loss"
    tail = max(1, epochs // 10)
    ending = f"ran all {epochs} epochs; returning {returned}"
    if best_epoch is not None and not returned_best and best_epoch < epoch:
        ending += f" (the validation loss was lowest at epoch {best_epoch}; patience=N returns that one)"
    if epochs >= 10 and min(watched[-tail:]) < 0.99 * min(watched[:-tail]):
        return (ending + f". The {name} was still falling ({1 - min(watched[-tail:]) / min(watched[:-tail]):.1%}"
                f" lower over the last {tail} epochs): more epochs would help")
    return ending


def _warn_if_nothing_learned(history, Y, output):
    """One ScaleWarning when training ends worse than it began, or stuck no better than a constant.

    A run still falling fast is not warned about (its closing line says more epochs would help).
    """
    losses, constant = history["loss"], _constant_loss(Y, output)
    final, first = losses[-1], losses[0]
    tail = max(1, len(losses) // 10)
    stuck = min(losses[-tail:]) > 0.99 * min(losses[:-tail] or losses)
    if len(losses) >= 5 and final > 1.01 * first:
        why = f"the final training loss {final:.4g} is higher than the first epoch's {first:.4g}"
    elif len(losses) >= 5 and final >= 0.99 * constant and stuck:
        why = (f"the final training loss {final:.4g} has stopped falling no better than predicting "
               f"a constant ({constant:.4g})")
    else:
        return
    _warn(f"training learned (almost) nothing: {why}. Usual causes: a learning rate far too large "
          "(try lr=0.001) or too small; ReLU units that died, or gradients that vanish in a deep "
          "sigmoid or tanh network (nn.look_inside shows both); features that are not standardised "
          "(nn.fit_scaler). nn.sanity_check(params, X, y) tests the setup")


def _constant_loss(Y, output):
    """The loss of the best constant prediction: each output's mean (its class frequencies)."""
    p = Y.mean(axis=0)
    if output == "linear":
        return float(np.mean(Y.var(axis=0)))
    if output == "sigmoid":
        q = np.clip(p, 1e-12, 1 - 1e-12)
        return float(-np.mean(p * np.log(q) + (1 - p) * np.log(1 - q)))
    q = np.clip(p, 1e-12, 1)
    return float(-np.sum(p * np.log(q)))


def loss_curve(history, width=64, height=12):
    """A picture of history["loss"] (and "val_loss") on a log scale, as plain ASCII text to print.

    `*` marks the training loss, `o` the validation loss, `@` both; columns are epochs, evenly spaced.
    """
    curves = [(history["loss"], "*")] + ([(history["val_loss"], "o")] if history.get("val_loss") else [])
    values = np.concatenate([np.asarray(c, dtype=float) for c, _ in curves])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return "(no positive finite loss to draw)"
    low, high = math.log10(values.min()), math.log10(values.max())
    span = high - low or 1.0
    epochs = len(history["loss"])
    grid = [[" "] * width for _ in range(height)]
    for curve, mark in curves:
        for column in range(width):
            value = curve[round(column * (len(curve) - 1) / max(1, width - 1))]
            if value > 0 and math.isfinite(value):
                row = round((high - math.log10(value)) / span * (height - 1))
                grid[row][column] = "@" if grid[row][column] not in (" ", mark) else mark
    labels = {0: f"{10 ** high:9.3g} |", height - 1: f"{10 ** low:9.3g} |"}
    lines = [labels.get(r, " " * 9 + " |") + "".join(row) for r, row in enumerate(grid)]
    lines.append(" " * 10 + "+" + "-" * width)
    lines.append(" " * 10 + f"epoch 1{str(epochs).rjust(width - 7)}")
    legend = "* loss" + ("   o val_loss   @ both" if len(curves) == 2 else "")
    return "\n".join(lines + [" " * 11 + legend + "   (log scale)"])


# A look inside. A network can train badly while every loss is finite: units that never fire, units
# pinned at the flat ends of tanh or sigmoid, gradients that shrink layer by layer on their way down
# to the first layer, steps too large or too small for the weights they move. look_inside measures
# each of these per layer on one batch.


def look_inside(params, X, Y, *, lr=0.003, optimizer="adam"):
    """Per layer, on the batch (X, Y): a list of dicts, one per layer, to print with format_table.

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
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam'; got {optimizer!r}")
    _, cache = _forward(params, X)
    grads = _backward(params, cache, Y)
    rows = []
    for l in range(1, D + 1):
        W, dW, A = params[f"W{l}"], grads[f"W{l}"], cache[f"A{l}"]
        w_norm, g_norm = float(np.linalg.norm(W)), float(np.linalg.norm(dW))
        step = lr * g_norm if optimizer == "sgd" else lr * math.sqrt(np.count_nonzero(dW))
        name = params["hidden"] if l < D else params["output"]
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
    if not rows:
        return ""
    columns = list(rows[0])

    def cell(value):
        if value is None:
            return "-"
        if isinstance(value, float):
            return f"{value:.3g}"
        return str(value)

    cells = [[cell(row[c]) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    lines = ["  ".join(c.rjust(w) for c, w in zip(columns, widths))]
    lines += ["  ".join(v.rjust(w) for v, w in zip(r, widths)) for r in cells]
    return "\n".join(lines)


def sanity_check(params, X, Y, *, seed=0, show=True):
    """Three checks to run before a long training; prints a PASS or FAIL line for each, and returns
    {"initial loss": bool, "overfit a small batch": bool, "gradients": bool}.

    1. The initial loss against what chance gives: ln k for a softmax over k classes, ln 2 per
       sigmoid output, and for MSE the variance of standardised targets, 1. Far above it means
       outputs that start far from uniform, or targets that are not standardised.
    2. A copy of the network trained on 8 samples for 300 Adam steps must drive their loss to below
       5% of where it started: a network that cannot memorise 8 samples has a bug, or an lr or data
       scale that stops it learning at all.
    3. gradient_check on 4 samples, at most 20 entries per key: below 1e-6 PASS, above FAIL, with
       the likely cause: a ReLU pre-activation within 1e-5 of 0 (the kink), saturated outputs when
       the initial loss is far off too, or else backward itself.
    The initial loss is taken on at most 1,000 samples drawn with `seed`, so that a large X costs
    one small forward pass.
    """
    D = _check_params(params)
    X = _check_X(X, params)
    Y = _check_Y(Y, params, X.shape[0])
    output, k = params["output"], params[f"W{D}"].shape[1]
    results, lines = {}, []

    def report(name, passed, text):
        results[name] = passed
        lines.append(f"{'PASS' if passed else 'FAIL'}  {name}: {text}")

    rows = np.random.default_rng(seed).permutation(X.shape[0])
    initial = _loss(_forward(params, X[rows[:1000]])[0], Y[rows[:1000]], output)
    if output == "softmax":
        chance, what = math.log(k), f"ln {k} = {math.log(k):.4g}, a uniform guess over {k} classes"
    elif output == "sigmoid":
        chance, what = math.log(2), "ln 2 = 0.6931, a guess of 0.5 per output"
    else:
        chance, what = 1.0, "1, the variance of standardised targets"
    ok = chance / 3 <= initial <= 3 * chance
    advice = "" if ok else (
        ". Far above: for MSE, standardise y (nn.fit_scaler); otherwise the last layer starts too "
        "large or X is not standardised" if initial > chance else
        ". Far below chance before any training: do the targets leak into X?")
    report("initial loss", ok, f"{initial:.4g} against {what}{advice}")

    rows = rows[:8]
    small = {key: (value.copy() if isinstance(value, np.ndarray) else value) for key, value in params.items()}
    start = _loss(_forward(small, X[rows])[0], Y[rows], output)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ScaleWarning)
        small, _ = train(small, X[rows], Y[rows], epochs=300, lr=0.01, batch_size=None, l2=0.0,
                         log_every=None)
    end = _loss(_forward(small, X[rows])[0], Y[rows], output)
    ok = end <= 0.05 * start
    report("overfit a small batch", ok, f"the loss on 8 samples went from {start:.4g} to {end:.4g} in "
           f"300 steps (must fall below 5%)" + ("" if ok else ". Check the data's scale (standardise "
                                                 "X and y) and the gradients below"))

    few = X[rows[:4]], Y[rows[:4]]
    errors = gradient_check(params, *few, max_per_key=20, seed=seed)
    worst_key = max(errors, key=errors.get)
    worst = errors[worst_key]
    kink = params["hidden"] == "relu" and _smallest_hidden_z(params, few[0]) < 1e-5
    ok = worst < 1e-6
    text = f"largest relative error {worst:.2g} (in {worst_key}); below 1e-6 is right"
    if not ok and kink:
        text += ("; a ReLU pre-activation lies within 1e-5 of 0, where finite differences straddle "
                 "the kink: retry with other samples")
    elif not ok and not results["initial loss"]:
        text += ("; the initial loss is far off too, and saturated outputs (the loss is clipped flat "
                 "there) fool finite differences: fix the data's scale first, then check again")
    elif not ok:
        text += "; backward disagrees with the loss: the first wrong layer (counting down) holds the bug"
    report("gradients", ok, text)
    if show:
        print("\n".join(lines), flush=True)
    return results


def _smallest_hidden_z(params, X):
    A, smallest = X.astype(np.float64), math.inf
    for l in range(1, depth(params)):
        Z = A @ params[f"W{l}"] + params[f"b{l}"]
        smallest = min(smallest, float(np.abs(Z).min()))
        A = HIDDEN[params["hidden"]][0](Z)
    return smallest


# Part 4. Using a trained network


def predict(params, X):
    """Values for a linear output, 0/1 labels for sigmoid, class indices for softmax.

    As in scikit-learn, one output comes back as a 1-D array (n,), so that comparing it with a 1-D
    y is elementwise and never broadcasts into (n, n); several outputs stay (n, k).
    """
    Y_hat = _finite_outputs(params, X)
    if params["output"] == "softmax":
        return Y_hat.argmax(axis=1)
    if params["output"] == "sigmoid":
        Y_hat = (Y_hat >= 0.5).astype(np.int64)
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
    with np.errstate(invalid="ignore", over="ignore"):  # non-finite params are reported just below
        Y_hat, _ = forward(params, X)
    if not np.isfinite(Y_hat).all():  # NaN >= 0.5 is False and argmax(NaN) is 0: labels would lie
        raise ValueError("the network's outputs contain NaN or infinity, so its params are not finite "
                         "(did training diverge?); retrain with a smaller learning rate")
    return Y_hat


def fit_scaler(A):
    """The mean and standard deviation of each column of A (n, m) or of y (n,): {"mean", "std"}.

    Fit it on the training part alone, then scale every part with it. A constant column gets
    std 1, so it scales to 0 instead of dividing by 0. A DataFrame's column names are kept too, so
    that scale refuses a frame whose columns come in another order.
    """
    names = _feature_names(A)
    A = np.asarray(A, dtype=np.float64)
    if A.ndim not in (1, 2) or A.shape[0] < 2 or not np.isfinite(A).all():
        raise ValueError(f"fit_scaler needs a finite array of shape (n,) or (n, m) with n >= 2; "
                         f"got shape {A.shape}")
    std = A.std(axis=0)
    scaler = {"mean": A.mean(axis=0), "std": np.where(std > 0, std, 1.0)}
    return scaler if names is None else {**scaler, "feature_names": names}


def scale(A, scaler):
    """(A - mean) / std, with the statistics fit_scaler took from the training part.

    A DataFrame comes back as a DataFrame with the same columns, so that train still sees their names.
    """
    names, known = _feature_names(A), scaler.get("feature_names")
    if names is not None and known is not None and names != tuple(known):
        raise ValueError("the columns are not the ones the scaler was fit on, in that order.\n"
                         f"  fit on: {list(known)}\n  got:    {list(names)}\n"
                         "Select them in order: A[list(scaler['feature_names'])]")
    scaled = (np.asarray(A, dtype=np.float64) - scaler["mean"]) / scaler["std"]
    if names is not None:  # a pandas DataFrame: rebuild one of the same kind, index and columns
        return type(A)(scaled, index=A.index, columns=A.columns)
    return scaled


def unscale(A, scaler):
    """A * std + mean: predictions made on scaled targets, back in y's own units."""
    return np.asarray(A) * scaler["std"] + scaler["mean"]


def save_params(path, params):
    """Save the network (arrays, activation names, feature names) to an .npz file.

    Everything is stored as plain arrays (the names as strings): the file pickles nothing, and says
    by itself how to run the network it holds. A path without .npz gets it, as with np.savez.
    """
    _check_params(params)
    extra = {key: np.array(params[key]) for key in _EXTRA_KEYS if key in params}
    arrays = {key: params[key] for key in _array_keys(params)}
    np.savez(path, hidden=np.array(params["hidden"]), output=np.array(params["output"]), **extra, **arrays)


def load_params(path):
    """The network save_params wrote, as one dict. Never unpickles anything.

    A bare path finds the .npz that save_params wrote for it. Files from the earlier save_params
    (which stored the same names) load as they are.
    """
    if not os.path.exists(path) and os.path.exists(f"{path}.npz"):
        path = f"{path}.npz"
    refused = (f"{path} holds pickled objects, which load_params refuses to unpickle (they could run "
               "code); save networks with save_params, which writes plain arrays")
    try:
        data = np.load(path, allow_pickle=False)
    except ValueError as error:  # a whole file pickled
        raise ValueError(refused) from error
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} is a single .npy array, not an .npz of params; save with save_params")
    with data:
        try:
            entries = {key: data[key] for key in data.files}
        except ValueError as error:  # an object array inside the .npz; numpy reads each lazily
            raise ValueError(refused) from error
    for name in ("hidden", "output"):
        value = entries.get(name)
        if value is None or value.ndim != 0 or value.dtype.kind != "U":
            raise ValueError(
                f"{path} does not say which activations its network uses (no '{name}' string; files "
                "written by np.savez lack them). Add them and re-save, once, with the names it was "
                "trained with: params = dict(np.load(path)); params['hidden'] = 'relu'; "
                "params['output'] = 'sigmoid'; nn.save_params(path, params)")
        entries[name] = str(value)
    if "feature_names" in entries:
        entries["feature_names"] = tuple(str(name) for name in entries["feature_names"])
    for key in ("input_mean", "input_std"):
        if key in entries:
            entries[key] = tuple(float(value) for value in entries[key])
    _check_params(entries, where=f"the file {path}")
    return entries


# Part 5. Checking inputs at the boundary
#
# Each check is cheap (shapes, one pass for finiteness) and says what it got, what it expected and,
# where it can, how to fix it. Nothing here changes the math.


def _array_keys(params):
    """The keys of params whose values are arrays (W1, b1, ...): what optimizers and loops touch."""
    return [key for key, value in params.items() if isinstance(value, np.ndarray)]


def _check_init(layer_sizes, hidden, output, dtype, init):
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    if init not in (None, "he", "glorot"):
        raise ValueError(f"init must be None (the default for the activation), 'he' or 'glorot'; got {init!r}")
    _check_choice(output, "output", OUTPUT, "an output")
    is_sequence = isinstance(layer_sizes, (list, tuple, range)) or getattr(layer_sizes, "ndim", 0) == 1
    sizes = list(layer_sizes) if is_sequence else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must be a sequence [n_in, ..., n_out] of at least two sizes; "
                         f"got {layer_sizes!r}")
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"layer_sizes must hold positive integers; got {size!r} in {sizes}")
    _check_softmax_width(sizes[-1], output)
    try:
        dtype = np.dtype(dtype)
    except TypeError:
        dtype = None
    if dtype not in (np.float32, np.float64):
        raise ValueError(f"dtype must be np.float64 or np.float32; got {dtype!r}")
    return [int(size) for size in sizes], dtype


def _check_choice(value, name, table, what):
    if not isinstance(value, str) or value not in table:
        hint = ""
        if value == "linear" and "identity" in table:
            hint = " (a linear hidden layer is 'identity')"
        elif value == "identity" and "linear" in table:
            hint = " (a linear output is 'linear')"
        raise ValueError(f"{name}={value!r} is not {what}; expected one of {list(table)}{hint}")


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
    if "hidden" not in params or "output" not in params:
        raise ValueError(f"{where} has no 'hidden' and 'output' names, so nothing says how to run its "
                         "weights. Make networks with nn.init_params(sizes, hidden, output); for a dict "
                         "of weights from elsewhere, add the names it was trained with: "
                         "params['hidden'] = 'relu'; params['output'] = 'sigmoid'")
    _check_choice(params["hidden"], f"{where}: hidden", HIDDEN, "a hidden activation")
    _check_choice(params["output"], f"{where}: output", OUTPUT, "an output")
    D = depth(params)
    expected = {"hidden", "output", *_EXTRA_KEYS} | {f"{p}{l}" for l in range(1, D + 1) for p in "Wb"}
    if D == 0 or not set(params) <= expected or any(f"b{l}" not in params for l in range(1, D + 1)):
        raise ValueError(f"{where} must hold W1, b1, ..., WD, bD beside 'hidden' and 'output'; "
                         f"got keys {sorted(params)}")
    n_prev, dtype = None, params["W1"].dtype if isinstance(params["W1"], np.ndarray) else None
    for l in range(1, D + 1):
        W, b = params[f"W{l}"], params[f"b{l}"]
        if not (isinstance(W, np.ndarray) and isinstance(b, np.ndarray)) or W.ndim != 2 or b.ndim != 1 \
                or b.shape[0] != W.shape[1]:
            raise ValueError(f"{where}: W{l} must be a 2-D array (n_in, n_out) and b{l} a 1-D array "
                             f"(n_out,); got W{l} {np.shape(W)} and b{l} {np.shape(b)}")
        if n_prev is not None and W.shape[0] != n_prev:
            raise ValueError(f"{where}: W{l} has {W.shape[0]} rows but layer {l - 1} has {n_prev} units; "
                             "the layers do not chain")
        if dtype not in (np.float32, np.float64) or W.dtype != dtype or b.dtype != dtype:
            raise ValueError(f"{where}: every array must be float64 (or every one float32); got "
                             f"W{l} {W.dtype} and b{l} {b.dtype} with W1 {dtype}")
        n_prev = W.shape[1]
    _check_softmax_width(n_prev, params["output"])
    return D


def _check_positive(value, name, integer=False):
    ok_type = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if isinstance(value, (bool, np.bool_)) or not ok_type or not (math.isfinite(value) and value > 0):
        kind = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {kind}; got {value!r}")
    return int(value) if integer else value


def _check_momentum(momentum):
    if (isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.number))
            or not 0.0 <= momentum < 1.0):
        raise ValueError(f"momentum must be a number in [0, 1), such as 0.9 (0: none); got {momentum!r}")


def _check_grads(grads, params):
    """grads must hold an array of the same shape for every array of params; returns those keys."""
    if isinstance(params, tuple) and len(params) == 2 and isinstance(params[0], dict):
        raise ValueError("params is a pair, as train and the *_update functions return them; unpack it: "
                         "params, history = nn.train(...) or params, state = nn.adam_update(...)")
    keys = _array_keys(params) if isinstance(params, dict) else []
    if not keys:
        raise ValueError(f"params must be a dict of arrays W1, b1, ...; got {type(params).__name__}")
    if not isinstance(grads, dict) or set(grads) != set(keys):
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the keys of params' arrays {keys}; got {got}")
    for key in keys:
        if not (isinstance(grads[key], np.ndarray) and grads[key].shape == params[key].shape):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grads[key])}; "
                             f"params[{key!r}] has {params[key].shape}")
    return keys


def _check_state(state, params, moments, maker):
    keys = _array_keys(params)
    ok = isinstance(state, dict) and set(state) == set(moments) | ({"t"} if "m" in moments else set()) and all(
        isinstance(state.get(name), dict) and all(
            getattr(state[name].get(key), "shape", None) == params[key].shape for key in keys)
        for name in moments)
    if not ok:
        raise ValueError(f"state must be the dict {maker}(params) made for these params "
                         "(or the state the last update returned)")


_EXTRA_KEYS = ("feature_names", "input_mean", "input_std")  # what train records beside the arrays


def _feature_names(X):
    """The column names of a DataFrame (anything with .columns), as a tuple of str; else None."""
    columns = getattr(X, "columns", None)
    return None if columns is None else tuple(str(name) for name in columns)


def _check_X(X, params, name="X"):
    """X as a 2-D array of the params' dtype with as many columns as W1 has rows."""
    names, known = _feature_names(X), params.get("feature_names")
    if names is not None and known is not None and names != tuple(known):
        raise ValueError(f"{name}'s columns are not the ones the network was trained on, in that order.\n"
                         f"  trained on: {list(known)}\n  got:        {list(names)}\n"
                         f"Select them in order: {name}[list(params['feature_names'])]")
    dtype = params["W1"].dtype
    try:
        X = np.asarray(X, dtype=dtype)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric array of shape (n_samples, n_features): {error}") from None
    n_in = params["W1"].shape[0]
    if X.ndim != 2:
        hint = " (one sample: X.reshape(1, -1); one feature: X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D (n_samples, n_features); got shape {X.shape}{hint}")
    if X.shape[1] != n_in or X.shape[0] == 0:
        raise ValueError(f"{name} has shape {X.shape}; the network expects (n_samples >= 1, {n_in}) "
                         f"since W1 is {params['W1'].shape}")
    _check_finite(X, name)
    if "input_mean" in params and "input_std" in params and len(params["input_mean"]) == n_in:
        if _off_scale(X, np.asarray(params["input_mean"]), np.asarray(params["input_std"])):
            _warn(f"{name} is on another scale from the data the network was trained on (its columns' means "
                  "sit many training standard deviations away): was it left unscaled? Scale it as the "
                  "training data was, e.g. nn.scale(X, s) with the scaler s = nn.fit_scaler(X_train)")
    return X


def _off_scale(X, mean, std):
    """Whether X sits far from training data of this mean and std, per column: the shift of its mean
    in training standard deviations. The median column judges (1.5 with 20 rows or more to average,
    3 with fewer), and any column 50 or 100 away: a few sparse columns (a pixel that is rarely on)
    shift a little on healthy data, and a column left unscaled shifts by hundreds. Columns constant
    in training are skipped. Thresholds from healthy and unscaled splits of eight scikit-learn sets."""
    known = std > 1e-6 * std.max() if std.size and std.max() > 0 else np.zeros(std.shape, bool)
    if not known.any():
        return False
    shift = np.abs(X.mean(axis=0, dtype=np.float64)[known] - mean[known]) / std[known]
    median, largest = (1.5, 50) if X.shape[0] >= 20 else (3, 100)
    return bool(np.median(shift) > median or shift.max() > largest)


def _column_stats(A):
    """Each column's mean and standard deviation, in float64, without a temporary the size of A
    (MNIST's X is 376 MB): the deviations are squared a block of rows (about 2 MB) at a time."""
    rows = max(1, 2**21 // (8 * A.shape[1]))
    mean = A.mean(axis=0, dtype=np.float64)
    square_sum = np.zeros_like(mean)
    for start in range(0, A.shape[0], rows):
        square_sum += ((A[start:start + rows] - mean) ** 2).sum(axis=0)
    return mean, np.sqrt(square_sum / A.shape[0])


def _check_finite(array, name):
    # The sum of finite numbers is finite unless it overflows: one pass, and no array of booleans
    # the size of the data, unless something is wrong (then the full check finds the row).
    if np.isfinite(np.sum(array, dtype=np.float64)):
        return
    if not np.isfinite(array).all():
        row = int(np.argwhere(~np.isfinite(array))[0][0])
        raise ValueError(f"{name} contains NaN or infinity (first in row {row}); "
                         "remove or impute those values before training")


def _check_Y(Y, params, n, name="Y"):
    """Targets as an (n, k) array of the params' dtype; softmax labels become one-hot rows."""
    output, k = params["output"], params[f"W{depth(params)}"].shape[1]
    Y = np.asarray(Y)
    if output == "softmax" and Y.ndim == 1:
        return _one_hot(Y, n, k, name).astype(params["W1"].dtype)
    if Y.ndim == 1 and k == 1:
        Y = Y[:, None]  # a 1-D target of a single output is a column, never broadcast to (n, n)
    if Y.shape != (n, k):
        hint = {1: " (or (n,) for a single output)"}.get(k, " (or integer labels (n,))" if output == "softmax" else "")
        raise ValueError(f"{name} has shape {Y.shape}; expected {(n, k)} to match the network's "
                         f"{k} output{'s' * (k > 1)} and the {n} samples of X{hint}")
    try:
        if Y.dtype.kind in "USO":
            raise TypeError("strings are labels, not numbers")
        Y = Y.astype(params["W1"].dtype, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got dtype {Y.dtype} with values like "
                         f"{Y.ravel()[:3].tolist()}" + _LABEL_HINT.get(output, "")) from None
    _check_finite(Y, name)
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


_LABEL_HINT = {
    "sigmoid": ". Two classes are the labels 0 and 1: map other labels first, e.g. "
               "y = (y == positive_class).astype(int); for more than two classes use output='softmax' "
               "with one output per class",
    "softmax": ". Pass integer labels 0..k-1 of shape (n,), or one-hot rows; "
               "classes, y = np.unique(y, return_inverse=True) maps any labels to 0..k-1",
}


def _check_softmax_width(k, output):
    if output == "softmax" and k < 2:
        raise ValueError(f"a softmax over {k} output is always 1 and learns nothing; use at least 2 "
                         "outputs, or output='sigmoid' with 1 output for two classes")


def _one_hot(labels, n, k, name="Y"):
    if labels.shape[0] != n:
        raise ValueError(f"{name} has {labels.shape[0]} labels; expected {n}, one per sample of X")
    if labels.dtype.kind == "f" and not np.isfinite(labels).all():
        _check_finite(labels, name)
    if labels.dtype.kind not in "iu":
        whole = labels.dtype.kind == "f" and np.isfinite(labels).all() and (labels == np.round(labels)).all()
        if not whole:
            raise ValueError(f"softmax labels must be integers 0..{k - 1}; got dtype {labels.dtype} "
                             f"with values like {labels[:3].tolist()}. Map any labels to 0..{k - 1} "
                             "first: classes, y = np.unique(y, return_inverse=True)")
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


def _check_cache(cache, params):
    """Check that cache holds A0, ..., AD with as many rows as X and the widths of these layers."""
    D = depth(params)
    A0 = cache.get("A0") if isinstance(cache, dict) else None
    n = A0.shape[0] if getattr(A0, "ndim", 0) == 2 else None
    widths = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, D + 1)]
    for l, width in enumerate(widths):
        if n is None or getattr(cache.get(f"A{l}"), "shape", None) != (n, width):
            shapes = {k: np.shape(v) for k, v in cache.items()} if isinstance(cache, dict) else cache
            raise ValueError(f"cache['A{l}'] must have shape (n, {width}) for these params; "
                             f"got {shapes!s:.200}. Pass the cache that forward returned for these params")


# What scikit-learn calls train's settings, so that its users are told ours.
_SKLEARN_NAMES = {"max_iter": "epochs", "alpha": "l2", "early_stopping": "validation=(X_val, y_val) and patience",
                  "verbose": "log_every", "learning_rate_init": "lr", "learning_rate": "lr (and schedule)",
                  "n_iter_no_change": "patience", "random_state": "seed", "solver": "optimizer",
                  "validation_fraction": "validation=(X_val, y_val)", "shuffle": "(always on)",
                  "hidden_layer_sizes": "init_params(layer_sizes, ...)", "activation": "init_params(..., hidden, ...)"}


def _check_train(params, X, Y, epochs, lr, batch_size, optimizer, momentum, schedule, l2, validation,
                 patience, log_every, callback, unknown):
    """Every check of train's inputs; returns X, Y, X_val, Y_val, batch, log_every, feature names
    and the columns' (mean, std) of X.

    Also warns (ScaleWarning, once per kind) about data that is legal but almost surely a mistake.
    """
    if unknown:
        key = next(iter(unknown))
        ours = _SKLEARN_NAMES.get(key)
        hint = (f"; scikit-learn calls it {key}, nn.train calls it {ours}" if ours else
                "; train's settings are epochs, lr, batch_size, optimizer, momentum, schedule, l2, "
                "validation, patience, seed, log_every, callback")
        raise TypeError(f"train() got an unexpected keyword argument {key!r}{hint}")
    _check_params(params)
    names = _feature_names(X)
    X = _check_X(X, params)
    column_y = np.ndim(Y) == 2 and np.shape(Y)[1] == 1 and params["output"] != "softmax"
    Y = _check_Y(Y, params, X.shape[0])
    epochs = _check_positive(epochs, "epochs", integer=True)
    _check_positive(lr, "lr")
    if l2 != 0:
        _check_positive(l2, "l2")
    n = X.shape[0]
    batch = n if batch_size is None else min(_check_positive(batch_size, "batch_size", integer=True), n)
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam'; got {optimizer!r}")
    _check_momentum(momentum)
    if momentum and optimizer != "sgd":
        raise ValueError(f"momentum={momentum} goes with optimizer='sgd'; Adam keeps its own running "
                         "average of the gradient (beta1), so leave momentum at 0 with 'adam'")
    if schedule not in (None, "cosine"):
        raise ValueError(f"schedule must be None or 'cosine'; got {schedule!r}")
    X_val = Y_val = None
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise ValueError(f"validation must be a pair (X_val, Y_val); got {type(validation).__name__}")
        X_val = _check_X(validation[0], {**params, "feature_names": names}, "X_val")
        Y_val = _check_Y(validation[1], params, X_val.shape[0], "Y_val")
    if patience is not None:
        patience = _check_positive(patience, "patience", integer=True)
        if validation is None:
            raise ValueError("patience needs validation=(X_val, Y_val): early stopping watches the "
                             "validation loss")
    if log_every == "auto":
        log_every = max(1, math.ceil(epochs / 10))
    elif log_every is not None:
        log_every = _check_positive(log_every, "log_every", integer=True)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function callback(epoch, history, params) or None; "
                         f"got {callback!r}")
    x_stats = _warn_about_scale(X, Y, X_val, Y_val, params["output"], column_y)
    return X, Y, X_val, Y_val, batch, log_every, names, x_stats


def _warn_about_scale(X, Y, X_val, Y_val, output, column_y):
    """Warn once for each mistake of scale that trains without error but gives a poor model;
    return X's columns' (mean, std), which train keeps."""
    fix = ("Standardise with the training part's statistics: s = nn.fit_scaler(X_train), then "
           "nn.scale(X, s) for every part (README.md, 'Scaling your data')")
    mean, spread = stats = _column_stats(X)
    rms = np.sqrt(mean ** 2 + spread ** 2)  # per column; 1 for standardised data, whatever its sign
    if rms.max() > 10:
        _warn(f"X is far from standardised: a column has root-mean-square {rms.max():.3g} (standardised "
              f"data has 1), which saturates units and slows or stops learning. {fix}")
    elif np.median(spread[spread > 0]) < 0.01 if (spread > 0).any() else False:
        _warn(f"X is far from standardised: its columns' spread is a median {np.median(spread[spread > 0]):.3g} "
              f"(standardised data has 1), so the first layer's weights must grow huge to see it. {fix}")
    y_mean, y_spread = _column_stats(Y)
    y_rms = np.sqrt(y_mean ** 2 + y_spread ** 2)
    if output == "linear" and (y_rms.max() > 10 or y_spread.min() < 0.1):
        _warn(f"the regression targets are far from standardised (root-mean-square {y_rms.max():.3g}, "
              f"standard deviation {y_spread.min():.3g}; standardised targets have 1 and 1): training "
              "is slow and the loss is out of proportion. Scale y too: sy = nn.fit_scaler(y_train), train on "
              "nn.scale(y_train, sy), and turn predictions back with nn.unscale(nn.predict(params, X), sy)")
    if column_y:
        _warn("y is a column (n, 1). Training is right, but nn.predict returns (n,) for one output, and "
              "comparing it with a column broadcasts to (n, n), a wrong number: pass y.ravel() (and "
              "compare predictions with y_test.ravel())")
    if X_val is not None:
        for part, val_part, train_stats in (("X_val", X_val, stats), ("Y_val", Y_val, (y_mean, y_spread))):
            if part == "Y_val" and output != "linear":
                continue
            if _off_scale(val_part, *train_stats):
                _warn(f"{part} is on another scale from the training data (its columns' means sit many "
                      "training standard deviations away): was one part scaled and the other not? "
                      "Scale every part with the training part's statistics (nn.fit_scaler)")
    return stats
