package dev.repgap.results;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table with aligned columns; columns whose index is in {@code numeric} align right. */
public final class TextTable {
    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();

    public TextTable(String[] header, int... numeric) {
        this.header = header.clone();
        this.right = new boolean[header.length];
        for (int i : numeric) right[i] = true;
    }

    public TextTable add(String... cells) {
        if (cells.length != header.length) throw new IllegalArgumentException("expected " + header.length + " cells");
        rows.add(cells.clone());
        return this;
    }

    public void print(PrintWriter out) {
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) width[i] = header[i].length();
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        out.println(line(header, width));
        for (String[] r : rows) out.println(line(r, width));
        out.flush();
    }

    private String line(String[] cells, int[] width) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            String pad = " ".repeat(width[i] - cells[i].length());
            b.append(i == 0 ? "" : "  ").append(right[i] ? pad + cells[i] : cells[i] + pad);
        }
        return b.toString().stripTrailing();
    }
}
