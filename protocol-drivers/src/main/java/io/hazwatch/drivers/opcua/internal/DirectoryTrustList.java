package io.hazwatch.drivers.opcua.internal;

import org.eclipse.milo.opcua.stack.core.security.TrustListManager;
import org.eclipse.milo.opcua.stack.core.types.builtin.ByteString;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Milo's view of a {@link ClientPki}: every getter reads the directories afresh, so a certificate an
 * engineer moved into {@code trusted/certs} counts on the next connection attempt. No watch thread,
 * no cache: a client checks the server's certificate once per secure channel.
 *
 * <p>The bulk setters are refused: the trust list is the directory, edited by hand or by
 * {@link #addTrustedCertificate}.
 */
final class DirectoryTrustList implements TrustListManager {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryTrustList.class);

    private final ClientPki pki;

    DirectoryTrustList(ClientPki pki) {
        this.pki = pki;
    }

    @Override
    public List<X509CRL> getIssuerCrls() {
        return pki.issuerCrls();
    }

    @Override
    public List<X509CRL> getTrustedCrls() {
        return pki.trustedCrls();
    }

    @Override
    public List<X509Certificate> getIssuerCertificates() {
        return pki.issuerCertificates();
    }

    @Override
    public List<X509Certificate> getTrustedCertificates() {
        return pki.trustedCertificates();
    }

    @Override
    public void setIssuerCrls(List<X509CRL> issuerCrls) {
        throw refused();
    }

    @Override
    public void setTrustedCrls(List<X509CRL> trustedCrls) {
        throw refused();
    }

    @Override
    public void setIssuerCertificates(List<X509Certificate> issuerCertificates) {
        throw refused();
    }

    @Override
    public void setTrustedCertificates(List<X509Certificate> trustedCertificates) {
        throw refused();
    }

    @Override
    public void addIssuerCertificate(X509Certificate certificate) {
        throw refused();
    }

    @Override
    public void addTrustedCertificate(X509Certificate certificate) {
        try {
            LOG.info("trusting server certificate {} in {}", certificate.getSubjectX500Principal(), pki.trust(certificate));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + pki.trustedCertsDir(), e);
        }
    }

    @Override
    public boolean removeIssuerCertificate(ByteString thumbprint) {
        throw refused();
    }

    @Override
    public boolean removeTrustedCertificate(ByteString thumbprint) {
        return pki.untrust(thumbprint.bytesOrEmpty());
    }

    @Override
    public DateTime getLastUpdateTime() {
        return DateTime.now();
    }

    private UnsupportedOperationException refused() {
        return new UnsupportedOperationException("the OPC UA trust list is the directory " + pki.root()
                + "; edit it there");
    }
}
