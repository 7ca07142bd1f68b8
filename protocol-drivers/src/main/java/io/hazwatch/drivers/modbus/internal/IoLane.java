package io.hazwatch.drivers.modbus.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * The single thread that runs a driver's transactions. A Modbus TCP device has a lane of its own; the
 * devices of one serial line share the line's lane, so their transactions queue behind each other in
 * the order they were asked for.
 */
public interface IoLane {

    /**
     * Queues {@code task}; tasks run one at a time in order.
     *
     * @throws RejectedExecutionException once the lane has stopped
     */
    void execute(Runnable task);

    /** True on the lane's own thread. */
    boolean inLane();

    /** This user is done with the lane; a lane of its own stops, a shared lane stops with its last user. */
    void release();

    /** A lane with a thread of its own, named {@code threadName}. */
    static IoLane own(String threadName) {
        return new Own(threadName);
    }

    /** {@link IoLane#own}: a single-thread executor, shut down on release. */
    final class Own implements IoLane {
        private final ExecutorService executor;
        private volatile Thread thread;

        Own(String threadName) {
            this.executor = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, threadName);
                t.setDaemon(true);
                thread = t;
                return t;
            });
        }

        @Override
        public void execute(Runnable task) {
            executor.execute(task);
        }

        @Override
        public boolean inLane() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void release() {
            executor.shutdown();
        }
    }
}
