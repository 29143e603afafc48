"""A multi-layer perceptron in NumPy: forward pass, loss, backpropagation and gradient descent by hand.

Shapes follow scikit-learn: X is (n, n_in), one sample per row. A network with layer sizes
[n_0, n_1, ..., n_L] has, for each layer l = 1..L, weights W_l (n_{l-1}, n_l) and bias b_l (n_l,).

Forward, with A_0 = X and g the hidden activation (relu, tanh or sigmoid):
    Z_l = A_{l-1} W_l + b_l                         (n, n_l)
    A_l = g(Z_l) for l < L,   Y_hat = A_L = out(Z_L)   out: identity, sigmoid or softmax

Loss, averaged so that it does not grow with n (k = n_L outputs):
    linear  + mean squared error:     L = 1/(n k) sum (Y_hat - Y)^2
    sigmoid + binary cross-entropy:   L = -1/(n k) sum [Y log Y_hat + (1 - Y) log(1 - Y_hat)]
    softmax + cross-entropy:          L = -1/n sum Y log Y_hat

Backward, the chain rule from the output down. Each output is paired with its own loss, so
dL/dZ_L needs no derivative of the output activation (the P(1 - P) factors cancel):
    dZ_L = 2 (Y_hat - Y) / (n k)  |  (Y_hat - Y) / (n k)  |  (Y_hat - Y) / n
    dW_l = A_{l-1}^T dZ_l          db_l = sum of dZ_l over the samples
    dA_{l-1} = dZ_l W_l^T          dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})
and g' is read off the activation the forward pass kept: relu' = [A > 0], tanh' = 1 - A^2,
sigmoid' = A (1 - A).

Gradient descent: theta <- theta - lr dL/dtheta, for every W_l and b_l (or Adam, below).

Every function is plain, works on dicts of float64 arrays ({"W1": ..., "b1": ..., ...}), checks
its inputs at the boundary and raises ValueError with what it got and what it expected. Randomness
only ever comes from a generator made from the seed you hand in. The file needs NumPy alone.
"""

import math

import numpy as np

# Probabilities are clipped to [EPS, 1 - EPS] inside the cross-entropies, so a saturated output
# costs at most -log(EPS) ~ 36.04 per entry instead of log(0) = -inf. The gradients are not clipped.
EPS = np.finfo(np.float64).eps


# Activations


def relu(Z):
    return np.maximum(Z, 0.0)


def sigmoid(Z):
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)); logaddexp(0, -z) never overflows, even at z = -1e4.
    return np.exp(-np.logaddexp(0.0, -Z))


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))  # subtracting the row max changes nothing but overflow
    return E / E.sum(axis=1, keepdims=True)


# Hidden activation g and its derivative g'(Z), written in terms of A = g(Z) so that backward reuses
# what forward kept instead of recomputing anything from Z.
HIDDEN = {
    "relu": (relu, lambda A: A > 0),  # relu'(z) = 1 if z > 0 else 0, and z > 0 exactly when A > 0
    "tanh": (np.tanh, lambda A: 1.0 - A * A),  # tanh'(z) = 1 - tanh(z)^2
    "sigmoid": (sigmoid, lambda A: A * (1.0 - A)),  # s'(z) = s(z) (1 - s(z))
}

OUTPUT = {"linear": lambda Z: Z, "sigmoid": sigmoid, "softmax": softmax}


# The network


def init_params(layer_sizes, hidden="relu", seed=None):
    """Random weights for a network of sizes [n_in, h1, ..., n_out]; biases start at zero.

    W_l ~ N(0, s^2) with s = sqrt(2 / n_{l-1}) for ReLU (He) and s = sqrt(2 / (n_{l-1} + n_l)) for
    tanh and sigmoid (Glorot), so the activations neither die out nor blow up with depth. The random
    weights already make the units differ, so the biases need no noise. `seed` is an int, None (fresh
    entropy) or a np.random.Generator; the global NumPy random state is never used.
    """
    _check_layer_sizes(layer_sizes)
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_prev, n_next) in enumerate(zip(layer_sizes[:-1], layer_sizes[1:]), start=1):
        std = math.sqrt(2.0 / n_prev) if hidden == "relu" else math.sqrt(2.0 / (n_prev + n_next))
        params[f"W{l}"] = rng.standard_normal((n_prev, n_next)) * std
        params[f"b{l}"] = np.zeros(n_next)
    return params


def forward(params, X, hidden="relu", output="linear"):
    """Run X (n, n_in) through the network; return Y_hat (n, n_out) and the cache backward needs.

    The cache is {"A0": X, "A1": ..., "AL": Y_hat}: the activation of every layer.
    """
    n_layers = _check_params(params)
    _check_names(hidden, output)
    X = _check_X(X, params)
    _check_softmax_width(params[f"W{n_layers}"].shape[1], output)
    g = HIDDEN[hidden][0]
    cache = {"A0": X}
    A = X
    for l in range(1, n_layers + 1):
        Z = A @ params[f"W{l}"]  # (n, n_l)
        Z += params[f"b{l}"]  # in place: on wide layers a fresh array costs more than the addition
        A = g(Z) if l < n_layers else OUTPUT[output](Z)
        cache[f"A{l}"] = A
    return A, cache


def loss(Y_hat, Y, output="linear"):
    """The mean loss of predictions Y_hat (n, n_out) against targets Y, as a float.

    Y is (n, n_out), or (n,) for a single output. For softmax, Y is one-hot (n, k) or integer class
    labels (n,).
    """
    _check_choice(output, "output", OUTPUT, "an output")
    Y_hat = _check_Y_hat(Y_hat)
    Y = _check_Y(Y, Y_hat.shape, output)
    if output == "linear":
        return float(np.mean((Y_hat - Y) ** 2))
    P = np.clip(Y_hat, EPS, 1.0 - EPS)
    if output == "sigmoid":
        return float(-np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))
    return float(-np.sum(Y * np.log(P)) / Y.shape[0])


def backward(params, cache, Y, hidden="relu", output="linear"):
    """Gradients of loss(Y_hat, Y) with respect to every parameter: a dict with the keys and shapes
    of params. `cache` is what forward returned for these params; Y is as for loss."""
    n_layers = _check_params(params)
    _check_names(hidden, output)
    _check_cache(cache, params)
    Y_hat = cache[f"A{n_layers}"]
    Y = _check_Y(Y, Y_hat.shape, output)
    n, k = Y.shape
    if output == "linear":
        dZ = (Y_hat - Y) * (2.0 / (n * k))  # dL/dZ_L = 2 (Y_hat - Y) / (n k)
    elif output == "sigmoid":
        dZ = (Y_hat - Y) / (n * k)  # dL/dZ_L = (P - Y) / (n k)
    else:
        dZ = (Y_hat - Y) / n  # dL/dZ_L = (P - Y) / n, as each row of Y sums to 1
    g_prime = HIDDEN[hidden][1]
    grads = {}
    for l in range(n_layers, 0, -1):
        A_prev = cache[f"A{l - 1}"]
        grads[f"W{l}"] = A_prev.T @ dZ  # dL/dW_l = A_{l-1}^T dZ_l             (n_{l-1}, n_l)
        grads[f"b{l}"] = dZ.sum(axis=0)  # dL/db_l = sum over samples of dZ_l   (n_l,)
        if l > 1:
            dZ = dZ @ params[f"W{l}"].T  # dL/dA_{l-1} = dZ_l W_l^T
            dZ *= g_prime(A_prev)  # dL/dZ_{l-1} = dL/dA_{l-1} * g'(Z_{l-1}), in place as above
    return grads


def update(params, grads, lr):
    """One step of gradient descent, theta - lr * dL/dtheta; returns a new dict, changes neither input."""
    _check_grads(grads, params)
    _check_positive(lr, "lr")
    return {key: params[key] - lr * grads[key] for key in params}


# Adam (Kingma and Ba, 2015): each parameter gets its own step size, from running averages of its
# gradient (m) and squared gradient (v). The state is an explicit dict you pass back in. Adam treats
# every number alike, so it works on all the parameters strung into one vector: a dozen NumPy calls
# a step instead of a dozen per array, which is most of Adam's cost on small networks.


def adam_init(params):
    """Adam's state for these params: step count t = 0, and moments m and v with one zero per number."""
    _check_params(params)
    size = sum(value.size for value in params.values())
    return {"t": 0, "m": np.zeros(size), "v": np.zeros(size)}


def adam_update(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step; returns (new params, new state) and changes none of its inputs.

    m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,
    theta <- theta - lr_t m / (sqrt(v) + eps),  lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t).
    lr_t folds the bias correction of m and v (both start at zero) into the step size.
    """
    _check_grads(grads, params)
    _check_positive(lr, "lr")
    g = np.concatenate([grads[key].ravel() for key in params])
    if not (isinstance(state, dict) and getattr(state.get("m"), "shape", None) == g.shape):
        raise ValueError(f"state must be the dict adam_init made for params with {g.size} numbers "
                         "(or the state the last adam_update returned)")
    t = state["t"] + 1
    m = beta1 * state["m"] + (1.0 - beta1) * g
    v = beta2 * state["v"] + (1.0 - beta2) * g * g
    lr_t = lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
    step = lr_t * m / (np.sqrt(v) + eps)
    new, start = {}, 0
    for key, value in params.items():  # cut the step vector back into the shapes of params
        new[key] = value - step[start:start + value.size].reshape(value.shape)
        start += value.size
    return new, {"t": t, "m": m, "v": v}


# Training


def print_loss(epoch, value):
    """The default log line of train: `epoch   500  loss 166.84`."""
    print(f"epoch {epoch:>5}  loss {value:.6g}")


def cosine_lr(lr, epoch, epochs):
    """Cosine decay from lr at epoch 0 towards 0 at the last epoch: lr (1 + cos(pi epoch / epochs)) / 2."""
    return lr * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs))


def train(params, X, Y, hidden="relu", output="linear", epochs=1000, lr=0.01, batch_size=None,
          optimizer="sgd", schedule=None, l2=0.0, seed=None, log_every=500, callback=print_loss):
    """Fit params to (X, Y) by gradient descent; return (trained params, loss history).

    batch_size None means full batch: each epoch is one step on all of X. Otherwise each epoch
    shuffles the samples with a generator made from `seed` and takes one step per mini-batch (the
    last one may be smaller). optimizer is "sgd" or "adam"; schedule is None (constant lr) or
    "cosine". l2 > 0 adds (l2 / 2) sum ||W_l||^2 over the weights, not the biases, to what is
    minimised, like scikit-learn's alpha.

    history[e] is the mean loss over epoch e's batches, each taken before its step (scikit-learn's
    loss_curve_); with full batch it is the loss at the start of epoch e. It leaves the l2 penalty
    out, so it is in the units of loss(). callback(epoch, loss) is called at epoch 0 and every
    `log_every` epochs (log_every=None: never). A loss that stops being finite stops training with a
    ValueError that names the epoch.
    """
    n_layers = _check_params(params)
    _check_names(hidden, output)
    X = _check_X(X, params)
    Y = _check_Y(Y, (X.shape[0], params[f"W{n_layers}"].shape[1]), output)
    epochs = _check_positive(epochs, "epochs", integer=True)
    _check_positive(lr, "lr")
    if l2 != 0:  # 0 means no penalty
        _check_positive(l2, "l2")
    n = X.shape[0]
    batch = n if batch_size is None else min(_check_positive(batch_size, "batch_size", integer=True), n)
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam'; got {optimizer!r}")
    if schedule not in (None, "cosine"):
        raise ValueError(f"schedule must be None or 'cosine'; got {schedule!r}")
    if log_every is not None:
        log_every = _check_positive(log_every, "log_every", integer=True)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function callback(epoch, loss) or None; got {callback!r}")

    rng = np.random.default_rng(seed)
    state = adam_init(params) if optimizer == "adam" else None
    history = []
    # A diverging run overflows on its way to inf; that is reported below as an error, not as warnings.
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(epochs):
            rate = lr if schedule is None else cosine_lr(lr, epoch, epochs)
            if batch < n:
                order = rng.permutation(n)
                Xs, Ys = X[order], Y[order]
            else:
                Xs, Ys = X, Y
            total = 0.0
            for start in range(0, n, batch):
                Xb, Yb = Xs[start:start + batch], Ys[start:start + batch]
                Y_hat, cache = forward(params, Xb, hidden, output)
                value = loss(Y_hat, Yb, output)
                if not math.isfinite(value):
                    raise ValueError(
                        f"the loss became {value} at epoch {epoch} (lr={lr}); training diverged. "
                        "Try a smaller learning rate, or standardise X (and Y for regression).")
                grads = backward(params, cache, Yb, hidden, output)
                if l2:
                    grads = {key: g + l2 * params[key] if key[0] == "W" else g  # d/dW (l2/2)||W||^2 = l2 W
                             for key, g in grads.items()}
                if state is None:
                    params = update(params, grads, rate)
                else:
                    params, state = adam_update(params, grads, state, rate)
                total += value * Xb.shape[0]
            history.append(total / n)
            if log_every is not None and callback is not None and epoch % log_every == 0:
                callback(epoch, history[-1])
    return params, history


def predict(params, X, hidden="relu", output="linear"):
    """Predictions for X: values for linear, 0/1 labels for sigmoid, class indices for softmax.

    As in scikit-learn, a single output comes back as a 1-D array (n,), so that comparing it with
    a 1-D y is elementwise and never broadcasts into (n, n); several outputs stay (n, n_out).
    """
    with np.errstate(invalid="ignore", over="ignore"):  # non-finite params are reported just below
        Y_hat, _ = forward(params, X, hidden, output)
    if not np.isfinite(Y_hat).all():  # NaN >= 0.5 is False and argmax(NaN) is 0: labels would lie
        raise ValueError("the network's outputs contain NaN or infinity, so its params are not finite "
                         "(did training diverge?); retrain with a smaller learning rate")
    if output == "softmax":
        return Y_hat.argmax(axis=1)
    if output == "sigmoid":
        Y_hat = (Y_hat >= 0.5).astype(np.int64)
    return Y_hat[:, 0] if Y_hat.shape[1] == 1 else Y_hat


def save_params(path, params):
    """Save params to an .npz file (NumPy adds .npz to a path without it)."""
    _check_params(params)
    np.savez(path, **params)


def load_params(path):
    """Load params saved by save_params. Refuses pickled objects, which could run code on load."""
    refused = (f"{path} holds pickled objects, which load_params refuses to unpickle; "
               "save params with save_params, which writes plain arrays")
    try:
        data = np.load(path, allow_pickle=False)
    except ValueError as error:  # a whole file pickled
        raise ValueError(refused) from error
    if not isinstance(data, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} is a single .npy array, not an .npz of params; save with save_params")
    with data:
        try:
            params = {key: data[key] for key in data.files}
        except ValueError as error:  # an object array inside the .npz; numpy reads each lazily
            raise ValueError(refused) from error
    _check_params(params, where=f"the file {path}")
    return params


# Validation at the boundary: each check is cheap (shapes, one pass for finiteness) and says what
# it got and what it expected.


def _check_names(hidden, output):
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    _check_choice(output, "output", OUTPUT, "an output")


def _check_choice(value, name, table, what):
    if not isinstance(value, str) or value not in table:
        raise ValueError(f"{name}={value!r} is not {what}; expected one of {list(table)}")


def _check_positive(value, name, integer=False):
    ok_type = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if isinstance(value, bool) or not ok_type or not (math.isfinite(value) and value > 0):
        kind = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {kind}; got {value!r}")
    return int(value) if integer else value


def _check_layer_sizes(layer_sizes):
    sizes = list(layer_sizes) if isinstance(layer_sizes, (list, tuple)) else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must be a list [n_in, ..., n_out] of at least two sizes; "
                         f"got {layer_sizes!r}")
    for size in sizes:
        if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"layer_sizes must hold positive integers; got {size!r} in {sizes}")


def _check_params(params, where="params"):
    """Check that params holds exactly W1, b1, ..., WL, bL whose shapes chain; return L."""
    n_layers = len(params) // 2 if isinstance(params, dict) else 0
    n_prev = None
    for l in range(1, n_layers + 1):
        W, b = params.get(f"W{l}"), params.get(f"b{l}")
        if W is None or b is None:
            n_layers = 0
            break
        if getattr(W, "ndim", 0) != 2 or getattr(b, "ndim", 0) != 1 or b.shape[0] != W.shape[1]:
            raise ValueError(f"{where}: W{l} must be a 2-D array (n_in, n_out) and b{l} a 1-D array "
                             f"(n_out,); got W{l} {np.shape(W)} and b{l} {np.shape(b)}")
        if n_prev is not None and W.shape[0] != n_prev:
            raise ValueError(f"{where}: W{l} has {W.shape[0]} rows but layer {l - 1} has {n_prev} units; "
                             "the layers do not chain")
        n_prev = W.shape[1]
    if n_layers == 0 or len(params) != 2 * n_layers:
        got = sorted(params) if isinstance(params, dict) else type(params).__name__
        raise ValueError(f"{where} must be a dict with keys W1, b1, ..., WL, bL; got {got}")
    return n_layers


def _check_grads(grads, params):
    """Check that grads and params have the same keys and shapes (params' own chain is forward's job)."""
    if not isinstance(params, dict) or not params:
        raise ValueError(f"params must be a non-empty dict of arrays W1, b1, ...; "
                         f"got {type(params).__name__}")
    if not isinstance(grads, dict) or grads.keys() != params.keys():
        got = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise ValueError(f"grads must have the same keys as params {sorted(params)}; got {got}")
    for key, value in params.items():
        grad = grads[key]
        if not (isinstance(value, np.ndarray) and isinstance(grad, np.ndarray) and grad.shape == value.shape):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grads[key])}; "
                             f"params[{key!r}] has {np.shape(value)}")


def _check_finite(array, name):
    if not np.isfinite(array).all():
        row = int(np.argwhere(~np.isfinite(array))[0][0])
        raise ValueError(f"{name} contains NaN or infinity (first in row {row}); "
                         "remove or impute those values before training")


def _check_X(X, params):
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"X must be a numeric array of shape (n_samples, n_features): {error}") from None
    n_in = params["W1"].shape[0]
    if X.ndim != 2:
        hint = " (one sample: X.reshape(1, -1); one feature: X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"X must be 2-D (n_samples, n_features); got shape {X.shape}{hint}")
    if X.shape[1] != n_in or X.shape[0] == 0:
        raise ValueError(f"X has shape {X.shape}; params expect (n_samples >= 1, {n_in}) "
                         f"since W1 is {params['W1'].shape}")
    _check_finite(X, "X")
    return X


def _check_Y_hat(Y_hat):
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    if Y_hat.ndim != 2 or Y_hat.shape[0] == 0:
        raise ValueError(f"Y_hat must be 2-D (n_samples >= 1, n_outputs) as forward returns it; "
                         f"got shape {Y_hat.shape}")
    return Y_hat


def _check_Y(Y, shape, output):
    """Targets as a float (n, k) array matching predictions of `shape`; labels become one-hot."""
    n, k = shape
    _check_softmax_width(k, output)
    Y = np.asarray(Y)
    if output == "softmax" and Y.ndim == 1:
        return _one_hot(Y, n, k)
    if Y.ndim == 1 and k == 1:
        Y = Y[:, None]  # a 1-D target of a single output is a column, never broadcast to (n, n)
    if Y.shape != (n, k):
        raise ValueError(f"Y has shape {Y.shape}; expected {(n, k)} to match the predictions"
                         + (" (or (n,) for a single output)" if k == 1 else ""))
    try:
        Y = Y.astype(np.float64, copy=False)
    except (TypeError, ValueError) as error:
        raise ValueError(f"Y must be numeric: {error}") from None
    _check_finite(Y, "Y")
    if output in ("sigmoid", "softmax") and (Y.min() < 0.0 or Y.max() > 1.0):
        raise ValueError(f"{output} targets must lie in [0, 1]; got values from {Y.min()} to {Y.max()}")
    if output == "softmax":
        sums = Y.sum(axis=1)
        if np.abs(sums - 1.0).max() > 1e-6:
            bad = int(np.abs(sums - 1.0).argmax())
            raise ValueError(f"softmax targets must be one-hot rows that sum to 1 (or integer labels (n,)); "
                             f"row {bad} sums to {sums[bad]}")
    return Y


def _check_softmax_width(k, output):
    if output == "softmax" and k < 2:
        raise ValueError(f"a softmax over {k} output is always 1 and learns nothing; use at least 2 "
                         "outputs, or output='sigmoid' with 1 output for two classes")


def _one_hot(labels, n, k):
    if labels.shape[0] != n:
        raise ValueError(f"Y has {labels.shape[0]} labels; expected {n} to match the predictions")
    if labels.dtype.kind not in "iu":
        whole = labels.dtype.kind == "f" and np.isfinite(labels).all() and (labels == np.round(labels)).all()
        if not whole:
            raise ValueError(f"softmax labels must be integers 0..{k - 1}; got dtype {labels.dtype} "
                             f"with values like {labels[:3].tolist()}")
    if labels.min() < 0 or labels.max() >= k:
        raise ValueError(f"softmax labels must lie in 0..{k - 1} for {k} outputs; "
                         f"got values from {labels.min()} to {labels.max()}")
    Y = np.zeros((n, k))
    Y[np.arange(n), labels.astype(np.int64)] = 1.0
    return Y


def _check_cache(cache, params):
    """Check that cache holds A0, ..., AL with as many rows as X and the widths of these layers."""
    A0 = cache.get("A0") if isinstance(cache, dict) else None
    n = A0.shape[0] if getattr(A0, "ndim", 0) == 2 else None
    widths = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, len(params) // 2 + 1)]
    for l, width in enumerate(widths):
        if n is None or getattr(cache.get(f"A{l}"), "shape", None) != (n, width):
            shapes = {k: np.shape(v) for k, v in cache.items()} if isinstance(cache, dict) else cache
            raise ValueError(f"cache['A{l}'] must have shape (n, {width}) for these params; "
                             f"got {shapes!s:.200}. Pass the cache that forward returned for these params")
