"""One training step of nn.py beside the same step in PyTorch, timed in one run; prints the ratio.

    pip install torch==2.13.0      # CPU build; only for this benchmark, never in requirements.txt
    python bench/torch_step.py

A step is forward, mean squared error, backward and a plain gradient-descent update. nn.py's step is
the checked public functions, nn.forward, nn.backward and nn.update, with the loss of that forward
pass taken by nn._loss, from the last layer's pre-activations, which for this linear output are
Y_hat (nn.loss(params, X, Y) runs a forward pass of its own, which would time two forward passes
a step). No training and no standardising: the data are standard normal and the network fresh. Both sides run in float64 (nn.py's precision) on the same shapes; PyTorch
in float32 is shown too, and the same step with Part 1's unchecked functions (_forward, _backward,
_sgd_step), whose difference from nn.py's public step is what the checks of the inputs cost. Each figure is the
best of several repeats of many steps, taken in turn, which is the least noisy estimate on a shared
machine. A ratio below 1 means nn.py is faster.
"""

import os
import sys
import timeit

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

CASES = [  # (name, layer sizes, hidden activation, batch size)
    ("[4, 32, 16, 1] tanh, batch of 64", [4, 32, 16, 1], "tanh", 64),
    ("[3, 128, 1] relu, full batch of 800", [3, 128, 1], "relu", 800),
]
REPEATS, STEPS, LR = 7, 500, 0.01


def numpy_step(sizes, hidden, n, checked=True):
    """nn.py's step with the public, checked functions; checked=False: with Part 1's, which check
    nothing, so that the difference of the two is what the checks cost."""
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((n, sizes[0])), rng.standard_normal((n, 1))
    state = {"params": nn.init_params(sizes, hidden, "linear", seed=0)}

    def unchecked_update(params, grads, lr):
        new = dict(params)
        for key in grads:
            new[key] = params[key].copy()
            nn._sgd_step(new[key], grads[key], lr)
        return new
    forward, backward, update = ((nn.forward, nn.backward, nn.update) if checked else
                                 (nn._forward, nn._backward, unchecked_update))

    def step():
        params = state["params"]
        Y_hat, cache = forward(params, X)
        nn._loss(Y_hat, Y, "linear")  # the loss from the last layer's Z, which a linear output's Y_hat is
        state["params"] = update(params, backward(params, cache, Y), LR)
    return step


def torch_step(sizes, hidden, n, dtype):
    torch.manual_seed(0)
    layers = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(torch.nn.Linear(n_in, n_out, dtype=dtype))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Tanh() if hidden == "tanh" else torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    X, Y = torch.randn(n, sizes[0], dtype=dtype), torch.randn(n, 1, dtype=dtype)

    def step():
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(X), Y).backward()
        optimizer.step()
    return step


def main():
    print(f"numpy {np.__version__}, torch {torch.__version__} ({torch.get_num_threads()} threads)")
    for name, sizes, hidden, n in CASES:
        steps = {"nn.py float64": numpy_step(sizes, hidden, n),
                 "Part 1, unchecked": numpy_step(sizes, hidden, n, checked=False),
                 "torch float64": torch_step(sizes, hidden, n, torch.float64),
                 "torch float32": torch_step(sizes, hidden, n, torch.float32)}
        best = {label: float("inf") for label in steps}
        for _ in range(REPEATS):  # alternate the contenders so that a noisy moment hits all of them
            for label, step in steps.items():
                best[label] = min(best[label], timeit.timeit(step, number=STEPS) / STEPS)
        ours = best["nn.py float64"]
        print(f"\n{name}")
        for label, seconds in best.items():
            print(f"  {label:17} {seconds * 1e6:8.1f} us/step   nn.py / this = {ours / seconds:.2f}")
        checks = ours - best["Part 1, unchecked"]
        print(f"  the checks: {checks * 1e6:.1f} us, {checks / ours:.2f} of nn.py's step (issue 25's goal: <= 0.20)")


if __name__ == "__main__":
    main()
