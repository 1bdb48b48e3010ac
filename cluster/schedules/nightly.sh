#!/usr/bin/env bash
# Nightly sweep + trend check: `repgap sweep` runs the spec's analyses on every group of the activations
# that is new or changed since the last run (one Spark application; the rest is skipped by fingerprint),
# then `repgap check` compares against the nights before, then the HTML report. Exit code: 0 all well,
# 1 anomalies (the report is still written), 2 bad input or spec, 3 some groups failed in the sweep (the
# others' results are in; check and report still run), anything else a failed run.
#
# Settings (environment):
#   REPGAP        the command: bin/repgap (local mode) or a spark-submit wrapper (default: bin/repgap next to this repo)
#   ACTIVATIONS   the activations, Parquet (e.g. hdfs:///acts); default: the spec's inputs
#   RESULTS       the results repository (e.g. hdfs:///repgap-results); required
#   SPEC          the sweep spec (default cluster/schedules/sweep.yaml)
#   RULES         rules file of the check (default cluster/schedules/rules.yaml)
#   REPORT        where the report goes (default /var/lib/repgap/report-DATE.html)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
repgap="${REPGAP:-$here/bin/repgap}"
: "${RESULTS:?set RESULTS to the results repository}"
spec="${SPEC:-$here/cluster/schedules/sweep.yaml}"
rules="${RULES:-$here/cluster/schedules/rules.yaml}"
report="${REPORT:-/var/lib/repgap/report-$(date -u +%F).html}"

sweep=0
$repgap sweep --spec "$spec" --results "$RESULTS" ${ACTIVATIONS:+--input "$ACTIVATIONS"} || sweep=$?
if [[ $sweep -gt 1 ]]; then exit "$sweep"; fi

status=0
$repgap check --results "$RESULTS" --rules "$rules" || status=$?
if [[ $status -gt 1 ]]; then exit "$status"; fi
$repgap report --results "$RESULTS" --rules "$rules" --out "$report"
if [[ $status -eq 0 && $sweep -eq 1 ]]; then exit 3; fi
exit "$status"
