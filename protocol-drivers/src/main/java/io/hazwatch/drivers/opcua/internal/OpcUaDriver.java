package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.opcua.OpcUaChannel;
import io.hazwatch.drivers.opcua.OpcUaChannelMode;
import io.hazwatch.drivers.opcua.OpcUaConnectException;
import io.hazwatch.drivers.opcua.OpcUaDeadband;
import io.hazwatch.drivers.opcua.OpcUaDeviceConfig;
import io.hazwatch.drivers.spi.DeviceSpec;
import io.hazwatch.drivers.spi.Driver;
import io.hazwatch.drivers.spi.DriverClosedException;
import io.hazwatch.drivers.spi.DriverState;
import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import io.hazwatch.drivers.spi.Subscribable;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.SessionActivityListener;
import org.eclipse.milo.opcua.sdk.client.UaSession;
import org.eclipse.milo.opcua.sdk.client.subscriptions.MonitoredItemServiceOperationResult;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaMonitoredItem;
import org.eclipse.milo.opcua.sdk.client.subscriptions.OpcUaSubscription;
import org.eclipse.milo.opcua.stack.core.NamespaceTable;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExpandedNodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.DataChangeTrigger;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.DataChangeFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Reads one OPC UA server (Eclipse Milo's client). Subscribe-mode channels are monitored items of one
 * subscription per device; {@link #readAll()} answers with the latest notification of each (a
 * snapshot, no network round trip). Read-mode channels are read with one Read service call per
 * {@code readAll}. Every notification can also be received as it arrives through {@link #subscribe}.
 *
 * <p>Threading: the connection, the subscription and every blocking Milo call belong to the driver's
 * own single I/O thread; {@code readAll} only queues work there and the stage completes on it.
 * Notifications arrive on Milo's delivery thread of the subscription (one at a time per subscription),
 * which is the only writer of the latest-value table apart from the refresh Read after a
 * (re)connect, which writes only entries that are still stale (compare-and-set).
 *
 * <p>Connection state machine: {@code DISCONNECTED -> CONNECTING -> CONNECTED}. A failed first
 * connection (server down, untrusted certificate, wrong password) goes to {@code BACKING_OFF}: reads
 * answer {@code BAD_COMM_FAIL} with the reason at once until {@code backoffMinMs} (doubling to
 * {@code backoffMaxMs}) has passed. Once connected, Milo's session state machine reconnects by itself
 * when the link drops ({@code CONNECTING} again, every channel {@code BAD_COMM_FAIL}); when the
 * session comes back the subscription is transferred to it (OPC UA Part 4, 5.13.7), or, when the
 * server lost it (a restart), created again with all its monitored items. After every reconnect the
 * subscribed nodes are read once, so that values that did not change are not reported stale. A server
 * that falls silent while the connection stays up (no notification and no keep-alive within the
 * subscription's watchdog time, OPC UA Part 4, 5.13.1) makes every subscribed channel
 * {@code BAD_TIMEOUT} until it is heard from again, instead of its last values passing for current until
 * the session's own keep-alive gives up. {@link #close()} goes to {@code CLOSED} for good.
 */
public final class OpcUaDriver implements Driver, Subscribable {

    private static final Logger LOG = LoggerFactory.getLogger(OpcUaDriver.class);
    private static final long CLOSE_GRACE_MS = 1000;
    private static final int MAX_NODES_PER_READ = 1000;

    /**
     * The latest sample of a channel, the link generation it was received in, and whether it came from
     * the refresh Read rather than a notification.
     */
    private record Latest(Sample sample, long generation, boolean polled) {
        Latest(Sample sample, long generation) {
            this(sample, generation, false);
        }
    }

    private final DeviceSpec device;
    private final OpcUaDeviceConfig config;
    private final Clock clock;
    private final List<OpcUaChannel> channels;
    private final int[] subscribed;
    private final int[] read;
    private final ScheduledExecutorService io;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReferenceArray<Latest> latest;
    private final AtomicLong generation = new AtomicLong();
    private final CopyOnWriteArrayList<Registration> listeners = new CopyOnWriteArrayList<>();
    private final SessionActivityListener sessionListener = new SessionListener();
    private final OpcUaSubscription.SubscriptionListener subscriptionListener = new NotificationListener();
    private volatile DriverState state = DriverState.DISCONNECTED;
    /** Why the link is down while Milo reconnects; null while the session is active. */
    private volatile String linkDown;
    private volatile OpcUaSubscription subscription;
    /**
     * Why the subscription's values are stale: its watchdog elapsed without a notification or keep-alive
     * (the server, or the network, stopped answering while the connection stayed up); null while it is heard.
     */
    private volatile String silent;
    private volatile int itemsHeld;
    private volatile Thread ioThread;

    // I/O thread only
    private Connector connector;
    private OpcUaClient client;
    private NodeId[] nodeIds;
    private final Backoff backoff;
    private long nextAttemptMillis;
    private String lastError = "not connected yet";
    private boolean retryScheduled;
    private boolean failureLogged;

    public OpcUaDriver(DeviceSpec device, OpcUaDeviceConfig config, Clock clock) {
        this.device = Objects.requireNonNull(device, "device");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.channels = config.channels();
        this.subscribed = indexes(OpcUaChannelMode.SUBSCRIBE);
        this.read = indexes(OpcUaChannelMode.READ);
        this.latest = new AtomicReferenceArray<>(channels.size());
        this.backoff = new Backoff(config.backoffMinMs(), config.backoffMaxMs());
        String threadName = "opcua-" + config.name();
        this.io = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            ioThread = t;
            return t;
        });
    }

    private int[] indexes(OpcUaChannelMode mode) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).mode() == mode) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public DeviceSpec device() {
        return device;
    }

    @Override
    public DriverState state() {
        return state;
    }

    /** Monitored items the server accepted in the current subscription (for status pages and benchmarks). */
    public int monitoredItemsHeld() {
        return itemsHeld;
    }

    /** The server's id of the current subscription; a new id means the subscription was created again. */
    public java.util.OptionalLong subscriptionId() {
        OpcUaSubscription sub = subscription;
        return sub == null ? java.util.OptionalLong.empty() : sub.getSubscriptionId()
                .map(id -> java.util.OptionalLong.of(id.longValue())).orElse(java.util.OptionalLong.empty());
    }

    @Override
    public CompletionStage<List<Sample>> readAll() {
        CompletableFuture<List<Sample>> result = new CompletableFuture<>();
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return result;
        }
        try {
            io.execute(() -> runCycle(result));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new DriverClosedException(config.name()));
        }
        return result;
    }

    @Override
    public SampleSubscription subscribe(SampleListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new DriverClosedException(config.name());
        }
        Registration registration = new Registration(listener);
        listeners.add(registration);
        try {
            io.execute(this::connectForListeners);
        } catch (RejectedExecutionException e) {
            listeners.remove(registration);
            throw new DriverClosedException(config.name());
        }
        return registration;
    }

    /** Idempotent. Reads queued but not started fail with {@link DriverClosedException}. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        state = DriverState.CLOSED;
        listeners.clear();
        try {
            io.execute(this::disconnect);
        } catch (RejectedExecutionException e) {
            LOG.debug("device {}: I/O thread already stopped", config.name(), e);
        }
        io.shutdown();
        if (Thread.currentThread() != ioThread) {
            try {
                if (!io.awaitTermination(2L * config.requestTimeoutMs() + CLOSE_GRACE_MS, TimeUnit.MILLISECONDS)) {
                    LOG.warn("device {}: I/O thread still busy after close", config.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("device {}: driver closed", config.name());
    }

    // ---- I/O thread -------------------------------------------------------------------------------

    private void runCycle(CompletableFuture<List<Sample>> result) {
        if (closed.get()) {
            result.completeExceptionally(new DriverClosedException(config.name()));
            return;
        }
        try {
            result.complete(cycle());
        } catch (RuntimeException e) {
            LOG.error("device {}: read cycle failed", config.name(), e);
            result.completeExceptionally(e);
        }
    }

    private List<Sample> cycle() {
        if (client == null && !connect()) {
            return allBad(Quality.BAD_COMM_FAIL, lastError);
        }
        long now = clock.millis();
        String down = linkDown;
        String silence = silent;
        Sample[] out = new Sample[channels.size()];
        if (read.length > 0) {
            readChannels(out, down, now);
        }
        long current = generation.get();
        for (int i : subscribed) {
            String name = channels.get(i).name();
            Latest entry = latest.get(i);
            if (down != null) {
                out[i] = Sample.bad(name, now, Quality.BAD_COMM_FAIL, down);
            } else if (silence != null && (entry == null || entry.sample().quality() != Quality.BAD_CONFIG)) {
                out[i] = Sample.bad(name, now, Quality.BAD_TIMEOUT, silence);
            } else if (entry == null) {
                out[i] = Sample.bad(name, now, Quality.BAD_TIMEOUT, "no value from the subscription yet");
            } else if (entry.generation() != current && entry.sample().quality() != Quality.BAD_CONFIG) {
                out[i] = Sample.bad(name, now, Quality.BAD_COMM_FAIL, "reconnected; no value since the reconnect yet");
            } else {
                out[i] = entry.sample();
            }
        }
        return Arrays.asList(out);
    }

    private void readChannels(Sample[] out, String down, long now) {
        if (down != null) {
            for (int i : read) {
                out[i] = Sample.bad(channels.get(i).name(), now, Quality.BAD_COMM_FAIL, down);
            }
            return;
        }
        List<NodeId> ids = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i : read) {
            if (nodeIds[i] == null) {
                out[i] = unresolved(i, now);
            } else {
                ids.add(nodeIds[i]);
                asked.add(i);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            List<DataValue> values = readValues(ids);
            long received = clock.millis();
            for (int k = 0; k < asked.size(); k++) {
                int i = asked.get(k);
                out[i] = SampleMapper.sample(channels.get(i).name(), values.get(k), received);
            }
        } catch (TimeoutException e) {
            fill(out, asked, Quality.BAD_TIMEOUT, "no answer to Read within " + config.requestTimeoutMs() + " ms");
        } catch (ExecutionException e) {
            Optional<StatusCode> sc = UaException.extractStatusCode(e.getCause());
            Quality q = sc.map(s -> SampleMapper.quality(s.getValue())).orElse(Quality.BAD_COMM_FAIL);
            fill(out, asked, q == Quality.GOOD || q == Quality.UNCERTAIN ? Quality.BAD_COMM_FAIL : q, "Read failed: "
                    + sc.map(s -> StatusNames.describe(s.getValue())).orElse(Connector.describe(e.getCause())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fill(out, asked, Quality.BAD_COMM_FAIL, "interrupted");
        }
    }

    /**
     * Reads current values (maximum age 0, both timestamps) in Read calls of at most
     * {@value #MAX_NODES_PER_READ} nodes, within the servers' usual MaxNodesPerRead limit.
     */
    private List<DataValue> readValues(List<NodeId> ids) throws InterruptedException,
            ExecutionException, TimeoutException {
        List<DataValue> out = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += MAX_NODES_PER_READ) {
            List<NodeId> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_NODES_PER_READ));
            out.addAll(client.readValuesAsync(0.0, TimestampsToReturn.Both, chunk)
                    .get(config.requestTimeoutMs(), TimeUnit.MILLISECONDS));
        }
        return out;
    }

    private void fill(Sample[] out, List<Integer> which, Quality quality, String reason) {
        long now = clock.millis();
        for (int i : which) {
            out[i] = Sample.bad(channels.get(i).name(), now, quality, reason);
        }
    }

    private Sample unresolved(int i, long now) {
        return Sample.bad(channels.get(i).name(), now, Quality.BAD_CONFIG, "node id '" + channels.get(i).nodeId()
                + "' names a namespace URI the server does not have");
    }

    private void connectForListeners() {
        retryScheduled = false;
        if (!closed.get() && client == null && !listeners.isEmpty()) {
            connect();
        }
    }

    /** Connects unless backing off; true when connected. */
    private boolean connect() {
        long now = clock.millis();
        long wait = nextAttemptMillis - now;
        if (state == DriverState.BACKING_OFF && wait > 0 && wait <= backoff.maxMillis()) {
            return false;
        }
        setState(DriverState.CONNECTING);
        try {
            if (connector == null) {
                connector = new Connector(config);
            }
            client = connector.connect();
        } catch (OpcUaConnectException e) {
            long delay = backoff.nextDelayMillis();
            nextAttemptMillis = clock.millis() + delay;
            lastError = e.getMessage() + "; next attempt in " + delay + " ms";
            setState(DriverState.BACKING_OFF);
            if (failureLogged) {
                LOG.debug("device {}: {} ({})", config.name(), lastError, e.reason());
            } else {
                failureLogged = true;
                LOG.warn("device {}: {} ({})", config.name(), lastError, e.reason());
            }
            scheduleRetry(delay);
            return false;
        }
        try {
            linkDown = null;
            resolveNodeIds();
            client.addSessionActivityListener(sessionListener);
            createSubscription();
            refresh();
        } catch (RuntimeException e) {
            // a failure after the session opened is still a device problem, never an exceptional read
            disconnect();
            long delay = backoff.nextDelayMillis();
            nextAttemptMillis = clock.millis() + delay;
            lastError = "cannot subscribe on " + config.endpointUrl() + ": " + Connector.describe(e)
                    + "; next attempt in " + delay + " ms";
            setState(DriverState.BACKING_OFF);
            LOG.warn("device {}: {}", config.name(), lastError, e);
            scheduleRetry(delay);
            return false;
        }
        backoff.reset();
        failureLogged = false;
        setState(DriverState.CONNECTED);
        LOG.info("device {}: connected to {} ({}/{}, {}), {} monitored items", config.name(), config.endpointUrl(),
                config.securityPolicy().configName(), config.securityMode().configName(),
                config.identity().configName(), itemsHeld);
        return true;
    }

    private void scheduleRetry(long delay) {
        if (!listeners.isEmpty() && !retryScheduled && !closed.get()) {
            retryScheduled = true;
            try {
                io.schedule(this::connectForListeners, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                retryScheduled = false;
            }
        }
    }

    private void resolveNodeIds() {
        nodeIds = new NodeId[channels.size()];
        NamespaceTable table = null;
        for (int i = 0; i < channels.size(); i++) {
            String text = channels.get(i).nodeId();
            if (text.startsWith("nsu=")) {
                if (table == null) {
                    try {
                        table = client.readNamespaceTable();
                    } catch (UaException e) {
                        LOG.warn("device {}: cannot read the namespace table: {}", config.name(), e.getMessage());
                        table = client.getNamespaceTable();
                    }
                }
                nodeIds[i] = ExpandedNodeId.parse(text).toNodeId(table).orElse(null);
            } else {
                nodeIds[i] = NodeId.parse(text);
            }
        }
    }

    /** A new subscription with every subscribe-mode channel; per-item failures become BAD samples. */
    private void createSubscription() {
        if (subscribed.length == 0) {
            return;
        }
        OpcUaSubscription sub = new OpcUaSubscription(client, config.publishingIntervalMs());
        sub.setSubscriptionListener(subscriptionListener);
        long now = clock.millis();
        try {
            sub.create();
        } catch (UaException e) {
            String reason = "cannot create a subscription: " + StatusNames.describe(e.getStatusCode().getValue());
            LOG.warn("device {}: {}", config.name(), reason);
            for (int i : subscribed) {
                latest.set(i, new Latest(Sample.bad(channels.get(i).name(), now, SampleMapper.quality(
                        e.getStatusCode().getValue()) == Quality.BAD_CONFIG ? Quality.BAD_CONFIG : Quality.BAD_COMM_FAIL,
                        reason), generation.get()));
            }
            itemsHeld = 0;
            return;
        }
        List<OpcUaMonitoredItem> items = new ArrayList<>();
        for (int i : subscribed) {
            if (nodeIds[i] == null) {
                latest.set(i, new Latest(unresolved(i, now), generation.get()));
                continue;
            }
            OpcUaChannel ch = channels.get(i);
            OpcUaMonitoredItem item = OpcUaMonitoredItem.newDataItem(nodeIds[i]);
            item.setSamplingInterval(ch.samplingIntervalMs());
            item.setQueueSize(uint(ch.queueSize()));
            item.setDiscardOldest(ch.discardOldest());
            if (ch.deadband() != OpcUaDeadband.NONE) {
                item.setFilter(new DataChangeFilter(DataChangeTrigger.StatusValue, uint(ch.deadband().code()),
                        ch.deadbandValue()));
            }
            item.setUserObject(i);
            items.add(item);
        }
        sub.addMonitoredItems(items);
        silent = null;
        subscription = sub;
        int held = 0;
        for (MonitoredItemServiceOperationResult r : sub.createMonitoredItems()) {
            int i = (Integer) r.monitoredItem().getUserObject().orElseThrow();
            StatusCode service = r.serviceResult();
            StatusCode op = r.operationResult().orElse(service);
            if (service.isGood() && op.isGood()) {
                held++;
                continue;
            }
            StatusCode bad = service.isGood() ? op : service;
            Quality q = SampleMapper.quality(bad.getValue());
            String reason = StatusNames.describe(bad.getValue()) + ": the server refused to monitor "
                    + channels.get(i).nodeId() + hint(bad.getValue(), channels.get(i));
            latest.set(i, new Latest(Sample.bad(channels.get(i).name(), now,
                    q == Quality.GOOD || q == Quality.UNCERTAIN ? Quality.BAD_CONFIG : q, reason), generation.get()));
            LOG.warn("device {}: channel {}: {}", config.name(), channels.get(i).name(), reason);
        }
        itemsHeld = held;
    }

    private static String hint(long status, OpcUaChannel channel) {
        long code = status & 0xFFFF0000L;
        if (code == StatusCodes.Bad_MonitoredItemFilterUnsupported
                && channel.deadband() == OpcUaDeadband.PERCENT) {
            return " (this server does not implement percent deadband; use deadbandType absolute)";
        }
        if (code == StatusCodes.Bad_NodeIdUnknown) {
            return " (no such node; browse the server to find the right id)";
        }
        return "";
    }

    /**
     * Reads every subscribed node once and stores the values that are still missing or stale: after a
     * (re)connect a value that does not change would otherwise never be reported again.
     */
    private void refresh() {
        if (client == null || subscribed.length == 0 || linkDown != null) {
            return;
        }
        long gen = generation.get();
        List<NodeId> ids = new ArrayList<>();
        List<Integer> asked = new ArrayList<>();
        for (int i : subscribed) {
            Latest entry = latest.get(i);
            boolean failed = entry != null && entry.generation() == gen && entry.sample().quality() == Quality.BAD_CONFIG;
            if (nodeIds[i] != null && !failed) {
                ids.add(nodeIds[i]);
                asked.add(i);
            }
        }
        if (ids.isEmpty()) {
            return;
        }
        try {
            List<DataValue> values = readValues(ids);
            long received = clock.millis();
            for (int k = 0; k < asked.size(); k++) {
                int i = asked.get(k);
                Latest seen = latest.get(i);
                if (seen == null || seen.generation() != gen) {
                    Sample s = SampleMapper.sample(channels.get(i).name(), values.get(k), received);
                    latest.compareAndSet(i, seen, new Latest(s, gen, true));
                }
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("device {}: refresh read failed: {}", config.name(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Called on the I/O thread when the server lost the subscription (restart, lifetime expired). */
    private void recreateSubscription(OpcUaSubscription lost) {
        if (closed.get() || client == null || lost != subscription) {
            return;
        }
        LOG.info("device {}: subscription lost on the server; creating it again", config.name());
        try {
            lost.deleteAsync();
        } catch (RuntimeException e) {
            LOG.debug("device {}: deleting the lost subscription failed: {}", config.name(), e.toString());
        }
        resolveNodeIds();
        createSubscription();
        refresh();
    }

    private void disconnect() {
        OpcUaClient c = client;
        client = null;
        subscription = null;
        if (c != null) {
            c.removeSessionActivityListener(sessionListener);
            Connector.disconnectQuietly(c, config.requestTimeoutMs());
        }
    }

    private List<Sample> allBad(Quality quality, String reason) {
        long now = clock.millis();
        List<Sample> out = new ArrayList<>(channels.size());
        for (OpcUaChannel ch : channels) {
            out.add(Sample.bad(ch.name(), now, quality, reason));
        }
        return out;
    }

    private void setState(DriverState next) {
        if (!closed.get()) {
            state = next;
        }
    }

    private void runOnIo(Runnable task) {
        if (closed.get()) {
            return;
        }
        try {
            io.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("device {}: closed; dropping {}", config.name(), task);
        }
    }

    private void push(List<Sample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        for (Registration r : listeners) {
            try {
                r.listener.onSamples(samples);
            } catch (RuntimeException e) {
                LOG.error("device {}: sample listener failed", config.name(), e);
            }
        }
    }

    // ---- Milo callbacks ---------------------------------------------------------------------------

    /** Session up and down, on Milo's executor. */
    private final class SessionListener implements SessionActivityListener {
        @Override
        public void onSessionActive(UaSession session) {
            if (linkDown == null) {
                return; // the first activation, during connect()
            }
            linkDown = null;
            silent = null; // the server answers again; the subscription's keep-alives follow
            setState(DriverState.CONNECTED);
            LOG.info("device {}: session with {} active again", config.name(), config.endpointUrl());
            runOnIo(OpcUaDriver.this::refresh);
        }

        @Override
        public void onSessionInactive(UaSession session) {
            if (closed.get()) {
                return;
            }
            String reason = "connection to " + config.endpointUrl() + " lost; reconnecting";
            generation.incrementAndGet();
            linkDown = reason;
            setState(DriverState.CONNECTING);
            LOG.warn("device {}: {}", config.name(), reason);
            if (!listeners.isEmpty()) {
                long now = clock.millis();
                List<Sample> bad = new ArrayList<>(subscribed.length);
                for (int i : subscribed) {
                    bad.add(Sample.bad(channels.get(i).name(), now, Quality.BAD_COMM_FAIL, reason));
                }
                push(bad);
            }
        }
    }

    /** Notifications, on the subscription's delivery queue (one batch at a time). */
    private final class NotificationListener implements OpcUaSubscription.SubscriptionListener {
        @Override
        public void onDataReceived(OpcUaSubscription sub, List<OpcUaMonitoredItem> items, List<DataValue> values) {
            if (sub != subscription) {
                return;
            }
            heard(sub);
            long received = clock.millis();
            long gen = generation.get();
            boolean pushing = !listeners.isEmpty();
            List<Sample> batch = pushing ? new ArrayList<>(items.size()) : List.of();
            for (int k = 0; k < items.size(); k++) {
                Object index = items.get(k).getUserObject().orElse(null);
                if (!(index instanceof Integer i)) {
                    continue;
                }
                Sample s = SampleMapper.sample(channels.get(i).name(), values.get(k), received);
                Latest seen = latest.get(i);
                // the first notification may carry a value sampled before the refresh Read; keep the newer
                if (seen == null || !seen.polled() || seen.generation() != gen
                        || s.timestampMillis() >= seen.sample().timestampMillis()) {
                    latest.set(i, new Latest(s, gen));
                }
                if (pushing) {
                    batch.add(s);
                }
            }
            if (pushing) {
                push(batch);
            }
        }

        @Override
        public void onTransferFailed(OpcUaSubscription sub, StatusCode status) {
            LOG.info("device {}: subscription transfer failed ({})", config.name(), StatusNames.describe(status.getValue()));
            runOnIo(() -> recreateSubscription(sub));
        }

        @Override
        public void onStatusChanged(OpcUaSubscription sub, StatusCode status) {
            if (status.isBad()) {
                LOG.warn("device {}: subscription status {}", config.name(), StatusNames.describe(status.getValue()));
                runOnIo(() -> recreateSubscription(sub));
            }
        }

        @Override
        public void onNotificationDataLost(OpcUaSubscription sub) {
            LOG.warn("device {}: the server lost notifications (sequence gap)", config.name());
        }

        @Override
        public void onKeepAliveReceived(OpcUaSubscription sub) {
            heard(sub);
        }

        /**
         * OPC UA Part 4, 5.13.1: a server that has nothing to report sends a keep-alive every
         * MaxKeepAliveCount publishing intervals; none within Milo's watchdog time means the values held
         * are no longer known to be current, though the connection has not failed (yet).
         */
        @Override
        public void onWatchdogTimerElapsed(OpcUaSubscription sub) {
            if (sub != subscription || silent != null) {
                return;
            }
            String reason = "no notification or keep-alive from " + config.endpointUrl()
                    + " within the subscription's keep-alive time; last values are stale";
            silent = reason;
            LOG.warn("device {}: {}", config.name(), reason);
            if (!listeners.isEmpty()) {
                long now = clock.millis();
                List<Sample> bad = new ArrayList<>(subscribed.length);
                for (int i : subscribed) {
                    bad.add(Sample.bad(channels.get(i).name(), now, Quality.BAD_TIMEOUT, reason));
                }
                push(bad);
            }
        }

        /** Ends a silence; subscribers get the values held again, which were pushed as stale. */
        private void heard(OpcUaSubscription sub) {
            if (sub != subscription || silent == null) {
                return;
            }
            silent = null;
            LOG.info("device {}: the subscription is heard from again", config.name());
            if (!listeners.isEmpty()) {
                List<Sample> held = new ArrayList<>(subscribed.length);
                for (int i : subscribed) {
                    Latest entry = latest.get(i);
                    if (entry != null) {
                        held.add(entry.sample());
                    }
                }
                push(held);
            }
        }
    }

    private final class Registration implements SampleSubscription {
        private final SampleListener listener;

        Registration(SampleListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            listeners.remove(this);
        }
    }

    /** Exponential reconnect backoff; I/O thread only. */
    private static final class Backoff {
        private final long min;
        private final long max;
        private long next;

        Backoff(long min, long max) {
            this.min = min;
            this.max = max;
            this.next = min;
        }

        long nextDelayMillis() {
            long delay = next;
            next = next > max / 2 ? max : next * 2;
            return delay;
        }

        void reset() {
            next = min;
        }

        long maxMillis() {
            return max;
        }
    }

    @Override
    public String toString() {
        return "OpcUaDriver[" + config.name() + " " + config.endpointUrl() + ", " + state + ", " + channels.size()
                + " channels]";
    }
}
