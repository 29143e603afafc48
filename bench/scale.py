"""One epoch of MNIST-sized training: nn.train beside PyTorch, scikit-learn and the matrix products alone.

    python bench/scale.py                  # the three workloads below (about 12 minutes on 2 cores)
    python bench/scale.py --quick          # a tenth of the samples, fewer repeats: a quick look
    python bench/scale.py --workloads 1,2  # choose workloads; also --repeats N, --no-memory, --memory-only
    python bench/scale.py --threads 2      # nn.train(..., threads=2); default: nn.train's own (1)
    python bench/scale.py --blas 1         # nn.train and the floor inside nn._blas_threads(1) (issue 25)
    python bench/scale.py --busy           # with one other CPU-bound process running (started here)
    python bench/scale.py --torch-threads 1  # PyTorch on 1 thread, matched with --blas 1
    python bench/scale.py --epochs 5       # every contender trains 5 epochs: nn.train's fixed cost per call
                                           # (statistics, checks, digests) is then a fifth as large per epoch
    pip install torch==2.13.0 scikit-learn # optional contenders; each is skipped, with a message, if missing

The data has MNIST's shape and nothing of its content: X standard normal (n, 784), labels 0..9
drawn uniformly. Every contender runs one epoch of the same training: shuffle the samples, and for
each batch of 128 gather its rows, forward through ReLU hidden layers to a softmax, cross-entropy,
backward, one Adam step (lr 1e-3, betas 0.9 and 0.999, eps 1e-8, no weight penalty).

  nn.train float64 / float32   nn.train(params, X, y, epochs=1, lr=1e-3, batch_size=128, l2=0.0, ...)
                               on params made by init_params(..., dtype=...) and X of that dtype;
                               the time includes train's checks of its inputs, as a user sees it.
                               threads=--threads is passed only to an nn.train that has the setting
                               (issue 21); the report names how many threads it used, which is
                               --threads if given, else nn.train's default.
  PyTorch float64 / float32    a plain loop: torch.randperm per epoch, X[index] per batch,
                               nn.Sequential of Linear + ReLU, F.cross_entropy, torch.optim.Adam;
                               torch.set_num_threads(the machine's cores, or --torch-threads).
  scikit-learn                 MLPClassifier(solver="adam", batch_size=128, max_iter=1, alpha=0)
                               on float64 X (its ConvergenceWarning after one epoch is silenced).
  products alone               the floor: only the epoch's matrix products, per batch and layer
                               A_{l-1} @ W_l, A_{l-1}.T @ dZ_l and (except the first layer)
                               dZ_l @ W_l.T, written into preallocated arrays with np.matmul(out=).
                               Everything else a training step does costs time above it.

BLAS threads: --blas N runs nn.train and the products inside nn._blas_threads(N), the context
that train enters from issue 25 on (so that an nn.py whose train does not yet enter it is measured as
it will run); PyTorch keeps its own setting. --busy starts one CPU-bound process (a Python loop that
stops by itself within the hour) before timing and stops it after, as a learner's laptop runs a
browser beside training; bench/busy.py sets 1 and 2 threads side by side, quiet and busy.

Timing: the contenders take turns (one run each, then again), and each figure is the best of
several repeats, the least noisy estimate on a shared machine; ratios come from the same run.

Memory: each contender trains once more in a fresh subprocess that makes the data, then resets
the kernel's peak-RSS counter (/proc/self/clear_refs) and reads the peak after training (VmHWM):
what training added above the data and the network it started from. A warm-up of a network with
one hidden unit on two batches comes first, so that the library's code paged in on first use is not
counted as training's. Beside it is what the work needs at least: the gradient, Adam's two moments
and one batch's activations.

The goals of issue 14: nn.train float32 within 1.5x of the float32 products floor on the two larger
workloads and faster than PyTorch float32 on all three; float64 within 1.5x of its own floor.
"""

import argparse
import inspect
import json
import os
import platform
import subprocess
import sys
import time
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

WORKLOADS = {  # number: (samples, layer sizes)
    1: (10_000, [784, 128, 10]),
    2: (60_000, [784, 256, 128, 10]),
    3: (60_000, [784, 1024, 1024, 10]),
}
BATCH, LR, SEED = 128, 1e-3, 0
EPOCHS = {"n": 1}  # --epochs: epochs per timed run, for every contender
QUICK_FRACTION = 10  # --quick trains on n / 10 samples
CONTENDERS = ["nn.train f64", "nn.train f32", "PyTorch f64", "PyTorch f32", "scikit-learn f64",
              "products f64", "products f32"]
MEMORY_CONTENDERS = CONTENDERS[:5]  # the products' arrays are what they are: nothing to measure
GOAL_FLOOR, GOAL_TORCH = 1.5, 1.0
NN_OPTIONS = {}  # more keywords for nn.train: {"threads": --threads} when nn.train has the setting
BLAS = {"threads": None, "torch": None}  # --blas and --torch-threads (None: as they are, and the cores)
SPIN = "import time\nend = time.time() + 3600\nwhile time.time() < end:\n    pass\n"  # --busy's process


def blas_limit():
    """The context that --blas asks for around nn.train and the products; none without it."""
    import contextlib
    return contextlib.nullcontext() if BLAS["threads"] is None else nn._blas_threads(BLAS["threads"])


def has_threads():
    """Whether this nn.py's train takes threads= (issue 21); older ones do not."""
    return "threads" in inspect.signature(nn.train).parameters


def threads_line(threads):
    """How many threads nn.train uses for the optimizer's passes, worked out as nn.train does."""
    if not has_threads():
        return "threads: n/a (this nn.py has no threads setting)"
    if threads is not None:
        return f"threads: {threads} (--threads {threads})"
    default = inspect.signature(nn.train).parameters["threads"].default
    return f"threads: {default} (nn.train's default)"


def have(module):
    try:
        __import__(module)
        return True
    except ImportError:
        return False


def make_data(n, n_in, dtype):
    """X standard normal (n, n_in) of dtype, and integer labels 0..9, the same for every dtype."""
    rng = np.random.default_rng(SEED)
    X = rng.standard_normal((n, n_in)).astype(dtype)  # drawn in float64, so both dtypes see one X
    y = rng.integers(0, 10, size=n)
    return X, y


# Each contender is a function (sizes, X, y) -> run: it builds the network (or the products' arrays)
# outside the timed part; run() trains one epoch from scratch state and is what gets timed.


def nn_contender(sizes, X, y):
    params = nn.init_params(sizes, "relu", "softmax", seed=SEED, dtype=X.dtype)

    def run():
        with blas_limit():
            nn.train(params, X, y, epochs=EPOCHS["n"], lr=LR, batch_size=BATCH, optimizer="adam", l2=0.0,
                     seed=SEED, log_every=None, **NN_OPTIONS)
    return run


def torch_contender(sizes, X, y):
    import torch
    torch.manual_seed(SEED)
    dtype = torch.float64 if X.dtype == np.float64 else torch.float32
    layers = []
    for l in range(1, len(sizes)):
        layers.append(torch.nn.Linear(sizes[l - 1], sizes[l], dtype=dtype))
        if l < len(sizes) - 1:
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)  # share NumPy's memory: no copy
    n = X.shape[0]
    generator = torch.Generator().manual_seed(SEED)

    def run():
        optimizer = torch.optim.Adam(model.parameters(), lr=LR)  # fresh moments, as nn.train starts
        for _ in range(EPOCHS["n"]):
            order = torch.randperm(n, generator=generator)
            total = 0.0
            for start in range(0, n, BATCH):
                rows = order[start:start + BATCH]
                optimizer.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(X_t[rows]), y_t[rows])
                loss.backward()
                optimizer.step()
                total += loss.item() * rows.shape[0]  # the epoch's mean loss, as nn.train keeps it
    return run


def sklearn_contender(sizes, X, y):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    def run():
        model = MLPClassifier(hidden_layer_sizes=tuple(sizes[1:-1]), activation="relu", solver="adam",
                              alpha=0.0, batch_size=BATCH, learning_rate_init=LR, max_iter=EPOCHS["n"],
                              shuffle=True, random_state=SEED, tol=0.0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)  # one epoch is what we asked for
            model.fit(X, y)
    return run


def products_contender(sizes, X, y):
    """The epoch's matrix products alone, into arrays made once: the floor for any NumPy loop."""
    n, D, dtype = X.shape[0], len(sizes) - 1, X.dtype
    rng = np.random.default_rng(SEED)
    W = [None] + [rng.standard_normal((sizes[l - 1], sizes[l])).astype(dtype) for l in range(1, D + 1)]
    A = [rng.standard_normal((BATCH, size)).astype(dtype) for size in sizes]  # A_0 = the batch, ..., A_D
    Z = [None] + [np.empty((BATCH, sizes[l]), dtype) for l in range(1, D + 1)]
    dZ = [None] + [rng.standard_normal((BATCH, sizes[l])).astype(dtype) for l in range(1, D + 1)]
    dW = [None] + [np.empty_like(W[l]) for l in range(1, D + 1)]
    dA = [np.empty((BATCH, size), dtype) for size in sizes]

    def run():
        with blas_limit():
            for start in [start for _ in range(EPOCHS["n"]) for start in range(0, n, BATCH)]:
                m = min(BATCH, n - start)  # the last batch may be smaller; row slices stay contiguous
                for l in range(1, D + 1):
                    np.matmul(A[l - 1][:m], W[l], out=Z[l][:m])  # Z_l = A_{l-1} W_l
                for l in range(D, 0, -1):
                    np.matmul(A[l - 1][:m].T, dZ[l][:m], out=dW[l])  # dW_l = A_{l-1}^T dZ_l
                    if l > 1:
                        np.matmul(dZ[l][:m], W[l].T, out=dA[l - 1][:m])  # dA_{l-1} = dZ_l W_l^T
    return run


MAKERS = {"nn.train": nn_contender, "PyTorch": torch_contender, "scikit-learn": sklearn_contender,
          "products": products_contender}


def maker(label):
    """'nn.train f32' -> (nn_contender, np.float32)."""
    name, dtype = label.rsplit(" ", 1)
    return MAKERS[name], {"f64": np.float64, "f32": np.float32}[dtype]


def available(label):
    if label.startswith("PyTorch"):
        return have("torch")
    if label.startswith("scikit-learn"):
        return have("sklearn")
    return True


# Memory


def status_kib(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def child(label, n, sizes):
    """In a fresh process: make the data and the contender, then train once; print what it added."""
    make, dtype = maker(label)
    X, y = make_data(n, sizes[0], dtype)
    # A warm-up on a tiny network of one hidden unit pages in the library's code. Tiny, so that the
    # memory it frees and the allocator keeps cannot stand in for the real run's own.
    make([sizes[0], 1, sizes[-1]], X[:2 * BATCH], y[:2 * BATCH])()
    run = make(sizes, X, y)
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset VmHWM to the current RSS: the peak from here on is training's
        before, how = status_kib("VmRSS"), "VmHWM"
    except OSError:  # no reset: the peak so far includes making the data; getrusage says the same
        import resource
        before, how = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "ru_maxrss"
    run()
    if how == "VmHWM":
        peak = status_kib("VmHWM")
    else:
        import resource
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"added_mib": (peak - before) / 1024, "how": how}))


def measure_memory(label, n, sizes):
    command = [sys.executable, os.path.abspath(__file__), "--child", label, "--n", str(n),
               "--sizes", ",".join(map(str, sizes))]
    if NN_OPTIONS.get("threads") is not None:
        command += ["--threads", str(NN_OPTIONS["threads"])]
    if BLAS["threads"] is not None:
        command += ["--blas", str(BLAS["threads"])]
    if BLAS["torch"] is not None:
        command += ["--torch-threads", str(BLAS["torch"])]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        return None, done.stderr.strip().splitlines()[-1:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["added_mib"], result["how"]


def needs_mib(n, sizes, itemsize):
    """What the work needs, in MiB: the data, the params, and what training adds at the least."""
    P = sum(sizes[l - 1] * sizes[l] + sizes[l] for l in range(1, len(sizes)))
    mib = 1 / 2**20
    data = (n * sizes[0] * itemsize + n * 8) * mib  # X and int64 labels
    params = P * itemsize * mib
    adam = 2 * P * itemsize * mib  # m and v
    grads = P * itemsize * mib
    activations = BATCH * sum(sizes) * itemsize * mib  # A_0 (the batch) .. A_D for one batch
    return {"data": data, "params": params, "adam": adam, "grads": grads, "activations": activations,
            "adds": adam + grads + activations}


# The run


def describe_machine(threads):
    lines = [f"python {platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, "
             f"load average {os.getloadavg()[0]:.2f} (above 0 means others share the cores)",
             "nn.train " + threads_line(threads)]
    blas = [f"{key}={os.environ[key]}" for key in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                                                  "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
            if key in os.environ]
    lines.append("environment: " + (", ".join(blas) if blas else "no OPENBLAS_*/OMP_* variables set"))
    try:
        from threadpoolctl import threadpool_info
        for pool in threadpool_info():
            lines.append(f"threadpoolctl: {pool.get('internal_api')} {pool.get('version')} "
                         f"{pool.get('architecture', '')} {pool.get('num_threads')} threads "
                         f"({os.path.basename(pool.get('filepath', ''))})")
    except ImportError:
        lines.append("threadpoolctl: not installed")
    if have("torch"):
        import torch
        torch.set_num_threads(BLAS["torch"] or os.cpu_count())
        lines.append(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    else:
        lines.append("PyTorch: not installed, its columns are skipped (pip install torch==2.13.0)")
    if have("sklearn"):
        import sklearn
        lines.append(f"scikit-learn {sklearn.__version__}")
    else:
        lines.append("scikit-learn: not installed, its column is skipped (pip install scikit-learn)")
    return lines


def time_workload(number, n, sizes, repeats):
    labels = [label for label in CONTENDERS if available(label)]
    data = {dtype: make_data(n, sizes[0], dtype) for dtype in (np.float64, np.float32)}
    runs = {}
    for label in labels:
        make, dtype = maker(label)
        runs[label] = make(sizes, *data[dtype])
    best = {label: float("inf") for label in labels}
    for repeat in range(repeats):  # take turns, so that a noisy moment hits every contender alike
        took = {}
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            took[label] = time.perf_counter() - start
            best[label] = min(best[label], took[label])
        print(f"  workload {number}, run {repeat + 1}/{repeats}, seconds: "
              + ", ".join(f"{label} {took[label]:.3g}" for label in labels), flush=True)
    return best


def fmt(value, digits=3):
    return "-" if value is None else f"{value:.{digits}g}"


def table(header, rows):
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    lines = ["| " + " | ".join(str(h).ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    lines += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    return "\n".join(lines)


def name_of(n, sizes):
    return f"{n:,} x {sizes}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the samples, fewer repeats")
    parser.add_argument("--workloads", default="1,2,3", help="which workloads, e.g. 1,2")
    parser.add_argument("--repeats", type=int, default=None, help="timed runs per contender (best taken)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory subprocesses")
    parser.add_argument("--memory-only", action="store_true", help="only the peak-memory table")
    parser.add_argument("--threads", type=int, default=None,
                        help="threads= for nn.train (default: nn.train's own)")
    parser.add_argument("--blas", type=int, default=None,
                        help="BLAS threads for nn.train and the products, set with nn._blas_threads")
    parser.add_argument("--busy", action="store_true", help="time with one other CPU-bound process running")
    parser.add_argument("--torch-threads", type=int, default=None, help="torch.set_num_threads (default: cores)")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per timed run, for every contender")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # internal: one memory measurement
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore", nn.ScaleWarning)  # random labels: "learned nothing" is right
    if args.threads is not None and args.threads < 1:
        parser.error(f"--threads takes 1 or more; got {args.threads}")
    if args.threads is not None and not has_threads():
        parser.error("--threads: this nn.py's train has no threads setting")
    if args.threads is not None:
        NN_OPTIONS["threads"] = args.threads
    if args.blas is not None and (args.blas < 1 or not hasattr(nn, "_blas_threads")):
        parser.error("--blas takes 1 or more, with an nn.py that has _blas_threads (issue 25)")
    BLAS["threads"], BLAS["torch"] = args.blas, args.torch_threads
    if args.epochs < 1:
        parser.error(f"--epochs takes 1 or more; got {args.epochs}")
    EPOCHS["n"] = args.epochs
    if args.child:
        if have("torch"):
            import torch
            torch.set_num_threads(BLAS["torch"] or os.cpu_count())
        child(args.child, args.n, [int(s) for s in args.sizes.split(",")])
        return
    try:
        chosen = [int(w) for w in args.workloads.split(",")]
        assert chosen and all(w in WORKLOADS for w in chosen)
    except (ValueError, AssertionError):
        parser.error(f"--workloads takes numbers from {sorted(WORKLOADS)}, like 1,2; got {args.workloads!r}")

    print("\n".join(describe_machine(args.threads)), flush=True)
    print(f"BLAS threads for nn.train and the products: "
          f"{'as NumPy has them' if args.blas is None else f'{args.blas} (--blas)'}; "
          f"{'BUSY: one other CPU-bound process runs' if args.busy else 'no process of ours beside'}", flush=True)
    spinner = subprocess.Popen([sys.executable, "-c", SPIN]) if args.busy else None
    try:
        results, memory = run_all(args, chosen)
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    if results:
        report_times(chosen, results, args.quick, args.threads)
    if memory:
        report_memory(chosen, memory, args.quick)


def run_all(args, chosen):
    results, memory = {}, {}
    for number in chosen:
        n, sizes = WORKLOADS[number]
        if args.quick:
            n //= QUICK_FRACTION
        repeats = args.repeats or (2 if args.quick else 5 if number == 1 else 3)
        print(f"\nworkload {number}: {name_of(n, sizes)}, {EPOCHS['n']} epoch(s) of {-(-n // BATCH)} batches, "
              f"best of {repeats}", flush=True)
        if not args.memory_only:
            results[number] = time_workload(number, n, sizes, repeats)
        if not args.no_memory:
            memory[number] = {}
            for label in MEMORY_CONTENDERS:
                if available(label):
                    memory[number][label] = measure_memory(label, n, sizes)
                    print(f"  memory {label}: {memory[number][label]}", flush=True)
    return results, memory


def report_times(chosen, results, quick, threads):
    labels = [label for label in CONTENDERS if available(label)]
    skipped = [label for label in CONTENDERS if not available(label)]
    print(f"\nSeconds for {EPOCHS['n']} epoch(s) (best of the repeats; load average now {os.getloadavg()[0]:.2f}; "
          f"nn.train {threads_line(threads)}):\n")
    rows = []
    for number in chosen:
        n, sizes = WORKLOADS[number]
        n = n // QUICK_FRACTION if quick else n
        rows.append([name_of(n, sizes)] + [fmt(results[number][label]) for label in labels])
    print(table(["workload"] + labels, rows))
    if skipped:
        print(f"(skipped, not installed: {', '.join(skipped)})")

    print("\nRatios (below 1: nn.train is faster):\n")
    rows, verdicts = [], []
    for number in chosen:
        best = results[number]
        r64 = best["nn.train f64"] / best["products f64"]
        r32 = best["nn.train f32"] / best["products f32"]
        rt32 = best["nn.train f32"] / best["PyTorch f32"] if "PyTorch f32" in best else None
        rt64 = best["nn.train f64"] / best["PyTorch f64"] if "PyTorch f64" in best else None
        rows.append([f"workload {number}", f"{r64:.2f}", f"{r32:.2f}", fmt(rt32, 2), fmt(rt64, 2)])
        goals = [f"f64 / floor {r64:.2f} {'met' if r64 <= GOAL_FLOOR else 'MISSED'} (<= {GOAL_FLOOR})"]
        if number != 1:  # issue 14 asks the float32 floor goal of the two larger workloads
            goals.append(f"f32 / floor {r32:.2f} {'met' if r32 <= GOAL_FLOOR else 'MISSED'} (<= {GOAL_FLOOR})")
        if rt32 is not None:
            goals.append(f"f32 / PyTorch f32 {rt32:.2f} {'met' if rt32 < GOAL_TORCH else 'MISSED'} (< 1)")
        verdicts.append(f"workload {number}: " + "; ".join(goals))
    print(table(["workload", "nn f64 / floor f64", "nn f32 / floor f32", "nn f32 / PyTorch f32",
                 "nn f64 / PyTorch f64"], rows))
    print("\nGoals of issue 14:\n" + "\n".join(verdicts))


def report_memory(chosen, memory, quick):
    print("\nPeak memory that one epoch of training adds, MiB (a fresh process per contender):\n")
    header = ["workload", "data f64 / f32", "params f64 / f32", "least it adds f64 / f32"] + \
             [label for label in MEMORY_CONTENDERS if available(label)]
    rows, hows = [], set()
    for number in chosen:
        n, sizes = WORKLOADS[number]
        n = n // QUICK_FRACTION if quick else n
        need64, need32 = needs_mib(n, sizes, 8), needs_mib(n, sizes, 4)
        row = [f"workload {number}", f"{need64['data']:.0f} / {need32['data']:.0f}",
               f"{need64['params']:.1f} / {need32['params']:.1f}",
               f"{need64['adds']:.1f} / {need32['adds']:.1f}"]
        for label in header[4:]:
            added, how = memory[number][label]
            row.append(fmt(added, 3) if added is not None else f"failed: {how}")
            if added is not None:
                hows.add(how)
        rows.append(row)
    print(table(header, rows))
    print("\nThe least training adds is the gradient (1 x params), Adam's m and v (2 x params) and one "
          f"batch's activations A_0..A_D ({BATCH} x sum of the layer sizes), in the dtype. "
          f"Measured with {', '.join(sorted(hows)) or '-'}: the peak above the resident size once the "
          "data and the network exist.")


if __name__ == "__main__":
    main()
