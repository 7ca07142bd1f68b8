package io.hazwatch.dist.baseline;

/**
 * How long to wait for counts to settle after a fault: until nothing changed for {@code quietMillis}
 * (bridges reconnect with a backoff of up to about 30 s), at most {@code maxMillis}.
 */
record Settle(long quietMillis, long maxMillis) {
}
