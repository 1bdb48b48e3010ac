#!/usr/bin/env bash
# `repgap risk` on Fashion-MNIST pixels (60000 train, 10000 test, 784 features, one-hot labels, 60 lambdas):
# GCV + exact LOO + test risk, against scikit-learn's RidgeCV (exact LOO only) with the same alphas (n lambda),
# whole-process times and the largest relative difference of the LOO values.
# Needs the built jars and Debian's dataset-fashion-mnist, python3-numpy, python3-sklearn.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-risk-fmnist}"
py=/usr/bin/python3
rm -rf "$work" && mkdir -p "$work/npy"
"$py" "$root/cluster/bench/risk_sklearn.py" convert "$work/npy"
"$root/bin/repgap" import --npy "$work/npy/train.npy" --labels "$work/npy/train-labels.npy" --split train \
  --npy "$work/npy/test.npy" --labels "$work/npy/test-labels.npy" --split test --out "$work/data" > /dev/null 2>&1

for run in $(seq "${REPEATS:-1}"); do
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$root/bin/repgap" risk --input "$work/data" --lambdas "$(cat "$work/npy/lambdas.txt")" --json \
    > "$work/repgap.jsonl" 2> "$work/repgap.log"
  t_repgap=$(echo "$(date +%s.%N) - $start" | bc)
  load_mid=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  "$py" "$root/cluster/bench/risk_sklearn.py" ridgecv "$work/npy" > "$work/sklearn.jsonl"
  t_sklearn=$(echo "$(date +%s.%N) - $start" | bc)
  if [[ $run == 1 ]]; then
    "$py" "$root/cluster/bench/risk_sklearn.py" compare "$work/repgap.jsonl" "$work/sklearn.jsonl"
    grep -E '"risk\.(lambda|predicted|measured|best_test|error_rate|relative_error|eigen_exponent|alignment)"' "$work/repgap.jsonl"
  fi
  printf "run %d: whole-process time: repgap risk %.1f s (GCV + LOO + test risk), RidgeCV %.1f s (LOO); ratio %.2f (load average before: %s, between: %s, after: %s)\n" \
    "$run" "$t_repgap" "$t_sklearn" "$(echo "$t_repgap / $t_sklearn" | bc -l)" "$load" "$load_mid" "$(cut -d' ' -f1 /proc/loadavg)"
done
