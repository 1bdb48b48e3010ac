package dev.repgap.id;

import dev.repgap.data.GroupKey;
import dev.repgap.results.MetricRow;
import dev.repgap.spectrum.SampleParticipationRatio;
import dev.repgap.stats.Bootstrap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Runs the estimators of {@code common} on one group's neighbour distances and query sample, as result rows. */
final class IdEstimates {
    private IdEstimates() {}

    static List<MetricRow> twoNN(GroupKey key, NeighbourDistances d, IdJob.Options o) {
        TwoNN twoNN = new TwoNN(o.level(), TwoNN.DEFAULT_DISCARD, bootstrap(o));
        return List.of(row(key, "id.twonn", null, twoNN.maximumLikelihood(d)),
                row(key, "id.twonn_fit", null, twoNN.linearFit(d)));
    }

    static List<MetricRow> levinaBickel(GroupKey key, NeighbourDistances d, IdJob.Options o) {
        List<MetricRow> out = new ArrayList<>();
        LevinaBickel.Result mle = new LevinaBickel(o.k1(), o.k2(), o.level(), bootstrap(o)).estimate(d);
        for (int i = 0; i < mle.byK().size(); i++) {
            out.add(row(key, "id.mle", "k=" + (mle.k1() + i), mle.byK().get(i)));
        }
        out.add(row(key, "id.mle_mean", "k=" + o.k1() + ":" + o.k2(), mle.mean()));
        out.addAll(local(key, LocalDimension.of(d, o.k2(), LocalDimension.DEFAULT_LOW, LocalDimension.DEFAULT_HIGH,
                LocalDimension.DEFAULT_BINS)));
        return out;
    }

    static List<MetricRow> gride(GroupKey key, NeighbourDistances d, IdJob.Options o) {
        List<MetricRow> out = new ArrayList<>();
        List<Estimate> scales = new Gride(o.level()).multiscale(d, o.maxGrideRank());
        for (int i = 0; i < scales.size(); i++) {
            out.add(row(key, "id.gride", (1 << i) + "-" + (2 << i), scales.get(i)));
        }
        return out;
    }

    /** The quantization dimension of k-means costs on {@code rows} of the {@code queries} sampled rows. */
    static MetricRow kMeans(GroupKey key, KMeansCurve.Curve curve, int rows, int queries, IdJob.Options o) {
        int[] ks = curve.k();
        Estimate e = new QuantizationDimension(o.level()).estimate(ks, curve.costPerPoint());
        return new MetricRow(key, "id.kmeans", "k=" + ks[0] + ":" + ks[ks.length - 1], e.value(), e.ciLow(),
                e.ciHigh(), (long) rows, e.scale(), e.details() + "; K " + Arrays.toString(ks) + " cost per point "
                + Arrays.toString(curve.costPerPoint()) + String.format(Locale.ROOT, "; k-means on %d of the %d query"
                + " rows (seeded hash of the id), k-means++ seeding, Lloyd's iterations %s (at most %d, or until the"
                + " cost falls by less than %.0e)", rows, queries, Arrays.toString(curve.iterations()),
                KMeansCurve.MAX_ITERATIONS, KMeansCurve.TOLERANCE));
    }

    static MetricRow participationRatio(GroupKey key, SampleParticipationRatio.Result pr, int rows, int dim,
                                        IdJob.Options o) {
        return MetricRow.of(key, "id.pr", null, pr.pr().value(), (long) rows)
                .withInterval(pr.pr().low(), pr.pr().high())
                .withDetails("participation ratio of the covariance of the query sample, bootstrap bias-corrected"
                        + " (plug-in " + pr.plugIn() + "); basic bootstrap interval, " + o.bootstrap() + " resamples of "
                        + pr.blocks() + " blocks of rows (seeded hash of the id); moments from the "
                        + (pr.dual() ? rows + " x " + rows + " Gram matrix" : dim + " x " + dim + " covariance"));
    }

    private static Bootstrap bootstrap(IdJob.Options o) {
        return new Bootstrap(o.bootstrap(), o.seed());
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
