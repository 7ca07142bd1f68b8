package io.hazwatch.node.config;

/** What a node is in the hierarchy. The hierarchy itself is configuration. */
public enum NodeRole {
    EDGE, COUNTY, CITY, PROVINCE
}
