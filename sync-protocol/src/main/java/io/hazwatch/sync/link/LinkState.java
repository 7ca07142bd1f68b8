package io.hazwatch.sync.link;

/**
 * States of an uplink (docs/sync-protocol.md, section 5):
 * {@code DISCONNECTED -> CONNECTING -> HANDSHAKING -> STREAMING}, and on any failure
 * {@code -> BACKING_OFF -> CONNECTING}; {@code CLOSED} is final.
 */
public enum LinkState {
    DISCONNECTED, CONNECTING, HANDSHAKING, STREAMING, BACKING_OFF, CLOSED
}
