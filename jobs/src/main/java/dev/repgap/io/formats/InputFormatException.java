package dev.repgap.io.formats;

import java.io.IOException;

/** A file that is not what its reader can read; the message starts with the file's path. */
public class InputFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public InputFormatException(String path, String problem) {
        super(path + ": " + problem);
    }

    public InputFormatException(String path, String problem, Throwable cause) {
        super(path + ": " + problem, cause);
    }
}
