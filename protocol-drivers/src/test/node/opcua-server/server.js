// A node-opcua server for the OPC UA driver's interop test (OpcUaNodeInteropTest).
//
// Usage: node server.js PORT PKI_DIR
//
// Prints "LISTENING <port>" on stdout once the endpoint is open, then runs until it is killed or
// its standard input closes (so it never outlives the JVM that started it).
//
// Address space, namespace "urn:hazwatch:interop:node-opcua", all under Objects/Interop:
//   ns=1;s=Interop.Counter      UInt32, +1 every 200 ms from 0; source timestamp = now
//   ns=1;s=Interop.Level        Double, 1.25 + 0.01 * tick; source timestamp = 2020-01-01T00:00:00Z + tick seconds
//                               (deliberately far from "now", to prove the client keeps source time)
//   ns=1;s=Interop.Flag         Boolean, true on even ticks
//   ns=1;s=Interop.Tag          String "LT-2001", never changes
//   ns=1;s=Interop.Faulty       Double 0, status BadSensorFailure
//   ns=1;s=Interop.Stale        Double 7.5, status UncertainLastUsableValue
//
// Security: endpoints None, Basic256Sha256 Sign and SignAndEncrypt; anonymous, or user "interop" with
// password "interop-secret". Client certificates are accepted automatically (this is a test peer).

import process from "node:process";
import path from "node:path";
import { OPCUAServer } from "node-opcua-server";
import { OPCUACertificateManager } from "node-opcua-certificate-manager";
import { MessageSecurityMode } from "node-opcua-service-secure-channel";
import { SecurityPolicy } from "node-opcua-secure-channel";
import { DataType } from "node-opcua-variant";
import { StatusCodes } from "node-opcua-status-code";

const port = Number.parseInt(process.argv[2] ?? "", 10);
const pkiDir = process.argv[3];
if (!Number.isInteger(port) || port < 1 || port > 65535 || !pkiDir) {
    process.stderr.write("usage: node server.js PORT PKI_DIR\n");
    process.exit(2);
}

const NAMESPACE_URI = "urn:hazwatch:interop:node-opcua";
const LEVEL_EPOCH_MS = Date.UTC(2020, 0, 1, 0, 0, 0);
const TICK_MS = 200;

const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pkiDir, "server"),
    automaticallyAcceptUnknownCertificate: true,
});
const userCertificateManager = new OPCUACertificateManager({
    rootFolder: path.join(pkiDir, "users"),
    automaticallyAcceptUnknownCertificate: true,
});

const server = new OPCUAServer({
    port,
    hostname: "127.0.0.1",
    alternateHostname: ["localhost"],
    resourcePath: "/UA/interop",
    serverCertificateManager,
    userCertificateManager,
    securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
    securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
    allowAnonymous: true,
    userManager: {
        isValidUser: (user, password) => user === "interop" && password === "interop-secret",
    },
    buildInfo: { productName: "hazwatch-interop-node-opcua", buildNumber: "1" },
});

await server.initialize();

const addressSpace = server.engine.addressSpace;
const namespace = addressSpace.registerNamespace(NAMESPACE_URI);
const folder = namespace.addFolder(addressSpace.rootFolder.objects, {
    browseName: "Interop",
    nodeId: "s=Interop",
});

function variable(name, dataType, value) {
    const v = namespace.addVariable({
        componentOf: folder,
        browseName: name,
        nodeId: `s=Interop.${name}`,
        dataType,
        minimumSamplingInterval: 100,
    });
    v.setValueFromSource({ dataType, value }, StatusCodes.Good, new Date());
    return v;
}

const counter = variable("Counter", DataType.UInt32, 0);
const level = variable("Level", DataType.Double, 1.25);
const flag = variable("Flag", DataType.Boolean, true);
variable("Tag", DataType.String, "LT-2001");
const faulty = variable("Faulty", DataType.Double, 0);
faulty.setValueFromSource({ dataType: DataType.Double, value: 0 }, StatusCodes.BadSensorFailure, new Date());
const stale = variable("Stale", DataType.Double, 7.5);
stale.setValueFromSource({ dataType: DataType.Double, value: 7.5 }, StatusCodes.UncertainLastUsableValue, new Date());

let tick = 0;
level.setValueFromSource({ dataType: DataType.Double, value: 1.25 }, StatusCodes.Good, new Date(LEVEL_EPOCH_MS));
const timer = setInterval(() => {
    tick += 1;
    counter.setValueFromSource({ dataType: DataType.UInt32, value: tick }, StatusCodes.Good, new Date());
    level.setValueFromSource({ dataType: DataType.Double, value: 1.25 + 0.01 * tick }, StatusCodes.Good,
        new Date(LEVEL_EPOCH_MS + tick * 1000));
    flag.setValueFromSource({ dataType: DataType.Boolean, value: tick % 2 === 0 }, StatusCodes.Good, new Date());
}, TICK_MS);

await server.start();
process.stdout.write(`LISTENING ${port}\n`);

let stopping = false;
async function stop() {
    if (stopping) {
        return;
    }
    stopping = true;
    clearInterval(timer);
    await server.shutdown(0);
    process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
