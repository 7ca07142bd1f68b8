package io.hazwatch.dist.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Markdown report of {@code hazwatch bench-baseline}. */
final class Report {
    private final StringBuilder b = new StringBuilder();

    void header(String command, String mosquitto, int edges, int tanks) {
        b.append("### Baselines side by side, ").append(Instant.now().toString(), 0, 10).append("\n\n");
        b.append("Machine: ").append(machine()).append("; load average at start ")
                .append(loadAverage()).append("  \n");
        b.append("Broker: ").append(mosquitto).append("; MQTT clients: Eclipse Paho mqttv3 1.2.5; Sparkplug: Eclipse Tahu "
                + "tahu-core 1.0.12\n\n");
        b.append("Command: `").append(command).append("`\n\n");
        b.append(String.format("Readings: %d edge agents, each a seeded tank-farm simulator with %d tanks, polled once "
                + "per simulated second; every system below gets the same readings (values as the edge's Modbus "
                + "driver decodes them, 1-second timestamps).%n%n", edges, tanks));
    }

    void throughput(SimReadings r, Map<String, List<MqttBench.Throughput>> mqttRuns,
                    Map<String, List<HazwatchBench.Throughput>> ourRuns, int cyclesPerAppend) {
        if (mqttRuns.isEmpty() && ourRuns.isEmpty()) {
            return;
        }
        b.append(String.format("#### Throughput and bytes on the wire: %,d readings (%d poll cycles x %d edges x %d "
                + "points)%n%n", r.total(), r.cycles(), r.edges(), r.pointsPerEdge()));
        b.append("MQTT: publishers (one Paho client per edge, QoS 1, up to 1,000 unacknowledged) -> edge broker => "
                + "middle broker => province broker -> subscriber (Paho, QoS 1, persistent session); `=>` is a bridge. "
                + "HazWatch: edge journals (" + cyclesPerAppend + " poll cycle(s) per append) => county => city => "
                + "province store, fsync per commit group at every hop. Each `=>` hop runs through a counting TCP "
                + "proxy: bytes are counted on the wire (MQTT or sync-protocol bytes; TCP/IP headers not included), "
                + "upstream (readings) and downstream (acknowledgements) apart. Readings per second: from the first "
                + "publish / append to the last reading received by the subscriber / committed at the province. "
                + "Latency: publish / append to receipt / province commit (queueing included: producers run flat out). "
                + "After an unreported warm-up pass over every configuration (`--warmup`), each configuration ran as "
                + "often as the last column shows, the runs interleaved; the row is the median run by rate.\n\n");
        b.append("| system | received of sent | missing | duplicated | wall time | **readings / s** "
                + "| latency p50 / p99 / max | bytes / reading upstream, per `=>` hop | bytes / reading downstream, per hop "
                + "| readings / s, every run |\n");
        b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (List<MqttBench.Throughput> runs : mqttRuns.values()) {
            MqttBench.Throughput t = median(runs, MqttBench.Throughput::rate);
            b.append(String.format("| %s | %,d / %,d | %,d | %,d | %.2f s | **%,.0f** | %d / %d / %d ms | %.1f / %.1f "
                            + "| %.1f / %.1f | %s |%n",
                    t.label(), t.received(), t.readings(), t.missing(), t.duplicates(), t.seconds(), t.rate(),
                    t.latency()[0], t.latency()[1], t.latency()[2], per(t.edgeMiddleUp(), t.readings()),
                    per(t.middleProvinceUp(), t.readings()), per(t.edgeMiddleDown(), t.readings()),
                    per(t.middleProvinceDown(), t.readings()), rates(runs, MqttBench.Throughput::rate)));
        }
        for (List<HazwatchBench.Throughput> runs : ourRuns.values()) {
            HazwatchBench.Throughput t = median(runs, HazwatchBench.Throughput::rate);
            b.append(String.format("| %s | %,d / %,d | %,d | %,d | %.2f s | **%,.0f** | %d / %d / %d ms "
                            + "| %.1f / %.1f / %.1f | %.1f / %.1f / %.1f | %s |%n",
                    t.label(), t.distinct(), t.readings(), t.readings() - t.distinct(), t.stored() - t.distinct(),
                    t.seconds(), t.rate(), t.latency()[0], t.latency()[1], t.latency()[2],
                    per(t.edgeCountyUp(), t.readings()), per(t.countyCityUp(), t.readings()),
                    per(t.cityProvinceUp(), t.readings()), per(t.edgeCountyDown(), t.readings()),
                    per(t.countyCityDown(), t.readings()), per(t.cityProvinceDown(), t.readings()),
                    rates(runs, HazwatchBench.Throughput::rate)));
        }
        b.append('\n');
        for (List<MqttBench.Throughput> runs : mqttRuns.values()) {
            MqttBench.Throughput t = median(runs, MqttBench.Throughput::rate);
            b.append(String.format("- %s: %,d PUBLISH messages; computed PUBLISH bytes (fixed header, topic, packet id, "
                            + "payload) %.1f per reading per hop, against %.1f counted on the first bridge; "
                            + "bridge connections made: %d.%n",
                    t.label(), t.messages(), per(t.computedPublishBytes(), t.readings()),
                    per(t.edgeMiddleUp(), t.readings()), t.bridgeConnections()));
        }
        for (List<HazwatchBench.Throughput> runs : ourRuns.values()) {
            HazwatchBench.Throughput t = median(runs, HazwatchBench.Throughput::rate);
            b.append(String.format("- %s: the province's own count of bytes in from the city, %.1f per reading.%n",
                    t.label(), per(t.provinceBytesInFromCity(), t.readings())));
        }
        b.append('\n');
    }

    private static <T> T median(List<T> runs, java.util.function.ToDoubleFunction<T> rate) {
        List<T> sorted = new java.util.ArrayList<>(runs);
        sorted.sort(java.util.Comparator.comparingDouble(rate));
        return sorted.get(sorted.size() / 2);
    }

    private static <T> String rates(List<T> runs, java.util.function.ToDoubleFunction<T> rate) {
        return String.join(", ", runs.stream().map(t -> String.format("%,.0f", rate.applyAsDouble(t))).toList());
    }

    void faults(SimReadings r, List<MqttBench.FaultResult> mqtt, List<HazwatchBench.FaultResult> ours, Settle s) {
        b.append(String.format("#### Faults: %,d readings each (JSON, one message per reading, for MQTT)%n%n",
                r.total()));
        b.append(String.format("Each scenario starts from empty brokers / nodes. (a) readings are published at an even "
                + "pace over the scenario and the province goes down 30%% of the way in. (b), (c): the middle -> "
                + "province hop is held at the proxy (the middle keeps its connection but cannot send), every reading is "
                + "published, the edge side drains into the middle (until nothing moved on the edge -> middle hop for "
                + "1.5 s), then the middle is stopped or killed, its held connection cut, and it is started again a "
                + "second later. Counts are read at the province (subscriber / store) once nothing changed for %d s "
                + "(HazWatch: or once everything is stored and nothing is pending below the city), at most %d s. "
                + "MQTT counts each reading by the unique id it carries; HazWatch counts rows, "
                + "`COUNT(DISTINCT origin, lane, seq)` and the readings generated.%n%n",
                s.quietMillis() / 1000, s.maxMillis() / 1000));
        b.append("| scenario | system | readings | at province before the fault | **missing** | **duplicated** "
                + "| settled after |\n|---|---|---:|---:|---:|---:|---:|\n");
        int n = Math.max(mqtt.size(), ours.size());
        for (MqttBench.Fault f : MqttBench.Fault.values()) {
            for (MqttBench.FaultResult m : mqtt) {
                if (m.fault() == f) {
                    b.append(String.format("| %s | mosquitto chain | %,d | %,d | **%,d** | **%,d** | %.0f s |%n",
                            m.description(), m.readings(), m.receivedBeforeFault(), m.missing(), m.duplicates(),
                            m.settledAfterMillis() / 1000.0));
                }
            }
            for (HazwatchBench.FaultResult h : ours) {
                if (h.fault() == f) {
                    b.append(String.format("| %s | HazWatch | %,d | %,d | **%,d** | **%,d** | %.0f s |%n",
                            h.description(), h.readings(), h.storedBeforeFault(), h.missing(), h.duplicates(),
                            h.settledAfterMillis() / 1000.0));
                }
            }
        }
        if (n > 0) {
            b.append('\n');
        }
        for (HazwatchBench.FaultResult h : ours) {
            if (h.fault() != MqttBench.Fault.PROVINCE_DOWN) {
                b.append(String.format("- HazWatch %s: at the fault %,d readings were still below the city "
                        + "(edge and county journals), the rest of the %,d in the city's custody; "
                        + "province rows %,d, distinct %,d.%n", h.fault().name().toLowerCase().replace('_', ' '),
                        h.heldOutsideCityAtFault(), h.readings() - h.storedBeforeFault(), h.rows(), h.distinct()));
            }
        }
        for (MqttBench.FaultResult m : mqtt) {
            if (m.unknown() > 0) {
                b.append(String.format("- MQTT %s: %,d messages without a known id.%n", m.fault(), m.unknown()));
            }
        }
        b.append('\n');
    }

    void encodings(List<EncodingComparison.Result> results) {
        b.append("#### Bytes per reading by encoding (same simulator readings, steady state)\n\n");
        b.append("Payload: the message body. On the wire: with the protocol's framing (MQTT 3.1.1 PUBLISH at QoS 1: "
                + "fixed header, topic, packet id; ours: the 4-byte frame length). TCP/IP headers and "
                + "acknowledgements are not counted. JSON: `{\"ts\":...,\"v\":...,\"q\":0}`, the point in the topic "
                + "(`hz/E0001/tank-farm/tank1.level`), float32 values printed as floats. Sparkplug B: Tahu's "
                + "`SparkplugBPayloadEncoder`, NDATA with aliases only (names and types in the NBIRTH, not counted), "
                + "data types stripped, a timestamp per metric, topic `spBv1.0/hz/NDATA/E0001`. Ours: "
                + "`LinkCodec` v2, one fresh sender codec per edge connection, one batch per edge per batch "
                + "period; the first batch of each connection (which defines the names) is left out. These readings "
                + "start at a fixed simulated time (" + BaselineCommand.ENCODING_START + "), so every run gives the "
                + "same bytes.\n\n");
        for (EncodingComparison.Result r : results) {
            b.append(EncodingComparison.markdown(r)).append('\n');
        }
    }

    /** The run's end: wall time and load average (the machine may be shared). */
    void footer(long startMillis) {
        b.append(String.format("Run took %.1f min; load average at the end %s.%n", (System.currentTimeMillis() - startMillis)
                / 60_000.0, loadAverage()));
    }

    static String loadAverage() {
        return read("/proc/loadavg").map(l -> String.join(" ", java.util.Arrays.copyOf(l.trim().split(" "), 3)))
                .orElse("unknown");
    }

    private static double per(long bytes, long readings) {
        return readings == 0 ? 0 : (double) bytes / readings;
    }

    static String machine() {
        String cpu = read("/proc/cpuinfo").flatMap(t -> t.lines().filter(l -> l.startsWith("model name")).findFirst())
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(System.getProperty("os.arch"));
        long memGiB = read("/proc/meminfo").flatMap(t -> t.lines().filter(l -> l.startsWith("MemTotal")).findFirst())
                .map(l -> Math.round(Long.parseLong(l.replaceAll("\\D", "")) / 1024.0 / 1024.0)).orElse(0L);
        return cpu + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + memGiB + " GiB RAM, "
                + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", Java "
                + System.getProperty("java.version");
    }

    private static Optional<String> read(String file) {
        try {
            return Optional.of(Files.readString(Path.of(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return b.toString();
    }
}
