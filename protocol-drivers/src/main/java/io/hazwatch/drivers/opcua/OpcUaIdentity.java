package io.hazwatch.drivers.opcua;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** Who the driver says it is when it activates a session (OPC UA Part 4, 7.41 user identity tokens). */
public sealed interface OpcUaIdentity {

    /** The {@code identity:} value in a device configuration. */
    String configName();

    /** No user; the server decides what an anonymous session may read. */
    record Anonymous() implements OpcUaIdentity {
        @Override
        public String configName() {
            return "anonymous";
        }
    }

    /** A user name and password; the password is encrypted with the server's key on the wire. */
    record UserName(String user, String password) implements OpcUaIdentity {
        public UserName {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String configName() {
            return "username";
        }

        @Override
        public String toString() {
            return "UserName[user=" + user + ", password=***]";
        }
    }

    /**
     * An X.509 user certificate and its private key; both empty = the driver's own application
     * instance certificate (pkiDir/own) doubles as the user certificate.
     */
    record Certificate(Optional<Path> certificate, Optional<Path> privateKey) implements OpcUaIdentity {
        public Certificate {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(privateKey, "privateKey");
            if (certificate.isPresent() != privateKey.isPresent()) {
                throw new IllegalArgumentException("give both a certificate and its private key, or neither");
            }
        }

        @Override
        public String configName() {
            return "certificate";
        }
    }
}
