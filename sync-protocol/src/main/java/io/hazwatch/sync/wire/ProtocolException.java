package io.hazwatch.sync.wire;

/**
 * A protocol violation with a stable {@link ErrorCode}. Stackless: thrown on decode paths where the
 * cause is the input, not the code, and a stack trace would only cost time.
 */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    public ProtocolException(ErrorCode code, String message) {
        super(code + ": " + message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
