package io.hazwatch.sync.wire;

/** Frame compressors a sender may choose per batch; the code travels in the frame and is permanent. */
public enum Compression {
    NONE(0), LZ4(1), ZSTD(2);

    private final int code;

    Compression(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    static Compression ofCode(int code) {
        for (Compression c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        throw WireReader.malformed("unknown compression code " + code);
    }
}
