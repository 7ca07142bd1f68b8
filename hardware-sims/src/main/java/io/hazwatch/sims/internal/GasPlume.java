package io.hazwatch.sims.internal;

/**
 * One gas-leak event at a point detector: an exponential rise with time constant {@code riseTau} for
 * three time constants (reaching {@code peakLel}), then an exponential decay with {@code decayTau}.
 * Shape per DOMAIN.md 6.4 (rise tau 10-60 s, decay over minutes).
 *
 * @param startTick model tick at which the plume starts
 * @param peakLel   peak contribution, %LEL
 * @param riseTau   rise time constant, s
 * @param decayTau  decay time constant, s
 */
record GasPlume(long startTick, double peakLel, double riseTau, double decayTau) {

    /** Below this contribution a decaying plume is over. */
    private static final double FINISHED_BELOW_LEL = 0.1;
    private static final double RISE_TAUS = 3.0;

    GasPlume {
        if (!(peakLel > 0) || !(riseTau > 0) || !(decayTau > 0)) {
            throw new IllegalArgumentException("plume parameters must be positive");
        }
    }

    /** Contribution in %LEL at {@code tick}; 0 before the start. */
    double valueAt(long tick) {
        double age = tick - startTick;
        if (age <= 0) {
            return 0.0;
        }
        double riseEnd = RISE_TAUS * riseTau;
        if (age < riseEnd) {
            return peakLel * (1 - Math.exp(-age / riseTau)) / (1 - Math.exp(-RISE_TAUS));
        }
        return peakLel * Math.exp(-(age - riseEnd) / decayTau);
    }

    /** True once the plume has risen and decayed to (almost) nothing. */
    boolean finishedAt(long tick) {
        return tick - startTick >= RISE_TAUS * riseTau && valueAt(tick) < FINISHED_BELOW_LEL;
    }
}
