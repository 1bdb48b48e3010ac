#!/usr/bin/env bash
# Coverage of the TwoNN maximum-likelihood interval (id.twonn) on seeded flat tori, without Spark:
# generate's torus points, every row a query against every row by the exact scan in common/, then
# the exact Gamma(N) interval and the interval id.twonn reports (widened for shared neighbours),
# over many seeds. Prints a Markdown table (cluster/bench/RESULTS.md).
# DIMS (default 2,3,4,5,6,8), N (20000), SEEDS (200), THREADS (2), LEVEL (0.9), FIRST_SEED (0);
# CSV=path also writes one line per dimension and seed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
mvn -q -o -pl common test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
mvn -q -o -pl common dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" > /dev/null
# shellcheck source=bin/jvm-flags.sh
source "$root/bin/jvm-flags.sh"
exec "${JAVA:-java}" "${REPGAP_JVM_FLAGS[@]}" -Xmx3g \
  -cp "common/target/classes:common/target/test-classes:$(cat "$cp_file")" dev.repgap.id.IntervalCoverage \
  "${DIMS:-2,3,4,5,6,8}" "${N:-20000}" "${SEEDS:-200}" "${THREADS:-2}" "${LEVEL:-0.9}" "${FIRST_SEED:-0}" "${CSV:-}"
