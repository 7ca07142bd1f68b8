package io.hazwatch.drivers.spi;

import java.util.List;

/**
 * Optional push extension of {@link Driver}: a driver whose device reports changes by itself (an
 * OPC UA subscription, an MQTT feed) MAY implement this, so that a caller can receive every reported
 * sample rather than the latest one per {@link Driver#readAll()}. Drivers that do not implement it
 * are poll-only; callers test with {@code instanceof Subscribable}.
 *
 * <p>A driver that implements this still answers {@link Driver#readAll()}, with the latest sample per
 * channel. Subscribing starts the connection if the driver was not connected yet, and the driver then
 * keeps reconnecting by itself while any listener is registered.
 */
public interface Subscribable {

    /**
     * Registers {@code listener} for every sample the device reports from now on, in the order the
     * device reported them per channel, and for the bad-quality samples the driver makes when the link
     * drops. The listener is called on a driver thread, one batch at a time, and must not block.
     *
     * @return a handle whose {@code close()} unregisters the listener; closing it twice is harmless
     * @throws DriverClosedException if the driver is closed
     */
    SampleSubscription subscribe(SampleListener listener);

    /** Receives samples pushed by a {@link Subscribable} driver. */
    @FunctionalInterface
    interface SampleListener {
        /** One batch of samples, possibly several per channel; never empty. */
        void onSamples(List<Sample> samples);
    }

    /** A registration made by {@link #subscribe(SampleListener)}. */
    interface SampleSubscription extends AutoCloseable {
        /** Unregisters the listener; idempotent. */
        @Override
        void close();
    }
}
