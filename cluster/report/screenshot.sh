#!/usr/bin/env bash
# What a person sees: renders `repgap report` for a results repository and takes a headless Chromium
# screenshot of it (Debian: apt-get install chromium), to look at with an image viewer.
# Usage: cluster/report/screenshot.sh [RESULTS] [OUT_DIR]   (default: demo results made by notebooks/demo-results.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
results="${1:-}"
out="${2:-$here/cluster/report/target}"
mkdir -p "$out"
if [[ -z "$results" ]]; then
  "$here/notebooks/demo-results.sh" "$out/demo" 2>/dev/null
  results="$out/demo/results"
fi
"$here/bin/repgap" report --results "$results" --out "$out/report.html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$out/chromium-profile" \
  --screenshot="$out/report.png" --window-size=1200,3000 "file://$(cd "$out" && pwd)/report.html" 2>/dev/null
echo "report: $out/report.html; screenshot of its first 3000 px: $out/report.png"
