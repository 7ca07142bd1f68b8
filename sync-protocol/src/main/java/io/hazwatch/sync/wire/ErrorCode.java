package io.hazwatch.sync.wire;

/**
 * Protocol error codes. The number is permanent and travels in ERROR frames; the name may change.
 * See docs/sync-protocol.md, section "Errors".
 */
public enum ErrorCode {
    /** A frame's body does not parse: truncated, a bad count, a bad string, trailing bytes. */
    MALFORMED_FRAME(1),
    /** The length prefix exceeds the negotiated maximum frame size. */
    FRAME_TOO_LARGE(2),
    UNKNOWN_FRAME_TYPE(3),
    /** No protocol version in common. */
    UNSUPPORTED_VERSION(4),
    /** The connecting node is not a registered child of this node. */
    NOT_REGISTERED(5),
    /** A batch carries a record whose origin is outside the sender's subtree. */
    ORIGIN_NOT_IN_SUBTREE(6),
    /** A frame that is valid but not allowed in the connection's current state. */
    UNEXPECTED_FRAME(7),
    /** The receiver could not make the batch durable; nothing of it was acknowledged. */
    STORE_FAILURE(8),
    /** The receiver is stopping. */
    SHUTTING_DOWN(9);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The error code with this number, or {@code null}-free fallback {@link #MALFORMED_FRAME} if unknown. */
    public static ErrorCode ofCode(int code) {
        for (ErrorCode e : values()) {
            if (e.code == code) {
                return e;
            }
        }
        return MALFORMED_FRAME;
    }
}
