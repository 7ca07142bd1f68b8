package io.hazwatch.edge;

import io.hazwatch.edge.config.AlarmSpec;
import io.hazwatch.edge.config.DeviceConfig;
import io.hazwatch.edge.config.EdgeConfig;
import io.hazwatch.edge.config.PointConfig;
import io.hazwatch.sync.model.AlarmLimit;
import io.hazwatch.sync.model.PointInfo;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * An edge's point catalogue as its configuration describes it: one {@link PointInfo} per configured
 * point, in configuration order (docs/edge-guide.md, "The point catalogue"). Built from the
 * configuration alone, so it says what the edge was told, not what a device answered.
 *
 * <p>The data type is the point's {@code type} channel property as written ({@code float32},
 * {@code uint16}, ...), empty when the driver's default applies; scale and offset are its
 * {@code scale} and {@code offset} channel properties when numbers. The configuration has no
 * description or engineering range for a point, so those are absent.
 */
public final class PointCatalogue {
    static final String TYPE_PROPERTY = "type";
    static final String SCALE_PROPERTY = "scale";
    static final String OFFSET_PROPERTY = "offset";
    private static final AlarmLimit[] LIMITS = {AlarmLimit.HH, AlarmLimit.H, AlarmLimit.L, AlarmLimit.LL};

    private PointCatalogue() {
    }

    /** Every configured point, stamped {@code publishedMillis}. */
    public static List<PointInfo> of(EdgeConfig config, long publishedMillis) {
        List<PointInfo> out = new ArrayList<>(config.pointCount());
        for (DeviceConfig device : config.devices()) {
            for (PointConfig p : device.points()) {
                out.add(entry(config.pointId(device, p), p, publishedMillis));
            }
        }
        return List.copyOf(out);
    }

    static PointInfo entry(String pointId, PointConfig p, long publishedMillis) {
        Object type = p.properties().get(TYPE_PROPERTY);
        Map<AlarmLimit, Double> limits = new EnumMap<>(AlarmLimit.class);
        p.alarms().ifPresent(spec -> addLimits(spec, limits));
        return new PointInfo(pointId, publishedMillis, p.unit(), type == null ? "" : type.toString(),
                Optional.empty(), number(p, SCALE_PROPERTY), number(p, OFFSET_PROPERTY), Optional.empty(), limits);
    }

    private static void addLimits(AlarmSpec spec, Map<AlarmLimit, Double> limits) {
        for (AlarmLimit limit : LIMITS) {
            OptionalDouble v = spec.limit(limit);
            if (v.isPresent()) {
                limits.put(limit, v.getAsDouble());
            }
        }
    }

    private static OptionalDouble number(PointConfig p, String property) {
        Object v = p.properties().get(property);
        return v instanceof Number n ? OptionalDouble.of(n.doubleValue()) : OptionalDouble.empty();
    }
}
