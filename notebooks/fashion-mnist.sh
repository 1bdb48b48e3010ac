#!/usr/bin/env bash
# The walk a new user takes on a real dataset, end to end: Fashion-MNIST (Debian: dataset-fashion-mnist) turned into
# .npy files (pixels / 255, labels), imported with its train/test split, then `id` on all rows and per class, `gap` on
# all rows and per class, `audit`, `report`, the notebook on the exported results, and a screenshot of the report's
# top (Chromium, when installed). About 10 minutes on 2 cores (628 s at load 5). docs/report-fashion-mnist.png is its screenshot.
# Usage: notebooks/fashion-mnist.sh [WORK_DIR]   (needs the built jar: mvn -q -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$here/notebooks/target/fashion-mnist}"
repgap="$here/bin/repgap"
mkdir -p "$work"
cd "$work"
/usr/bin/python3 - <<'PY'
import gzip
import numpy as np
d = "/usr/share/datasets/fashion-mnist/"
def images(f):
    return np.frombuffer(gzip.open(d + f).read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
def labels(f):
    return np.frombuffer(gzip.open(d + f).read(), np.uint8, offset=8).astype(np.int64)
np.save("train.npy", images("train-images-idx3-ubyte.gz")); np.save("train_labels.npy", labels("train-labels-idx1-ubyte.gz"))
np.save("test.npy", images("t10k-images-idx3-ubyte.gz")); np.save("test_labels.npy", labels("t10k-labels-idx1-ubyte.gz"))
PY
rm -rf fm results report.html
set -x
"$repgap" import --out fm --npy train.npy --labels train_labels.npy --split train --npy test.npy --labels test_labels.npy --split test
"$repgap" id --input fm --out results
"$repgap" id --input fm --group-by label --out results
"$repgap" gap --input fm --out results
"$repgap" gap --input fm --group-by label --out results
"$repgap" audit --input fm --out results
"$repgap" report --results results --out report.html
"$here/notebooks/run-notebook.sh" "$work/results"
set +x
if command -v chromium > /dev/null; then
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/chromium-profile" \
    --screenshot="$work/report.png" --window-size=1280,2625 "file://$work/report.html" 2> /dev/null
  echo "screenshot of the report's top: $work/report.png"
fi
echo "report: $work/report.html"
