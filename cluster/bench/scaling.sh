#!/usr/bin/env bash
# Measures repgap gap and id on a local standalone cluster of 1 and then 2 workers (1 core each):
# wall time, scan time, shuffle and result bytes, peak memory per task, from Spark's event logs.
# The figures and the cost model they check are in cluster/SCALING.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

usage() {
  cat <<USAGE
Usage: $(basename "$0") [--rows N] [--test M] [--ambient D] [--workers "1 2"] [--out DIR]

Generates an affine 5-cube in R^D (N train + M test rows), then for each worker count starts a
local cluster (1 core, 2g per worker), runs gap (M test x N train) and id (20000 queries x N+M rows)
in client mode with event logs, stops the cluster, and prints one summary line per run.
Defaults: --rows 40000 --test 10000 --ambient 64 --workers "1 2" --out /tmp/repgap-scaling
USAGE
}

rows=40000 test=10000 ambient=64 worker_counts="1 2" out=/tmp/repgap-scaling
while (($#)); do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --test) test="$2"; shift 2 ;;
    --ambient) ambient="$2"; shift 2 ;;
    --workers) worker_counts="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; echo "scaling.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
export SPARK_LOCAL_IP=127.0.0.1
mkdir -p "$out"
data="$out/activations"
[[ -d "$data" ]] || "$here/bin/repgap" generate --manifold affine --dim 5 --ambient "$ambient" --n "$rows" \
  --test "$test" --seed 1 --set layer=cube5 --out "$data"

cluster=""
trap '[[ -n "$cluster" ]] && "$here/cluster/bin/stop-local-cluster" --dir "$cluster"' EXIT
for w in $worker_counts; do
  cluster="$out/cluster-$w"
  "$here/cluster/bin/start-local-cluster" --workers "$w" --cores 1 --memory 2g --dir "$cluster"
  events="$out/events-$w"
  rm -rf "$events" && mkdir -p "$events"
  for cmd in gap id; do
    extra=()
    [[ "$cmd" == id ]] && extra=(--estimators twonn,mle,gride,pr)
    echo "== $w worker(s): $cmd; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
    start=$SECONDS
    "$here/cluster/bin/submit" --cluster-dir "$cluster" --conf spark.ui.enabled=false \
      --conf spark.eventLog.enabled=true --conf "spark.eventLog.dir=file://$events" \
      --conf spark.eventLog.compress=false --conf spark.eventLog.rolling.enabled=false \
      --conf spark.executor.memory=1g -- \
      "$cmd" --input "$data" --group-by layer --seed 3 "${extra[@]}" > "$out/$cmd-$w.out" 2> "$out/$cmd-$w.err"
    echo "   wall (submit) $((SECONDS - start)) s; load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
  done
  "$here/cluster/bin/stop-local-cluster" --dir "$cluster"
  cluster=""
  for log in "$events"/*; do python3 "$here/cluster/bench/eventlog_summary.py" "$log"; done
done
