package io.hazwatch.drivers.opcua.internal;

import io.hazwatch.drivers.opcua.OpcUaConnectException;
import io.hazwatch.drivers.opcua.OpcUaConnectException.Reason;
import io.hazwatch.drivers.opcua.OpcUaDeviceConfig;
import io.hazwatch.drivers.opcua.OpcUaIdentity;
import io.hazwatch.drivers.opcua.OpcUaSecurityMode;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.milo.opcua.sdk.client.DiscoveryClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfig;
import org.eclipse.milo.opcua.sdk.client.OpcUaClientConfigBuilder;
import org.eclipse.milo.opcua.sdk.client.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.identity.UsernameProvider;
import org.eclipse.milo.opcua.sdk.client.identity.X509IdentityProvider;
import org.eclipse.milo.opcua.stack.core.Stack;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.enumerated.UserTokenType;
import org.eclipse.milo.opcua.stack.core.types.structured.EndpointDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.core.util.EndpointUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.ConnectException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

/**
 * Opens an OPC UA session the way a device configuration says: GetEndpoints (discovery), pick the
 * endpoint with the configured policy and mode, check it accepts the configured identity, then open a
 * secure channel and activate a session on the configured host and port. Every failure becomes an
 * {@link OpcUaConnectException} whose message tells the engineer what to do.
 *
 * <p>Blocking, bounded by the configured request timeout; called from a driver's own thread or a tool.
 */
public final class Connector {

    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    /** Opening a session takes several round trips: channel, CreateSession, ActivateSession. */
    private static final int CONNECT_ROUND_TRIPS = 4;

    private final OpcUaDeviceConfig config;
    /** Opened on the first secure connect; a None/anonymous session needs no certificate directory. */
    private ClientPki pki;
    private ServerCertificateCheck check;

    /** Touches nothing yet; {@link #connect()} opens the certificate directory when the session needs it. */
    public Connector(OpcUaDeviceConfig config) {
        this.config = config;
    }

    private ClientPki pki() throws OpcUaConnectException {
        if (pki == null) {
            try {
                pki = ClientPki.open(config.pkiDir());
            } catch (IOException e) {
                throw new OpcUaConnectException(Reason.LOCAL_PKI_ERROR, "cannot use the OPC UA certificate directory "
                        + config.pkiDir() + ": " + e.getMessage(), e);
            }
            check = new ServerCertificateCheck(pki, config.trustServerOnFirstUse());
        }
        return pki;
    }

    /** The endpoints the server at {@code url} offers (GetEndpoints, OPC UA Part 4, 5.4.4). */
    public static List<EndpointDescription> discover(String url, int timeoutMs) throws OpcUaConnectException {
        try {
            return DiscoveryClient.getEndpoints(url, b -> b.setConnectTimeout(uint(timeoutMs)))
                    .get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            String discoveryUrl = url.endsWith("/") ? url + "discovery" : url + "/discovery";
            try {
                // Part 6, 7.1.1: a server may serve discovery at <url>/discovery only
                return DiscoveryClient.getEndpoints(discoveryUrl, b -> b.setConnectTimeout(uint(timeoutMs)))
                        .get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException ignored) {
                LOG.debug("discovery at {} failed too: {}", discoveryUrl, ignored.toString());
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new OpcUaConnectException(Reason.INTERRUPTED, "interrupted during discovery", ie);
            }
            Reason reason = cause instanceof TimeoutException ? Reason.TIMEOUT : Reason.UNREACHABLE;
            throw new OpcUaConnectException(reason, "cannot get the endpoints of " + url + ": " + describe(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OpcUaConnectException(Reason.INTERRUPTED, "interrupted during discovery", e);
        }
    }

    /** A connected client; the caller owns it and must disconnect it. */
    public OpcUaClient connect() throws OpcUaConnectException {
        List<EndpointDescription> endpoints = discover(config.endpointUrl(), config.requestTimeoutMs());
        EndpointDescription endpoint = choose(endpoints);
        URI configured = URI.create(config.endpointUrl());
        int port = configured.getPort() < 0 ? OpcUaConfigParser.DEFAULT_PORT : configured.getPort();
        // servers often advertise a host name the edge box cannot resolve; use the configured address
        endpoint = EndpointUtil.updateUrl(endpoint, configured.getHost(), port);

        OpcUaClientConfigBuilder builder = OpcUaClientConfig.builder()
                .setApplicationName(LocalizedText.english("HazWatch edge agent"))
                .setProductUri("urn:hazwatch:edge-agent")
                .setEndpoint(endpoint)
                .setRequestTimeout(uint(config.requestTimeoutMs()))
                .setSessionTimeout(uint(config.sessionTimeoutMs()))
                .setIdentityProvider(identityProvider());
        if (config.isSecure()) {
            pki();
            builder.setCertificateValidator(check);
        }
        if (needsOwnCertificate()) {
            ClientPki.OwnCertificate own = ownCertificate();
            builder.setApplicationUri(own.applicationUri())
                    .setKeyPair(own.keyPair())
                    .setCertificate(own.certificate())
                    .setCertificateChain(new X509Certificate[]{own.certificate()});
        } else {
            builder.setApplicationUri("urn:hazwatch:edge-agent");
        }
        OpcUaClient client;
        try {
            client = OpcUaClient.create(builder.build(),
                    t -> t.setConnectTimeout(uint(config.requestTimeoutMs())));
        } catch (UaException e) {
            throw new OpcUaConnectException(Reason.PROTOCOL_ERROR, "cannot set up the OPC UA client: " + e.getMessage(), e);
        }
        long timeout = (long) config.requestTimeoutMs() * CONNECT_ROUND_TRIPS;
        try {
            client.connectAsync().get(timeout, TimeUnit.MILLISECONDS);
            return client;
        } catch (ExecutionException e) {
            disconnectQuietly(client, config.requestTimeoutMs());
            throw failure(e.getCause());
        } catch (TimeoutException e) {
            disconnectQuietly(client, config.requestTimeoutMs());
            throw new OpcUaConnectException(Reason.TIMEOUT, "no session with " + config.endpointUrl() + " within "
                    + timeout + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            disconnectQuietly(client, config.requestTimeoutMs());
            throw new OpcUaConnectException(Reason.INTERRUPTED, "interrupted while connecting", e);
        }
    }

    /** Disconnects and waits at most {@code timeoutMs}; never throws. */
    public static void disconnectQuietly(OpcUaClient client, long timeoutMs) {
        try {
            client.disconnectAsync().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("disconnect did not finish cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean needsOwnCertificate() {
        return config.isSecure() || (config.identity() instanceof OpcUaIdentity.Certificate c && c.certificate().isEmpty());
    }

    private ClientPki.OwnCertificate ownCertificate() throws OpcUaConnectException {
        try {
            return pki().ownCertificate();
        } catch (IOException e) {
            throw new OpcUaConnectException(Reason.LOCAL_PKI_ERROR, e.getMessage(), e);
        }
    }

    private EndpointDescription choose(List<EndpointDescription> endpoints) throws OpcUaConnectException {
        MessageSecurityMode wantedMode = miloMode(config.securityMode());
        List<EndpointDescription> tcp = endpoints.stream()
                .filter(e -> Stack.TCP_UASC_UABINARY_TRANSPORT_URI.equals(e.getTransportProfileUri()))
                .toList();
        List<EndpointDescription> matching = tcp.stream()
                .filter(e -> config.securityPolicy().uri().equals(e.getSecurityPolicyUri()))
                .filter(e -> e.getSecurityMode() == wantedMode)
                .toList();
        if (matching.isEmpty()) {
            throw new OpcUaConnectException(Reason.NO_MATCHING_ENDPOINT, config.endpointUrl() + " offers no endpoint with "
                    + "securityPolicy " + config.securityPolicy().configName() + " and securityMode "
                    + config.securityMode().configName() + "; it offers: " + offered(tcp));
        }
        UserTokenType wantedToken = tokenType(config.identity());
        for (EndpointDescription e : matching) {
            UserTokenPolicy[] tokens = e.getUserIdentityTokens() == null ? new UserTokenPolicy[0] : e.getUserIdentityTokens();
            if (Arrays.stream(tokens).anyMatch(t -> t.getTokenType() == wantedToken)) {
                return e;
            }
        }
        UserTokenPolicy[] tokens = matching.get(0).getUserIdentityTokens();
        String accepted = tokens == null ? "none" : Arrays.stream(tokens).map(t -> identityName(t.getTokenType()))
                .distinct().collect(Collectors.joining(", "));
        throw new OpcUaConnectException(Reason.IDENTITY_NOT_OFFERED, "the " + config.securityPolicy().configName() + "/"
                + config.securityMode().configName() + " endpoint of " + config.endpointUrl() + " does not accept identity '"
                + config.identity().configName() + "'; it accepts: " + accepted);
    }

    private static String offered(List<EndpointDescription> endpoints) {
        if (endpoints.isEmpty()) {
            return "no opc.tcp endpoint at all";
        }
        List<String> out = new ArrayList<>();
        for (EndpointDescription e : endpoints) {
            String policy = io.hazwatch.drivers.opcua.OpcUaSecurityPolicy.fromUri(e.getSecurityPolicyUri())
                    .map(io.hazwatch.drivers.opcua.OpcUaSecurityPolicy::configName).orElse(e.getSecurityPolicyUri());
            String entry = policy + "/" + modeName(e.getSecurityMode());
            if (!out.contains(entry)) {
                out.add(entry);
            }
        }
        return String.join(", ", out);
    }

    private IdentityProvider identityProvider() throws OpcUaConnectException {
        OpcUaIdentity identity = config.identity();
        if (identity instanceof OpcUaIdentity.UserName u) {
            return new UsernameProvider(u.user(), u.password());
        }
        if (identity instanceof OpcUaIdentity.Certificate c) {
            if (c.certificate().isEmpty()) {
                ClientPki.OwnCertificate own = ownCertificate();
                return new X509IdentityProvider(own.certificate(), own.keyPair().getPrivate());
            }
            return new X509IdentityProvider(readCertificate(c.certificate().get()), readPrivateKey(c.privateKey().orElseThrow()));
        }
        return AnonymousProvider.INSTANCE;
    }

    private OpcUaConnectException failure(Throwable t) {
        Optional<String> rejection = check == null ? Optional.empty() : check.lastRejection();
        if (rejection.isPresent()) {
            return new OpcUaConnectException(Reason.UNTRUSTED_SERVER_CERTIFICATE, rejection.get(), t);
        }
        Optional<StatusCode> status = UaException.extractStatusCode(t);
        long code = status.map(StatusCode::getValue).orElse(StatusCodes.Bad_UnexpectedError) & 0xFFFF0000L;
        String what = status.map(s -> StatusNames.describe(s.getValue())).orElse(describe(t));
        if (code == StatusCodes.Bad_IdentityTokenInvalid || code == StatusCodes.Bad_IdentityTokenRejected
                || code == StatusCodes.Bad_UserAccessDenied) {
            return new OpcUaConnectException(Reason.AUTHENTICATION_FAILED, config.endpointUrl() + " refused identity "
                    + config.identity() + ": " + what, t);
        }
        if (code == StatusCodes.Bad_SecurityChecksFailed || code == StatusCodes.Bad_CertificateUntrusted
                || code == StatusCodes.Bad_CertificateInvalid || code == StatusCodes.Bad_CertificateUriInvalid) {
            return new OpcUaConnectException(Reason.CLIENT_CERTIFICATE_REJECTED, config.endpointUrl()
                    + " refused the driver's certificate (" + what + "). Ask the server's administrator to trust "
                    + (pki == null ? "the driver's certificate" : pki.ownCertificateFile().toString()) + " (on most servers: move it from the server's rejected folder to "
                    + "its trusted folder)", t);
        }
        if (code == StatusCodes.Bad_Timeout || code == StatusCodes.Bad_RequestTimeout) {
            return new OpcUaConnectException(Reason.TIMEOUT, config.endpointUrl() + " did not answer in time: " + what, t);
        }
        if (hasCause(t, ConnectException.class) || code == StatusCodes.Bad_ConnectionRejected
                || code == StatusCodes.Bad_NotConnected || code == StatusCodes.Bad_ConnectionClosed) {
            return new OpcUaConnectException(Reason.UNREACHABLE, "cannot reach " + config.endpointUrl() + ": " + what, t);
        }
        return new OpcUaConnectException(Reason.PROTOCOL_ERROR, "cannot open a session with " + config.endpointUrl()
                + ": " + what, t);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }

    static MessageSecurityMode miloMode(OpcUaSecurityMode mode) {
        switch (mode) {
            case SIGN:
                return MessageSecurityMode.Sign;
            case SIGN_AND_ENCRYPT:
                return MessageSecurityMode.SignAndEncrypt;
            default:
                return MessageSecurityMode.None;
        }
    }

    static String modeName(MessageSecurityMode mode) {
        if (mode == MessageSecurityMode.Sign) {
            return OpcUaSecurityMode.SIGN.configName();
        }
        if (mode == MessageSecurityMode.SignAndEncrypt) {
            return OpcUaSecurityMode.SIGN_AND_ENCRYPT.configName();
        }
        return mode == MessageSecurityMode.None ? OpcUaSecurityMode.NONE.configName() : String.valueOf(mode);
    }

    static String identityName(UserTokenType type) {
        if (type == UserTokenType.Anonymous) {
            return "anonymous";
        }
        if (type == UserTokenType.UserName) {
            return "username";
        }
        if (type == UserTokenType.Certificate) {
            return "certificate";
        }
        return "issued";
    }

    private static UserTokenType tokenType(OpcUaIdentity identity) {
        if (identity instanceof OpcUaIdentity.UserName) {
            return UserTokenType.UserName;
        }
        if (identity instanceof OpcUaIdentity.Certificate) {
            return UserTokenType.Certificate;
        }
        return UserTokenType.Anonymous;
    }

    private static X509Certificate readCertificate(Path file) throws OpcUaConnectException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            throw new OpcUaConnectException(Reason.LOCAL_PKI_ERROR, "cannot read identityCertificate " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** A PEM (PKCS#8 or PKCS#1) or DER (PKCS#8) private key. */
    static PrivateKey readPrivateKey(Path file) throws OpcUaConnectException {
        try {
            byte[] bytes = Files.readAllBytes(file);
            String text = new String(bytes, StandardCharsets.US_ASCII);
            if (text.contains("-----BEGIN")) {
                try (PEMParser parser = new PEMParser(new StringReader(text))) {
                    Object o = parser.readObject();
                    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
                    if (o instanceof PEMKeyPair pair) {
                        return converter.getKeyPair(pair).getPrivate();
                    }
                    if (o instanceof PrivateKeyInfo info) {
                        return converter.getPrivateKey(info);
                    }
                    throw new IOException("no unencrypted private key in the PEM file (found "
                            + (o == null ? "nothing" : o.getClass().getSimpleName()) + ")");
                }
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(bytes);
            try {
                return KeyFactory.getInstance("RSA").generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                return KeyFactory.getInstance("EC").generatePrivate(spec);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new OpcUaConnectException(Reason.LOCAL_PKI_ERROR, "cannot read identityPrivateKey " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
