package io.hazwatch.drivers.serial.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An in-memory instrument line for driver tests: the test writes what the instrument says with
 * {@link #say}, and sees what the driver wrote in {@link #written()}. Opening can be made to fail, and
 * the line can be broken.
 */
final class PipeTransport implements LineTransport {

    private final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>();
    private final List<String> written = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> openFailure = new AtomicReference<>();
    private final AtomicReference<String> readFailure = new AtomicReference<>();
    private final AtomicInteger opens = new AtomicInteger();
    private volatile boolean open;

    void say(String text) {
        incoming.add(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    List<String> written() {
        return List.copyOf(written);
    }

    int opens() {
        return opens.get();
    }

    /** Later opens fail with this message (null: they succeed). */
    void failOpens(String message) {
        openFailure.set(message);
    }

    /** The next read fails, as an unplugged adapter does. */
    void breakLine(String message) {
        readFailure.set(message);
    }

    @Override
    public void open() throws IOException {
        String failure = openFailure.get();
        if (failure != null) {
            throw new IOException(failure);
        }
        opens.incrementAndGet();
        open = true;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public int read(byte[] buffer) throws IOException {
        String failure = readFailure.getAndSet(null);
        if (failure != null) {
            throw new IOException(failure);
        }
        byte[] chunk;
        try {
            chunk = incoming.poll(20, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (chunk == null) {
            return 0;
        }
        System.arraycopy(chunk, 0, buffer, 0, chunk.length);
        return chunk.length;
    }

    @Override
    public void write(byte[] bytes) {
        written.add(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public String describe() {
        return "/dev/pipe 9600 8N1";
    }
}
