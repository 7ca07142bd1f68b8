package io.hazwatch.sims.link;

/**
 * The simulated link's state machine.
 * <pre>
 *   UP --down(FADE)--> FADED --up()--> UP
 *   UP --down(HARD)--> HARD_DOWN --up()--> UP
 *   FADED <--down(kind)--> HARD_DOWN      (the latest call wins; FADED to HARD_DOWN resets connections)
 *   any --close()--> CLOSED                (final)
 * </pre>
 * Scheduled outages take the same transitions as the explicit calls.
 */
public enum LinkState {
    UP,
    FADED,
    HARD_DOWN,
    CLOSED
}
