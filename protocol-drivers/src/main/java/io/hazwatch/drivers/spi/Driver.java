package io.hazwatch.drivers.spi;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A connection to one device. Created by a {@link DriverFactory} for one {@link DeviceSpec}; the
 * channels were validated at creation.
 *
 * <p>Threading: {@link #readAll()} may be called from any thread; a driver runs at most one
 * transaction on its device at a time and queues the rest. The returned stage is completed by the
 * driver's own I/O thread and never completes exceptionally for a device problem: a device that
 * cannot be reached yields one bad-quality sample per channel. It completes exceptionally only
 * after {@link #close()}.
 *
 * <p>Reconnect is the driver's business: after a failure it backs off and reconnects on a later read.
 */
public interface Driver extends AutoCloseable {

    /** The device this driver reads. */
    DeviceSpec device();

    /** Reads every configured channel; one sample per channel, in configuration order. */
    CompletionStage<List<Sample>> readAll();

    DriverState state();

    /** Idempotent: closing twice is harmless. */
    @Override
    void close();
}
