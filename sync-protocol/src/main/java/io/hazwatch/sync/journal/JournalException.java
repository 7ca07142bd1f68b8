package io.hazwatch.sync.journal;

/** The journal could not do what was asked (I/O failure, closed, corrupt file). */
public final class JournalException extends RuntimeException {
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }

    public JournalException(String message) {
        super(message);
    }
}
