package io.hazwatch.sync.link.internal;

import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.LinkCodec;
import io.hazwatch.sync.wire.WireWriter;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a frame as a 4-byte big-endian length followed by the frame body, through the connection's
 * {@link LinkCodec}. One instance per connection: the codec holds the connection's dictionary.
 */
public final class FrameEncoder extends MessageToByteEncoder<Frame> {
    private final LinkCodec codec;
    private final WireWriter w = new WireWriter(4096);

    public FrameEncoder(LinkCodec codec) {
        super(Frame.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, ByteBuf out) {
        w.reset();
        codec.encode(frame, w);
        out.writeInt(w.size());
        out.writeBytes(w.array(), 0, w.size());
    }
}
