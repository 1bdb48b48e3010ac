#!/usr/bin/env bash
# Intrinsic dimension of 200 000 seeded points of the flat 8-torus rotated into R^128 (true d = 8):
# `repgap id` against a plain NumPy + faiss implementation of the same formulas, values and
# whole-process times. Needs the built jars and Debian's python3-numpy, python3-faiss.
# N, D (torus dimension), AMBIENT, SEED override the data; REPEATS=N runs the pair N times back to back.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-id-synthetic}"
py=/usr/bin/python3
n="${N:-200000}" d="${D:-8}" ambient="${AMBIENT:-128}" seed="${SEED:-1}"
name="torus$d"
rm -rf "$work" && mkdir -p "$work/npy"
"$py" "$root/cluster/bench/id_numpy.py" torus "$work/npy" "$name" "$n" "$d" "$ambient" "$seed"
"$root/bin/repgap" import --npy "$work/npy/$name.npy" --split train --set subset="$name" --out "$work/data" > /dev/null 2>&1

for run in $(seq "${REPEATS:-1}"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$root/bin/repgap" id --input "$work/data" --group-by subset --estimators twonn,mle --k 5:20 --queries 0 --json \
    > "$work/repgap.jsonl" 2> "$work/repgap.log"
  t_repgap=$(echo "$(date +%s.%N) - $start" | bc)

  start=$(date +%s.%N)
  "$py" "$root/cluster/bench/id_numpy.py" estimate "$work/npy" "$name" > "$work/python.jsonl"
  t_python=$(echo "$(date +%s.%N) - $start" | bc)

  if [[ $run == 1 ]]; then
    "$py" "$root/cluster/bench/id_numpy.py" compare "$work/repgap.jsonl" "$work/python.jsonl"
    echo "true intrinsic dimension: $d"
    echo
  fi
  printf "run %d: whole-process time: repgap id %.1f s, NumPy + faiss %.1f s; ratio %.2f (%s x %s, load average before: %s, after: %s)\n" \
    "$run" "$t_repgap" "$t_python" "$(echo "$t_repgap / $t_python" | bc -l)" "$n" "$ambient" "$load" "$(cut -d' ' -f1 /proc/loadavg)"
done
