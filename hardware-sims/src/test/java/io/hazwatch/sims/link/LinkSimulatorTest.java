package io.hazwatch.sims.link;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The simulator on loopback with real sockets. Timings are asserted only as bounds the model guarantees (a
 * floor on delay, a ceiling on throughput), never as "about N ms": CI shares two cores.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinkSimulatorTest {

    /** Fast enough that bulk tests finish quickly, jittery enough to reorder chunks if the model allowed it. */
    private static final LinkProfile FAST_JITTERY = new LinkProfile("fast-jittery", 20_000_000,
            Duration.ofMillis(5), Duration.ofMillis(5), 32 * 1024);
    private static final LinkProfile FAST = new LinkProfile("fast", 2_000_000, Duration.ofMillis(20),
            Duration.ZERO, 64 * 1024);

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();

    @AfterEach
    void closeEverything() throws Exception {
        while (!resources.isEmpty()) {
            resources.pop().close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        resources.push(resource);
        return resource;
    }

    @Test
    void bytes_cross_intact_and_in_order_in_both_directions_and_eof_follows_them() throws Exception {
        byte[] up = random(256 * 1024, 1);
        byte[] down = random(256 * 1024, 2);
        LoopbackServer.Sink atUpstream = new LoopbackServer.Sink();
        LoopbackServer server = closeLater(LoopbackServer.start(socket -> {
            writeInBackground(socket, down);
            atUpstream.drain(socket.getInputStream());
        }));
        LinkSimulator link = closeLater(LinkSimulator.start(FAST_JITTERY, server.address()));
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        LoopbackServer.Sink atClient = new LoopbackServer.Sink();

        writeInBackground(client, up);
        atClient.drain(client.getInputStream());

        assertThat(atClient.done().get(30, TimeUnit.SECONDS)).isEqualTo(LoopbackServer.sha256Hex(down));
        assertThat(atUpstream.done().get(30, TimeUnit.SECONDS)).isEqualTo(LoopbackServer.sha256Hex(up));
        LinkStats stats = link.stats();
        assertThat(stats.upstream().bytesAccepted()).isEqualTo(up.length);
        assertThat(stats.upstream().bytesDelivered()).isEqualTo(up.length);
        assertThat(stats.downstream().bytesDelivered()).isEqualTo(down.length);
        assertThat(stats.upstream().maxQueuedBytes()).isLessThanOrEqualTo(FAST_JITTERY.bufferBytes());
        assertThat(stats.resetConnections()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().openConnections() == 0);
    }

    @Test
    void a_round_trip_over_vsat_takes_at_least_twice_the_300_ms_one_way_delay() throws Exception {
        LoopbackServer echo = closeLater(LoopbackServer.echo());
        LinkSimulator link = closeLater(LinkSimulator.start(LinkProfile.VSAT_256K, echo.address()));
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        byte[] ping = random(64, 3);

        long start = System.nanoTime();
        client.getOutputStream().write(ping);
        byte[] pong = client.getInputStream().readNBytes(ping.length);
        Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);

        assertThat(pong).isEqualTo(ping);
        assertThat(roundTrip).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void a_multi_second_transfer_over_256_kbit_per_s_does_not_beat_the_cap() throws Exception {
        byte[] payload = random(96_000, 4); // 3 s at 256 kbit/s
        LoopbackServer.Sink sink = new LoopbackServer.Sink();
        LoopbackServer server = closeLater(LoopbackServer.start(socket -> sink.drain(socket.getInputStream())));
        LinkSimulator link = closeLater(LinkSimulator.start(LinkProfile.VSAT_256K, server.address()));
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));

        writeInBackground(client, payload);

        assertThat(sink.done().get(30, TimeUnit.SECONDS)).isEqualTo(LoopbackServer.sha256Hex(payload));
        // Bytes after the first read, over the time from the first read to the last: a late first read only
        // moves bytes into the first read, so this can overstate the rate by at most a chunk plus the jitter.
        double seconds = (sink.lastReadAt() - sink.firstReadAt()) / 1e9;
        double bitsPerSecond = (payload.length - sink.firstReadBytes()) * 8 / seconds;
        assertThat(bitsPerSecond).isLessThanOrEqualTo(256_000 * 1.10);
    }

    @Test
    void a_fade_stops_delivery_and_the_held_bytes_all_arrive_in_order_after_it() throws Exception {
        byte[] payload = random(24 * 1024, 5);
        LoopbackServer.Sink sink = new LoopbackServer.Sink();
        LoopbackServer server = closeLater(LoopbackServer.start(socket -> sink.drain(socket.getInputStream())));
        LinkSimulator link = closeLater(LinkSimulator.start(FAST, server.address()));
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        OutputStream out = client.getOutputStream();

        out.write(payload, 0, 8 * 1024);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.received() == 8 * 1024);
        link.down();
        out.write(payload, 8 * 1024, 16 * 1024); // fits in the socket buffers; the link reads none of it

        assertThat(link.state()).isEqualTo(LinkState.FADED);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(3)).until(() ->
                sink.received() == 8 * 1024 && link.stats().upstream().bytesAccepted() == 8 * 1024);
        link.up();
        client.shutdownOutput();

        assertThat(sink.done().get(30, TimeUnit.SECONDS)).isEqualTo(LoopbackServer.sha256Hex(payload));
        LinkStats stats = link.stats();
        assertThat(stats.outages()).isEqualTo(1);
        assertThat(stats.timeDown()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(stats.resetConnections()).isZero();
        assertThat(stats.upstream().bytesDiscarded()).isZero();
    }

    @Test
    void a_timed_outage_ends_by_itself_and_a_schedule_repeats_outages() {
        LinkSimulator link = closeLater(LinkSimulator.start(FAST, new InetSocketAddress(
                InetAddress.getLoopbackAddress(), 9)));

        link.outage(Duration.ofMillis(300));
        assertThat(link.state()).isEqualTo(LinkState.FADED);
        await().atMost(Duration.ofSeconds(10)).until(() -> link.state() == LinkState.UP);
        assertThat(link.stats().timeDown()).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        link.setOutageSchedule(OutageSchedule.repeating(Duration.ofMillis(150), Duration.ofMillis(150)));
        await().atMost(Duration.ofSeconds(10)).until(() -> link.stats().outages() >= 3);
        link.clearOutageSchedule();
        // only the explicit 300 ms is a floor: a scheduled outage the loop starts late is that much shorter
        assertThat(link.stats().timeDown()).isGreaterThan(Duration.ofMillis(300));
    }

    @Test
    void a_hard_outage_resets_open_and_new_connections_and_the_link_works_again_after_it() throws Exception {
        LoopbackServer echo = closeLater(LoopbackServer.echo());
        LinkSimulator link = closeLater(LinkSimulator.start(FAST, echo.address()));
        Socket before = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        assertEchoes(before);

        link.down(OutageKind.HARD);

        assertThat(readUntilClosed(before)).isIn("reset", "eof");
        Socket during = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        assertThat(readUntilClosed(during)).isIn("reset", "eof");
        assertThat(link.stats().resetConnections()).isGreaterThanOrEqualTo(2);
        assertThat(link.stats().openConnections()).isZero();

        link.up();
        Socket after = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        assertEchoes(after);
    }

    @Test
    void a_full_buffer_blocks_the_sender_instead_of_dropping_bytes() throws Exception {
        LinkProfile slow = new LinkProfile("slow", 64_000, Duration.ofMillis(10), Duration.ZERO, 8 * 1024);
        byte[] payload = random(1024 * 1024, 6);
        LoopbackServer.Sink sink = new LoopbackServer.Sink();
        LoopbackServer server = closeLater(LoopbackServer.start(socket -> sink.drain(socket.getInputStream())));
        LinkSimulator link = closeLater(LinkSimulator.start(slow, server.address()));
        SocketChannel client = closeLater(SocketChannel.open());
        client.setOption(StandardSocketOptions.SO_SNDBUF, 8 * 1024);
        client.connect(link.address());
        client.configureBlocking(false);

        ByteBuffer rest = ByteBuffer.wrap(payload);
        while (rest.hasRemaining() && client.write(rest) > 0) {
            // a non-blocking write returns 0 once every buffer between here and the link is full
        }

        assertThat(rest.hasRemaining()).as("the sender was stopped before the whole megabyte left it").isTrue();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> link.stats().upstream().maxQueuedBytes() == slow.bufferBytes());
        LinkStats full = link.stats();
        assertThat(full.upstream().queuedBytes()).isLessThanOrEqualTo(slow.bufferBytes());
        assertThat(full.upstream().bytesAccepted()).isLessThan(rest.position());

        link.setProfile(FAST.withBitsPerSecond(50_000_000));
        client.configureBlocking(true);
        client.write(rest);
        client.shutdownOutput();

        assertThat(sink.done().get(30, TimeUnit.SECONDS)).isEqualTo(LoopbackServer.sha256Hex(payload));
        LinkStats end = link.stats();
        assertThat(end.upstream().bytesAccepted()).isEqualTo(payload.length);
        assertThat(end.upstream().bytesDelivered()).isEqualTo(payload.length);
        assertThat(end.upstream().maxQueuedBytes()).isLessThanOrEqualTo(FAST.bufferBytes());
        assertThat(end.upstream().bytesDiscarded()).isZero();
    }

    @Test
    void close_ends_open_connections_and_frees_the_port() throws Exception {
        LoopbackServer echo = closeLater(LoopbackServer.echo());
        LinkSimulator link = closeLater(LinkSimulator.start(FAST, echo.address()));
        Socket client = closeLater(new Socket(InetAddress.getLoopbackAddress(), link.port()));
        assertEchoes(client);
        int port = link.port();

        link.close();
        link.close();

        assertThat(link.state()).isEqualTo(LinkState.CLOSED);
        assertThat(readUntilClosed(client)).isIn("eof", "reset");
        assertThatThrownBy(() -> new Socket(InetAddress.getLoopbackAddress(), port).close())
                .isInstanceOf(ConnectException.class);
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
        assertThatThrownBy(link::down).isInstanceOf(IllegalStateException.class);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("hazwatch-link-" + port));
    }

    private static void assertEchoes(Socket socket) throws IOException {
        byte[] ping = random(32, socket.getLocalPort());
        socket.getOutputStream().write(ping);
        assertThat(socket.getInputStream().readNBytes(ping.length)).isEqualTo(ping);
    }

    /** Reads until the connection ends; "eof" for a FIN, "reset" for an RST. Bounded by the class timeout. */
    private static String readUntilClosed(Socket socket) {
        try {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            byte[] buf = new byte[1024];
            while (in.read(buf) >= 0) {
                // discard anything still in flight
            }
            return "eof";
        } catch (SocketException e) {
            return "reset";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static void writeInBackground(Socket socket, byte[] data) {
        CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                out.write(data);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException("writer failed", e);
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "test-writer");
            t.setDaemon(true);
            t.start();
        });
    }

    private static byte[] random(int size, long seed) {
        byte[] data = new byte[size];
        new Random(seed).nextBytes(data);
        return data;
    }
}
