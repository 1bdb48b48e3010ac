"""NumPy reference for `repgap compression`: per source the eigenvalues of the M x M Gram of its centred copies
(numpy.linalg.eigvalsh, batched over sources), over (M - 1) sigma^2, then the mean over sources of s_1, the log
volume sum_{k<=K} ln s_k, (sum s^2)^2 / sum s^4 and sum s^2. Reads the copies (float32, rows grouped by nothing:
any order) and their source ids from .npy; writes the four means and the per-source values' quantiles as JSON.
Usage: compression_numpy.py X.npy S.npy SIGMA K OUT.json [BATCH]"""
import json
import sys

import numpy as np

x_file, s_file, sigma, k, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
batch = int(sys.argv[6]) if len(sys.argv) > 6 else 1000
x = np.load(x_file, mmap_mode="r")
sources = np.load(s_file)
order = np.argsort(sources, kind="stable")  # copies of a source together, in row (= id) order
ids, counts = np.unique(sources, return_counts=True)
if counts.min() != counts.max():
    sys.exit("the NumPy reference expects the same number of copies per source")
m = int(counts[0])
order = order.reshape(len(ids), m)
mls, vol, dim, fro = [], [], [], []
for start in range(0, len(ids), batch):
    c = np.asarray(x[order[start:start + batch].ravel()], dtype=np.float64).reshape(-1, m, x.shape[1])
    c -= c.mean(axis=1, keepdims=True)
    gram = c @ c.transpose(0, 2, 1)
    lam = np.linalg.eigvalsh(gram)[:, ::-1][:, : min(m - 1, x.shape[1])]
    s2 = np.maximum(lam, 0) / ((m - 1) * sigma * sigma)
    mls.append(np.sqrt(s2[:, 0]))
    vol.append(0.5 * np.log(s2[:, :k]).sum(axis=1))
    fro.append(s2.sum(axis=1))
    dim.append(s2.sum(axis=1) ** 2 / (s2 ** 2).sum(axis=1))
result = {}
for name, v in (("mls", mls), ("log_volume", vol), ("local_dim", dim), ("jacobian_fro2", fro)):
    v = np.concatenate(v)
    result[name] = {"mean": float(v.mean()), "q": [float(q) for q in np.quantile(v, [0.1, 0.5, 0.9])], "n": int(len(v))}
json.dump(result, open(out, "w"))
