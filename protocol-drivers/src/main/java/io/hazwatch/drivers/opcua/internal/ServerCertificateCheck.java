package io.hazwatch.drivers.opcua.internal;

import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.security.CertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.DefaultClientCertificateValidator;
import org.eclipse.milo.opcua.stack.core.security.MemoryCertificateQuarantine;
import org.eclipse.milo.opcua.stack.core.util.CertificateUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Checks the server's certificate against the {@link ClientPki} trust list (path building, validity,
 * CRLs: Milo's {@link DefaultClientCertificateValidator}). An untrusted certificate is saved under
 * {@code rejected/certs} and refused with a message that tells the engineer which file to move where.
 *
 * <p>Trust on first use (off by default): an untrusted certificate is trusted, and written to
 * {@code trusted/certs}, only if no trusted certificate carries the same application URI yet. A server
 * that later presents a different certificate for a URI already trusted is refused: that is a renewed
 * certificate or an impostor, and a person must decide which.
 *
 * <p>Milo wraps validation failures in its own exceptions on the way up; {@link #lastRejection()} keeps
 * the message so the driver can report it.
 */
final class ServerCertificateCheck implements CertificateValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificateCheck.class);

    private final ClientPki pki;
    private final boolean trustOnFirstUse;
    private final CertificateValidator delegate;
    private final AtomicReference<String> lastRejection = new AtomicReference<>();

    ServerCertificateCheck(ClientPki pki, boolean trustOnFirstUse) {
        this.pki = pki;
        this.trustOnFirstUse = trustOnFirstUse;
        this.delegate = new DefaultClientCertificateValidator(new DirectoryTrustList(pki),
                new MemoryCertificateQuarantine());
    }

    /** Why the last check refused the server, if it did. */
    Optional<String> lastRejection() {
        return Optional.ofNullable(lastRejection.get());
    }

    @Override
    public void validateCertificateChain(List<X509Certificate> chain, String applicationUri, String[] validHostNames)
            throws UaException {
        lastRejection.set(null);
        if (chain.isEmpty()) {
            String message = "the server sent no certificate";
            lastRejection.set(message);
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed, message);
        }
        X509Certificate server = chain.get(0);
        try {
            delegate.validateCertificateChain(chain, applicationUri, validHostNames);
            return;
        } catch (UaException e) {
            if (!isTrustProblem(e)) {
                String message = "server certificate '" + server.getSubjectX500Principal().getName() + "' refused: "
                        + StatusNames.describe(e.getStatusCode().getValue()) + " (" + e.getMessage() + ")";
                lastRejection.set(message);
                throw new UaException(e.getStatusCode(), message);
            }
            Optional<String> uri = CertificateUtil.getSanUri(server);
            List<X509Certificate> pinned = pki.trustedCertificates().stream()
                    .filter(c -> uri.isPresent() && uri.equals(CertificateUtil.getSanUri(c)))
                    .toList();
            if (trustOnFirstUse && pinned.isEmpty() && uri.isPresent()) {
                Path file = trust(server);
                LOG.warn("trusted server certificate '{}' (application URI {}, SHA-1 {}) on first use: {}",
                        server.getSubjectX500Principal().getName(), uri.get(), ClientPki.thumbprintHex(server), file);
                delegate.validateCertificateChain(chain, applicationUri, validHostNames);
                return;
            }
            Path rejected = reject(server);
            String message;
            if (!pinned.isEmpty()) {
                message = "server certificate '" + server.getSubjectX500Principal().getName() + "' (SHA-1 "
                        + ClientPki.thumbprintHex(server) + ") is not trusted, but a different certificate for the "
                        + "same application URI " + uri.orElse("") + " is (SHA-1 " + ClientPki.thumbprintHex(pinned.get(0))
                        + "). If the server's certificate was renewed, move " + rejected + " into "
                        + pki.trustedCertsDir() + " (and remove the old one); otherwise something is impersonating "
                        + "the server";
            } else {
                message = "server certificate '" + server.getSubjectX500Principal().getName() + "' (SHA-1 "
                        + ClientPki.thumbprintHex(server) + ") is not trusted. It was saved as " + rejected
                        + "; if it is the server's certificate, move that file into " + pki.trustedCertsDir()
                        + " and the driver connects on its next attempt";
            }
            lastRejection.set(message);
            throw new UaException(StatusCodes.Bad_SecurityChecksFailed, message);
        }
    }

    private Path trust(X509Certificate certificate) throws UaException {
        try {
            return pki.trust(certificate);
        } catch (IOException e) {
            throw new UaException(StatusCodes.Bad_InternalError, "cannot write to " + pki.trustedCertsDir() + ": " + e);
        }
    }

    private Path reject(X509Certificate certificate) {
        try {
            return pki.reject(certificate);
        } catch (IOException e) {
            LOG.warn("cannot save rejected certificate under {}: {}", pki.rejectedCertsDir(), e.toString());
            return pki.rejectedCertsDir().resolve(ClientPki.fileNameFor(certificate));
        }
    }

    private static boolean isTrustProblem(UaException e) {
        long code = e.getStatusCode().getValue();
        return code == StatusCodes.Bad_CertificateUntrusted || code == StatusCodes.Bad_SecurityChecksFailed
                || code == StatusCodes.Bad_CertificateChainIncomplete;
    }
}
