"""CI check of the Python client (notebooks/repgap.py): repgap.id(X) gives the TwoNN the command line gives.

The command-line side imports the same points from a CSV file (not the client's .npy hand-over) and parses
`repgap id --json` itself. Run by notebooks/run-notebook.sh; needs the built jar. Exits non-zero on a failure.
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
    print(f"test_repgap: repgap.id(X) TwoNN {twonn.value:.6f} [{twonn.ci_low:.6f}, {twonn.ci_high:.6f}]"
          f" = the command line's {theirs['value']:.6f}; read() gives it back")


if __name__ == "__main__":
    main()
