package io.hazwatch.sims;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;

/**
 * How to run one tank-farm simulator.
 *
 * <p>Reproducibility: the register values are a function of {@code seed}, {@code tanks},
 * {@code leakRatePerHour}, {@code echoLossRatePerHour}, the simulated start time (the {@code clock}'s
 * instant at start, truncated to the second), {@code zone} and the number of ticks taken. Two
 * simulators with the same options and a fixed clock produce the same value sequence.
 *
 * @param bindAddress         interface to listen on; {@code 127.0.0.1} by default
 * @param port                TCP port; 0 picks a free ephemeral port
 * @param tanks               number of tanks, 1..1000
 * @param seed                random seed of the model
 * @param unitId              Modbus unit id the simulator answers, 0..255; other ids get exception 0x0B
 * @param leakRatePerHour     mean number of spontaneous gas leaks per tank per hour (0 = none)
 * @param echoLossRatePerHour mean number of radar echo-loss dropouts per tank per hour (0 = none)
 * @param tickInterval        real time between model steps; each step simulates one second.
 *                            {@link Duration#ZERO} means manual stepping with
 *                            {@link TankFarmSimulator#advance(int)} (tests)
 * @param clock               gives the simulated start time
 * @param zone                time zone of the diurnal temperature cycle
 */
public record TankFarmOptions(String bindAddress, int port, int tanks, long seed, int unitId,
                              double leakRatePerHour, double echoLossRatePerHour,
                              Duration tickInterval, Clock clock, ZoneId zone) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_TANKS = 4;
    public static final int MAX_TANKS = 1000;
    public static final int DEFAULT_UNIT_ID = 1;
    /** About one leak per tank per 30 minutes. */
    public static final double DEFAULT_LEAK_RATE_PER_HOUR = 2.0;
    public static final double DEFAULT_ECHO_LOSS_RATE_PER_HOUR = 0.1;
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");

    public TankFarmOptions {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (tanks < 1 || tanks > MAX_TANKS) {
            throw new IllegalArgumentException("tanks must be 1.." + MAX_TANKS + ", got " + tanks);
        }
        if (unitId < 0 || unitId > 255) {
            throw new IllegalArgumentException("unitId must be 0..255, got " + unitId);
        }
        if (!(leakRatePerHour >= 0) || Double.isInfinite(leakRatePerHour)) {
            throw new IllegalArgumentException("leakRatePerHour must be a finite number >= 0, got " + leakRatePerHour);
        }
        if (!(echoLossRatePerHour >= 0) || Double.isInfinite(echoLossRatePerHour)) {
            throw new IllegalArgumentException("echoLossRatePerHour must be a finite number >= 0, got "
                    + echoLossRatePerHour);
        }
        if (tickInterval.isNegative()) {
            throw new IllegalArgumentException("tickInterval must not be negative, got " + tickInterval);
        }
    }

    /** Defaults: loopback, ephemeral port, 4 tanks, seed 1, unit 1, real-time ticking. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these options, to change a few. */
    public Builder toBuilder() {
        return new Builder().bindAddress(bindAddress).port(port).tanks(tanks).seed(seed).unitId(unitId)
                .leakRatePerHour(leakRatePerHour).echoLossRatePerHour(echoLossRatePerHour)
                .tickInterval(tickInterval).clock(clock).zone(zone);
    }

    /** The same options on another port (e.g. to restart a stopped simulator where it was). */
    public TankFarmOptions withPort(int newPort) {
        return toBuilder().port(newPort).build();
    }

    /** True when the model only steps on {@link TankFarmSimulator#advance(int)}. */
    public boolean manualTicks() {
        return tickInterval.isZero();
    }

    /** Mutable builder for {@link TankFarmOptions}; {@link #build()} validates. */
    public static final class Builder {
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port;
        private int tanks = DEFAULT_TANKS;
        private long seed = 1;
        private int unitId = DEFAULT_UNIT_ID;
        private double leakRatePerHour = DEFAULT_LEAK_RATE_PER_HOUR;
        private double echoLossRatePerHour = DEFAULT_ECHO_LOSS_RATE_PER_HOUR;
        private Duration tickInterval = DEFAULT_TICK;
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = DEFAULT_ZONE;

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

        public Builder seed(long value) {
            this.seed = value;
            return this;
        }

        public Builder unitId(int value) {
            this.unitId = value;
            return this;
        }

        public Builder leakRatePerHour(double value) {
            this.leakRatePerHour = value;
            return this;
        }

        public Builder echoLossRatePerHour(double value) {
            this.echoLossRatePerHour = value;
            return this;
        }

        public Builder tickInterval(Duration value) {
            this.tickInterval = value;
            return this;
        }

        /** Step only on {@link TankFarmSimulator#advance(int)}. */
        public Builder manualTicks() {
            this.tickInterval = Duration.ZERO;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder zone(ZoneId value) {
            this.zone = value;
            return this;
        }

        public TankFarmOptions build() {
            return new TankFarmOptions(bindAddress, port, tanks, seed, unitId, leakRatePerHour,
                    echoLossRatePerHour, tickInterval, clock, zone);
        }
    }
}
