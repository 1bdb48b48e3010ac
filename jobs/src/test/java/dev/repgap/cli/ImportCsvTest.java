package dev.repgap.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImportCsvTest {
    @TempDir Path tmp;

    @Test
    void trainAndTestImportedApartFormOneGroupWithUniqueIds() throws Exception {
        Path train = tmp.resolve("train.csv");
        Files.writeString(train, "label,a,b,c\n1,0.5,1.5,2.5\n0,1,2,3\n1,-1,0,1e-3\n");
        Path test = tmp.resolve("test.csv");
        Files.writeString(test, "4,5,6\n7,8,9\n");
        String out = tmp.resolve("acts").toString();

        Repgap.Result a = Repgap.run("import", "--csv", train.toString(), "--header", "--split", "train",
                "--set", "model=mlp", "--set", "layer=3", "--out", out);
        assertEquals(0, a.code(), a.toString());
        Repgap.Result b = Repgap.run("import", "--csv", test.toString(), "--split", "test",
                "--set", "model=mlp", "--set", "layer=3", "--out", out);
        assertEquals(2, b.code(), "the second import has no label column: " + b);
        assertTrue(b.err().contains("give the same --set keys"), b.toString());

        Files.writeString(test, "label,a,b,c\n2,4,5,6\n2,7,8,9\n");
        b = Repgap.run("import", "--csv", test.toString(), "--header", "--split", "test",
                "--set", "model=mlp", "--set", "layer=3", "--out", out);
        assertEquals(0, b.code(), b.toString());

        Dataset<Row> rows = Repgap.spark().read().parquet(out).orderBy("id");
        List<Row> all = rows.collectAsList();
        assertEquals(5, all.size());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), all.stream().map(r -> r.<Long>getAs("id")).toList());
        assertEquals("test", all.get(4).getAs("split"));
        assertEquals("3", all.get(4).getAs("layer"));
        assertEquals(List.of(7f, 8f, 9f), all.get(4).getList(all.get(4).fieldIndex("features")));

        Repgap.Result d = Repgap.run("describe", "--input", out, "--group-by", "model,layer", "--json");
        assertEquals(0, d.code(), d.toString());
        assertTrue(d.out().contains("\"model\":\"mlp\",\"layer\":\"3\",\"metric\":\"describe.labels\",\"param\":null,\"value\":3.0"),
                d.out());
    }

    @Test
    void nonNumericColumnsAndBadSplitsAreRejected() throws Exception {
        Path csv = tmp.resolve("words.csv");
        Files.writeString(csv, "a,b\n1,x\n2,y\n");
        Repgap.Result r = Repgap.run("import", "--csv", csv.toString(), "--header", "--out", tmp.resolve("o").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("words.csv: column 'b' has type string"), r.toString());
        assertTrue(Files.notExists(tmp.resolve("o")) || Files.list(tmp.resolve("o")).findAny().isEmpty());

        Repgap.Result s = Repgap.run("import", "--csv", csv.toString(), "--split", "val", "--out", tmp.resolve("o").toString());
        assertEquals(2, s.code(), s.toString());
        assertTrue(s.err().contains("--split must be train or test, got 'val'"), s.toString());
    }
}
