package io.hazwatch.drivers.serial;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Splits a byte stream into frames as {@link Framing} describes. Frames are decoded as ISO-8859-1
 * (one character per byte), so checksums over characters equal checksums over the bytes sent.
 *
 * <p>Not thread-safe: one owner (the thread reading the port) feeds it.
 */
public final class LineFramer {

    private final Framing framing;
    private final byte[] start;
    private final byte[] end;
    private final boolean dropCr;
    private final byte[] buffer;
    private int length;
    /** With a start delimiter: a start has been seen and bytes are being collected. */
    private boolean inFrame;
    /** The current frame grew past maxLength: skip to the next end. */
    private boolean discarding;
    private long overlong;

    public LineFramer(Framing framing) {
        this.framing = Objects.requireNonNull(framing, "framing");
        this.start = framing.start().getBytes(StandardCharsets.ISO_8859_1);
        this.end = framing.end().getBytes(StandardCharsets.ISO_8859_1);
        this.dropCr = framing.end().equals("\n");
        // room for the frame, the delimiters that are matched at its tail, and a dropped CR
        this.buffer = new byte[framing.maxLength() + Math.max(start.length, end.length) + 2];
    }

    public Framing framing() {
        return framing;
    }

    /** Frames discarded so far because they were longer than the maximum. */
    public long overlongFrames() {
        return overlong;
    }

    /** Feeds {@code count} bytes from {@code bytes[offset]}; returns the frames they completed, in order. */
    public List<String> feed(byte[] bytes, int offset, int count) {
        Objects.checkFromIndexSize(offset, count, bytes.length);
        List<String> frames = new ArrayList<>(2);
        for (int i = offset; i < offset + count; i++) {
            accept(bytes[i], frames);
        }
        return frames;
    }

    /** Feeds a whole array. */
    public List<String> feed(byte[] bytes) {
        return feed(bytes, 0, bytes.length);
    }

    /** Forgets a partial frame (after the port was reopened). */
    public void reset() {
        length = 0;
        inFrame = false;
        discarding = false;
    }

    private void accept(byte b, List<String> frames) {
        if (start.length > 0 && !inFrame) {
            buffer[length++] = b;
            if (endsWith(start)) {
                inFrame = true;
                length = 0;
            } else if (length >= start.length) {
                // keep only what could still begin a start delimiter
                System.arraycopy(buffer, length - start.length + 1, buffer, 0, start.length - 1);
                length = start.length - 1;
            }
            return;
        }
        if (discarding) {
            // remember just enough of the tail to spot the end delimiter (or a new start)
            buffer[length++] = b;
            if (endsWith(end)) {
                discarding = false;
                length = 0;
                inFrame = false;
            } else if (start.length > 0 && endsWith(start)) {
                discarding = false;
                length = 0;
            } else if (length >= buffer.length - 1) {
                int keep = Math.max(start.length, end.length);
                System.arraycopy(buffer, length - keep, buffer, 0, keep);
                length = keep;
            }
            return;
        }
        buffer[length++] = b;
        if (endsWith(end)) {
            int frameLength = length - end.length;
            if (dropCr && frameLength > 0 && buffer[frameLength - 1] == '\r') {
                frameLength--;
            }
            if (frameLength > framing.maxLength()) {
                overlong++;
            } else {
                frames.add(new String(buffer, 0, frameLength, StandardCharsets.ISO_8859_1));
            }
            length = 0;
            inFrame = false;
            return;
        }
        if (start.length > 0 && endsWith(start)) {
            length = 0; // a new start before the end: the previous frame was cut off
            return;
        }
        // a frame that may still end well holds at most maxLength + CR + all but one byte of the end
        if (length > framing.maxLength() + end.length) {
            overlong++;
            discarding = true;
            int keep = Math.max(start.length, end.length);
            System.arraycopy(buffer, length - keep, buffer, 0, keep);
            length = keep;
        }
    }

    private boolean endsWith(byte[] delimiter) {
        if (length < delimiter.length) {
            return false;
        }
        for (int i = 0; i < delimiter.length; i++) {
            if (buffer[length - delimiter.length + i] != delimiter[i]) {
                return false;
            }
        }
        return true;
    }
}
