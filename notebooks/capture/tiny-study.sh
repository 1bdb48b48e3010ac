#!/usr/bin/env bash
# The worked experiment end to end at its --tiny size, as CI runs it: capture (PyTorch), import --manifest, a sweep
# of the activations, record of the training metrics, correlate, report; each step's output checked.
# Usage: notebooks/capture/tiny-study.sh [DIR]   (needs the built jar, python3-torch, dataset-fashion-mnist)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-$here/notebooks/target/tiny-study}"
repgap="$here/bin/repgap"
rm -rf "$dir" && mkdir -p "$dir"
step() { echo "+ $*" >&2; "$@"; }
fail() { echo "tiny-study: $*" >&2; exit 1; }

step /usr/bin/python3 "$here/notebooks/capture/run.py" --out "$dir/capture" --tiny > "$dir/capture.log"
step "$repgap" import --manifest "$dir/capture/manifest.json" --out "$dir/data" --quiet > "$dir/import.log"
[[ -d "$dir/data/activations" && -d "$dir/data/noisy" && -d "$dir/data/gradients" && -d "$dir/data/weights" ]] \
  || fail "import --manifest did not write the four datasets: $(ls "$dir/data")"
step "$repgap" sweep --spec "$here/notebooks/capture/study.yaml" --input "$dir/data/activations" --results "$dir/results" \
  --quiet 2> "$dir/sweep.log"
grep -q ", 0 failed;" "$dir/sweep.log" || fail "the sweep had failures: $(tail -3 "$dir/sweep.log")"
step "$repgap" record --csv "$dir/capture/metrics.csv" --results "$dir/results" \
  --metrics train_loss,test_loss,test_acc,gap_loss,gap_acc,gn_trace,epoch > "$dir/record.log"
grep -q "^recorded .* (7 metrics, 3 groups)" "$dir/record.log" || fail "record: $(cat "$dir/record.log")"
step "$repgap" correlate --results "$dir/results" --target external.gap_loss --min-groups 3 --bootstrap 200 \
  --permutations 99 --quiet > "$dir/correlate.txt"
grep -q "series correlated across model,checkpoint" "$dir/correlate.txt" || fail "correlate: $(tail -3 "$dir/correlate.txt")"
step "$repgap" export --results "$dir/results" --out "$dir/metrics.csv" --quiet
for prefix in describe. id. gap. risk. alignment. external. correlate.; do
  grep -q ",$prefix" "$dir/metrics.csv" || fail "no $prefix* rows in the results"
done
step "$repgap" report --results "$dir/results" --out "$dir/report.html" --quiet 2> /dev/null
grep -q '<section id="predictors">' "$dir/report.html" || fail "the report has no section on what predicts generalisation"
echo "tiny study: $(grep -c . "$dir/metrics.csv") metric rows in $dir/results; report $dir/report.html"
