package io.hazwatch.drivers.modbus.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The programs no one here wrote that the Modbus tests talk to. A test that needs one skips, saying
 * which, when it is missing; .ci/run installs them all, so in CI every test runs.
 */
public final class Peers {

    /** Debian's python3-pymodbus lives under the system interpreter, not a virtualenv's. */
    public static final String PYTHON = "/usr/bin/python3";

    private Peers() {
    }

    public static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    public static void assumeSocat() {
        Assumptions.assumeTrue(onPath("socat"), "socat not installed: the serial-line tests need a pty pair "
                + "(apt-get install socat; .ci/run installs it)");
    }

    public static void assumeMbpoll() {
        Assumptions.assumeTrue(onPath("mbpoll"), "mbpoll not installed: apt-get install mbpoll (.ci/run installs it)");
    }

    public static void assumePymodbus() {
        Assumptions.assumeTrue(pymodbusInstalled(), "pymodbus not installed for " + PYTHON
                + ": apt-get install python3-pymodbus (.ci/run installs it)");
    }

    private static boolean pymodbusInstalled() {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(PYTHON, "-c", "import pymodbus.server, serial").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
