package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.Sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Small builders shared by the OPC UA driver tests. */
final class OpcUaTestSupport {

    static final Duration CONNECT_WAIT = Duration.ofSeconds(30);

    private OpcUaTestSupport() {
    }

    /** A channel configured at {@code test.yaml:<line>}. */
    static ChannelSpec channel(String name, int line, Object... keyValues) {
        return new ChannelSpec(name, map(keyValues), "test.yaml:" + line);
    }

    static DeviceSpec device(String name, List<ChannelSpec> channels, Object... keyValues) {
        return new DeviceSpec(name, OpcUaDriverFactory.TYPE, map(keyValues), channels, "test.yaml:1");
    }

    static Map<String, Object> map(Object... keyValues) {
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return props;
    }

    /** One readAll, bounded so a hung driver fails the test instead of hanging it. */
    static Map<String, Sample> read(Driver driver) {
        try {
            List<Sample> samples = driver.readAll().toCompletableFuture().get(CONNECT_WAIT.toSeconds(), TimeUnit.SECONDS);
            return samples.stream().collect(Collectors.toMap(Sample::channel, Function.identity(),
                    (a, b) -> a, LinkedHashMap::new));
        } catch (Exception e) {
            throw new AssertionError("readAll failed: " + e, e);
        }
    }

    /** Copies a server certificate into a client PKI's trusted/certs, as an engineer would. */
    static void trust(Path clientPki, Path serverCertificate) throws IOException {
        Path trusted = clientPki.resolve("trusted").resolve("certs");
        Files.createDirectories(trusted);
        Files.copy(serverCertificate, trusted.resolve(serverCertificate.getFileName()));
    }
}
