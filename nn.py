"""A multi-layer perceptron in NumPy: forward pass, loss, backpropagation and gradient descent by hand.

Notation. `@` is the matrix product and `*` the elementwise one; `A.T` is A transposed. Samples are
rows, as in scikit-learn: X is (n, n_0), n samples of n_0 features. A network of layer sizes
[n_0, n_1, ..., n_L] has, for each layer l = 1..L, weights W_l (n_{l-1}, n_l) and bias b_l (n_l,).
Every Z_l, A_l and their gradients dZ_l = dL/dZ_l, dA_l = dL/dA_l are (n, n_l); dW_l has the shape
of W_l and db_l the shape of b_l.

Forward, with A_0 = X and g the hidden activation (identity, relu, tanh or sigmoid):
    Z_l = A_{l-1} @ W_l + b_l                        (n, n_l); b_l is added to every row
    A_l = g(Z_l) for l < L,   Y_hat = A_L = out(Z_L)     out: linear, sigmoid or softmax

Loss, averaged so that it does not grow with n (k = n_L outputs):
    linear  + mean squared error:     L = 1/(n k) sum (Y_hat - Y)^2
    sigmoid + binary cross-entropy:   L = -1/(n k) sum [Y log Y_hat + (1 - Y) log(1 - Y_hat)]
    softmax + cross-entropy:          L = -1/n sum Y log Y_hat

Backward, the chain rule from the output down. Each output is paired with the loss whose
derivative cancels its own (README.md derives all three), so the first step is one subtraction:
    dZ_L = 2 (Y_hat - Y) / (n k)  |  (Y_hat - Y) / (n k)  |  (Y_hat - Y) / n
    dW_l = A_{l-1}.T @ dZ_l        db_l = dZ_l summed over the samples (its rows)
    dA_{l-1} = dZ_l @ W_l.T        dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})
and g' is read off the activation the forward pass kept: identity' = 1, relu' = [A > 0],
tanh' = 1 - A^2, sigmoid' = A (1 - A).

Gradient descent: theta <- theta - lr dL/dtheta for every W_l and b_l (or momentum, or Adam, below).

`python main.py walkthrough` prints every number of one such step on a tiny network, and
gradient_check(params, X, Y, hidden, output) compares backward with finite differences of loss.

Every public function is plain, works on dicts of float64 arrays ({"W1": ..., "b1": ..., ...}),
checks its inputs and raises ValueError with what it got and what it expected. The activations are
always named by the caller: nothing guesses them. Each public function checks and then calls a
private core (_forward, _loss, _backward, ...) that does the math; train checks once and then runs
those same cores, so the gradient checks test exactly what training runs. Randomness only ever
comes from a generator made from the seed you hand in. The file needs NumPy alone.
"""

import math

import numpy as np

# Probabilities are clipped to [EPS, 1 - EPS] inside the cross-entropies, so a saturated output
# costs at most -log(EPS) ~ 36.04 per entry instead of log(0) = -inf. The gradients use P - Y and
# are not clipped; where the clip is active (P within EPS of 0 or 1) they are the gradient of the
# unclipped loss, which the clipped loss, flat there, no longer has.
EPS = np.finfo(np.float64).eps


# Activations


def identity(Z):
    return Z


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
    "identity": (identity, lambda A: 1.0),  # z' = 1: a network of identity layers is one linear map
    "relu": (relu, lambda A: A > 0),  # relu'(z) = 1 if z > 0 else 0, and z > 0 exactly when A > 0
    "tanh": (np.tanh, lambda A: 1.0 - A * A),  # tanh'(z) = 1 - tanh(z)^2
    "sigmoid": (sigmoid, lambda A: A * (1.0 - A)),  # s'(z) = s(z) (1 - s(z))
}

OUTPUT = {"linear": identity, "sigmoid": sigmoid, "softmax": softmax}


# The network: each public function checks its inputs, then calls the core that does the math.


def init_params(layer_sizes, hidden, seed=None):
    """Random weights for a network of sizes [n_in, h1, ..., n_out]; biases start at zero.

    W_l ~ N(0, s^2) with s = sqrt(2 / n_{l-1}) for ReLU (He) and s = sqrt(2 / (n_{l-1} + n_l)) for
    the other activations (Glorot), so the activations neither die out nor blow up with depth. The
    random weights already make the units differ, so the biases need no noise. layer_sizes is any
    sequence of positive ints (a list, tuple, range or 1-D array). `seed` is an int, None (fresh
    entropy) or a np.random.Generator; the global NumPy random state is never used.
    """
    sizes = _check_layer_sizes(layer_sizes)
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    rng = np.random.default_rng(seed)
    params = {}
    for l, (n_prev, n_next) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        std = math.sqrt(2.0 / n_prev) if hidden == "relu" else math.sqrt(2.0 / (n_prev + n_next))
        params[f"W{l}"] = rng.standard_normal((n_prev, n_next)) * std
        params[f"b{l}"] = np.zeros(n_next)
    return params


def forward(params, X, hidden, output):
    """Run X (n, n_in) through the network; return Y_hat (n, n_out) and the cache backward needs.

    The cache is {"A0": X, "A1": ..., "AL": Y_hat}: the activation of every layer.
    """
    n_layers = _check_params(params)
    _check_names(hidden, output)
    X = _check_X(X, params)
    _check_softmax_width(params[f"W{n_layers}"].shape[1], output)
    return _forward(params, X, hidden, output)


def _forward(params, X, hidden, output):
    g, n_layers = HIDDEN[hidden][0], len(params) // 2
    cache = {"A0": X}
    A = X
    for l in range(1, n_layers + 1):
        Z = A @ params[f"W{l}"]  # (n, n_{l-1}) @ (n_{l-1}, n_l) -> (n, n_l)
        Z += params[f"b{l}"]  # Z_l = A_{l-1} @ W_l + b_l; in place, as a fresh (n, n_l) array costs more
        A = g(Z) if l < n_layers else OUTPUT[output](Z)  # (n, n_l)
        cache[f"A{l}"] = A
    return A, cache


def loss(Y_hat, Y, output):
    """The mean loss of predictions Y_hat (n, n_out) against targets Y, as a float.

    Y_hat is what forward returned with the same `output`. Y is (n, n_out), or (n,) for a single
    output. For softmax, Y is one-hot (n, k) or integer class labels 0..k-1 of shape (n,).
    """
    _check_choice(output, "output", OUTPUT, "an output")
    Y_hat = _check_Y_hat(Y_hat, output)
    Y = _check_Y(Y, Y_hat.shape, output)
    return _loss(Y_hat, Y, output)


def _loss(Y_hat, Y, output):
    if output == "linear":
        D = Y_hat - Y
        return float(np.vdot(D, D)) / D.size  # the sum of squares over the n k entries, over n k
    P = np.clip(Y_hat, EPS, 1.0 - EPS)
    if output == "sigmoid":
        return float(-np.mean(Y * np.log(P) + (1.0 - Y) * np.log(1.0 - P)))
    return float(-np.sum(Y * np.log(P)) / Y.shape[0])


def backward(params, cache, Y, hidden, output):
    """Gradients of loss(Y_hat, Y, output) with respect to every parameter: a dict with the keys and
    shapes of params. `cache` is what forward returned for these params; Y is as for loss."""
    n_layers = _check_params(params)
    _check_names(hidden, output)
    _check_cache(cache, params)
    Y = _check_Y(Y, cache[f"A{n_layers}"].shape, output)
    grads = _unflatten(np.empty(_n_numbers(params)), params)
    _backward(params, cache, Y, hidden, output, grads)
    return grads


def _backward(params, cache, Y, hidden, output, grads):
    """Write dL/dtheta into grads, a dict of arrays shaped like params (train's are views into the
    one vector g that its optimizer reads, so nothing is copied to string them together)."""
    n_layers = len(params) // 2
    Y_hat = cache[f"A{n_layers}"]  # (n, k)
    n, k = Y.shape
    if output == "linear":
        dZ = (Y_hat - Y) * (2.0 / (n * k))  # dL/dZ_L = 2 (Y_hat - Y) / (n k)       (n, k)
    elif output == "sigmoid":
        dZ = (Y_hat - Y) / (n * k)  # dL/dZ_L = (P - Y) / (n k)                     (n, k)
    else:
        dZ = (Y_hat - Y) / n  # dL/dZ_L = (P - Y) / n, as each row of Y sums to 1   (n, k)
    g_prime = HIDDEN[hidden][1]
    for l in range(n_layers, 0, -1):
        A_prev = cache[f"A{l - 1}"]  # (n, n_{l-1})
        np.matmul(A_prev.T, dZ, out=grads[f"W{l}"])  # dL/dW_l = A_{l-1}.T @ dZ_l   (n_{l-1}, n_l)
        dZ.sum(axis=0, out=grads[f"b{l}"])  # dL/db_l = sum over the rows of dZ_l      (n_l,)
        if l > 1:
            dA = dZ @ params[f"W{l}"].T  # dL/dA_{l-1} = dZ_l @ W_l.T             (n, n_{l-1})
            # dL/dZ_{l-1} = dA_{l-1} * g'(Z_{l-1})                                  (n, n_{l-1})
            dZ = np.multiply(dA, g_prime(A_prev), out=dA)  # written over dA, which is not used again


def gradient_check(params, X, Y, hidden, output, h=1e-5):
    """Compare backward with centred finite differences of loss; return {key: largest relative error}.

    For every number theta in params, the numerical slope is (L(theta + h) - L(theta - h)) / 2h,
    which errs by about h^2 (the curvature) plus eps L / h (rounding): about 1e-10 at h = 1e-5. The
    error reported per key is the largest |analytic - numeric| / max(1e-8, |analytic| + |numeric|)
    over its entries. Below 1e-6 everywhere means backward is right. A key above it points at its
    layer: a wrong hidden derivative g' spoils the layers below the last (their gradients pass
    through g'), never the last layer's W_L, b_L. ReLU's kink at 0 fools finite differences when a
    pre-activation lies within h of 0, so check ReLU on data that keeps them away from it. One loss
    evaluation per number, twice: use a small network and a few samples.
    """
    h = _check_positive(h, "h")
    _, cache = forward(params, X, hidden, output)
    analytic = backward(params, cache, Y, hidden, output)

    def loss_with(key, value):  # the loss with params[key] replaced by value
        return loss(forward({**params, key: value}, X, hidden, output)[0], Y, output)

    errors = {}
    for key, value in params.items():
        numeric = np.zeros_like(value, dtype=np.float64)
        for index in np.ndindex(value.shape):
            shifted = value.astype(np.float64)
            shifted[index] = value[index] + h
            up = loss_with(key, shifted)
            shifted[index] = value[index] - h
            down = loss_with(key, shifted)
            numeric[index] = (up - down) / (2 * h)  # the centred slope dL/dtheta at this entry
        scale = np.maximum(1e-8, np.abs(analytic[key]) + np.abs(numeric))
        errors[key] = float(np.max(np.abs(analytic[key] - numeric) / scale))
    return errors


# Optimizers. An optimizer treats every number alike, so it sees the parameters as one vector theta
# and the gradients as one vector g (the arrays strung together in the order of params): a few NumPy
# calls a step instead of a few per array, which is most of their cost on small networks. Each
# public one returns new params (and state) and changes none of its inputs; train keeps theta
# itself, with its params as views into it, and calls the same cores, which update theta in place.


def update(params, grads, lr):
    """One step of gradient descent, theta - lr * dL/dtheta; returns a new dict, changes neither input."""
    _check_grads(grads, params)
    _check_positive(lr, "lr")
    theta = _flatten(params, params)
    _sgd_step(theta, _flatten(grads, params), lr)
    return _unflatten(theta, params)


def _sgd_step(theta, g, lr):
    theta -= lr * g  # theta <- theta - lr dL/dtheta


# Momentum: a velocity v accumulates the gradients, v <- mu v + g, and the step follows v. Along a
# direction where the gradient keeps its sign the step grows towards lr g / (1 - mu); where it
# flips from step to step it cancels. This is PyTorch's form, and scikit-learn's for a constant lr.


def momentum_init(params):
    """Momentum's state for these params: a velocity of zeros, one per number."""
    _check_params(params)
    return {"v": np.zeros(_n_numbers(params))}


def momentum_update(params, grads, state, lr, momentum):
    """One step of gradient descent with momentum mu in [0, 1); returns (new params, new state).

    v <- mu v + g,  theta <- theta - lr v. With mu = 0 this is update().
    """
    _check_grads(grads, params)
    _check_positive(lr, "lr")
    _check_momentum(momentum)
    _check_state(state, params, "v", "momentum_init")
    theta, state = _flatten(params, params), {"v": state["v"].copy()}
    _momentum_step(theta, _flatten(grads, params), state, lr, momentum)
    return _unflatten(theta, params), state


def _momentum_step(theta, g, state, lr, momentum):
    v = state["v"]
    v *= momentum
    v += g  # v <- mu v + g
    theta -= lr * v  # theta <- theta - lr v


# Adam (Kingma and Ba, 2015): each parameter gets its own step size, from running averages of its
# gradient (m) and squared gradient (v). The state is an explicit dict you pass back in.


def adam_init(params):
    """Adam's state for these params: step count t = 0, and moments m and v with one zero per number."""
    _check_params(params)
    return {"t": 0, "m": np.zeros(_n_numbers(params)), "v": np.zeros(_n_numbers(params))}


def adam_update(params, grads, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step; returns (new params, new state) and changes none of its inputs.

    m <- beta1 m + (1 - beta1) g,  v <- beta2 v + (1 - beta2) g^2,
    theta <- theta - lr_t m / (sqrt(v) + eps),  lr_t = lr sqrt(1 - beta2^t) / (1 - beta1^t).
    lr_t folds the bias correction of m and v (both start at zero) into the step size.
    """
    _check_grads(grads, params)
    _check_positive(lr, "lr")
    _check_state(state, params, "m", "adam_init")
    theta = _flatten(params, params)
    state = {"t": state["t"], "m": state["m"].copy(), "v": state["v"].copy()}
    _adam_step(theta, _flatten(grads, params), state, lr, beta1, beta2, eps)
    return _unflatten(theta, params), state


def _adam_step(theta, g, state, lr, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = state["m"], state["v"]
    state["t"] = t = state["t"] + 1
    m *= beta1
    m += (1.0 - beta1) * g  # m <- beta1 m + (1 - beta1) g
    v *= beta2
    v += (1.0 - beta2) * g * g  # v <- beta2 v + (1 - beta2) g^2
    lr_t = lr * math.sqrt(1.0 - beta2**t) / (1.0 - beta1**t)
    theta -= lr_t * m / (np.sqrt(v) + eps)


def _n_numbers(params):
    return sum(np.size(value) for value in params.values())


def _flatten(arrays, params):
    """The arrays (params or grads) strung into one new float64 vector, in the order of params."""
    return np.concatenate([np.ravel(arrays[key]) for key in params], dtype=np.float64)


def _unflatten(theta, params):
    """A dict of views into theta with the keys and shapes of params: writing to theta changes them."""
    views, start = {}, 0
    for key, value in params.items():
        views[key] = theta[start:start + value.size].reshape(value.shape)
        start += value.size
    return views


# Training


def print_progress(epoch, history, params):
    """The default log line of train: `epoch   500  loss 166.841`, and the validation loss if any."""
    line = f"epoch {epoch:>5}  loss {history['loss'][-1]:.6g}"
    if "val_loss" in history:
        line += f"  val_loss {history['val_loss'][-1]:.6g}"
    print(line, flush=True)


def cosine_lr(lr, epoch, epochs):
    """Cosine decay from lr at epoch 0 towards 0 at the last epoch: lr (1 + cos(pi epoch / epochs)) / 2."""
    return lr * 0.5 * (1.0 + math.cos(math.pi * epoch / epochs))


def train(params, X, Y, hidden, output, *, epochs=200, lr=0.003, batch_size=32, optimizer="adam",
          momentum=0.0, schedule=None, l2=1e-4, validation=None, patience=None, seed=None,
          log_every=500, callback=print_progress):
    """Fit params to (X, Y); return (trained params, history). The params passed in are not changed.

    Each epoch shuffles the samples with a generator made from `seed` and takes one step per
    mini-batch of `batch_size` (the last may be smaller; None means one step on all of X).
    optimizer is "adam" or "sgd"; with "sgd", momentum in [0, 1) adds a velocity (0: plain
    gradient descent). schedule is None (constant lr) or "cosine". l2 > 0 adds (l2 / 2) sum ||W_l||^2
    over the weights, not the biases, to what is minimised, like scikit-learn's alpha.

    validation=(X_val, Y_val) computes the validation loss after every epoch; patience=N then stops
    once it has not improved for N epochs and returns the params of the epoch where it was lowest.

    history["loss"][e] is the mean loss over epoch e's batches, each taken before its step
    (scikit-learn's loss_curve_); history["val_loss"][e] the validation loss at the end of epoch e.
    Both leave the l2 penalty out, so they are in the units of loss(). callback(epoch, history,
    params) is called after epoch 0, every `log_every` epochs and after the last epoch run
    (log_every=None or callback=None: never); params is a copy, yours to keep. A loss that stops
    being finite stops training with a ValueError that names the epoch.

    The defaults (Adam, lr 0.003, batches of 32, l2 1e-4, at most 200 epochs) had the lowest
    validation losses among the recipes tried in bench/datasets.py, on standardised data with
    validation and patience=20: a start, not a tuned answer for your data.
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
    _check_momentum(momentum)
    if momentum and optimizer != "sgd":
        raise ValueError(f"momentum={momentum} goes with optimizer='sgd'; Adam keeps its own running "
                         "average of the gradient (beta1), so leave momentum at 0 with 'adam'")
    if schedule not in (None, "cosine"):
        raise ValueError(f"schedule must be None or 'cosine'; got {schedule!r}")
    if validation is not None:
        X_val, Y_val = _check_validation(validation, params, output)
    if patience is not None:
        patience = _check_positive(patience, "patience", integer=True)
        if validation is None:
            raise ValueError("patience needs validation=(X_val, Y_val): early stopping watches the "
                             "validation loss")
    if log_every is not None:
        log_every = _check_positive(log_every, "log_every", integer=True)
    if callback is not None and not callable(callback):
        raise ValueError(f"callback must be a function callback(epoch, history, params) or None; "
                         f"got {callback!r}")

    # From here on the inputs are known to be good, so the loop calls the cores directly. theta is
    # our own copy of the parameters, and params a dict of views into it; likewise g and grads.
    theta = _flatten(params, params)
    params = _unflatten(theta, params)
    g = np.empty_like(theta)  # dL/dtheta, which _backward writes through the views in grads
    grads = _unflatten(g, params)
    rng = np.random.default_rng(seed)
    state = adam_init(params) if optimizer == "adam" else momentum_init(params) if momentum else None
    history = {"loss": []} if validation is None else {"loss": [], "val_loss": []}
    best, best_loss, best_epoch = None, math.inf, 0
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
                Y_hat, cache = _forward(params, Xb, hidden, output)
                value = _loss(Y_hat, Yb, output)
                if not math.isfinite(value):
                    _diverged(value, epoch, lr)
                _backward(params, cache, Yb, hidden, output, grads)
                if l2:
                    for key in grads:
                        if key[0] == "W":
                            grads[key] += l2 * params[key]  # d/dW (l2/2)||W||^2 = l2 W
                if optimizer == "adam":
                    _adam_step(theta, g, state, rate)
                elif momentum:
                    _momentum_step(theta, g, state, rate, momentum)
                else:
                    _sgd_step(theta, g, rate)
                total += value * Xb.shape[0]
            history["loss"].append(total / n)
            stop = False
            if validation is not None:
                val_loss = _loss(_forward(params, X_val, hidden, output)[0], Y_val, output)
                if not math.isfinite(val_loss):
                    _diverged(val_loss, epoch, lr)
                history["val_loss"].append(val_loss)
                if patience is not None:
                    if val_loss < best_loss:  # keep a copy of the best; the epochs after it may be worse
                        best = _unflatten(theta.copy(), params)
                        best_loss, best_epoch = val_loss, epoch
                    stop = epoch - best_epoch >= patience
            last = stop or epoch == epochs - 1
            if callback is not None and log_every is not None and (epoch % log_every == 0 or last):
                callback(epoch, history, _unflatten(theta.copy(), params))
            if stop:
                break
    return (params if best is None else best), history


def _diverged(value, epoch, lr):
    raise ValueError(f"the loss became {value} at epoch {epoch} (lr={lr}); training diverged. "
                     "Try a smaller learning rate, or standardise X (and Y for regression).")


# Using a trained network


def predict(params, X, hidden, output):
    """Predictions for X: values for linear, 0/1 labels for sigmoid, class indices for softmax.

    As in scikit-learn, a single output comes back as a 1-D array (n,), so that comparing it with
    a 1-D y is elementwise and never broadcasts into (n, n); several outputs stay (n, n_out).
    """
    Y_hat = _finite_outputs(params, X, hidden, output)
    if output == "softmax":
        return Y_hat.argmax(axis=1)
    if output == "sigmoid":
        Y_hat = (Y_hat >= 0.5).astype(np.int64)
    return Y_hat[:, 0] if Y_hat.shape[1] == 1 else Y_hat


def predict_proba(params, X, hidden, output):
    """Class probabilities, in scikit-learn's shapes.

    One sigmoid output: (n, 2), the columns P(0) and P(1). Several sigmoid outputs (multi-label):
    (n, k), each column an independent P(label j is 1). Softmax: (n, k), rows that sum to 1, whose
    argmax is predict(). A linear output has no probabilities.
    """
    _check_choice(output, "output", OUTPUT, "an output")
    if output == "linear":
        raise ValueError("predict_proba needs output='sigmoid' or 'softmax': a linear output gives "
                         "values, not probabilities; use predict for those")
    P = _finite_outputs(params, X, hidden, output)
    if output == "sigmoid" and P.shape[1] == 1:
        return np.hstack([1.0 - P, P])
    return P


def _finite_outputs(params, X, hidden, output):
    with np.errstate(invalid="ignore", over="ignore"):  # non-finite params are reported just below
        Y_hat, _ = forward(params, X, hidden, output)
    if not np.isfinite(Y_hat).all():  # NaN >= 0.5 is False and argmax(NaN) is 0: labels would lie
        raise ValueError("the network's outputs contain NaN or infinity, so its params are not finite "
                         "(did training diverge?); retrain with a smaller learning rate")
    return Y_hat


def save_params(path, params, hidden, output):
    """Save params and the activations they need to an .npz file (NumPy adds .npz to a bare path).

    The activations are stored as plain string arrays beside W1, b1, ...: the file pickles nothing,
    and says by itself how to run the network it holds.
    """
    n_layers = _check_params(params)
    _check_names(hidden, output)
    _check_softmax_width(params[f"W{n_layers}"].shape[1], output)
    np.savez(path, hidden=np.array(hidden), output=np.array(output), **params)


def load_params(path):
    """Load what save_params wrote; return (params, hidden, output). Never unpickles anything."""
    refused = (f"{path} holds pickled objects, which load_params refuses to unpickle (they could run "
               "code); save params with save_params, which writes plain arrays")
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
    names = [entries.pop(name, None) for name in ("hidden", "output")]
    if any(name is None or name.ndim != 0 or name.dtype.kind != "U" for name in names):
        raise ValueError(f"{path} does not say which activations its network uses (it has no 'hidden' "
                         "and 'output' strings, as files written by np.savez or an older save_params "
                         "do). Read its arrays with np.load, then re-save them with "
                         "save_params(path, params, hidden, output), naming the activations it was "
                         "trained with")
    hidden, output = (str(name) for name in names)
    where = f"the file {path}"
    _check_choice(hidden, f"{where}: hidden", HIDDEN, "a hidden activation")
    _check_choice(output, f"{where}: output", OUTPUT, "an output")
    n_layers = _check_params(entries, where=where)
    _check_softmax_width(entries[f"W{n_layers}"].shape[1], output)
    return entries, hidden, output


# Validation at the boundary: each check is cheap (shapes, one pass for finiteness) and says what
# it got, what it expected, and where it can, how to fix it.


def _check_names(hidden, output):
    _check_choice(hidden, "hidden", HIDDEN, "a hidden activation")
    _check_choice(output, "output", OUTPUT, "an output")


def _check_choice(value, name, table, what):
    if not isinstance(value, str) or value not in table:
        hint = ""
        if value == "linear" and "identity" in table:
            hint = " (a linear hidden layer is 'identity')"
        elif value == "identity" and "linear" in table:
            hint = " (a linear output is 'linear')"
        raise ValueError(f"{name}={value!r} is not {what}; expected one of {list(table)}{hint}")


def _check_positive(value, name, integer=False):
    ok_type = isinstance(value, (int, np.integer)) if integer else isinstance(value, (int, float, np.number))
    if isinstance(value, bool) or not ok_type or not (math.isfinite(value) and value > 0):
        kind = "a positive integer" if integer else "a positive finite number"
        raise ValueError(f"{name} must be {kind}; got {value!r}")
    return int(value) if integer else value


def _check_momentum(momentum):
    if (isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.number))
            or not 0.0 <= momentum < 1.0):
        raise ValueError(f"momentum must be a number in [0, 1), such as 0.9 (0: none); got {momentum!r}")


def _check_state(state, params, key, maker):
    size = _n_numbers(params)
    if not (isinstance(state, dict) and getattr(state.get(key), "shape", None) == (size,)):
        raise ValueError(f"state must be the dict {maker} made for params with {size} numbers "
                         "(or the state the last update returned)")


def _check_layer_sizes(layer_sizes):
    is_sequence = isinstance(layer_sizes, (list, tuple, range)) or getattr(layer_sizes, "ndim", 0) == 1
    sizes = list(layer_sizes) if is_sequence else None
    if sizes is None or len(sizes) < 2:
        raise ValueError(f"layer_sizes must be a sequence [n_in, ..., n_out] of at least two sizes; "
                         f"got {layer_sizes!r}")
    for size in sizes:
        if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)) or size < 1:
            raise ValueError(f"layer_sizes must hold positive integers; got {size!r} in {sizes}")
    return [int(size) for size in sizes]


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


def _check_X(X, params, name="X"):
    try:
        X = np.asarray(X, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be a numeric array of shape (n_samples, n_features): {error}") from None
    n_in = params["W1"].shape[0]
    if X.ndim != 2:
        hint = " (one sample: X.reshape(1, -1); one feature: X.reshape(-1, 1))" if X.ndim == 1 else ""
        raise ValueError(f"{name} must be 2-D (n_samples, n_features); got shape {X.shape}{hint}")
    if X.shape[1] != n_in or X.shape[0] == 0:
        raise ValueError(f"{name} has shape {X.shape}; params expect (n_samples >= 1, {n_in}) "
                         f"since W1 is {params['W1'].shape}")
    _check_finite(X, name)
    return X


def _check_validation(validation, params, output):
    if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
        raise ValueError(f"validation must be a pair (X_val, Y_val); got {type(validation).__name__}")
    X_val = _check_X(validation[0], params, "X_val")
    k = params[f"W{len(params) // 2}"].shape[1]
    return X_val, _check_Y(validation[1], (X_val.shape[0], k), output, "Y_val")


def _check_Y_hat(Y_hat, output):
    Y_hat = np.asarray(Y_hat, dtype=np.float64)
    if Y_hat.ndim != 2 or Y_hat.shape[0] == 0:
        raise ValueError(f"Y_hat must be 2-D (n_samples >= 1, n_outputs) as forward returns it; "
                         f"got shape {Y_hat.shape}")
    # Logits passed as probabilities would be clipped into a plausible but meaningless loss.
    if output != "linear" and not (Y_hat.min() >= 0.0 and Y_hat.max() <= 1.0):
        raise ValueError(f"Y_hat must hold probabilities in [0, 1] for output={output!r}; got values "
                         f"from {Y_hat.min():.4g} to {Y_hat.max():.4g}. Pass what forward returned "
                         f"with output={output!r}")
    if output == "softmax" and np.abs(Y_hat.sum(axis=1) - 1.0).max() > 1e-6:
        raise ValueError("Y_hat rows must sum to 1 for output='softmax'; pass what forward returned "
                         "with output='softmax'")
    return Y_hat


def _check_Y(Y, shape, output, name="Y"):
    """Targets as a float (n, k) array matching predictions of `shape`; labels become one-hot."""
    n, k = shape
    _check_softmax_width(k, output)
    Y = np.asarray(Y)
    if output == "softmax" and Y.ndim == 1:
        return _one_hot(Y, n, k, name)
    if Y.ndim == 1 and k == 1:
        Y = Y[:, None]  # a 1-D target of a single output is a column, never broadcast to (n, n)
    if Y.shape != (n, k):
        hint = {1: " (or (n,) for a single output)"}.get(k, " (or integer labels (n,))" if output == "softmax" else "")
        raise ValueError(f"{name} has shape {Y.shape}; expected {(n, k)} to match the predictions{hint}")
    try:
        if Y.dtype.kind in "US":
            raise TypeError("strings are labels, not numbers")
        Y = Y.astype(np.float64, copy=False)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric; got dtype {Y.dtype} with values like "
                         f"{Y.ravel()[:3].tolist()}" + _LABEL_HINT.get(output, "")) from None
    _check_finite(Y, name)
    if output in ("sigmoid", "softmax") and (Y.min() < 0.0 or Y.max() > 1.0):
        raise ValueError(f"{output} targets must lie in [0, 1]; got values from {Y.min():g} to {Y.max():g}"
                         + _LABEL_HINT[output])
    if output == "softmax":
        sums = Y.sum(axis=1)
        if np.abs(sums - 1.0).max() > 1e-6:
            bad = int(np.abs(sums - 1.0).argmax())
            raise ValueError(f"softmax targets must be one-hot rows that sum to 1 (or integer labels (n,)); "
                             f"row {bad} sums to {sums[bad]}")
    return Y


_LABEL_HINT = {
    "sigmoid": ". Two classes are the labels 0 and 1: map other labels first, e.g. "
               "y = (y == positive_class).astype(int)",
    "softmax": ". Pass integer labels 0..k-1 of shape (n,), or one-hot rows; "
               "np.unique(y, return_inverse=True) maps any labels to 0..k-1",
}


def _check_softmax_width(k, output):
    if output == "softmax" and k < 2:
        raise ValueError(f"a softmax over {k} output is always 1 and learns nothing; use at least 2 "
                         "outputs, or output='sigmoid' with 1 output for two classes")


def _one_hot(labels, n, k, name="Y"):
    if labels.shape[0] != n:
        raise ValueError(f"{name} has {labels.shape[0]} labels; expected {n} to match the predictions")
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
