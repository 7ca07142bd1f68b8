package io.hazwatch.drivers.opcua;

import io.hazwatch.drivers.DriverContract;
import io.hazwatch.drivers.spi.ChannelSpec;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverConfigException;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.sims.opcua.OpcUaSimulator;
import io.hazwatch.sims.opcua.OpcUaSimulatorOptions;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.hazwatch.drivers.opcua.OpcUaTestSupport.channel;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The driver contract over OPC UA: the Milo tank-farm DCS in this JVM, reached through a
 * {@link TcpCutter} that plays the network (cut, held back). Two channels are subscribed (the driver's
 * default) and one is read with the Read service on every {@code readAll}. A server that stops answering
 * times the Read out, and the subscription out when its keep-alives stop.
 */
class OpcUaDriverContractTest extends DriverContract {

    private static final Clock SIM_CLOCK = Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC);
    private static final int REQUEST_TIMEOUT_MS = 1000;

    /** The server's certificate and the client's PKI, made once for every case of the class. */
    @TempDir
    static Path pki;

    private OpcUaSimulator sim;
    private TcpCutter network;

    @Override
    protected String driverType() {
        return OpcUaDriverFactory.TYPE;
    }

    @Override
    protected void startSimulator() {
        sim = OpcUaSimulator.start(OpcUaSimulatorOptions.builder().tanks(2).seed(7).clock(SIM_CLOCK).manualTicks()
                .pkiDir(pki.resolve("server")).build());
        sim.advance(10);
        try {
            network = new TcpCutter(sim.port());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected void stopSimulator() {
        if (network != null) {
            network.close();
        }
        if (sim != null) {
            sim.close();
        }
    }

    @Override
    protected void dropLink() {
        network.unplug();
    }

    @Override
    protected void restoreLink() {
        network.plugIn();
    }

    @Override
    protected Driver newDriver(DeviceSpec device) throws DriverConfigException {
        OpcUaDriverFactory factory = new OpcUaDriverFactory(pki.resolve("client"));
        assertThat(factory.validate(device)).isEmpty();
        return factory.create(device, Clock.systemUTC());
    }

    @Override
    protected DeviceSpec device(List<ChannelSpec> channels) {
        String throughTheNetwork = "opc.tcp://127.0.0.1:" + network.port() + "/hazwatch";
        return OpcUaTestSupport.device("dcs", channels, "endpointUrl", throughTheNetwork, "publishingIntervalMs", 100,
                "requestTimeoutMs", REQUEST_TIMEOUT_MS, "backoffMinMs", 100, "backoffMaxMs", 400);
    }

    @Override
    protected List<ChannelSpec> goodChannels() {
        return List.of(
                channel("level", 10, "nodeId", sim.nodeId("LT-1001")),
                channel("gas", 11, "nodeId", sim.nodeId("AT-1001")),
                channel("temperature", 12, "nodeId", sim.nodeId("TT-1001"), "mode", "read"));
    }

    @Override
    protected ChannelSpec refusedChannel() {
        return channel("typo", 13, "nodeId", "ns=2;s=LT-1O01");
    }

    @Override
    protected Quality refusedQuality() {
        return Quality.BAD_CONFIG; // Bad_NodeIdUnknown: the node id in the configuration is wrong
    }

    @Override
    protected Map<String, Object> expectedValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("level", sim.tag("LT-1001").value());
        v.put("gas", sim.tag("AT-1001").value());
        v.put("temperature", sim.tag("TT-1001").value());
        return v;
    }

    @Override
    protected Fault deviceException() {
        // OPC UA has no exception reply to a read; a device's fault is the status code of the value
        return new Fault.Injected("the gas detector and the thermometer report Bad_SensorFailure", () -> {
            sim.forceStatus("AT-1001", OpcUaSimulator.BAD_SENSOR_FAILURE);
            sim.forceStatus("TT-1001", OpcUaSimulator.BAD_SENSOR_FAILURE);
        }, () -> {
            sim.clearStatus("AT-1001");
            sim.clearStatus("TT-1001");
        }, Set.of("gas", "temperature"), Quality.BAD_SENSOR_FAULT, "Bad_SensorFailure \\(0x808C0000\\)");
    }

    @Override
    protected Fault slowDevice() {
        // the Read times out; the subscription misses its keep-alives (OPC UA Part 4, 5.13.1)
        return new Fault.Injected("the server's answers held back", network::stall, network::resume,
                names(goodChannels()), Quality.BAD_TIMEOUT, "no answer to Read within " + REQUEST_TIMEOUT_MS
                + " ms|no notification or keep-alive from .* within the subscription's keep-alive time");
    }

    @Override
    protected Set<Quality> qualitiesWhileLinkDown() {
        return Set.of(Quality.BAD_COMM_FAIL);
    }
}
