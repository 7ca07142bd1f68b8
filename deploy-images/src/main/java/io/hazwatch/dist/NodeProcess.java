package io.hazwatch.dist;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One node (or simulator) as an operating-system process of its own, started from this JVM's class
 * path. {@link #kill()} is SIGKILL: no shutdown hook runs, as in a power cut.
 */
final class NodeProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private Process process;
    private int starts;

    NodeProcess(String name, String mainClass, List<String> args, Path log, String heap) {
        this.name = name;
        this.log = log;
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.add("-Xmx" + heap);
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xshare:auto");
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        this.command = List.copyOf(cmd);
    }

    String name() {
        return name;
    }

    synchronized void start() throws IOException {
        File out = log.toFile();
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(starts == 0 ? ProcessBuilder.Redirect.to(out) : ProcessBuilder.Redirect.appendTo(out))
                .start();
        starts++;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL, and wait until the process is gone. */
    synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM, then wait up to {@code seconds} for a clean exit; SIGKILL after that. */
    synchronized boolean stop(long seconds) throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return true;
        }
        process.destroy();
        if (process.waitFor(seconds, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    Path log() {
        return log;
    }
}
