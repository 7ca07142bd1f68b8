package io.hazwatch.dist.baseline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * What users put on MQTT for the same readings: JSON, one object per reading, the point in the topic;
 * or Sparkplug B (Eclipse Tahu's encoder), one NDATA per poll cycle carrying N metrics by alias (names
 * and data types travel once, in the NBIRTH), each metric with its timestamp as the specification asks.
 * Also the size of an MQTT 3.1.1 PUBLISH packet carrying a payload at QoS 1.
 */
final class MqttEncodings {
    static final String JSON_PREFIX = "hz";
    static final String SPARKPLUG_GROUP = "hz";

    private MqttEncodings() {
    }

    /** Topic of a reading's JSON message: hz/E0001/tank-farm/tank1.level. */
    static String jsonTopic(SimReadings r, int e, int p) {
        return JSON_PREFIX + "/" + r.pointName(e, p);
    }

    /**
     * {@code {"ts":1780000000000,"v":12.345678,"q":0}}, with {@code "id":n,} first when {@code id >= 0}
     * (the bench's unique reading id, to count missing and duplicated readings at the subscriber).
     * float32 values print as the float they are (shortest form), doubles as Java prints them.
     */
    static byte[] json(SimReadings r, int e, int cycle, int p, long id) {
        StringBuilder b = new StringBuilder(64).append('{');
        if (id >= 0) {
            b.append("\"id\":").append(id).append(',');
        }
        b.append("\"ts\":").append(r.timestamp(cycle)).append(",\"v\":");
        double v = r.value(e, cycle, p);
        switch (r.kind(p)) {
            case FLOAT32 -> b.append(Float.toString((float) v));
            case SCALED -> b.append(Double.toString(v));
            case INT -> b.append((long) v);
            case BOOL -> b.append(v != 0);
        }
        b.append(",\"q\":0}");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sparkplug topic of an edge node's data: spBv1.0/hz/NDATA/E0001. */
    static String sparkplugTopic(SimReadings r, int e, String type) {
        return "spBv1.0/" + SPARKPLUG_GROUP + "/" + type + "/" + r.site(e);
    }

    static MetricDataType sparkplugType(SimReadings.Kind k) {
        return switch (k) {
            case FLOAT32, SCALED -> MetricDataType.Float;
            case INT -> MetricDataType.Int32;
            case BOOL -> MetricDataType.Boolean;
        };
    }

    private static Object sparkplugValue(SimReadings.Kind k, double v) {
        return switch (k) {
            case FLOAT32, SCALED -> (float) v;
            case INT -> (int) v;
            case BOOL -> v != 0;
        };
    }

    /** The NBIRTH of an edge: every metric with its name, alias (its point index) and data type. */
    static byte[] sparkplugBirth(SimReadings r, int e, long timestamp) {
        List<Metric> ms = new ArrayList<>();
        for (int p = 0; p < r.pointsPerEdge(); p++) {
            ms.add(metric(r.pointName(e, p), (long) p, r.kind(p), r.value(e, 0, p), timestamp));
        }
        return encode(timestamp, 0, ms, false);
    }

    /**
     * One NDATA payload with the metrics {@code (cycle, p)} for every cycle in {@code cycles} and every
     * point p with {@code include[p]} (all points when null), by alias only, data types stripped.
     */
    static byte[] sparkplugData(SimReadings r, int e, int[] cycles, boolean[][] include, long seq) {
        List<Metric> ms = new ArrayList<>();
        for (int i = 0; i < cycles.length; i++) {
            int c = cycles[i];
            for (int p = 0; p < r.pointsPerEdge(); p++) {
                if (include == null || include[i][p]) {
                    ms.add(metric(null, (long) p, r.kind(p), r.value(e, c, p), r.timestamp(c)));
                }
            }
        }
        return encode(r.timestamp(cycles[cycles.length - 1]), seq % 256, ms, true);
    }

    private static Metric metric(String name, Long alias, SimReadings.Kind k, double v, long ts) {
        try {
            Metric.MetricBuilder b = new Metric.MetricBuilder(alias, sparkplugType(k), sparkplugValue(k, v))
                    .timestamp(new Date(ts));
            if (name != null) {
                b.name(name);
            }
            return b.createMetric();
        } catch (SparkplugInvalidTypeException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] encode(long timestamp, long seq, List<Metric> metrics, boolean stripDataTypes) {
        SparkplugBPayload payload = new SparkplugBPayload.SparkplugBPayloadBuilder()
                .setTimestamp(new Date(timestamp)).setSeq(seq).addMetrics(metrics).createPayload();
        try {
            return new SparkplugBPayloadEncoder().getBytes(payload, stripDataTypes);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Bytes of an MQTT 3.1.1 PUBLISH at QoS 1: fixed header (1 byte and a 1..4-byte remaining length),
     * topic (2-byte length and the UTF-8 bytes), 2-byte packet id, payload. The PUBACK (4 bytes) travels
     * the other way and is not included.
     */
    static int publishPacketBytes(String topic, int payloadBytes) {
        int remaining = 2 + topic.getBytes(StandardCharsets.UTF_8).length + 2 + payloadBytes;
        return 1 + varintBytes(remaining) + remaining;
    }

    static int varintBytes(int remaining) {
        if (remaining < 128) {
            return 1;
        }
        if (remaining < 16_384) {
            return 2;
        }
        if (remaining < 2_097_152) {
            return 3;
        }
        return 4;
    }
}
