package io.hazwatch.drivers.modbus.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A peer program run by a test: either to completion ({@link #run}), or as a server that announces
 * itself with a line on stdout ({@link #startAndAwait}) and is killed by {@link #close()}.
 */
public final class ExternalProcess implements AutoCloseable {

    /** What a finished program printed. */
    public record Result(int exitCode, String output) {
    }

    private final Process process;
    private final StringBuffer output = new StringBuffer();

    private ExternalProcess(Process process) {
        this.process = process;
    }

    /** Runs {@code command} to completion (stdout and stderr together), killing it after {@code timeout}. */
    public static Result run(List<String> command, Duration timeout) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeout);
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("cannot read the output of " + command, e);
        }
    }

    /** Starts {@code command} and waits until it prints a line equal to {@code readyLine}. */
    public static ExternalProcess startAndAwait(List<String> command, String readyLine, Duration timeout) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        ExternalProcess running = new ExternalProcess(p);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    running.output.append(line).append('\n');
                    if (line.trim().equals(readyLine)) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new AssertionError(command + " ended before it was ready:\n" + running.output));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }, "peer-output");
        reader.setDaemon(true);
        reader.start();
        try {
            ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.close();
            throw new AssertionError("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            running.close();
            throw new AssertionError(command + " not ready within " + timeout + ":\n" + running.output, e);
        }
        return running;
    }

    /** What it printed so far. */
    public String output() {
        return output.toString();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
