package dev.repgap.knn;

import java.util.List;

/**
 * The k nearest references of every query, as {@link PairScan} work: a query block's state is its
 * {@link NeighbourLists}. In {@link ScanMode#SELF} a query's own row (same key) is not its neighbour.
 */
public record NearestNeighbours(int k, ScanMode mode) implements PairScan.Work<NeighbourLists> {
    private static final long serialVersionUID = 1L;

    public NearestNeighbours {
        if (k < 1) throw new IllegalArgumentException("k must be >= 1, got " + k);
    }

    /** An (id, distance) pair per neighbour. */
    @Override
    public long stateBytes(int group) {
        return 16L * k;
    }

    @Override
    public NeighbourLists empty(int group, DenseBlock queries) {
        return NeighbourScan.newState(queries, k);
    }

    @Override
    public PairScan.Scanner<NeighbourLists> scanner(int group, float[] centre) {
        NeighbourScan scan = new NeighbourScan(mode, centre);
        return new PairScan.Scanner<>() {
            @Override
            public void scan(DenseBlock references, List<DenseBlock> queries, List<NeighbourLists> states) {
                scan.scan(queries, states, references);
            }

            @Override
            public String kernel() {
                return scan.kernel().name();
            }
        };
    }

    @Override
    public NeighbourLists merge(NeighbourLists a, NeighbourLists b) {
        return a.merge(b);
    }
}
