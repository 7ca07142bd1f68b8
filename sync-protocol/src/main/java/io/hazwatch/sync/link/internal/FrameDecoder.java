package io.hazwatch.sync.link.internal;

import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Framing, kept apart from decoding: cuts the stream into length-prefixed frames and hands each body
 * to the connection's {@link LinkCodec} ({@link FrameCodec} for version 1). A length over the maximum or a body that does not decode raises a
 * {@link ProtocolException}; the connection handler answers with an ERROR frame and closes.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    private final int maxFrameBytes;
    private final LinkCodec codec;
    private boolean failed;

    /** A decoder of version-1 frames only. */
    public FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, new LinkCodec());
    }

    /** A decoder that follows the connection's negotiated version through {@code codec}. */
    public FrameDecoder(int maxFrameBytes, LinkCodec codec) {
        this.maxFrameBytes = maxFrameBytes;
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < 4) {
            return;
        }
        long len = in.getUnsignedInt(in.readerIndex());
        if (len > maxFrameBytes || len == 0) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw len == 0 ? new ProtocolException(ErrorCode.MALFORMED_FRAME, "empty frame")
                    : new ProtocolException(ErrorCode.FRAME_TOO_LARGE,
                    "frame of " + len + " bytes exceeds the maximum of " + maxFrameBytes);
        }
        if (in.readableBytes() < 4 + len) {
            return;
        }
        in.skipBytes(4);
        byte[] body = new byte[(int) len];
        in.readBytes(body);
        try {
            out.add(codec.decode(body));
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }
}
