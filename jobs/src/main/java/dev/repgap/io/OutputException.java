package dev.repgap.io;

/**
 * An output (results repository, dataset, chart, report or export file) that could not be written once the work
 * was under way: a fault of the file system, not of the input or the command line, so the command exits with 1 and
 * a stack trace. The message names the path. A destination that cannot be written and is found before any work
 * (the command line's checks) is bad input instead: {@link dev.repgap.data.InputException}, exit code 2.
 */
public class OutputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
