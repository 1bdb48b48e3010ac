#!/usr/bin/env bash
# GFLOP/s of filling a Moments state (MomentsBenchmark: 4096 float rows x 512 per call, two JMH threads
# each with its own rows and state, as two Spark tasks on two cores), beside the native BLAS's dsyrk on
# the same rows and its dgemm on 1024 x 1024 (the same JNI binding), and NumPy's dgemm (its own OpenBLAS
# build) as an outside reference. OpenBLAS runs one thread per caller (OPENBLAS_NUM_THREADS=1, as
# bin/repgap sets it), unless THREADS says otherwise. Prints the load average before and after each part.
# Builds common/target/benchmarks.jar if missing (mvn -pl common -Pbench package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/common/target/benchmarks.jar"
[[ -f "$jar" ]] || (cd "$root" && mvn -q -B -pl common -Pbench package -DskipTests)
export OPENBLAS_NUM_THREADS="${THREADS:-1}"
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "JMH, OPENBLAS_NUM_THREADS=$OPENBLAS_NUM_THREADS, load average before: $(load)"
java -jar "$jar" MomentsBenchmark -t 2 -wi "${WARMUPS:-3}" -i "${ITERATIONS:-5}" -w 2 -r 3 \
  -p kernel="${KERNELS:-blas,vector,dgemm,dsyrk}" 2>&1 | grep -E '^(Benchmark|MomentsBenchmark)'
echo "load average after: $(load)"

echo "NumPy dgemm, best of 5 (load average before: $(load))"
for threads in 1 2; do
  OPENBLAS_NUM_THREADS=$threads /usr/bin/env python3 - "$threads" <<'PY'
import sys, time
import numpy as np
rng = np.random.default_rng(0)
for n in (1024, 2048):
    a, b = rng.standard_normal((n, n)), rng.standard_normal((n, n))
    a @ b
    times = []
    for _ in range(5):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    print(f"  numpy {np.__version__}, {sys.argv[1]} thread(s): dgemm {n}^3: {2 * n**3 / min(times) / 1e9:.1f} GFLOP/s")
PY
done
echo "load average after: $(load)"
