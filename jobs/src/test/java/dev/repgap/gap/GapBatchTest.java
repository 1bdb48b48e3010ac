package dev.repgap.gap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.repgap.data.Activations;
import dev.repgap.knn.ScanRows;
import dev.repgap.results.MetricRow;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.junit.jupiter.api.Test;

/** {@code gap} scans a batch of groups in the same Spark jobs as one group, and each group's rows do not depend on the batch. */
class GapBatchTest {

    private static GapJob.Options options(List<String> symmetries) {
        // 30 queries of 40 test rows: the seeded subsample is part of the batch too.
        GapScan.Options scan = new GapScan.Options(4, 6, 8, 30, 3, 64, 16, 512L << 20, 0);
        return new GapJob.Options(scan, null, List.of(0.01), symmetries, null, SymmetryGroup.DEFAULT_MAX_ORDER, 0.9, 50);
    }

    /** The Spark jobs a piece of work started, and its stages that scanned (one per broadcast round). */
    private record Counts(int jobs, int scanStages) {}

    /** Runs {@code work}, putting what Spark ran for it into {@code counts[0]}. */
    private static <T> T counted(Counts[] counts, Supplier<T> work) throws Exception {
        SparkContext sc = ScanRows.spark().sparkContext();
        AtomicInteger jobs = new AtomicInteger(), scans = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                jobs.incrementAndGet();
            }

            @Override
            public void onStageSubmitted(SparkListenerStageSubmitted stage) {
                if (stage.stageInfo().name().startsWith("treeReduce at PairScan")) scans.incrementAndGet();
            }
        };
        sc.listenerBus().waitUntilEmpty();
        sc.addSparkListener(listener);
        try {
            T result = work.get();
            sc.listenerBus().waitUntilEmpty();
            counts[0] = new Counts(jobs.get(), scans.get());
            return result;
        } finally {
            sc.removeSparkListener(listener);
        }
    }

    @Test
    void eightGroupsTakeTheJobsOfOneAndEachGetsItsOwnCurve() throws Exception {
        Activations eight = ScanRows.table(8, 300, 40, 5, 4, false);
        // A first run warms the session up (its cached rows, Spark's own first-use work) and is not counted.
        GapJob.run(eight.restrict(List.of(eight.groups().get(0).key())), options(List.of()));
        // Under a symmetry, which gives the plain curve too.
        for (List<String> symmetries : List.of(List.of("sign:0"))) {
            GapJob.Options o = options(symmetries);
            List<MetricRow> alone = new ArrayList<>();
            List<Counts> countsAlone = new ArrayList<>();
            Counts[] counts = new Counts[1];
            for (int g = 0; g < 8; g++) {
                Activations one = eight.restrict(List.of(eight.groups().get(g).key()));
                alone.addAll(GapJob.metrics(counted(counts, () -> GapJob.run(one, o)), o.targets()));
                countsAlone.add(counts[0]);
            }
            List<MetricRow> together = GapJob.metrics(counted(counts, () -> GapJob.run(eight, o)), o.targets());
            System.err.printf("gap %s: Spark jobs and scan stages for one group %s, for eight groups %s%n", symmetries,
                    countsAlone, counts[0]);
            for (int g = 0; g < 8; g++) assertEquals(countsAlone.get(0), countsAlone.get(g), "group " + g + " alone");
            assertEquals(new Counts(countsAlone.get(0).jobs(), 1), counts[0], "eight groups in one batch");
            // Identical rows, value and interval alike: each group's rankings and queries are its own.
            assertEquals(alone.size(), together.size());
            for (int i = 0; i < alone.size(); i++) assertEquals(alone.get(i), together.get(i), "row " + i);
        }
    }
}
