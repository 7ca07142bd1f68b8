package io.hazwatch.sync.wire;

import io.hazwatch.sync.model.StreamKey;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.ranges.RangeSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Every frame of the sync protocol, version 1. Byte layouts: docs/sync-protocol.md. */
public sealed interface Frame {

    /** Frame type byte on the wire. */
    int type();

    /** Child to parent, first frame: who I am and which protocol versions I speak. */
    record Hello(int minVersion, int maxVersion, String nodeId, long clockMillis) implements Frame {
        public Hello {
            Objects.requireNonNull(nodeId, "nodeId");
        }

        @Override
        public int type() {
            return FrameType.HELLO;
        }
    }

    /**
     * Parent to child, answer to hello: the chosen version and the parent's resume points, i.e. for
     * each stream of the child's subtree the sequence ranges the parent already holds durably.
     */
    record Welcome(int version, String nodeId, long clockMillis, Map<StreamKey, RangeSet> held) implements Frame {
        public Welcome {
            Objects.requireNonNull(nodeId, "nodeId");
            held = Map.copyOf(held);
        }

        @Override
        public int type() {
            return FrameType.WELCOME;
        }
    }

    /** Child to parent: records, any origins and lanes of the child's subtree, in sending order. */
    record Batch(long batchId, List<SyncRecord> records) implements Frame {
        public Batch {
            records = List.copyOf(records);
        }

        @Override
        public int type() {
            return FrameType.BATCH;
        }
    }

    /**
     * Parent to child: the batch is durable at the parent. {@code held} lists, for the streams in the
     * batch, ranges the parent holds that cover the batch's records; the child may delete exactly those.
     */
    record Ack(long batchId, Map<StreamKey, RangeSet> held) implements Frame {
        public Ack {
            held = Map.copyOf(held);
        }

        @Override
        public int type() {
            return FrameType.ACK;
        }
    }

    /** Either side: a refusal with a permanent code; the sender of an error closes the connection. */
    record Error(ErrorCode code, String message) implements Frame {
        public Error {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public int type() {
            return FrameType.ERROR;
        }
    }

    /**
     * Either side: liveness and round-trip probe, answered by a pong echoing {@code nonce}. A child
     * also reports {@code backlog}, the records it holds that its parent has not acknowledged.
     */
    record Ping(long nonce, long clockMillis, long backlog) implements Frame {
        @Override
        public int type() {
            return FrameType.PING;
        }
    }

    record Pong(long nonce, long clockMillis) implements Frame {
        @Override
        public int type() {
            return FrameType.PONG;
        }
    }

    /** Frame type bytes (permanent). */
    final class FrameType {
        public static final int HELLO = 0x01;
        public static final int WELCOME = 0x02;
        public static final int BATCH = 0x03;
        public static final int ACK = 0x04;
        public static final int ERROR = 0x05;
        public static final int PING = 0x06;
        public static final int PONG = 0x07;
        /** A compact batch (protocol version 2), decoded by {@link LinkCodec}. */
        public static final int BATCH_V2 = 0x08;

        private FrameType() {
        }
    }
}
