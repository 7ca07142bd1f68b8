package io.hazwatch.sync.model;

/** What a record carries. */
public sealed interface Payload permits Reading, AlarmEvent, Rollup, PointInfo {
    /** The point, {@code site/device/point}. */
    String point();

    /** Source timestamp, epoch milliseconds, from the edge's clock. */
    long timestampMillis();
}
