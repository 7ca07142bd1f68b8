package io.hazwatch.dist.baseline;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Three mosquitto brokers on loopback, set up as the design notes' BASELINES.md asks: edge broker -> middle
 * (county/city) broker -> province broker, each with {@code persistence true} and its own
 * {@code persistence_location} ({@code user root} when run as root), bridges {@code topic <prefix>/# out 1},
 * {@code cleansession false}, a fixed {@code clientid}; {@code max_queued_messages 0} and
 * {@code max_inflight_messages 100} when tuned, the broker defaults otherwise. Each bridge goes through
 * a {@link CountingProxy}, which counts its bytes and can hold it.
 */
final class MosquittoChain implements AutoCloseable {
    final ChildProcess edge;
    final ChildProcess middle;
    final ChildProcess province;
    final int edgePort;
    final int middlePort;
    final int provincePort;
    final CountingProxy edgeToMiddle;
    final CountingProxy middleToProvince;
    private final Path dir;

    private MosquittoChain(Path dir, String mosquitto, String prefix, boolean tuned, String extra) throws IOException {
        this.dir = dir;
        edgePort = freePort();
        middlePort = freePort();
        provincePort = freePort();
        middleToProvince = new CountingProxy("middle-province", provincePort);
        edgeToMiddle = new CountingProxy("edge-middle", middlePort);
        province = broker(mosquitto, "province", provincePort, null, 0, prefix, tuned, extra);
        middle = broker(mosquitto, "middle", middlePort, "bridge-middle-to-province", middleToProvince.port(), prefix,
                tuned, extra);
        edge = broker(mosquitto, "edge", edgePort, "bridge-edge-to-middle", edgeToMiddle.port(), prefix, tuned, extra);
    }

    /**
     * Writes the configurations and starts the brokers, province first, so each bridge connects at once.
     * {@code extra} is added to every broker's general settings (empty for the baseline as specified).
     */
    static MosquittoChain start(Path dir, String mosquitto, String prefix, boolean tuned, String extra)
            throws Exception {
        Files.createDirectories(dir);
        MosquittoChain c = new MosquittoChain(dir, mosquitto, prefix, tuned, extra);
        try {
            c.startBroker(c.province, c.provincePort);
            c.startBroker(c.middle, c.middlePort);
            c.startBroker(c.edge, c.edgePort);
        } catch (Exception e) {
            c.close();
            throw e;
        }
        return c;
    }

    void startBroker(ChildProcess broker, int port) throws Exception {
        broker.start();
        ChildProcess.awaitListening("mosquitto " + broker.name(), port, 10_000);
    }

    String url(int port) {
        return "tcp://127.0.0.1:" + port;
    }

    private ChildProcess broker(String mosquitto, String name, int port, String bridge, int bridgePort, String prefix,
                                boolean tuned, String extra) throws IOException {
        Path home = dir.resolve(name);
        Files.createDirectories(home);
        StringBuilder c = new StringBuilder();
        c.append("# mosquitto ").append(name).append(" broker, written by hazwatch bench-baseline\n");
        c.append("listener ").append(port).append(" 127.0.0.1\n");
        c.append("allow_anonymous true\n");
        c.append("persistence true\n");
        c.append("persistence_location ").append(home.toAbsolutePath()).append("/\n");
        if ("root".equals(System.getProperty("user.name"))) {
            // otherwise the broker drops privileges and silently cannot write its persistence file
            c.append("user root\n");
        }
        if (tuned) {
            c.append("max_queued_messages 0\n");
            c.append("max_inflight_messages 100\n");
        }
        c.append(extra);
        c.append("log_dest file ").append(home.resolve("mosquitto.log").toAbsolutePath()).append('\n');
        c.append("log_type error\nlog_type warning\nlog_type notice\nlog_type information\n");
        c.append("log_timestamp_format %Y-%m-%dT%H:%M:%S\n");
        if (bridge != null) {
            c.append("\nconnection ").append(bridge).append('\n');
            c.append("address 127.0.0.1:").append(bridgePort).append('\n');
            c.append("topic ").append(prefix).append("/# out 1\n");
            c.append("cleansession false\n");
            c.append("clientid ").append(bridge).append('\n');
        }
        Path conf = home.resolve("mosquitto.conf");
        Files.writeString(conf, c.toString());
        return new ChildProcess("mosquitto-" + name, List.of(mosquitto, "-c", conf.toAbsolutePath().toString()),
                home.resolve("stdout.log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        edge.close();
        middle.close();
        province.close();
        edgeToMiddle.close();
        middleToProvince.close();
    }
}
