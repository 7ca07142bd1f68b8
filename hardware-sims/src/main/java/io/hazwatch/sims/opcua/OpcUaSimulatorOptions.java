package io.hazwatch.sims.opcua;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run one OPC UA tank-farm DCS simulator.
 *
 * <p>Reproducibility: tag values are a function of {@code seed}, {@code tanks}, the simulated start
 * time (the {@code clock}'s instant at start, truncated to the second) and the number of ticks; the
 * source timestamp of every value is the simulated time of the step that produced it. With
 * {@link #manualTicks()} and a fixed clock two simulators publish the same values with the same
 * source timestamps.
 *
 * @param bindAddress     interface to listen on; {@code 127.0.0.1} by default
 * @param port            TCP port; 0 picks a free one when the simulator starts
 * @param tanks           tanks of the farm, 1..{@value #MAX_TANKS}; each publishes LT, TT, PT and AT tags
 * @param benchItems      extra {@code Bench.NNNNN} Double items that all change on every tick,
 *                        0..{@value #MAX_BENCH_ITEMS} (for load tests)
 * @param seed            random seed of the tank model
 * @param tickInterval    real time between model steps (one simulated second each);
 *                        {@link Duration#ZERO} steps only on {@link OpcUaSimulator#advance(int)}
 * @param pkiDir          where the server keeps its certificate ({@code own/}) and, when
 *                        {@code trustAllClients} is false, the client certificates it trusts
 *                        ({@code trusted/certs/}); empty = a temporary directory deleted on close
 * @param users           user name to password, for the UserName identity token
 * @param allowAnonymous  offer the Anonymous identity token
 * @param trustAllClients accept any client application certificate on the secure endpoints (a
 *                        simulator convenience); false = only those in {@code pkiDir/trusted/certs}
 * @param clock           gives the simulated start time
 */
public record OpcUaSimulatorOptions(String bindAddress, int port, int tanks, int benchItems, long seed,
                                    Duration tickInterval, Optional<Path> pkiDir, Map<String, String> users,
                                    boolean allowAnonymous, boolean trustAllClients, Clock clock) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_TANKS = 4;
    public static final int MAX_TANKS = 100;
    public static final int MAX_BENCH_ITEMS = 100_000;
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
    /** The user the simulator knows unless told otherwise. */
    public static final String DEFAULT_USER = "operator";
    public static final String DEFAULT_PASSWORD = "hazwatch";

    public OpcUaSimulatorOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(pkiDir, "pkiDir");
        Objects.requireNonNull(clock, "clock");
        users = Map.copyOf(users);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (tanks < 1 || tanks > MAX_TANKS) {
            throw new IllegalArgumentException("tanks must be 1.." + MAX_TANKS + ", got " + tanks);
        }
        if (benchItems < 0 || benchItems > MAX_BENCH_ITEMS) {
            throw new IllegalArgumentException("items must be 0.." + MAX_BENCH_ITEMS + ", got " + benchItems);
        }
        if (tickInterval.isNegative()) {
            throw new IllegalArgumentException("tickInterval must not be negative, got " + tickInterval);
        }
        for (Map.Entry<String, String> user : users.entrySet()) {
            if (user.getKey().isBlank() || user.getValue().isEmpty()) {
                throw new IllegalArgumentException("user names and passwords must not be empty");
            }
        }
        if (!allowAnonymous && users.isEmpty()) {
            throw new IllegalArgumentException("with anonymous access off, at least one user is needed");
        }
    }

    /** Defaults: loopback, free port, 4 tanks, no bench items, seed 1, real-time ticks, user operator/hazwatch. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder().bindAddress(bindAddress).port(port).tanks(tanks).benchItems(benchItems).seed(seed)
                .tickInterval(tickInterval).allowAnonymous(allowAnonymous).trustAllClients(trustAllClients)
                .clock(clock);
        b.users.clear();
        b.users.putAll(users);
        pkiDir.ifPresent(b::pkiDir);
        return b;
    }

    /** True when the model only steps on {@link OpcUaSimulator#advance(int)}. */
    public boolean manualTicks() {
        return tickInterval.isZero();
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port;
        private int tanks = DEFAULT_TANKS;
        private int benchItems;
        private long seed = 1;
        private Duration tickInterval = DEFAULT_TICK;
        private Path pkiDir;
        private final Map<String, String> users = new LinkedHashMap<>(Map.of(DEFAULT_USER, DEFAULT_PASSWORD));
        private boolean allowAnonymous = true;
        private boolean trustAllClients = true;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bindAddress(String value) {
            this.bindAddress = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder tanks(int value) {
            this.tanks = value;
            return this;
        }

        public Builder benchItems(int value) {
            this.benchItems = value;
            return this;
        }

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder tickInterval(Duration value) {
            this.tickInterval = value;
            return this;
        }

        /** Step only on {@link OpcUaSimulator#advance(int)}. */
        public Builder manualTicks() {
            this.tickInterval = Duration.ZERO;
            return this;
        }

        public Builder pkiDir(Path value) {
            this.pkiDir = value;
            return this;
        }

        /** Replaces the known users with exactly these. */
        public Builder users(Map<String, String> value) {
            users.clear();
            users.putAll(value);
            return this;
        }

        public Builder user(String name, String password) {
            users.put(name, password);
            return this;
        }

        public Builder allowAnonymous(boolean value) {
            this.allowAnonymous = value;
            return this;
        }

        public Builder trustAllClients(boolean value) {
            this.trustAllClients = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public OpcUaSimulatorOptions build() {
            return new OpcUaSimulatorOptions(bindAddress, port, tanks, benchItems, seed, tickInterval,
                    Optional.ofNullable(pkiDir), users, allowAnonymous, trustAllClients, clock);
        }
    }
}
