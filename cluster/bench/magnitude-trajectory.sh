#!/usr/bin/env bash
# The distance pass of `repgap magnitude` on a training trajectory: C checkpoints (rows) of P coordinates each
# (default 200 x 1,000,000 float32: an 800 MB .npy, imported once, not timed), a seeded random walk
# x_k = x_{k-1} + 0.01 e_k from x_0 ~ N(0, 1). repgap: `magnitude --max-points C --bootstrap 0` (the whole
# trajectory, t_conv and 64 scales; the distances are computed by the pair-scan engine on the executors, the
# solves on the driver are negligible at C = 200), with the distance pass's own time from stderr; against it
# SciPy's cdist on the same float32 rows (as float64) and NumPy's Gram-matrix distances (float64 dot products, the
# fast but cancellation-prone way). Prints each time with the load average before and after, and the largest
# relative difference between repgap's t_conv and the one from SciPy's distances.
# Usage: cluster/bench/magnitude-trajectory.sh [C] [P]. Needs this tree built (mvn -q -DskipTests package) and
# about 5 GB of free memory (REPGAP_JAVA_OPTS=-Xmx8g is passed to repgap unless set).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
c="${1:-200}"
p="${2:-1000000}"
work="${WORK:-/tmp/repgap-magnitude-trajectory}"
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
export REPGAP_JAVA_OPTS="${REPGAP_JAVA_OPTS:--Xmx8g}"
mkdir -p "$work"
x="$work/w${c}x${p}.npy"
if [[ ! -d "$work/w${c}x${p}" ]]; then
  /usr/bin/python3 - "$x" "$c" "$p" <<'PY'
import sys
import numpy as np
path, c, p = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(c)
out = np.lib.format.open_memmap(path, mode="w+", dtype=np.float32, shape=(c, p))
w = rng.standard_normal(p, dtype=np.float32)
for k in range(c):
    if k:
        w += np.float32(0.01) * rng.standard_normal(p, dtype=np.float32)
    out[k] = w
out.flush()
PY
  "$root/bin/repgap" import --npy "$x" --out "$work/w${c}x${p}" --quiet > /dev/null
fi
load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
"$root/bin/repgap" magnitude --input "$work/w${c}x${p}" --max-points "$c" --bootstrap 0 --json --quiet \
  > "$work/repgap.json" 2> "$work/repgap.err"
t=$(echo "$(date +%s.%N) - $start" | bc)
echo "C=$c P=$p repgap magnitude ${t}s ($(tr '\n' ' ' < "$work/repgap.err")) load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)]"
/usr/bin/python3 - "$x" "$work/repgap.json" <<'PY'
import json, os, sys, time
import numpy as np
from scipy.spatial.distance import cdist
def load():
    return open("/proc/loadavg").read().split()[:3]
x = np.load(sys.argv[1], mmap_mode="r")
l0 = load(); s = time.perf_counter()
d = cdist(np.asarray(x, dtype=np.float64), np.asarray(x, dtype=np.float64))
t_cdist = time.perf_counter() - s
print(f"scipy cdist (float64) {t_cdist:.1f}s load before {l0} after {load()}")
l0 = load(); s = time.perf_counter()
y = np.asarray(x, dtype=np.float64)
g = y @ y.T
sq = np.diag(g)
gram = np.sqrt(np.maximum(sq[:, None] + sq[None, :] - 2 * g, 0))
print(f"numpy Gram-matrix distances (float64) {time.perf_counter() - s:.1f}s load before {l0} after {load()};"
      f" largest relative difference from cdist off the diagonal"
      f" {np.max(np.abs(gram - d)[~np.eye(len(d), dtype=bool)] / d[~np.eye(len(d), dtype=bool)]):.2e}")
rows = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
t_conv = next(r["value"] for r in rows if r["metric"] == "magnitude.t_conv")
from scipy.linalg import cho_factor, cho_solve
n = len(d)
mag = cho_solve(cho_factor(np.exp(-t_conv * d)), np.ones(n)).sum()
print(f"Mag at repgap's t_conv from cdist's distances: {mag:.12g} (target 0.95 N = {0.95 * n:.12g},"
      f" relative {abs(mag - 0.95 * n) / (0.95 * n):.2e})")
PY
