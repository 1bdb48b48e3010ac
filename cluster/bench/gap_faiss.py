#!/usr/bin/env python3
"""The Representation Gap curve RG(n) with faiss (or plain NumPy), as `repgap gap` defines it.

  gap_faiss.py faiss|gemm TRAIN.npy TEST.npy [--seed S] [--rankings R] [--points P] [--smallest S0]
  gap_faiss.py compare REPGAP.jsonl THIS.jsonl...   repgap's `gap --json` lines against this script's,
                                                     as a Markdown table, and repgap's fitted dimension

RG(n) = mean over test rows x and rankings r of min over the first n training rows y of ranking r
of ||x - y||^2 (docs/formulas.md section 3), for repgap's geometric grid of n. The training rows have ids
0..N-1 (their row numbers, as `repgap import --npy ... --split train` numbers them); ranking r orders
them by the unsigned 64-bit value mix(id ^ mix(seed + (r + 1) * 0x9E3779B97F4A7C15)), ties by id
(common/.../gap/RankOrder.java), and the first n rows of ranking r are the n first in that order.
The grid is PrefixGrid.geometric(N, P, S0) (defaults P = 32, S0 = 16, R = 8).

Methods (both exact in the same sense, see below):
  faiss  per ranking, the training rows are split into the grid's buckets (bucket g = positions
         [n_{g-1}, n_g) of the ranking); each bucket is an IndexFlatL2 searched by all test rows with
         k = 1; the nearest row of each bucket is recomputed in float64, and the running minimum
         over the buckets is the squared distance to the nearest of the first n_g rows.
         R full scans of test x train.
  gemm   one distance pass for all rankings: float32 GEMM blocks (training rows x test rows, Gram
         trick), and for every ranking the block's rows gathered by bucket and reduced with
         np.minimum.reduceat; the per-bucket minima of all rankings are kept, then prefix minima.
         The last bucket needs no gather: the minimum over all rows is the same in every ranking.
         The values are the float32 Gram-trick distances (no float64 recompute: that would need the
         argmin of every segment).
The faiss method picks each bucket's nearest row by faiss's float32 distances and then recomputes
its distance in float64, which is what repgap reports (float64 distances of the float32 vectors);
the two differ only where two rows are within float32 rounding of each other.

Prints one JSON line per grid point ({"method", "n", "rg"}) and a last line with the wall time of
the whole computation after loading ("seconds") and of the loading ("load_seconds").
"""
import argparse
import json
import math
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

MASK = (1 << 64) - 1
GOLDEN = 0x9E3779B97F4A7C15
C1 = np.uint64(0xBF58476D1CE4E5B9)
C2 = np.uint64(0x94D049BB133111EB)


def mix(z):
    """SplitMix64's finaliser on a uint64 array (numpy's uint64 arithmetic wraps modulo 2^64)."""
    z = np.asarray(z, dtype=np.uint64).copy()
    z ^= z >> np.uint64(30)
    z *= C1
    z ^= z >> np.uint64(27)
    z *= C2
    z ^= z >> np.uint64(31)
    return z


def salt(seed, ranking):
    return int(mix(np.array([(seed + (ranking + 1) * GOLDEN) & MASK], dtype=np.uint64))[0])


def ranking_order(seed, ranking, rows):
    """Ids 0..rows-1 in the order of ranking `ranking`: by value as unsigned, ties by id."""
    keys = np.arange(rows, dtype=np.uint64)
    values = mix(keys ^ np.uint64(salt(seed, ranking)))
    return np.argsort(values, kind="stable")  # stable: equal values keep ascending ids


def geometric_grid(rows, points, smallest):
    """PrefixGrid.geometric: Java's Math.round(x) is floor(x + 0.5)."""
    ratio = math.log(rows / smallest) / (points - 1)
    n = []
    for i in range(points):
        v = rows if i == points - 1 else math.floor(smallest * math.exp(ratio * i) + 0.5)
        v = max(smallest, min(rows, v))
        if not n or v > n[-1]:
            n.append(v)
    return n


def exact(test64, train, rows):
    """float64 squared distances of test row i to train row rows[i]."""
    d = test64 - train[rows].astype(np.float64)
    return np.einsum("ij,ij->i", d, d)


def rg_faiss(train, test, seed, rankings, grid):
    import faiss

    test64 = test.astype(np.float64)
    starts = [0] + grid[:-1]
    prefix = np.empty((rankings, len(grid), len(test)))
    start = time.perf_counter()
    for r in range(rankings):
        order = ranking_order(seed, r, len(train))
        best = np.full(len(test), np.inf)
        for g, (a, b) in enumerate(zip(starts, grid)):
            ids = np.sort(order[a:b])  # the bucket's rows; their order does not matter for a minimum
            index = faiss.IndexFlatL2(train.shape[1])
            index.add(train[ids])
            _, nearest = index.search(test, 1)
            np.minimum(best, exact(test64, train, ids[nearest[:, 0]]), out=best)
            prefix[r, g] = best
        print(f"faiss: ranking {r + 1} of {rankings} done at {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    return prefix


def rg_gemm(train, test, seed, rankings, grid, block_bytes=64 << 20):
    rows, queries = len(train), len(test)
    grid_np = np.asarray(grid, dtype=np.int64)
    # bucket of every training row in every ranking: g with n_{g-1} <= position < n_g
    label = np.empty((rankings, rows), dtype=np.int16)
    for r in range(rankings):
        position = np.empty(rows, dtype=np.int64)
        position[ranking_order(seed, r, rows)] = np.arange(rows)
        label[r] = np.searchsorted(grid_np, position, side="right")
    best = np.full((rankings, len(grid), queries), np.inf, dtype=np.float32)
    test_t = np.ascontiguousarray(test.T)
    test_norm = np.einsum("ij,ij->i", test, test)
    block = max(64, block_bytes // (4 * queries))
    buffers = [np.empty((block, queries), dtype=np.float32) for _ in range(2)]

    last = len(grid) - 1
    overall = np.full((queries,), np.inf, dtype=np.float32)  # min over all rows: the same in every ranking

    def reduce(r, dist, buffer):
        lab = label[r, start:stop]
        perm = np.argsort(lab, kind="stable")
        sorted_lab = lab[perm]
        perm = perm[sorted_lab < last]  # rows of the last bucket only matter through `overall`
        if len(perm) == 0:
            return
        sorted_lab = sorted_lab[: len(perm)]
        seg = np.concatenate(([0], np.flatnonzero(np.diff(sorted_lab)) + 1))
        gathered = np.take(dist, perm, axis=0, out=buffer[: len(perm)])
        mins = np.minimum.reduceat(gathered, seg, axis=0)
        present = sorted_lab[seg]
        best[r, present] = np.minimum(best[r, present], mins)

    with ThreadPoolExecutor(2) as pool:
        for start in range(0, rows, block):
            stop = min(rows, start + block)
            y = train[start:stop]
            dist = y @ test_t  # float32 GEMM (OpenBLAS)
            dist *= -2
            dist += np.einsum("ij,ij->i", y, y)[:, None]
            dist += test_norm[None, :]
            np.maximum(dist, 0, out=dist)
            np.minimum(overall, dist.min(axis=0), out=overall)
            for r0 in range(0, rankings, 2):
                list(pool.map(lambda r: reduce(r, dist, buffers[r - r0]), range(r0, min(rankings, r0 + 2))))
    best[:, last] = overall
    return np.minimum.accumulate(best, axis=1).astype(np.float64)


def compare(repgap_path, *ours_paths):
    theirs, other = {}, []
    for line in open(repgap_path):
        line = line.strip()
        if not line.startswith("{"):
            continue
        row = json.loads(line)
        if row.get("metric") == "gap.rg" and str(row.get("param", "")).startswith("n="):
            theirs[int(row["param"][2:])] = row["value"]
        elif str(row.get("metric", "")).startswith("gap."):
            other.append(row)
    curves = {}
    for path in ours_paths:
        for line in open(path):
            row = json.loads(line)
            if "n" in row:
                curves.setdefault(row["method"], {})[row["n"]] = row["rg"]
    methods = list(curves)
    print("| n | repgap gap | " + " | ".join(methods) + " | " + " | ".join(f"rel. diff. {m}" for m in methods) + " |")
    print("| --- " * (2 + 2 * len(methods)) + "|")
    worst = {m: 0.0 for m in methods}
    for n in sorted(theirs):
        values, diffs = [], []
        for m in methods:
            v = curves[m].get(n)
            if v is None:
                values.append("missing")
                diffs.append("-")
                worst[m] = float("inf")
                continue
            d = abs(theirs[n] - v) / abs(v)
            worst[m] = max(worst[m], d)
            values.append(f"{v:.8g}")
            diffs.append(f"{d:.2e}")
        print(f"| {n} | {theirs[n]:.8g} | " + " | ".join(values) + " | " + " | ".join(diffs) + " |")
    for m in methods:
        extra = set(curves[m]) - set(theirs)
        if extra:
            print(f"{m}: grid points repgap did not report: {sorted(extra)}")
            worst[m] = float("inf")
    print()
    for m in methods:
        print(f"largest relative difference of RG(n), repgap against {m}: {worst[m]:.2e}")
    for row in other:
        if row.get("metric") in ("gap.dimension", "gap.constant", "gap.fit_from"):
            print("repgap", json.dumps(row))


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        return compare(*sys.argv[2:])
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("method", choices=["faiss", "gemm"])
    p.add_argument("train")
    p.add_argument("test")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rankings", type=int, default=8)
    p.add_argument("--points", type=int, default=32)
    p.add_argument("--smallest", type=int, default=16)
    a = p.parse_args()
    t0 = time.perf_counter()
    train = np.ascontiguousarray(np.load(a.train), dtype=np.float32)
    test = np.ascontiguousarray(np.load(a.test), dtype=np.float32)
    t1 = time.perf_counter()
    grid = geometric_grid(len(train), a.points, a.smallest)
    method = rg_faiss if a.method == "faiss" else rg_gemm
    prefix = method(train, test, a.seed, a.rankings, grid)
    rg = prefix.mean(axis=(0, 2))
    t2 = time.perf_counter()
    for n, v in zip(grid, rg):
        print(json.dumps({"method": a.method, "n": int(n), "rg": float(v)}))
    print(json.dumps({"method": a.method, "train": len(train), "test": len(test), "dim": train.shape[1],
                      "rankings": a.rankings, "seed": a.seed, "seconds": round(t2 - t1, 3),
                      "load_seconds": round(t1 - t0, 3)}))


if __name__ == "__main__":
    main()
