#!/usr/bin/env bash
# Executes notebooks/repgap_results.ipynb on exported results, as a person would open it, with Debian's
# Jupyter (apt-get install jupyter python3-pandas python3-matplotlib). Without RESULTS it first makes the
# demo results (notebooks/demo-results.sh), then also runs the notebook on notebooks/testdata/mixed (runs grouped
# by dataset and by class, no layer, no gap runs) and the Python client's test (notebooks/test_repgap.py).
# Fails when a cell fails, a table comes out empty, or a figure the notebook says it drew is missing (on the demo
# results: all of id_by_layer.png, gap_curves.png and trends.png).
# Usage: notebooks/run-notebook.sh [RESULTS]   (needs the built jar: mvn -q -DskipTests package)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$here/notebooks/target"
results="${1:-}"
demo=
if [[ -z "$results" ]]; then
  "$here/notebooks/demo-results.sh" "$work/demo" 2>/dev/null
  results="$work/demo/results"
  demo=1
fi
# Debian's Python has pandas and matplotlib; a python3 earlier on PATH (pyenv, venv) may not
export PATH="/usr/bin:$PATH" MPLBACKEND=Agg

# execute NAME EXPORT_DIR [REQUIRED_FIGURE...]: runs the notebook on EXPORT_DIR and checks what it drew
execute() {
  local name="$1" export="$2"
  shift 2
  rm -f "$export/figures.txt"
  REPGAP_EXPORT="$export" jupyter nbconvert --to notebook --execute "$here/notebooks/repgap_results.ipynb" \
    --ExecutePreprocessor.timeout=300 --output-dir "$work" --output "$name.executed.ipynb"
  local executed="$work/$name.executed.ipynb"
  if grep -q '"output_type": "error"' "$executed"; then
    echo "run-notebook: a cell failed, see $executed" >&2
    exit 1
  fi
  if grep -q 'Empty DataFrame' "$executed"; then
    echo "run-notebook: a table came out empty, see $executed" >&2
    exit 1
  fi
  [[ -f "$export/figures.txt" ]] || { echo "run-notebook: $executed did not list its figures" >&2; exit 1; }
  local figure
  for figure in $(cat "$export/figures.txt") "$@"; do
    [[ -s "$export/$figure" ]] || { echo "run-notebook: $export/$figure was not drawn" >&2; exit 1; }
  done
  echo "run-notebook: executed $executed; figures in $export: $(tr '\n' ' ' < "$export/figures.txt")"
}

export_dir="$work/export"
rm -rf "$export_dir"
"$here/bin/repgap" export --results "$results" --all "$export_dir" 2>/dev/null
if [[ -n "$demo" ]]; then
  execute repgap_results "$export_dir" id_by_layer.png gap_curves.png trends.png
  rm -rf "$work/mixed"
  cp -r "$here/notebooks/testdata/mixed" "$work/mixed"
  execute repgap_results_mixed "$work/mixed" id_by_group.png
  /usr/bin/python3 "$here/notebooks/test_repgap.py"
else
  execute repgap_results "$export_dir"
fi
