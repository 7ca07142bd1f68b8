package io.hazwatch.sync.model;

/**
 * Which limit an alarm crossed. Hazchem limits HH, H, L, LL; the code is permanent.
 * {@link #FAULT} is an instrument fault raised as an alarm.
 */
public enum AlarmLimit {
    HH(0, true), H(1, true), L(2, false), LL(3, false), FAULT(4, false);

    private final int code;
    private final boolean high;

    AlarmLimit(int code, boolean high) {
        this.code = code;
        this.high = high;
    }

    public int code() {
        return code;
    }

    public boolean isHigh() {
        return high;
    }

    public static AlarmLimit ofCode(int code) {
        for (AlarmLimit l : values()) {
            if (l.code == code) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown alarm limit code " + code);
    }
}
