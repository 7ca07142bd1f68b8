package io.hazwatch.sims.internal;

import com.ghgande.j2mod.modbus.procimg.DigitalIn;
import com.ghgande.j2mod.modbus.procimg.DigitalOut;
import com.ghgande.j2mod.modbus.procimg.FIFO;
import com.ghgande.j2mod.modbus.procimg.File;
import com.ghgande.j2mod.modbus.procimg.IllegalAddressException;
import com.ghgande.j2mod.modbus.procimg.InputRegister;
import com.ghgande.j2mod.modbus.procimg.ProcessImage;
import com.ghgande.j2mod.modbus.procimg.Register;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalIn;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleInputRegister;
import com.ghgande.j2mod.modbus.procimg.SimpleRegister;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * A j2mod {@link ProcessImage} over the latest {@link RegisterImage}: holding and input registers are
 * the same registers, coils and discrete inputs the same bits. Each call takes one image, so a range
 * read is consistent. The objects handed out are copies; writes to the image are refused by
 * {@link SlaveBehaviour} before they reach it. A range that touches an address past the end raises
 * {@link IllegalAddressException}, which j2mod answers with exception 2 (illegal data address).
 *
 * <p>Holding registers and coils inside the optional {@link ScratchBlock} are served live from it,
 * so writes there stick; a range must lie wholly in the image or wholly in the block.
 */
public final class ImageProcessImage implements ProcessImage {

    private final Supplier<RegisterImage> images;
    private final ScratchBlock scratch;

    public ImageProcessImage(Supplier<RegisterImage> images) {
        this(images, null);
    }

    /** @param scratch writable block, or {@code null} for none */
    public ImageProcessImage(Supplier<RegisterImage> images, ScratchBlock scratch) {
        this.images = Objects.requireNonNull(images, "images");
        this.scratch = scratch;
    }

    /** The writable block, or {@code null}. */
    public ScratchBlock scratch() {
        return scratch;
    }

    @Override
    public Register[] getRegisterRange(int offset, int count) {
        if (scratch != null && scratch.contains(offset, count)) {
            return scratch.registers(offset, count);
        }
        RegisterImage image = images.get();
        checkRange(offset, count, image.registerCount());
        Register[] out = new Register[count];
        for (int i = 0; i < count; i++) {
            out[i] = new SimpleRegister(image.register(offset + i));
        }
        return out;
    }

    @Override
    public Register getRegister(int ref) {
        return getRegisterRange(ref, 1)[0];
    }

    @Override
    public int getRegisterCount() {
        return images.get().registerCount();
    }

    @Override
    public InputRegister[] getInputRegisterRange(int offset, int count) {
        RegisterImage image = images.get();
        checkRange(offset, count, image.registerCount());
        InputRegister[] out = new InputRegister[count];
        for (int i = 0; i < count; i++) {
            out[i] = new SimpleInputRegister(image.register(offset + i));
        }
        return out;
    }

    @Override
    public InputRegister getInputRegister(int ref) {
        return getInputRegisterRange(ref, 1)[0];
    }

    @Override
    public int getInputRegisterCount() {
        return getRegisterCount();
    }

    @Override
    public DigitalOut[] getDigitalOutRange(int offset, int count) {
        if (scratch != null && scratch.contains(offset, count)) {
            return scratch.coils(offset, count);
        }
        RegisterImage image = images.get();
        checkRange(offset, count, image.bitCount());
        DigitalOut[] out = new DigitalOut[count];
        for (int i = 0; i < count; i++) {
            out[i] = new SimpleDigitalOut(image.bit(offset + i));
        }
        return out;
    }

    @Override
    public DigitalOut getDigitalOut(int ref) {
        return getDigitalOutRange(ref, 1)[0];
    }

    @Override
    public int getDigitalOutCount() {
        return images.get().bitCount();
    }

    @Override
    public DigitalIn[] getDigitalInRange(int offset, int count) {
        RegisterImage image = images.get();
        checkRange(offset, count, image.bitCount());
        DigitalIn[] out = new DigitalIn[count];
        for (int i = 0; i < count; i++) {
            out[i] = new SimpleDigitalIn(image.bit(offset + i));
        }
        return out;
    }

    @Override
    public DigitalIn getDigitalIn(int ref) {
        return getDigitalInRange(ref, 1)[0];
    }

    @Override
    public int getDigitalInCount() {
        return getDigitalOutCount();
    }

    @Override
    public File getFile(int index) {
        throw new IllegalAddressException("no files");
    }

    @Override
    public File getFileByNumber(int number) {
        throw new IllegalAddressException("no files");
    }

    @Override
    public int getFileCount() {
        return 0;
    }

    @Override
    public FIFO getFIFO(int index) {
        throw new IllegalAddressException("no FIFOs");
    }

    @Override
    public FIFO getFIFOByAddress(int address) {
        throw new IllegalAddressException("no FIFOs");
    }

    @Override
    public int getFIFOCount() {
        return 0;
    }

    private static void checkRange(int offset, int count, int size) {
        if (offset < 0 || count < 1 || (long) offset + count > size) {
            throw new IllegalAddressException("addresses " + offset + ".." + ((long) offset + count - 1)
                    + " outside 0.." + (size - 1));
        }
    }
}
