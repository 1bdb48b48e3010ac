#!/usr/bin/env bash
# Intrinsic dimension of Fashion-MNIST (train set, all and per class): `repgap id` against a plain
# NumPy + faiss implementation of the same formulas, values and whole-process times.
# Needs the built jars and Debian's dataset-fashion-mnist, python3-numpy, python3-faiss.
# REPEATS=N runs the pair N times back to back (the machine may be shared: each line shows the load).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-id-fmnist}"
py=/usr/bin/python3
names="all class0 class1 class2 class3 class4 class5 class6 class7 class8 class9"
rm -rf "$work" && mkdir -p "$work/npy"
"$py" "$root/cluster/bench/id_numpy.py" fashion-mnist "$work/npy"
for name in $names; do
  "$root/bin/repgap" import --npy "$work/npy/$name.npy" --split train --set subset="$name" --out "$work/data" > /dev/null 2>&1
done

for run in $(seq "${REPEATS:-1}"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$root/bin/repgap" id --input "$work/data" --group-by subset --estimators twonn,mle --k 5:20 --queries 0 --json \
    > "$work/repgap.jsonl" 2> "$work/repgap.log"
  t_repgap=$(echo "$(date +%s.%N) - $start" | bc)

  start=$(date +%s.%N)
  for name in $names; do
    "$py" "$root/cluster/bench/id_numpy.py" estimate "$work/npy" "$name"
  done > "$work/python.jsonl"
  t_python=$(echo "$(date +%s.%N) - $start" | bc)

  if [[ $run == 1 ]]; then
    "$py" "$root/cluster/bench/id_numpy.py" compare "$work/repgap.jsonl" "$work/python.jsonl"
    echo
  fi
  printf "run %d: whole-process time: repgap id %.1f s (one application, 11 groups), NumPy + faiss %.1f s (11 processes); ratio %.2f (load average before: %s, after: %s)\n" \
    "$run" "$t_repgap" "$t_python" "$(echo "$t_repgap / $t_python" | bc -l)" "$load" "$(cut -d' ' -f1 /proc/loadavg)"
done
