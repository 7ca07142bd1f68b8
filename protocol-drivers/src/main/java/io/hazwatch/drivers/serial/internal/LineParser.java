package io.hazwatch.drivers.serial.internal;

import io.hazwatch.drivers.serial.Escapes;
import io.hazwatch.drivers.serial.Checksum;
import io.hazwatch.drivers.serial.ChecksumVerdict;
import io.hazwatch.drivers.serial.Extraction;
import io.hazwatch.drivers.serial.LineChannel;
import io.hazwatch.drivers.serial.LineValueType;
import io.hazwatch.drivers.spi.Quality;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one frame into channel readings: checks the checksum, then for every channel the line feeds,
 * extracts its text and converts it. Pure and stateless apart from its configuration; safe from any
 * thread.
 *
 * <p>A line feeds a channel when the channel's {@code match} is found in the payload (or it has none)
 * and, for a {@code group} channel without a {@code match}, when its pattern is found. A line whose
 * checksum fails feeds the same channels, each with a bad reading that says why.
 */
public final class LineParser {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");

    private final Checksum checksum;
    private final String separator;
    private final List<LineChannel> channels;

    public LineParser(Checksum checksum, String separator, List<LineChannel> channels) {
        this.checksum = Objects.requireNonNull(checksum, "checksum");
        this.separator = Objects.requireNonNull(separator, "separator");
        this.channels = List.copyOf(channels);
    }

    /** What one frame says; channels it does not feed are absent from the readings. */
    public ParsedLine parse(String frame) {
        ChecksumVerdict verdict = checksum.check(frame, separator);
        String payload = verdict.payload();
        Map<Integer, ChannelReading> readings = new LinkedHashMap<>();
        Map<Pattern, Optional<Matcher>> found = new IdentityHashMap<>();
        Map<String, String[]> splits = new LinkedHashMap<>();
        for (int i = 0; i < channels.size(); i++) {
            LineChannel channel = channels.get(i);
            if (channel.match().isPresent() && !channel.match().get().matcher(payload).find()) {
                continue;
            }
            Optional<Matcher> groupMatch = Optional.empty();
            if (channel.extraction() instanceof Extraction.Group g) {
                groupMatch = found.computeIfAbsent(g.pattern(), pt -> {
                    Matcher m = pt.matcher(payload);
                    return m.find() ? Optional.of(m) : Optional.empty();
                });
                if (groupMatch.isEmpty() && channel.match().isEmpty()) {
                    continue; // not a line for this channel
                }
            }
            if (!verdict.usable()) {
                readings.put(i, new ChannelReading.Bad(Quality.BAD_COMM_FAIL, "checksum " + verdict.describe()
                        + " in line '" + Escapes.escape(frame) + "'"));
                continue;
            }
            readings.put(i, read(channel, payload, groupMatch, splits));
        }
        return new ParsedLine(frame, verdict, readings);
    }

    private static ChannelReading read(LineChannel channel, String payload, Optional<Matcher> groupMatch,
                                       Map<String, String[]> splits) {
        Extraction extraction = channel.extraction();
        String text;
        if (extraction instanceof Extraction.Group g) {
            if (groupMatch.isEmpty()) {
                return new ChannelReading.Bad(Quality.BAD_CONFIG, "line does not fit the pattern: '"
                        + Escapes.escape(payload) + "'");
            }
            text = groupMatch.get().group(g.name());
            if (text == null) {
                return new ChannelReading.Bad(Quality.BAD_CONFIG, "group '" + g.name() + "' took no part in the match");
            }
        } else if (extraction instanceof Extraction.Field f) {
            String[] fields = splits.computeIfAbsent(f.delimiter(), d -> payload.split(Pattern.quote(d), -1));
            if (f.index() >= fields.length) {
                return new ChannelReading.Bad(Quality.BAD_CONFIG, "no field " + f.index() + ": the line has "
                        + fields.length + " fields: '" + Escapes.escape(payload) + "'");
            }
            text = fields[f.index()];
        } else {
            Extraction.Columns c = (Extraction.Columns) extraction;
            if (c.column() + c.width() > payload.length()) {
                return new ChannelReading.Bad(Quality.BAD_CONFIG, "columns " + c.column() + ".."
                        + (c.column() + c.width() - 1) + " lie past the end of a " + payload.length()
                        + "-character line");
            }
            text = payload.substring(c.column(), c.column() + c.width());
        }
        return convert(channel, text.trim());
    }

    /** The value of {@code text} for {@code channel}, or why it has none. */
    static ChannelReading convert(LineChannel channel, String text) {
        LineValueType type = channel.type();
        if (text.isEmpty() && type != LineValueType.STRING) {
            return new ChannelReading.Bad(Quality.BAD_SENSOR_FAULT, "empty field: the instrument sent no value");
        }
        switch (type) {
            case STRING:
                return new ChannelReading.Value(text);
            case BOOL: {
                String t = text.toLowerCase(Locale.ROOT);
                if (t.equals("1") || t.equals("true") || t.equals("on") || t.equals("y") || t.equals("yes")) {
                    return new ChannelReading.Value(Boolean.TRUE);
                }
                if (t.equals("0") || t.equals("false") || t.equals("off") || t.equals("n") || t.equals("no")) {
                    return new ChannelReading.Value(Boolean.FALSE);
                }
                return new ChannelReading.Bad(Quality.BAD_CONFIG, "'" + text + "' is not a boolean");
            }
            case LONG: {
                if (!INTEGER.matcher(text).matches()) {
                    return new ChannelReading.Bad(Quality.BAD_CONFIG, "'" + text + "' is not a whole number");
                }
                long raw;
                try {
                    raw = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
                } catch (NumberFormatException e) {
                    return new ChannelReading.Bad(Quality.BAD_OUT_OF_RANGE, "'" + text + "' does not fit a long");
                }
                return channel.scaled() ? scaled(raw * channel.scale() + channel.offset(), text)
                        : new ChannelReading.Value(raw);
            }
            default: {
                if (!DECIMAL.matcher(text).matches()) {
                    return new ChannelReading.Bad(Quality.BAD_CONFIG, "'" + text + "' is not a number");
                }
                double raw = Double.parseDouble(text);
                return scaled(channel.scaled() ? raw * channel.scale() + channel.offset() : raw, text);
            }
        }
    }

    private static ChannelReading scaled(double value, String text) {
        if (!Double.isFinite(value)) {
            return new ChannelReading.Bad(Quality.BAD_OUT_OF_RANGE, "'" + text + "' gives " + value);
        }
        return new ChannelReading.Value(value);
    }

    /** One frame, its checksum verdict and the readings of the channels it feeds, by channel index. */
    public record ParsedLine(String frame, ChecksumVerdict verdict, Map<Integer, ChannelReading> readings) {
        public ParsedLine {
            readings = Map.copyOf(readings);
        }
    }

    /** What a line says about one channel. */
    public sealed interface ChannelReading {
        /** A good value: Double, Long, String or Boolean. */
        record Value(Object value) implements ChannelReading {
            public Value {
                Objects.requireNonNull(value, "value");
            }
        }

        /** No value, and why. */
        record Bad(Quality quality, String reason) implements ChannelReading {
            public Bad {
                Objects.requireNonNull(quality, "quality");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
