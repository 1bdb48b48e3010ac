#!/usr/bin/env bash
# Usage: cluster/bench/fixed-costs.sh [DATASET [PASSES]]: what a run costs before its data does.
# 1. Whole-process times of `repgap risk` (200 training and 100 test rows of 8 numbers, 3 classes) and of
#    `repgap magnitude` (50 points in 64 dimensions), REPEATS times each (default 5): the start-up, planning and
#    job scheduling every run pays whatever its size.
# 2. With DATASET (a repgap Parquet dataset): its `features` column read PASSES times (default 6) in one fresh JVM
#    by Spark's reader alone (cluster/bench/ReadPasses.java): the first pass on code the JIT has not compiled yet.
# Needs the built jars (mvn -q -DskipTests package) and python3-numpy.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
w = sys.argv[1]; r = np.random.default_rng(1)
np.save(f"{w}/train.npy", r.normal(size=(200, 8)).astype("float32")); np.save(f"{w}/train-labels.npy", r.integers(0, 3, 200))
np.save(f"{w}/test.npy", r.normal(size=(100, 8)).astype("float32")); np.save(f"{w}/test-labels.npy", r.integers(0, 3, 100))
np.save(f"{w}/points.npy", r.normal(size=(50, 64)).astype("float32"))
PY
"$root/bin/repgap" import --npy "$work/train.npy" --labels "$work/train-labels.npy" --split train \
  --npy "$work/test.npy" --labels "$work/test-labels.npy" --split test --out "$work/small" --quiet > /dev/null
"$root/bin/repgap" import --npy "$work/points.npy" --out "$work/points" --quiet > /dev/null
timed() { # label, then the repgap command
  local label=$1 start
  shift
  start=$(date +%s.%N)
  "$root/bin/repgap" "$@" > /dev/null 2>&1
  printf "%s %.2f s (load average %s)\n" "$label" "$(echo "$(date +%s.%N) - $start" | bc)" "$(cut -d' ' -f1 /proc/loadavg)"
}
for run in $(seq "${REPEATS:-5}"); do
  timed "risk, 300 rows:     " risk --input "$work/small" --json
  timed "magnitude, 50 rows: " magnitude --input "$work/points" --bootstrap 0 --json --quiet
done
if [[ $# -ge 1 ]]; then
  cp="$root/jobs/target/lib/*" # Spark's jars, as cluster/bin/submit runs them
  javac -cp "$cp" -d "$work" "$root/cluster/bench/ReadPasses.java"
  source "$root/bin/jvm-flags.sh"
  java "${REPGAP_JVM_FLAGS[@]}" -XX:+UseParallelGC ${REPGAP_JAVA_OPTS:-} -cp "$work:$cp" ReadPasses "$1" "${2:-6}" 2>/dev/null
fi
