package io.hazwatch.dist.baseline;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.tahu.protobuf.SparkplugBProto;

/**
 * The MQTT baseline: readings published with Paho (QoS 1) to the edge broker of a {@link MosquittoChain},
 * bridged to the province broker, received there by a Paho subscriber on a persistent session
 * ({@code cleanSession false}). Each reading is identified at the subscriber (JSON: its {@code id}
 * field; Sparkplug: edge, metric timestamp and alias), so missing and duplicated readings are counted,
 * not inferred.
 */
final class MqttBench {
    static final int PUBLISH_WINDOW = 1000;

    enum Encoding { JSON, SPARKPLUG }

    enum Fault {
        PROVINCE_DOWN("(a) province broker stopped (SIGTERM) for %d s while readings flow, then started again",
                "(a) province node closed (in-process, gracefully) for %d s while readings flow, then started again"),
        MIDDLE_STOPPED("(b) middle broker stopped gracefully (SIGTERM) while holding a backlog, then started again",
                "(b) city relay (a process of its own) stopped gracefully (SIGTERM) while holding a backlog, then "
                        + "started again"),
        MIDDLE_KILLED("(c) middle broker killed (SIGKILL) while holding a backlog, then started again",
                "(c) city relay (a process of its own) killed (SIGKILL) while holding a backlog, then started again");

        private final String mqtt;
        private final String hazwatch;

        Fault(String mqtt, String hazwatch) {
            this.mqtt = mqtt;
            this.hazwatch = hazwatch;
        }

        String mqtt(long outageSeconds) {
            return String.format(mqtt, outageSeconds);
        }

        String hazwatch(long outageSeconds) {
            return String.format(hazwatch, outageSeconds);
        }
    }

    record Throughput(String label, long readings, long messages, long received, long duplicates, long missing,
                      double seconds, long[] latency, long edgeMiddleUp, long edgeMiddleDown, long middleProvinceUp,
                      long middleProvinceDown, long computedPublishBytes, long bridgeConnections) {
        double rate() {
            return received / seconds;
        }
    }

    record FaultResult(Fault fault, String description, long readings, long receivedBeforeFault, long received,
                       long missing, long duplicates, long unknown, long settledAfterMillis) {
    }

    private final String mosquitto;
    private final java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
    private final Path work;
    private final Settle settle;

    MqttBench(String mosquitto, Path work, Settle settle) {
        this.mosquitto = mosquitto;
        this.work = work;
        this.settle = settle;
    }

    // ------------------------------------------------------------------ throughput

    Throughput throughput(String label, SimReadings r, Encoding enc, boolean tuned) throws Exception {
        String prefix = enc == Encoding.JSON ? MqttEncodings.JSON_PREFIX : "spBv1.0";
        Path dir = work.resolve("mqtt-" + label.replaceAll("[^A-Za-z0-9]+", "-").toLowerCase()
                + "-" + runs.incrementAndGet());
        try (MosquittoChain chain = MosquittoChain.start(dir, mosquitto, prefix, tuned, "");
             Subscriber sub = new Subscriber(chain.url(chain.provincePort), r, enc, prefix)) {
            List<Publisher> pubs = publishers(chain, r);
            try {
                probe(pubs.get(0), sub, prefix);
                chain.edgeToMiddle.resetCounters();
                chain.middleToProvince.resetCounters();
                AtomicLong messages = new AtomicLong();
                AtomicLong computed = new AtomicLong();
                long t0 = System.nanoTime();
                publishAll(pubs, r, enc, 0, messages, computed, sub.log);
                sub.log.awaitSettled(2_000, settle.quietMillis(), settle.maxMillis());
                double seconds = (sub.log.lastNewNanos() - t0) / 1e9;
                return new Throughput(label, r.total(), messages.get(), sub.log.distinct(), sub.log.duplicates(),
                        sub.log.missing(), seconds, sub.log.latencyPercentiles(), chain.edgeToMiddle.upBytes(),
                        chain.edgeToMiddle.downBytes(), chain.middleToProvince.upBytes(),
                        chain.middleToProvince.downBytes(), computed.get(),
                        chain.edgeToMiddle.connections() + chain.middleToProvince.connections());
            } finally {
                pubs.forEach(Publisher::close);
            }
        }
    }

    // ------------------------------------------------------------------ faults

    /**
     * One fault on a fresh chain. {@code extraConfig} is added to every broker's configuration and
     * {@code variant} names it in the report (both empty for the baseline as BASELINES.md sets it up).
     */
    FaultResult fault(SimReadings r, Fault fault, long outageSeconds, double paceSeconds, String extraConfig,
                      String variant) throws Exception {
        String prefix = MqttEncodings.JSON_PREFIX;
        Path dir = work.resolve("mqtt-fault-" + fault.name().toLowerCase() + (variant.isEmpty() ? "" : "-variant"));
        try (MosquittoChain chain = MosquittoChain.start(dir, mosquitto, prefix, true, extraConfig);
             Subscriber sub = new Subscriber(chain.url(chain.provincePort), r, Encoding.JSON, prefix)) {
            List<Publisher> pubs = publishers(chain, r);
            try {
                probe(pubs.get(0), sub, prefix);
                long before;
                if (fault == Fault.PROVINCE_DOWN) {
                    double rate = r.total() / paceSeconds;
                    ExecutorService bg = Executors.newSingleThreadExecutor();
                    Future<?> publishing = bg.submit(() -> {
                        publishAllPaced(pubs, r, rate, sub.log);
                        return null;
                    });
                    Thread.sleep((long) (paceSeconds * 1000 * 0.3));
                    before = sub.log.distinct();
                    chain.province.stop(10);
                    Thread.sleep(outageSeconds * 1000);
                    chain.startBroker(chain.province, chain.provincePort);
                    publishing.get();
                    bg.shutdown();
                } else {
                    chain.middleToProvince.hold(true); // the middle->province link stalls: the middle holds a backlog
                    publishAll(pubs, r, Encoding.JSON, 0, new AtomicLong(), new AtomicLong(), sub.log);
                    awaitStable(chain.edgeToMiddle, 1_500, 60_000); // the edge broker has passed everything on
                    before = sub.log.distinct();
                    if (fault == Fault.MIDDLE_STOPPED) {
                        chain.middle.stop(10);
                    } else {
                        chain.middle.kill();
                    }
                    chain.middleToProvince.dropConnections();
                    chain.middleToProvince.hold(false);
                    Thread.sleep(1_000);
                    chain.startBroker(chain.middle, chain.middlePort);
                }
                long waited = sub.log.awaitSettled(settle.quietMillis(), settle.quietMillis(), settle.maxMillis());
                String description = fault.mqtt(outageSeconds) + (variant.isEmpty() ? "" : "; " + variant);
                return new FaultResult(fault, description, r.total(), before, sub.log.distinct(), sub.log.missing(),
                        sub.log.duplicates(), sub.log.unknown(), waited);
            } finally {
                pubs.forEach(Publisher::close);
            }
        }
    }

    /** Waits until the proxy's upstream byte count has not moved for {@code quietMillis}. */
    static void awaitStable(CountingProxy p, long quietMillis, long maxMillis) throws InterruptedException {
        long start = System.currentTimeMillis();
        long last = -1;
        long since = start;
        while (System.currentTimeMillis() - start < maxMillis) {
            long now = p.upBytes();
            if (now != last) {
                last = now;
                since = System.currentTimeMillis();
            } else if (System.currentTimeMillis() - since >= quietMillis) {
                return;
            }
            Thread.sleep(50);
        }
    }

    // ------------------------------------------------------------------ publishing

    private List<Publisher> publishers(MosquittoChain chain, SimReadings r) throws MqttException {
        List<Publisher> pubs = new ArrayList<>();
        for (int e = 0; e < r.edges(); e++) {
            pubs.add(new Publisher(chain.url(chain.edgePort), "edge-" + r.site(e)));
        }
        return pubs;
    }

    private static void probe(Publisher p, Subscriber sub, String prefix) throws Exception {
        // proves both bridges are up before anything is timed
        long deadline = System.currentTimeMillis() + 60_000;
        while (!sub.probed) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the probe message did not cross the bridge chain within 60 s");
            }
            p.publish(prefix + "/probe", new byte[] {1});
            Thread.sleep(200);
        }
    }

    /** Every edge publishes its readings as fast as its window of unacknowledged messages allows. */
    private static void publishAll(List<Publisher> pubs, SimReadings r, Encoding enc, int fromCycle,
                                   AtomicLong messages, AtomicLong computed, ReceiptLog log) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(pubs.size());
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int e = 0; e < pubs.size(); e++) {
                int edge = e;
                Publisher pub = pubs.get(e);
                done.add(pool.submit(() -> {
                    if (enc == Encoding.SPARKPLUG) {
                        String birthTopic = MqttEncodings.sparkplugTopic(r, edge, "NBIRTH");
                        pub.publish(birthTopic, MqttEncodings.sparkplugBirth(r, edge, r.timestamp(0)));
                    }
                    String dataTopic = MqttEncodings.sparkplugTopic(r, edge, "NDATA");
                    for (int c = fromCycle; c < r.cycles(); c++) {
                        long now = System.currentTimeMillis();
                        if (enc == Encoding.JSON) {
                            for (int p = 0; p < r.pointsPerEdge(); p++) {
                                int id = r.id(edge, c, p);
                                byte[] payload = MqttEncodings.json(r, edge, c, p, id);
                                String topic = MqttEncodings.jsonTopic(r, edge, p);
                                log.sent(id, System.currentTimeMillis());
                                pub.publish(topic, payload);
                                messages.incrementAndGet();
                                computed.addAndGet(MqttEncodings.publishPacketBytes(topic, payload.length));
                            }
                        } else {
                            byte[] payload = MqttEncodings.sparkplugData(r, edge, new int[] {c}, null, c + 1);
                            for (int p = 0; p < r.pointsPerEdge(); p++) {
                                log.sent(r.id(edge, c, p), now);
                            }
                            pub.publish(dataTopic, payload);
                            messages.incrementAndGet();
                            computed.addAndGet(MqttEncodings.publishPacketBytes(dataTopic, payload.length));
                        }
                    }
                    pub.awaitAcknowledged();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Publishes every edge's JSON readings round-robin at {@code rate} readings per second in all. */
    private static void publishAllPaced(List<Publisher> pubs, SimReadings r, double rate, ReceiptLog log)
            throws Exception {
        long start = System.nanoTime();
        long n = 0;
        for (int c = 0; c < r.cycles(); c++) {
            for (int e = 0; e < r.edges(); e++) {
                for (int p = 0; p < r.pointsPerEdge(); p++) {
                    long due = start + (long) (n / rate * 1e9);
                    long wait = due - System.nanoTime();
                    if (wait > 1_000_000) {
                        Thread.sleep(wait / 1_000_000);
                    }
                    int id = r.id(e, c, p);
                    log.sent(id, System.currentTimeMillis());
                    pubs.get(e).publish(MqttEncodings.jsonTopic(r, e, p), MqttEncodings.json(r, e, c, p, id));
                    n++;
                }
            }
        }
        for (Publisher p : pubs) {
            p.awaitAcknowledged();
        }
    }

    /** A Paho client publishing at QoS 1 with a window of unacknowledged messages. */
    static final class Publisher implements AutoCloseable {
        private final MqttAsyncClient client;
        private final Semaphore window = new Semaphore(PUBLISH_WINDOW);
        private final AtomicLong failures = new AtomicLong();
        private final IMqttActionListener release = new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
                window.release();
            }

            @Override
            public void onFailure(IMqttToken token, Throwable exception) {
                failures.incrementAndGet();
                window.release();
            }
        };

        Publisher(String url, String clientId) throws MqttException {
            client = new MqttAsyncClient(url, clientId, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            o.setMaxInflight(PUBLISH_WINDOW);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(2_000);
            o.setKeepAliveInterval(30);
            client.connect(o).waitForCompletion(10_000);
        }

        void publish(String topic, byte[] payload) throws InterruptedException {
            window.acquire();
            MqttMessage m = new MqttMessage(payload);
            m.setQos(1);
            while (true) {
                try {
                    client.publish(topic, m, null, release);
                    return;
                } catch (MqttException e) {
                    Thread.sleep(10); // momentarily full or reconnecting: try again
                }
            }
        }

        void awaitAcknowledged() throws InterruptedException {
            if (!window.tryAcquire(PUBLISH_WINDOW, 120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("publishes not acknowledged by the edge broker within 120 s");
            }
            window.release(PUBLISH_WINDOW);
        }

        @Override
        public void close() {
            try {
                client.disconnect().waitForCompletion(5_000);
            } catch (MqttException ignored) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
    }

    /** The province's subscriber: a persistent session (cleanSession false, fixed client id), QoS 1. */
    static final class Subscriber implements AutoCloseable, MqttCallbackExtended {
        final ReceiptLog log;
        volatile boolean probed;
        private final SimReadings r;
        private final Encoding enc;
        private final String prefix;
        private final MqttAsyncClient client;

        Subscriber(String url, SimReadings r, Encoding enc, String prefix) throws MqttException {
            this.r = r;
            this.enc = enc;
            this.prefix = prefix;
            this.log = new ReceiptLog((int) r.total());
            client = new MqttAsyncClient(url, "province-subscriber", new MemoryPersistence());
            client.setCallback(this);
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(false);
            o.setAutomaticReconnect(true);
            o.setMaxReconnectDelay(2_000);
            o.setKeepAliveInterval(30);
            o.setMaxInflight(PUBLISH_WINDOW);
            client.connect(o).waitForCompletion(10_000);
            client.subscribe(prefix + "/#", 1).waitForCompletion(10_000);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            if (topic.endsWith("/probe")) {
                probed = true;
                return;
            }
            byte[] b = message.getPayload();
            if (enc == Encoding.JSON) {
                log.received(jsonId(b));
            } else if (topic.contains("/NDATA/")) {
                int e = Integer.parseInt(topic.substring(topic.lastIndexOf('/') + 2)) - 1;
                try {
                    for (SparkplugBProto.Payload.Metric m : SparkplugBProto.Payload.parseFrom(b).getMetricsList()) {
                        int cycle = (int) ((m.getTimestamp() - r.timestamp(0)) / 1000);
                        log.received(r.id(e, cycle, (int) m.getAlias()));
                    }
                } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
                    log.received(-1);
                }
            }
        }

        /** The id of {@code {"id":123,...}}; -1 when there is none. */
        static int jsonId(byte[] b) {
            String head = new String(b, 0, Math.min(b.length, 24), StandardCharsets.US_ASCII);
            if (!head.startsWith("{\"id\":")) {
                return -1;
            }
            int v = 0;
            for (int i = 6; i < head.length() && Character.isDigit(head.charAt(i)); i++) {
                v = v * 10 + (head.charAt(i) - '0');
            }
            return v;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            // the session is persistent: the subscription survives reconnects at the broker
        }

        @Override
        public void connectionLost(Throwable cause) {
            // automatic reconnect
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // publishes nothing
        }

        @Override
        public void close() {
            try {
                client.disconnect().waitForCompletion(5_000);
            } catch (MqttException ignored) {
                // closing anyway
            }
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // closing anyway
            }
        }
    }
}
