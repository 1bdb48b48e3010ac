#!/usr/bin/env bash
# Intrinsic dimension of Fashion-MNIST (train set, all and per class): `repgap id` against a plain
# NumPy + faiss implementation of the same formulas, values and whole-process times.
# Needs the built jars and Debian's dataset-fashion-mnist, python3-numpy, python3-faiss.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-id-fmnist}"
py=/usr/bin/python3
rm -rf "$work" && mkdir -p "$work/npy"
"$py" "$root/cluster/bench/fashion_mnist.py" prepare "$work/npy"
for name in all class0 class1 class2 class3 class4 class5 class6 class7 class8 class9; do
  "$root/bin/repgap" import --npy "$work/npy/$name.npy" --split train --set subset="$name" --out "$work/data" > /dev/null 2>&1
done

start=$(date +%s.%N)
"$root/bin/repgap" id --input "$work/data" --group-by subset --estimators twonn,mle --k 5:20 --queries 0 --json \
  > "$work/repgap.jsonl" 2> "$work/repgap.log"
t_repgap=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
for name in all class0 class1 class2 class3 class4 class5 class6 class7 class8 class9; do
  "$py" "$root/cluster/bench/fashion_mnist.py" estimate "$work/npy" "$name"
done > "$work/python.jsonl"
t_python=$(echo "$(date +%s.%N) - $start" | bc)

"$py" "$root/cluster/bench/fashion_mnist.py" compare "$work/repgap.jsonl" "$work/python.jsonl"
echo
printf "whole-process time: repgap id %.1f s (one application, 11 groups), NumPy + faiss %.1f s (11 processes); ratio %.2f\n" \
  "$t_repgap" "$t_python" "$(echo "$t_repgap / $t_python" | bc -l)"
