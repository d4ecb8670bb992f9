package dev.wsreactor.reactor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made at test time with the JDK's own {@code keytool}: a test CA, and server certificates it
 * signed: valid ones (EC and RSA) for 127.0.0.1 and localhost, an expired one, one for another host name, and a
 * client certificate. Clients trust the CA alone, so the JDK's checks (dates, host name) really run.
 */
final class TestCertificates {

    static final String PASSWORD = "test-password";

    final Path dir;
    final Path ca; // the CA's certificate, PEM
    final Path serverEc;
    final Path serverRsa;
    final Path expired;
    final Path wrongHost;
    final Path client;

    private TestCertificates(Path dir) {
        this.dir = dir;
        this.ca = dir.resolve("ca.pem");
        this.serverEc = dir.resolve("server-ec.p12");
        this.serverRsa = dir.resolve("server-rsa.p12");
        this.expired = dir.resolve("expired.p12");
        this.wrongHost = dir.resolve("wrong-host.p12");
        this.client = dir.resolve("client.p12");
    }

    /**
     * Makes them all in {@code dir}, about fifteen keytool runs, three chains of them in parallel. The expired and
     * the wrong-host certificates share the valid EC server's key: only their certificates differ.
     */
    static TestCertificates create(Path dir) throws Exception {
        TestCertificates certs = new TestCertificates(dir);
        keytool(dir, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=wsreactor test CA", "-ext", "bc:c", "-validity", "30",
                "-storetype", "PKCS12", "-keystore", "ca.p12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool(dir, "-exportcert", "-rfc", "-alias", "ca", "-keystore", "ca.p12", "-storepass", PASSWORD,
                "-file", "ca.pem");
        String local = "SAN=ip:127.0.0.1,dns:localhost";
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> {
                    keyPair(dir, "server-ec", "EC", "CN=localhost");
                    copy(dir.resolve("server-ec.p12"), certs.expired);
                    copy(dir.resolve("server-ec.p12"), certs.wrongHost);
                    sign(dir, "server-ec", "server-ec", local, null);
                    sign(dir, "server-ec", "expired", local, "-30d"); // valid for 10 days from 30 days ago
                    sign(dir, "server-ec", "wrong-host", "SAN=dns:wrong.example.org", null);
                }),
                CompletableFuture.runAsync(() -> {
                    keyPair(dir, "server-rsa", "RSA", "CN=localhost");
                    sign(dir, "server-rsa", "server-rsa", local, null);
                }),
                CompletableFuture.runAsync(() -> {
                    keyPair(dir, "client", "EC", "CN=test client");
                    sign(dir, "client", "client", null, null);
                })).get(120, TimeUnit.SECONDS);
        return certs;
    }

    /** A key pair in {@code name}.p12 (self-signed for now) and its certificate request {@code name}.csr. */
    private static void keyPair(Path dir, String name, String algorithm, String dname) {
        List<String> generate = new ArrayList<>(List.of("-genkeypair", "-alias", "leaf", "-keyalg", algorithm,
                "-dname", dname, "-storetype", "PKCS12", "-keystore", name + ".p12", "-storepass", PASSWORD,
                "-keypass", PASSWORD));
        generate.addAll(algorithm.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        keytool(dir, generate.toArray(new String[0]));
        keytool(dir, "-certreq", "-alias", "leaf", "-keystore", name + ".p12", "-storepass", PASSWORD,
                "-file", name + ".csr");
    }

    /** The CA signs {@code request}.csr and the chain (certificate, CA) replaces the self-signed one in {@code store}. */
    private static void sign(Path dir, String request, String store, String san, String startDate) {
        List<String> sign = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-keystore", "ca.p12",
                "-storepass", PASSWORD, "-infile", request + ".csr", "-outfile", store + ".crt", "-validity", "10"));
        if (san != null) {
            sign.addAll(List.of("-ext", san));
        }
        if (startDate != null) {
            sign.addAll(List.of("-startdate", startDate));
        }
        keytool(dir, sign.toArray(new String[0]));
        try {
            Files.writeString(dir.resolve(store + "-chain.pem"), Files.readString(dir.resolve(store + ".crt"))
                    + Files.readString(dir.resolve("ca.pem")));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        keytool(dir, "-importcert", "-noprompt", "-alias", "leaf", "-file", store + "-chain.pem", "-keystore",
                store + ".p12", "-storepass", PASSWORD);
    }

    private static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the JDK's keytool in {@code dir}; a short-lived JVM, so tuned to start fast. */
    static void keytool(Path dir, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool failed: " + command + "\n" + output);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A server context from one of the keystores. */
    SSLContext server(Path keystore) {
        return Tls.fromPkcs12(keystore, PASSWORD.toCharArray());
    }

    /** A client context that trusts the test CA only (and presents no certificate). */
    SSLContext trustingClient() throws GeneralSecurityException, IOException {
        return clientContext(null);
    }

    /** A client context that trusts the test CA and presents the client certificate. */
    SSLContext clientWithCertificate() throws GeneralSecurityException, IOException {
        return clientContext(load(client));
    }

    private SSLContext clientContext(KeyStore keys) throws GeneralSecurityException, IOException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(Tls.trustStoreFromPem(ca));
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    static KeyStore load(Path keystore) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /**
     * Writes a keystore's chain and key as the PEM files a certificate authority's client would write
     * ({@code fullchain.pem}, {@code privkey.pem}); returns {chain, key}.
     */
    Path[] exportPem(Path keystore, String prefix) throws GeneralSecurityException, IOException {
        KeyStore store = load(keystore);
        Key key = store.getKey("leaf", PASSWORD.toCharArray());
        StringBuilder chain = new StringBuilder();
        for (Certificate certificate : store.getCertificateChain("leaf")) {
            chain.append(pem("CERTIFICATE", certificate.getEncoded()));
        }
        Path chainFile = dir.resolve(prefix + "-fullchain.pem");
        Path keyFile = dir.resolve(prefix + "-privkey.pem");
        Files.writeString(chainFile, chain, StandardCharsets.US_ASCII);
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII); // PKCS#8
        return new Path[] {chainFile, keyFile};
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
