package io.hazwatch.sims;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/** Two connected ptys made by socat under links {@code a} and {@code b}; {@link #unplug()} kills socat. */
final class Pty implements AutoCloseable {

    final Path a;
    final Path b;
    private Process socat;

    private Pty(Path dir) {
        a = dir.resolve("a");
        b = dir.resolve("b");
    }

    static Pty open(Path dir) {
        boolean installed = false;
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            installed |= Files.isExecutable(Path.of(d, "socat"));
        }
        Assumptions.assumeTrue(installed, "socat not installed: the serial simulator tests need a pty pair "
                + "(apt-get install socat; .ci/run installs it)");
        Pty pty = new Pty(dir);
        pty.plugIn();
        return pty;
    }

    synchronized void plugIn() {
        try {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
            socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(a) && Files.exists(b));
    }

    synchronized void unplug() {
        if (socat != null) {
            socat.destroyForcibly();
            try {
                socat.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socat = null;
        }
    }

    @Override
    public void close() {
        unplug();
        try {
            Files.deleteIfExists(a);
            Files.deleteIfExists(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
