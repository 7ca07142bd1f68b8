package io.hazwatch.sims.link;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code hazwatch-sim link}: a simulated satellite or narrow-band link in front of a TCP server.
 * Exit codes: 0 done, 1 the port could not be opened, 2 bad arguments.
 */
@Command(name = "link", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Relays TCP connections to an upstream server through a simulated link: bandwidth cap, "
                + "one-way delay, jitter, a bounded modem buffer and outages (docs/link-simulator.md).",
                "Example: link --listen 17000 --upstream 127.0.0.1:7000 --profile vsat-256k "
                        + "--outage-every 60s --outage-for 10s",
                "Runs until interrupted unless --duration is given."})
public final class LinkCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(LinkCommand.class);

    @Spec
    private CommandSpec spec;

    @Option(names = "--listen", defaultValue = "0", paramLabel = "PORT",
            description = "Port clients connect to; 0 = ephemeral. Default: ${DEFAULT-VALUE}.")
    private int listen;

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Interface to listen on, e.g. 0.0.0.0 for all. Default: ${DEFAULT-VALUE}.")
    private String bind;

    @Option(names = "--upstream", required = true, paramLabel = "HOST:PORT",
            description = "Server every connection is relayed to, e.g. 127.0.0.1:7000 or [::1]:7000.")
    private String upstream;

    @Option(names = "--profile", defaultValue = "vsat-256k", paramLabel = "NAME",
            description = "Preset: terrestrial, vsat-256k (alias vsat), vsat-2m, tiantong. "
                    + "The options below override its fields. Default: ${DEFAULT-VALUE}.")
    private String profileName;

    @Option(names = "--bandwidth-kbps", paramLabel = "KBPS",
            description = "Bandwidth of each direction in kbit/s (decimals allowed: 9.6).")
    private Double bandwidthKbps;

    @Option(names = "--delay-ms", paramLabel = "MS", description = "One-way delay of each direction.")
    private Long delayMillis;

    @Option(names = "--jitter-ms", paramLabel = "MS",
            description = "Upper bound of the random extra delay per chunk (never reorders a connection).")
    private Long jitterMillis;

    @Option(names = "--buffer-kb", paramLabel = "KIB",
            description = "Modem buffer of each direction in KiB; when full, senders are back-pressured.")
    private Integer bufferKib;

    @Option(names = "--outage-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "An outage starts this often (start to start), e.g. 60s, 5m. Needs --outage-for.")
    private Duration outageEvery;

    @Option(names = "--outage-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Length of each scheduled outage, e.g. 10s, 500ms.")
    private Duration outageFor;

    @Option(names = "--hard-outages",
            description = "Scheduled outages reset connections instead of fading silently.")
    private boolean hardOutages;

    @Option(names = "--seed", defaultValue = "1", description = "Jitter seed. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--stats-every", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Print the counters this often, e.g. 10s. Default: only at the end.")
    private Duration statsEvery;

    @Option(names = "--duration", paramLabel = "SECONDS",
            description = "Stop after this many seconds (0 = start, report, stop). Default: run until interrupted.")
    private Long durationSeconds;

    @Override
    public Integer call() throws InterruptedException {
        LinkSimulator.Builder builder = configure();
        PrintWriter out = spec.commandLine().getOut();
        LinkSimulator link;
        try {
            link = builder.start();
        } catch (UncheckedIOException e) {
            spec.commandLine().getErr().println(e.getMessage() + ": " + e.getCause().getMessage());
            return 1;
        }
        out.printf("link listening on %s:%d -> %s, %s%s%n", link.address().getAddress().getHostAddress(),
                link.port(), upstream, link.profile().describe(), scheduleText());
        out.flush();
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            link.close();
            stop.countDown();
        }, "link-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long deadline = durationSeconds == null ? Long.MAX_VALUE
                    : System.nanoTime() + TimeUnit.SECONDS.toNanos(durationSeconds);
            long step = statsEvery == null ? Long.MAX_VALUE : statsEvery.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stop.await(Math.min(left, step), TimeUnit.NANOSECONDS)) {
                    break;
                }
                if (statsEvery != null) {
                    out.println("link " + link.stats().describe());
                    out.flush();
                }
            }
        } finally {
            LinkStats last = link.stats();
            link.close();
            removeHook(hook);
            out.println("link stopped: " + last.describe());
            out.flush();
        }
        return 0;
    }

    private LinkSimulator.Builder configure() {
        CommandLine cl = spec.commandLine();
        if (listen < 0 || listen > 65535) {
            throw new ParameterException(cl, "--listen must be 0..65535, got " + listen);
        }
        if (durationSeconds != null && durationSeconds < 0) {
            throw new ParameterException(cl, "--duration must not be negative, got " + durationSeconds);
        }
        if (statsEvery != null && (statsEvery.isNegative() || statsEvery.isZero())) {
            throw new ParameterException(cl, "--stats-every must be positive, got " + statsEvery);
        }
        try {
            LinkProfile profile = LinkProfile.byName(profileName);
            if (bandwidthKbps != null) {
                profile = profile.withBitsPerSecond(Math.round(bandwidthKbps * 1000.0));
            }
            if (delayMillis != null) {
                profile = profile.withOneWayDelay(Duration.ofMillis(delayMillis));
            }
            if (jitterMillis != null) {
                profile = profile.withJitter(Duration.ofMillis(jitterMillis));
            }
            if (bufferKib != null) {
                profile = profile.withBufferBytes(Math.multiplyExact(bufferKib, 1024));
            }
            if (bandwidthKbps != null || delayMillis != null || jitterMillis != null || bufferKib != null) {
                profile = profile.named(profile.name() + "+custom");
            }
            LinkSimulator.Builder builder = LinkSimulator.builder(parseUpstream(upstream))
                    .profile(profile)
                    .bindAddress(InetAddress.getByName(bind))
                    .port(listen)
                    .seed(seed);
            if ((outageEvery == null) != (outageFor == null)) {
                throw new ParameterException(cl, "--outage-every and --outage-for go together");
            }
            if (outageEvery != null) {
                builder.outages(OutageSchedule.every(outageEvery, outageFor,
                        hardOutages ? OutageKind.HARD : OutageKind.FADE));
            }
            return builder;
        } catch (IllegalArgumentException | ArithmeticException | UnknownHostException e) {
            throw new ParameterException(cl, e.getMessage(), e);
        }
    }

    private String scheduleText() {
        if (outageEvery == null) {
            return "";
        }
        return String.format(Locale.ROOT, "; %s outage of %s every %s", hardOutages ? "hard" : "fade",
                shortText(outageFor), shortText(outageEvery));
    }

    private static String shortText(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    static InetSocketAddress parseUpstream(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--upstream must be HOST:PORT, got '" + text + "'");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--upstream port is not a number in '" + text + "'", e);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--upstream port must be 1..65535, got " + port);
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("cannot resolve upstream host '" + host + "'");
        }
        return address;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            LOG.debug("JVM already shutting down; the hook runs itself", e);
        }
    }

    /** Reads {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, a bare number of seconds, or ISO-8601 {@code PT10S}. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

        @Override
        public Duration convert(String value) {
            String text = value.strip().toLowerCase(Locale.ROOT);
            Matcher m = SHORT.matcher(text);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "s" : m.group(2);
                switch (unit) {
                    case "ms":
                        return Duration.ofMillis(n);
                    case "m":
                        return Duration.ofMinutes(n);
                    case "h":
                        return Duration.ofHours(n);
                    default:
                        return Duration.ofSeconds(n);
                }
            }
            try {
                return Duration.parse(value.strip());
            } catch (DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, "
                        + "10s, 5m, 1h or PT10S");
            }
        }
    }
}
