package io.hazwatch.sims.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A pseudo-terminal pair made by socat ({@code socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B}):
 * what is written to one end is read at the other, with real tty semantics. Tests that need it call
 * {@link #isInstalled()} in an assumption so they skip, saying why, where socat is missing.
 */
public final class SocatPty implements AutoCloseable {

    /** Why a test is skipped when socat is missing. */
    public static final String MISSING = "socat is not installed: the serial-line tests need it for a pty pair"
            + " (apt-get install socat; .ci/run installs it)";

    private final Process process;
    private final Path a;
    private final Path b;

    private SocatPty(Process process, Path a, Path b) {
        this.process = process;
        this.a = a;
        this.b = b;
    }

    public static boolean isInstalled() {
        try {
            Process p = new ProcessBuilder("socat", "-V").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts socat with links {@code dir/a} and {@code dir/b} and waits until both exist. */
    public static SocatPty start(Path dir) throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Process process = new ProcessBuilder("socat", "-d", "-d", "pty,raw,echo=0,link=" + a,
                "pty,raw,echo=0,link=" + b).redirectErrorStream(true)
                .redirectOutput(dir.resolve("socat.log").toFile()).start();
        SocatPty pty = new SocatPty(process, a, b);
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(a) && Files.exists(b) || !process.isAlive());
        } catch (RuntimeException e) {
            pty.close();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IOException("socat exited: " + Files.readString(dir.resolve("socat.log")));
        }
        return pty;
    }

    /** The end the driver (or probe) opens. */
    public Path a() {
        return a;
    }

    /** The end the simulated instrument writes to. */
    public Path b() {
        return b;
    }

    /** Kills socat, as pulling the cable would; idempotent. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
