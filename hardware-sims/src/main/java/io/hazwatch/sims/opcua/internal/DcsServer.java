package io.hazwatch.sims.opcua.internal;

import org.eclipse.milo.opcua.sdk.server.EndpointConfig;
import org.eclipse.milo.opcua.sdk.server.OpcUaServer;
import org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig;
import org.eclipse.milo.opcua.sdk.server.identity.AnonymousIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.CompositeValidator;
import org.eclipse.milo.opcua.sdk.server.identity.IdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.UsernameIdentityValidator;
import org.eclipse.milo.opcua.sdk.server.identity.X509IdentityValidator;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.security.CertificateStore;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultApplicationGroup;
import org.eclipse.milo.opcua.stack.core.security.DefaultCertificateManager;
import org.eclipse.milo.opcua.stack.core.security.DefaultServerCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.FileBasedCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.security.FileBasedTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateStore;
import org.eclipse.milo.opcua.stack.core.security.MemoryTrustListManager;
import org.eclipse.milo.opcua.stack.core.security.RsaSha256CertificateFactory;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.transport.TransportProfile;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.enumerated.MessageSecurityMode;
import org.eclipse.milo.opcua.stack.core.types.structured.BuildInfo;
import org.eclipse.milo.opcua.stack.core.types.structured.UserTokenPolicy;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransport;
import org.eclipse.milo.opcua.stack.transport.server.tcp.OpcTcpServerTransportConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_ANONYMOUS;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_USERNAME;
import static org.eclipse.milo.opcua.sdk.server.OpcUaServerConfig.USER_TOKEN_POLICY_X509;

/**
 * Eclipse Milo's server set up as the simulator needs it: endpoints None/None,
 * Basic256Sha256/Sign and Basic256Sha256/SignAndEncrypt on {@code opc.tcp://host:port/hazwatch}
 * (plus the unsecured {@code /hazwatch/discovery} endpoint OPC UA Part 6, 7.1.1 recommends);
 * Anonymous (optional), UserName and X509 identity tokens.
 */
public final class DcsServer implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DcsServer.class);
    public static final String PATH = "/hazwatch";
    private static final long STARTUP_TIMEOUT_S = 30;

    /** What the server needs to know; every field already validated by the simulator options. */
    public record Settings(String bindAddress, String hostname, int port, ServerCertificate certificate,
                           Path pkiDir, Map<String, String> users, boolean allowAnonymous,
                           boolean trustAllClients) {
    }

    private final OpcUaServer server;
    private final List<Closeable> resources;

    private DcsServer(OpcUaServer server, List<Closeable> resources) {
        this.server = server;
        this.resources = resources;
    }

    /** Builds the server; it serves nothing until {@link #start()}. */
    public static DcsServer create(Settings settings) throws IOException {
        List<Closeable> resources = new ArrayList<>();
        ServerCertificate cert = settings.certificate();
        TrustListManager trustList;
        CertificateValidator validator;
        FileBasedCertificateQuarantine quarantine = FileBasedCertificateQuarantine.create(
                settings.pkiDir().resolve("rejected").resolve("certs"));
        if (settings.trustAllClients()) {
            trustList = new MemoryTrustListManager();
            validator = (chain, applicationUri, hostNames) -> LOG.debug("accepting client certificate {}",
                    chain.isEmpty() ? "(none)" : chain.get(0).getSubjectX500Principal());
        } else {
            FileBasedTrustListManager fileTrustList = FileBasedTrustListManager.createAndInitialize(settings.pkiDir());
            resources.add(fileTrustList);
            trustList = fileTrustList;
            validator = new DefaultServerCertificateValidator(trustList, quarantine);
        }
        MemoryCertificateStore store = new MemoryCertificateStore();
        KeyPair keyPair = cert.keyPair();
        X509Certificate[] chain = {cert.certificate()};
        try {
            store.set(NodeIds.RsaSha256ApplicationCertificateType, new CertificateStore.Entry(keyPair.getPrivate(), chain));
            RsaSha256CertificateFactory factory = new RsaSha256CertificateFactory() {
                @Override
                protected KeyPair createRsaSha256KeyPair() {
                    return keyPair;
                }

                @Override
                protected X509Certificate[] createRsaSha256CertificateChain(KeyPair ignored) {
                    return chain.clone();
                }
            };
            DefaultApplicationGroup group = DefaultApplicationGroup.createAndInitialize(trustList, store, factory,
                    validator);
            DefaultCertificateManager certificateManager = new DefaultCertificateManager(quarantine, group);

            List<IdentityValidator> identities = new ArrayList<>();
            if (settings.allowAnonymous()) {
                identities.add(AnonymousIdentityValidator.INSTANCE);
            }
            Map<String, String> users = settings.users();
            identities.add(new UsernameIdentityValidator(challenge ->
                    challenge.getPassword().equals(users.get(challenge.getUsername()))));
            identities.add(new X509IdentityValidator(certificate -> true));

            OpcUaServerConfig config = OpcUaServerConfig.builder()
                    .setApplicationUri(cert.applicationUri())
                    .setApplicationName(LocalizedText.english("HazWatch tank-farm DCS simulator"))
                    .setProductUri("urn:hazwatch:sims:opcua-dcs")
                    .setBuildInfo(new BuildInfo("urn:hazwatch:sims:opcua-dcs", "HazWatch", "HazWatch OPC UA DCS simulator",
                            OpcUaServer.SDK_VERSION, "", DateTime.now()))
                    .setEndpoints(endpoints(settings))
                    .setCertificateManager(certificateManager)
                    .setIdentityValidator(new CompositeValidator(identities))
                    .build();
            OpcUaServer server = new OpcUaServer(config, profile ->
                    new OpcTcpServerTransport(OpcTcpServerTransportConfig.newBuilder().build()));
            return new DcsServer(server, resources);
        } catch (IOException | RuntimeException e) {
            closeAll(resources);
            throw e;
        } catch (Exception e) { // Milo's certificate store and group declare Exception
            closeAll(resources);
            throw new IOException("cannot set up the OPC UA server certificate: " + e.getMessage(), e);
        }
    }

    private static Set<EndpointConfig> endpoints(Settings settings) {
        List<UserTokenPolicy> tokens = new ArrayList<>();
        if (settings.allowAnonymous()) {
            tokens.add(USER_TOKEN_POLICY_ANONYMOUS);
        }
        tokens.add(USER_TOKEN_POLICY_USERNAME);
        tokens.add(USER_TOKEN_POLICY_X509);
        EndpointConfig.Builder base = EndpointConfig.newBuilder()
                .setTransportProfile(TransportProfile.TCP_UASC_UABINARY)
                .setBindAddress(settings.bindAddress())
                .setBindPort(settings.port())
                .setHostname(settings.hostname())
                .setPath(PATH)
                .setCertificate(settings.certificate().certificate())
                .addTokenPolicies(tokens.toArray(new UserTokenPolicy[0]));
        Set<EndpointConfig> endpoints = new LinkedHashSet<>();
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.None).setSecurityMode(MessageSecurityMode.None).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.Sign).build());
        endpoints.add(base.copy().setSecurityPolicy(SecurityPolicy.Basic256Sha256)
                .setSecurityMode(MessageSecurityMode.SignAndEncrypt).build());
        endpoints.add(base.copy().setPath(PATH + "/discovery").setSecurityPolicy(SecurityPolicy.None)
                .setSecurityMode(MessageSecurityMode.None).build());
        return endpoints;
    }

    public OpcUaServer server() {
        return server;
    }

    /** Binds the port and starts serving; fails if the port cannot be bound. */
    public void start() throws IOException {
        try {
            server.startup().get(STARTUP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException("the OPC UA server did not start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the OPC UA server did not start within " + STARTUP_TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the OPC UA server started", e);
        }
    }

    /** Stops serving and closes every session and connection. Idempotent. */
    @Override
    public void close() {
        try {
            server.shutdown().get(STARTUP_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("OPC UA server shutdown did not finish cleanly: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeAll(resources);
    }

    private static void closeAll(List<Closeable> resources) {
        for (Closeable c : resources) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.warn("cannot close {}: {}", c, e.toString());
            }
        }
    }
}
