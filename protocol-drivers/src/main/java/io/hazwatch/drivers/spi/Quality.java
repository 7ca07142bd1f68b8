package io.hazwatch.drivers.spi;

/**
 * Quality of one sample, as the driver saw it. A per-point problem is a quality, never an exception.
 * The numeric code is permanent: it travels on the wire and is stored at the province.
 */
public enum Quality {
    GOOD(0),
    UNCERTAIN(1),
    /** the device could not be reached (connect refused, link down) */
    BAD_COMM_FAIL(16),
    /** the device did not answer in time */
    BAD_TIMEOUT(17),
    /** the device answered with a protocol exception (e.g. Modbus illegal data address) */
    BAD_DEVICE_EXCEPTION(18),
    /** the raw value decoded to something outside the configured range */
    BAD_OUT_OF_RANGE(19),
    /** the instrument reports itself faulty (status bit, NAMUR current) */
    BAD_SENSOR_FAULT(20),
    /** the point's configuration does not fit what the device returned */
    BAD_CONFIG(21);

    private final int code;

    Quality(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public boolean isGood() {
        return this == GOOD;
    }

    public static Quality ofCode(int code) {
        for (Quality q : values()) {
            if (q.code == code) {
                return q;
            }
        }
        throw new IllegalArgumentException("unknown quality code " + code);
    }
}
