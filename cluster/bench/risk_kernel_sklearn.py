"""scikit-learn's KernelRidge on the same rows as `repgap risk --kernel rbf:GAMMA --no-intercept` (all training rows:
--max-n at least their number), for the comparison in RESULTS.md: test risk (squared error summed over the one-hot
outputs, mean over rows) per alpha = n lambda, and the exact leave-one-out risk of the same fit from NumPy's
eigendecomposition of K (the formula repgap uses), with the time of each part.

Usage: risk_kernel_sklearn.py TRAIN.npy TRAIN_LABELS.npy TEST.npy TEST_LABELS.npy GAMMA LAMBDA[,LAMBDA..] REPGAP.jsonl
"""
import json
import sys
import time

import numpy as np
from sklearn.kernel_ridge import KernelRidge
from sklearn.metrics.pairwise import rbf_kernel

x, y, tx, ty = (np.load(a) for a in sys.argv[1:5])
gamma = float(sys.argv[5])
lambdas = [float(v) for v in sys.argv[6].split(",")]
x, tx = x.astype(np.float64), tx.astype(np.float64)
classes = np.unique(y)
Y = (y[:, None] == classes[None, :]).astype(np.float64)
TY = (ty[:, None] == classes[None, :]).astype(np.float64)
n = len(x)
rows = [json.loads(l) for l in open(sys.argv[7]) if l.strip()]

def repgap(metric, lam):
    return next(r["value"] for r in rows if r["metric"] == metric
                and abs(float(r["param"].split("=")[1]) - lam) <= 1e-6 * lam)

start = time.time()
for lam in lambdas:
    model = KernelRidge(alpha=n * lam, kernel="rbf", gamma=gamma).fit(x, Y)
    test = ((TY - model.predict(tx)) ** 2).sum(axis=1).mean()
    print(f"lambda {lam:g}: test risk scikit-learn {test:.12g}, repgap {repgap('risk.test', lam):.12g},"
          f" relative difference {abs(test - repgap('risk.test', lam)) / test:.2e}")
fit_time = time.time() - start

start = time.time()
K = rbf_kernel(x, x, gamma=gamma)
mu, U = np.linalg.eigh(K)
yt = U.T @ Y
for lam in lambdas:
    s = mu / (mu + n * lam)
    resid = U @ ((1 - s)[:, None] * yt)
    lev = (U ** 2) @ s
    loo = ((resid ** 2).sum(axis=1) / (1 - lev) ** 2).mean()
    print(f"lambda {lam:g}: exact LOO NumPy {loo:.12g}, repgap {repgap('risk.loo', lam):.12g},"
          f" relative difference {abs(loo - repgap('risk.loo', lam)) / loo:.2e}")
print(f"seconds: scikit-learn KernelRidge fits and predictions {fit_time:.1f}, NumPy eigh LOO {time.time() - start:.1f}")
