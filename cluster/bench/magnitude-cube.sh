#!/usr/bin/env bash
# Usage: cluster/bench/magnitude-cube.sh D N [GRID]: the magnitude dimension of N uniform points of the unit
# D-cube (seed 1000 D + N). Needs `mvn -q -DskipTests package` (common's classes) and the netlib jars in ~/.m2.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
m2="${M2_REPO:-$HOME/.m2/repository}"
cp="$root/common/target/classes:$(ls "$m2"/dev/ludovic/netlib/lapack/*/lapack-*.jar | head -1):$(ls "$m2"/dev/ludovic/netlib/blas/*/blas-*.jar | head -1):$(ls "$m2"/net/sourceforge/f2j/arpack_combined_all/*/*.jar | head -1)"
out="$(mktemp -d)"
javac -cp "$cp" -d "$out" "$root/cluster/bench/MagnitudeCube.java"
OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}" java -Xmx4g -cp "$out:$cp" MagnitudeCube "$@"
rm -rf "$out"
