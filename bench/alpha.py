"""scikit-learn's alpha carried over to nn.train: as l2 (the mistake) and as l2 = alpha / batch_size.

    python bench/alpha.py

scikit-learn divides its penalty (alpha / 2) ||W||^2 by the batch size; nn.train's l2 is not divided,
so the same number penalises 32 times harder at batch_size=32. Held-out accuracy on breast cancer
(a stratified 30% test part), [30, 64, 1] ReLU, 200 epochs, batch 32, lr 0.003 for both.
"""

import os
import sys
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import nn  # noqa: E402

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
for alpha in (0.3, 1.0):
    sklearn = make_pipeline(StandardScaler(), MLPClassifier((64,), alpha=alpha, batch_size=32, learning_rate_init=0.003,
                                                            max_iter=200, random_state=0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn's ConvergenceWarning; nn.py's learned-nothing warning
        sklearn.fit(X_train, y_train)
        line = [f"alpha={alpha}: scikit-learn {sklearn.score(X_test, y_test):.3f}"]
        for name, l2 in (("l2=alpha", alpha), ("l2=alpha/32", alpha / 32)):
            params, _ = nn.train(nn.init_params([30, 64, 1], "relu", "sigmoid", seed=0), X_train, y_train,
                                 epochs=200, l2=l2, seed=0, log_every=None)
            line.append(f"nn.py {name} {np.mean(nn.predict(params, X_test) == y_test):.3f}")
    print(";  ".join(line))
