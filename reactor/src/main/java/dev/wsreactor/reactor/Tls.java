package dev.wsreactor.reactor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Helpers that build the {@link SSLContext} a server needs for {@code wss://} from the usual files, with the JDK
 * alone: a PKCS#12 keystore, or a PEM certificate chain with a PEM PKCS#8 private key (RSA or EC), which is what
 * Let's Encrypt's clients write ({@code fullchain.pem} and {@code privkey.pem}).
 *
 * <pre>{@code
 * WebSocketServer.builder()
 *         .bind("0.0.0.0", 443)
 *         .tls(Tls.fromPem(Path.of("/etc/letsencrypt/live/example.org/fullchain.pem"),
 *                          Path.of("/etc/letsencrypt/live/example.org/privkey.pem")))
 *         ...
 * }</pre>
 *
 * <p>For several certificates on one port (chosen by the name the client asks for) or certificates renewed while
 * the server runs, use {@link ServerCertificates} instead.
 *
 * <p>Client certificates are off unless asked for with {@link WebSocketServer.Builder#tls(SSLContext, ClientAuth)};
 * the clients' certificates are then checked against the {@code trustedClients} store given here, or against
 * the JDK's default trust store when that is null.
 */
public final class Tls {

    /** Whether the server asks TLS clients for a certificate. */
    public enum ClientAuth {
        /** Does not ask (the default). */
        NONE,
        /** Asks; a client without one is still served. */
        WANT,
        /** Asks; a client without a valid one fails the TLS handshake. */
        NEED
    }

    /** The TLS versions the server speaks; anything older is refused. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /** The application protocol offered with ALPN: WebSocket runs over HTTP/1.1 (RFC 6455 §4.1). */
    static final String[] APPLICATION_PROTOCOLS = {"http/1.1"};

    private Tls() {
    }

    /**
     * A server context from a PKCS#12 keystore (the key's password is the store's, as {@code keytool} makes them).
     *
     * @param keystore the keystore file
     * @param password its password
     * @return the context
     */
    public static SSLContext fromPkcs12(Path keystore, char[] password) {
        return fromPkcs12(keystore, password, null);
    }

    /**
     * A server context from a PKCS#12 keystore, checking client certificates when client authentication is on.
     *
     * @param keystore the keystore file
     * @param password its password, also the key's
     * @param trustedClients what client certificates are checked against; may be null
     * @return the context
     */
    public static SSLContext fromPkcs12(Path keystore, char[] password, KeyStore trustedClients) {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password);
            return context(store, password, trustedClients);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keystore " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    /**
     * A server context from PEM files, RSA or EC.
     *
     * @param certificateChain the certificate chain: the server's certificate first, then the intermediates
     * @param privateKey its unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----})
     * @return the context
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey) {
        return fromPem(certificateChain, privateKey, null);
    }

    /**
     * As {@link #fromPem(Path, Path)}, checking client certificates when client authentication is on.
     *
     * @param certificateChain the certificate chain: the server's certificate first, then the intermediates
     * @param privateKey its unencrypted PKCS#8 private key
     * @param trustedClients what client certificates are checked against; may be null
     * @return the context
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey, KeyStore trustedClients) {
        String chainText = read(certificateChain);
        String keyText = read(privateKey);
        try {
            List<X509Certificate> chain = parseCertificates(chainText);
            if (chain.isEmpty()) {
                throw new IllegalArgumentException("no CERTIFICATE block in " + certificateChain);
            }
            PrivateKey key = parsePrivateKey(keyText);
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(new Certificate[0]));
            return context(store, password, trustedClients);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + certificateChain + " and " + privateKey + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * A store of trusted certificates (for client certificates, or for a client that trusts a self-signed server).
     *
     * @param certificates a PEM file of one or more certificates
     * @return the store
     */
    public static KeyStore trustStoreFromPem(Path certificates) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (X509Certificate certificate : parseCertificates(read(certificates))) {
                store.setCertificateEntry("trusted-" + i++, certificate);
            }
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read certificates from " + certificates, e);
        }
    }

    /** X.509 certificates in PEM ({@code -----BEGIN CERTIFICATE-----} blocks), in file order. */
    static List<X509Certificate> parseCertificates(String pem) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (byte[] der : blocks(pem, "CERTIFICATE")) {
            Collection<? extends Certificate> parsed = factory.generateCertificates(
                    new java.io.ByteArrayInputStream(der));
            for (Certificate certificate : parsed) {
                certificates.add((X509Certificate) certificate);
            }
        }
        return certificates;
    }

    /**
     * An unencrypted PKCS#8 private key in PEM. The key's algorithm is in the DER, but {@link KeyFactory} wants it
     * named, so RSA, EC and then the Edwards curves are tried in turn.
     */
    static PrivateKey parsePrivateKey(String pem) throws GeneralSecurityException {
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----") || pem.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the key is in the traditional (PKCS#1 or SEC 1) format; convert it"
                    + " with: openssl pkcs8 -topk8 -nocrypt -in key.pem -out key.pk8.pem");
        }
        if (pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
            throw new IllegalArgumentException("the key is encrypted; use an unencrypted PKCS#8 key or a PKCS#12"
                    + " keystore");
        }
        List<byte[]> keys = blocks(pem, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new IllegalArgumentException("expected one PRIVATE KEY block, found " + keys.size());
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        InvalidKeySpecException last = null;
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException e) {
                last = e;
            } catch (java.security.NoSuchAlgorithmException e) {
                // Not every JDK has every algorithm: try the next.
            }
        }
        throw new InvalidKeySpecException("not an RSA, EC or EdDSA PKCS#8 key", last);
    }

    /** The base64 bodies of every {@code -----BEGIN type-----} block, decoded. */
    static List<byte[]> blocks(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> blocks = new ArrayList<>();
        int from = 0;
        while (true) {
            int start = pem.indexOf(begin, from);
            if (start < 0) {
                return blocks;
            }
            int bodyStart = start + begin.length();
            int stop = pem.indexOf(end, bodyStart);
            if (stop < 0) {
                throw new IllegalArgumentException("unterminated " + begin + " block");
            }
            String body = pem.substring(bodyStart, stop);
            // RFC 7468 allows header lines ("Proc-Type: ...") only in legacy formats; ours have none.
            blocks.add(Base64.getMimeDecoder().decode(body.getBytes(StandardCharsets.US_ASCII)));
            from = stop + end.length();
        }
    }

    private static SSLContext context(KeyStore keys, char[] password, KeyStore trustedClients)
            throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustedClients); // null: the JDK's default trust store
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static String read(Path file) {
        Objects.requireNonNull(file);
        try {
            // Latin-1 never fails to decode; anything outside the blocks is ignored anyway.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
