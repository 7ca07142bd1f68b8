package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.spi.Quality;
import io.hazwatch.drivers.spi.Sample;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.ULong;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UNumber;

import java.util.Set;

/**
 * Turns an OPC UA {@link DataValue} into a {@link Sample}: status code to {@link Quality} (the status
 * name is the reason), variant to a sample value, and the source timestamp to the sample's time.
 *
 * <p>Timestamps: the source timestamp (when the instrument or DCS produced the value) if the server
 * sent one, else the server timestamp, else the receive time. Stateless and thread-safe.
 */
public final class SampleMapper {

    /** The point's configuration does not fit the server's address space. */
    private static final Set<Long> CONFIG = Set.of(StatusCodes.Bad_NodeIdUnknown, StatusCodes.Bad_NodeIdInvalid,
            StatusCodes.Bad_AttributeIdInvalid, StatusCodes.Bad_NotReadable, StatusCodes.Bad_UserAccessDenied,
            StatusCodes.Bad_MonitoredItemFilterUnsupported, StatusCodes.Bad_FilterNotAllowed,
            StatusCodes.Bad_DeadbandFilterInvalid, StatusCodes.Bad_MonitoredItemFilterInvalid,
            StatusCodes.Bad_IndexRangeInvalid, StatusCodes.Bad_IndexRangeNoData, StatusCodes.Bad_TypeMismatch,
            StatusCodes.Bad_DataEncodingInvalid, StatusCodes.Bad_DataEncodingUnsupported,
            StatusCodes.Bad_NotSupported, StatusCodes.Bad_NodeClassInvalid);
    /** The server cannot reach the field device or the data source. */
    private static final Set<Long> COMM = Set.of(StatusCodes.Bad_CommunicationError, StatusCodes.Bad_NoCommunication,
            StatusCodes.Bad_NotConnected, StatusCodes.Bad_ConnectionClosed, StatusCodes.Bad_ServerNotConnected,
            StatusCodes.Bad_WaitingForInitialData, StatusCodes.Bad_SessionClosed, StatusCodes.Bad_SecureChannelClosed,
            StatusCodes.Bad_ServerHalted, StatusCodes.Bad_Shutdown);
    private static final Set<Long> TIMEOUT = Set.of(StatusCodes.Bad_Timeout, StatusCodes.Bad_RequestTimeout);
    /** The instrument itself is at fault (OPC UA Part 8, 6.3.2: status of DataItems). */
    private static final Set<Long> SENSOR = Set.of(StatusCodes.Bad_SensorFailure, StatusCodes.Bad_DeviceFailure,
            StatusCodes.Bad_ConfigurationError, StatusCodes.Bad_OutOfService);
    private static final Set<Long> RANGE = Set.of(StatusCodes.Bad_OutOfRange);

    private SampleMapper() {
    }

    /** The quality a status code maps to. Good_* is good, Uncertain_* uncertain, Bad_* by kind. */
    public static Quality quality(long statusCode) {
        StatusCode sc = new StatusCode(statusCode);
        if (sc.isGood()) {
            return Quality.GOOD;
        }
        if (sc.isUncertain()) {
            return Quality.UNCERTAIN;
        }
        long code = statusCode & 0xFFFF0000L;
        if (CONFIG.contains(code)) {
            return Quality.BAD_CONFIG;
        }
        if (SENSOR.contains(code)) {
            return Quality.BAD_SENSOR_FAULT;
        }
        if (COMM.contains(code)) {
            return Quality.BAD_COMM_FAIL;
        }
        if (TIMEOUT.contains(code)) {
            return Quality.BAD_TIMEOUT;
        }
        if (RANGE.contains(code)) {
            return Quality.BAD_OUT_OF_RANGE;
        }
        return Quality.BAD_DEVICE_EXCEPTION;
    }

    /**
     * The sample for one value of channel {@code channel}. Uncertain values keep their value and carry
     * the status name as reason; bad values have no value.
     */
    public static Sample sample(String channel, DataValue dv, long receivedMillis) {
        long time = timestamp(dv, receivedMillis);
        StatusCode sc = dv.getStatusCode() == null ? StatusCode.GOOD : dv.getStatusCode();
        Quality quality = quality(sc.getValue());
        if (quality != Quality.GOOD && quality != Quality.UNCERTAIN) {
            return Sample.bad(channel, time, quality, StatusNames.describe(sc.getValue()));
        }
        Variant variant = dv.getValue();
        Object raw = variant == null ? null : variant.getValue();
        if (raw == null) {
            return Sample.bad(channel, time, Quality.BAD_DEVICE_EXCEPTION, "the server sent no value ("
                    + StatusNames.name(sc.getValue()) + ")");
        }
        if (raw.getClass().isArray()) {
            return Sample.bad(channel, time, Quality.BAD_CONFIG, "the node holds an array of "
                    + raw.getClass().getComponentType().getSimpleName() + "; arrays are not supported");
        }
        Object value;
        if (raw instanceof Double d) {
            value = d;
        } else if (raw instanceof Float f) {
            value = f.doubleValue();
        } else if (raw instanceof Boolean b) {
            value = b;
        } else if (raw instanceof String s) {
            value = s;
        } else if (raw instanceof Byte || raw instanceof Short || raw instanceof Integer || raw instanceof Long) {
            value = ((Number) raw).longValue();
        } else if (raw instanceof ULong u) {
            if (u.toBigInteger().bitLength() > 63) {
                return Sample.bad(channel, time, Quality.BAD_OUT_OF_RANGE, "UInt64 " + u + " does not fit a signed long");
            }
            value = u.longValue();
        } else if (raw instanceof UNumber u) {
            value = u.longValue();
        } else if (raw instanceof LocalizedText text) {
            value = text.getText() == null ? "" : text.getText();
        } else if (raw instanceof DateTime dt) {
            value = dt.getJavaInstant().toString();
        } else {
            return Sample.bad(channel, time, Quality.BAD_CONFIG, "unsupported value type "
                    + raw.getClass().getSimpleName() + " (numbers, booleans, strings and dates are supported)");
        }
        if (value instanceof Double d && !Double.isFinite(d)) {
            return Sample.bad(channel, time, Quality.BAD_OUT_OF_RANGE, "the server sent " + d);
        }
        if (quality == Quality.UNCERTAIN) {
            return new Sample(channel, time, value, Quality.UNCERTAIN, StatusNames.describe(sc.getValue()));
        }
        return Sample.good(channel, time, value);
    }

    /** Source time, else server time, else {@code receivedMillis}. */
    public static long timestamp(DataValue dv, long receivedMillis) {
        DateTime source = dv.getSourceTime();
        if (source != null && source.isValid() && !source.isNull()) {
            return source.getJavaTime();
        }
        DateTime server = dv.getServerTime();
        if (server != null && server.isValid() && !server.isNull()) {
            return server.getJavaTime();
        }
        return receivedMillis;
    }
}
