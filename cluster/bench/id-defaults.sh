#!/usr/bin/env bash
# Whole-process time of `repgap id` with its default estimators (twonn, mle, gride, kmeans, pr):
#   1. Fashion-MNIST train (60000, --split train) + test (10000, --split test) as one group;
#   2. the same, each class its own group (--set class=N), run with --group-by class;
#   3. a wide layer: 50 rows x 20000 dimensions (seeded Gaussian);
# and, as the yardstick for load, case 1 with --estimators twonn,mle (no kmeans, no pr): "all-nn".
# Prints, per case, the time, the load average before and after, and each estimator's time as
# `repgap id` reports it on stderr. Needs the built jars, Debian's dataset-fashion-mnist and python3-numpy.
# REPEATS=N runs each case N times; CASES="all all-nn classes wide" picks cases.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-id-defaults}"
py=/usr/bin/python3
source=/usr/share/datasets/fashion-mnist

if [[ ! -d "$work/all" || ! -d "$work/classes" || ! -d "$work/wide" ]]; then
  rm -rf "$work" && mkdir -p "$work/npy"
  "$py" - "$source" "$work/npy" <<'EOF'
import gzip, sys
import numpy as np
source, out = sys.argv[1], sys.argv[2]
for split, prefix in (("train", "train"), ("test", "t10k")):
    with gzip.open(f"{source}/{prefix}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255
    with gzip.open(f"{source}/{prefix}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    np.save(f"{out}/{split}.npy", x)
    for c in range(10):
        np.save(f"{out}/{split}-class{c}.npy", np.ascontiguousarray(x[y == c]))
np.save(f"{out}/wide.npy", np.random.default_rng(0).standard_normal((50, 20000)).astype(np.float32))
EOF
  for split in train test; do
    "$root/bin/repgap" import --npy "$work/npy/$split.npy" --split "$split" --out "$work/all" > /dev/null 2>&1
    for c in 0 1 2 3 4 5 6 7 8 9; do
      "$root/bin/repgap" import --npy "$work/npy/$split-class$c.npy" --split "$split" --set class="$c" \
        --out "$work/classes" > /dev/null 2>&1
    done
  done
  "$root/bin/repgap" import --npy "$work/npy/wide.npy" --split train --out "$work/wide" > /dev/null 2>&1
fi

run() { # name, then the arguments of repgap id
  local name=$1; shift
  local load start t
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s.%N)
  "$root/bin/repgap" id "$@" --json > "$work/$name.jsonl" 2> "$work/$name.log"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  printf "%s: repgap id %s: %.1f s whole process (load average before: %s; after: %s)\n" \
    "$name" "$*" "$t" "$load" "$(cut -d' ' -f1-3 /proc/loadavg)"
  # Estimator times, summed over groups (seconds of one driver thread each; they run side by side)
  grep -E '^repgap: id: ' "$work/$name.log" | sed -E 's/^repgap: id: //' | awk '
    /neighbour scan/ { print "  " $0; next }
    { est = $(NF-3); sum[est] += $(NF-1); n[est]++ }
    END { for (e in sum) printf "  %s: %.1f s over %d group(s)\n", e, sum[e], n[e] }'
  grep -hE '"metric":"id\.(twonn|mle_mean|kmeans|pr)"' "$work/$name.jsonl" \
    | sed -E 's/.*"(class)":"([0-9])".*"metric":"([a-z_.]+)".*"value":([0-9.eE+-]+|null).*/  class=\2 \3 = \4/;
              s/.*"metric":"([a-z_.]+)".*"value":([0-9.eE+-]+|null).*/  \1 = \2/' | head -50
}

for rep in $(seq "${REPEATS:-1}"); do
  for c in ${CASES:-all all-nn classes wide}; do
    case $c in
      all) run "all-$rep" --input "$work/all" ;;
      all-nn) run "all-nn-$rep" --input "$work/all" --estimators twonn,mle ;;
      classes) run "classes-$rep" --input "$work/classes" --group-by class ;;
      wide) run "wide-$rep" --input "$work/wide" ;;
    esac
  done
done
