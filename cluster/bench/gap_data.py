#!/usr/bin/env python3
"""Seeded synthetic data of known intrinsic dimension for the Representation Gap benchmark.

  gap_data.py OUT_DIR [--train N] [--test M] [--dim D] [--circles K] [--seed S]

Writes OUT_DIR/train.npy (N x D) and OUT_DIR/test.npy (M x D), float32, C order: the flat K-torus,
a product of K circles of circumference 1 (per circle the coordinates (cos 2 pi t, sin 2 pi t) / (2 pi),
t uniform on [0, 1), interleaved as common's ManifoldSampler TORUS writes them), so the intrinsic
dimension is K and the metric is locally the flat one of [0, 1)^K; embedded in R^D by a seeded
random orthonormal 2K -> D frame (QR of a Gaussian matrix). Defaults: N = 1 000 000, M = 10 000,
D = 256, K = 8, seed 1. Train and test rows are independent draws from the same law. The rows are
generated in chunks and written through a memory map, so the train set need not fit twice in memory.
"""
import argparse
import os

import numpy as np

CHUNK = 1 << 16


def torus(rng, rows, circles):
    """rows points of the flat torus of `circles` circles of circumference 1, in R^(2 circles), float64."""
    angle = 2 * np.pi * rng.random((rows, circles))
    x = np.empty((rows, 2 * circles))
    x[:, 0::2] = np.cos(angle)
    x[:, 1::2] = np.sin(angle)
    return x / (2 * np.pi)


def write(path, rng, rows, frame):
    circles = frame.shape[0] // 2
    out = np.lib.format.open_memmap(path + ".part", mode="w+", dtype=np.float32, shape=(rows, frame.shape[1]))
    for start in range(0, rows, CHUNK):
        stop = min(rows, start + CHUNK)
        out[start:stop] = torus(rng, stop - start, circles) @ frame
    out.flush()
    del out
    os.replace(path + ".part", path)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--train", type=int, default=1_000_000)
    p.add_argument("--test", type=int, default=10_000)
    p.add_argument("--dim", type=int, default=256)
    p.add_argument("--circles", type=int, default=8)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    if 2 * a.circles > a.dim:
        p.error("the torus needs dim >= 2 * circles")
    os.makedirs(a.out, exist_ok=True)
    frame_rng, train_rng, test_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(a.seed).spawn(3))
    q, _ = np.linalg.qr(frame_rng.standard_normal((a.dim, 2 * a.circles)))  # D x 2K, orthonormal columns
    frame = np.ascontiguousarray(q.T)  # rows of the torus (2K) times frame -> R^D, distances preserved
    write(os.path.join(a.out, "train.npy"), train_rng, a.train, frame)
    write(os.path.join(a.out, "test.npy"), test_rng, a.test, frame)
    print(f"{a.out}: train {a.train} x {a.dim}, test {a.test} x {a.dim}, flat {a.circles}-torus, seed {a.seed}")


if __name__ == "__main__":
    main()
