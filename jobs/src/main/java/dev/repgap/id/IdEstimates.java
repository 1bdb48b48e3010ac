package dev.repgap.id;

import dev.repgap.data.GroupKey;
import dev.repgap.results.MetricRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Runs the estimators of {@code common} on one group's neighbour distances and k-means costs, as result rows. */
final class IdEstimates {
    private IdEstimates() {}

    static List<MetricRow> fromNeighbours(GroupKey key, NeighbourDistances d, IdJob.Options o) {
        List<MetricRow> out = new ArrayList<>();
        Bootstrap bootstrap = new Bootstrap(o.bootstrap(), o.seed());
        if (o.estimators().contains("twonn")) {
            TwoNN twoNN = new TwoNN(o.level(), TwoNN.DEFAULT_DISCARD, bootstrap);
            out.add(row(key, "id.twonn", null, twoNN.maximumLikelihood(d)));
            out.add(row(key, "id.twonn_fit", null, twoNN.linearFit(d)));
        }
        if (o.estimators().contains("mle")) {
            LevinaBickel.Result mle = new LevinaBickel(o.k1(), o.k2(), o.level(), bootstrap).estimate(d);
            for (int i = 0; i < mle.byK().size(); i++) {
                out.add(row(key, "id.mle", "k=" + (mle.k1() + i), mle.byK().get(i)));
            }
            out.add(row(key, "id.mle_mean", "k=" + o.k1() + ":" + o.k2(), mle.mean()));
            out.addAll(local(key, LocalDimension.of(d, o.k2(), LocalDimension.DEFAULT_LOW, LocalDimension.DEFAULT_HIGH,
                    LocalDimension.DEFAULT_BINS)));
        }
        if (o.estimators().contains("gride")) {
            List<Estimate> scales = new Gride(o.level()).multiscale(d, o.maxGrideRank());
            for (int i = 0; i < scales.size(); i++) {
                out.add(row(key, "id.gride", (1 << i) + "-" + (2 << i), scales.get(i)));
            }
        }
        return out;
    }

    static List<MetricRow> fromKMeans(GroupKey key, KMeansCosts.Curve curve, long rows, IdJob.Options o) {
        int[] ks = Arrays.stream(curve.k()).mapToInt(k -> (int) k).toArray();
        Estimate e = new QuantizationDimension(o.level()).estimate(ks, curve.costPerPoint());
        String costs = Arrays.toString(curve.costPerPoint());
        return List.of(new MetricRow(key, "id.kmeans", "k=" + ks[0] + ":" + ks[ks.length - 1], e.value(), e.ciLow(),
                e.ciHigh(), rows, e.scale(), e.details() + "; K " + Arrays.toString(ks) + " cost per point " + costs));
    }

    /** The local ID distribution: one row per quantile; the histogram rides in the median row's details. */
    private static List<MetricRow> local(GroupKey key, LocalDimension l) {
        List<MetricRow> out = new ArrayList<>();
        for (int i = 0; i < l.quantiles().length; i++) {
            double q = LocalDimension.quantileLevels()[i];
            MetricRow r = MetricRow.of(key, "id.local", String.format(Locale.ROOT, "k=%d,q=%.2f", l.k(), q),
                    l.quantiles()[i], l.n()).withScale(l.scale());
            if (q == 0.5) {
                r = r.withDetails("histogram of m_k(x): edges " + Arrays.toString(l.edges()) + " counts "
                        + Arrays.toString(l.counts()) + " below " + l.below() + " above " + l.above());
            }
            out.add(r);
        }
        return out;
    }

    private static MetricRow row(GroupKey key, String metric, String param, Estimate e) {
        return new MetricRow(key, metric, param, e.value(), e.ciLow(), e.ciHigh(), e.n(), e.scale(), e.details());
    }
}
