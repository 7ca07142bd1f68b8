package io.hazwatch.drivers.modbus.internal;

/** What one write transaction produced: {@link Written}, or one of the failures it shares with reads. */
public sealed interface WriteOutcome permits WriteOutcome.Written, ReadOutcome.DeviceException,
        ReadOutcome.Timeout, ReadOutcome.CommFailure, ReadOutcome.Garbled {

    /** The device confirmed the write (its echo matched the request). */
    record Written() implements WriteOutcome {
    }
}
