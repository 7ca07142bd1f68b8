package io.hazwatch.sims;

import com.ghgande.j2mod.modbus.ModbusException;
import com.ghgande.j2mod.modbus.facade.ModbusTCPMaster;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;
import com.ghgande.j2mod.modbus.util.BitVector;

import java.nio.ByteBuffer;

/**
 * A plain j2mod master for the simulator tests, with test-side decoding written here on purpose: the
 * simulator is checked against the documented layout, not against any production codec.
 */
final class ModbusProbe implements AutoCloseable {

    private final ModbusTCPMaster master;
    private final int unitId;

    private ModbusProbe(ModbusTCPMaster master, int unitId) {
        this.master = master;
        this.unitId = unitId;
    }

    static ModbusProbe connect(int port, int unitId, int timeoutMs) {
        return connect(port, unitId, timeoutMs, false);
    }

    /** With {@code rtuOverTcp}, j2mod's master sends RTU frames on the socket instead of MBAP ones. */
    static ModbusProbe connect(int port, int unitId, int timeoutMs, boolean rtuOverTcp) {
        ModbusTCPMaster master = new ModbusTCPMaster("127.0.0.1", port, timeoutMs, false, rtuOverTcp);
        master.setRetries(1);
        try {
            master.connect();
        } catch (Exception e) { // j2mod declares connect() throws Exception
            throw new AssertionError("cannot connect to simulator on port " + port, e);
        }
        return new ModbusProbe(master, unitId);
    }

    static ModbusProbe connect(TankFarmSimulator sim) {
        return connect(sim.port(), sim.unitId(), 2000);
    }

    int[] holding(int ref, int count) throws ModbusException {
        return values(master.readMultipleRegisters(unitId, ref, count));
    }

    int[] holding(int unit, int ref, int count) throws ModbusException {
        return values(master.readMultipleRegisters(unit, ref, count));
    }

    int[] input(int ref, int count) throws ModbusException {
        return values(master.readInputRegisters(unitId, ref, count));
    }

    boolean[] discretes(int ref, int count) throws ModbusException {
        return bits(master.readInputDiscretes(unitId, ref, count), count);
    }

    boolean[] coils(int ref, int count) throws ModbusException {
        return bits(master.readCoils(unitId, ref, count), count);
    }

    void writeRegister(int ref, int value) throws ModbusException {
        master.writeSingleRegister(unitId, ref, new SimpleRegister(value));
    }

    void writeRegisters(int ref, int... values) throws ModbusException {
        Register[] registers = new Register[values.length];
        for (int i = 0; i < values.length; i++) {
            registers[i] = new SimpleRegister(values[i]);
        }
        master.writeMultipleRegisters(unitId, ref, registers);
    }

    void writeCoil(int ref, boolean value) throws ModbusException {
        master.writeCoil(unitId, ref, value);
    }

    void writeCoils(int ref, boolean... values) throws ModbusException {
        BitVector bits = new BitVector(values.length);
        for (int i = 0; i < values.length; i++) {
            bits.setBit(i, values[i]);
        }
        master.writeMultipleCoils(unitId, ref, bits);
    }

    boolean isConnected() {
        return master.isConnected();
    }

    @Override
    public void close() {
        master.disconnect();
    }

    static float floatAbcd(int[] regs, int at) {
        return ByteBuffer.allocate(4).putShort((short) regs[at]).putShort((short) regs[at + 1]).flip().getFloat();
    }

    static float floatCdab(int[] regs, int at) {
        return ByteBuffer.allocate(4).putShort((short) regs[at + 1]).putShort((short) regs[at]).flip().getFloat();
    }

    static int int16(int[] regs, int at) {
        return (short) regs[at];
    }

    private static int[] values(InputRegister[] registers) {
        int[] out = new int[registers.length];
        for (int i = 0; i < registers.length; i++) {
            out[i] = registers[i].toUnsignedShort();
        }
        return out;
    }

    private static boolean[] bits(BitVector vector, int count) {
        boolean[] out = new boolean[count];
        for (int i = 0; i < count; i++) {
            out[i] = vector.getBit(i);
        }
        return out;
    }
}
