package io.hazwatch.sync.model;

/**
 * Stable numeric quality codes of readings: 0 good, 1 uncertain, 16 and up bad with a reason.
 * They match the driver SPI's codes so an edge maps one onto the other by number.
 */
public final class QualityCode {
    public static final int GOOD = 0;
    public static final int UNCERTAIN = 1;
    public static final int BAD_COMM_FAIL = 16;
    public static final int BAD_TIMEOUT = 17;
    public static final int BAD_DEVICE_EXCEPTION = 18;
    public static final int BAD_OUT_OF_RANGE = 19;
    public static final int BAD_SENSOR_FAULT = 20;
    public static final int BAD_CONFIG = 21;
    /**
     * A flag, not a code: set on top of any code when the edge's clock was off its parent's by more
     * than the configured bound as the reading was journaled, so its timestamp is suspect. The code
     * is {@code quality & ~CLOCK_SUSPECT}.
     */
    public static final int CLOCK_SUSPECT = 0x80;

    private QualityCode() {
    }

    public static boolean isGood(int code) {
        return code == GOOD;
    }

    public static boolean clockSuspect(int quality) {
        return (quality & CLOCK_SUSPECT) != 0;
    }

    public static String name(int quality) {
        if (clockSuspect(quality)) {
            return name(quality & ~CLOCK_SUSPECT) + "+clock-suspect";
        }
        int code = quality;
        return switch (code) {
            case GOOD -> "good";
            case UNCERTAIN -> "uncertain";
            case BAD_COMM_FAIL -> "bad:comm-fail";
            case BAD_TIMEOUT -> "bad:timeout";
            case BAD_DEVICE_EXCEPTION -> "bad:device-exception";
            case BAD_OUT_OF_RANGE -> "bad:out-of-range";
            case BAD_SENSOR_FAULT -> "bad:sensor-fault";
            case BAD_CONFIG -> "bad:config";
            default -> "bad:" + code;
        };
    }
}
