#!/usr/bin/env python3
"""Data for the ID benchmarks, and a plain NumPy + faiss implementation of the same estimators as repgap id.

  id_numpy.py fashion-mnist DIR          writes DIR/all.npy and DIR/class0..9.npy (train set, pixels / 255, float32)
  id_numpy.py torus DIR NAME N D AMBIENT SEED
                                          writes DIR/NAME.npy: N points of the flat D-torus (D circles of
                                          circumference 1, in R^2D) rotated into R^AMBIENT, float32, seeded
  id_numpy.py estimate DIR NAME          TwoNN MLE and Levina-Bickel (k = 5, 10, 20) of DIR/NAME.npy as JSON
  id_numpy.py compare A.jsonl B.jsonl    repgap's JSON lines against this script's, as a Markdown table
"""
import gzip
import json
import sys

import numpy as np

SOURCE = "/usr/share/datasets/fashion-mnist"


def fashion_mnist(out):
    with gzip.open(f"{SOURCE}/train-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(f"{SOURCE}/train-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    np.save(f"{out}/all.npy", x)
    for c in range(10):
        np.save(f"{out}/class{c}.npy", np.ascontiguousarray(x[y == c]))


def torus(out, name, n, d, ambient, seed):
    n, d, ambient = int(n), int(d), int(ambient)
    rng = np.random.default_rng(int(seed))
    angles = 2 * np.pi * rng.random((n, d))
    flat = np.concatenate([np.cos(angles), np.sin(angles)], axis=1) / (2 * np.pi)  # D circles of circumference 1
    frame, _ = np.linalg.qr(rng.standard_normal((ambient, 2 * d)))  # orthonormal columns: a random rotation
    np.save(f"{out}/{name}.npy", (flat @ frame.T).astype(np.float32))


def estimate(directory, name):
    import faiss

    x = np.unique(np.load(f"{directory}/{name}.npy"), axis=0)  # repgap's default: drop exact duplicates
    index = faiss.IndexFlatL2(x.shape[1])
    index.add(x)
    squared, ids = index.search(x, 21)
    assert (ids[:, 0] == np.arange(len(x))).all(), "faiss did not return each point first"
    # faiss's float32 distances are not exact; recompute the neighbours' distances in double, as repgap does.
    r = np.empty((len(x), 20))
    for s in range(0, len(x), 1000):  # in chunks: 1000 x 20 x 784 doubles at a time
        q = x[s:s + 1000, None, :].astype(np.float64)
        r[s:s + 1000] = np.sqrt(((q - x[ids[s:s + 1000, 1:]].astype(np.float64)) ** 2).sum(-1))
    r.sort(axis=1)
    n = len(x)
    out = {"subset": name, "n": n, "id.twonn": (n - 1) / np.log(r[:, 1] / r[:, 0]).sum()}
    for k in (5, 10, 20):
        inverse_local = np.log(r[:, k - 1:k] / r[:, : k - 1]).mean(axis=1)  # 1 / m_k(x)
        out[f"id.mle k={k}"] = 1 / inverse_local.mean()
    print(json.dumps(out))


def compare(repgap_path, python_path):
    ours = {}
    for line in open(repgap_path):
        row = json.loads(line)
        key = row["metric"] + ("" if row["param"] is None else " " + row["param"])
        ours[(row["subset"], key)] = row["value"]
    print("| subset | n | estimator | repgap | NumPy + faiss | relative difference |")
    print("| --- | --- | --- | --- | --- | --- |")
    worst = 0
    for line in open(python_path):
        theirs = json.loads(line)
        for key, value in theirs.items():
            if not key.startswith("id."):
                continue
            mine = ours[(theirs["subset"], key)]
            diff = abs(mine - value) / value
            worst = max(worst, diff)
            print(f"| {theirs['subset']} | {theirs['n']} | {key} | {mine:.4f} | {value:.4f} | {diff:.2e} |")
    print(f"\nlargest relative difference: {worst:.2e}")


if __name__ == "__main__":
    commands = {"fashion-mnist": fashion_mnist, "torus": torus, "estimate": estimate, "compare": compare}
    commands[sys.argv[1]](*sys.argv[2:])
