"""CI check of the Python client (notebooks/repgap.py), each call against an independent answer.

- repgap.id(X) gives the TwoNN the command line gives on the same points imported from a CSV file (not the
  client's .npy hand-over), and read() gives the rows it appended back.
- repgap.gap(train, test): its RG at the full training set equals the mean squared distance from each test row to
  its nearest training row, computed here in NumPy.
- repgap.audit(train, test): a planted exact duplicate and a planted leak are found, and the closest training pair
  (exact duplicates apart) is NumPy's.
- repgap.run("describe", input=...): the covariance's trace equals NumPy's.
Run by notebooks/run-notebook.sh; needs the built jar. Exits non-zero on a failure.
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import repgap  # noqa: E402


def flat_torus(n, d, seed):
    """n points of the flat d-torus (circumference 1 per circle) in R^2d, float32."""
    angles = np.random.default_rng(seed).uniform(0, 2 * np.pi, size=(n, d))
    return (np.concatenate([np.cos(angles), np.sin(angles)], axis=1) / (2 * np.pi)).astype(np.float32)


def main():
    X = flat_torus(1500, 3, seed=7)
    options = dict(estimators="twonn", bootstrap=50, seed=3)
    with tempfile.TemporaryDirectory(prefix="repgap-test-") as tmp:
        tmp = Path(tmp)
        results = tmp / "results"
        rows = repgap.id(X, out=str(results), **options)
        mine = rows[rows.metric == "id.twonn"]
        assert len(mine) == 1, rows
        twonn = mine.iloc[0]

        # the command line on the same points, written as CSV (float32 values round-trip with 9 digits)
        np.savetxt(tmp / "x.csv", X, fmt="%.9g", delimiter=",")
        cli = repgap.launcher()
        subprocess.run([cli, "import", "--csv", str(tmp / "x.csv"), "--out", str(tmp / "acts")], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        out = subprocess.run([cli, "id", "--input", str(tmp / "acts"), "--estimators", "twonn", "--bootstrap", "50",
                              "--seed", "3", "--json"], check=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True).stdout
        theirs = [r for r in map(json.loads, filter(str.strip, out.splitlines())) if r["metric"] == "id.twonn"]
        assert len(theirs) == 1, out
        theirs = theirs[0]
        for key in ("value", "ci_low", "ci_high", "n"):
            assert np.isclose(twonn[key], theirs[key], rtol=1e-9, atol=0), (key, twonn[key], theirs[key])
        # and it measures what the points are made of
        assert 2.6 < twonn.value < 3.4, twonn.value
        assert twonn.ci_low < twonn.value < twonn.ci_high, twonn

        # the rows the client appended to the repository read back the same
        stored = repgap.read(results)
        back = stored[stored.metric == "id.twonn"]
        assert len(back) == 1 and np.isclose(back.iloc[0].value, twonn.value, rtol=1e-12), back
        assert isinstance(stored.run_id.iloc[0], str)

        # bad input is the caller's error, named before anything runs
        try:
            repgap.id(X[:, 0])
        except ValueError as e:
            assert "2-D" in str(e)
        else:
            raise AssertionError("a 1-D array was accepted")
        check_gap_audit_run(tmp, X)
    print(f"test_repgap: repgap.id(X) TwoNN {twonn.value:.6f} [{twonn.ci_low:.6f}, {twonn.ci_high:.6f}]"
          f" = the command line's {theirs['value']:.6f}; read() gives it back")


def check_gap_audit_run(tmp, points):
    train, test = flat_torus(2000, 2, seed=11), flat_torus(200, 2, seed=12)

    rows = repgap.gap(train, test, bootstrap=20, seed=5)
    rg = rows[(rows.metric == "gap.rg") & (rows.param == f"n={len(train)}")]
    assert len(rg) == 1, rows[rows.metric == "gap.rg"].param.tolist()
    d2 = ((test.astype(np.float64)[:, None, :] - train.astype(np.float64)[None, :, :]) ** 2).sum(axis=2)
    nearest = d2.min(axis=1).mean()
    assert np.isclose(rg.iloc[0].value, nearest, rtol=1e-5), (rg.iloc[0].value, nearest)
    assert rg.iloc[0].n == len(test), rg.iloc[0]
    dimension = rows[rows.metric == "gap.dimension"].value.iloc[0]
    assert 1.5 < dimension < 2.6, dimension

    # a training row copied to the end (an exact duplicate) and a training row handed in as a test row (a leak)
    planted_train = np.concatenate([train, train[[5]]])
    planted_test = np.concatenate([test, train[[10]]])
    found = repgap.audit(planted_train, planted_test)
    value = lambda metric: found[found.metric == metric].value.iloc[0]  # noqa: E731
    assert value("audit.duplicates_exact") == 1, found[found.metric == "audit.duplicates_exact"]
    assert value("audit.leaks_exact") == 1, found[found.metric == "audit.leaks_exact"]
    closest = found[(found.metric == "audit.closest") & (found.param == "split=train")]
    d2 = ((train.astype(np.float64)[:, None, :] - train.astype(np.float64)[None, :, :]) ** 2).sum(axis=2)
    nearest_pair = np.sqrt(d2[d2 > 0].min())  # the closest pair apart from exact duplicates
    assert len(closest) == 1 and np.isclose(closest.value.iloc[0], nearest_pair, rtol=1e-4), (closest, nearest_pair)

    # run(): any command on a dataset in the data contract (the points main() imported from CSV)
    described = repgap.run("describe", input=str(tmp / "acts"))
    pr = described[described.metric == "describe.pr"]
    assert len(pr) == 1, described.metric.unique()
    eigenvalues = np.linalg.eigvalsh(np.cov(points.astype(np.float64), rowvar=False))
    expected = eigenvalues.sum() ** 2 / (eigenvalues ** 2).sum()
    assert np.isclose(pr.value.iloc[0], expected, rtol=1e-6), (pr.value.iloc[0], expected)
    print(f"test_repgap: gap RG({len(train)}) {rg.iloc[0].value:.6g} = NumPy's {nearest:.6g}; audit found the planted"
          f" duplicate and leak, its closest pair is NumPy's; run('describe') participation ratio {pr.value.iloc[0]:.6g} = NumPy's {expected:.6g}")


if __name__ == "__main__":
    main()
