package io.hazwatch.drivers.modbus;

import java.util.Objects;

/** Where a Modbus device is reached and how its frames travel. */
public sealed interface ModbusEndpoint {

    /** The endpoint in words, for logs and sample reasons: "127.0.0.1:502", "/dev/ttyUSB0 (9600 8N1 RTU)". */
    String describe();

    /** Modbus TCP: MBAP header, one connection per device (Modbus Messaging on TCP/IP v1.0b). */
    record Tcp(String host, int port) implements ModbusEndpoint {
        public Tcp {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String describe() {
            return host + ":" + port;
        }
    }

    /**
     * RTU frames (unit id, PDU, CRC-16) on a TCP connection, as a serial device server in transparent
     * mode carries them; every device behind one server shares its connection, one transaction at a time.
     */
    record RtuOverTcp(String host, int port) implements ModbusEndpoint {
        public RtuOverTcp {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String describe() {
            return host + ":" + port + " (RTU over TCP)";
        }
    }

    /** A serial line in RTU or ASCII mode; every device on one port shares it, one transaction at a time. */
    record Serial(SerialSettings settings, ModbusSerialMode mode) implements ModbusEndpoint {
        public Serial {
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public String describe() {
            return settings.port() + " (" + settings.describe() + " " + mode + ")";
        }
    }
}
