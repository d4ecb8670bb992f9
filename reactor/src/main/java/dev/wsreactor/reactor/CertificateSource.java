package dev.wsreactor.reactor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The files one server certificate is read from: a PEM chain with its PKCS#8 key (what Let's Encrypt's clients
 * write), or a PKCS#12 keystore. A {@link ServerCertificates} reads them when it is built, and again whenever
 * they change.
 */
public final class CertificateSource {

    /** How the files are laid out. */
    private enum Format {
        /** Two files: the certificate chain, then the private key. */
        PEM,
        /** One keystore file; its first key entry is the certificate. */
        PKCS12
    }

    private final Format format;
    private final List<Path> files;
    private final char[] password;

    private CertificateSource(Format format, List<Path> files, char[] password) {
        this.format = format;
        this.files = files;
        this.password = password;
    }

    /**
     * A certificate in PEM files, RSA or EC, as {@link Tls#fromPem(Path, Path)} reads them.
     *
     * @param certificateChain the certificate chain: the server's certificate first, then the intermediates
     * @param privateKey its unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----})
     * @return the source
     */
    public static CertificateSource pem(Path certificateChain, Path privateKey) {
        return new CertificateSource(Format.PEM, List.of(Objects.requireNonNull(certificateChain),
                Objects.requireNonNull(privateKey)), null);
    }

    /**
     * A certificate in a PKCS#12 keystore: its first key entry, whose password is the store's.
     *
     * @param keystore the keystore file
     * @param password its password, also the key's
     * @return the source
     */
    public static CertificateSource pkcs12(Path keystore, char[] password) {
        return new CertificateSource(Format.PKCS12, List.of(Objects.requireNonNull(keystore)),
                Objects.requireNonNull(password).clone());
    }

    /** The files, as given (symbolic links not resolved). */
    List<Path> files() {
        return files;
    }

    /**
     * How the files stand now, their links resolved: Let's Encrypt's clients renew by pointing the links in
     * {@code live/} at new files, so a renewal changes the real path even where size and time happen to match.
     */
    FileStamp stamp() throws IOException {
        List<FileStamp.FileState> states = new ArrayList<>(files.size());
        for (Path file : files) {
            Path real = file.toRealPath();
            BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
            states.add(new FileStamp.FileState(real, attributes.fileKey(), attributes.lastModifiedTime(),
                    attributes.size()));
        }
        return new FileStamp(states);
    }

    /**
     * Reads the files as {@code stamp} found them (their real paths, so that a link moved meanwhile does not
     * pair one renewal's chain with another's key) and checks that the key belongs to the certificate.
     */
    KeyMaterial load(FileStamp stamp) throws IOException, GeneralSecurityException {
        List<Path> real = stamp.paths();
        try {
            KeyMaterial material = switch (format) {
                case PEM -> fromPem(real.get(0), real.get(1));
                case PKCS12 -> fromPkcs12(real.get(0));
            };
            return material.withStamp(stamp).checked();
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException(e.getMessage(), e); // bad base64, a PKCS#1 key, a cut-off block
        }
    }

    private static KeyMaterial fromPem(Path chainFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<X509Certificate> chain = Tls.parseCertificates(latin1(chainFile));
        if (chain.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block in " + chainFile);
        }
        PrivateKey key = Tls.parsePrivateKey(latin1(keyFile));
        return new KeyMaterial(key, chain.toArray(new X509Certificate[0]), null);
    }

    private KeyMaterial fromPkcs12(Path keystore) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = new ByteArrayInputStream(Files.readAllBytes(keystore))) {
            store.load(in, password);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Key key = store.getKey(alias, password);
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    return new KeyMaterial(privateKey,
                            Arrays.copyOf(chain, chain.length, X509Certificate[].class), null);
                }
            }
        }
        throw new GeneralSecurityException("no private key with a certificate chain in " + keystore);
    }

    private static String latin1(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1); // never fails to decode; only the blocks count
    }

    /** {@return the files, for log lines} */
    @Override
    public String toString() {
        return files.size() == 1 ? files.get(0).toString() : files.get(0) + " and " + files.get(1);
    }
}
