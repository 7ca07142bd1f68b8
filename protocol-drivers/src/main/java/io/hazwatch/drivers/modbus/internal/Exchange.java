package io.hazwatch.drivers.modbus.internal;

/** What one request on a serial line (or RTU over TCP) brought back: an answer's PDU, or why none. */
public sealed interface Exchange permits Exchange.Reply, Exchange.LinkFailure {

    /** An intact answer from the addressed unit: its PDU (function code first), checksum removed. */
    record Reply(byte[] pdu) implements Exchange {
        public Reply {
            pdu = pdu.clone();
        }

        @Override
        public byte[] pdu() {
            return pdu.clone();
        }
    }

    /** No usable answer: timeout, failed port or connection, or a damaged frame. */
    sealed interface LinkFailure extends Exchange permits ReadOutcome.Timeout, ReadOutcome.CommFailure,
            ReadOutcome.Garbled {
        String message();
    }
}
