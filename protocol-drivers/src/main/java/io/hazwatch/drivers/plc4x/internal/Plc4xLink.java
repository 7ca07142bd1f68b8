package io.hazwatch.drivers.plc4x.internal;

import io.hazwatch.drivers.spi.Quality;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The PLC4X connection of one device, behind an interface so the driver's state machine can be tested
 * without a PLC. Used by the driver's I/O thread only.
 */
public interface Plc4xLink {

    /** Opens the connection; a no-op when connected. */
    void connect() throws IOException;

    boolean isConnected();

    /** Reads every tag in one request; one outcome per tag, in order, or why the request failed. */
    ReadResult read(List<String> tags, long timeoutMs);

    /** Drops the connection (PLC4X takes up to two seconds to stop its event loop; this need not wait). */
    void close();

    /** What one read request produced. */
    sealed interface ReadResult {
        /** The request was answered; one outcome per tag. */
        record Answered(List<TagOutcome> tags) implements ReadResult {
            public Answered {
                tags = List.copyOf(tags);
            }
        }

        /** No answer within the timeout; the link has been closed. */
        record Timeout(String message) implements ReadResult {
        }

        /** The request failed (connection lost, protocol error); the link has been closed. */
        record Failure(String message) implements ReadResult {
        }
    }

    /** One tag of an answered request. */
    sealed interface TagOutcome {
        /** A value: Double, Long, Boolean or String. */
        record Value(Object value) implements TagOutcome {
            public Value {
                Objects.requireNonNull(value, "value");
            }
        }

        /** No value, and why. */
        record Bad(Quality quality, String reason) implements TagOutcome {
        }
    }
}
