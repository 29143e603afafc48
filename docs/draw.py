"""Draw the README's pictures from the code's own numbers: main.py's walkthrough and experiments.

    pip install matplotlib     # for the pictures only: nn.py, main.py and the tests do not need it
    python docs/draw.py        # from the repository root; 10 to 20 s (the experiments train)

writes, into docs/:
    neuron.png         section 2's neuron, z = w x + b and L = (z - y)^2, as a graph of its operations
                       with each node's value and gradient (micrograd's view)
    graph.png          the walkthrough's [2, 2, 1] network as a graph: each sample's forward values
                       and gradients, and the weights' gradients as the sum over the samples
    optimizers.png     gradient descent, momentum and Adam (Part 1's _sgd_step, _momentum_step,
                       _adam_step) on one long, narrow valley, 50 steps each
    loss_curves.png    the training loss per epoch of the four experiments (for the function, on
                       standardised y, as nn.train's history has it; the regression's in y's units)
    function_fit.png   the function-approximation network against the true function, along x1
    figures.json       the numbers behind the pictures, which current_numbers() recomputes, so that a
                       test can check that the committed pictures still match the code:

    from docs.draw import current_numbers, matches
    assert matches(json.load(open("docs/figures.json")), current_numbers())

current_numbers(experiments=False) recomputes the numbers of the first three alone, in milliseconds;
curve_numbers(result) and fit_numbers(result) turn one experiment's result into its part of the
JSON, for a test that has already run the experiment. Only draw() imports matplotlib.
"""

import contextlib
import io
import json
import math
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the repository root, for nn and main

import main  # noqa: E402
import nn  # noqa: E402

SAMPLES = 20  # epochs of each loss curve kept in the JSON
SLICE_STEP = 5  # every 5th point of the function slice kept in the JSON


def quietly(run, *args, **kwargs):
    """Call run with its printing thrown away."""
    with contextlib.redirect_stdout(io.StringIO()):
        return run(*args, **kwargs)


def plain(value):
    """Arrays and NumPy scalars as lists and floats, for JSON."""
    return (np.asarray(value, dtype=float) + 0.0).tolist()  # + 0.0: no -0.0


# The numbers


def graph_numbers():
    """Every value and gradient graph.png draws, taken from main.walkthrough()."""
    shown = quietly(main.walkthrough)
    numbers = {name: plain(shown[name]) for name in
               ("X", "Y", "W1", "b1", "W2", "b2", "Z1", "A1", "Y_hat", "L",
                "dZ2", "dA1", "dZ1", "dW1", "db1", "dW2", "db2")}
    numbers["relu'(Z1)"] = plain(nn.HIDDEN["relu"][1](shown["A1"]))  # nn's own derivative: 1 on, 0 off
    # Each sample's share of the weights' gradients: dW1 = X.T @ dZ1 is a sum over the rows (samples)
    # of x_i (column) times dz_i (row); likewise dW2 = A1.T @ dZ2. The graph draws each share on its
    # sample's edges; the shares add up to the dW1 and dW2 the walkthrough prints.
    numbers["dW1 per sample"] = plain(shown["X"][:, :, None] * shown["dZ1"][:, None, :])
    numbers["dW2 per sample"] = plain(shown["A1"] * shown["dZ2"])
    return numbers


def neuron_numbers():
    """Section 2's neuron as a graph of operations, each node's value and gradient dL/d(node).

    The values come from nn._forward and the gradients of w and b from nn._backward; the gradient of
    every other node is its consumer's times the local derivative, as micrograd computes it."""
    x, w, b, y = 2.0, 0.5, 0.1, 1.0
    params = {"hidden": "relu", "output": "linear", "W1": np.array([[w]]), "b1": np.array([b])}
    X, Y = np.array([[x]]), np.array([[y]])
    _, cache = nn._forward(params, X)
    grads = nn._backward(params, cache, Y)
    z = float(cache["Z1"][0, 0])
    L = nn._loss(cache["Z1"], Y, "linear")
    d_loss = 1.0  # dL/dL
    d_diff = 2 * (z - y) * d_loss  # L = e^2, e = z - y: dL/de = 2 e
    d_z, d_y = d_diff, -d_diff  # e = z - y
    d_wx, d_b = d_z, d_z  # z = wx + b: the sum passes its gradient to both terms
    d_w, d_x = x * d_wx, w * d_wx  # wx = w * x: each factor gets the other times the gradient
    assert math.isclose(d_w, grads["W1"][0, 0]) and math.isclose(d_b, grads["b1"][0])  # nn agrees
    return {"value": {"x": x, "w": w, "b": b, "y": y, "wx": w * x, "z": z, "e": z - y, "L": L},
            "grad": {"x": d_x, "w": d_w, "b": d_b, "y": d_y, "wx": d_wx, "z": d_z, "e": d_diff, "L": d_loss}}


VALLEY = np.array([1.0, 50.0])  # L = (1 along^2 + 50 across^2) / 2: a valley 50 times steeper across
START, STEPS = [-4.0, 1.0], 50
OPTIMIZERS = {  # name: (lr, momentum); README.md's section 10 says why these
    "gradient descent": (0.035, 0.0),
    "momentum 0.9": (0.005, 0.9),
    "Adam": (0.1, None),
}


def optimizer_numbers():
    """Each update rule of Part 1, STEPS steps from START on the valley: its path and final loss."""
    numbers = {"valley": plain(VALLEY), "start": START, "steps": STEPS}
    for name, (lr, momentum) in OPTIMIZERS.items():
        theta, m, v = np.array(START), np.zeros(2), np.zeros(2)
        path = [theta.copy()]
        for t in range(1, STEPS + 1):
            dtheta = VALLEY * theta  # the gradient of L
            if momentum is None:
                nn._adam_step(theta, dtheta, m, v, t, lr)
            elif momentum:
                nn._momentum_step(theta, dtheta, m, lr, momentum)
            else:
                nn._sgd_step(theta, dtheta, lr)
            path.append(theta.copy())
        numbers[name] = {"lr": lr, "momentum": momentum, "path": plain(path),
                         "loss": float((VALLEY * theta * theta).sum() / 2)}
    return numbers


def network(params):
    """'[3, 128, 1] relu, linear output', read off a network's own weights."""
    depth = sum(key.startswith("W") for key in params)
    sizes = [params["W1"].shape[0]] + [params[f"W{l}"].shape[1] for l in range(1, depth + 1)]
    return f"{sizes} {params['hidden']}, {params['output']} output"


def curve_numbers(result):
    """One experiment's loss curve for the JSON: the loss at SAMPLES evenly spaced epochs, and the last."""
    history = result["loss_history"]
    epochs = sorted({int(e) for e in np.linspace(1, len(history), SAMPLES).round()})  # epochs count from 1
    return {"network": network(result["params"]), "n_epochs": len(history), "epochs": epochs,
            "loss": [float(history[e - 1]) for e in epochs], "final": float(history[-1])}


def fit_numbers(result):
    """The function experiment's slice for the JSON: every SLICE_STEP-th point, and the test MSE."""
    picked = {key: plain(np.ravel(values)[::SLICE_STEP]) for key, values in result["slice"].items()}
    return {"test_mse": float(result["test_mse"]), "step": SLICE_STEP, **picked}


def run_experiments():
    """main.py's four experiments, without scikit-learn's side (about 15 s)."""
    return {name: quietly(run, compare=False) for name, run in main.EXPERIMENTS.items()}


def current_numbers(experiments=True, results=None):
    """What figures.json should hold now. experiments=False: the graphs' and the optimizers' alone (instant)."""
    numbers = {"neuron": neuron_numbers(), "graph": graph_numbers(), "optimizers": optimizer_numbers()}
    if experiments:
        results = results or run_experiments()
        numbers["loss_curves"] = {name: curve_numbers(r) for name, r in results.items()}
        numbers["function_fit"] = fit_numbers(results["function"])
    return numbers


def matches(saved, current, rel=1e-6, path="figures"):
    """True if two nestings of dicts, lists, strings and numbers agree, the numbers to a relative rel
    (and 1e-12 absolute, for the zeros); else AssertionError, naming the first place they differ."""
    if isinstance(saved, dict) and isinstance(current, dict):
        assert saved.keys() == current.keys(), f"{path}: keys {sorted(saved)} != {sorted(current)}"
        return all(matches(saved[k], current[k], rel, f"{path}[{k!r}]") for k in saved)
    if isinstance(saved, list) and isinstance(current, list):
        assert len(saved) == len(current), f"{path}: length {len(saved)} != {len(current)}"
        return all(matches(a, b, rel, f"{path}[{i}]") for i, (a, b) in enumerate(zip(saved, current)))
    if isinstance(saved, (int, float)) and isinstance(current, (int, float)):
        assert math.isclose(saved, current, rel_tol=rel, abs_tol=1e-12), f"{path}: {saved} != {current}"
        return True
    assert saved == current, f"{path}: {saved!r} != {current!r}"
    return True


# The pictures

INK, GRAD, OFF = "black", "#D55E00", "#9a9a9a"  # values, gradients (vermilion), a unit that is off


def fmt(value):
    """A number as the walkthrough prints it (6 significant digits, no -0), with a true minus sign."""
    return f"{value + 0.0:.6g}".replace("-", "\u2212")


def draw_graph(plt, g, path):
    """graph.png: one band per sample, the loss they share on the right, the weights' gradients below."""
    from matplotlib.patches import FancyBboxPatch

    fig = plt.figure(figsize=(8, 9), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1], xlim=(0, 8), ylim=(0, 9))  # one data unit = one inch
    ax.axis("off")
    one, two = "\u2081", "\u2082"  # the layer, as a subscript (README.md, section 1); [sample, unit] after it
    label = dict(ha="center", va="center", fontsize=9, zorder=3)
    blank = dict(boxstyle="round,pad=0.06", fc="white", ec="none")  # a label hides the line under it

    def node(x, y, name, value, grad=None, off=False, w=0.8):
        """A box: name, value (black) and gradient (orange); grey when the unit is off."""
        ax.add_patch(FancyBboxPatch((x - w / 2, y - 0.36), w, 0.72, boxstyle="round,pad=0.02", lw=1.2,
                                    ec=OFF if off else INK, fc="#ebebeb" if off else "white", zorder=2))
        lines = [(name, OFF if off else INK, "italic"), (fmt(value), INK, "normal")]
        if grad is not None:
            lines.append(("\u2202 " + fmt(grad), GRAD, "normal"))
        for n, (text, colour, style) in enumerate(lines):
            ax.text(x, y + 0.21 * ((len(lines) - 1) / 2 - n), text, color=colour, style=style,
                    **{**label, "fontsize": 10})

    def edge(a, b, value=None, grad=None, t=0.5, dead=False, half=0.41):
        """An arrow from box a to box b, labelled at t with the weight (black) and its gradient (orange)."""
        (x0, y0), (x1, y1) = a, b
        slope = (y1 - y0) / (x1 - x0)
        ax.annotate("", (x1 - half, y1 - slope * half), (x0 + half, y0 + slope * half), zorder=1,
                    arrowprops=dict(arrowstyle="-|>", color=OFF if dead else "#444444", lw=1.0,
                                    ls="--" if dead else "-", shrinkA=0, shrinkB=0))
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        if value is not None:
            ax.text(x, y + 0.095, value, color=INK, bbox=blank, **label)
        if grad is not None:
            ax.text(x, y - 0.095, grad, color=OFF if dead else GRAD, bbox=blank, **label)

    X, Y, W1, b1, W2, b2 = (np.array(g[k]) for k in ("X", "Y", "W1", "b1", "W2", "b2"))
    Z1, A1, Y_hat, dZ1, dA1, dZ2 = (np.array(g[k]) for k in ("Z1", "A1", "Y_hat", "dZ1", "dA1", "dZ2"))
    on, dW1s, dW2s = np.array(g["relu'(Z1)"]), np.array(g["dW1 per sample"]), np.array(g["dW2 per sample"])
    cx, cz, ca, cy, cl = 0.55, 2.75, 4.45, 6.15, 7.45  # columns: inputs, sums, relu, output, loss
    gap = 1.45  # from hidden unit 1 down to hidden unit 2
    bands = (7.55, 4.5)  # y of hidden unit 1 in sample 1's band and in sample 2's
    loss_y = (bands[0] + bands[1] - gap) / 2

    ax.text(0.15, 8.92, "Black: the forward pass\u2019s values (on an edge, its weight). Orange \u2202: dL/d(that node "
            "or weight), from\nthe backward pass, right to left. Z\u2081[i,j] is sample i\u2019s entry at unit j of "
            "layer 1 (README.md, section 1).", ha="left", va="top", fontsize=9.5)
    for i, top in enumerate(bands):
        rows = (top, top - gap)
        off = [not on[i, j] for j in range(2)]
        head = f"Sample {i + 1}: x^({i + 1}) = ({fmt(X[i, 0])}, {fmt(X[i, 1])}), target y^({i + 1}) = {fmt(Y[i, 0])}. "
        if any(off):
            j = off.index(True)
            head += f"Hidden unit {j + 1} is off (Z{one}[{i + 1},{j + 1}] = {fmt(Z1[i, j])} < 0)."
        else:
            head += "Every unit is on: gradient flows along every edge."
        ax.text(0.15, top + 0.78, head, ha="left", va="center", fontsize=10, weight="bold")
        for j in range(2):
            at = f"[{i + 1},{j + 1}]"
            node(cx, rows[j], "X" + at, X[i, j])
            node(cz, rows[j], f"Z{one}" + at, Z1[i, j], dZ1[i, j], off=off[j])
            node(ca, rows[j], f"A{one}" + at, A1[i, j], dA1[i, j], off=off[j])
            edge((cz, rows[j]), (ca, rows[j]), "relu", f"\u00d7{fmt(on[i, j])}", dead=off[j])
            for k in range(2):  # x_k -> z_j carries W1[k, j]; the crossing edges' labels sit apart, both up
                edge((cx, rows[k]), (cz, rows[j]), fmt(W1[k, j]), f"\u2202 {fmt(dW1s[i, k, j])}",
                     t={(0, 0): 0.5, (1, 1): 0.5, (0, 1): 0.32, (1, 0): 0.68}[k, j], dead=off[j])
            ax.text(cz, rows[j] + (0.5 if j == 0 else -0.5), f"+ b{one}[{j + 1}] {fmt(b1[j])}", **label)
            # a_j -> y_hat carries W2[j]; the gradient reaches a_j even when a_j = 0 (then W2's share is 0)
            edge((ca, rows[j]), (cy, top - gap / 2), fmt(W2[j, 0]), f"\u2202 {fmt(dW2s[i, j])}")
        node(cy, top - gap / 2, f"Y_hat[{i + 1},1]", Y_hat[i, 0], dZ2[i, 0], w=0.9)
        ax.text(cy, top - gap / 2 + 0.5, f"+ b{two}[1] {fmt(b2[0])}", **label)
        edge((cy, top - gap / 2), (cl, loss_y), half=0.42)
        if any(off):
            j = off.index(True)
            ax.text((cz + ca) / 2, rows[j] - 0.68, f"relu\u2032(z) = 0 for z < 0: the {fmt(dA1[i, j])} that reaches "
                    f"A{one}[{i + 1},{j + 1}] is multiplied by 0,\nso Z{one}[{i + 1},{j + 1}] and the weights "
                    "into it get no gradient from this sample.", ha="center", va="top", fontsize=9, color=INK)
    node(cl, loss_y, "L", g["L"], 1.0, w=0.86)
    ax.text(cl, loss_y - 0.5, "mean of the\nsamples\u2019\n(Y_hat \u2212 Y)\u00b2", ha="center", va="top", fontsize=9)

    # The weights are shared by the samples: the gradient the update uses is the sum of their shares.
    ax.text(0.15, 1.78, "Both samples share the weights, so the gradient of each weight (what the walkthrough "
            "prints as\ndW1, db1, dW2, db2) is the sum of the two samples\u2019 shares drawn on the edges above:",
            ha="left", va="top", fontsize=10)
    names = [f"W{one}[1,1]", f"W{one}[1,2]", f"W{one}[2,1]", f"W{one}[2,2]", f"b{one}[1]", f"b{one}[2]",
             f"W{two}[1,1]", f"W{two}[2,1]", f"b{two}[1]"]
    value = [*W1.ravel(), *b1, *W2.ravel(), *b2]
    shares = [[*dW1s[i].ravel(), *dZ1[i], *dW2s[i], *dZ2[i]] for i in range(2)]  # a bias's share is its dz
    total = [*np.ravel(g["dW1"]), *g["db1"], *np.ravel(g["dW2"]), *g["db2"]]
    table = [("weight", names, INK), ("value", value, INK), ("\u2202 sample 1", shares[0], GRAD),
             ("\u2202 sample 2", shares[1], GRAD), ("\u2202 sum", total, GRAD)]
    for r, (name, cells, colour) in enumerate(table):
        y = 1.1 - 0.2 * r
        bold = "bold" if r == len(table) - 1 else "normal"
        ax.text(0.15, y, name, ha="left", va="center", fontsize=9, weight=bold)
        for c, cell in enumerate(cells):
            ax.text(1.3 + 0.74 * c, y, cell if isinstance(cell, str) else fmt(cell), color=colour,
                    **{**label, "weight": bold})
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def draw_neuron(plt, g, path):
    """neuron.png: section 2's neuron as micrograd draws an expression, one box per value, one circle per
    operation, each box with its value (black) and its gradient dL/d(box) (orange)."""
    from matplotlib.patches import Circle, FancyBboxPatch

    fig = plt.figure(figsize=(9, 3.1), dpi=100)
    ax = fig.add_axes([0, 0, 1, 1], xlim=(0, 9), ylim=(0, 3.1))
    ax.axis("off")
    value, grad = g["value"], g["grad"]
    boxes = {"x": (0.55, 2.15), "w": (0.55, 1.05), "wx": (2.45, 1.6), "b": (2.45, 0.45), "z": (4.35, 1.6),
             "y": (4.35, 0.45), "e": (6.25, 1.6), "L": (8.3, 1.6)}
    names = {"wx": "w x", "e": "z \u2212 y"}
    ops = {"*": (1.5, 1.6), "+": (3.4, 1.6), "\u2212": (5.3, 1.6), "( )\u00b2": (7.25, 1.6)}
    wires = [("x", "*"), ("w", "*"), ("*", "wx"), ("wx", "+"), ("b", "+"), ("+", "z"), ("z", "\u2212"),
             ("y", "\u2212"), ("\u2212", "e"), ("e", "( )\u00b2"), ("( )\u00b2", "L")]
    where = {**boxes, **ops}
    for a, b in wires:
        (x0, y0), (x1, y1) = where[a], where[b]
        ax.annotate("", (x1, y1), (x0, y0), zorder=1, arrowprops=dict(
            arrowstyle="-|>", color="#444444", lw=1.0, shrinkA=34 if a in boxes else 12,
            shrinkB=12 if b in ops else 34))
    for name, (x, y) in ops.items():
        ax.add_patch(Circle((x, y), 0.2, fc="#f3f3f3", ec=INK, lw=1.0, zorder=2))
        ax.text(x, y, name, ha="center", va="center", fontsize=10 if len(name) == 1 else 8, zorder=3)
    for name, (x, y) in boxes.items():
        ax.add_patch(FancyBboxPatch((x - 0.42, y - 0.36), 0.84, 0.72, boxstyle="round,pad=0.02", lw=1.2,
                                    ec=INK, fc="white", zorder=2))
        for n, (text, colour, style) in enumerate([(names.get(name, name), INK, "italic"),
                                                   ("data " + fmt(value[name]), INK, "normal"),
                                                   ("grad " + fmt(grad[name]), GRAD, "normal")]):
            ax.text(x, y + 0.21 * (1 - n), text, color=colour, style=style, ha="center", va="center",
                    fontsize=9.5, zorder=3)
    ax.text(0.15, 3.0, "data: the forward pass, left to right.  grad: dL/d(box), the backward pass, right to "
            "left: each box's grad is\nthe grad of the box it feeds times that operation's local "
            "derivative (a sum's is 1; a product's is the other factor).",
            ha="left", va="top", fontsize=9.5)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def draw_optimizers(plt, o, path):
    """optimizers.png: the three update rules' paths over the contours of the valley's loss."""
    valley = np.array(o["valley"])
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100, layout="constrained")
    a, c = np.meshgrid(np.linspace(-4.4, 1.2, 300), np.linspace(-1.25, 1.25, 200))
    ax.contour(a, c, (valley[0] * a * a + valley[1] * c * c) / 2, levels=[0.1, 0.5, 2, 5, 10, 20, 35],
               colors="#cccccc", linewidths=0.8)
    colours = {"gradient descent": "#0072B2", "momentum 0.9": "#009E73", "Adam": GRAD}
    for name, colour in colours.items():
        run = o[name]
        steps = np.array(run["path"])
        setting = f"lr {run['lr']:g}" + (f", momentum {run['momentum']:g}" if run["momentum"] else "")
        ax.plot(steps[:, 0], steps[:, 1], "o-", color=colour, ms=2.5, lw=1.1,
                label=f"{name} ({setting}): L after {o['steps']} steps {run['loss']:.2g}")
    ax.plot(*o["start"], "ks", ms=5)
    ax.plot(0, 0, "k*", ms=9)
    ax.set_xlabel("along the valley (its gradient: 1 \u00d7 along)", fontsize=9)
    ax.set_ylabel("across (gradient: 50 \u00d7 across)", fontsize=9)
    ax.set_title(f"L = (along\u00b2 + 50 across\u00b2) / 2, from the square to the star, {o['steps']} steps each",
                 fontsize=10)
    ax.legend(fontsize=8.5, loc="upper right", frameon=True)
    ax.tick_params(labelsize=8)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def draw_loss_curves(plt, results, path):
    """loss_curves.png: one panel per experiment, loss on a log scale against the epoch."""
    fig, axes = plt.subplots(2, 2, figsize=(8, 5.6), dpi=100, layout="constrained")
    for ax, (name, r) in zip(axes.ravel(), results.items()):
        history = r["loss_history"]
        ax.semilogy(np.arange(1, len(history) + 1), history, color="#0072B2", lw=1.5)
        ax.set_title(f"{name}: {network(r['params'])}", fontsize=10)
        ax.set_xlabel("epoch", fontsize=9)
        # nn.train's history of a linear output is on standardised y (1 is what predicting the mean
        # scores) unless the standardising was switched off, as the regression's is, to match its write-up
        label = {"linear": "MSE, standardised y" if "y_mean" in r["params"] else "MSE, y's units"}
        ax.set_ylabel(f"training loss ({label.get(r['params']['output'], 'cross-entropy')})", fontsize=9)
        ax.tick_params(labelsize=8)
        ax.set_xlim(0, len(history))
        ax.grid(True, which="major", color="#dddddd", lw=0.6)
        ax.text(0.97, 0.94, f"last epoch: {history[-1]:.3g}", transform=ax.transAxes, ha="right", va="top",
                fontsize=9)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def draw_function_fit(plt, result, path):
    """function_fit.png: the true curve and the prediction along x1, and their difference below."""
    s = result["slice"]
    x1, truth, prediction = (np.ravel(s[k]) for k in ("x1", "truth", "prediction"))
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 4.6), dpi=100, sharex=True, layout="constrained",
                                      gridspec_kw={"height_ratios": [3, 1.2]})
    top.plot(x1, truth, color=INK, lw=3, label="true function")
    top.plot(x1, prediction, color="#56B4E9", lw=1.6, ls="--", label=f"network {network(result['params'])}")
    top.set_title(r"$y = \sin(3x_1) + x_2^2\cos(3x_3) + x_4^3$ along $x_1$, with $x_2 = x_3 = x_4 = 0.5$;"
                  f"  test MSE {result['test_mse']:.3g}", fontsize=10)
    top.set_ylabel("y", fontsize=9)
    top.legend(fontsize=9, frameon=False)
    bottom.axhline(0, color="#bbbbbb", lw=0.8)
    bottom.plot(x1, prediction - truth, color=GRAD, lw=1.4)
    bottom.set_ylabel("network \u2212 true", fontsize=9)
    bottom.set_xlabel("$x_1$", fontsize=10)
    for ax in (top, bottom):
        ax.tick_params(labelsize=8)
        ax.grid(True, color="#eeeeee", lw=0.6)
    bottom.set_xlim(-1, 1)
    fig.savefig(path, dpi=100, metadata={"Software": None})
    plt.close(fig)


def draw():
    """Run everything, write the JSON and draw the three pictures."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = run_experiments()
    numbers = current_numbers(results=results)
    with open(os.path.join(HERE, "figures.json"), "w") as f:  # one line per array, for readable diffs
        f.write("{\n" + ",\n".join(f" {json.dumps(part)}: {{\n" + ",\n".join(
            f"  {json.dumps(key)}: {json.dumps(value)}" for key, value in numbers[part].items()) + "\n }"
            for part in numbers) + "\n}\n")
    draw_neuron(plt, numbers["neuron"], os.path.join(HERE, "neuron.png"))
    draw_graph(plt, numbers["graph"], os.path.join(HERE, "graph.png"))
    draw_optimizers(plt, numbers["optimizers"], os.path.join(HERE, "optimizers.png"))
    draw_loss_curves(plt, results, os.path.join(HERE, "loss_curves.png"))
    draw_function_fit(plt, results["function"], os.path.join(HERE, "function_fit.png"))
    for name in ("neuron.png", "graph.png", "optimizers.png", "loss_curves.png", "function_fit.png",
                 "figures.json"):
        print(f"docs/{name}: {os.path.getsize(os.path.join(HERE, name)) / 1000:.0f} kB")


if __name__ == "__main__":
    draw()
