package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.Connection;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two modules as a user on the module path sees them: a small application module, compiled here against the
 * modules as this build made them (exploded, in {@code target/classes}), starts a server, has the JDK's client
 * echo one message through it and exits; and the same application cannot even compile against a package the
 * protocol module keeps to itself.
 */
class ModulePathTest {

    /** The two modules where this build has them: {@code target/classes}, or the protocol's jar. */
    static final String MODULE_PATH = String.join(File.pathSeparator, location(Connection.class),
            location(WebSocketServer.class));

    private static final String MODULE_INFO = """
            module app {
                requires dev.wsreactor.reactor;
                requires java.net.http;
            }
            """;

    private static final String ECHO_APP = """
            package app;

            import dev.wsreactor.reactor.Session;
            import dev.wsreactor.reactor.WebSocketHandler;
            import dev.wsreactor.reactor.WebSocketServer;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.WebSocket;
            import java.util.concurrent.CompletableFuture;
            import java.util.concurrent.CompletionStage;
            import java.util.concurrent.TimeUnit;

            public final class Main {
                public static void main(String[] args) throws Exception {
                    try (WebSocketServer server = WebSocketServer.builder().bind("127.0.0.1", 0)
                            .handler(new WebSocketHandler() {
                                @Override public void onText(Session session, String text) {
                                    session.sendText(text);
                                }
                            }).build().start()) {
                        CompletableFuture<String> echo = new CompletableFuture<>();
                        WebSocket.Listener listener = new WebSocket.Listener() {
                            @Override public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                                echo.complete(data.toString());
                                return null;
                            }
                        };
                        WebSocket client = HttpClient.newHttpClient().newWebSocketBuilder()
                                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/"), listener)
                                .get(10, TimeUnit.SECONDS);
                        client.sendText("hello from the module path", true).get(10, TimeUnit.SECONDS);
                        System.out.println("echoed: " + echo.get(10, TimeUnit.SECONDS)
                                + " by " + WebSocketServer.class.getModule().getName());
                        client.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(10, TimeUnit.SECONDS);
                    }
                }
            }
            """;

    @Test
    void anApplicationModuleEchoesAMessageThroughTheServer(@TempDir Path work) throws Exception {
        Path sources = write(work.resolve("src"), ECHO_APP);
        Path classes = work.resolve("classes");
        Compilation compilation = compile(sources, classes);
        assertTrue(compilation.succeeded(), compilation.output());
        assertEquals("", compilation.output(), "the application compiles against the modules without a warning");

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = work.resolve("stderr.txt");
        Process child = new ProcessBuilder(java, "-p", MODULE_PATH + File.pathSeparator + classes,
                "-m", "app/app.Main").redirectError(log.toFile()).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean exited = child.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            child.destroyForcibly();
        }
        String logged = Files.readString(log);
        assertTrue(exited, "the application exits: " + output + logged);
        assertEquals(0, child.exitValue(), output + logged);
        assertEquals(List.of("echoed: hello from the module path by dev.wsreactor.reactor"), output.lines().toList(),
                logged);
    }

    @Test
    void theProtocolsInternalPackagesAreNotReadableFromOutside(@TempDir Path work) throws Exception {
        Path sources = write(work.resolve("src"), """
                package app;

                public final class Main {
                    public static void main(String[] args) {
                        System.out.println(dev.wsreactor.protocol.internal.Masking.class);
                    }
                }
                """);
        Compilation compilation = compile(sources, work.resolve("classes"));
        assertFalse(compilation.succeeded(), compilation.output());
        assertTrue(compilation.output().contains("package dev.wsreactor.protocol.internal is declared in module"
                + " dev.wsreactor.protocol, which does not export it to module app"), compilation.output());
    }

    private static String location(Class<?> type) {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the {@code app} module's descriptor and one class {@code app.Main}; returns the source root. */
    private static Path write(Path root, String main) throws IOException {
        Files.createDirectories(root.resolve("app"));
        Files.writeString(root.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(root.resolve("app").resolve("Main.java"), main);
        return root;
    }

    /** What javac said about one compilation, and whether it succeeded. */
    private record Compilation(boolean succeeded, String output) {
    }

    /** Compiles the module at {@code sources} into {@code classes}. */
    private static Compilation compile(Path sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter out = new StringWriter();
        // The class path is the empty output folder: the test's own holds both modules' classes, unguarded.
        Files.createDirectories(classes);
        List<String> options = List.of("-d", classes.toString(), "-p", MODULE_PATH, "-cp", classes.toString(),
                "-Xlint:all");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            boolean succeeded = javac.getTask(out, files, null, options, null, files.getJavaFileObjects(
                    sources.resolve("module-info.java"), sources.resolve("app").resolve("Main.java"))).call();
            return new Compilation(succeeded, out.toString());
        }
    }
}
