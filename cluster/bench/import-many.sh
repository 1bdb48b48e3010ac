#!/usr/bin/env bash
# Imports FILES (default 24) .npy files of ROWS x DIM (default 5000 x 100, float32) into one dataset in ONE
# `repgap import` run, one group per file (--set layer=i), and prints the whole-process time.
# Needs the built jars and python3-numpy (to write the .npy files).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="${WORK:-/tmp/repgap-import-many}"
files="${FILES:-24}" rows="${ROWS:-5000}" dim="${DIM:-100}"
rm -rf "$work" && mkdir -p "$work"
/usr/bin/python3 - "$work" "$files" "$rows" "$dim" <<'PY'
import sys, numpy as np
work, files, rows, dim = sys.argv[1], *map(int, sys.argv[2:])
rng = np.random.default_rng(0)
for i in range(files):
    np.save(f"{work}/layer{i:02d}.npy", rng.standard_normal((rows, dim), dtype=np.float32))
PY
args=()
for i in $(seq -f "%02g" 0 $((files - 1))); do args+=(--npy "$work/layer$i.npy" --set "layer=$i"); done
load=$(cut -d' ' -f1 /proc/loadavg)
start=$(date +%s.%N)
"$root/bin/repgap" import --out "$work/data" "${args[@]}" > "$work/import.txt" 2> "$work/import.log"
t=$(echo "$(date +%s.%N) - $start" | bc)
tail -1 "$work/import.txt"
printf "import of %d files of %d x %d in one run: %.1f s whole process (%d lines of output; load average before: %s, after: %s)\n" \
  "$files" "$rows" "$dim" "$t" "$(wc -l < "$work/import.txt")" "$load" "$(cut -d' ' -f1 /proc/loadavg)"
