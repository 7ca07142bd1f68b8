package io.hazwatch.drivers.plc4x.internal;

import io.hazwatch.drivers.plc4x.Plc4xDeviceConfig;
import io.hazwatch.drivers.spi.Quality;
import org.apache.plc4x.java.api.PlcConnection;
import org.apache.plc4x.java.api.PlcDriverManager;
import org.apache.plc4x.java.api.exceptions.PlcConnectionException;
import org.apache.plc4x.java.api.messages.PlcReadRequest;
import org.apache.plc4x.java.api.messages.PlcReadResponse;
import org.apache.plc4x.java.api.types.PlcResponseCode;
import org.apache.plc4x.java.api.types.PlcValueType;
import org.apache.plc4x.java.api.value.PlcValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Plc4xLink} on PLC4X's {@link PlcDriverManager#getDefault() default driver manager} and its
 * connection manager: one {@link PlcConnection} kept open between reads and one read request per cycle
 * holding every tag.
 *
 * <p>PLC4X connections are Netty channels whose {@code close()} waits up to two seconds for the event
 * loop to stop, so a broken connection is closed on a separate thread while the driver goes on.
 */
public final class PlcConnectionLink implements Plc4xLink {

    private static final Logger LOG = LoggerFactory.getLogger(PlcConnectionLink.class);

    private final Plc4xDeviceConfig config;
    private final ExecutorService closer;
    private PlcConnection connection;

    public PlcConnectionLink(Plc4xDeviceConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.closer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "plc4x-close-" + config.name());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void connect() throws IOException {
        if (isConnected()) {
            return;
        }
        close();
        try {
            connection = PlcDriverManager.getDefault().getConnectionManager().getConnection(config.connection());
        } catch (PlcConnectionException | RuntimeException e) {
            throw new IOException(describe(e), e);
        }
    }

    @Override
    public boolean isConnected() {
        return connection != null && connection.isConnected();
    }

    @Override
    public ReadResult read(List<String> tags, long timeoutMs) {
        if (connection == null) {
            return new ReadResult.Failure("not connected");
        }
        PlcReadRequest.Builder builder = connection.readRequestBuilder();
        for (int i = 0; i < tags.size(); i++) {
            builder.addTagAddress(tagName(i), tags.get(i));
        }
        PlcReadResponse response;
        try {
            response = builder.build().execute().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            close();
            return new ReadResult.Timeout("no answer within " + timeoutMs + " ms");
        } catch (ExecutionException e) {
            close();
            return new ReadResult.Failure(describe(e.getCause() == null ? e : e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            return new ReadResult.Failure("interrupted");
        } catch (RuntimeException e) { // PLC4X throws unchecked exceptions for tags its driver refuses
            return new ReadResult.Failure(describe(e));
        }
        List<TagOutcome> out = new ArrayList<>(tags.size());
        for (int i = 0; i < tags.size(); i++) {
            out.add(outcome(response, tagName(i)));
        }
        return new ReadResult.Answered(out);
    }

    @Override
    public void close() {
        PlcConnection old = connection;
        connection = null;
        if (old == null) {
            return;
        }
        closer.execute(() -> {
            try {
                old.close();
            } catch (Exception e) { // PlcConnection.close() declares Exception; an event loop already gone throws
                LOG.debug("device {}: closing the PLC4X connection: {}", config.name(), e.toString());
            }
        });
    }

    /** Closes the connection and waits for it (at most {@code millis}); for the driver's own close. */
    public void closeAndWait(long millis) {
        close();
        closer.shutdown();
        try {
            if (!closer.awaitTermination(millis, TimeUnit.MILLISECONDS)) {
                LOG.debug("device {}: PLC4X connection still closing", config.name());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tagName(int index) {
        return "c" + index;
    }

    static TagOutcome outcome(PlcReadResponse response, String name) {
        PlcResponseCode code = response.getResponseCode(name);
        if (code != PlcResponseCode.OK) {
            return new TagOutcome.Bad(quality(code), "PLC4X response code " + code);
        }
        PlcValue value = response.getPlcValue(name);
        if (value == null || value.isNull()) {
            return new TagOutcome.Bad(Quality.BAD_CONFIG, "PLC4X returned no value");
        }
        return convert(value);
    }

    /** PLC4X's per-tag response code as a sample quality (docs/drivers-plc4x.md has the table). */
    static Quality quality(PlcResponseCode code) {
        switch (code) {
            case OK:
                return Quality.GOOD;
            case NOT_FOUND:
            case INVALID_ADDRESS:
            case ACCESS_DENIED:
            case REMOTE_BUSY:
            case REMOTE_ERROR:
                return Quality.BAD_DEVICE_EXCEPTION;
            case INVALID_DATATYPE:
            case INVALID_DATA:
            case UNSUPPORTED:
                return Quality.BAD_CONFIG;
            case RESPONSE_PENDING:
                return Quality.BAD_TIMEOUT;
            default: // INTERNAL_ERROR
                return Quality.BAD_COMM_FAIL;
        }
    }

    /** A PLC4X value as a sample value: Boolean, Long, Double or String; a list is not one value. */
    static TagOutcome convert(PlcValue value) {
        PlcValueType type = value.getPlcValueType();
        if (value.isList() || type == PlcValueType.List || type == PlcValueType.Struct) {
            return new TagOutcome.Bad(Quality.BAD_CONFIG, "the tag reads " + value.getLength()
                    + " values; a channel takes one (drop the [n] from the tag)");
        }
        switch (type) {
            case BOOL:
                return new TagOutcome.Value(value.getBoolean());
            case BYTE:
            case WORD:
            case DWORD:
            case USINT:
            case UINT:
            case UDINT:
            case SINT:
            case INT:
            case DINT:
            case LINT:
                return new TagOutcome.Value(value.getLong());
            case LWORD:
            case ULINT: {
                BigInteger big = value.getBigInteger();
                return big.bitLength() < 64 ? new TagOutcome.Value(big.longValue())
                        : new TagOutcome.Value(big.doubleValue());
            }
            case REAL:
            case LREAL:
                return new TagOutcome.Value(value.getDouble());
            default:
                return new TagOutcome.Value(value.getString());
        }
    }

    static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(String.valueOf(e.getMessage()));
        Throwable cause = e.getCause();
        for (int depth = 0; cause != null && depth < 3; depth++, cause = cause.getCause()) {
            if (cause.getMessage() != null && !s.toString().contains(cause.getMessage())) {
                s.append(": ").append(cause.getMessage());
            }
        }
        return s.toString();
    }
}
