#!/usr/bin/env bash
# Whole-process time of `repgap describe` before and after the moments state (issue 14):
#   before: the build of BASE_COMMIT (default cb2136f: an MLlib RowMatrix Gramian per group, one group after another);
#   after:  this tree's build (one pass filling a Moments state per group and task, dsyrk on row blocks).
# Cases (CASES="one groups"): "one" is 200000 rows x 512 in one group; "groups" is 10 groups of 20000 x 512
# (--set layer=0..9, describe --group-by layer). The data are seeded Gaussians (generate --manifold gaussian,
# full rank) generated once into $WORK. Runs alternate before/after REPEATS times (default 2) and print
# each time with the load average before and after, then the largest relative difference of describe's values.
# Needs this tree built (mvn -q -DskipTests package); builds BASE_COMMIT offline in a clone under $WORK once.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-describe-moments}"
base_commit="${BASE_COMMIT:-cb2136f}"
base="$work/base-$base_commit"
mkdir -p "$work"
export OPENBLAS_NUM_THREADS=1 # as the after build's bin/repgap sets it; the same for both builds

if [[ ! -f "$base/jobs/target/repgap-local.jar" ]]; then
  rm -rf "$base"
  git clone -q "$root" "$base"
  git -C "$base" checkout -q "$base_commit"
  (cd "$base" && mvn -q -B -o -DskipTests package)
fi
if [[ ! -d "$work/one" ]]; then
  "$root/bin/repgap" generate --manifold gaussian --dim 512 --ambient 512 --n 200000 --seed 1 --out "$work/one" \
    --quiet > /dev/null
fi
if [[ ! -d "$work/groups" ]]; then
  for g in 0 1 2 3 4 5 6 7 8 9; do
    "$root/bin/repgap" generate --manifold gaussian --dim 512 --ambient 512 --n 20000 --seed $((10 + g)) \
      --set layer=$g --out "$work/groups" --quiet > /dev/null
  done
fi

run() { # label, repgap checkout, case
  local label=$1 tree=$2 case=$3 load start t
  local args=(--input "$work/$case" --json --quiet)
  [[ $case == groups ]] && args+=(--group-by layer)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%s.%N)
  "$tree/bin/repgap" describe "${args[@]}" > "$work/$case-$label.jsonl" 2> "$work/$case-$label.log"
  t=$(echo "$(date +%s.%N) - $start" | bc)
  printf "%s %-6s: %.1f s whole process (load average before: %s; after: %s)\n" "$case" "$label" "$t" "$load" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
}

for rep in $(seq "${REPEATS:-2}"); do
  for c in ${CASES:-one groups}; do
    run before "$base" "$c"
    run after "$root" "$c"
  done
done

for c in ${CASES:-one groups}; do
  /usr/bin/python3 - "$work/$c-before.jsonl" "$work/$c-after.jsonl" <<'PY'
import json, sys
def rows(path):
    return {(r.get("layer"), r["metric"], r["param"]): r["value"] for r in map(json.loads, open(path))}
before, after = rows(sys.argv[1]), rows(sys.argv[2])
assert before.keys() == after.keys(), "different rows"
largest = {}
for k, b in before.items():
    rel = abs(after[k] - b) / abs(b) if b else abs(after[k])
    largest[k[1]] = max(largest.get(k[1], 0), rel)
print(sys.argv[1].rsplit("/", 1)[1].split("-")[0] + ": largest relative difference after/before: "
      + ", ".join(f"{m} {v:.1e}" for m, v in sorted(largest.items())))
PY
done
