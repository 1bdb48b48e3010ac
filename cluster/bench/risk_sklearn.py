"""Fashion-MNIST for the `repgap risk` benchmark: idx -> .npy, scikit-learn RidgeCV, comparison.

  risk_sklearn.py convert OUT_DIR           train/test images (float32, /255) and labels as .npy, and the
                                           lambda grid (lambdas.txt, the automatic grid of repgap risk)
  risk_sklearn.py ridgecv OUT_DIR          RidgeCV(alphas = n lambda, fit_intercept=True), exact LOO per
                                           alpha in repgap's convention (mean over rows of the squared error
                                           summed over the 10 one-hot outputs) as JSON lines
  risk_sklearn.py compare REPGAP.jsonl SKLEARN.jsonl
"""
import gzip, json, sys
import numpy as np

SRC = "/usr/share/datasets/fashion-mnist"


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def convert(out):
    for split, prefix in (("train", "train"), ("test", "t10k")):
        x = idx(f"{SRC}/{prefix}-images-idx3-ubyte.gz").reshape(-1, 784).astype(np.float32) / 255
        y = idx(f"{SRC}/{prefix}-labels-idx1-ubyte.gz").astype(np.int64)
        np.save(f"{out}/{split}.npy", x)
        np.save(f"{out}/{split}-labels.npy", y)
        if split == "train":
            xd = x.astype(np.float64)
            s = ((xd - xd.mean(0)) ** 2).sum() / len(xd)
            lambdas = s * 10 ** np.linspace(-7, 1, 60)
            with open(f"{out}/lambdas.txt", "w") as f:
                f.write(",".join(repr(float(l)) for l in lambdas))


def ridgecv(out):
    from sklearn.linear_model import RidgeCV
    x = np.load(f"{out}/train.npy").astype(np.float64)
    labels = np.load(f"{out}/train-labels.npy")
    y = np.eye(10)[labels]
    lambdas = np.array([float(v) for v in open(f"{out}/lambdas.txt").read().split(",")])
    n = len(x)
    model = RidgeCV(alphas=n * lambdas, fit_intercept=True, store_cv_values=True).fit(x, y)
    loo = model.cv_values_.sum(axis=1).mean(axis=0)  # (n, outputs, alphas): sum over outputs, mean over rows
    for l, v in zip(lambdas, loo):
        print(json.dumps({"lambda": l, "loo": v}))


def compare(repgap, sk):
    ours = []
    for line in open(repgap):
        r = json.loads(line)
        if r["metric"] == "risk.loo":
            ours.append((float(r["param"][len("lambda="):]), r["value"]))
    ours.sort()
    rows = sorted((json.loads(line) for line in open(sk)), key=lambda r: r["lambda"])
    assert len(ours) == len(rows), (len(ours), len(rows))
    worst = 0
    for (lam, v), r in zip(ours, rows):
        assert abs(lam - r["lambda"]) <= 1e-5 * r["lambda"], (lam, r["lambda"])
        worst = max(worst, abs(v - r["loo"]) / r["loo"])
    best = min(rows, key=lambda r: r["loo"])
    print(f"LOO at {len(rows)} lambdas: largest relative difference repgap vs RidgeCV {worst:.2e};"
          f" RidgeCV's least LOO {best['loo']:.6f} at lambda {best['lambda']:.6g} (alpha {60000 * best['lambda']:.6g})")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "convert":
        convert(sys.argv[2])
    elif cmd == "ridgecv":
        ridgecv(sys.argv[2])
    else:
        compare(sys.argv[2], sys.argv[3])
