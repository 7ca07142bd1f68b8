package io.hazwatch.drivers.serial;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds serial-line device specs the way the edge config loader hands them over. */
public final class SerialTestSupport {

    /** The proprietary GNSS sentence of the simulator, with a named group per value. */
    public static final String PHZDSP = "^\\$PHZDSP,(?<station>\\w+),(?<dN>-?\\d+\\.\\d),(?<dE>-?\\d+\\.\\d),"
            + "(?<dU>-?\\d+\\.\\d),(?<quality>\\d)$";

    private SerialTestSupport() {
    }

    public static Map<String, Object> props(Object... keyValues) {
        Map<String, Object> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    public static ChannelSpec ch(String name, Object... keyValues) {
        return new ChannelSpec(name, props(keyValues), "site.yaml:" + name);
    }

    public static DeviceSpec device(Map<String, Object> props, ChannelSpec... channels) {
        return new DeviceSpec("gnss", "serial-line", props, Arrays.asList(channels), "site.yaml:gnss");
    }

    /** Three channels of station GN01 read by named groups of {@link #PHZDSP}. */
    public static List<ChannelSpec> gnssChannels(String station) {
        String match = "^\\$PHZDSP," + station + ",";
        return List.of(
                ch(station + ".dN", "group", "dN", "match", match),
                ch(station + ".dE", "group", "dE", "match", match),
                ch(station + ".dU", "group", "dU", "match", match),
                ch(station + ".quality", "group", "quality", "match", match, "type", "long"));
    }
}
