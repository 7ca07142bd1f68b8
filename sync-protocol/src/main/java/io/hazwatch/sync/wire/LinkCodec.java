package io.hazwatch.sync.wire;

/**
 * The codec of one connection: frames as {@link FrameCodec} writes them, except batches once version
 * 2 is negotiated, which travel as compact batches ({@link ColumnarBatchCodec}) naming origins and
 * points through this connection's string dictionaries (one per direction).
 *
 * <p>Threading: {@link #encode} is called by the connection's encoder only and {@link #decode} by its
 * decoder only; each dictionary therefore has a single owner. The version and compression are set
 * once, by the connection handler, when hello and welcome have been exchanged.
 */
public final class LinkCodec {
    private final StringDictionary tx = new StringDictionary();
    private final StringDictionary rx = new StringDictionary();
    private volatile int version = 1;
    private volatile Compression compression = Compression.NONE;

    /** Applies the negotiated version and the sender's choice of frame compressor. */
    public void negotiated(int version, Compression compression) {
        this.version = version;
        this.compression = compression;
    }

    public int version() {
        return version;
    }

    public void encode(Frame frame, WireWriter out) {
        if (version >= 2 && frame instanceof Frame.Batch b) {
            ColumnarBatchCodec.encode(b, tx, compression, out);
        } else {
            FrameCodec.encode(frame, out);
        }
    }

    public Frame decode(byte[] body) {
        if (body.length > 0 && (body[0] & 0xFF) == Frame.FrameType.BATCH_V2) {
            if (version < 2) {
                throw new ProtocolException(ErrorCode.UNEXPECTED_FRAME,
                        "compact batch on a connection that negotiated version " + version);
            }
            WireReader r = new WireReader(body);
            r.u8();
            return ColumnarBatchCodec.decode(r, rx);
        }
        Frame f = FrameCodec.decode(body, 0, body.length, version);
        if (f instanceof Frame.Welcome w) {
            // the child reads what follows the welcome (credit, acknowledgements) in the version it names
            version = w.version();
        }
        return f;
    }
}
