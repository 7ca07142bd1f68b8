package io.hazwatch.drivers.spi;

/**
 * Completes a {@link Driver#readAll()} stage exceptionally when the driver was closed before the read
 * ran. The only way a read stage fails; device problems are qualities on the samples.
 */
public final class DriverClosedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public DriverClosedException(String device) {
        super("driver for device '" + device + "' is closed");
    }
}
