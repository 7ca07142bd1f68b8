package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.Modbus;
import com.ghgande.j2mod.modbus.msg.ModbusRequest;
import com.ghgande.j2mod.modbus.msg.ModbusResponse;
import com.ghgande.j2mod.modbus.msg.ReadCoilsRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputDiscretesRequest;
import com.ghgande.j2mod.modbus.msg.ReadInputRegistersRequest;
import com.ghgande.j2mod.modbus.msg.ReadMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteCoilRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleCoilsRequest;
import com.ghgande.j2mod.modbus.msg.WriteMultipleRegistersRequest;
import com.ghgande.j2mod.modbus.msg.WriteSingleRegisterRequest;
import com.ghgande.j2mod.modbus.net.AbstractModbusListener;
import com.ghgande.j2mod.modbus.procimg.ProcessImage;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a simulated device answers one request, whatever carries it (TCP, RTU over TCP, a serial line):
 * j2mod's request and response messages over one {@link ImageProcessImage} per unit id, plus the
 * fault injection the driver tests need. Thread-safe.
 *
 * <p>Rules (docs/simulators.md): reads of 1..125 registers or 1..2000 bits (Modbus Application
 * Protocol v1.1b, 6.1-6.4), and at most {@link #setReadLimit the device's own limit} registers, else
 * exception 3; writes (6.5, 6.6, 6.11, 6.12) only inside the scratch block; a write into the read-only
 * tank map gets exception 1 (illegal function), anywhere else exception 2 (illegal data address).
 */
public final class SlaveBehaviour {

    /** Modbus Application Protocol v1.1b, 6.3 and 6.4: quantity of registers 1..125. */
    public static final int MAX_READ_REGISTERS = 125;
    /** Modbus Application Protocol v1.1b, 6.1 and 6.2: quantity of bits 1..2000. */
    public static final int MAX_READ_BITS = 2000;
    /** Modbus Application Protocol v1.1b, 6.12: quantity of registers 1..123 (0x7B). */
    public static final int MAX_WRITE_REGISTERS = 123;
    /** Modbus Application Protocol v1.1b, 6.11: quantity of outputs 1..1968 (0x7B0). */
    public static final int MAX_WRITE_COILS = 1968;

    private final Map<Integer, ImageProcessImage> units;
    private final Resolver resolver = new Resolver();
    private final AtomicLong requests = new AtomicLong();
    private volatile long delayMinNanos;
    private volatile long delayMaxNanos;
    private volatile int forcedException;
    private volatile int readLimit = MAX_READ_REGISTERS;

    /** @param units the process image of each unit id served */
    public SlaveBehaviour(Map<Integer, ImageProcessImage> units) {
        if (units.isEmpty()) {
            throw new IllegalArgumentException("a slave serves at least one unit id");
        }
        this.units = Map.copyOf(new TreeMap<>(units));
    }

    /** True when requests for {@code unit} are answered here. */
    public boolean serves(int unit) {
        return units.containsKey(unit);
    }

    /** j2mod's messages find their process image through a listener; this one only resolves. */
    public AbstractModbusListener resolver() {
        return resolver;
    }

    /** Requests answered so far (also those answered with an exception). */
    public long requestCount() {
        return requests.get();
    }

    /** Every response waits a random time in {@code min .. max} (a busy device). */
    public void setResponseDelay(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + ", " + max);
        }
        delayMinNanos = min.toNanos();
        delayMaxNanos = max.toNanos();
    }

    /** Answers every request with exception {@code code} (1..255); 0 restores normal answers. */
    public void setForcedException(int code) {
        if (code < 0 || code > 255) {
            throw new IllegalArgumentException("exception code must be 0..255, got " + code);
        }
        forcedException = code;
    }

    /** Register reads longer than {@code registers} get exception 3, as some devices do below 125. */
    public void setReadLimit(int registers) {
        if (registers < 1 || registers > MAX_READ_REGISTERS) {
            throw new IllegalArgumentException("read limit must be 1..125, got " + registers);
        }
        readLimit = registers;
    }

    /** The answer to {@code request}, whose unit id this slave serves. */
    public ModbusResponse respond(ModbusRequest request) {
        requests.incrementAndGet();
        ImageProcessImage image = units.get(request.getUnitID());
        if (image == null) {
            throw new IllegalArgumentException("unit " + request.getUnitID() + " is not served here");
        }
        int forced = forcedException;
        if (forced != 0) {
            return request.createExceptionResponse(forced);
        }
        if (request instanceof ReadMultipleRegistersRequest r) {
            return read(request, image, r.getReference(), r.getWordCount(), Math.min(readLimit, MAX_READ_REGISTERS));
        }
        if (request instanceof ReadInputRegistersRequest r) {
            return read(request, image, r.getReference(), r.getWordCount(), Math.min(readLimit, MAX_READ_REGISTERS));
        }
        if (request instanceof ReadCoilsRequest r) {
            return read(request, image, r.getReference(), r.getBitCount(), MAX_READ_BITS);
        }
        if (request instanceof ReadInputDiscretesRequest r) {
            return read(request, image, r.getReference(), r.getBitCount(), MAX_READ_BITS);
        }
        if (request instanceof WriteSingleRegisterRequest r) {
            return write(request, image, r.getReference(), 1, 1, image.getRegisterCount());
        }
        if (request instanceof WriteMultipleRegistersRequest r) {
            return write(request, image, r.getReference(), r.getWordCount(), MAX_WRITE_REGISTERS,
                    image.getRegisterCount());
        }
        if (request instanceof WriteCoilRequest r) {
            return write(request, image, r.getReference(), 1, 1, image.getDigitalOutCount());
        }
        if (request instanceof WriteMultipleCoilsRequest r) {
            return write(request, image, r.getReference(), r.getBitCount(), MAX_WRITE_COILS,
                    image.getDigitalOutCount());
        }
        return request.createExceptionResponse(Modbus.ILLEGAL_FUNCTION_EXCEPTION);
    }

    private ModbusResponse read(ModbusRequest request, ImageProcessImage image, int start, int quantity,
                                int limit) {
        if (quantity < 1 || quantity > limit) {
            return request.createExceptionResponse(Modbus.ILLEGAL_VALUE_EXCEPTION);
        }
        ScratchBlock scratch = image.scratch();
        if (scratch != null && scratch.contains(start, quantity)) {
            synchronized (scratch.lock()) {
                return request.createResponse(resolver);
            }
        }
        // out-of-range addresses: the process image throws, j2mod answers exception 2
        return request.createResponse(resolver);
    }

    private ModbusResponse write(ModbusRequest request, ImageProcessImage image, int start, int quantity, int limit,
                                 int mapSize) {
        if (quantity < 1 || quantity > limit) {
            return request.createExceptionResponse(Modbus.ILLEGAL_VALUE_EXCEPTION);
        }
        ScratchBlock scratch = image.scratch();
        if (scratch != null && scratch.contains(start, quantity)) {
            synchronized (scratch.lock()) {
                return request.createResponse(resolver);
            }
        }
        if ((long) start + quantity <= mapSize) {
            return request.createExceptionResponse(Modbus.ILLEGAL_FUNCTION_EXCEPTION); // the tank map is read-only
        }
        return request.createExceptionResponse(Modbus.ILLEGAL_ADDRESS_EXCEPTION);
    }

    /**
     * Applies the configured response delay on the calling thread; false if interrupted (the slave is
     * closing). The simulated device is busy: this is its processing time, not a test waiting.
     */
    public boolean pause() {
        long min = delayMinNanos;
        long max = delayMaxNanos;
        if (max <= 0) {
            return true;
        }
        long nanos = max > min ? ThreadLocalRandom.current().nextLong(min, max + 1) : min;
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private final class Resolver extends AbstractModbusListener {

        @Override
        public ProcessImage getProcessImage(int unit) {
            return units.get(unit);
        }

        @Override
        public void run() {
            throw new UnsupportedOperationException("the slave loops live in ModbusTcpSlaveServer and ModbusSerialSlave");
        }

        @Override
        public void stop() {
            // nothing runs here; the servers stop their own loops
        }
    }

    @Override
    public String toString() {
        return "SlaveBehaviour" + units.keySet();
    }
}
