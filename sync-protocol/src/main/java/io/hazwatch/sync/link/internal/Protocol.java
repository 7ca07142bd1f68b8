package io.hazwatch.sync.link.internal;

import io.hazwatch.sync.wire.ProtocolException;
import io.netty.handler.codec.DecoderException;

/** Small helpers shared by both ends of a link. */
public final class Protocol {
    private Protocol() {
    }

    /** The protocol exception behind a pipeline exception, if that is what it is. */
    public static ProtocolException protocolCause(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof ProtocolException pe) {
                return pe;
            }
            c = c instanceof DecoderException || c.getCause() != c ? c.getCause() : null;
        }
        return null;
    }
}
