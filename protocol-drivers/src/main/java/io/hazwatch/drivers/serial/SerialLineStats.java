package io.hazwatch.drivers.serial;

/**
 * Counters of one serial-line driver since it was created.
 *
 * @param frames           frames received (checksum good or bad)
 * @param checksumFailures frames whose checksum did not match or was missing
 * @param overlongFrames   frames discarded for being longer than {@code maxLineLength}
 * @param ignoredFrames    frames that fed no channel (other sentences, echoes)
 * @param reopens          times the port was opened after the first time
 */
public record SerialLineStats(long frames, long checksumFailures, long overlongFrames, long ignoredFrames,
                              long reopens) {
}
