package io.hazwatch.sims.opcua.internal;

import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.Objects;
import java.util.UUID;

/**
 * The simulator's application instance certificate: self-signed, made on first start and kept in
 * {@code pkiDir/own/server.p12} so that a restarted simulator presents the same certificate (clients
 * that trusted it keep trusting it). A DER copy is written to {@code pkiDir/own/server.der} for
 * engineers to hand to clients.
 *
 * @param keyPair        the RSA 2048 key pair
 * @param certificate    the certificate; its SAN URI is {@code applicationUri}
 * @param derFile        the DER copy
 * @param applicationUri {@code urn:hazwatch:sims:opcua-dcs:<uuid>}, unique per PKI directory
 */
public record ServerCertificate(KeyPair keyPair, X509Certificate certificate, Path derFile, String applicationUri) {

    private static final String ALIAS = "server";
    private static final char[] PASSWORD = "hazwatch-sim".toCharArray();

    public ServerCertificate {
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(derFile, "derFile");
        Objects.requireNonNull(applicationUri, "applicationUri");
    }

    /** Loads the certificate kept under {@code pkiDir}, or makes and keeps a new one. */
    public static ServerCertificate loadOrCreate(Path pkiDir, String hostname) throws IOException {
        Path own = pkiDir.resolve("own");
        Path store = own.resolve("server.p12");
        Path der = own.resolve("server.der");
        Files.createDirectories(own);
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            if (Files.exists(store)) {
                try (InputStream in = Files.newInputStream(store)) {
                    keyStore.load(in, PASSWORD);
                }
                Key key = keyStore.getKey(ALIAS, PASSWORD);
                Certificate cert = keyStore.getCertificate(ALIAS);
                if (key instanceof PrivateKey privateKey && cert instanceof X509Certificate x509) {
                    writeDer(der, x509);
                    return new ServerCertificate(new KeyPair(x509.getPublicKey(), privateKey), x509, der,
                            applicationUriOf(x509));
                }
                throw new IOException(store + " holds no '" + ALIAS + "' key entry");
            }
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            String applicationUri = "urn:hazwatch:sims:opcua-dcs:" + UUID.randomUUID();
            X509Certificate certificate = build(keyPair, applicationUri, hostname);
            keyStore.load(null, PASSWORD);
            keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), PASSWORD, new Certificate[]{certificate});
            Path tmp = Files.createTempFile(own, "server", ".p12.tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                keyStore.store(out, PASSWORD);
            }
            Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            writeDer(der, certificate);
            return new ServerCertificate(keyPair, certificate, der, applicationUri);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load or create the simulator certificate in " + own + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(KeyPair keyPair, String applicationUri, String hostname)
            throws GeneralSecurityException {
        SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("HazWatch OPC UA DCS simulator")
                .setOrganization("HazWatch")
                .setOrganizationalUnit("hardware-sims")
                .setCountryCode("CN")
                .setApplicationUri(applicationUri)
                .setValidityPeriod(Period.ofYears(5))
                .addDnsName("localhost")
                .addIpAddress("127.0.0.1");
        if (!"localhost".equals(hostname) && !"127.0.0.1".equals(hostname)) {
            if (hostname.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == ':')) {
                builder.addIpAddress(hostname);
            } else {
                builder.addDnsName(hostname);
            }
        }
        try {
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) { // Milo's builder declares Exception; anything it throws is a certificate failure
            throw new GeneralSecurityException("cannot build a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static String applicationUriOf(X509Certificate certificate) throws IOException {
        return CertificateUtil.getSanUri(certificate)
                .orElseThrow(() -> new IOException("the simulator certificate has no application URI"));
    }

    private static void writeDer(Path der, X509Certificate certificate) throws IOException {
        try {
            Files.write(der, certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode the simulator certificate", e);
        }
    }
}
