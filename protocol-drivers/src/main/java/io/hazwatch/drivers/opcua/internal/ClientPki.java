package io.hazwatch.drivers.opcua.internal;

import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateBuilder;
import org.eclipse.milo.opcua.stack.core.util.SelfSignedCertificateGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CRL;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Period;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The driver's certificate directory (the layout of OPC UA Part 12, F.1, as UA-.NET and node-opcua use it):
 *
 * <pre>
 * pkiDir/own/certs/hazwatch-client.der      the driver's application instance certificate (give it to the DCS)
 * pkiDir/own/private/hazwatch-client.p12    its private key (PKCS#12, file mode 600)
 * pkiDir/trusted/certs/   server certificates the driver trusts (DER or PEM)   trusted/crl/  their CRLs
 * pkiDir/issuers/certs/   CA certificates that complete chains                 issuers/crl/  their CRLs
 * pkiDir/rejected/certs/  server certificates the driver refused, "CN [sha1].der"
 * </pre>
 *
 * <p>The own certificate is self-signed and made on first use. Trust is re-read from the directories
 * on every check (checks happen once per connection), so moving a file into {@code trusted/certs}
 * takes effect on the next connection attempt without a restart.
 *
 * <p>Thread-safe: several drivers may share one directory; making the own certificate is serialised
 * per directory within this JVM and files are written by atomic rename.
 */
public final class ClientPki {

    private static final Logger LOG = LoggerFactory.getLogger(ClientPki.class);
    private static final ConcurrentHashMap<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final String OWN_NAME = "hazwatch-client";
    /** The key store is protected by the directory's file permissions; the password only satisfies PKCS#12. */
    private static final char[] STORE_PASSWORD = "hazwatch".toCharArray();
    private static final String ALIAS = "client";

    /** The driver's own certificate and key. */
    public record OwnCertificate(KeyPair keyPair, X509Certificate certificate, String applicationUri) {
    }

    private final Path root;
    private volatile OwnCertificate own;

    private ClientPki(Path root) {
        this.root = root;
    }

    /** Opens (and makes, if missing) the directory tree under {@code root}. */
    public static ClientPki open(Path root) throws IOException {
        Path abs = root.toAbsolutePath().normalize();
        ClientPki pki = new ClientPki(abs);
        for (Path dir : List.of(pki.ownCertsDir(), pki.ownPrivateDir(), pki.trustedCertsDir(), pki.trustedCrlDir(),
                pki.issuerCertsDir(), pki.issuerCrlDir(), pki.rejectedCertsDir())) {
            Files.createDirectories(dir);
        }
        return pki;
    }

    public Path root() {
        return root;
    }

    public Path ownCertsDir() {
        return root.resolve("own").resolve("certs");
    }

    Path ownPrivateDir() {
        return root.resolve("own").resolve("private");
    }

    public Path trustedCertsDir() {
        return root.resolve("trusted").resolve("certs");
    }

    Path trustedCrlDir() {
        return root.resolve("trusted").resolve("crl");
    }

    Path issuerCertsDir() {
        return root.resolve("issuers").resolve("certs");
    }

    Path issuerCrlDir() {
        return root.resolve("issuers").resolve("crl");
    }

    public Path rejectedCertsDir() {
        return root.resolve("rejected").resolve("certs");
    }

    /** The DER file of the driver's own certificate (exists after {@link #ownCertificate()}). */
    public Path ownCertificateFile() {
        return ownCertsDir().resolve(OWN_NAME + ".der");
    }

    /** The driver's own certificate: loaded, or made and kept on first use. */
    public OwnCertificate ownCertificate() throws IOException {
        OwnCertificate current = own;
        if (current != null) {
            return current;
        }
        synchronized (LOCKS.computeIfAbsent(root, r -> new Object())) {
            if (own == null) {
                own = loadOrCreate();
            }
            return own;
        }
    }

    private OwnCertificate loadOrCreate() throws IOException {
        Path store = ownPrivateDir().resolve(OWN_NAME + ".p12");
        try {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            if (Files.exists(store)) {
                try (InputStream in = Files.newInputStream(store)) {
                    keyStore.load(in, STORE_PASSWORD);
                }
                Key key = keyStore.getKey(ALIAS, STORE_PASSWORD);
                Certificate cert = keyStore.getCertificate(ALIAS);
                if (!(key instanceof PrivateKey privateKey) || !(cert instanceof X509Certificate x509)) {
                    throw new IOException(store + " holds no '" + ALIAS + "' key entry; move it away to make a new one");
                }
                String uri = CertificateUtil.getSanUri(x509).orElseThrow(
                        () -> new IOException("the certificate in " + store + " has no application URI"));
                if (!Files.exists(ownCertificateFile())) {
                    writeAtomically(ownCertificateFile(), x509.getEncoded());
                }
                return new OwnCertificate(new KeyPair(x509.getPublicKey(), privateKey), x509, uri);
            }
            String host = localHostName();
            String uri = "urn:hazwatch:edge-agent:" + host + ":" + UUID.randomUUID();
            KeyPair keyPair = SelfSignedCertificateGenerator.generateRsaKeyPair(2048);
            X509Certificate cert = build(keyPair, uri, host);
            keyStore.load(null, STORE_PASSWORD);
            keyStore.setKeyEntry(ALIAS, keyPair.getPrivate(), STORE_PASSWORD, new Certificate[]{cert});
            Path tmp = Files.createTempFile(ownPrivateDir(), OWN_NAME, ".tmp");
            restrict(tmp);
            try (OutputStream out = Files.newOutputStream(tmp)) {
                keyStore.store(out, STORE_PASSWORD);
            }
            Files.move(tmp, store, StandardCopyOption.ATOMIC_MOVE);
            writeAtomically(ownCertificateFile(), cert.getEncoded());
            LOG.info("made the OPC UA client certificate {} (application URI {}); a server that checks clients "
                    + "must trust this file", ownCertificateFile(), uri);
            return new OwnCertificate(keyPair, cert, uri);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load or make the client certificate in " + root + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate build(KeyPair keyPair, String uri, String host) throws GeneralSecurityException {
        SelfSignedCertificateBuilder builder = new SelfSignedCertificateBuilder(keyPair)
                .setCommonName("HazWatch edge agent " + host)
                .setOrganization("HazWatch")
                .setOrganizationalUnit("edge-agent")
                .setCountryCode("CN")
                .setApplicationUri(uri)
                .setValidityPeriod(Period.ofYears(10))
                .addDnsName(host);
        if (!"localhost".equals(host)) {
            builder.addDnsName("localhost");
        }
        try {
            return builder.build();
        } catch (GeneralSecurityException e) {
            throw e;
        } catch (Exception e) { // Milo's builder declares Exception; anything it throws is a certificate failure
            throw new GeneralSecurityException("cannot build a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            return name == null || name.isBlank() ? "localhost" : name;
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void restrict(Path file) {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException e) {
            LOG.debug("cannot restrict permissions of {}: {}", file, e.toString());
        }
    }

    /** Server certificates in {@code trusted/certs}. Unreadable files are skipped with a warning. */
    public List<X509Certificate> trustedCertificates() {
        return certificates(trustedCertsDir());
    }

    public List<X509Certificate> issuerCertificates() {
        return certificates(issuerCertsDir());
    }

    public List<X509CRL> trustedCrls() {
        return crls(trustedCrlDir());
    }

    public List<X509CRL> issuerCrls() {
        return crls(issuerCrlDir());
    }

    /** Writes {@code certificate} into {@code trusted/certs}; returns the file. */
    public Path trust(X509Certificate certificate) throws IOException {
        return write(trustedCertsDir(), certificate);
    }

    /** Writes {@code certificate} into {@code rejected/certs} (once); returns the file. */
    public Path reject(X509Certificate certificate) throws IOException {
        return write(rejectedCertsDir(), certificate);
    }

    /** Removes a trusted certificate by SHA-1 thumbprint; true if a file was removed. */
    boolean untrust(byte[] thumbprint) {
        boolean removed = false;
        for (Path file : files(trustedCertsDir())) {
            for (X509Certificate c : read(file)) {
                if (java.util.Arrays.equals(sha1(c), thumbprint)) {
                    try {
                        Files.deleteIfExists(file);
                        removed = true;
                    } catch (IOException e) {
                        LOG.warn("cannot remove {}: {}", file, e.toString());
                    }
                }
            }
        }
        return removed;
    }

    /** The file name a certificate gets: {@code <common name> [<sha1 thumbprint>].der}. */
    public static String fileNameFor(X509Certificate certificate) {
        String cn = commonName(certificate).orElse("certificate").replaceAll("[^A-Za-z0-9 ._-]", "_").trim();
        return cn + " [" + HexFormat.of().formatHex(sha1(certificate)) + "].der";
    }

    /** SHA-1 thumbprint (OPC UA identifies certificates by it). */
    public static byte[] sha1(X509Certificate certificate) {
        try {
            return MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-1 or certificate encoding unavailable", e);
        }
    }

    public static String thumbprintHex(X509Certificate certificate) {
        return HexFormat.of().formatHex(sha1(certificate)).toUpperCase(Locale.ROOT);
    }

    public static Optional<String> commonName(X509Certificate certificate) {
        String dn = certificate.getSubjectX500Principal().getName();
        for (String part : dn.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "CN=", 0, 3)) {
                return Optional.of(p.substring(3).replace("\\", "").replace("\"", ""));
            }
        }
        return Optional.empty();
    }

    private Path write(Path dir, X509Certificate certificate) throws IOException {
        Path file = dir.resolve(fileNameFor(certificate));
        if (Files.exists(file)) {
            return file;
        }
        try {
            writeAtomically(file, certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot encode certificate " + certificate.getSubjectX500Principal(), e);
        }
        return file;
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), ".incoming", ".tmp");
        Files.write(tmp, bytes);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            Files.deleteIfExists(tmp); // another driver wrote the same certificate first
        }
    }

    private static List<Path> files(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            for (Path p : stream) {
                String name = p.getFileName().toString();
                if (Files.isRegularFile(p) && !name.startsWith(".")) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
        }
        out.sort(null);
        return out;
    }

    private static List<X509Certificate> certificates(Path dir) {
        List<X509Certificate> out = new ArrayList<>();
        for (Path file : files(dir)) {
            out.addAll(read(file));
        }
        return out;
    }

    private static List<X509Certificate> read(Path file) {
        List<X509Certificate> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (c instanceof X509Certificate x509) {
                    out.add(x509);
                }
            }
        } catch (IOException | GeneralSecurityException e) {
            LOG.warn("skipping {}: not a readable X.509 certificate ({})", file, e.getMessage());
        }
        return out;
    }

    private static List<X509CRL> crls(Path dir) {
        List<X509CRL> out = new ArrayList<>();
        for (Path file : files(dir)) {
            try (InputStream in = Files.newInputStream(file)) {
                for (CRL crl : CertificateFactory.getInstance("X.509").generateCRLs(in)) {
                    if (crl instanceof X509CRL x509) {
                        out.add(x509);
                    }
                }
            } catch (IOException | GeneralSecurityException e) {
                LOG.warn("skipping {}: not a readable CRL ({})", file, e.getMessage());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ClientPki[" + root + "]";
    }
}
