#!/usr/bin/env bash
# Executes notebooks/repgap_results.ipynb on exported results, as a person would open it, with Debian's
# Jupyter (apt-get install jupyter python3-pandas python3-matplotlib). Without RESULTS it first makes the
# demo results (notebooks/demo-results.sh). Fails when a cell fails or a figure is missing.
# Usage: notebooks/run-notebook.sh [RESULTS]   (needs the built jar: mvn -q -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$here/notebooks/target"
results="${1:-}"
if [[ -z "$results" ]]; then
  "$here/notebooks/demo-results.sh" "$work/demo" 2>/dev/null
  results="$work/demo/results"
fi
export="$work/export"
rm -rf "$export"
"$here/bin/repgap" export --results "$results" --out "$export/metrics.csv" 2>/dev/null
if [[ -d "$results/gap_curves" ]]; then
  "$here/bin/repgap" export --results "$results" --table gap_curves --out "$export/gap_curves.csv" 2>/dev/null
fi
# Debian's Python has pandas and matplotlib; a python3 earlier on PATH (pyenv, venv) may not
PATH="/usr/bin:$PATH" REPGAP_EXPORT="$export" MPLBACKEND=Agg \
  jupyter nbconvert --to notebook --execute "$here/notebooks/repgap_results.ipynb" \
  --ExecutePreprocessor.timeout=300 --output-dir "$work" --output repgap_results.executed.ipynb
executed="$work/repgap_results.executed.ipynb"
if grep -q '"output_type": "error"' "$executed"; then
  echo "run-notebook: a cell failed, see $executed" >&2
  exit 1
fi
for figure in id_by_layer.png gap_curves.png trends.png; do
  [[ -s "$export/$figure" ]] || { echo "run-notebook: $export/$figure was not drawn" >&2; exit 1; }
done
echo "run-notebook: executed $executed; figures in $export"
