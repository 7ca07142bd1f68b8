package io.hazwatch.sync.link.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.hazwatch.sync.model.Lane;
import io.hazwatch.sync.model.PointValue;
import io.hazwatch.sync.model.Reading;
import io.hazwatch.sync.model.SyncRecord;
import io.hazwatch.sync.wire.ErrorCode;
import io.hazwatch.sync.wire.Frame;
import io.hazwatch.sync.wire.FrameCodec;
import io.hazwatch.sync.wire.GoldenVectors;
import io.hazwatch.sync.wire.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Framing (docs/sync-protocol.md, "Framing"): a u32 big-endian length, then that many bytes of frame
 * body. No sockets: Netty's EmbeddedChannel drives the decoder and encoder directly.
 */
class FrameDecoderTest {
    private static final int MAX = FrameCodec.MAX_FRAME_BYTES;

    private final EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX), new FrameEncoder(new io.hazwatch.sync.wire.LinkCodec()));

    @AfterEach
    void release() {
        ch.finishAndReleaseAll();
    }

    @Test
    void framesSplitAcrossReadsAtEveryPossibleBoundaryAreReassembled() {
        List<Frame> sent = List.of(GoldenVectors.HELLO, GoldenVectors.BATCH, new Frame.Ping(1, 2, 3),
                new Frame.Pong(1, 4), new Frame.Error(ErrorCode.SHUTTING_DOWN, "bye"));
        byte[] stream = framed(sent);

        for (int chunk = 1; chunk <= 40; chunk++) {
            EmbeddedChannel c = new EmbeddedChannel(new FrameDecoder(MAX));
            for (int i = 0; i < stream.length; i += chunk) {
                c.writeInbound(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
            }
            assertThat(drainInbound(c)).as("chunks of %d bytes", chunk).containsExactlyElementsOf(sent);
            assertThat(c.finish()).isFalse();
        }
    }

    @Test
    void framesSplitAtRandomPlacesAreReassembledInOrder() {
        Random rnd = new Random(42);
        List<Frame> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(new Frame.Batch(i, List.of(new SyncRecord("130102-E0042-01", Lane.CURRENT, i,
                    new Reading("p/" + (i % 7), 1_780_000_000_000L + i, PointValue.of(rnd.nextDouble()), 0)))));
        }
        byte[] stream = framed(sent);

        int i = 0;
        while (i < stream.length) {
            int n = Math.min(1 + rnd.nextInt(300), stream.length - i);
            ch.writeInbound(Unpooled.wrappedBuffer(stream, i, n));
            i += n;
        }

        assertThat(drainInbound(ch)).containsExactlyElementsOf(sent);
    }

    @Test
    void severalFramesInOneReadAreAllDelivered() {
        List<Frame> sent = List.of(new Frame.Ping(1, 1, 0), new Frame.Ping(2, 2, 0), new Frame.Ping(3, 3, 0));

        ch.writeInbound(Unpooled.wrappedBuffer(framed(sent)));

        assertThat(drainInbound(ch)).containsExactlyElementsOf(sent);
    }

    @Test
    void nothingIsDeliveredUntilTheWholeBodyHasArrived() {
        byte[] stream = framed(List.of(GoldenVectors.BATCH));

        ch.writeInbound(Unpooled.wrappedBuffer(stream, 0, stream.length - 1));
        assertThat((Object) ch.readInbound()).isNull();

        ch.writeInbound(Unpooled.wrappedBuffer(stream, stream.length - 1, 1));
        assertThat((Object) ch.readInbound()).isEqualTo(GoldenVectors.BATCH);
    }

    @Test
    void theEncoderWritesAU32LengthThenTheGoldenBody() {
        ch.writeOutbound(GoldenVectors.HELLO);
        ByteBuf out = ch.readOutbound();
        try {
            byte[] golden = GoldenVectors.load("hello.hex");
            assertThat(out.readableBytes()).isEqualTo(4 + golden.length);
            assertThat(out.readInt()).isEqualTo(golden.length);
            byte[] body = new byte[golden.length];
            out.readBytes(body);
            assertThat(body).isEqualTo(golden);
        } finally {
            out.release();
        }
    }

    @Test
    void whatTheEncoderWritesTheDecoderReads() {
        ch.writeOutbound(GoldenVectors.BATCH, new Frame.Pong(9, 9));
        ByteBuf a = ch.readOutbound();
        ByteBuf b = ch.readOutbound();

        ch.writeInbound(a, b);

        assertThat(drainInbound(ch)).containsExactly(GoldenVectors.BATCH, new Frame.Pong(9, 9));
    }

    @Test
    void aLengthOverTheMaximumIsRefusedAsFrameTooLargeAsSoonAsTheLengthArrives() {
        ByteBuf header = Unpooled.buffer().writeInt(MAX + 1);

        ProtocolException e = protocolCause(catchThrowable(() -> ch.writeInbound(header)));

        assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(e.getMessage()).contains(String.valueOf(MAX + 1)).contains(String.valueOf(MAX));
    }

    @Test
    void aLengthWithTheTopBitSetIsTooLargeNotNegative() {
        ProtocolException e = protocolCause(catchThrowable(
                () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}))));

        assertThat(e.code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(e.getMessage()).contains("4294967295");
    }

    @Test
    void aFrameOfExactlyTheMaximumLengthIsNotRefusedForItsLength() {
        EmbeddedChannel small = new EmbeddedChannel(new FrameDecoder(16));
        byte[] ping = FrameCodec.encode(new Frame.Ping(1, 1, 1));
        ByteBuf buf = Unpooled.buffer().writeInt(16).writeBytes(ping).writeZero(16 - ping.length);

        ProtocolException e = protocolCause(catchThrowable(() -> small.writeInbound(buf)));

        // 16 bytes are allowed through to the codec, which then finds the padding
        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.getMessage()).contains("trailing");
        small.finishAndReleaseAll();
    }

    @Test
    void aZeroLengthFrameIsMalformed() {
        ProtocolException e = protocolCause(catchThrowable(() -> ch.writeInbound(Unpooled.buffer().writeInt(0))));

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(e.getMessage()).contains("empty frame");
    }

    @Test
    void aBodyThatDoesNotDecodeIsMalformed() {
        ByteBuf buf = Unpooled.buffer().writeInt(3).writeByte(0x06).writeByte(0x80).writeByte(0x80);

        ProtocolException e = protocolCause(catchThrowable(() -> ch.writeInbound(buf)));

        assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void afterARefusalTheDecoderDeliversNothingMoreEvenValidFrames() {
        byte[] good = framed(List.of(new Frame.Ping(7, 7, 7)));
        ByteBuf buf = Unpooled.buffer().writeInt(0).writeBytes(good);

        assertThat(protocolCause(catchThrowable(() -> ch.writeInbound(buf))).code())
                .isEqualTo(ErrorCode.MALFORMED_FRAME);

        ch.writeInbound(Unpooled.wrappedBuffer(good));
        assertThat((Object) ch.readInbound()).isNull();
    }

    @Test
    void aValidFrameBeforeABadOneIsStillDelivered() {
        byte[] good = framed(List.of(new Frame.Ping(7, 7, 7)));
        ByteBuf buf = Unpooled.buffer().writeBytes(good).writeInt(MAX + 1);

        Throwable t = catchThrowable(() -> ch.writeInbound(buf));

        assertThat(protocolCause(t).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat((Object) ch.readInbound()).isEqualTo(new Frame.Ping(7, 7, 7));
    }

    @Test
    void protocolCauseFindsTheProtocolExceptionBehindAPipelineExceptionAndNothingElse() {
        ProtocolException pe = new ProtocolException(ErrorCode.MALFORMED_FRAME, "x");

        assertThat(Protocol.protocolCause(new io.netty.handler.codec.DecoderException(pe))).isSameAs(pe);
        assertThat(Protocol.protocolCause(pe)).isSameAs(pe);
        assertThat(Protocol.protocolCause(new RuntimeException(new IllegalStateException()))).isNull();
        assertThat(Protocol.protocolCause(null)).isNull();
    }

    // ---- helpers

    private static byte[] framed(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            byte[] body = FrameCodec.encode(f);
            out.writeBytes(ByteBuffer.allocate(4).putInt(body.length).array());
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static List<Frame> drainInbound(EmbeddedChannel c) {
        List<Frame> out = new ArrayList<>();
        Object o;
        while ((o = c.readInbound()) != null) {
            out.add((Frame) o);
        }
        return out;
    }

    private static ProtocolException protocolCause(Throwable t) {
        assertThat(t).as("the decoder raised something").isNotNull();
        ProtocolException pe = Protocol.protocolCause(t);
        assertThat(pe).as("a ProtocolException behind %s", t).isNotNull();
        return pe;
    }
}
