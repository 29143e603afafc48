"""A seeded fuzzer of every public function of nn.py (issue 20).

    python bench/fuzz.py --seconds 300 [--seed 0] [--calls N] [--only train,load_params] [--show]

Each call runs with every warning an error (nn.ScaleWarning ignored), stdout captured and a 10 s
alarm. A bad outcome is:
  - an exception other than ValueError or TypeError (FileNotFoundError only for a missing file or
    folder; the very fault the fuzzer injected, in the save tests);
  - a warning: raised (any RuntimeWarning, ComplexWarning, ...), or turned into a ValueError by an
    `except` inside nn.py (the warning is then in the ValueError's __context__);
  - a hang (a call over 10 s);
  - a wrong result an oracle proves: predict on non-finite params, a gradient check that passes a
    planted wrong gradient or fails a correct one, train returning non-finite weights, resume not
    equal to one run, load(save(p)) != p, a damaged file loaded as another network, an old-format
    file not unfolded, a Series of dates, durations, text or huge ints used as numbers, an argument
    changed in place, ...;
  - a failed save that left the old file unreadable or changed, or a temporary file behind; a
    write-protected file replaced; a new file's mode not what the umask gives; an OSError passed on
    without naming the file; load_params refusing a file without naming it, or allocating far more
    (traced) than a small file holds;
  - a raw ValueError or TypeError: NumPy's or Python's own words, raised outside nn.py or on an
    nn.py line that is no raise (so nothing says what to pass). In code issue 27 could not change,
    these are notes (NOT_YET below), printed but not counted.
Bad outcomes are grouped by root cause: the nn.py line where the exception surfaces (the last nn.py
frame of its traceback) with the exception type; oracle failures by function and oracle.
The first case of each cause is pickled to --cases (a temporary folder by default) when it can be,
for replay_case(). test_nn.py runs fuzz_public_functions for 300 calls with seed 20.
"""

import argparse
import collections
import os
import pickle
import sys
import tempfile
import time

import numpy as np


# ---- fuzzer begins ----
def fuzz_public_functions(nn, seed=0, calls=None, seconds=None, folder=None, per_call=10.0, log=None, notes=None,
                          only=None, trace=None):
    """Fuzz nn's public functions with seeded random input; returns (calls made, bad outcomes).

    Stops after `calls` calls or `seconds` seconds, whichever comes first. Each bad outcome is a
    dict: cause (what groups it), function, case (how the call was built), detail (message),
    replay ((name, args, kwargs) for a plain call, else None). Debatable outcomes (an oracle's
    "note: ...") go to the list `notes` if one is given, and are not counted as bad. only: the names
    of the generators to draw from (default all); trace(case, exception or None) sees every call."""
    import collections
    import contextlib
    import copy
    import io
    import math
    import os
    import pathlib
    import pickle
    import signal
    import struct
    import tempfile
    import threading
    import time
    import warnings
    import zipfile

    import numpy as np

    R = np.random.default_rng(seed)
    UMASK = os.umask(0o022)  # read once (os.umask sets it too), and put back
    os.umask(UMASK)
    try:
        import pandas as pd
    except ImportError:
        pd = None
    must_refuse = {}  # id -> data that is no numbers (a datetime Series, ...): a call given it must not return
    folder = os.path.abspath(os.fspath(folder or tempfile.mkdtemp(prefix="nn-fuzz-")))
    nn_file = os.path.realpath(nn.__file__)
    with open(nn_file) as f:
        nn_lines = f.read().splitlines()  # the text of the lines as imported, even if the file is edited meanwhile
    counter = iter(range(10**9))

    def coin(p):
        return R.random() < p

    def pick(seq):
        return seq[int(R.integers(len(seq)))]

    def short(value, n=70):
        text = repr(value) if not isinstance(value, np.ndarray) else (
            f"array(shape={value.shape}, dtype={value.dtype}, e.g. {value.ravel()[:2].tolist()!r})")
        return text if len(text) <= n else text[:n] + "..."

    def kw_text(kw):
        return "{" + ", ".join(f"{k}={short(v, 40)}" for k, v in kw.items()) + "}"

    class Wrong(Exception):
        """An oracle's proof of a wrong result: Wrong(key, detail); key groups it."""

    class Hang(BaseException):
        pass

    # ---------- values ----------
    SPECIAL = [np.nan, np.inf, -np.inf, 1e300, -1e300, 1e39, -1e39, 3.4e38, 1.7e308, 5e-324, 1e-310,
               1e-40, 1e-45, 0.0, -0.0, 1e-300, 1e15, -1e15, 1e-8]

    def floats(shape, kind=None):
        kind = kind or pick(["normal"] * 8 + ["scaled", "special", "const", "zeros", "sprinkled"])
        if kind == "normal":
            A = R.normal(size=shape)
        elif kind == "scaled":
            A = R.normal(size=shape) * 10.0 ** int(R.integers(-320, 300))
        elif kind == "special":
            A = np.asarray(R.choice(SPECIAL, size=shape), dtype=float)
        elif kind == "const":
            A = np.full(shape, pick(SPECIAL + [1.0, -2.5]))
        elif kind == "zeros":
            A = np.zeros(shape)
        else:
            A = R.normal(size=shape)
            mask = R.random(shape) < 0.3
            A[mask] = R.choice(SPECIAL, size=int(mask.sum()))
        return A, kind

    DTYPES = ["float32", "int64", "uint8", "bool", "complex", "object", "str", "float16", "longdouble",
              ">f8", "int_extreme", "datetime", "bytes", "int8"]

    def retype(A, how):
        A = np.asarray(A, dtype=float)
        if how == "float32":
            return A.astype(np.float32)
        if how in ("int64", "uint8", "int8"):
            return np.nan_to_num(A).clip(-1e18, 1e18).astype(how)
        if how == "bool":
            return A > 0
        if how == "complex":
            return A + 1j * R.normal(size=A.shape)
        if how == "object":
            B = A.astype(object)
            if B.size:
                B.flat[0] = pick([None, "x", 1, [1, 2], 1e400])
            return B
        if how == "str":
            return A.astype(str)
        if how == "float16":
            return A.astype(np.float16)
        if how == "longdouble":
            B = A.astype(np.longdouble)
            if B.size and coin(0.5):
                B.flat[0] = np.longdouble(10) ** 4000
            return B
        if how == ">f8":
            return A.astype(">f8")
        if how == "int_extreme":
            return np.full(A.shape, pick([np.iinfo(np.int64).max, np.iinfo(np.int64).min]), np.int64) \
                if coin(0.5) else np.full(A.shape, np.iinfo(np.uint64).max, np.uint64)
        if how == "datetime":
            return np.zeros(A.shape, "datetime64[s]")
        return A.astype("S")

    class FakeFrame:
        """What nn.py uses of a DataFrame: columns, dtypes, ndim, shape, conversion to an array."""

        def __init__(self, columns, names):
            self.cols, self.columns = columns, list(names)
            self.dtypes = {name: col.dtype for name, col in zip(self.columns, columns)}
            self.ndim, self.shape = 2, (len(columns[0]) if columns else 0, len(columns))

        def __array__(self, dtype=None, copy=None):
            mixed = any(c.dtype.kind not in "biuf" for c in self.cols)
            return np.asarray(np.column_stack([c.astype(object) if mixed else c for c in self.cols]),
                              dtype=dtype)

        def __len__(self):
            return self.shape[0]

        def __repr__(self):
            return f"DataFrame(columns={self.columns}, dtypes={[str(d) for d in self.dtypes.values()]})"

    class FakeSparse:
        def __init__(self, A):
            self.A, self.nnz, self.shape, self.ndim = A, int(np.count_nonzero(A)), A.shape, A.ndim

        def toarray(self):
            return self.A.copy()

        def __repr__(self):
            return f"sparse{self.shape}"

    def odd_value(shape=(2, 2)):
        return pick([lambda: None, lambda: 1, lambda: 1.5, lambda: "abc", lambda: [1.0, 2.0], lambda: (1, 2),
                     lambda: {"a": 1}, lambda: np.array(3.0), lambda: np.zeros(shape), lambda: np.zeros(0),
                     lambda: np.ones((2, 2, 2)), lambda: np.array(["a", "b"]),
                     lambda: np.array([1, 2], dtype=object), lambda: np.array([1 + 2j]), lambda: True,
                     lambda: math.nan, lambda: np.float32(2), lambda: 10**400, lambda: -1])()

    # ---------- networks and data ----------
    HIDDEN, OUTPUT = ["identity", "relu", "tanh", "sigmoid"], ["linear", "sigmoid", "softmax"]

    def ndim(x):
        try:
            return np.ndim(x)
        except Exception:
            return -1

    def copy_params(p):
        return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in p.items()} if isinstance(p, dict) else p

    def new_net(big=False, keep_epochs=None):
        hidden, output = pick(HIDDEN), pick(OUTPUT)
        sizes = [300, 440, 1] if big else [int(R.integers(1, 7)) for _ in range(int(R.integers(2, 5)))]
        if output == "softmax":
            sizes[-1] = max(2, sizes[-1])
        dtype = pick([np.float64, np.float64, np.float32])
        s = int(R.integers(1000))
        p = nn.init_params(sizes, hidden, output, seed=s, dtype=dtype)
        desc = f"init_params({sizes}, {hidden!r}, {output!r}, seed={s}, dtype=np.{dtype.__name__})"
        if keep_epochs is False or (keep_epochs is None and coin(0.5)):
            del p["epochs"]
            desc += " minus 'epochs'"
        return p, desc

    def valid_Y(p, n, kind="normal"):
        output, k = p["output"], p[f"W{nn.depth(p)}"].shape[1]
        if output == "linear":
            Y = floats((n, k), kind)[0] * 3 + 1
            return Y[:, 0] if k == 1 and coin(0.6) else Y
        if output == "sigmoid":
            Y = R.integers(0, 2, (n, k))
            Y = pick([Y, Y.astype(float), Y.astype(bool), Y * 0.5 + 0.25])
            return Y[:, 0] if k == 1 and coin(0.6) else Y
        labels = R.integers(0, k, n)
        return pick([labels, labels.astype(float), np.eye(k)[labels]])

    pool = []  # trained networks: (params, history, X, Y, desc)

    def fill_pool():
        for i in range(6):
            p, desc = new_net(keep_epochs=True)
            n = int(R.integers(15, 40))
            X = R.normal(size=(n, p["W1"].shape[0])) * R.uniform(0.5, 100) + R.uniform(-50, 50)
            Y = valid_Y(p, n)
            kw = {"epochs": int(R.integers(1, 4)), "seed": i, "log_every": None}
            if coin(0.5):
                kw["validation"] = (X[:6], Y[:6])
            fit_X = FakeFrame([X[:, j] for j in range(X.shape[1])], [f"c{j}" for j in range(X.shape[1])]) \
                if i == 0 else X
            try:
                t, h = nn.train(p, fit_X, Y, **kw)
            except Exception:
                continue
            pool.append((t, h, X, Y, f"train({desc}, X{X.shape}, epochs={kw['epochs']}){' on a DataFrame' * (i == 0)}"))

    def net_and_data(big=False, valid=False):
        """A network (fresh or trained), X (n, n_0) on its scale and valid Y; then maybe damage."""
        if pool and coin(0.35) and not big:
            t, h, X0, Y0, desc = pick(pool)
            p = copy_params(t)
            n = int(R.integers(1, 25))
            X = X0[R.integers(0, len(X0), n)] + 0.01 * R.normal(size=(n, X0.shape[1]))
            if coin(0.1) and not valid:  # near float64's limit, for the scale check of a trained network
                X = X * 10.0 ** int(R.integers(295, 307))
                desc += "; X near float64's limit"
            Y = valid_Y(p, n)
        else:
            p, desc = new_net(big)
            n = 8 if big else int(R.integers(1, 25))
            X, kind = floats((n, p["W1"].shape[0]), "normal" if valid else None)
            if kind != "normal":
                desc += f"; X {kind}"
            if p["W1"].dtype == np.float32 and coin(0.5) and not valid:
                X = X.astype(np.float32)
            Y = valid_Y(p, n)
        notes = [desc, f"X{np.shape(X)}"]
        if valid:
            return p, X, Y, notes
        if coin(0.15):
            p, note = damage(p)
            notes.append(note)
        if coin(0.25):
            p, note = mutate_params(p)
            notes.append(note)
        if coin(0.2):
            X, note = mutate_data(X, "X")
            notes.append(note)
        if coin(0.2):
            Y, note = mutate_data(Y, "Y")
            notes.append(note)
        return p, X, Y, notes

    def damage(p):
        keys = [k for k in nn.param_keys(p)]
        key = pick(keys)
        v = p[key].copy()
        how = pick(["entry", "all", "scale", "subnormal", "zero"])
        value = pick(SPECIAL)
        if how == "entry":
            v.flat[int(R.integers(v.size))] = value
        elif how == "all":
            v[...] = value
        elif how == "scale":
            e = int(R.integers(-320, 300))
            v *= 10.0 ** e
            value = f"1e{e}"
        elif how == "subnormal":
            v *= 1e-310 if v.dtype == np.float64 else 1e-40
        else:
            v[...] = 0
        return {**p, key: v}, f"{key} {how} {value if how in ('entry', 'all', 'scale') else ''}"

    ODD_KEYS = ["", "W0", "b0", "W9", "w1", "W01", "W1 ", " W1", "Wx", "W\u00b2", "W\u0661", 1, 1.5, None,
                ("W", "1"), b"W1", "lr", "history", "x_mean", "y_mean", "feature_names", "epochs",
                "input_mean", "W-1", "W", "b"]

    def mutate_params(p):
        if not isinstance(p, dict):
            return p, "(not a dict)"
        q, keys = dict(p), list(p)
        arrays = [k for k in keys if isinstance(p[k], np.ndarray)]
        n_in = p["W1"].shape[0] if isinstance(p.get("W1"), np.ndarray) and p["W1"].ndim == 2 else 2
        m = pick(["drop", "extra", "extra", "shape", "nonarray", "dtype", "dtype_all", "names", "tuple",
                  "container", "stats", "feature_names", "epochs", "zero_width", "chain", "subclass"])
        if m == "drop":
            k = pick(keys)
            del q[k]
            return q, f"del params[{k!r}]"
        if m == "extra":
            k = pick(ODD_KEYS)
            q[k] = odd_value() if coin(0.5) or not arrays else q[pick(arrays)].copy()
            return q, f"params[{k!r}] = {short(q[k])}"
        if m in ("shape", "nonarray", "dtype", "subclass") and arrays:
            k = pick(arrays)
            v = q[k]
            if m == "shape":
                q[k] = pick([lambda: v.T, lambda: v[None], lambda: v.ravel(), lambda: v[:0],
                             lambda: v.reshape(-1)[0] if v.size else np.float64(0),
                             lambda: np.zeros((v.shape[0], 0) if v.ndim else (0,)), lambda: np.zeros(v.shape + (1,)),
                             lambda: np.concatenate([v, v])])()
            elif m == "nonarray":
                q[k] = pick([lambda: v.tolist(), lambda: tuple(v.ravel().tolist()), lambda: float(v.ravel()[0]) if v.size else 0.0,
                             lambda: None, lambda: "W", lambda: {"data": v}])()
            elif m == "dtype":
                q[k] = retype(v, pick(DTYPES))
            else:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    q[k] = pick([lambda: np.ma.masked_array(v, mask=R.random(v.shape) < 0.3),
                                 lambda: np.asmatrix(v) if v.ndim <= 2 else v,
                                 lambda: np.lib.stride_tricks.as_strided(v, writeable=False),
                                 lambda: np.repeat(v, 2, axis=-1)[..., ::2] if v.ndim else v,
                                 lambda: v.astype(v.dtype.newbyteorder(">"))])()
            return q, f"params[{k!r}] {m} -> {short(q[k])}"
        if m == "dtype_all":
            how = pick(DTYPES)
            for k in nn.param_keys(p):
                q[k] = retype(q[k], how)
            return q, f"every W, b as {how}"
        if m == "names":
            k = pick(["hidden", "output"])
            q[k] = pick([None, "linear", "identity", "RELU", "", 5, ["relu"], np.str_("relu"), "softmax",
                         b"relu", np.array("relu"), "tanh "])
            return q, f"params[{k!r}] = {q[k]!r}"
        if m == "tuple":
            return (q, {"loss": [1.0]}), "(params, history)"
        if m == "container":
            c = pick([lambda: list(q.items()), lambda: None, lambda: "params", lambda: np.array([1.0]), lambda: 5,
                      lambda: collections.OrderedDict(q), lambda: {}, lambda: (q,), lambda: (q, q, q)])()
            return c, f"params = {short(c, 40)}"
        if m == "stats":
            k_out = p[f"W{max(nn.depth(p), 1)}"].shape[1] if isinstance(p.get(f"W{max(nn.depth(p), 1)}"), np.ndarray) \
                and p[f"W{max(nn.depth(p), 1)}"].ndim == 2 else 1
            choice = pick(["x_mean shape", "x_mean str", "x_mean nan", "x_std zero", "x_std negative", "x_std inf",
                           "x_mean only", "y_mean only", "y without x", "x_mean list", "x_mean huge", "x_std subnormal",
                           "x_mean object", "y_std zero", "x_mean complex"])
            mean = R.normal(size=n_in)
            std = R.uniform(0.5, 2, n_in)
            q["x_mean"], q["x_std"] = mean, std
            if choice == "x_mean shape":
                q["x_mean"] = np.zeros(n_in + 1)
            elif choice == "x_mean str":
                q["x_mean"] = mean.astype(str)
            elif choice == "x_mean nan":
                q["x_mean"] = mean + np.nan
            elif choice == "x_std zero":
                q["x_std"] = np.zeros(n_in)
            elif choice == "x_std negative":
                q["x_std"] = -std
            elif choice == "x_std inf":
                q["x_std"] = std + np.inf
            elif choice == "x_mean only":
                del q["x_std"]
            elif choice == "y_mean only":
                q["y_mean"] = np.zeros(k_out)
            elif choice == "y without x":
                del q["x_mean"], q["x_std"]
                q["y_mean"], q["y_std"] = np.zeros(k_out), np.ones(k_out)
            elif choice == "x_mean list":
                q["x_mean"] = mean.tolist()
            elif choice == "x_mean huge":
                q["x_mean"] = mean * 1e300
            elif choice == "x_std subnormal":
                q["x_std"] = std * 1e-310
            elif choice == "x_mean object":
                q["x_mean"] = mean.astype(object)
            elif choice == "y_std zero":
                q["y_mean"], q["y_std"] = np.zeros(k_out), np.zeros(k_out)
            else:
                q["x_mean"] = mean + 1j
            return q, f"stats: {choice}"
        if m == "feature_names":
            q["feature_names"] = pick([5, "abc", ["a", 1], ("a",) * (n_in + 1), (), ("a\x00",) * n_in,
                                       ("",) * n_in, [None] * n_in, np.array(["a"] * n_in), ("\u00e9",) * n_in,
                                       tuple(f"c{j}" for j in range(n_in))])
            return q, f"feature_names = {short(q['feature_names'])}"
        if m == "epochs":
            q["epochs"] = pick([-1, 1.5, "3", None, math.inf, math.nan, 2**70, np.array([1, 2]), True,
                                np.int64(3), 10**400, 1e300])
            return q, f"epochs = {short(q['epochs'])}"
        if m == "zero_width" and nn.depth(p) >= 2:
            W1 = q["W1"]
            q["W1"], q["b1"] = np.zeros((W1.shape[0], 0), W1.dtype), np.zeros(0, W1.dtype)
            q["W2"] = np.zeros((0, q["W2"].shape[1]), W1.dtype)
            return q, "layer 1 has 0 units"
        if m == "chain" and nn.depth(p) >= 2:
            q["W2"] = np.concatenate([q["W2"], q["W2"][:1]])
            return q, "W2 has one row too many"
        k = pick(keys)
        q[k] = odd_value()
        return q, f"params[{k!r}] = {short(q[k])}"

    def mutate_data(A, name):
        A = np.asarray(A)
        n = A.shape[0] if A.ndim else 1
        m = pick(["dtype"] * 4 + ["shape", "shape", "container", "frame", "sparse", "special", "subclass", "rows"]
                 + ["series"] * (pd is not None))
        if m == "series":  # pandas' own: a Series of dates, durations, text or huge ints is no numbers
            how = pick(["datetime", "timedelta", "text", "huge", "floats", "row"])
            if how == "row" and A.ndim == 2 and n:
                B = pd.Series(A[0], index=[f"c{j}" for j in range(A.shape[1])])
            else:
                values = {"datetime": lambda: pd.Series(pd.date_range("2020-01-01", periods=n, freq="D")),
                          "timedelta": lambda: pd.Series(pd.to_timedelta(np.arange(n), unit="s")),
                          "text": lambda: pd.Series([f"{v:.3g}" for v in np.ravel(A)[:n].astype(float)],
                                                    dtype=pick([object, "string"])),
                          "huge": lambda: pd.Series([10**400] * n, dtype=object),
                          "floats": lambda: pd.Series(np.ravel(A)[:n].astype(float)),
                          "row": lambda: pd.Series(np.ravel(A)[:n].astype(float))}
                B = values[how]()
                if how in ("datetime", "timedelta", "text", "huge"):
                    must_refuse[id(B)] = B
            return B, f"{name} a Series of {how} ({len(B)})"
        if m == "dtype":
            how = pick(DTYPES)
            return retype(A, how), f"{name} as {how}"
        if m == "shape":
            B = pick([lambda: A.ravel(), lambda: A[..., None], lambda: A[:0], lambda: A[:, :0] if A.ndim > 1 else A[:0],
                      lambda: np.concatenate([A, A[:, :1]], axis=1) if A.ndim > 1 else A[:, None],
                      lambda: A[0] if n else A, lambda: np.float64(1.0), lambda: np.float64(np.nan), lambda: np.array(np.nan),
                      lambda: A.T, lambda: A[:-1] if n > 1 else A[:0],
                      lambda: A.reshape(n, -1, 1) if A.ndim == 2 and A.shape[1] else A])()
            return B, f"{name} shape {np.shape(B)}"
        if m == "container":
            B = pick([lambda: A.tolist(), lambda: [list(r) for r in A[:1]] + [[1.0]] if A.ndim == 2 else [1, [2]],
                      lambda: None, lambda: "data", lambda: {"x": A}, lambda: (r for r in A), lambda: [[None] * A.shape[1]] * n if A.ndim == 2 else [None] * n,
                      lambda: [[10**400] * A.shape[1]] * n if A.ndim == 2 else [10**400] * n, lambda: set([1, 2]),
                      lambda: [[1 + 2j] * A.shape[1]] * n if A.ndim == 2 else [1j] * n])()
            return B, f"{name} = {short(B, 50)}"
        if m == "frame":
            B2 = A if A.ndim == 2 else A.reshape(n, -1)
            cols = [B2[:, j] for j in range(B2.shape[1])]
            if cols and coin(0.5):
                cols[int(R.integers(len(cols)))] = np.array([pick(["a", "b"]) for _ in range(n)], dtype=object)
            names = pick([[f"c{j}" for j in range(len(cols))], [f"d{j}" for j in range(len(cols))], list(range(len(cols)))])
            B = FakeFrame(cols, names)
            return B, f"{name} = {B!r}"
        if m == "sparse":
            return FakeSparse(A), f"{name} sparse"
        if m == "special":
            B, kind = floats(A.shape, pick(["special", "scaled", "const", "sprinkled"]))
            return B, f"{name} {kind} values"
        if m == "subclass":
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                B = pick([lambda: np.ma.masked_array(A, mask=R.random(A.shape) < 0.3),
                          lambda: np.asmatrix(A) if A.ndim <= 2 else A,
                          lambda: np.lib.stride_tricks.as_strided(A, writeable=False)])()
            return B, f"{name} as {type(B).__name__}"
        B = np.concatenate([A, A]) if n else A
        return B, f"{name} with {len(B)} rows"

    # ---------- oracles ----------
    def same(a, b):
        if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            if not (isinstance(a, np.ndarray) and isinstance(b, np.ndarray)) or a.shape != b.shape or a.dtype != b.dtype:
                return False
            if a.dtype.hasobject:
                return True
            return np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes()
        if isinstance(a, dict) and isinstance(b, dict):
            return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)) and type(a) is type(b):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if not isinstance(a, (int, float, complex, str, bytes, np.generic, type(None))):
            return True  # objects of our own (a fake DataFrame): not compared
        try:
            return bool(a is b or a == b or (a != a and b != b))
        except Exception:
            return True

    def snapshot(values):
        snaps = []
        for i, v in values:
            if isinstance(v, (dict, np.ndarray, list, tuple)):
                try:
                    snaps.append((i, v, copy.deepcopy(v)))
                except Exception:
                    pass
        return snaps

    def first_difference(a, b, path):
        if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
            return next((d for k in a for d in [first_difference(a[k], b[k], f"{path}[{k!r}]")] if d), None)
        if isinstance(a, (list, tuple)) and type(a) is type(b) and len(a) == len(b):
            return next((d for i, (x, y) in enumerate(zip(a, b)) for d in [first_difference(x, y, f"{path}[{i}]")] if d), None)
        return None if same(a, b) else f"{path}: {short(b, 60)} became {short(a, 60)}"

    def check_unchanged(fn, snaps):
        for i, v, s in snaps:
            if not same(v, s):
                raise Wrong(f"{fn} changed its argument {i} in place", str(first_difference(v, s, str(i))))

    def finite_params(p):
        try:
            return all(np.isfinite(np.asarray(p[k], dtype=float)).all() for k in nn.param_keys(p))
        except Exception:
            return True  # malformed: nn must refuse it anyway

    def network_ok(p):
        """True if p is a well-formed network by nn's own check (no exception, no warning)."""
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                nn._check_params(p)
            return True
        except Exception:
            return False

    def same_network(a, b, what):
        """load(save(b)) == b for everything save_params promises to keep."""
        for key in b:
            if key in ("hidden", "output"):
                ok = a.get(key) == b[key]
            elif key == "epochs":  # only a true count is compared (nn does not check "epochs")
                ok = not isinstance(b[key], (int, np.integer)) or isinstance(b[key], (bool, np.bool_)) or a.get(key) == b[key]
            elif key == "feature_names":  # None is no names
                ok = tuple(a.get(key) or ()) == tuple(str(x) for x in (b[key] if b[key] is not None else ()))
            else:
                ok = key in a and same(np.asarray(a[key]), np.asarray(b[key]))
            if not ok:
                raise Wrong(f"{what}: {key!r} differs", f"saved {short(b[key])}, loaded {short(a.get(key))}")
        extra = set(a) - set(b) - {"epochs"}
        if extra:
            raise Wrong(f"{what}: keys appeared", str(sorted(map(str, extra))))

    # ---------- cases ----------
    def plain(fn, args, kwargs, notes, check=None, allow=()):
        snaps = snapshot(list(enumerate(args)) + list(kwargs.items()))

        def always(exc):
            check_unchanged(fn, snaps)
        return {"fn": fn, "call": lambda: getattr(nn, fn)(*args, **kwargs), "notes": notes, "check": check,
                "always": always, "allow": allow, "replay": (fn, args, kwargs)}

    GOOD_SEED = [0, 1, 7, np.int64(3), 2**40]  # no None: a seeded run must repeat exactly
    ODD_NUMBERS = [0, -1, -0.5, math.nan, math.inf, -math.inf, "1", None, True, False, 10**400, 1e300, 5e-324,
                   1.5, [1], np.array([1, 2]), np.float32(math.nan), np.int64(-3), 1j, np.uint64(2**64 - 1)]

    def number(valid, odd=ODD_NUMBERS, p=0.15):
        return pick(odd) if coin(p) else pick(valid)

    def gen_init_params():
        output = pick(OUTPUT)
        sizes = [int(R.integers(1, 7)) for _ in range(int(R.integers(2, 5)))]
        if output == "softmax":
            sizes[-1] = max(2, sizes[-1])
        hidden, dtype, init, s = pick(HIDDEN), pick([np.float64, np.float32, "float32", "float64"]), pick([None, "he", "glorot"]), int(R.integers(1000))
        args, kwargs = [sizes, hidden, output], {"seed": s, "dtype": dtype, "init": init}
        which = pick(["none", "none", "sizes", "sizes", "hidden", "output", "seed", "dtype", "init", "extra"])
        if which == "sizes":
            args[0] = pick([[], [3], [3, 0], [3, -1], [3, 2.0], [3, True], ["3", 2], None, 3, "32", (3, 2), range(1, 4),
                            np.array([3, 2]), np.array([3.0, 2.0]), [np.int64(3), np.uint8(2)], [3, 2**63], [10**8, 10**8],
                            [3, 10**400], {3: 2}, [[3], [2]], np.array([[3, 2]]), [3, np.int8(-1)], (x for x in [3, 2]),
                            [3, np.uint64(2**64 - 1)], [2**62, 1]])
        elif which == "hidden":
            args[1] = pick([None, "linear", "RELU", "", 5, ["relu"], b"relu", "softmax", np.array("tanh")])
        elif which == "output":
            args[2] = pick([None, "identity", "relu", "Softmax", 3, ("linear",), "tanh"])
        elif which == "seed":
            kwargs["seed"] = pick([-1, 1.5, "s", 2**70, [1, 2], np.int64(5), True, np.random.default_rng(3), object(),
                                   np.random.RandomState(0), [-1], math.nan])
        elif which == "dtype":
            kwargs["dtype"] = pick([np.float16, float, int, "f8", np.dtype("float32"), None, np.complex128, np.int32,
                                    object, np.dtype(">f8"), np.longdouble, "float"])
        elif which == "init":
            kwargs["init"] = pick(["HE", 1, "xavier", np.array("he"), "", True])
        elif which == "extra":
            kwargs[pick(["seeds", "activation", "lr"])] = 1

        def check(p):
            sz = list(args[0])
            if not isinstance(p, dict):
                raise Wrong("init_params returned a non-dict", short(p))
            dt = np.dtype(kwargs["dtype"])
            for l in range(1, len(sz)):
                W, b = p[f"W{l}"], p[f"b{l}"]
                if W.shape != (int(sz[l - 1]), int(sz[l])) or b.shape != (int(sz[l]),) or W.dtype != dt or b.dtype != dt:
                    raise Wrong("init_params: wrong shape or dtype", f"W{l} {W.shape} {W.dtype}")
                if not np.isfinite(W).all() or b.any():
                    raise Wrong("init_params: non-finite W or non-zero b", f"W{l}")
            if isinstance(kwargs["seed"], (int, np.integer)) and not isinstance(kwargs["seed"], bool):
                again = nn.init_params(*args, **kwargs)
                if not same(again, p):
                    raise Wrong("init_params: same seed, different network", "")
        return plain("init_params", args, kwargs, [f"which={which}"], check)

    def gen_depth_like(fn):
        def gen():
            if coin(0.5):
                p, X, Y, notes = net_and_data()
            else:
                p = pick([{"": 1}, {1: 2}, {("W", "1"): 0}, [], "W1W2", None, 5, {"W1": 1, "W3": 2}, {b"W1": 1},
                          {"W\u00b2": 1}, {"W1": 1, "b1": 2, "W": 3}, {"Wa1": 1}, {None: 1}, {1.5: 2}])
                notes = [f"params={short(p)}"]

            def check(r):
                if fn == "depth" and not (isinstance(r, int) and r >= 0):
                    raise Wrong("depth returned a non-count", short(r))
                if fn == "param_keys" and not (isinstance(r, list) and all(isinstance(k, str) for k in r)):
                    raise Wrong("param_keys returned a non-list", short(r))
            return plain(fn, [p], {}, notes, check)
        return gen

    def gen_forward():
        p, X, Y, notes = net_and_data()
        ok_before = network_ok(p)

        def check(r):
            Y_hat, cache = r
            rows = 1 if pd is not None and isinstance(X, pd.Series) else np.shape(X)[0]  # a Series is one row
            if ok_before and Y_hat.shape != (rows, p[f"W{nn.depth(p)}"].shape[1]):
                raise Wrong("forward: wrong output shape", str(Y_hat.shape))
            if ok_before and Y_hat.dtype != p["W1"].dtype:
                raise Wrong("forward: output dtype differs from the network's", f"{Y_hat.dtype} vs {p['W1'].dtype}")
        return plain("forward", [p, X], {}, notes, check)

    def gen_loss():
        p, X, Y, notes = net_and_data()

        def check(r):
            if not isinstance(r, float):
                raise Wrong("loss returned a non-float", short(r))
        return plain("loss", [p, X, Y], {}, notes, check)

    def make_cache(p, X):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return nn.forward(p, X)[1]
        except Exception:
            return {"A0": np.zeros((2, 2))}

    def mutate_cache(cache):
        if not isinstance(cache, dict) or not cache:
            return cache, "cache as is"
        c, key = dict(cache), pick(list(cache))
        m = pick(["drop", "shape", "dtype", "nan", "container", "extra", "list", "huge"])
        if m == "drop":
            del c[key]
        elif m == "shape":
            c[key] = c[key][:, :-1] if c[key].ndim == 2 else c[key]
        elif m == "dtype":
            how = pick(["complex", "object", "str", "int64", "bool", "float32", "float16"])
            c[key] = retype(c[key], how)
            m += " " + how
        elif m == "nan":
            c[key] = c[key] * np.nan
        elif m == "container":
            c = pick([None, [], "cache", (cache,), 5])
        elif m == "extra":
            c["A99"] = np.zeros(3)
        elif m == "list":
            c[key] = c[key].tolist()
        else:
            c[key] = c[key] * 1e300
        return c, f"cache {m} {key}"

    def gen_backward():
        p, X, Y, notes = net_and_data()
        cache = make_cache(p, X)
        if coin(0.3):
            cache, note = mutate_cache(cache)
            notes.append(note)
        ok_before = network_ok(p)

        def check(g):
            if not ok_before:
                return
            keys = nn.param_keys(p)
            if not isinstance(g, dict) or set(g) != set(keys):
                raise Wrong("backward: wrong keys", short(g))
            for k in keys:
                if not isinstance(g[k], np.ndarray) or g[k].shape != p[k].shape:
                    raise Wrong("backward: a gradient of the wrong shape", k)
                if g[k].dtype != p[k].dtype:
                    raise Wrong("backward: gradients of another dtype than the network's (cache not checked)",
                                f"{k} {g[k].dtype} for a {p[k].dtype} network")
        case = plain("backward", [p, cache, Y], {}, notes, check)
        nan_cache = isinstance(cache, dict) and any(isinstance(v, np.ndarray) and v.dtype.kind == "f" and np.isnan(v).any()
                                                    for v in cache.values())
        unchanged = case["always"]

        def always(exc):
            unchanged(exc)
            if nan_cache and isinstance(exc, ValueError) and "overflowed" in str(exc):
                raise Wrong("backward reports a NaN in the cache as an overflow", str(exc)[:120])
        case["always"] = always
        return case

    def gen_update():
        p, X, Y, notes = net_and_data()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                grads = nn.backward(p, nn.forward(p, X)[1], Y)
        except Exception:
            grads = {k: np.zeros(np.shape(p.get(k))) for k in nn.param_keys(p)} if isinstance(p, dict) else {}
        if coin(0.3) and grads:
            key, m = pick(list(grads)), pick(["drop", "extra", "shape", "dtype", "nan", "huge", "list", "container", "scalar"])
            grads = dict(grads)
            if m == "drop":
                del grads[key]
            elif m == "extra":
                grads["W99"] = np.zeros(2)
            elif m == "shape":
                grads[key] = grads[key][None]
            elif m == "dtype":
                how = pick(["complex", "object", "str", "int64", "bool", "float32", "float16", "longdouble"])
                grads[key] = retype(grads[key], how)
                m += " " + how
            elif m == "nan":
                grads[key] = grads[key] + np.nan
            elif m == "huge":
                grads[key] = grads[key] + 1e300
            elif m == "list":
                grads[key] = np.asarray(grads[key]).tolist()
            elif m == "scalar":
                grads[key] = 1.0
            else:
                grads = pick([None, [], "grads", (grads, 1)])
            notes.append(f"grads {m} {key}")
        lr = number([0.1, 1e-3, np.float32(0.1), 1, 0.5])
        notes.append(f"lr={lr!r}")
        ok_before = network_ok(p)

        def check(new):
            if not ok_before:
                return
            for k in nn.param_keys(p):
                if new[k].dtype != p[k].dtype or new[k].shape != p[k].shape:
                    raise Wrong("update: a result of another dtype or shape", k)
                with np.errstate(all="ignore"):
                    expected = p[k] - lr * np.asarray(grads[k], dtype=float)
                g_dtype = np.asarray(grads[k]).dtype
                rtol = max(1e-5, 10 * float(np.finfo(g_dtype).eps)) if g_dtype.kind == "f" else 1e-5
                with np.errstate(all="ignore"):  # theta and lr dtheta nearly cancelling: rounding of theta's dtype
                    slack = 4 * float(np.finfo(p[k].dtype).eps) * (np.abs(p[k]) + np.abs(lr * np.asarray(grads[k], dtype=float)))
                if not np.all(np.isclose(new[k], expected, rtol=rtol, atol=1e-30, equal_nan=True) |
                              (np.abs(new[k] - expected) <= slack)):
                    raise Wrong("update: theta - lr dtheta is wrong", k)
        return plain("update", [p, grads, lr], {}, notes, check)

    def gen_gradient_check():
        p, X, Y, notes = net_and_data()
        sane = len(notes) == 2 and "; X" not in notes[0] and isinstance(X, np.ndarray) and X.dtype == np.float64 \
            and np.abs(X).max() < 10 and "trained" not in notes[0] and "train(" not in notes[0]
        X, Y = (X[:6], Y[:6]) if hasattr(X, "__getitem__") and not isinstance(X, (dict, str, FakeFrame)) and ndim(X) >= 1 \
            and hasattr(Y, "__getitem__") and not isinstance(Y, (dict, str, FakeFrame)) and ndim(Y) >= 1 else (X, Y)
        kwargs = {}
        if coin(0.5):
            kwargs["h"] = number([1e-5, 1e-4, 1e-6], ODD_NUMBERS + [1e300, 1e-300, 1.0, 1e-12], 0.4)
        if coin(0.5):
            kwargs["max_per_key"] = number([None, 1, 3, 10, np.int64(2), 10**30], p=0.4)
        if coin(0.3):
            kwargs["seed"] = number([0, 3, np.int64(9)], [-1, "s", 1.5, 2**70, [1, -1]], 0.4)
        notes.append(f"kwargs={kw_text(kwargs)}")
        finite_before = finite_params(p)

        def check(errors):
            if not finite_before:
                raise Wrong("gradient_check answered for non-finite params", short(errors))
            if not all(isinstance(v, float) and v >= 0 for v in errors.values()):
                raise Wrong("gradient_check: an error that is not a number >= 0", short(errors))
            if sane and not kwargs and max(errors.values()) >= 1e-6:
                raise Wrong("gradient_check fails a correct gradient (default h, N(0,1) data, fresh network)",
                            short(errors))
            if max(errors.values()) < 1e-6:
                original = nn._backward

                def planted(params, cache, Yb):
                    return {k: v * 1.5 + 0.01 for k, v in original(params, cache, Yb).items()}
                nn._backward = planted
                try:
                    again = nn.gradient_check(p, X, Y, **kwargs)
                except ValueError:
                    return  # the planted gradient refused (a key it cannot judge): not passed
                finally:
                    nn._backward = original
                if max(again.values()) < 1e-6:
                    raise Wrong("gradient_check passes a planted wrong gradient (1.5 g + 0.01)", short(again))
        return plain("gradient_check", [p, X, Y], kwargs, notes, check)

    def gen_cosine_lr():
        epochs = number([1, 2, 10, 1000, np.int64(5)], ODD_NUMBERS + [2.0], 0.25)
        top = epochs if isinstance(epochs, int) and epochs > 0 and not isinstance(epochs, bool) else 5
        epoch = number(list(range(0, min(top, 50) + 1)), ODD_NUMBERS + [top + 1, -1], 0.25)
        lr = number([0.1, 1e-3, 1, 1e308, 5e-324, np.float32(0.01)], p=0.25)

        def check(r):
            if not (isinstance(r, (float, np.floating)) and math.isfinite(r) and -1e-300 <= r <= float(lr) * (1 + 1e-12)):
                raise Wrong("cosine_lr outside [0, lr]", short(r))
            if epoch == 0 and r != lr:
                raise Wrong("note: cosine_lr(lr, 0, n) != lr" + (" (subnormal lr underflows)" if abs(lr) < 1e-300 else ""), short(r))
        return plain("cosine_lr", [lr, epoch, epochs], {}, [f"cosine_lr({short(lr, 30)}, {short(epoch, 30)}, {short(epochs, 30)})"], check)

    def train_kwargs(p, X, Y, n, odd):
        kw = {"epochs": int(R.integers(1, 4)), "log_every": pick([None, None, "auto", 1]), "seed": pick(GOOD_SEED)}
        if coin(0.5):
            kw["optimizer"] = pick(["adam", "sgd"])
            if kw["optimizer"] == "sgd" and coin(0.5):
                kw["momentum"] = pick([0.5, 0.9, 0.999])
        if coin(0.3):
            kw["batch_size"] = pick([None, 1, 4, 32, 10**30, np.int64(3)])
        if coin(0.3):
            kw["lr"] = pick([1e-3, 0.1, 1.0, np.float32(0.01), 5e-324])
        if coin(0.3):
            kw["l2"] = pick([0, 0.0, 1e-4, 0.1, 5e-324])
        if coin(0.2):
            kw["schedule"] = "cosine"
        if coin(0.3):
            kw["standardize"] = pick([True, False, np.bool_(False)])
        if coin(0.3) and isinstance(X, np.ndarray) and ndim(X) >= 1:
            kw["validation"] = (X[:3], Y[:3] if isinstance(Y, np.ndarray) and ndim(Y) >= 1 else Y)
            if coin(0.5):
                kw["patience"] = pick([1, 2, 5])
        if coin(0.2):
            kw["threads"] = pick([None, 1, 2, 3])
        if coin(0.15):
            j = int(R.integers(1, kw["epochs"] + 1))

            def callback(epoch, history, params, j=j):
                if epoch == j:
                    raise KeyboardInterrupt
            kw["callback"] = callback
            kw["_interrupt_at"] = j
        elif coin(0.15):
            kw["callback"] = pick([lambda e, h, q: None, lambda e, h, q: True, lambda e, h, q: e >= 2,
                                   lambda e, h, q: np.bool_(False)])
        if odd:
            name = pick(["epochs", "lr", "batch_size", "optimizer", "momentum", "schedule", "l2", "validation",
                         "patience", "seed", "log_every", "callback", "standardize", "resume", "threads", "unknown"])
            kw.pop("_interrupt_at", None)
            if name in ("epochs", "lr", "batch_size", "patience", "log_every", "threads", "l2", "momentum"):
                kw[name] = pick(ODD_NUMBERS + [2.0, 1.0, 0.9999999])
            elif name == "optimizer":
                kw[name] = pick(["SGD", "momentum", None, 3, "adamw"])
            elif name == "schedule":
                kw[name] = pick(["linear", 1, "COSINE", True])
            elif name == "validation":
                kw[name] = pick([lambda: (X,), lambda: (X, Y, Y), lambda: X, lambda: "v", lambda: {"X": X},
                                 lambda: (mutate_data(X, "X")[0], Y), lambda: (X, mutate_data(Y, "Y")[0]), lambda: [X, Y]])()
            elif name == "seed":
                kw[name] = pick([-1, "s", 1.5, [1, -1], object()])
            elif name == "callback":
                kw[name] = pick([5, "f", lambda: None, lambda e, h, q: np.array([1, 2])])
            elif name == "standardize":
                kw[name] = pick([1, 0, None, "yes", 2.5])
            elif name == "resume":
                kw[name] = pick([lambda: {}, lambda: [], lambda: "h", lambda: pick(pool)[1] if pool else {},
                                 lambda: resume_damaged()])()
            else:
                kw[pick(["max_iter", "alpha", "foo", "verbose", "n_jobs"])] = 5
        return kw

    def resume_damaged():
        if not pool:
            return {}
        h = copy.deepcopy(pick(pool)[1])
        state = h["state"]
        m = pick(["t", "theta", "rng", "settings", "at", "best", "loss", "stats", "epochs", "missing"])
        if m == "t":
            state["t"] = pick([-1, -5, 0, 1.5, None, 10**400])
        elif m == "theta":
            state["theta"] = pick([state["theta"][:-1], state["theta"] * np.nan, None, state["theta"].astype(complex)])
        elif m == "rng":
            state["rng"] = pick([{}, {"bit_generator": "Nope"}, None, "x", {"bit_generator": "PCG64", "state": 1}])
        elif m == "settings":
            state["settings"] = pick([None, [], {"samples": -1}, "s"])
        elif m == "at":
            state["at"] = pick([-1, 10**6, 1.5, None])
        elif m == "best":
            state["best"] = pick([np.zeros(1), "b", 5])
        elif m == "loss":
            h["loss"] = pick([None, [], [math.nan], "l", [1.0] * 100])
        elif m == "stats":
            state["stats"] = pick([{}, None, {"x_mean": np.zeros(1)}])
        elif m == "epochs":
            state["epochs"] = pick([-1, None, "e", 1.5])
        else:
            del state[pick(list(state))]
        return h

    def gen_train():
        big = coin(0.03)
        p, X, Y, notes = net_and_data(big=big, valid=coin(0.4))
        n = np.shape(X)[0] if ndim(X) > 0 else 1
        odd = coin(0.35)
        kw = train_kwargs(p, X, Y, n, odd)
        interrupt_at = kw.pop("_interrupt_at", None)
        notes.append("train kwargs: " + ", ".join(f"{k}={short(v, 40)}" for k, v in kw.items()))
        finite_before = finite_params(p)
        ok_before = network_ok(p)

        def check(r):
            t, h = r
            if not finite_before:
                raise Wrong("train answered for non-finite params", "")
            if not finite_params(t):
                bad_key = [k for k in nn.param_keys(t) if not np.isfinite(t[k]).all()]
                raise Wrong("train returned non-finite params without an error", f"{bad_key} ended: {h.get('ended')}")
            for key in ("x_mean", "x_std", "y_mean", "y_std"):
                if key in t and not np.isfinite(np.asarray(t[key], dtype=float)).all():
                    raise Wrong("train returned non-finite statistics", key)
            if ok_before and t["W1"].dtype != p["W1"].dtype:
                raise Wrong("train changed the network's dtype", f"{p['W1'].dtype} -> {t['W1'].dtype}")
            if interrupt_at is not None and len(h.get("loss", ())) >= interrupt_at and "interrupt" not in str(h.get("ended", "")):
                raise Wrong("train: a KeyboardInterrupt from the callback is not reported in history['ended']", h.get("ended"))
            try:
                nn.forward(t, np.zeros((1, t["W1"].shape[0]), t["W1"].dtype))
            except (ValueError, TypeError) as error:
                raise Wrong("train returned a network forward refuses", str(error)[:100])
        case = plain("train", [p, X, Y], kw, notes, check)
        return case

    def gen_resume():
        p, X, Y, notes = net_and_data(valid=True)
        kw = {"seed": int(R.integers(100)), "log_every": None, "batch_size": pick([None, 1, 4, 7, 32]),
              "l2": pick([0, 1e-4, 1e-2]), "standardize": coin(0.7)}
        if coin(0.5):
            kw["optimizer"] = "sgd"
            kw["momentum"] = pick([0, 0.9])
        if coin(0.4):
            kw["validation"] = (X[:4], Y[:4])
        e1 = int(R.integers(1, 4))
        e2 = e1 + int(R.integers(1, 4))
        j = int(R.integers(1, e1 + 1)) if coin(0.4) else None

        def callback(epoch, history, params):
            if epoch == j:
                raise KeyboardInterrupt
        notes.append(f"train epochs={e1}{f' (Ctrl-C after epoch {j})' if j else ''} then resume to {e2} vs {e2} in one; {kw}")

        def call():
            a, ha = nn.train(p, X, Y, epochs=e1, callback=callback if j else None, **kw)
            b, hb = nn.train(a, X, Y, epochs=e2, resume=ha, **kw)
            c, hc = nn.train(p, X, Y, epochs=e2, **kw)
            return b, hb, c, hc

        def check(r):
            b, hb, c, hc = r
            tol = 1e-4 if p["W1"].dtype == np.float32 else 1e-7
            for k in nn.param_keys(c):
                scale = np.abs(c[k]).max() + 1e-12
                if np.abs(b[k] - c[k]).max() > tol * scale:
                    raise Wrong("train: resume is not the same as one run", f"{k}: {np.abs(b[k] - c[k]).max():.3g} of {scale:.3g}")
            if not np.allclose(hb["loss"], hc["loss"], rtol=tol * 10, atol=0):
                raise Wrong("train: resume's loss history differs from one run's", f"{hb['loss']} vs {hc['loss']}")
            if b.get("epochs") != c.get("epochs"):
                raise Wrong("train: resume counts epochs differently", f"{b.get('epochs')} vs {c.get('epochs')}")
        return {"fn": "train (resume)", "call": call, "notes": notes, "check": check, "always": None, "allow": (),
                "replay": None}

    def gen_loss_curve():
        if pool and coin(0.4):
            history = copy.deepcopy(pick(pool)[1])
        else:
            history = pick([lambda: {"loss": []}, lambda: {"loss": [1.0]}, lambda: {"loss": [math.nan, math.inf, -1, 0, 1e308, 5e-324]},
                            lambda: {"loss": np.array([1 + 1j, 2])}, lambda: {"loss": [1, "a"]}, lambda: {"loss": [[1, 2], [3]]},
                            lambda: {"loss": [1, 2], "val_loss": [1]}, lambda: {"loss": [1, 2], "val_loss": np.array([1.0, 2.0])},
                            lambda: {"loss": (1, 2)}, lambda: {"loss": [True, False]}, lambda: {"loss": [None, 1]},
                            lambda: {"loss": [10**400, 1]}, lambda: {"loss": [[1, 2], [3, 4]]}, lambda: {"loss": ["1", "2"]},
                            lambda: {"loss": np.array(["a", "b"])}, lambda: {"loss": [1e-320, 1e-310]}, lambda: {"loss": [0.5] * 10**4},
                            lambda: {"loss": [1.0, 2.0], "val_loss": [math.nan, math.nan]}, lambda: {"loss": np.array([1.0, 2.0], dtype=object)},
                            lambda: {"loss": [1e300, 1e-300]}, lambda: {"loss": np.float64(1.0)}, lambda: {"loss": [1.0, 2.0], "val_loss": "ab"},
                            lambda: None, lambda: [1.0, 2.0], lambda: {"loss": [1.0, 2.0], "val_loss": [[1.0], [2.0, 3.0]]},
                            lambda: {"loss": [np.float32(3e38), np.float32(1e-45)]}, lambda: {"loss": [1, 2], "val_loss": [3 + 0j, 4]}])()
        kwargs = {}
        if coin(0.4):
            kwargs["width"] = number([8, 20, 64, 200, np.int64(30)], ODD_NUMBERS + [7, 10**12, 2.0], 0.5)
        if coin(0.4):
            kwargs["height"] = number([2, 5, 12, 40], ODD_NUMBERS + [1, 10**12], 0.5)

        def check(r):
            if not isinstance(r, str):
                raise Wrong("loss_curve returned a non-str", short(r))
        return plain("loss_curve", [history], kwargs, [f"history={short(history)}", kw_text(kwargs)], check)

    def gen_look_inside():
        p, X, Y, notes = net_and_data()
        kwargs = {}
        if coin(0.4):
            kwargs["lr"] = number([0.003, 0.1, 1e308, 5e-324], p=0.4)
        if coin(0.3):
            kwargs["optimizer"] = pick(["sgd", "adam", "SGD", None, 1])
        notes.append(kw_text(kwargs))
        ok_before = network_ok(p)

        def check(rows):
            if ok_before and not (isinstance(rows, list) and len(rows) == nn.depth(p)):
                raise Wrong("look_inside: not one row per layer", short(rows))
        return plain("look_inside", [p, X, Y], kwargs, notes, check)

    def gen_format_table():
        rows = None
        if coin(0.4):
            p, X, Y, notes = net_and_data(valid=True)
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    rows = nn.look_inside(p, X, Y)
            except Exception:
                rows = None
        if rows is None:
            rows = pick([lambda: [], lambda: [{}], lambda: [{"a": 1}, {"b": 2}], lambda: [{"a": math.nan, "b": None, "c": 1e300, "d": "x" * 500}],
                         lambda: "rows", lambda: None, lambda: [1, 2], lambda: ({"a": 1},), lambda: [{"a": 1, 2: 3}],
                         lambda: [{"a": np.array([1, 2])}], lambda: [{"a": 1}, {"a": 2, "b": 3}], lambda: [{"b": 1, "a": 2}, {"a": 1, "b": 2}],
                         lambda: [{"a": np.float32(1.5), "b": 1j, "c": b"x", "d": -0.0}], lambda: {"a": 1}, lambda: [[("a", 1)]],
                         lambda: [{"a\nb": "c\td"}], lambda: [{"a": 10**400}], lambda: np.array([{"a": 1}])])()
        return plain("format_table", [rows], {}, [f"rows={short(rows)}"], lambda r: None if isinstance(r, str)
                     else (_ for _ in ()).throw(Wrong("format_table returned a non-str", short(r))))

    def gen_sanity_check():
        p, X, Y, notes = net_and_data()
        kwargs = {"show": pick([True, False, 0, None, "yes"])}
        if coin(0.3):
            kwargs["seed"] = number([0, 5, 2**40], [-1, "s", 1.5], 0.4)
        notes.append(kw_text(kwargs))
        finite_before = finite_params(p)

        def check(r):
            if not (isinstance(r, dict) and set(r) == {"initial loss", "overfit a small batch", "train matches the plain loop", "gradients"}):
                raise Wrong("sanity_check: not the four checks", short(r))
            if not finite_before and all(r.values()):
                raise Wrong("sanity_check passes non-finite params", short(r))
        return plain("sanity_check", [p, X, Y], kwargs, notes, check)

    def gen_predict(fn):
        def gen():
            p, X, Y, notes = net_and_data()
            finite_before = finite_params(p)
            nan_before = not finite_before and isinstance(p, dict) and any(
                isinstance(p.get(k), np.ndarray) and p[k].dtype.kind in "fc" and np.isnan(p[k]).any() for k in nn.param_keys(p))
            ok_before = network_ok(p)
            n = 1 if pd is not None and isinstance(X, pd.Series) else np.shape(X)[0] if ndim(X) > 0 else None

            def check(r):
                if nan_before:
                    raise Wrong(f"{fn} answered for NaN params", short(r))
                if not finite_before:
                    raise Wrong(f"note: {fn} answers for infinite params (saturation hides them)", short(r))
                if not ok_before:
                    return
                output, k = p["output"], p[f"W{nn.depth(p)}"].shape[1]
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    P = nn._finite_outputs(p, X)
                if fn == "predict":
                    want = P.argmax(axis=1) if output == "softmax" else ((P > 0.5).astype(np.int64) if output == "sigmoid" else P)
                    want = want[:, 0] if want.ndim == 2 and want.shape[1] == 1 else want
                    if r.shape != want.shape or not np.array_equal(r, want):
                        raise Wrong("predict disagrees with the network's outputs", f"{short(r)} vs {short(want)}")
                    if output == "softmax" and (r.min() < 0 or r.max() >= k):
                        raise Wrong("predict: a class index out of range", short(r))
                else:
                    if not ((r >= 0) & (r <= 1)).all():
                        raise Wrong("predict_proba outside [0, 1]", short(r))
                    if output == "softmax" and np.abs(r.sum(axis=1) - 1).max() > (1e-5 if r.dtype == np.float32 else 1e-12):
                        raise Wrong("predict_proba rows do not sum to 1", short(r.sum(axis=1)))
                    if r.shape[0] != n:
                        raise Wrong("predict_proba: wrong number of rows", str(r.shape))
            return plain(fn, [p, X], {}, notes, check)
        return gen

    def leftovers(where):
        try:
            found = [f for f in os.listdir(where) if f.startswith(".nn-save-") or f.startswith(".nn-")]
        except OSError:
            return []
        for f in found:
            try:
                os.remove(os.path.join(where, f))
            except OSError:
                pass
        return found

    def quiet(fn, *args):
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            return fn(*args)

    def gen_save_params():
        i = next(counter)
        base = os.path.join(folder, f"save{i}")
        kind = pick(["plain", "npz", "npz", "pathlib", "bytes", "int", "none", "missing_dir", "dir", "nul", "long",
                     "double_ext", "relative", "dot_npz_dir", "trailing_slash", "read_only", "plain"])
        target, allow = base + ".npz", ()
        path = {"plain": base, "npz": base + ".npz", "pathlib": pathlib.Path(base + ".npz"), "bytes": (base + ".npz").encode(),
                "int": 5, "none": None, "missing_dir": os.path.join(folder, f"nope{i}", "x.npz"), "dir": base + ".npz",
                "nul": base + "\x00.npz", "long": os.path.join(folder, "n" * 300 + ".npz"), "double_ext": base + ".npz.npz",
                "relative": f"save{i}", "dot_npz_dir": base, "trailing_slash": base + os.sep, "read_only": base + ".npz"}[kind]
        if kind in ("int", "none", "nul", "long", "missing_dir", "trailing_slash"):
            target = None
        if kind == "trailing_slash":
            os.mkdir(base)
        if kind == "read_only":  # a write-protected file, which save_params must leave as it is
            quiet(nn.save_params, target, new_net(keep_epochs=True)[0])
            os.chmod(target, 0o444)
            with open(target, "rb") as file:
                protected = file.read()
            allow = (PermissionError,)
        if kind == "missing_dir":
            allow = (FileNotFoundError,)
        if kind == "double_ext":
            target = base + ".npz.npz"
        if kind == "relative":
            target = os.path.join(os.getcwd(), f"save{i}.npz")
        if kind in ("dir", "dot_npz_dir"):
            os.mkdir(base + ".npz")
            target = None
        old = None
        if target is not None and kind != "read_only" and coin(0.5):
            old, _ = new_net(keep_epochs=True)
            quiet(nn.save_params, target, old)
        if coin(0.6):
            p, X, Y, notes = net_and_data(valid=True)
        else:
            p, X, Y, notes = net_and_data()
            if isinstance(p, dict) and coin(0.4):
                p, note = mutate_params(p)
                notes.append(note)
        fault = pick([None, None, "savez-oserror", "savez-keyboard", "savez-memory", "replace", "fsync"]) if old is not None else None
        notes += [f"path kind {kind}", f"old file: {old is not None}", f"fault: {fault}"]
        injected = {"savez-oserror": OSError(28, "No space left on device (injected)"),
                    "savez-keyboard": KeyboardInterrupt(), "savez-memory": MemoryError("injected"),
                    "replace": OSError(5, "Input/output error (injected)"), "fsync": OSError(5, "fsync failed (injected)")}.get(fault)
        snaps = snapshot([(1, p)])

        mask = pick([UMASK, UMASK, 0o077, 0o002])  # the umask this save runs under
        notes.append(f"umask {mask:03o}")

        def call():
            previous_mask = os.umask(mask)
            try:
                return faulty_save()
            finally:
                os.umask(previous_mask)

        def faulty_save():
            saved = {name: getattr(np, name) for name in ("savez", "savez_compressed")}
            saved_os = {name: getattr(os, name) for name in ("replace", "fsync", "rename")}

            def failing_savez(file, *a, **k):
                (file.write if hasattr(file, "write") else open(file, "wb").write)(b"PK\x03\x04 half a file")
                raise injected
            try:
                if fault and fault.startswith("savez"):
                    np.savez = np.savez_compressed = failing_savez
                elif fault == "replace":
                    os.replace = os.rename = lambda *a, **k: (_ for _ in ()).throw(injected)
                elif fault == "fsync":
                    os.fsync = lambda *a, **k: (_ for _ in ()).throw(injected)
                return nn.save_params(path, p)
            finally:
                for name, f in saved.items():
                    setattr(np, name, f)
                for name, f in saved_os.items():
                    setattr(os, name, f)

        existed = target is not None and os.path.exists(target)

        def always(exc):
            check_unchanged("save_params", snaps)
            left = leftovers(folder) + leftovers(os.getcwd())
            if left:
                raise Wrong("save_params left a temporary file behind", str(left[:2]))
            if kind == "trailing_slash" and os.path.exists(os.path.join(base, ".npz")):
                raise Wrong("save_params('d/') wrote d/.npz, which load_params('d/') cannot find", base)
            if kind == "read_only":
                with open(target, "rb") as file:
                    if file.read() != protected:
                        raise Wrong("save_params replaced a write-protected file", target)
                os.chmod(target, 0o644)
                return
            if exc is None and target is not None and not existed and os.stat(target).st_mode & 0o777 != 0o666 & ~mask:
                raise Wrong("save_params ignores the umask", f"mode {os.stat(target).st_mode & 0o777:o} with umask {mask:o}")
            if target is None:
                return
            if exc is None:
                try:
                    loaded = quiet(nn.load_params, target)
                except Exception as error:
                    raise Wrong("save_params wrote a file load_params refuses", f"{type(error).__name__}: {str(error)[:150]}")
                same_network(loaded, p, "load(save(p)) != p")
            elif old is not None:
                try:
                    loaded = quiet(nn.load_params, target)
                except Exception as error:
                    raise Wrong("a failed save destroyed the old file", f"{type(error).__name__}: {str(error)[:150]}")
                same_network(loaded, old, "a failed save changed the old file")
        return {"fn": "save_params", "call": call, "notes": notes, "check": None, "always": always, "allow": allow,
                "replay": (None if fault else ("save_params", [path, p], {})), "expect": injected,
                "target": str(target)}

    def npy(arr):
        buf = io.BytesIO()
        np.lib.format.write_array(buf, np.asanyarray(arr), allow_pickle=True)
        return buf.getvalue()

    def forged_npy(header, data=b"", version=(1, 0)):
        h = header if isinstance(header, str) else repr(header)
        h += " " * ((64 - (10 + len(h) + 1) % 64) % 64) + "\n"
        return b"\x93NUMPY" + bytes(version) + struct.pack("<H", len(h)) + h.encode("latin1") + data

    def members_of(path):
        """The members of the file save_params wrote, in its order: (name, bytes)."""
        with zipfile.ZipFile(path) as z:
            return [(info.filename, z.read(info)) for info in z.infolist()]

    resummed = []  # whether the last write_zip made the checksums agree with its edited members

    def write_zip(path, members, compression=zipfile.ZIP_STORED):
        """Write members as a zip; half the time with checksums recomputed to fit an edit, so that a file
        edited by hand (not damaged) reaches the checks behind the checksums."""
        resummed[:] = [False]
        names = [m for m, _ in members]
        if "checksums.npy" in names and coin(0.5) and hasattr(nn, "_checksum"):
            lines = []
            for m, data in members:
                try:
                    array = np.lib.format.read_array(io.BytesIO(data), allow_pickle=False)
                except Exception:
                    continue
                if m != "checksums.npy":
                    lines.append(f"{m[:-4]} {nn._checksum(array)}")
            members = [(m, npy(np.array(lines)) if m == "checksums.npy" else d) for m, d in members]
            resummed[:] = [True]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with zipfile.ZipFile(path, "w", compression) as z:
                for name, data in members:
                    z.writestr(name, data)

    BOMB = 2**27  # bytes: a deflated b1 of zeros that really unpacks to 128 MiB, from a file of 128 KiB

    def deflate_bomb():
        """The path of a zip holding only that b1 (made once per run: compressing it takes a moment)."""
        bomb = os.path.join(folder, "bomb.zip")
        if not os.path.exists(bomb):
            with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("b1.npy", "w", force_zip64=True) as w:
                w.write(forged_npy({"descr": "<f8", "fortran_order": False, "shape": (BOMB // 8,)}))
                block = bytes(2**22)
                for _ in range(BOMB // len(block)):
                    w.write(block)
        return bomb

    def zip_index_damaged(raw):
        """The file with one bit flipped in its zip index (the central directory and its end record)."""
        raw = bytearray(raw)
        start = raw.find(b"PK\x01\x02")
        at = int(R.integers(start, len(raw)))
        raw[at] ^= 1 << int(R.integers(8))
        return bytes(raw), at - start

    def old_format_file(path, p):
        """The file the save_params before the format version wrote: W1, b1 with x's statistics folded in
        (W1' = W1 / s, b1' = b1 - (m / s) @ W1), x_mean and x_std beside them, no version; and the
        network load_params must make of it."""
        m, s = R.normal(size=p["W1"].shape[0]) * 100, R.uniform(0.5, 50, p["W1"].shape[0])
        W1, b1 = p["W1"].astype(np.float64), p["b1"].astype(np.float64)
        folded = {**p, "W1": (W1 / s[:, None]).astype(p["W1"].dtype), "b1": (b1 - (m / s) @ W1).astype(p["W1"].dtype),
                  "x_mean": m, "x_std": s}
        np.savez(path, **{k: np.asarray(v) for k, v in folded.items()})
        return {**p, "x_mean": m, "x_std": s}

    def patch_bytes(raw, signature, offset, value, fmt):
        raw = bytearray(raw)
        at = raw.find(signature)
        while at >= 0:
            struct.pack_into(fmt, raw, at + offset, value)
            at = raw.find(signature, at + 4)
        return bytes(raw)

    LOAD_KINDS = ["good", "good_compressed", "good_noext", "truncated", "truncated", "flipped", "flipped", "random",
                  "index_flipped", "index_flipped", "index_flipped", "old_format", "header_garbage",
                  "random_pk", "empty", "text", "pickle", "pickle0", "npy", "npy_object", "npz_object", "forged_shape",
                  "forged_size", "forged_header", "extra_txt", "extra_npy", "dup_member", "subdir_member", "empty_zip",
                  "weights_only", "hidden_kinds", "epochs_kinds", "feature_kinds", "stats_kinds", "W_kinds", "chain",
                  "encrypted", "method99", "missing", "dir", "dev_null", "path_types", "zip_in_zip", "savez_plain"]

    def gen_load_params():
        i = next(counter)
        path = os.path.join(folder, f"load{i}.npz")
        kind = pick(LOAD_KINDS)
        p, _, _, notes = net_and_data(valid=True)
        if isinstance(p, dict) and "epochs" not in p:
            p["epochs"] = 0
        quiet(nn.save_params, path, p)
        with open(path, "rb") as f:
            good = f.read()
        members = members_of(path)
        expect = p  # what a load that returns must give
        allow, arg, detail = (), path, kind
        names = [name for name, _ in members]

        def replace(name, data):
            return [(m, data if m == name else d) for m, d in members]
        if kind == "good_compressed":
            write_zip(path, members, zipfile.ZIP_DEFLATED)
        elif kind == "good_noext":
            arg = path[:-4]
        elif kind == "truncated":
            cut = int(R.integers(0, len(good)))
            open(path, "wb").write(good[:cut])
            detail += f" to {cut} of {len(good)} bytes"
        elif kind == "index_flipped":
            raw, at = zip_index_damaged(good)
            open(path, "wb").write(raw)
            detail += f" at byte {at} of the zip index"
        elif kind == "old_format":
            if any(k in p for k in ("x_mean", "y_mean", "feature_names")) or not network_ok(p):
                p = {k: v for k, v in p.items() if k not in ("x_mean", "x_std", "y_mean", "y_std", "feature_names")}
            expect = old_format_file(path, p)
        elif kind == "header_garbage":
            victim = pick(names)
            write_zip(path, replace(victim, forged_npy(pick(["{'descr': '<f8', 'fortran_order': False}", "{1: 2}",
                                                             "{'descr': 'zz', 'fortran_order': False, 'shape': (2,), }",
                                                             "{'descr': '<f8', 'fortran_order': 'x', 'shape': (2,), }",
                                                             "not python"]))))
            detail += f" {victim} with an unreadable header"
        elif kind == "deflate_bomb":
            bomb = deflate_bomb()
            with open(bomb, "rb") as source, open(path, "wb") as target:
                target.write(source.read())
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                with zipfile.ZipFile(path, "a") as z:
                    for m, d in members:
                        if m != "b1.npy":
                            z.writestr(m, d)
            detail += f" b1 claims {BOMB >> 20} MiB and unpacks to it from {os.path.getsize(path) >> 10} KiB"
        elif kind == "flipped":
            raw = bytearray(good)
            for _ in range(int(R.integers(1, 4))):
                raw[int(R.integers(len(raw)))] ^= 1 << int(R.integers(8))
            open(path, "wb").write(bytes(raw))
        elif kind == "random":
            open(path, "wb").write(R.bytes(int(R.integers(0, 3000))))
        elif kind == "random_pk":
            open(path, "wb").write(b"PK\x03\x04" + R.bytes(int(R.integers(0, 3000))))
        elif kind == "empty":
            open(path, "wb").close()
        elif kind == "text":
            open(path, "w").write(pick(["hello\n", "a,b,c\n1,2,3\n", "{\"W1\": [[1]]}", "\u00e9\u00e8" * 100]))
        elif kind == "pickle":
            open(path, "wb").write(pickle.dumps({k: v for k, v in p.items()}))
        elif kind == "pickle0":
            open(path, "wb").write(pickle.dumps({"a": 1}, protocol=0))
        elif kind == "npy":
            open(path, "wb").write(npy(p["W1"]))
        elif kind == "npy_object":
            open(path, "wb").write(npy(np.array([{"a": 1}, None], dtype=object)))
        elif kind == "npz_object":
            victim = pick(names)
            write_zip(path, replace(victim, npy(np.array([{"W": 1}, None], dtype=object))))
            detail += f" in {victim}"
        elif kind == "forged_shape":
            victim = pick(names)
            shape = pick([(10**6, 10**7), (2**40,), (2**31, 2**31), (10**6,), ()])
            write_zip(path, replace(victim, forged_npy({"descr": "<f8", "fortran_order": False, "shape": shape}, b"\0" * 16)))
            detail += f" {victim} claims {shape}"
        elif kind == "forged_size":
            big = pick([2**26, 2**27])
            ms = replace("W1.npy", forged_npy({"descr": "<f8", "fortran_order": False, "shape": (p["W1"].shape[0], big)}, b"\0" * 64))
            ms = [(m, forged_npy({"descr": "<f8", "fortran_order": False, "shape": (big,)}, b"\0" * 64) if m == "b1.npy" else d)
                  for m, d in ms]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                write_zip(path, ms, zipfile.ZIP_DEFLATED)
            raw = open(path, "rb").read()
            raw = patch_bytes(raw, b"PK\x01\x02", 24, 0xFFFFFF00, "<I")
            raw = patch_bytes(raw, b"PK\x03\x04", 22, 0xFFFFFF00, "<I")
            open(path, "wb").write(raw)
            detail += f" W1, b1 claim {big} units and 4 GB each"
        elif kind == "forged_header":
            victim = pick(names)
            data = pick([b"\x93NUMPY\x03\x00" + b"\x10\x00\x00\x00" + b"{}" + b" " * 13 + b"\n", b"\x93NUMPY\x01\x00\xff\xff" + b"x" * 100,
                         b"not npy at all", b"", forged_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }"),
                         forged_npy("{'descr': 'O', 'fortran_order': False, 'shape': (2,), }"), forged_npy("[1, 2]"),
                         forged_npy("{'descr': '<f8', 'shape': (2, 2), }"), forged_npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", b"\0" * 16),
                         forged_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", b"\0" * 32, (2, 0))])
            write_zip(path, replace(victim, data))
            detail += f" {victim} = {data[:40]!r}"
        elif kind == "extra_txt":
            write_zip(path, members + [("readme.txt", b"hello")])
        elif kind == "extra_npy":
            write_zip(path, members + [(pick(["extra.npy", "W9.npy", "lr.npy", "input_mean.npy", "history.npy"]), npy(np.zeros(3)))])
        elif kind == "dup_member":
            write_zip(path, members + [(pick(names), npy(np.zeros((7, 7))))])
        elif kind == "subdir_member":
            write_zip(path, [("sub/" + m, d) for m, d in members])
        elif kind == "empty_zip":
            write_zip(path, [])
        elif kind == "weights_only":
            write_zip(path, [(m, d) for m, d in members if m not in ("hidden.npy", "output.npy")])
        elif kind == "hidden_kinds":
            v = pick([np.array(b"relu"), np.array(3), np.array(["relu"]), np.array("nope"), np.array("relu", dtype=object),
                      np.array("linear"), np.array("")])
            write_zip(path, replace(pick(["hidden.npy", "output.npy"]), npy(v)))
            detail += f" {short(v)}"
        elif kind == "epochs_kinds":
            v = pick([np.array([1, 2]), np.array("abc"), np.array(np.nan), np.array(np.inf), np.array(1e300), np.array(-5),
                      np.array(2.5), np.array(True), np.zeros((2, 2)), np.array(2**63 - 1), np.array(1 + 2j), np.array(b"3")])
            write_zip(path, replace("epochs.npy", npy(v)))
            detail += f" epochs={short(v)}"
        elif kind == "feature_kinds":
            v = pick([np.array("a"), np.array([["a", "b"]]), np.arange(p["W1"].shape[0]), np.array(["a"] * (p["W1"].shape[0] + 2)),
                      np.array([b"a"] * p["W1"].shape[0]), np.array([1 + 1j] * p["W1"].shape[0])])
            write_zip(path, members + [("feature_names.npy", npy(v))])
            detail += f" feature_names={short(v)}"
        elif kind == "stats_kinds":
            n_in = p["W1"].shape[0]
            extra = pick([{"x_mean": np.array(["a"] * n_in), "x_std": np.ones(n_in)}, {"x_mean": np.zeros(n_in + 1), "x_std": np.ones(n_in + 1)},
                          {"x_mean": np.zeros(n_in)}, {"y_mean": np.zeros(1), "y_std": np.ones(1)},
                          {"x_mean": np.full(n_in, np.nan), "x_std": np.ones(n_in)}, {"x_mean": np.zeros(n_in), "x_std": np.zeros(n_in)},
                          {"x_mean": np.zeros(n_in, complex), "x_std": np.ones(n_in)}, {"x_mean": np.zeros(n_in, bool), "x_std": np.ones(n_in, int)},
                          {"x_mean": np.zeros((n_in, 1)), "x_std": np.ones(n_in)}])
            write_zip(path, [(m, d) for m, d in members if m[:-4] not in extra] + [(f"{k}.npy", npy(v)) for k, v in extra.items()])
            detail += " " + ", ".join(f"{k}={short(v, 30)}" for k, v in extra.items())
        elif kind == "W_kinds":
            victim = pick([m for m in names if m[0] in "Wb"])
            v = retype(np.asarray(p[victim[:-4]]), pick(["int64", "complex", "float16", "bool", ">f8", "object", "str", "float32"]))
            if coin(0.3):
                v = v[..., None]
            write_zip(path, replace(victim, npy(v)))
            detail += f" {victim} {short(v)}"
        elif kind == "chain" and nn.depth(p) >= 2:
            write_zip(path, replace("W2.npy", npy(np.zeros((p["W2"].shape[0] + 1, p["W2"].shape[1])))))
        elif kind == "encrypted":
            raw = bytearray(good)
            raw = patch_bytes(raw, b"PK\x01\x02", 8, 1, "<H")
            raw = patch_bytes(raw, b"PK\x03\x04", 6, 1, "<H")
            open(path, "wb").write(raw)
        elif kind == "method99":
            raw = patch_bytes(good, b"PK\x01\x02", 10, 99, "<H")
            raw = patch_bytes(raw, b"PK\x03\x04", 8, 99, "<H")
            open(path, "wb").write(raw)
        elif kind == "missing":
            arg, allow = os.path.join(folder, f"missing{i}.npz"), (FileNotFoundError,)
        elif kind == "dir":
            arg = os.path.join(folder, f"dir{i}.npz")
            os.mkdir(arg)
            allow = (FileNotFoundError, IsADirectoryError)
        elif kind == "dev_null":
            arg, allow = os.devnull, (FileNotFoundError,)
        elif kind == "path_types":
            arg = pick([None, 5, path.encode(), pathlib.Path(path), [path], path + "\x00", ""])
            allow = (FileNotFoundError,) if arg == "" else ()
        elif kind == "zip_in_zip":
            write_zip(path, [("W1.npy", good)])
        elif kind == "savez_plain":
            np.savez(path, **{k: v for k, v in p.items() if isinstance(v, np.ndarray)})
        notes.append(f"file: {detail}")
        good_kinds = ("good", "good_compressed", "good_noext") + (("path_types",) if isinstance(arg, (str, pathlib.Path, bytes)) and arg else ())

        edited = bool(resummed and resummed[0]) and kind not in good_kinds  # a consistent file edited by hand

        def check(loaded):
            if kind in good_kinds:
                same_network(loaded, p, "load_params of a good file")
                return
            if kind == "old_format":
                old_file_converted(loaded, expect)
                return
            if not edited:  # damage must be refused, or be harmless: never another network
                same_network(loaded, p, f"load_params returned another network from a damaged file ({kind})")
                return
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    nn.predict(loaded, np.zeros((2, loaded["W1"].shape[0])))
            except Exception as error:
                raise Wrong("load_params accepted a file whose network cannot predict",
                            f"{kind}: {type(error).__name__}: {str(error)[:120]}")

        peak = []

        def call():
            import tracemalloc
            if kind not in ("deflate_bomb", "forged_size"):
                return nn.load_params(arg)
            tracemalloc.start()
            try:
                return nn.load_params(arg)
            finally:
                peak.append(tracemalloc.get_traced_memory()[1])
                tracemalloc.stop()

        def always(exc):
            if peak and peak[0] > 2**25:
                raise Wrong("load_params allocated far more than the file holds",
                            f"{kind}: {peak[0] >> 20} MiB for a file of {os.path.getsize(path) >> 10} KiB")
            if isinstance(exc, ValueError) and isinstance(arg, str) and arg and os.path.isfile(arg) and \
                    os.path.basename(arg) not in str(exc):
                raise Wrong("load_params refused a file without naming it", f"{kind}: {str(exc)[:150]}")
        return {"fn": "load_params", "call": call, "notes": notes, "check": check, "always": always,
                "allow": allow, "replay": ("load_params", [arg], {}) if kind not in ("path_types", "missing", "dir", "dev_null") else None,
                "file": arg if isinstance(arg, str) and os.path.isfile(arg) else None}

    def old_file_converted(loaded, want):
        """load_params of a file from before the format version: W1, b1 unfolded (to rounding), the rest as saved."""
        for key in want:
            if key in ("W1", "b1"):
                continue
            same_network({key: loaded.get(key)}, {key: want[key]}, "load_params of an old-format file")
        m, s, W1, b1 = want["x_mean"], want["x_std"], want["W1"].astype(float), want["b1"].astype(float)
        eps = np.finfo(want["W1"].dtype).eps
        scale = np.abs(m / s) @ np.abs(W1) + np.abs(b1) + 1
        if loaded["W1"].dtype != want["W1"].dtype or np.abs(loaded["W1"] - W1).max() > 8 * eps * np.abs(W1).max() + 1e-300 \
                or np.abs(loaded["b1"] - b1).max() > 8 * eps * scale.max():
            raise Wrong("load_params: an old-format file's W1, b1 are not unfolded",
                        f"W1 off by {np.abs(loaded['W1'] - W1).max():.3g}, b1 by {np.abs(loaded['b1'] - b1).max():.3g}")

    GENERATORS = [
        ("init_params", 5, gen_init_params), ("depth", 2, gen_depth_like("depth")), ("param_keys", 2, gen_depth_like("param_keys")),
        ("forward", 8, gen_forward), ("loss", 8, gen_loss), ("backward", 8, gen_backward), ("update", 7, gen_update),
        ("gradient_check", 6, gen_gradient_check), ("cosine_lr", 4, gen_cosine_lr), ("train", 9, gen_train),
        ("train (resume)", 2, gen_resume), ("loss_curve", 5, gen_loss_curve), ("look_inside", 6, gen_look_inside),
        ("format_table", 3, gen_format_table), ("sanity_check", 3, gen_sanity_check), ("predict", 8, gen_predict("predict")),
        ("predict_proba", 6, gen_predict("predict_proba")), ("save_params", 7, gen_save_params), ("load_params", 9, gen_load_params),
    ]
    GENERATORS = [g for g in GENERATORS if only is None or g[0] in only]
    weights = np.array([w for _, w, _ in GENERATORS], dtype=float)
    weights /= weights.sum()

    # ---------- running and judging ----------
    bad, tally = [], collections.Counter()

    def where(exc):
        """The last nn.py frame of exc's traceback: 'nn.py:LINE in FUNC: CODE', else the last frame."""
        import linecache
        tb, last_nn, last = exc.__traceback__, None, None
        while tb is not None:
            code = tb.tb_frame.f_code
            last = (code.co_filename, tb.tb_lineno, code.co_name)
            if os.path.realpath(code.co_filename) == nn_file:
                last_nn = last
            tb = tb.tb_next
        spot = last_nn or last
        if spot is None:
            return "(no traceback)"
        text = (nn_lines[spot[1] - 1] if spot is last_nn and spot[1] <= len(nn_lines) else linecache.getline(spot[0], spot[1])).strip()
        name = "nn.py" if spot is last_nn else os.path.basename(spot[0])
        return f"{name}:{spot[1]} in {spot[2]}: {text[:90]}"

    def raw(exc):
        """True if exc is NumPy's or Python's own error, not one nn.py raised with a message of its own: the
        innermost frame is outside nn.py, or on an nn.py line that is no raise statement. (A wrong call of
        a function, caught by Python at the call in this file, says what to pass.)"""
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is None:
            return False
        name = os.path.realpath(tb.tb_frame.f_code.co_filename)
        if name == os.path.realpath(__file__ if "__file__" in globals() else name):
            return False
        if name != nn_file:
            return True
        return not nn_lines[tb.tb_lineno - 1].lstrip().startswith("raise")

    def warning_inside(exc):
        seen = exc.__context__ or exc.__cause__
        while seen is not None:
            if isinstance(seen, Warning):
                return seen
            seen = seen.__context__ or seen.__cause__
        return None

    # Functions whose raw errors issue 27's helper could not end (Part 1 and train's checks belong to the
    # lead); notes/issue27.md gives the checks that do. Their raw errors are notes, printed but not counted,
    # until then: empty this set once they are in.
    NOT_YET = set()

    def report(case, cause, detail):
        if cause.startswith("wrong: note: ") or cause.startswith("note: "):
            cause = cause[len("wrong: "):] if cause.startswith("wrong: ") else cause
            if notes is not None:
                notes.append({"cause": cause, "function": case["fn"], "case": "; ".join(map(str, case["notes"])),
                              "detail": detail[:300], "replay": case.get("replay")})
            return
        bad.append({"cause": cause, "function": case["fn"], "case": "; ".join(map(str, case["notes"])),
                    "detail": detail[:300], "replay": case.get("replay")})

    def on_alarm(signum, frame):
        raise Hang()

    def run(case):
        exc, result = None, None
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.filterwarnings("ignore", category=nn.ScaleWarning)
            warnings.filterwarnings("ignore", category=nn.TrainingInterrupted)  # the fuzzer's own Ctrl-C
            out = io.StringIO()
            for phase in ("call", "check"):
                try:
                    with contextlib.redirect_stdout(out):
                        if use_alarm:
                            signal.setitimer(signal.ITIMER_REAL, per_call)
                        try:
                            if phase == "call":
                                result = case["call"]()
                            else:
                                if exc is None and case.get("check"):
                                    case["check"](result)
                                if case.get("always"):
                                    case["always"](exc)
                        finally:
                            if use_alarm:
                                signal.setitimer(signal.ITIMER_REAL, 0)
                except Wrong as wrong:
                    report(case, f"wrong: {wrong.args[0]}", wrong.args[1] if len(wrong.args) > 1 else "")
                except BaseException as error:
                    if phase == "call":
                        exc = error
                    else:
                        report(case, f"{case['fn']} oracle: {type(error).__name__} at {where(error)}", str(error))
        fn = case["fn"]
        if exc is None and case.get("replay") and any(id(a) in must_refuse for a in list(case["replay"][1]) +
                                                      list(case["replay"][2].values())):
            report(case, f"wrong: {fn} used a Series of dates, durations, text or huge ints as numbers", "")
        tally[fn, "returned" if exc is None else type(exc).__name__] += 1
        if trace is not None:
            trace(case, exc)
        if exc is None:
            return
        if isinstance(exc, Hang):
            report(case, f"hang (> {per_call:g} s) at {where(exc)}", "")
        elif isinstance(exc, Warning):
            report(case, f"{type(exc).__name__} leaked at {where(exc)}", f"{fn}: {exc}")
        elif case.get("expect") is not None and case["expect"] in (exc, exc.__context__):
            if isinstance(exc, OSError) and case["target"] not in str(exc):  # the injected fault, passed on:
                report(case, "OSError passed on without naming the file", f"{fn}: {exc}")  # an OSError names the file
        elif isinstance(exc, (ValueError, TypeError) + tuple(case.get("allow", ()))):
            hidden = warning_inside(exc)
            if hidden is not None:
                report(case, f"{type(hidden).__name__} turned into {type(exc).__name__} at {where(hidden)}", f"{fn}: {exc}")
            elif isinstance(exc, (ValueError, TypeError)) and raw(exc):
                spot = where(exc)
                owner = spot.split(" in ", 1)[-1].split(":", 1)[0]
                note = "note: (code of Part 1 or train, see notes/issue27.md) " * (owner in NOT_YET)
                report(case, f"{note}raw {type(exc).__name__} (not nn.py's own words) at {spot}", f"{fn}: {exc}")
        else:
            report(case, f"{type(exc).__name__} at {where(exc)}", f"{fn}: {type(exc).__name__}: {exc}")

    use_alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    try:  # an address-space cap (3 GB above what the process holds), so that a runaway allocation is a MemoryError
        import resource
        previous_limit = resource.getrlimit(resource.RLIMIT_AS)
        with open("/proc/self/statm") as f:
            held = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        cap = held + 3 * 2**30
        if previous_limit[1] == resource.RLIM_INFINITY or cap < previous_limit[1]:
            resource.setrlimit(resource.RLIMIT_AS, (cap, previous_limit[1]))
        else:
            previous_limit = None
    except (ImportError, OSError, ValueError):
        previous_limit = None
    previous_alarm = signal.signal(signal.SIGALRM, on_alarm) if use_alarm else None
    old_cwd = os.getcwd()
    os.chdir(folder)
    made, start, skipped = 0, time.monotonic(), collections.Counter()
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fill_pool()
        while (calls is None or made < calls) and (seconds is None or time.monotonic() - start < seconds):
            name, _, gen = GENERATORS[int(R.choice(len(GENERATORS), p=weights))]
            try:
                with np.errstate(all="ignore"), warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
                    warnings.simplefilter("ignore")
                    case = gen()
            except Exception as error:  # a malformed network the generator itself could not handle: draw again
                skipped[f"{name}: {type(error).__name__} at {where(error)}"] += 1
                continue
            made += 1
            run(case)
    finally:
        os.chdir(old_cwd)
        if previous_limit is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)
        if use_alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_alarm)
    if log is not None:
        names = sorted({fn for fn, _ in tally})
        log("outcomes by function: " + "; ".join(
            f"{fn} " + ", ".join(f"{kind} {count}" for (f, kind), count in sorted(tally.items()) if f == fn) for fn in names))
    if skipped and log is not None:
        log(f"cases the generators could not build (drawn again): {dict(skipped.most_common(8))}")
    return made, bad
# ---- fuzzer ends ----


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--calls", type=int, default=None)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cases", default=os.path.join(tempfile.gettempdir(), "nn-fuzz-cases"))
    parser.add_argument("--only", default=None, help="comma-separated generator names, e.g. 'train (resume),load_params'")
    parser.add_argument("--show", action="store_true", help="print every call's outcome")
    args = parser.parse_args()
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import faulthandler
    import hashlib
    import nn
    faulthandler.dump_traceback_later(args.seconds + 120, exit=True)
    digest = hashlib.md5(open(nn.__file__, "rb").read()).hexdigest()[:8]
    started = time.monotonic()
    notes = []
    def show(case, exc):
        print(f"{case['fn']}: {type(exc).__name__ + ': ' + str(exc)[:200] if exc is not None else 'returned'}\n    {case['notes']}")
    calls, bad = fuzz_public_functions(nn, seed=args.seed, calls=args.calls, seconds=args.seconds, log=print, notes=notes,
                                       only=args.only.split(",") if args.only else None, trace=show if args.show else None)
    elapsed = time.monotonic() - started
    groups = collections.OrderedDict()
    for b in sorted(bad, key=lambda b: b["cause"]):
        groups.setdefault(b["cause"], []).append(b)
    os.makedirs(args.cases, exist_ok=True)
    print(f"nn.py md5 {digest}: {calls} calls in {elapsed:.0f} s (seed {args.seed}), {len(bad)} bad outcomes, "
          f"{len(groups)} root causes")
    for i, (cause, items) in enumerate(sorted(groups.items(), key=lambda kv: -len(kv[1]))):
        funcs = collections.Counter(b["function"] for b in items)
        shortest = min(items, key=lambda b: len(b["case"]))
        print(f"\n[{i}] {len(items)} x {cause}\n    functions: {dict(funcs)}\n    e.g. {shortest['case']}\n    -> {shortest['detail']}")
        replay = next((b["replay"] for b in items if b["replay"]), None)
        if replay:
            try:
                data = pickle.dumps({"cause": cause, "replay": replay, "case": shortest["case"]})
                with open(os.path.join(args.cases, f"cause{i}.pkl"), "wb") as f:
                    f.write(data)
            except Exception:
                pass
    note_groups = collections.Counter(b["cause"] for b in notes)
    if note_groups:
        print("\nnotes (debatable, not counted as bad):")
        for cause, count in note_groups.most_common():
            e = min((b for b in notes if b["cause"] == cause), key=lambda b: len(b["case"]))
            print(f"  {count} x {cause}\n    e.g. {e['case']}\n    -> {e['detail']}")
    by_function = collections.Counter(b["function"] for b in bad)
    print("\nbad outcomes by function:", dict(by_function))


def replay_case(path):
    """Re-run a pickled case: cd bench && python -c 'import fuzz; fuzz.replay_case("<cases>/cause0.pkl")'."""
    import warnings
    import nn
    case = pickle.load(open(path, "rb"))
    fn, args, kwargs = case["replay"]
    print(case["cause"], "\n", case["case"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", category=nn.ScaleWarning)
        return getattr(nn, fn)(*args, **kwargs)


if __name__ == "__main__":
    main()
