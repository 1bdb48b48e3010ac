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
import org.junit.jupiter.api.Test;

/** {@code gap} scans a batch of groups in the same Spark jobs as one group, and each group's rows do not depend on the batch. */
class GapBatchTest {

    private static GapJob.Options options(List<String> symmetries) {
        // 30 queries of 40 test rows: the seeded subsample is part of the batch too.
        GapScan.Options scan = new GapScan.Options(4, 6, 8, 30, 3, 64, 16, 512L << 20, 0);
        return new GapJob.Options(scan, null, List.of(0.01), symmetries, null, SymmetryGroup.DEFAULT_MAX_ORDER, 0.9, 50);
    }

    /** The Spark jobs {@code work} starts, and its result. */
    private static <T> T counted(AtomicInteger jobs, Supplier<T> work) throws Exception {
        SparkContext sc = ScanRows.spark().sparkContext();
        AtomicInteger seen = new AtomicInteger();
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart jobStart) {
                seen.incrementAndGet();
            }
        };
        sc.listenerBus().waitUntilEmpty();
        sc.addSparkListener(listener);
        try {
            T result = work.get();
            sc.listenerBus().waitUntilEmpty();
            jobs.set(seen.get());
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
        for (List<String> symmetries : List.of(List.<String>of(), List.of("sign:0"))) {
            GapJob.Options o = options(symmetries);
            List<MetricRow> alone = new ArrayList<>();
            int[] jobsAlone = new int[8];
            for (int g = 0; g < 8; g++) {
                Activations one = eight.restrict(List.of(eight.groups().get(g).key()));
                AtomicInteger jobs = new AtomicInteger();
                alone.addAll(GapJob.metrics(counted(jobs, () -> GapJob.run(one, o)), o.targets()));
                jobsAlone[g] = jobs.get();
            }
            AtomicInteger jobs = new AtomicInteger();
            List<MetricRow> together = GapJob.metrics(counted(jobs, () -> GapJob.run(eight, o)), o.targets());
            System.err.printf("gap %s: Spark jobs for one group %s, for eight groups %d%n", symmetries,
                    java.util.Arrays.toString(jobsAlone), jobs.get());
            for (int g = 0; g < 8; g++) assertEquals(jobsAlone[0], jobsAlone[g], "group " + g + " alone");
            assertEquals(jobsAlone[0], jobs.get(), "eight groups in one batch");
            // Identical rows, value and interval alike: each group's rankings and queries are its own.
            assertEquals(alone.size(), together.size());
            for (int i = 0; i < alone.size(); i++) assertEquals(alone.get(i), together.get(i), "row " + i);
        }
    }
}
