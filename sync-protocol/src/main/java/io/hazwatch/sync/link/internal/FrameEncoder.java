package io.hazwatch.sync.link.internal;

import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.WireWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes a frame as a 4-byte big-endian length followed by the frame body. */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(Frame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        WireWriter w = new WireWriter(256);
        FrameCodec.encode(frame, w);
        out.writeInt(w.size());
        out.writeBytes(w.array(), 0, w.size());
    }
}
