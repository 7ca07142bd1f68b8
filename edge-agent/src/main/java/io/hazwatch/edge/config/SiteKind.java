package io.hazwatch.edge.config;

/** What an enterprise site is, which decides its monitoring-point catalogue (DOMAIN sections 2-4). */
public enum SiteKind {
    /** hazardous-chemical major hazard installation (tank farm, reactor plant) */
    HAZCHEM,
    /** tailings pond */
    TAILINGS,
    /** fireworks production or storage */
    FIREWORKS
}
