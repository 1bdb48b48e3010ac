#!/usr/bin/env bash
# Whole-process time of `repgap compression` against a NumPy loop (compression_numpy.py: per source eigvalsh of the
# copies' M x M Gram, batched over sources) on the same copies: S sources x M copies x D dimensions, the outputs
# (float32) of a random linear layer R^64 -> R^D at x_s + sigma e (sigma = 0.01), written to .npy with the source
# ids beside them and imported once with `import --npy X.npy --sources S.npy` (not timed). Prints each time with
# the load average before and after, then the largest relative difference of the four means and their quantiles.
# Usage: cluster/bench/compression-bench.sh [S [M [D]]] (default 10000 32 512; the issue's size is 100000 32 512).
# Needs this tree built (mvn -q -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
s="${1:-10000}"; m="${2:-32}"; d="${3:-512}"
work="${WORK:-/tmp/repgap-compression-bench}/s${s}m${m}d${d}"
# NumPy's OpenBLAS threads (default: both cores). repgap runs with bin/repgap's default, one per Spark task: with
# two per task its two tasks oversubscribe the two cores (the pass over 10 000 sources took 9 s instead of 3 s).
threads="${NUMPY_THREADS:-2}"
mkdir -p "$work"
if [[ ! -d "$work/ds" ]]; then
  /usr/bin/python3 - "$work" "$s" "$m" "$d" <<'PY'
import sys
import numpy as np
work, s, m, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(19)
w = rng.standard_normal((64, d)).astype(np.float32) / 8
x = np.lib.format.open_memmap(f"{work}/x.npy", mode="w+", dtype=np.float32, shape=(s * m, d))
for start in range(0, s, 1000):
    n = min(1000, s - start)
    clean = rng.standard_normal((n, 1, 64)).astype(np.float32)
    noisy = clean + 0.01 * rng.standard_normal((n, m, 64)).astype(np.float32)
    x[start * m:(start + n) * m] = (noisy @ w).reshape(n * m, d)
x.flush()
np.save(f"{work}/s.npy", np.repeat(np.arange(s, dtype=np.int64), m))
PY
  "$root/bin/repgap" import --npy "$work/x.npy" --sources "$work/s.npy" --out "$work/ds" --quiet > /dev/null
fi
load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
env -u OPENBLAS_NUM_THREADS "$root/bin/repgap" compression --input "$work/ds" --sigma 0.01 --json > "$work/repgap.json" 2> "$work/repgap.err"
t=$(echo "$(date +%s.%N) - $start" | bc)
echo "S=$s M=$m D=$d repgap  ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)] (one OpenBLAS thread per task)"
grep "compression:" "$work/repgap.err" | sed 's/^/  /' || true
load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
OPENBLAS_NUM_THREADS=$threads /usr/bin/python3 "$root/cluster/bench/compression_numpy.py" "$work/x.npy" "$work/s.npy" 0.01 3 "$work/numpy.json"
t=$(echo "$(date +%s.%N) - $start" | bc)
echo "S=$s M=$m D=$d numpy   ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)] threads=$threads"
/usr/bin/python3 - "$work/repgap.json" "$work/numpy.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ref = json.load(open(sys.argv[2]))
worst = 0.0
for name, r in ref.items():
    mean = next(x for x in rows if x["metric"] == "compression." + name and x["param"] is None)
    qs = [next(x for x in rows if x["metric"] == "compression." + name and x["param"] == f"q={p:.2f}")["value"]
          for p in (0.1, 0.5, 0.9)]
    rel = max([abs(mean["value"] - r["mean"]) / abs(r["mean"])] + [abs(a - b) / abs(b) for a, b in zip(qs, r["q"])])
    worst = max(worst, rel)
    print(f"  {name}: repgap {mean['value']:.12g} numpy {r['mean']:.12g} (n {mean['n']} / {r['n']}); largest relative"
          f" difference of mean and quantiles {rel:.2e}")
print(f"  largest relative difference {worst:.2e} ({'within' if worst <= 1e-9 else 'NOT within'} 1e-9)")
PY
