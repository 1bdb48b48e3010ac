package dev.repgap.knn;

/**
 * Finds the next kernel value that does not exceed a query's threshold (at or below it, or NaN: a
 * value the kernel could not bound, see {@link CancellationBound}): the inner loop of the fused top-k.
 */
interface ThresholdSearch {

    /** Index of the first value {@code !(value > threshold)} in {@code values[from, to)}, or {@code to}. */
    int firstAtMost(float[] values, int from, int to, float threshold);

    /** The Vector API search when the module is present, else the scalar loop. */
    static ThresholdSearch best() {
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return (ThresholdSearch) Class.forName("dev.repgap.knn.VectorThresholdSearch").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return (values, from, to, threshold) -> {
                for (int j = from; j < to; j++) {
                    if (CancellationBound.cannotRuleOut(values[j], threshold)) {
                        return j;
                    }
                }
                return to;
            };
        }
    }
}
