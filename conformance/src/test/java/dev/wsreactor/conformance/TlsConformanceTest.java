package dev.wsreactor.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.reactor.Tls;
import dev.wsreactor.reactor.WebSocketServer;
import dev.wsreactor.server.EchoServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Groups 1 to 10 (framing, pings, reserved bits, opcodes, fragmentation, UTF-8, closing, limits) over
 * {@code wss://}: the echo server with TLS must give the same verdict as over plain TCP for every case, as
 * recorded in {@code conformance/expected/wsreactor.json}. The cases' chopped writes arrive as many small TLS
 * records, so this also runs the record layer's reassembly.
 */
class TlsConformanceTest {

    private static final String PASSWORD = "conformance";

    @TempDir
    Path dir;

    @Test
    void groupsOneToTenGiveTheSameVerdictsOverTls() throws Exception {
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname",
                "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", "server.p12", "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", "server.p12", "-storepass", PASSWORD,
                "-file", "server.pem");
        try (WebSocketServer server = EchoServer.builder("127.0.0.1", 0).daemon(true)
                .tls(Tls.fromPkcs12(dir.resolve("server.p12"), PASSWORD.toCharArray())).build().start()) {
            List<ConformanceCase> cases = Catalogue.all().stream()
                    .filter(Catalogue.selection("1.*,2.*,3.*,4.*,5.*,6.*,7.*,8.*,9.*,10.*")).toList();
            List<CaseResult> results = new Harness(URI.create("wss://127.0.0.1:" + server.port() + "/"),
                    System.out::println, ConformanceMain.trusting(dir.resolve("server.pem"))).run(cases);
            Path reports = Path.of("target", "conformance-reports", "wsreactor-tls");
            new ReportWriter(reports, "wsreactor-tls").write(results);
            boolean fails = ReportSummarizer.print(ConformanceMain.rows("wsreactor-tls", results), System.out);
            assertFalse(fails, "some cases FAILED over TLS: see " + reports.toAbsolutePath());
            assertTrue(cases.size() > 250, "groups 1 to 10 are most of the catalogue: " + cases.size());
            assertEquals(cases.size(), results.size());
            assertEquals(List.of(), ExpectedVerdicts.compareSubset(Path.of("expected", "wsreactor.json"), results),
                    "a verdict over TLS differs from the plain TCP one");
            assertEquals(cases.size(), server.stats().tlsHandshakes(), "every case ran over its own TLS session");
        }
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + command + "\n" + output);
        }
    }
}
