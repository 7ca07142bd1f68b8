package io.hazwatch.drivers.opcua;

import java.util.Objects;

/**
 * One validated channel.
 *
 * @param name               channel name, unique within the device
 * @param location           where it was configured, for messages
 * @param nodeId             the node, as written: {@code ns=2;s=LT-1001}, {@code i=2258} or the
 *                           restart-proof {@code nsu=urn:...;s=LT-1001}
 * @param mode               subscribe (default) or read
 * @param samplingIntervalMs how often the server samples the node; -1 = the publishing interval
 * @param queueSize          notifications the server keeps per publishing interval (1 = latest only)
 * @param discardOldest      when the queue overflows, drop the oldest (true) or the newest
 * @param deadband           deadband type of the data-change filter
 * @param deadbandValue      the deadband, in engineering units or percent; 0 with {@link OpcUaDeadband#NONE}
 */
public record OpcUaChannel(String name, String location, String nodeId, OpcUaChannelMode mode,
                           double samplingIntervalMs, int queueSize, boolean discardOldest,
                           OpcUaDeadband deadband, double deadbandValue) {

    public static final double USE_PUBLISHING_INTERVAL = -1;
    public static final int DEFAULT_QUEUE_SIZE = 1;

    public OpcUaChannel {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(deadband, "deadband");
        if (queueSize < 1) {
            throw new IllegalArgumentException("queueSize must be at least 1, got " + queueSize);
        }
    }
}
