package io.hazwatch.sync.model;

/**
 * A lane of records. Lanes are drained by priority, lowest {@link #priority()} first, at every hop.
 * The code is permanent: it is on the wire and in every journal.
 */
public enum Lane {
    ALARM(0),
    META(1),
    CURRENT(2),
    BACKFILL(3),
    ROLLUP(4);

    private static final Lane[] BY_CODE = values();

    private final int code;

    Lane(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Lower drains first. Equal to the code today; kept separate so the wire code never has to move. */
    public int priority() {
        return code;
    }

    /** @throws IllegalArgumentException for a code no lane has */
    public static Lane ofCode(int code) {
        if (code < 0 || code >= BY_CODE.length) {
            throw new IllegalArgumentException("unknown lane code " + code);
        }
        return BY_CODE[code];
    }
}
