package io.hazwatch.dist.baseline;

import io.hazwatch.sync.wire.Compression;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.WireWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes per reading of the same simulator readings in each encoding, in steady state: the first batch
 * of a connection (which defines point names in ours, and follows the NBIRTH in Sparkplug) is counted
 * apart and left out of the per-reading figures.
 *
 * <p>Counted: payload bytes, and "wire" bytes with each protocol's own framing: for MQTT the PUBLISH
 * packet at QoS 1 (fixed header, topic, packet id; {@link MqttEncodings#publishPacketBytes}), for ours
 * the 4-byte frame length prefix. Not counted anywhere: TCP/IP headers, acknowledgements (PUBACK, ACK).
 */
final class EncodingComparison {

    /** One case of the comparison: a point set, polled every second, sent in batches of {@code batchCycles} polls. */
    record Case(String title, SimReadings.PointSet set, int batchCycles, int batches, Double target) {
    }

    /** Totals of one encoding over the steady-state window. */
    record Row(String encoding, long readings, long messages, long payloadBytes, long wireBytes) {
        double payloadPerReading() {
            return (double) payloadBytes / readings;
        }

        double wirePerReading() {
            return (double) wireBytes / readings;
        }
    }

    record Result(Case c, int edges, int tanks, long readings, List<Row> rows, long firstBatchBytes,
                  long firstBatchReadings, String target) {
    }

    static List<Case> defaultCases() {
        return List.of(
                new Case("slowly changing instruments, 60-second batches", SimReadings.PointSet.SLOW, 60, 11, 1.0),
                new Case("noisy float32, 60-second batches", SimReadings.PointSet.NOISY, 60, 11, 3.0),
                new Case("1-second live mode (one poll cycle per batch)", SimReadings.PointSet.LIVE, 1, 121, 5.0));
    }

    static Result run(Case c, SimReadings r) {
        int edges = r.edges();
        int per = r.pointsPerEdge();
        int steadyFrom = c.batchCycles(); // the first batch is the connection's first
        int cycles = c.batchCycles() * c.batches();
        if (r.cycles() < cycles) {
            throw new IllegalArgumentException("need " + cycles + " cycles, have " + r.cycles());
        }
        long steadyReadings = (long) edges * (cycles - steadyFrom) * per;
        List<Row> rows = new ArrayList<>();

        // JSON, one message per reading
        long jp = 0;
        long jw = 0;
        for (int e = 0; e < edges; e++) {
            for (int cy = steadyFrom; cy < cycles; cy++) {
                for (int p = 0; p < per; p++) {
                    int n = MqttEncodings.json(r, e, cy, p, -1).length;
                    jp += n;
                    jw += MqttEncodings.publishPacketBytes(MqttEncodings.jsonTopic(r, e, p), n);
                }
            }
        }
        rows.add(new Row("JSON, one MQTT message per reading", steadyReadings, steadyReadings, jp, jw));

        // Sparkplug B: one NDATA per poll cycle, all metrics
        rows.add(sparkplug("Sparkplug B (Tahu), one NDATA per poll cycle, aliases", r, steadyFrom, cycles, 1, false,
                steadyReadings));
        // Sparkplug B: report by exception (only metrics whose value changed since the previous poll)
        rows.add(sparkplug("Sparkplug B, report by exception (changed metrics only)", r, steadyFrom, cycles, 1, true,
                steadyReadings));
        if (c.batchCycles() > 1) {
            rows.add(sparkplug("Sparkplug B, one NDATA per " + c.batchCycles() + " s batch, aliases", r, steadyFrom,
                    cycles, c.batchCycles(), false, steadyReadings));
        }

        // ours: a compact batch per edge per batch period, one sender codec per edge connection
        long firstBytes = 0;
        long firstReadings = 0;
        for (Compression comp : Compression.values()) {
            long payload = 0;
            long messages = 0;
            for (int e = 0; e < edges; e++) {
                LinkCodec codec = new LinkCodec();
                codec.negotiated(2, comp);
                WireWriter w = new WireWriter(1 << 16);
                for (int b = 0; b < c.batches(); b++) {
                    w.reset();
                    codec.encode(new Frame.Batch(b + 1, r.records(e, b * c.batchCycles(), (b + 1) * c.batchCycles())), w);
                    if (b == 0) {
                        if (comp == Compression.ZSTD) {
                            firstBytes += w.size() + 4;
                            firstReadings += (long) c.batchCycles() * per;
                        }
                    } else {
                        payload += w.size();
                        messages++;
                    }
                }
            }
            rows.add(new Row("HazWatch compact batch, protocol 2, " + comp.name().toLowerCase(), steadyReadings,
                    messages, payload, payload + 4 * messages));
        }
        String target = c.target() == null ? "" : String.format("at most %.0f", c.target());
        return new Result(c, edges, r.tanks(), steadyReadings, rows, firstBytes, firstReadings, target);
    }

    private static Row sparkplug(String name, SimReadings r, int steadyFrom, int cycles, int cyclesPerMessage,
                                 boolean byException, long steadyReadings) {
        int per = r.pointsPerEdge();
        long payload = 0;
        long wire = 0;
        long messages = 0;
        for (int e = 0; e < r.edges(); e++) {
            String topic = MqttEncodings.sparkplugTopic(r, e, "NDATA");
            long seq = 1;
            for (int cy = steadyFrom; cy < cycles; cy += cyclesPerMessage) {
                int n = Math.min(cyclesPerMessage, cycles - cy);
                int[] cs = new int[n];
                boolean[][] include = byException ? new boolean[n][per] : null;
                boolean any = !byException;
                for (int i = 0; i < n; i++) {
                    cs[i] = cy + i;
                    if (byException) {
                        for (int p = 0; p < per; p++) {
                            include[i][p] = r.value(e, cy + i, p) != r.value(e, cy + i - 1, p);
                            any |= include[i][p];
                        }
                    }
                }
                if (!any) {
                    continue; // nothing changed: no message
                }
                byte[] b = MqttEncodings.sparkplugData(r, e, cs, include, seq++);
                payload += b.length;
                wire += MqttEncodings.publishPacketBytes(topic, b.length);
                messages++;
            }
        }
        return new Row(name, steadyReadings, messages, payload, wire);
    }

    /** The Markdown table of one case. */
    static String markdown(Result res) {
        StringBuilder b = new StringBuilder();
        Case c = res.c();
        b.append(String.format("#### %s%n%n", c.title()));
        b.append(String.format("Points: %s per tank (%s), %d tanks per edge, %d edges; %,d readings in the steady-state "
                        + "window (%d batches of %d poll cycles per edge after the first).%n%n",
                c.set().names.length, String.join(", ", c.set().names), res.tanks(), res.edges(), res.readings(),
                c.batches() - 1, c.batchCycles()));
        b.append("| encoding | messages | payload bytes / reading | on the wire, with framing, bytes / reading |\n");
        b.append("|---|---:|---:|---:|\n");
        for (Row row : res.rows()) {
            boolean ours = row.encoding().startsWith("HazWatch");
            b.append(String.format("| %s | %,d | %.2f | %s%.2f%s |%n", row.encoding(), row.messages(),
                    row.payloadPerReading(), ours ? "**" : "", row.wirePerReading(), ours ? "**" : ""));
        }
        b.append(String.format("%nTarget for ours: %s byte(s) per reading. The connection's first batch (zstd), which "
                        + "also defines the point names, costs %.2f bytes per reading (%,d bytes for %,d readings).%n",
                res.target(), (double) res.firstBatchBytes() / res.firstBatchReadings(), res.firstBatchBytes(),
                res.firstBatchReadings()));
        return b.toString();
    }
}
