package io.hazwatch.node;

import io.hazwatch.node.config.ChildSpec;
import io.hazwatch.node.config.NodeConfig;
import io.hazwatch.node.config.NodeRole;
import io.hazwatch.node.config.ParentLink;
import io.hazwatch.node.http.HttpApi;
import io.hazwatch.sync.journal.CustodyStore;
import io.hazwatch.sync.journal.Journal;
import io.hazwatch.sync.link.ChildRegistry;
import io.hazwatch.sync.link.LinkTransport;
import io.hazwatch.sync.link.ParentAddress;
import io.hazwatch.sync.link.SyncServer;
import io.hazwatch.sync.link.Uplink;
import io.hazwatch.sync.link.UplinkOptions;
import io.hazwatch.sync.model.Payload;
import io.hazwatch.sync.model.QualityCode;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.RecordSink;
import io.hazwatch.sync.rollup.RollupProducer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime every node shares, whatever its role: a custody journal, the server that takes records
 * from registered children, the uplink that forwards them to the first parent that answers, and an
 * HTTP face with health and status. The role decides only which of these are present:
 * <ul>
 *   <li>edge: journal (it is the origin of its records) and uplink;</li>
 *   <li>county, city: journal, server and uplink (a relay);</li>
 *   <li>province: server over the province's own {@link CustodyStore}, no uplink.</li>
 * </ul>
 */
public final class NodeRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRuntime.class);

    private final NodeConfig config;
    private final Clock clock;
    private final long startedAt;
    private final LinkTransport transport;
    private final Journal journal;
    private final SyncServer server;
    private final Uplink uplink;
    private final HttpApi http;
    private final InetSocketAddress listenAddress;
    private final Duration maxClockSkew;
    /** An edge's rollups of its own readings (docs/journal.md, "Rollups"); null on other nodes. */
    private final RollupProducer rollups;

    private NodeRuntime(Builder b) throws IOException {
        this.config = b.config;
        this.clock = b.clock;
        this.startedAt = clock.millis();
        this.maxClockSkew = b.maxClockSkew;
        Files.createDirectories(config.dataDir());
        this.transport = LinkTransport.create(b.ioThreads);
        boolean ok = false;
        Journal j = null;
        SyncServer s = null;
        Uplink u = null;
        HttpApi h = null;
        InetSocketAddress bound = null;
        try {
            if (b.store == null) {
                j = Journal.open(config.dataDir().resolve("journal.mv.db"), config.id(),
                        b.journalQuotaBytes >= 0 ? b.journalQuotaBytes : config.journalQuotaBytes());
            }
            CustodyStore store = b.store != null ? b.store : j;
            if (config.listen().isPresent()) {
                s = new SyncServer(config.id(), registry(config), store, transport, clock, b.idleTimeout,
                        b.receiveBuffer);
                bound = s.bind(config.listen().get().host(), config.listen().get().port());
            }
            if (!config.parents().isEmpty()) {
                if (j == null) {
                    throw new IllegalStateException("a node with parents forwards from its journal");
                }
                List<ParentAddress> parents = config.parents().stream()
                        .map((ParentLink p) -> new ParentAddress(p.id(), p.endpoint().host(), p.endpoint().port(),
                                p.profile(), p.chosen()))
                        .toList();
                u = new Uplink(config.id(), parents, j, b.uplinkOptions, transport, clock);
            }
            if (config.http().isPresent()) {
                h = new HttpApi(config.http().get().host(), config.http().get().port());
            }
            ok = true;
        } finally {
            if (!ok) {
                if (s != null) {
                    s.close();
                }
                if (j != null) {
                    j.close();
                }
                transport.close();
            }
        }
        this.journal = j;
        this.server = s;
        this.uplink = u;
        this.http = h;
        this.listenAddress = bound;
        this.rollups = j != null && config.role() == NodeRole.EDGE && b.rollups
                ? new RollupProducer(j.localSink(), clock, ROLLUP_GRACE) : null;
        if (http != null) {
            http.route("/health", q -> Map.of("status", "up", "id", config.id()));
            http.route("/status", q -> status());
        }
    }

    public static Builder builder(NodeConfig config) {
        return new Builder(config);
    }

    /** Starts a node with the defaults: journal-backed, default uplink tuning. */
    public static NodeRuntime start(NodeConfig config, Clock clock) throws IOException {
        return builder(config).clock(clock).start();
    }

    /** How long after a minute's end an edge waits for its stragglers before rolling up a silent point. */
    static final Duration ROLLUP_GRACE = Duration.ofSeconds(5);

    private void begin() {
        if (rollups != null) {
            rollups.start(Duration.ofSeconds(1));
        }
        if (uplink != null) {
            uplink.start();
        }
        if (http != null) {
            http.start();
        }
        log.info("{} node {} started{}{}", config.role().name().toLowerCase(), config.id(),
                listenAddress != null ? ", children on " + listenAddress : "",
                config.parents().isEmpty() ? "" : ", parents " + config.parents());
    }

    private static ChildRegistry registry(NodeConfig config) {
        Map<String, Predicate<String>> byId = new LinkedHashMap<>();
        for (ChildSpec c : config.children()) {
            byId.put(c.id(), c::mayCarry);
        }
        return id -> Optional.ofNullable(byId.get(id));
    }

    public NodeConfig config() {
        return config;
    }

    /** Where children connect; empty on an edge. */
    public Optional<InetSocketAddress> listenAddress() {
        return Optional.ofNullable(listenAddress);
    }

    public Optional<Integer> httpPort() {
        return Optional.ofNullable(http).map(HttpApi::port);
    }

    /** Add JSON routes (the province adds its query API). */
    public Optional<HttpApi> http() {
        return Optional.ofNullable(http);
    }

    /** Records made at this node (an edge's readings and alarms). */
    public RecordSink localSink() {
        if (journal == null) {
            throw new IllegalStateException("node " + config.id() + " keeps no journal");
        }
        RecordSink sink = rollups != null ? rollups : journal.localSink();
        if (uplink == null) {
            return sink;
        }
        return (lane, payloads) -> sink.append(lane, clockSuspect() ? flagged(payloads) : payloads);
    }

    /**
     * Whether this node's clock is off its parent's by more than the allowed skew, as last measured.
     * Readings journaled meanwhile carry {@link QualityCode#CLOCK_SUSPECT}, so the province sees which
     * timestamps not to trust.
     */
    public boolean clockSuspect() {
        return uplink != null && uplink.clockMeasured()
                && Math.abs(uplink.clockOffsetMillis()) > maxClockSkew.toMillis();
    }

    private static List<? extends Payload> flagged(List<? extends Payload> payloads) {
        List<Payload> out = new java.util.ArrayList<>(payloads.size());
        for (Payload p : payloads) {
            if (p instanceof Reading r) {
                out.add(new Reading(r.point(), r.timestampMillis(), r.value(), r.quality() | QualityCode.CLOCK_SUSPECT));
            } else {
                out.add(p);
            }
        }
        return out;
    }

    /** An edge's rollup producer: rollups made, readings too late for theirs; empty on other nodes. */
    public Optional<RollupProducer> rollups() {
        return Optional.ofNullable(rollups);
    }

    public Optional<Journal> journal() {
        return Optional.ofNullable(journal);
    }

    public NodeStatus status() {
        return new NodeStatus(config.id(), config.role().name().toLowerCase(), clock.millis() - startedAt,
                journal == null ? 0 : journal.pendingCount(), journal == null ? 0 : journal.commits(),
                journal == null ? 0 : journal.duplicatesDropped(), journal == null ? 0 : journal.evicted(),
                journal == null ? 0 : journal.corrupted(),
                uplink == null ? null : uplink.status(),
                server == null ? Map.of() : server.childStatus());
    }

    @Override
    public void close() {
        if (http != null) {
            http.close();
        }
        if (uplink != null) {
            uplink.close();
        }
        if (rollups != null) {
            rollups.close();
        }
        if (server != null) {
            server.close();
        }
        transport.close();
        if (journal != null) {
            journal.close();
        }
        log.info("node {} stopped", config.id());
    }

    /** Options of a node runtime. */
    public static final class Builder {
        private final NodeConfig config;
        private Clock clock = Clock.systemUTC();
        private CustodyStore store;
        private UplinkOptions uplinkOptions = UplinkOptions.defaults();
        private Duration idleTimeout = Duration.ofSeconds(15);
        private int ioThreads = 2;
        private Duration maxClockSkew = Duration.ofSeconds(30);
        private long journalQuotaBytes = -1; // -1: as the config says
        private io.hazwatch.sync.link.ReceiveBuffer receiveBuffer = io.hazwatch.sync.link.ReceiveBuffer.DEFAULT;
        private boolean rollups = true;

        private Builder(NodeConfig config) {
            this.config = config;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        /** The store children's records go to instead of a journal (the province's). */
        public Builder store(CustodyStore s) {
            if (config.role() != NodeRole.PROVINCE) {
                throw new IllegalArgumentException("only the province replaces its journal with a store");
            }
            this.store = s;
            return this;
        }

        public Builder uplinkOptions(UplinkOptions o) {
            this.uplinkOptions = o;
            return this;
        }

        public Builder idleTimeout(Duration d) {
            this.idleTimeout = d;
            return this;
        }

        /** Disk quota of the node's journal in bytes (0: none), instead of the config's; docs/journal.md. */
        public Builder journalQuotaBytes(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("journal quota must not be negative: " + bytes);
            }
            this.journalQuotaBytes = bytes;
            return this;
        }

        /**
         * What this node holds for each child between receiving and acknowledging, the base of the credit
         * it gives version-3 children (docs/sync-protocol.md section 8.3).
         */
        public Builder receiveBuffer(io.hazwatch.sync.link.ReceiveBuffer r) {
            this.receiveBuffer = java.util.Objects.requireNonNull(r, "receiveBuffer");
            return this;
        }

        /** Whether an edge rolls its readings up per minute (default yes; docs/journal.md, "Rollups"). */
        public Builder rollups(boolean on) {
            this.rollups = on;
            return this;
        }

        /** How far this node's clock may be off its parent's before its readings are flagged. */
        public Builder maxClockSkew(Duration d) {
            this.maxClockSkew = d;
            return this;
        }

        public Builder ioThreads(int n) {
            this.ioThreads = n;
            return this;
        }

        public NodeRuntime start() throws IOException {
            NodeRuntime rt = new NodeRuntime(this);
            rt.begin();
            return rt;
        }
    }
}
