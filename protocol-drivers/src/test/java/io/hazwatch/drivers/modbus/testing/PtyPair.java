package io.hazwatch.drivers.modbus.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * Two connected pseudo-terminals made by socat, reached through stable links {@code a} and {@code b}
 * in a directory: what one end writes the other reads, raw, as on a null-modem cable. A pty has no baud
 * rate: bytes arrive at once (see {@link SerialLineEmulator} for wire timing).
 *
 * <p>{@link #unplug()} kills socat, so both ends fail as a pulled USB adapter does; {@link #plugIn()}
 * makes a new pair under the same links.
 */
public final class PtyPair implements AutoCloseable {

    private final Path a;
    private final Path b;
    private Process socat;

    private PtyPair(Path dir) {
        this.a = dir.resolve("a");
        this.b = dir.resolve("b");
    }

    /** Starts socat; call {@link Peers#assumeSocat()} first. */
    public static PtyPair open(Path dir) {
        PtyPair pair = new PtyPair(dir);
        pair.plugIn();
        return pair;
    }

    public Path a() {
        return a;
    }

    public Path b() {
        return b;
    }

    /** Starts a new pair under the same links; waits until both exist. */
    public synchronized void plugIn() {
        if (socat != null && socat.isAlive()) {
            return;
        }
        try {
            Files.deleteIfExists(a); // stale links of a killed socat
            Files.deleteIfExists(b);
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start socat", e);
        }
        await("socat links " + a + " and " + b).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(a) && Files.exists(b));
    }

    /** Kills socat: both ptys vanish. */
    public synchronized void unplug() {
        if (socat == null) {
            return;
        }
        socat.destroyForcibly();
        try {
            if (!socat.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("socat did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socat = null;
    }

    @Override
    public synchronized void close() {
        unplug();
        try {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
