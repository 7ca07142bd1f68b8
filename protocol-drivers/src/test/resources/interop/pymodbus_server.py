"""A Modbus server built on pymodbus (Debian python3-pymodbus, 3.x) with a fixed register map, for the
interop tests of the HazWatch Modbus drivers (ModbusPymodbusInteropTest). The values are laid out here
with Python's struct module, independently of the drivers' codecs.

    /usr/bin/python3 pymodbus_server.py tcp PORT          Modbus TCP on 127.0.0.1:PORT
    /usr/bin/python3 pymodbus_server.py rtu DEVICE BAUD   Modbus RTU (8N1) on a serial port, unit 1

Prints "ready" on stdout once it accepts requests. Unit 1 only.

Holding registers (0-based), with a hole at 16-17 that answers exception 2:
  0-1   float32 ABCD 20.0            2-3   float32 CDAB 20.0
  4     int16 -123                   5-6   uint32 ABCD 4023233417 (0xEFCDAB89)
  7-10  float64 ABCD pi              11-14 string "HAZWATCH" (first character in the high byte)
  15    uint16 0x00C0 (bits 6, 7)    18-19 float32 DCBA 20.0
  20-29 scratch for writes (0)
Input registers: 0-1 float32 ABCD 5.0, 2 uint16 4321.
Coils 0-7: 1 0 1 1 0 0 1 1, 8-15 scratch (0).  Discrete inputs 0-7: 0 1 0 0 0 0 0 1.
"""
import asyncio
import struct
import sys

from pymodbus.datastore import (ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext,
                                ModbusSparseDataBlock)
from pymodbus.server import StartAsyncSerialServer, StartAsyncTcpServer
from pymodbus.transaction import ModbusRtuFramer


def words(fmt, value):
    """The 16-bit registers of a big-endian packing, high word first."""
    raw = struct.pack(fmt, value)
    return [int.from_bytes(raw[i:i + 2], "big") for i in range(0, len(raw), 2)]


def holding():
    regs = {}
    regs[0] = words(">f", 20.0)
    regs[2] = list(reversed(words(">f", 20.0)))                          # CDAB: low word first
    regs[4] = words(">h", -123)
    regs[5] = words(">I", 0xEFCDAB89)
    regs[7] = words(">d", 3.141592653589793)
    regs[11] = [int.from_bytes(b"HAZWATCH"[i:i + 2], "big") for i in range(0, 8, 2)]
    regs[15] = [0x00C0]
    regs[18] = [int.from_bytes(struct.pack("<f", 20.0)[i:i + 2], "big") for i in (0, 2)]  # DCBA
    regs[20] = [0] * 10
    return ModbusSparseDataBlock(regs)


def context():
    store = ModbusSlaveContext(
        hr=holding(),
        ir=ModbusSequentialDataBlock(0, words(">f", 5.0) + [4321]),
        co=ModbusSequentialDataBlock(0, [True, False, True, True, False, False, True, True] + [False] * 8),
        di=ModbusSequentialDataBlock(0, [False, True, False, False, False, False, False, True]),
        zero_mode=True)
    return ModbusServerContext(slaves={1: store}, single=False)


async def serve_tcp(port):
    server = await StartAsyncTcpServer(context=context(), address=("127.0.0.1", port), defer_start=True)
    task = asyncio.create_task(server.serve_forever())
    await server.serving
    print("ready", flush=True)
    await task


async def serve_rtu(device, baud):
    server = await StartAsyncSerialServer(context=context(), framer=ModbusRtuFramer, port=device, baudrate=baud,
                                          bytesize=8, parity="N", stopbits=1, timeout=0.01, defer_start=True)
    await server.start()
    print("ready", flush=True)
    await server.serve_forever()


def main():
    mode = sys.argv[1]
    if mode == "tcp":
        asyncio.run(serve_tcp(int(sys.argv[2])))
    elif mode == "rtu":
        asyncio.run(serve_rtu(sys.argv[2], int(sys.argv[3])))
    else:
        sys.exit("usage: pymodbus_server.py tcp PORT | rtu DEVICE BAUD")


if __name__ == "__main__":
    main()
