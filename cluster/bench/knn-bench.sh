#!/usr/bin/env bash
# End-to-end self kNN (k = 10) on seeded random float32 data: whole-process wall time of
# `bin/repgap knn` (Spark local mode) against scikit-learn NearestNeighbors(algorithm='brute') and
# faiss IndexFlatL2 on the same data, exported as .npy. Prints a Markdown table.
#
# Needs: the built jars (mvn -q -DskipTests package) and Debian's python3-numpy, python3-sklearn,
# python3-faiss (apt-get install -y python3-sklearn python3-faiss). Environment: SIZES (rows,
# default "50000 200000"), DIM (128), K (10), WORK (/tmp/repgap-knn-bench).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sizes="${SIZES:-50000 200000}"
dim="${DIM:-128}"
k="${K:-10}"
work="${WORK:-/tmp/repgap-knn-bench}"
py=/usr/bin/python3

seconds() { # runs "$@", prints its wall time in seconds on fd 3, its output to the log
  local start end
  start=$(date +%s.%N)
  "$@" >> "$work/log.txt" 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

rm -rf "$work" && mkdir -p "$work"
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/ {print $2}') GiB"
echo
echo "| rows x dim | repgap knn (s) | faiss IndexFlatL2 (s) | sklearn brute (s) | repgap / faiss | repgap / sklearn |"
echo "| --- | --- | --- | --- | --- | --- |"
for n in $sizes; do
  dir="$work/n$n"
  mkdir -p "$dir"
  "$py" -c "import numpy as np; np.save('$dir/x.npy', np.random.default_rng(1).standard_normal(($n, $dim), dtype=np.float32))"
  "$root/bin/repgap" import --npy "$dir/x.npy" --split train --out "$dir/data" >> "$work/log.txt" 2>&1
  t_repgap=$(seconds "$root/bin/repgap" knn --input "$dir/data" --k "$k" --out "$dir/neighbours")
  t_faiss=$(seconds "$py" "$root/cluster/bench/knn_python.py" faiss "$dir/x.npy" "$k")
  t_sklearn=$(seconds "$py" "$root/cluster/bench/knn_python.py" sklearn "$dir/x.npy" "$k")
  printf "| %s x %s | %.1f | %.1f | %.1f | %.2f | %.2f |\n" "$n" "$dim" "$t_repgap" "$t_faiss" "$t_sklearn" \
    "$(echo "$t_repgap / $t_faiss" | bc -l)" "$(echo "$t_repgap / $t_sklearn" | bc -l)"
done
echo
echo "first-neighbour medians (cross-check): "
grep -E "r1 median|knn.r1_median" "$work/log.txt" | sed 's/^/    /'
