package io.hazwatch.dist.baseline;

import java.util.Arrays;

/**
 * What a subscriber received, by reading id: how many distinct readings, how many copies beyond the
 * first, when the latest new reading came; with the time each reading was sent, its latency.
 */
final class ReceiptLog {
    private final byte[] copies;
    private final long[] sentMillis;
    private final long[] firstReceivedMillis;
    private long distinct;
    private long duplicates;
    private long unknown;
    private long lastChangeNanos = System.nanoTime();
    private long lastNewNanos;

    ReceiptLog(int total) {
        copies = new byte[total];
        sentMillis = new long[total];
        firstReceivedMillis = new long[total];
    }

    int total() {
        return copies.length;
    }

    /** The time reading {@code id} was handed to the system under test (publish, journal append). */
    void sent(int id, long millis) {
        sentMillis[id] = millis;
    }

    synchronized void received(int id) {
        long now = System.nanoTime();
        lastChangeNanos = now;
        if (id < 0 || id >= copies.length) {
            unknown++;
            return;
        }
        if (copies[id] == 0) {
            distinct++;
            lastNewNanos = now;
            firstReceivedMillis[id] = System.currentTimeMillis();
        } else {
            duplicates++;
        }
        if (copies[id] < Byte.MAX_VALUE) {
            copies[id]++;
        }
    }

    /** Records a receipt seen elsewhere (a store), with its own receive time. */
    synchronized void receivedAt(int id, long receivedMillis) {
        received(id);
        if (id >= 0 && id < copies.length && copies[id] == 1) {
            firstReceivedMillis[id] = receivedMillis;
        }
    }

    synchronized long distinct() {
        return distinct;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    synchronized long unknown() {
        return unknown;
    }

    synchronized long missing() {
        return copies.length - distinct;
    }

    synchronized long lastChangeNanos() {
        return lastChangeNanos;
    }

    synchronized long lastNewNanos() {
        return lastNewNanos;
    }

    /** p50, p99 and max of first receipt minus send, over readings received, in ms. */
    synchronized long[] latencyPercentiles() {
        long[] l = new long[(int) distinct];
        int n = 0;
        for (int i = 0; i < copies.length; i++) {
            if (copies[i] > 0 && n < l.length) {
                l[n++] = firstReceivedMillis[i] - sentMillis[i];
            }
        }
        if (n == 0) {
            return new long[3];
        }
        Arrays.sort(l, 0, n);
        return new long[] {l[n / 2], l[Math.min(n - 1, (int) (n * 0.99))], l[n - 1]};
    }

    /**
     * Waits until the counts settle: until every reading has arrived and nothing changed for
     * {@code quietAllMillis}, or nothing changed for {@code quietMillis}, or {@code maxMillis} passed;
     * "nothing changed" counts from the start of the wait at the earliest.
     * Returns the milliseconds waited.
     */
    long awaitSettled(long quietAllMillis, long quietMillis, long maxMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            Thread.sleep(20);
            long now = System.nanoTime();
            // quiet counts from the later of the last change and the start of the wait (a restart)
            long quiet = Math.min(now - start, now - lastChangeNanos()) / 1_000_000;
            long waited = (now - start) / 1_000_000;
            if ((missing() == 0 && quiet >= quietAllMillis) || quiet >= quietMillis || waited >= maxMillis) {
                return waited;
            }
        }
    }
}
