package dev.repgap.knn;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ThresholdSearch} one vector of values per compare; loaded by reflection only. */
final class VectorThresholdSearch implements ThresholdSearch {

    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public int firstAtMost(float[] values, int from, int to, float threshold) {
        int j = from;
        for (int last = to - SPECIES.length(); j <= last; j += SPECIES.length()) {
            VectorMask<Float> hits = FloatVector.fromArray(SPECIES, values, j).compare(VectorOperators.GT, threshold).not();
            if (hits.anyTrue()) {
                return j + hits.firstTrue();
            }
        }
        for (; j < to; j++) {
            if (CancellationBound.cannotRuleOut(values[j], threshold)) {
                return j;
            }
        }
        return to;
    }
}
