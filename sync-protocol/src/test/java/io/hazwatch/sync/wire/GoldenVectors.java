package io.hazwatch.sync.wire;

import io.hazwatch.sync.model.AlarmEvent;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The frames behind src/test/resources/golden/*.hex, and the reader of that format: hex digits, any
 * whitespace, and comments from '#' to the end of the line.
 */
public final class GoldenVectors {
    public static final String EDGE = "130102-E0042-01";
    public static final long T = 1_780_000_000_000L;

    public static final Frame.Hello HELLO = new Frame.Hello(1, 1, EDGE, T);

    public static final Frame.Batch BATCH = new Frame.Batch(7, List.of(
            new SyncRecord(EDGE, Lane.ALARM, 0,
                    new AlarmEvent("T101/LT-01/level", T + 500, AlarmLimit.HH, 1, true, 9.5, 9.0)),
            new SyncRecord(EDGE, Lane.CURRENT, 41,
                    new Reading("T101/LT-01/level", T, PointValue.of(3.25), QualityCode.GOOD)),
            new SyncRecord(EDGE, Lane.CURRENT, 42,
                    new Reading("T101/LT-01/level", T + 1000, PointValue.of(-42L), QualityCode.UNCERTAIN)),
            new SyncRecord(EDGE, Lane.CURRENT, 43,
                    new Reading("P7/pump/run", T + 1000, PointValue.of(true), QualityCode.GOOD)),
            new SyncRecord(EDGE, Lane.CURRENT, 44,
                    new Reading("P7/pump/mode", T + 1000, PointValue.of("AUTO"), QualityCode.GOOD)),
            new SyncRecord(EDGE, Lane.CURRENT, 45,
                    new Reading("G3/GT-07/h2s", T + 1000, PointValue.NONE, QualityCode.BAD_COMM_FAIL))));

    private GoldenVectors() {
    }

    public static byte[] load(String name) {
        try (InputStream in = GoldenVectors.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no golden vector " + name + " on the test classpath");
            }
            StringBuilder hex = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                hex.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", ""));
            }
            return HexFormat.of().parseHex(hex);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
