#!/usr/bin/env bash
# Builds a small demo results repository to look at: 3 layers x 2 checkpoints of generated points with
# known intrinsic dimension, two nights of `repgap id` (different seeds), one `repgap gap` and one `repgap audit`.
# Usage: notebooks/demo-results.sh DIR   (needs the built jar: mvn -q -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: demo-results.sh DIR}"
repgap="$here/bin/repgap"
rm -rf "$dir"
mkdir -p "$dir"
acts="$dir/activations"
results="$dir/results"
# layer, dimension at checkpoint 0010, dimension at checkpoint 0100: later layers compress further with training
seed=1
for spec in "conv1 10 9" "conv2 7 5" "fc 4 2"; do
  read -r layer d10 d100 <<<"$spec"
  for ck in 0010 0100; do
    d=$([[ $ck == 0010 ]] && echo "$d10" || echo "$d100")
    "$repgap" generate --manifold gaussian --dim "$d" --ambient 32 --n 4000 --test 400 --seed $((seed++)) \
      --set checkpoint=$ck --set layer=$layer --out "$acts" >/dev/null
  done
done
for s in 1 2; do
  "$repgap" id --input "$acts" --group-by checkpoint,layer --estimators twonn,mle,pr --queries 2000 --bootstrap 50 \
    --seed $s --out "$results" >/dev/null
done
"$repgap" gap --input "$acts" --group-by checkpoint,layer --rankings 4 --grid-points 12 --bootstrap 50 --seed 1 \
  --out "$results" >/dev/null
"$repgap" audit --input "$acts" --group-by checkpoint,layer --out "$results" >/dev/null
echo "demo results in $results"
