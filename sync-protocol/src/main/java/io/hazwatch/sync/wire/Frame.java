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
    record Welcome(int version, String nodeId, long clockMillis, Map<StreamKey, RangeSet> held, Credit credit)
            implements Frame {
        public Welcome {
            Objects.requireNonNull(nodeId, "nodeId");
            held = Map.copyOf(held);
            if ((credit != null) != (version >= Credit.SINCE_VERSION)) {
                throw new IllegalArgumentException("a welcome of version " + version + " must "
                        + (version >= Credit.SINCE_VERSION ? "" : "not ") + "carry credit");
            }
        }

        /** A welcome without credit below version 3, with {@link Credit#UNLIMITED} from version 3 on. */
        public Welcome(int version, String nodeId, long clockMillis, Map<StreamKey, RangeSet> held) {
            this(version, nodeId, clockMillis, held, version >= Credit.SINCE_VERSION ? Credit.UNLIMITED : null);
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
    record Ack(long batchId, Map<StreamKey, RangeSet> held, Credit credit) implements Frame {
        public Ack {
            held = Map.copyOf(held);
        }

        /** An acknowledgement without credit (versions 1 and 2). */
        public Ack(long batchId, Map<StreamKey, RangeSet> held) {
            this(batchId, held, null);
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

    /**
     * Parent to child (version 3): how much the parent will take. The child keeps at most {@code records}
     * records in at most {@code batches} batches unacknowledged on the connection (alarm-only batches
     * aside, docs/sync-protocol.md section 8.3). Travels in WELCOME and every ACK, and on its own as a
     * CREDIT frame when the parent's room changes with no acknowledgement to carry it.
     */
    record Credit(long records, int batches) implements Frame {
        /** The protocol version that introduced credit. */
        public static final int SINCE_VERSION = 3;
        /** Largest record credit a parent may advertise; larger values are malformed. */
        public static final long MAX_RECORDS = Integer.MAX_VALUE;
        /** Largest batch credit a parent may advertise; larger values are malformed. */
        public static final int MAX_BATCHES = 65_535;
        /** No limit beyond the child's own window. */
        public static final Credit UNLIMITED = new Credit(MAX_RECORDS, MAX_BATCHES);

        public Credit {
            if (records < 0 || records > MAX_RECORDS || batches < 0 || batches > MAX_BATCHES) {
                throw new IllegalArgumentException("credit of " + records + " records / " + batches
                        + " batches is outside 0.." + MAX_RECORDS + " / 0.." + MAX_BATCHES);
            }
        }

        @Override
        public int type() {
            return FrameType.CREDIT;
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
        /** Credit from the parent on its own (protocol version 3). */
        public static final int CREDIT = 0x09;

        private FrameType() {
        }
    }
}
