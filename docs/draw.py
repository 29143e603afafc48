"""Draw the README's pictures from the code's own numbers: main.py's walkthrough and experiments.

    pip install matplotlib     # for the pictures only: nn.py, main.py and the tests do not need it
    python docs/draw.py        # from the repository root; 10 to 20 s (the experiments train)

writes, into docs/:
    graph.png          the walkthrough's [2, 2, 1] network as a graph: each sample's forward values
                       and gradients, and the weights' gradients as the sum over the samples
    loss_curves.png    the training loss per epoch of the four experiments (for the function, on
                       standardised y, as nn.train's history has it; the regression's in y's units)
    function_fit.png   the function-approximation network against the true function, along x1
    figures.json       the numbers behind the pictures, which current_numbers() recomputes, so that a
                       test can check that the committed pictures still match the code:

    from docs.draw import current_numbers, matches
    assert matches(json.load(open("docs/figures.json")), current_numbers())

current_numbers(experiments=False) recomputes the graph's numbers alone, in milliseconds;
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
    """What figures.json should hold now. experiments=False: the graph's numbers alone (instant)."""
    numbers = {"graph": graph_numbers()}
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
    sub = str.maketrans("12", "\u2081\u2082")
    label = dict(ha="center", va="center", fontsize=9, zorder=3)
    blank = dict(boxstyle="round,pad=0.06", fc="white", ec="none")  # a label hides the line under it

    def node(x, y, name, value, grad=None, off=False, w=0.8):
        """A box: name, value (black) and gradient (orange); grey when the unit is off."""
        ax.add_patch(FancyBboxPatch((x - w / 2, y - 0.36), w, 0.72, boxstyle="round,pad=0.02", lw=1.2,
                                    ec=OFF if off else INK, fc="#ebebeb" if off else "white", zorder=2))
        lines = [(name.translate(sub), OFF if off else INK, "italic"), (fmt(value), INK, "normal")]
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

    ax.text(0.15, 8.9, "Black: the forward pass\u2019s values (w: an edge\u2019s weight). Orange \u2202: the "
            "gradient \u2202L/\u2202 of that\nnode or weight, from the backward pass, which runs against the "
            "arrows, right to left.", ha="left", va="top", fontsize=10)
    for i, top in enumerate(bands):
        rows = (top, top - gap)
        off = [not on[i, j] for j in range(2)]
        head = f"Sample {i + 1}: x = ({fmt(X[i, 0])}, {fmt(X[i, 1])}), target y = {fmt(Y[i, 0])}. "
        if any(off):
            j = off.index(True)
            head += f"Hidden unit {j + 1} is off (z = {fmt(Z1[i, j])} < 0)."
        else:
            head += "Every unit is on: gradient flows along every edge."
        ax.text(0.15, top + 0.78, head, ha="left", va="center", fontsize=10, weight="bold")
        for j in range(2):
            node(cx, rows[j], f"x{j + 1}", X[i, j])
            node(cz, rows[j], f"z{j + 1}", Z1[i, j], dZ1[i, j], off=off[j])
            node(ca, rows[j], f"a{j + 1}", A1[i, j], dA1[i, j], off=off[j])
            edge((cz, rows[j]), (ca, rows[j]), "relu", f"\u00d7{fmt(on[i, j])}", dead=off[j])
            for k in range(2):  # x_k -> z_j carries W1[k, j]; the crossing edges' labels sit apart, both up
                edge((cx, rows[k]), (cz, rows[j]), f"w {fmt(W1[k, j])}", f"\u2202 {fmt(dW1s[i, k, j])}",
                     t={(0, 0): 0.5, (1, 1): 0.5, (0, 1): 0.32, (1, 0): 0.68}[k, j], dead=off[j])
            ax.text(cz, rows[j] + (0.5 if j == 0 else -0.5), f"+ b {fmt(b1[j])}", **label)
            # a_j -> y_hat carries W2[j]; the gradient reaches a_j even when a_j = 0 (then W2's share is 0)
            edge((ca, rows[j]), (cy, top - gap / 2), f"w {fmt(W2[j, 0])}", f"\u2202 {fmt(dW2s[i, j])}")
        node(cy, top - gap / 2, "\u0177", Y_hat[i, 0], dZ2[i, 0])
        ax.text(cy, top - gap / 2 + 0.5, f"+ b {fmt(b2[0])}", **label)
        edge((cy, top - gap / 2), (cl, loss_y), half=0.42)
        if any(off):
            j = off.index(True)
            ax.text((cz + ca) / 2, rows[j] - 0.68, f"relu\u2032(z) = 0 for z < 0: the {fmt(dA1[i, j])} that reaches "
                    f"a{j + 1} is multiplied by 0,\nso z{j + 1} and its weights get no gradient from this "
                    "sample.".translate(sub), ha="center", va="top", fontsize=9, color=INK)
    node(cl, loss_y, "L", g["L"], 1.0, w=0.86)
    ax.text(cl, loss_y - 0.5, "mean of the\nsamples\u2019\n(\u0177 \u2212 y)\u00b2", ha="center", va="top", fontsize=9)

    # The weights are shared by the samples: the gradient the update uses is the sum of their shares.
    ax.text(0.15, 1.78, "Both samples share the weights, so the gradient of each weight (what the walkthrough "
            "prints as\ndW1, db1, dW2, db2) is the sum of the two samples\u2019 shares drawn on the edges above:",
            ha="left", va="top", fontsize=10)
    names = [f"{a}\u2192{b}".translate(sub) for a, b in
             [("x1", "z1"), ("x1", "z2"), ("x2", "z1"), ("x2", "z2"), ("b", "z1"), ("b", "z2"),
              ("a1", "\u0177"), ("a2", "\u0177"), ("b", "\u0177")]]
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
    draw_graph(plt, numbers["graph"], os.path.join(HERE, "graph.png"))
    draw_loss_curves(plt, results, os.path.join(HERE, "loss_curves.png"))
    draw_function_fit(plt, results["function"], os.path.join(HERE, "function_fit.png"))
    for name in ("graph.png", "loss_curves.png", "function_fit.png", "figures.json"):
        print(f"docs/{name}: {os.path.getsize(os.path.join(HERE, name)) / 1000:.0f} kB")


if __name__ == "__main__":
    draw()
