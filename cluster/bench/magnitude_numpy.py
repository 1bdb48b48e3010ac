"""The magnitude function by NumPy + SciPy, as repgap magnitude defines it (docs/formulas.md section 5).

usage: magnitude_numpy.py X.npy OUT.json [--grid 64] [--decades 4] [--convergence 0.95]
Distances by scipy.spatial.distance.cdist (euclidean, float64 over the float32 values), one
scipy.linalg.cho_factor / cho_solve per t; t_conv by scipy.optimize.brentq on log t after a bracket by
doubling from 1 / max d; then a log grid of --grid scales over --decades decades up to t_conv.
Writes {"t_conv": .., "t": [..], "mag": [..], "seconds": ..} (seconds: after the imports).
"""
import json
import sys
import time

import numpy as np
from scipy.linalg import cho_factor, cho_solve
from scipy.optimize import brentq
from scipy.spatial.distance import cdist


def main():
    args = sys.argv[1:]
    opts = {"--grid": 64, "--decades": 4.0, "--convergence": 0.95}
    for k in list(opts):
        if k in args:
            i = args.index(k)
            opts[k] = type(opts[k])(args[i + 1])
            del args[i:i + 2]
    started = time.perf_counter()
    x = np.load(args[0]).astype(np.float64)
    d = cdist(x, x)
    n = len(d)
    ones = np.ones(n)

    def mag(t):
        return cho_solve(cho_factor(np.exp(-t * d)), ones).sum()

    target = opts["--convergence"] * n
    lo = np.log(1 / d.max())
    while mag(np.exp(lo)) >= target:
        lo -= np.log(2)
    hi = lo + np.log(2)
    while mag(np.exp(hi)) < target:
        lo, hi = hi, hi + np.log(2)
    t_conv = np.exp(brentq(lambda s: mag(np.exp(s)) - target, lo, hi, xtol=1e-12, rtol=1e-14))
    g = opts["--grid"]
    t = t_conv * 10.0 ** (-opts["--decades"] * (g - 1 - np.arange(g)) / (g - 1))
    t[-1] = t_conv
    m = [mag(s) for s in t]
    json.dump({"t_conv": t_conv, "t": t.tolist(), "mag": m, "seconds": time.perf_counter() - started},
              open(args[1], "w"))


if __name__ == "__main__":
    main()
