#!/usr/bin/env bash
# Nightly sweep + trend check: the analyses of tonight's activations appended to the results repository,
# then `repgap check` against the nights before, then the HTML report. Exit code: 0 all well, 1 anomalies
# (the report is still written), 2 bad input, anything else a failed run.
#
# There is no `repgap sweep` yet: the sweep is one `repgap id` and one `repgap gap` run over every group of
# the input (each one Spark application over all groups). When `sweep` lands, replace the two runs by it.
#
# Settings (environment):
#   REPGAP        the command: bin/repgap (local mode) or a spark-submit wrapper (default: bin/repgap next to this repo)
#   ACTIVATIONS   tonight's activations, Parquet (e.g. hdfs:///acts/$(date +%F)); required
#   RESULTS       the results repository (e.g. hdfs:///repgap-results); required
#   GROUP_BY      group columns (default model,checkpoint,layer)
#   RULES         rules file of the check (default cluster/schedules/rules.yaml)
#   REPORT        where the report goes (default /var/lib/repgap/report-DATE.html)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
repgap="${REPGAP:-$here/bin/repgap}"
: "${ACTIVATIONS:?set ACTIVATIONS to the activations of tonight}"
: "${RESULTS:?set RESULTS to the results repository}"
group_by="${GROUP_BY:-model,checkpoint,layer}"
rules="${RULES:-$here/cluster/schedules/rules.yaml}"
report="${REPORT:-/var/lib/repgap/report-$(date -u +%F).html}"
seed="$(date -u +%Y%m%d)" # a new seed each night: the check then sees sampling noise, which the intervals cover

$repgap id --input "$ACTIVATIONS" --group-by "$group_by" --seed "$seed" --out "$RESULTS"
$repgap gap --input "$ACTIVATIONS" --group-by "$group_by" --seed "$seed" --out "$RESULTS"

status=0
$repgap check --results "$RESULTS" --rules "$rules" || status=$?
if [[ $status -gt 1 ]]; then exit "$status"; fi
$repgap report --results "$RESULTS" --rules "$rules" --out "$report"
exit "$status"
