package dev.repgap.analysis;

import dev.repgap.data.InputException;

/**
 * A wrong option value, found by the command that reads it: a fault of the command line (or of a sweep spec's
 * entry), reported as one line with exit code 2 like bad input, never as a stack trace.
 */
public class OptionException extends InputException {
    public OptionException(String message) {
        super(message);
    }

    public OptionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Throws an OptionException with {@code message} unless {@code ok}. */
    public static void require(boolean ok, String message) {
        if (!ok) throw new OptionException(message);
    }
}
