"""Gram alignment by NumPy, as repgap alignment defines it (docs/formulas.md section 7), and the bench's data.

usage:
  alignment_numpy.py data N P DIR        seeded float32 features DIR/x.npy (N x P) and int64 labels DIR/labels.npy
  alignment_numpy.py run DIR OUT.json [--times 1,10,100,1000] [--fractions 0.1,0.5] [--top 1,10]
  alignment_numpy.py compare REPGAP.jsonl NUMPY.json

data: Gaussian rows with a power-law spectrum (the k-th principal direction has variance 1/k, so the
eigenvalues of X^T X fall as 1/k over the P ranks, condition number about P) in a seeded random orthonormal
basis; 10 classes, the label the argmax of X W plus noise for a seeded Gaussian W (so the residual sits mostly
along the large eigenvalues, as it does for a network's gradients).

run: what `repgap alignment` computes with its defaults on these rows (no residual column, no initial outputs,
no targets: r = -onehot(label), classes sorted), in float64: X^T X (X.T @ X), X^T r and ||r||^2, then
numpy.linalg.eigh; energy_bottom / energy_top / outside_span / weighted_eigenvalue / train_loss_predicted; and the
reconstructed gap predictor (docs/formulas.md 7.4) with the same quadrature (8-node Gauss-Legendre on panels
halving towards both ends), its row pass blocked as matrix products over chunks of rows. Writes the values and
the seconds of each stage (after the imports).

compare: the largest relative difference over every metric row both have.
"""
import json
import math
import sys
import time

import numpy as np

RANK_TOLERANCE = 1e-10  # GramAlignment.RANK_TOLERANCE
NODES = 8               # GapPredictor.NODES
CHUNK = 8192            # rows per block of the gap predictor's pass


def data(n, p, out):
    rng = np.random.default_rng(17)
    scale = (1.0 / np.sqrt(np.arange(1, p + 1))).astype(np.float32)
    basis = np.linalg.qr(rng.standard_normal((p, p)))[0].astype(np.float32)
    w = rng.standard_normal((p, 10)).astype(np.float32)
    x = np.empty((n, p), dtype=np.float32)
    logits = np.empty((n, 10), dtype=np.float32)
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        z = rng.standard_normal((hi - lo, p), dtype=np.float32) * scale
        x[lo:hi] = z @ basis
        logits[lo:hi] = x[lo:hi] @ w
    logits += rng.standard_normal(logits.shape, dtype=np.float32) * logits.std()
    np.save(f"{out}/x.npy", x)
    np.save(f"{out}/labels.npy", logits.argmax(axis=1).astype(np.int64))


def nodes(t, mu, n):
    """GapPredictor.nodes: the quadrature points s and weights w on [0, t]."""
    a_max = mu[0] * t / n if len(mu) else 0.0
    halvings = max(2, math.ceil(math.log(max(1.0, a_max)) / math.log(2)) + 3)
    edges = np.empty(2 * halvings + 1)
    edges[0] = 0.0
    for j in range(halvings):
        edges[j + 1] = t * 0.5 ** (halvings - j)
        edges[2 * halvings - 1 - j] = t - edges[j + 1]
    edges[halvings] = t / 2
    edges[2 * halvings] = t
    x, wx = np.polynomial.legendre.leggauss(NODES)
    lo, hi = edges[:-1, None], edges[1:, None]
    return (lo + (x + 1) / 2 * (hi - lo)).ravel(), (wx / 2 * (hi - lo)).ravel()


def run(src, out, times, fractions, tops):
    seconds = {}
    started = clock = time.perf_counter()

    def lap(name):
        nonlocal clock
        now = time.perf_counter()
        seconds[name] = now - clock
        clock = now

    x = np.load(f"{src}/x.npy").astype(np.float64)
    labels = np.load(f"{src}/labels.npy")
    classes = np.unique(labels)
    r = -(labels[:, None] == classes[None, :]).astype(np.float64)  # r = f0 - y with f0 = 0
    n, p = x.shape
    lap("load")
    gram = x.T @ x
    cross = x.T @ r
    total = float((r * r).sum())
    lap("moments")
    values, vectors = np.linalg.eigh(gram)
    values, vectors = values[::-1], np.ascontiguousarray(vectors[:, ::-1])
    lap("eigh")
    z = vectors.T @ cross                   # p x q
    z2 = (z * z).sum(axis=1)
    top = max(values[0], 0.0)
    rank = 0
    while rank < p and rank < n and values[rank] > RANK_TOLERANCE * top:
        rank += 1
    mu = values[:rank]
    energy = z2[:rank] / mu
    outside = max(0.0, total - energy.sum())
    rows = {}
    for f in fractions:
        b = min(rank, max(1, math.ceil(f * rank - 1e-9)))
        rows[("alignment.energy_bottom", f"fraction={f:.6g}")] = energy[rank - b:].sum() / total
    for k in tops:
        rows[("alignment.energy_top", f"k={k}")] = energy[:min(k, rank)].sum() / total
    rows[("alignment.outside_span", None)] = outside / total
    rows[("alignment.weighted_eigenvalue", None)] = z2.sum() / (n * total)
    for t in times:
        rows[("alignment.train_loss_predicted", f"t={t:.6g}")] = (outside + (energy * np.exp(-2 * mu * t / n)).sum()) / (2.0 * n)
    lap("alignment")
    # The gap predictor: u_ki = v_k . x_i / sqrt(mu_k), c_k = u_k^T r(0).
    inv = 1 / np.sqrt(mu)
    scaled = vectors[:, :rank] * inv        # p x rank
    coef = z[:rank] * inv[:, None]          # rank x q
    quad = []
    for t in times:
        if t == 0:
            quad.append(None)
            continue
        s, w = nodes(t, mu, n)
        decay = np.exp(-np.outer(s, mu) / n)                          # count x rank
        kernel = w[:, None] * mu * np.exp(-np.outer(t - s, mu) / n)   # count x rank
        quad.append((decay, kernel, coef * np.exp(-mu * t / n)[:, None]))
    first = np.zeros(len(times))
    for lo in range(0, n, CHUNK):
        u = x[lo:lo + CHUNK] @ scaled       # b x rank
        u2 = u * u
        perp = r[lo:lo + CHUNK] - u @ coef  # r_i(0) outside the span
        for i, qd in enumerate(quad):
            if qd is None:
                continue
            decay, kernel, coef_t = qd
            rt = u @ coef_t + perp
            perp_dot = (perp * rt).sum(axis=1)
            along = (u * (rt @ coef.T)) @ decay.T  # b x count
            diag = u2 @ kernel.T
            first[i] += ((perp_dot[:, None] + along) * diag).sum()
    for i, t in enumerate(times):
        gap = 0.0
        if t != 0:
            second = t / n * (mu * (coef * coef).sum(axis=1) * np.exp(-2 * mu * t / n)).sum()
            gap = (first[i] - second) / (float(n) * n)
        rows[("alignment.gap_predicted", f"t={t:.6g}")] = gap
    lap("gap")
    seconds["total"] = time.perf_counter() - started
    json.dump({"n": n, "p": p, "rank": rank, "seconds": seconds,
               "rows": [{"metric": m, "param": a, "value": v} for (m, a), v in rows.items()]}, open(out, "w"))


def key(metric, param):
    """A row's metric and param, the param's number parsed (repgap prints 0.100000 where Python prints 0.1)."""
    if param is None:
        return metric, None
    name, value = param.split("=")
    return metric, f"{name}={float(value):g}"


def compare(repgap, numpy):
    ours = {key(r["metric"], r.get("param")): r["value"] for r in map(json.loads, open(repgap))
            if r.get("metric", "").startswith("alignment.")}
    ref = json.load(open(numpy))
    worst, worst_key, compared = 0.0, None, 0
    for row in ref["rows"]:
        key_ = key(row["metric"], row["param"])
        if key_ not in ours:
            raise SystemExit(f"repgap has no row {key_}")
        a, b = ours[key_], row["value"]
        rel = abs(a - b) / abs(b) if b != 0 else abs(a)
        compared += 1
        print(f"  {key_[0]:32s} {key_[1] or '':16s} repgap {a:.15g}  numpy {b:.15g}  relative {rel:.2e}")
        if rel > worst:
            worst, worst_key = rel, key_
    print(f"  largest relative difference over {compared} rows: {worst:.2e} ({worst_key[0]} {worst_key[1] or ''})")
    print(f"  numpy stages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in ref["seconds"].items()))


def floats(s):
    return [float(v) for v in s.split(",")]


def main():
    args = sys.argv[1:]
    if args[0] == "data":
        data(int(args[1]), int(args[2]), args[3])
    elif args[0] == "run":
        opts = {"--times": "1,10,100,1000", "--fractions": "0.1,0.5", "--top": "1,10"}
        rest = args[1:]
        for k in list(opts):
            if k in rest:
                i = rest.index(k)
                opts[k] = rest[i + 1]
                del rest[i:i + 2]
        run(rest[0], rest[1], floats(opts["--times"]), floats(opts["--fractions"]),
            [int(v) for v in opts["--top"].split(",")])
    elif args[0] == "compare":
        compare(args[1], args[2])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
