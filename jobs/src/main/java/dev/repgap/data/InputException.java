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
}
