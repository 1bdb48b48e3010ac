#!/usr/bin/env bash
# Whole-process time of `repgap alignment` against NumPy (alignment_numpy.py: X.T @ X, numpy.linalg.eigh and the
# same formulas, the reconstructed gap predictor included, in float64) on the same rows: N seeded float32 rows of
# P features with a power-law spectrum and 10-class labels (alignment_numpy.py data), exchanged as .npy and
# imported once (not timed). Both sides run with their defaults: the residual is minus the one-hot labels (no
# residual, initial or target column), fractions 0.1,0.5, top 1,10, times 1,10,100,1000.
# Runs alternate repgap / NumPy REPEATS times (default 1) and print each time with the load average before and
# after (with SPARK_EVENTS=DIR, repgap's queries and stages from its Spark event log, eventlog_timeline.py), then
# every metric row of both, the largest relative difference and NumPy's stage times.
# Usage: cluster/bench/alignment-bench.sh [N [P]] (default 60000 4096). Needs this tree built
# (mvn -q -DskipTests package). REPGAP_JAVA_OPTS passes on JVM options (e.g. JFR: -XX:StartFlightRecording=..).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-alignment-bench}"
repeats="${REPEATS:-1}"
n="${1:-60000}"
p="${2:-4096}"
py=/usr/bin/python3
data="$work/n${n}p$p"
mkdir -p "$data"
if [[ ! -f "$data/labels.npy" ]]; then
  "$py" "$root/cluster/bench/alignment_numpy.py" data "$n" "$p" "$data"
fi
if [[ ! -d "$data/rows" ]]; then
  "$root/bin/repgap" import --npy "$data/x.npy" --labels "$data/labels.npy" --out "$data/rows" --quiet > /dev/null
fi
conf=()
if [[ -n "${SPARK_EVENTS:-}" ]]; then
  mkdir -p "$SPARK_EVENTS"
  conf=(--conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=$SPARK_EVENTS")
fi
for r in $(seq "$repeats"); do
  load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
  "$root/bin/repgap" alignment --input "$data/rows" --max-dim "$p" --json --quiet "${conf[@]}" \
    > "$data/repgap.jsonl" 2> "$data/repgap.err" || { cat "$data/repgap.err" >&2; exit 1; }
  t=$(echo "$(date +%s.%N) - $start" | bc)
  echo "N=$n P=$p repgap alignment ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)]" \
    "OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-1 (the default of bin/repgap)}"
  if [[ -n "${SPARK_EVENTS:-}" ]]; then # the newest log is this run's
    "$py" "$root/cluster/bench/eventlog_timeline.py" "$(ls -dt "$SPARK_EVENTS"/* | head -1)" | sed 's/^/  /'
  fi
  load=$(cut -d' ' -f1-3 /proc/loadavg); start=$(date +%s.%N)
  "$py" "$root/cluster/bench/alignment_numpy.py" run "$data" "$data/numpy.json"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  echo "N=$n P=$p numpy            ${t}s  load before [$load] after [$(cut -d' ' -f1-3 /proc/loadavg)]" \
    "OPENBLAS_NUM_THREADS=${OPENBLAS_NUM_THREADS:-unset (all cores)}"
done
"$py" "$root/cluster/bench/alignment_numpy.py" compare "$data/repgap.jsonl" "$data/numpy.json"
