package dev.repgap.cli;

import dev.repgap.analysis.OptionException;
import dev.repgap.data.ColumnNames;
import java.util.Map;

/** Checks --set KEY=VALUE grouping columns: plain names that do not clash with the contract's own. */
final class SetColumns {
    private SetColumns() {}

    static void check(Map<String, String> set) {
        for (Map.Entry<String, String> e : set.entrySet()) {
            String key = e.getKey();
            if (e.getValue() == null || e.getValue().isEmpty()) {
                // An empty partition value (layer=) is written as a directory no reader can parse back.
                throw new OptionException("--set " + key + "=: the value must not be empty");
            }
            if (!key.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new OptionException("--set " + key + "=...: a column name must be letters, digits and _");
            }
            if (ColumnNames.RESERVED.contains(key.toLowerCase(java.util.Locale.ROOT))) {
                throw new OptionException("--set " + key + "=...: '" + key + "' is a column repgap writes itself");
            }
        }
    }
}
