package io.hazwatch.drivers.opcua;

import java.util.Objects;

/**
 * Connecting to an OPC UA server failed. Thrown by {@link OpcUaBrowser}; the driver turns the same
 * failures into the reason of its {@code BAD_COMM_FAIL} samples. The message says what to do.
 */
public final class OpcUaConnectException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why; the code is permanent (logs and tools may match on it), the name may change. */
    public enum Reason {
        /** No TCP connection, or discovery failed. */
        UNREACHABLE(1),
        /** The server offers no endpoint with the configured security policy and mode. */
        NO_MATCHING_ENDPOINT(2),
        /** The chosen endpoint does not accept the configured identity (anonymous, username, certificate). */
        IDENTITY_NOT_OFFERED(3),
        /** The server's certificate is not in the trust list; it was saved under pkiDir/rejected. */
        UNTRUSTED_SERVER_CERTIFICATE(4),
        /** The server refused the driver's application certificate. */
        CLIENT_CERTIFICATE_REJECTED(5),
        /** The server refused the user name, password or user certificate. */
        AUTHENTICATION_FAILED(6),
        /** The server did not answer in time. */
        TIMEOUT(7),
        /** Any other service or protocol error. */
        PROTOCOL_ERROR(8),
        /** The driver's own certificate or key could not be made or read. */
        LOCAL_PKI_ERROR(9),
        /** The calling thread was interrupted. */
        INTERRUPTED(10);

        private final int code;

        Reason(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    private final Reason reason;

    public OpcUaConnectException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public OpcUaConnectException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }
}
