package io.hazwatch.edge.config;

import io.hazwatch.sync.model.AlarmLimit;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The alarm limits of one point: any of HH, H, L, LL (ordered {@code ll < l < h < hh}), a deadband for
 * clearing, the warning level each limit raises, and an optional instrument-fault alarm after
 * {@code faultAfter} consecutive bad readings (0: none).
 *
 * <p>Default levels (1 red, 2 orange, 3 yellow, 4 blue), after DOMAIN 5.2: H and L blue, HH and LL
 * yellow, FAULT yellow. DOMAIN 5.2
 * keeps red for combinations the platform sees (HH plus gas alarm, interlock trip), so no single
 * limit defaults to red; a site configures {@code levels:} where its rules differ.
 */
public record AlarmSpec(OptionalDouble hh, OptionalDouble h, OptionalDouble l, OptionalDouble ll,
                        double deadband, Map<AlarmLimit, Integer> levels, int faultAfter) {

    /** Levels used for limits a configuration does not give a level for. */
    public static final Map<AlarmLimit, Integer> DEFAULT_LEVELS = Map.of(
            AlarmLimit.HH, 3, AlarmLimit.H, 4, AlarmLimit.L, 4, AlarmLimit.LL, 3, AlarmLimit.FAULT, 3);

    /**
     * @throws IllegalArgumentException for limits out of order, a negative or non-finite deadband, a
     *                                  level outside 1..4 or a negative {@code faultAfter}
     */
    public AlarmSpec {
        Objects.requireNonNull(hh, "hh");
        Objects.requireNonNull(h, "h");
        Objects.requireNonNull(l, "l");
        Objects.requireNonNull(ll, "ll");
        if (!(deadband >= 0) || Double.isInfinite(deadband)) {
            throw new IllegalArgumentException("deadband must be a finite number >= 0: " + deadband);
        }
        if (faultAfter < 0) {
            throw new IllegalArgumentException("faultAfter must be >= 0: " + faultAfter);
        }
        orderProblem(hh, h, l, ll).ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        Map<AlarmLimit, Integer> all = new EnumMap<>(DEFAULT_LEVELS);
        all.putAll(levels);
        all.forEach((limit, level) -> {
            if (level < 1 || level > 4) {
                throw new IllegalArgumentException("level of " + limit + " must be 1..4: " + level);
            }
        });
        levels = Map.copyOf(all);
    }

    /** Why the limits are not in ascending order {@code ll < l < h < hh}; empty when they are. */
    public static Optional<String> orderProblem(OptionalDouble hh, OptionalDouble h, OptionalDouble l,
                                                           OptionalDouble ll) {
        OptionalDouble[] ascending = {ll, l, h, hh};
        String[] names = {"ll", "l", "h", "hh"};
        int prev = -1;
        for (int i = 0; i < ascending.length; i++) {
            if (ascending[i].isEmpty()) {
                continue;
            }
            if (prev >= 0 && !(ascending[prev].getAsDouble() < ascending[i].getAsDouble())) {
                return Optional.of("limits must ascend ll < l < h < hh, but " + names[prev] + "="
                        + ascending[prev].getAsDouble() + " is not below " + names[i] + "="
                        + ascending[i].getAsDouble());
            }
            prev = i;
        }
        return Optional.empty();
    }

    /** The value of a limit, empty when not configured (always empty for FAULT). */
    public OptionalDouble limit(AlarmLimit limit) {
        return switch (limit) {
            case HH -> hh;
            case H -> h;
            case L -> l;
            case LL -> ll;
            case FAULT -> OptionalDouble.empty();
        };
    }

    public int level(AlarmLimit limit) {
        return levels.get(limit);
    }

    public boolean hasLimits() {
        return hh.isPresent() || h.isPresent() || l.isPresent() || ll.isPresent();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** For code and tests; configurations are read by {@link EdgeConfigLoader}. */
    public static final class Builder {
        private OptionalDouble hh = OptionalDouble.empty();
        private OptionalDouble h = OptionalDouble.empty();
        private OptionalDouble l = OptionalDouble.empty();
        private OptionalDouble ll = OptionalDouble.empty();
        private double deadband;
        private final Map<AlarmLimit, Integer> levels = new EnumMap<>(AlarmLimit.class);
        private int faultAfter;

        private Builder() {
        }

        public Builder hh(double v) {
            hh = OptionalDouble.of(v);
            return this;
        }

        public Builder h(double v) {
            h = OptionalDouble.of(v);
            return this;
        }

        public Builder l(double v) {
            l = OptionalDouble.of(v);
            return this;
        }

        public Builder ll(double v) {
            ll = OptionalDouble.of(v);
            return this;
        }

        public Builder deadband(double v) {
            deadband = v;
            return this;
        }

        public Builder level(AlarmLimit limit, int level) {
            levels.put(limit, level);
            return this;
        }

        public Builder faultAfter(int n) {
            faultAfter = n;
            return this;
        }

        public AlarmSpec build() {
            return new AlarmSpec(hh, h, l, ll, deadband, levels, faultAfter);
        }
    }
}
