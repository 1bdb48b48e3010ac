package dev.repgap.data;

/** Input that breaks the data contract. The message names the file, column or row and what was expected. */
public class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The one-line error for a failure whose cause is a file that is not Parquet or is corrupt (Spark's
     * {@code FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER}, or Parquet's decoding error), naming the file; null for any
     * other failure. {@code where} starts the message (e.g. "results repository DIR: table metrics: ").
     */
    public static InputException unreadableFile(Throwable e, String where) {
        String path = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.spark.SparkThrowable s && s.getCondition() != null
                    && s.getCondition().startsWith("FAILED_READ_FILE")) {
                String p = s.getMessageParameters().get("path");
                if (p != null) path = p;
                if (s.getCondition().equals("FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER")) return unreadable(where, path, e, t);
            }
            if (path != null && t instanceof org.apache.parquet.io.ParquetDecodingException) return unreadable(where, path, e, t);
            if (t.getCause() == t) break;
        }
        return null;
    }

    private static InputException unreadable(String where, String path, Throwable e, Throwable at) {
        Throwable root = at;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return new InputException(where + "file " + path + " is not readable Parquet (another format, or corrupt): "
                + firstLine(root.getMessage()), e);
    }

    /** The first line of another library's message (empty for none), to quote it in a one-line error. */
    public static String firstLine(String message) {
        if (message == null) return "";
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
