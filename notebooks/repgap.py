"""repgap from Python: NumPy arrays in, pandas DataFrames of result rows out.

    import numpy as np, repgap
    rows = repgap.id(X)                       # X: 2-D array, one row per sample
    rows[rows.metric == "id.twonn"]
    repgap.id(X, labels=y)                    # per class
    repgap.gap(train, test, bootstrap=50)     # the Representation Gap of test rows against training rows
    repgap.audit(train, test)                 # duplicates, leaks, outliers
    repgap.run("describe", input="acts")      # any command on a dataset directory
    repgap.read("results", table="gap_curves")

Each call hands the arrays over as .npy files in a temporary folder, imports them (`repgap import`), runs the
command with `--json` on the local launcher (bin/repgap of this checkout, or $REPGAP) and returns its rows, one
row per group, metric and parameter, the group columns as strings. Keyword options become the command's options:
`estimators="twonn,mle"` or `estimators=["twonn", "mle"]` is `--estimators twonn,mle`, `drop_invalid=True` is
`--drop-invalid`; `out="results"` also appends the rows to that results repository. Needs only NumPy and pandas.
"""

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["id", "gap", "audit", "run", "read", "RepgapError"]

_HERE = Path(__file__).resolve().parent

# the metric row's own columns: every other column of a row is a group column (a string)
_NUMBERS = ("value", "ci_low", "ci_high", "n", "scale")


class RepgapError(RuntimeError):
    """A repgap command failed; the message is its stderr (exit code 2: bad input or options)."""

    def __init__(self, argv, code, stderr):
        self.argv, self.code, self.stderr = argv, code, stderr
        super().__init__(f"repgap {argv[1] if len(argv) > 1 else ''} exited with {code}: {stderr.strip()}")


def launcher():
    """The command that runs repgap: $REPGAP, else bin/repgap of this checkout, else `repgap` on the PATH."""
    if os.environ.get("REPGAP"):
        return os.environ["REPGAP"]
    local = _HERE.parent / "bin" / "repgap"
    return str(local) if local.exists() else "repgap"


def _options(options):
    argv = []
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is None or value is False:
            continue
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(v) for v in value)]
        else:
            argv += [flag, str(value)]
    return argv


def _call(args):
    argv = [launcher(), *[str(a) for a in args]]
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise RepgapError(argv, done.returncode, done.stderr)
    return done.stdout


def _rows(text):
    """JSON lines as a DataFrame: group values stay strings (checkpoint 0010 is "0010"), the numbers are floats."""
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    frame = pd.DataFrame.from_records(records)
    for column in _NUMBERS:
        if column in frame:
            frame[column] = pd.to_numeric(frame[column])
    return frame


def run(command, *args, **options):
    """`repgap COMMAND ARGS --OPTIONS --json` on data already in the data contract (`input="acts"`), as a DataFrame."""
    return _rows(_call([command, *args, *_options(options), "--json"]))


def _save(folder, name, array, dtype=None):
    path = Path(folder) / f"{name}.npy"
    array = np.asarray(array)
    if dtype is None and array.dtype not in (np.float32, np.float64):
        array = array.astype(np.float64)
    np.save(path, array if dtype is None else array.astype(dtype))
    return str(path)


def _matrix(name, X):
    X = np.asarray(X)
    if X.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one row per sample), got shape {X.shape}")
    return X


def _labels(name, labels, rows):
    y = np.asarray(labels)
    if y.ndim != 1 or len(y) != rows:
        raise ValueError(f"{name} must be a 1-D array of {rows} labels, got shape {y.shape}")
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"{name} must be integer class labels, got {y.dtype}")
    return y


def _analyse(command, parts, options):
    """Imports the (name, split, array, labels) parts into a temporary dataset and runs `command` on it."""
    folder = tempfile.mkdtemp(prefix="repgap-")
    try:
        args = ["import", "--out", os.path.join(folder, "activations")]
        labelled = False
        for name, split, X, y in parts:
            args += ["--npy", _save(folder, name, X)]
            if y is not None:
                args += ["--labels", _save(folder, name + "_labels", y, np.int64)]
                labelled = True
            if split is not None:
                args += ["--split", split]
        _call(args)
        if labelled and "group_by" not in options:
            options = {**options, "group_by": "label"}
        return run(command, input=os.path.join(folder, "activations"), **options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def id(X, labels=None, **options):  # noqa: A001 - the command's name
    """Intrinsic dimension of the rows of X (`repgap id`); with labels, per class (`--group-by label`)."""
    X = _matrix("X", X)
    y = None if labels is None else _labels("labels", labels, len(X))
    return _analyse("id", [("X", None, X, y)], options)


def gap(train, test, train_labels=None, test_labels=None, **options):
    """The Representation Gap of the test rows against the training rows (`repgap gap`); with labels, per class."""
    train, test = _matrix("train", train), _matrix("test", test)
    if (train_labels is None) != (test_labels is None):
        raise ValueError("give labels for both train and test, or for neither")
    yt = None if train_labels is None else _labels("train_labels", train_labels, len(train))
    ys = None if test_labels is None else _labels("test_labels", test_labels, len(test))
    return _analyse("gap", [("train", "train", train, yt), ("test", "test", test, ys)], options)


def audit(train, test=None, train_labels=None, test_labels=None, **options):
    """Duplicates, near duplicates, leaks of test rows into training and outliers (`repgap audit`)."""
    train = _matrix("train", train)
    yt = None if train_labels is None else _labels("train_labels", train_labels, len(train))
    parts = [("train", "train" if test is not None else None, train, yt)]
    if test is not None:
        test = _matrix("test", test)
        ys = None if test_labels is None else _labels("test_labels", test_labels, len(test))
        parts.append(("test", "test", test, ys))
    return _analyse("audit", parts, options)


def read(results_dir, table="metrics"):
    """A table of a results repository (`repgap export` as JSON lines): metrics (default), runs, gap_curves, ...

    Strings stay strings (group values, ids), numbers are numbers; NaN was written as null and reads as NaN.
    """
    folder = tempfile.mkdtemp(prefix="repgap-")
    try:
        path = os.path.join(folder, f"{table}.jsonl")
        _call(["export", "--results", str(results_dir), "--table", table, "--out", path])
        with open(path, encoding="utf-8") as f:
            return _rows(f.read())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
