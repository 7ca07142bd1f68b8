package io.hazwatch.sims.serial;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Keeps a command-line simulator running until its duration ends or the JVM is asked to stop. */
final class SerialSimRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SerialSimRunner.class);

    private SerialSimRunner() {
    }

    static void runUntilStopped(Long durationSeconds) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "serial-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            if (durationSeconds == null) {
                stop.await();
            } else {
                stop.await(Math.max(0, durationSeconds), TimeUnit.SECONDS);
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                LOG.debug("the JVM is shutting down; the hook runs by itself: {}", e.toString());
            }
        }
    }
}
