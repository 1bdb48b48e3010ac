// Reads the `features` column of a Parquet dataset PASSES times in one fresh JVM with Spark's own reader
// (local mode, every row's list of float32 decoded as repgap's passes do) and prints each pass's time: the
// first pass runs on code the JIT has not compiled yet, later ones on compiled code. Spark's first job and the
// schema are done before the first pass.
// Run by cluster/bench/fixed-costs.sh.
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;

public class ReadPasses {
    public static void main(String[] a) {
        String input = a[0];
        int passes = Integer.parseInt(a[1]);
        SparkSession spark = SparkSession.builder().master("local[*]").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        spark.range(2).count(); // Spark's first job and the table's schema are not counted in the first pass
        spark.read().parquet(input).schema();
        for (int pass = 1; pass <= passes; pass++) {
            long start = System.nanoTime();
            long[] counts = spark.read().parquet(input).select("features").queryExecution().toRdd().toJavaRDD()
                    .mapPartitions((FlatMapFunction<Iterator<InternalRow>, long[]>) rows -> {
                        long n = 0, values = 0;
                        while (rows.hasNext()) {
                            values += rows.next().getArray(0).toFloatArray().length;
                            n++;
                        }
                        return List.of(new long[] {n, values}).iterator();
                    })
                    .reduce((x, y) -> new long[] {x[0] + y[0], x[1] + y[1]});
            double seconds = (System.nanoTime() - start) / 1e9;
            double mb = counts[1] * 4 / 1e6;
            System.out.printf("pass %d: %d rows, %.0f MB of float32 in %.2f s (%.0f MB/s)%n", pass, counts[0], mb, seconds,
                    mb / seconds);
        }
        spark.stop();
    }
}
