#!/usr/bin/env bash
# Whole-process time of `repgap magnitude` against NumPy + SciPy (magnitude_numpy.py: cdist, cho_factor /
# cho_solve per t, brentq for t_conv) on the same points and the same definition: N seeded Gaussian points in
# D = 64 (float32, .npy, imported once), t_conv then 64 log-spaced scales over 4 decades, no bootstrap.
# Runs alternate repgap / NumPy REPEATS times (default 1) and print each time with the load average before and
# after, then the largest relative difference of Mag over the grid and of t_conv.
# Usage: cluster/bench/magnitude-bench.sh [N ...] (default 2000). Needs this tree built (mvn -q -DskipTests package).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-magnitude-bench}"
repeats="${REPEATS:-1}"
threads="${OPENBLAS_NUM_THREADS:-2}"
export OPENBLAS_NUM_THREADS=$threads # the driver's LAPACK and NumPy's OpenBLAS get the same threads
mkdir -p "$work"
sizes=("$@")
[[ ${#sizes[@]} -eq 0 ]] && sizes=(2000)
for n in "${sizes[@]}"; do
  if [[ ! -d "$work/x$n" ]]; then
    /usr/bin/python3 -c "import numpy as np; np.save('$work/x$n.npy', np.random.default_rng($n).standard_normal(($n, 64)).astype(np.float32))"
    "$root/bin/repgap" import --npy "$work/x$n.npy" --out "$work/x$n" --quiet > /dev/null
  fi
  for r in $(seq "$repeats"); do
    load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
    "$root/bin/repgap" magnitude --input "$work/x$n" --max-points "$n" --bootstrap 0 --json --quiet \
      > "$work/repgap$n.json" 2> "$work/repgap$n.err"
    t=$(echo "$(date +%s.%N) - $start" | bc)
    echo "N=$n repgap  ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)] threads=$threads"
    load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
    /usr/bin/python3 "$root/cluster/bench/magnitude_numpy.py" "$work/x$n.npy" "$work/numpy$n.json"
    t=$(echo "$(date +%s.%N) - $start" | bc)
    echo "N=$n numpy   ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)] threads=$threads"
  done
  /usr/bin/python3 - "$work/repgap$n.json" "$work/numpy$n.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
ref = json.load(open(sys.argv[2]))
mag = sorted((float(r["param"][2:]), r["value"]) for r in rows if r["metric"] == "magnitude.value")
t_conv = next(r["value"] for r in rows if r["metric"] == "magnitude.t_conv")
assert len(mag) == len(ref["mag"]), (len(mag), len(ref["mag"]))
rel = max(abs(a[1] - b) / abs(b) for a, b in zip(mag, ref["mag"]))
print(f"  t_conv {t_conv:.12g} vs {ref['t_conv']:.12g} (relative {abs(t_conv - ref['t_conv']) / ref['t_conv']:.2e});"
      f" largest relative difference of Mag over {len(mag)} scales {rel:.2e}")
dim = next(r for r in rows if r["metric"] == "magnitude.dimension")
print(f"  repgap dimension {dim['value']:.6f} ({dim['details']})")
PY
done
