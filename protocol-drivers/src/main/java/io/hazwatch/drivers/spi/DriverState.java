package io.hazwatch.drivers.spi;

/** Connection state of a driver instance; shown in status and metrics. */
public enum DriverState {
    DISCONNECTED, CONNECTING, CONNECTED, BACKING_OFF, CLOSED
}
