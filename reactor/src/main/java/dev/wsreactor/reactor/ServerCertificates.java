package dev.wsreactor.reactor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server's certificates for {@code wss://}: one per host name on the same port, chosen by the name the client
 * asks for (SNI), and read again from their files when they change, so a renewed certificate is served without a
 * restart. Give it to {@link WebSocketServer.Builder#tls(ServerCertificates)}.
 *
 * <pre>{@code
 * ServerCertificates certificates = ServerCertificates.builder(CertificateSource.pem(chain, key))
 *         .serve("chat.example.org", CertificateSource.pem(chatChain, chatKey))
 *         .serve("*.example.net", CertificateSource.pkcs12(store, password))
 *         .build();
 * }</pre>
 *
 * <p>Names: an exact name, compared without case, wins over a wildcard; {@code *.example.net} covers
 * {@code a.example.net} but neither {@code example.net} nor {@code a.b.example.net}. A client that sends no name
 * (one that connects by IP address) or a name not listed gets the default certificate, as nginx answers with its
 * default server's; such a client then rejects it unless the default certificate covers what it asked for.
 *
 * <p>Reloading: a running server looks at every source's files each {@link Builder#reloadInterval} (their real
 * paths, modification times and sizes, so a symbolic link moved by a renewal counts). A changed source is read on
 * a thread of its own, off the reactors, and checked (the files parse, the key signs what the certificate's public
 * key verifies); then it replaces the old one at once: every later handshake gets it, and connections already open
 * keep their session. A change that cannot be read (a file half written, a key from another certificate) leaves the
 * old certificate in place, is logged and counted once in {@link Counter#TLS_CERTIFICATE_RELOAD_FAILURES}, and is
 * tried again at each look until it reads. A good one counts in {@link Counter#TLS_CERTIFICATE_RELOADS}.
 */
public final class ServerCertificates {

    /** How often a running server looks at the files unless told otherwise. */
    public static final Duration DEFAULT_RELOAD_INTERVAL = Duration.ofMinutes(1);

    private final SniKeyManager keyManager;
    private final SSLContext context;
    private final Duration reloadInterval;

    private ServerCertificates(Builder builder) {
        List<CertificateSource> sources = new ArrayList<>();
        Map<CertificateSource, Integer> indexes = new IdentityHashMap<>();
        indexes.put(builder.defaultCertificate, 0);
        sources.add(builder.defaultCertificate);
        Map<String, Integer> names = new LinkedHashMap<>();
        builder.names.forEach((name, source) -> names.put(name, indexes.computeIfAbsent(source, s -> {
            sources.add(s);
            return sources.size() - 1;
        })));
        KeyMaterial[] materials = new KeyMaterial[sources.size()];
        for (int i = 0; i < materials.length; i++) {
            materials[i] = firstLoad(sources.get(i));
        }
        this.keyManager = new SniKeyManager(new CertificateTable(sources, names, materials));
        this.reloadInterval = builder.reloadInterval;
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(builder.trustedClients); // null: the JDK's default trust store
            this.context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, tmf.getTrustManagers(), null);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * {@return a builder whose every server name not listed gets this certificate}
     *
     * @param defaultCertificate the certificate for clients that send no server name or one not listed
     */
    public static Builder builder(CertificateSource defaultCertificate) {
        return new Builder(defaultCertificate);
    }

    /**
     * {@return the certificate a client asking for this name gets now: the server's certificate of its chain}
     *
     * @param serverName the name a client sends (SNI); null for one that sends none
     */
    public X509Certificate certificate(String serverName) {
        return keyManager.table().forServerName(serverName).certificate();
    }

    /** {@return how often a running server looks at the files; zero when it never does} */
    public Duration reloadInterval() {
        return reloadInterval;
    }

    /** The context every engine is made from; its key manager follows the reloads. */
    SSLContext context() {
        return context;
    }

    SniKeyManager keyManager() {
        return keyManager;
    }

    /**
     * Starts looking at the files for a running server, which {@code count} tells of each reload and failure;
     * null when reloading is off.
     */
    CertificateWatcher watch(Consumer<Counter> count) {
        return reloadInterval.isZero() ? null : new CertificateWatcher(keyManager, reloadInterval, count);
    }

    private static KeyMaterial firstLoad(CertificateSource source) {
        try {
            return source.load(source.stamp());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use " + source + ": " + e.getMessage(), e);
        }
    }

    /** Collects the certificates by name; {@link #build()} reads them all and fails if one cannot be used. */
    public static final class Builder {

        private final CertificateSource defaultCertificate;
        private final Map<String, CertificateSource> names = new LinkedHashMap<>();
        private Duration reloadInterval = DEFAULT_RELOAD_INTERVAL;
        private KeyStore trustedClients;

        private Builder(CertificateSource defaultCertificate) {
            this.defaultCertificate = Objects.requireNonNull(defaultCertificate, "defaultCertificate");
        }

        /**
         * Serves this certificate to clients that ask for this name. One source may serve several names; it is
         * read once.
         *
         * @param serverName a host name ({@code chat.example.org}) or a wildcard for one label
         *                   ({@code *.example.org})
         * @param source the certificate's files
         * @return this builder
         * @throws IllegalArgumentException for a name of another form, or one given twice
         */
        public Builder serve(String serverName, CertificateSource source) {
            String name = CertificateTable.normalize(Objects.requireNonNull(serverName, "serverName"));
            if (names.putIfAbsent(name, Objects.requireNonNull(source, "source")) != null) {
                throw new IllegalArgumentException("two certificates for " + serverName);
            }
            return this;
        }

        /**
         * How often a running server looks for changed files (default {@link #DEFAULT_RELOAD_INTERVAL}).
         *
         * @param interval the time between looks; {@link Duration#ZERO} never looks
         * @return this builder
         */
        public Builder reloadInterval(Duration interval) {
            if (interval.isNegative()) {
                throw new IllegalArgumentException("reloadInterval must not be negative, got " + interval);
            }
            this.reloadInterval = interval;
            return this;
        }

        /**
         * What client certificates are checked against when the server asks for them
         * ({@link WebSocketServer.Builder#tls(ServerCertificates, Tls.ClientAuth)}).
         *
         * @param trusted the trusted certificates; null for the JDK's default trust store
         * @return this builder
         */
        public Builder trustedClients(KeyStore trusted) {
            this.trustedClients = trusted;
            return this;
        }

        /**
         * Reads and checks every certificate.
         *
         * @return the certificates
         * @throws IllegalArgumentException if one does not parse or its key is not its certificate's
         * @throws UncheckedIOException if a file cannot be read
         */
        public ServerCertificates build() {
            return new ServerCertificates(this);
        }
    }
}
