package io.hazwatch.drivers.serial;

/** What {@link Checksum#check} found in one frame. */
public sealed interface ChecksumVerdict {

    /** The frame without its checksum (the whole frame when there is none to remove). */
    String payload();

    /** True when the payload may be used: the checksum matched, or none is configured. */
    boolean usable();

    /** A short verdict for people: {@code ok}, {@code BAD: line says 5D, computed 5C}, ... */
    String describe();

    /** The checksum matched. */
    record Valid(String payload, String value) implements ChecksumVerdict {
        @Override
        public boolean usable() {
            return true;
        }

        @Override
        public String describe() {
            return "ok *" + value;
        }
    }

    /** The line carries a checksum that does not match its content. */
    record Mismatch(String payload, String stated, String computed) implements ChecksumVerdict {
        @Override
        public boolean usable() {
            return false;
        }

        @Override
        public String describe() {
            return "BAD: line says " + stated + ", computed " + computed;
        }
    }

    /** A checksum is configured but the line carries none where it should. */
    record Missing(String payload, String why) implements ChecksumVerdict {
        @Override
        public boolean usable() {
            return false;
        }

        @Override
        public String describe() {
            return "BAD: " + why;
        }
    }

    /** No checksum is configured. */
    record Unchecked(String payload) implements ChecksumVerdict {
        @Override
        public boolean usable() {
            return true;
        }

        @Override
        public String describe() {
            return "unchecked";
        }
    }
}
