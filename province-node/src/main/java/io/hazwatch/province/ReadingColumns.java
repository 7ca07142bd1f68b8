package io.hazwatch.province;

import io.hazwatch.sync.model.PointValue;
import java.util.Arrays;

/**
 * The readings of one block, column by column: what {@link ReadingBlockCodec} encodes and decodes.
 * Columns instead of one object per reading because the writer fills them in arrival order and the
 * codec walks each column on its own (delta coding wants neighbours of the same kind).
 */
final class ReadingColumns {
    private long[] seq;
    private long[] ts;
    private PointValue[] values;
    private int[] quality;
    private long[] received;
    private int size;
    private long minSeq = Long.MAX_VALUE;
    private long maxSeq = Long.MIN_VALUE;
    private long minTs = Long.MAX_VALUE;
    private long maxTs = Long.MIN_VALUE;

    ReadingColumns(int capacity) {
        int c = Math.max(capacity, 1);
        seq = new long[c];
        ts = new long[c];
        values = new PointValue[c];
        quality = new int[c];
        received = new long[c];
    }

    void add(long seqNo, long timestamp, PointValue value, int qualityCode, long receivedMillis) {
        if (size == seq.length) {
            int c = size * 2;
            seq = Arrays.copyOf(seq, c);
            ts = Arrays.copyOf(ts, c);
            values = Arrays.copyOf(values, c);
            quality = Arrays.copyOf(quality, c);
            received = Arrays.copyOf(received, c);
        }
        seq[size] = seqNo;
        ts[size] = timestamp;
        values[size] = value;
        quality[size] = qualityCode;
        received[size] = receivedMillis;
        size++;
        minSeq = Math.min(minSeq, seqNo);
        maxSeq = Math.max(maxSeq, seqNo);
        minTs = Math.min(minTs, timestamp);
        maxTs = Math.max(maxTs, timestamp);
    }

    int size() {
        return size;
    }

    long seq(int i) {
        return seq[i];
    }

    long ts(int i) {
        return ts[i];
    }

    PointValue value(int i) {
        return values[i];
    }

    int quality(int i) {
        return quality[i];
    }

    long received(int i) {
        return received[i];
    }

    long[] seqColumn() {
        return seq;
    }

    long[] tsColumn() {
        return ts;
    }

    long[] receivedColumn() {
        return received;
    }

    int[] qualityColumn() {
        return quality;
    }

    long minSeq() {
        return minSeq;
    }

    long maxSeq() {
        return maxSeq;
    }

    long minTs() {
        return minTs;
    }

    long maxTs() {
        return maxTs;
    }

    /** Whether a reading at {@code timestamp} keeps this block within {@code maxSpan} ms of source time. */
    boolean fitsSpan(long timestamp, long maxSpan) {
        if (size == 0) {
            return true;
        }
        long lo = Math.min(minTs, timestamp);
        long hi = Math.max(maxTs, timestamp);
        return hi - lo >= 0 && hi - lo <= maxSpan; // a negative difference overflowed: far beyond any span
    }
}
