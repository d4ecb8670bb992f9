package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.Opcode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several certificates on one port, chosen by SNI, and certificates read again when their files change, against
 * the JDK's own TLS client, over self-signed certificates made at test time (which the client trusts one by one).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServerCertificatesTest {

    private static final String[] NAMES = {"default.test", "alpha.test", "wild.test", "renewed.test"};
    private static final String RSA = "wild.test";

    @TempDir
    static Path dir;

    static TrustManagerFactory trustingEach;

    @BeforeAll
    static void makeCertificates() throws Exception {
        List<CompletableFuture<Void>> made = new ArrayList<>();
        for (String name : NAMES) {
            // One RSA certificate among the EC ones: the key manager is asked for each key type in turn.
            List<String> key = name.equals(RSA) ? List.of("-keyalg", "RSA", "-keysize", "2048")
                    : List.of("-keyalg", "EC", "-groupname", "secp256r1");
            List<String> command = new ArrayList<>(List.of("-genkeypair", "-alias", "leaf", "-dname", "CN=" + name,
                    "-ext", "SAN=dns:" + name, "-validity", "10", "-storetype", "PKCS12", "-keystore", name + ".p12",
                    "-storepass", TestCertificates.PASSWORD, "-keypass", TestCertificates.PASSWORD));
            command.addAll(key);
            made.add(CompletableFuture.runAsync(() -> TestCertificates.keytool(dir, command.toArray(new String[0]))));
        }
        CompletableFuture.allOf(made.toArray(new CompletableFuture<?>[0])).get(100, TimeUnit.SECONDS);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        for (String name : NAMES) {
            KeyStore store = TestCertificates.load(dir.resolve(name + ".p12"));
            trusted.setCertificateEntry(name, store.getCertificate("leaf"));
            Key key = store.getKey("leaf", TestCertificates.PASSWORD.toCharArray());
            StringBuilder chain = new StringBuilder();
            for (Certificate certificate : store.getCertificateChain("leaf")) {
                chain.append(TestCertificates.pem("CERTIFICATE", certificate.getEncoded()));
            }
            Files.writeString(dir.resolve(name + "-fullchain.pem"), chain, StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve(name + "-privkey.pem"), TestCertificates.pem("PRIVATE KEY",
                    key.getEncoded()), StandardCharsets.US_ASCII);
        }
        trustingEach = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustingEach.init(trusted);
    }

    /**
     * A client with no session to resume, as a new visitor is. The JDK's client caches its sessions by address
     * and port, and resuming one repeats the name it asked for then, whatever the new connection asks for; and a
     * resumed session was authenticated once, so the server sends no certificate in it.
     */
    private static SSLContext newClient() throws java.security.GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustingEach.getTrustManagers(), null);
        return context;
    }

    private static CertificateSource pem(String name) {
        return CertificateSource.pem(dir.resolve(name + "-fullchain.pem"), dir.resolve(name + "-privkey.pem"));
    }

    private static WebSocketServer start(ServerCertificates certificates) {
        return WebSocketServer.builder().bind("127.0.0.1", 0).handler(new RecordingHandler()).daemon(true)
                .tls(certificates).build().start();
    }

    /** A TLS connection that asks for {@code serverName} (none when null), its handshake done. */
    private static SSLSocket connect(int port, String serverName) throws IOException {
        SSLSocket socket;
        try {
            socket = (SSLSocket) newClient().getSocketFactory().createSocket("127.0.0.1", port);
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setServerNames(serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
        parameters.setApplicationProtocols(new String[] {"http/1.1"});
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    /** The common name of the certificate the server presented. */
    private static String served(SSLSocket socket) throws IOException {
        X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
        return certificate.getSubjectX500Principal().getName().replace("CN=", "");
    }

    private static String servedTo(int port, String serverName) throws IOException {
        try (SSLSocket socket = connect(port, serverName)) {
            return served(socket);
        }
    }

    private static void assertEchoes(RawClient client, String text) throws IOException {
        client.writeFrame(Opcode.TEXT, true, text.getBytes(StandardCharsets.UTF_8));
        assertEquals(text, client.readFrame().text());
    }

    // ---------------------------------------------------------------------------------------------------------
    // SNI

    @Test
    void eachClientGetsTheCertificateForTheNameItAsksFor() throws Exception {
        ServerCertificates certificates = ServerCertificates.builder(pem("default.test"))
                .serve("alpha.test", pem("alpha.test"))
                .serve("*.wild.test", CertificateSource.pkcs12(dir.resolve("wild.test.p12"),
                        TestCertificates.PASSWORD.toCharArray()))
                .reloadInterval(Duration.ZERO)
                .build();
        try (WebSocketServer server = start(certificates)) {
            int port = server.port();
            assertEquals("alpha.test", servedTo(port, "alpha.test"));
            assertEquals("alpha.test", servedTo(port, "ALPHA.Test"), "names compare without case");
            assertEquals("wild.test", servedTo(port, "chat.wild.test"), "a wildcard covers one label");
            assertEquals("default.test", servedTo(port, "a.b.wild.test"), "and only one");
            assertEquals("default.test", servedTo(port, "wild.test"), "nor the domain itself");
            assertEquals("default.test", servedTo(port, "unknown.test"), "an unknown name gets the default");
            assertEquals("default.test", servedTo(port, null), "no name gets the default");
            try (RawClient session = RawClient.open(connect(port, "alpha.test"))) {
                assertEchoes(session, "over the certificate chosen by name");
            }
            assertEquals("alpha.test", certificates.certificate("alpha.test").getSubjectX500Principal().getName()
                    .replace("CN=", ""));
        }
    }

    @Test
    void clientCertificatesAreCheckedAgainstTheTrustedClients() throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        KeyStore alpha = TestCertificates.load(dir.resolve("alpha.test.p12"));
        trusted.setCertificateEntry("client", alpha.getCertificate("leaf"));
        ServerCertificates certificates = ServerCertificates.builder(pem("default.test")).trustedClients(trusted)
                .reloadInterval(Duration.ZERO).build();
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(alpha, TestCertificates.PASSWORD.toCharArray());
        SSLContext withCertificate = SSLContext.getInstance("TLS");
        withCertificate.init(kmf.getKeyManagers(), trustingEach.getTrustManagers(), null);
        RecordingHandler handler = new RecordingHandler();
        try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0).handler(handler).daemon(true)
                .tls(certificates, Tls.ClientAuth.NEED).build().start()) {
            SSLSocket socket = (SSLSocket) withCertificate.getSocketFactory().createSocket("127.0.0.1", server.port());
            try (RawClient client = RawClient.open(socket)) {
                assertEchoes(client, "with a trusted client certificate");
                X509Certificate presented = (X509Certificate) RecordingHandler.await(handler.opened).tlsSession()
                        .getPeerCertificates()[0];
                assertEquals("CN=alpha.test", presented.getSubjectX500Principal().getName());
            }
            assertThrows(IOException.class, () -> {
                try (RawClient client = RawClient.open(connect(server.port(), null))) {
                    assertEchoes(client, "without one");
                }
            }, "a client without a certificate is refused");
        }
    }

    @Test
    void buildFailsForAKeyThatIsNotTheCertificates() {
        CertificateSource mismatched = CertificateSource.pem(dir.resolve("alpha.test-fullchain.pem"),
                dir.resolve("default.test-privkey.pem"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ServerCertificates.builder(mismatched).build());
        assertTrue(error.getMessage().contains("does not belong"), error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerCertificates.builder(pem("alpha.test"))
                .serve("a.*.test", pem("alpha.test")));
        assertThrows(IllegalArgumentException.class, () -> ServerCertificates.builder(pem("alpha.test"))
                .serve("alpha.test", pem("alpha.test")).serve("Alpha.test.", pem("alpha.test")));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Reload

    /**
     * A running server with its files behind a link to a directory, switched in one rename as a renewal (or a
     * Kubernetes secret) does it: a new client gets the renewed certificate, the session opened before goes on, a
     * broken renewal leaves the last good certificate and counts one failure, and a good one after it is served.
     */
    @Test
    void aRenewedCertificateIsServedToNewClientsWhileOpenSessionsGoOn() throws Exception {
        Path live = Files.createDirectories(dir.resolve("reload"));
        version(live, "v1", "default.test", "default.test");
        switchTo(live, "v1");
        ServerCertificates certificates = ServerCertificates.builder(CertificateSource.pem(
                        live.resolve("current/fullchain.pem"), live.resolve("current/privkey.pem")))
                .reloadInterval(Duration.ofMillis(20))
                .build();
        try (WebSocketServer server = start(certificates);
                RawClient before = RawClient.open(connect(server.port(), null))) {
            int port = server.port();
            assertEquals("default.test", served((SSLSocket) before.socket));
            assertEchoes(before, "before the renewal");

            version(live, "v2", "renewed.test", "renewed.test");
            switchTo(live, "v2");
            Eventually.until(() -> server.stats().get(Counter.TLS_CERTIFICATE_RELOADS) == 1, "the renewal is read");
            assertEquals("renewed.test", servedTo(port, null));
            assertEquals("renewed.test", servedTo(port, "any.name"));
            assertEchoes(before, "after the renewal, on the session opened before");
            assertEquals("default.test", served((SSLSocket) before.socket));

            Path broken = Files.createDirectories(live.resolve("v3"));
            Files.writeString(broken.resolve("fullchain.pem"), "-----BEGIN CERTIFICATE-----\nnot base64 at all!");
            Files.copy(dir.resolve("renewed.test-privkey.pem"), broken.resolve("privkey.pem"));
            switchTo(live, "v3");
            Eventually.until(() -> server.stats().get(Counter.TLS_CERTIFICATE_RELOAD_FAILURES) == 1,
                    "the broken renewal is counted");
            assertEquals("renewed.test", servedTo(port, null), "the last good certificate is still served");
            assertEquals(1, server.stats().get(Counter.TLS_CERTIFICATE_RELOADS));

            version(live, "v4", "alpha.test", "alpha.test");
            switchTo(live, "v4");
            Eventually.until(() -> server.stats().get(Counter.TLS_CERTIFICATE_RELOADS) == 2, "the fix is read");
            assertEquals("alpha.test", servedTo(port, null));
            assertEquals(1, server.stats().get(Counter.TLS_CERTIFICATE_RELOAD_FAILURES));
            assertEchoes(before, "still");
        }
    }

    /** A handshake that chose its certificate just before a reload still gets that certificate's key. */
    @Test
    void anAliasChosenBeforeASwapStillFindsItsKey() throws Exception {
        ServerCertificates certificates = ServerCertificates.builder(pem("default.test"))
                .reloadInterval(Duration.ZERO).build();
        SniKeyManager keys = certificates.keyManager();
        String chosen = keys.chooseEngineServerAlias("EC", null, null);
        assertEquals(null, keys.chooseEngineServerAlias("RSA", null, null), "an EC key for EC schemes only");
        CertificateTable before = keys.table();
        KeyMaterial renewed = pem("alpha.test").load(pem("alpha.test").stamp());
        assertTrue(keys.replace(before, before.with(new KeyMaterial[] {renewed})));
        assertEquals(renewed.key, keys.getPrivateKey(keys.chooseEngineServerAlias("EC", null, null)));
        assertEquals(before.material(0).key, keys.getPrivateKey(chosen), "the alias chosen before the swap");
        assertEquals("CN=default.test", keys.getCertificateChain(chosen)[0].getSubjectX500Principal().getName());
        CertificateTable after = keys.table();
        assertTrue(keys.replace(after, after.with(new KeyMaterial[] {renewed.withStamp(renewed.stamp)})));
        assertEquals(null, keys.getPrivateKey(chosen), "two swaps later, gone");
        assertTrue(!keys.replace(before, after), "a swap from a table no longer current is refused");
    }

    /** Looks by hand, so that what a look does is exact: a broken change counts once however often it is seen. */
    @Test
    void aBrokenChangeCountsOnceAndIsTriedAgainAtEveryLook() throws Exception {
        Path live = Files.createDirectories(dir.resolve("by-hand"));
        version(live, "v1", "default.test", "default.test");
        switchTo(live, "v1");
        ServerCertificates certificates = ServerCertificates.builder(CertificateSource.pem(
                        live.resolve("current/fullchain.pem"), live.resolve("current/privkey.pem")))
                .reloadInterval(Duration.ZERO)
                .build();
        List<Counter> counted = new ArrayList<>();
        try (CertificateWatcher watcher = new CertificateWatcher(certificates.keyManager(), Duration.ofHours(1),
                counted::add)) {
            watcher.poll();
            assertEquals(List.of(), counted, "nothing changed");

            version(live, "v2", "alpha.test", "default.test"); // a chain with another certificate's key
            switchTo(live, "v2");
            watcher.poll();
            watcher.poll();
            assertEquals(List.of(Counter.TLS_CERTIFICATE_RELOAD_FAILURES), counted);
            assertEquals("CN=default.test", certificates.certificate(null).getSubjectX500Principal().getName());

            Files.copy(dir.resolve("alpha.test-privkey.pem"), live.resolve("v2/privkey.pem"),
                    StandardCopyOption.REPLACE_EXISTING); // the key fixed in place
            watcher.poll();
            assertEquals(List.of(Counter.TLS_CERTIFICATE_RELOAD_FAILURES, Counter.TLS_CERTIFICATE_RELOADS), counted);
            assertEquals("CN=alpha.test", certificates.certificate(null).getSubjectX500Principal().getName());
            watcher.poll();
            assertEquals(2, counted.size(), "read once");
        }
    }

    /** Writes a version directory with one certificate's chain and another's (or the same) key. */
    private static void version(Path live, String version, String chainOf, String keyOf) throws IOException {
        Path dirOfVersion = Files.createDirectories(live.resolve(version));
        Files.copy(dir.resolve(chainOf + "-fullchain.pem"), dirOfVersion.resolve("fullchain.pem"));
        Files.copy(dir.resolve(keyOf + "-privkey.pem"), dirOfVersion.resolve("privkey.pem"));
    }

    /** Points {@code live/current} at a version directory in one rename, as a renewal does. */
    private static void switchTo(Path live, String version) throws IOException {
        Path link = live.resolve("current.new");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, Path.of(version));
        Files.move(link, live.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
