package io.hazwatch.drivers.spi;

import java.util.concurrent.CompletionStage;

/**
 * Optional write extension of {@link Driver}: a driver whose device accepts values MAY implement this;
 * callers test with {@code instanceof Writable}. Drivers that do not implement it are read-only.
 *
 * <p>Threading: like {@link Driver#readAll()}, a write is queued behind the transactions already
 * waiting for the device and runs on the driver's I/O thread, which completes the stage; dependent
 * actions attached with the non-async methods run there and must not block.
 */
public interface Writable {

    /**
     * Writes {@code value} to {@code channel}, in the channel's engineering units: the kind of value
     * {@link Driver#readAll()} returns for it ({@link Number}, {@link Boolean} or {@link String}). The
     * stage never completes exceptionally for a device or value problem: the {@link WriteResult} says
     * what happened. It completes exceptionally with {@link DriverClosedException} after
     * {@link Driver#close()}.
     */
    CompletionStage<WriteResult> write(String channel, Object value);
}
