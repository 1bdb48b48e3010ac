#!/usr/bin/env bash
# Representation Gap curve: whole-process wall time of `bin/repgap gap` (Spark local mode, one scan of
# test x train for all rankings and grid sizes) against cluster/bench/gap_faiss.py (faiss IndexFlatL2
# per ranking and grid bucket; and/or one NumPy GEMM pass for all rankings) on the same seeded data,
# the flat 8-torus in R^256 (cluster/bench/gap_data.py). Prints the times, their ratios, the curves
# side by side with the largest relative difference, and repgap's fitted dimension against the true d.
#
# Needs: the built jars (mvn -q -DskipTests package) and Debian's python3-numpy, python3-faiss
# (apt-get install -y python3-numpy python3-faiss libopenblas0).
# Environment: TRAIN (rows, default 1000000), TEST (10000), DIM (256), CIRCLES (true d, 8),
# DATA_SEED (1), SEED (the rankings' seed, 1), RANKINGS (8), METHODS ("faiss gemm"),
# DATA (/work/bench-data: data and its import are made once and kept), WORK (/tmp/repgap-gap-bench),
# GAP_OPTS (extra options for repgap gap), REPGAP_JAVA_OPTS (JVM options, see bin/repgap).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
train="${TRAIN:-1000000}"
test="${TEST:-10000}"
dim="${DIM:-256}"
circles="${CIRCLES:-8}"
data_seed="${DATA_SEED:-1}"
seed="${SEED:-1}"
rankings="${RANKINGS:-8}"
methods="${METHODS:-faiss gemm}"
work="${WORK:-/tmp/repgap-gap-bench}"
data="${DATA:-/work/bench-data}/gap-torus${circles}-${train}x${dim}-test${test}-seed${data_seed}"
py=/usr/bin/python3

rm -rf "$work" && mkdir -p "$work" "$data"
if [[ ! -f "$data/train.npy" || ! -f "$data/test.npy" ]]; then
  "$py" "$root/cluster/bench/gap_data.py" "$data" --train "$train" --test "$test" --dim "$dim" \
    --circles "$circles" --seed "$data_seed"
fi
if [[ ! -f "$data/imported" ]]; then # train rows get ids 0..N-1, test rows N..N+M-1
  rm -rf "$data/parquet"
  "$root/bin/repgap" import --npy "$data/train.npy" --split train --out "$data/parquet" >> "$work/import.log" 2>&1
  "$root/bin/repgap" import --npy "$data/test.npy" --split test --out "$data/parquet" >> "$work/import.log" 2>&1
  touch "$data/imported"
fi

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "data: $data (train $train x $dim, test $test, flat $circles-torus, data seed $data_seed); rankings $rankings, seed $seed"
echo

# repgap: whole process (JVM and Spark start-up, reading Parquet, the scan, the fit, the JSON)
echo "load before repgap gap: $(uptime | sed 's/.*load average: //')"
start=$(date +%s.%N)
# shellcheck disable=SC2086
"$root/bin/repgap" gap --input "$data/parquet" --seed "$seed" --rankings "$rankings" --json ${GAP_OPTS:-} \
  > "$work/repgap.jsonl" 2> "$work/repgap.log"
t_repgap=$(echo "$(date +%s.%N) - $start" | bc)
printf "repgap gap: %.1f s\n" "$t_repgap"

outs=()
for m in $methods; do
  echo "load before gap_faiss.py $m: $(uptime | sed 's/.*load average: //')"
  start=$(date +%s.%N)
  "$py" "$root/cluster/bench/gap_faiss.py" "$m" "$data/train.npy" "$data/test.npy" --seed "$seed" \
    --rankings "$rankings" > "$work/$m.jsonl" 2> "$work/$m.log"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  printf "gap_faiss.py %s: %.1f s (whole process; %s s after loading), repgap / %s = %.2f\n" "$m" "$t" \
    "$("$py" -c "import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])['seconds'])" "$work/$m.jsonl")" \
    "$m" "$(echo "$t_repgap / $t" | bc -l)"
  outs+=("$work/$m.jsonl")
done
echo "load after: $(uptime | sed 's/.*load average: //')"
echo
"$py" "$root/cluster/bench/gap_faiss.py" compare "$work/repgap.jsonl" "${outs[@]}"
echo "true dimension: $circles"
