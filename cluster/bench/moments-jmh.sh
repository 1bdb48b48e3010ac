#!/usr/bin/env bash
# GFLOP/s of filling a Moments state (MomentsBenchmark: 4096 float rows x 512 per call, two JMH threads
# each with its own rows and state, as two Spark tasks on two cores), beside the native BLAS's dsyrk on
# the same rows and its dgemm on 1024 x 1024 (the same JNI binding), and NumPy's dgemm (its own OpenBLAS
# build) as an outside reference. OpenBLAS runs one thread per caller (OPENBLAS_NUM_THREADS=1, as
# bin/repgap sets it). Each OpenBLAS figure is taken twice: with the kernels OpenBLAS picks for this CPU,
# and with OPENBLAS_CORETYPE=SkylakeX (its AVX-512 kernels; Debian's 0.3.21 runs a Zen 5 core as Haswell).
# Prints the load average before and after each part.
# Builds common/target/benchmarks.jar if missing (mvn -pl common -Pbench package -DskipTests).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/common/target/benchmarks.jar"
[[ -f "$jar" ]] || (cd "$root" && mvn -q -B -pl common -Pbench package -DskipTests)
export OPENBLAS_NUM_THREADS=1
load() { cut -d' ' -f1-3 /proc/loadavg; }
jmh() { # kernels, then environment assignments
  local kernels=$1; shift
  echo "JMH -t 2, kernels $kernels, $*; load average before: $(load)"
  env "$@" java -jar "$jar" MomentsBenchmark -t 2 -wi "${WARMUPS:-3}" -i "${ITERATIONS:-5}" -w 2 -r 3 \
    -p kernel="$kernels" 2>&1 | grep -E '^MomentsBenchmark.fill:'
  echo "  load average after: $(load)"
}
numpy() { # environment assignments
  echo "NumPy dgemm, best of 5, $*; load average before: $(load)"
  for threads in 1 2; do
    env "$@" OPENBLAS_NUM_THREADS=$threads /usr/bin/env python3 - "$threads" <<'PY'
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
  echo "  load average after: $(load)"
}

jmh "${KERNELS:-vector,blas,dgemm,dsyrk}" -u OPENBLAS_CORETYPE
jmh blas,dgemm,dsyrk OPENBLAS_CORETYPE=SkylakeX
numpy -u OPENBLAS_CORETYPE
numpy OPENBLAS_CORETYPE=SkylakeX
