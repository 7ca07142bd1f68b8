package io.hazwatch.sims.serial;

import java.time.Instant;

/**
 * One station's solved displacement for one epoch, as the simulator printed it: ΔN, ΔE, ΔU in mm
 * relative to the station's baseline (DOMAIN 2.6, T10), rounded to 0.1 mm as in the sentence.
 *
 * @param station  station id, e.g. {@code GN01}
 * @param epoch    epochs solved so far (1 for the first)
 * @param time     simulated time of the solution
 * @param quality  solution quality: 4 RTK fixed, 5 RTK float, 0 invalid
 * @param sentence the sentence written, without the line end, e.g. {@code $PHZDSP,GN01,3.1,-0.4,-2.2,4*3D}
 */
public record GnssSolution(String station, long epoch, Instant time, double northMm, double eastMm, double upMm,
                           int quality, String sentence) {

    /** Horizontal displacement √(ΔN² + ΔE²), mm (DOMAIN 2.5). */
    public double horizontalMm() {
        return Math.hypot(northMm, eastMm);
    }
}
