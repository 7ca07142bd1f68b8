package io.hazwatch.province;

/** A {@code reading_block} payload that does not parse: says what is wrong and where in the payload. */
public final class BlockFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BlockFormatException(String message) {
        super(message);
    }
}
