package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} block of README.md compiles as written, against the two modules on the module path (so a
 * snippet that reaches into an internal package fails as a user's code would).
 *
 * <p>A block is its import lines, then either whole type declarations (a top-level {@code class}, {@code record},
 * {@code interface} or {@code enum} at the start of a line: the block is a source file) or statements, which are
 * compiled as the body of a method that may throw anything. Every name a block uses is imported or declared in it.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern TYPE_DECLARATION = Pattern.compile(
            "^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    /** One block: its lines, and the README line number of the first of them. */
    record Snippet(int firstLine, List<String> lines) {
    }

    /** A source generated from a snippet, and for each of its lines the README line it came from (0: none). */
    private record Source(String className, String text, List<Integer> readmeLines) {
    }

    @Test
    void everyJavaBlockCompiles(@TempDir Path classes) throws IOException {
        List<Snippet> snippets = snippets(Files.readAllLines(README, StandardCharsets.UTF_8));
        assertTrue(snippets.size() >= 5, "the README's java blocks are found: " + snippets.size());
        List<String> failures = new ArrayList<>();
        for (Snippet snippet : snippets) {
            failures.addAll(compile(snippet, classes));
        }
        assertEquals("", String.join("\n", failures), "README.md's java blocks must compile as written");
    }

    @Test
    void aBrokenBlockIsReportedAtItsReadmeLine(@TempDir Path classes) {
        Snippet snippet = new Snippet(40, List.of("import java.time.Duration;", "",
                "Duration ok = Duration.ofSeconds(1);", "dev.wsreactor.protocol.internal.Masking no = null;"));
        List<String> failures = compile(snippet, classes);
        assertEquals(1, failures.size(), failures.toString());
        assertTrue(failures.get(0).startsWith("README.md line 43 (java block from line 40): package"
                + " dev.wsreactor.protocol.internal is not visible"), failures.get(0));
        assertTrue(failures.get(0).endsWith("\n    dev.wsreactor.protocol.internal.Masking no = null;"),
                failures.get(0));
    }

    /** The {@code ```java} blocks, in order. */
    static List<Snippet> snippets(List<String> readme) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).strip().equals("```java")) {
                int first = i + 1;
                int end = first;
                while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                    end++;
                }
                snippets.add(new Snippet(first + 1, List.copyOf(readme.subList(first, end))));
                i = end;
            }
        }
        return snippets;
    }

    /** Compiles one snippet; returns one message per error, each naming the README line it is on. */
    private static List<String> compile(Snippet snippet, Path classes) {
        Source source = source(snippet);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        // The class path is the output folder alone: the test's own holds both modules' classes unguarded.
        List<String> options = List.of("-d", classes.toString(), "-p", ModulePathTest.MODULE_PATH,
                "-cp", classes.toString(), "--add-modules", "dev.wsreactor.reactor", "-proc:none");
        javac.getTask(null, null, diagnostics, options, null, List.of(new StringSource(source))).call();
        List<String> failures = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR) {
                continue;
            }
            int generated = (int) d.getLineNumber();
            int line = generated >= 1 && generated <= source.readmeLines().size()
                    ? source.readmeLines().get(generated - 1) : 0;
            String text = line > 0 ? snippet.lines().get(line - snippet.firstLine()) : "";
            failures.add("README.md line " + (line > 0 ? line : snippet.firstLine()) + " (java block from line "
                    + snippet.firstLine() + "): " + d.getMessage(Locale.ROOT) + (line > 0 ? "\n    " + text : ""));
        }
        return failures;
    }

    /** The snippet as a compilation unit: as it is if it declares types, else its statements in a method. */
    private static Source source(Snippet snippet) {
        List<String> text = new ArrayList<>();
        List<Integer> origin = new ArrayList<>();
        String declared = null;
        for (String line : snippet.lines()) {
            Matcher m = TYPE_DECLARATION.matcher(line);
            if (declared == null && m.find()) {
                declared = m.group(1);
            }
        }
        int body = 0;
        while (body < snippet.lines().size()
                && (snippet.lines().get(body).isBlank() || snippet.lines().get(body).startsWith("import "))) {
            body++;
        }
        String className = declared != null ? declared : "ReadmeLine" + snippet.firstLine();
        for (int i = 0; i < snippet.lines().size(); i++) {
            if (i == body && declared == null) {
                text.add("final class " + className + " { static void snippet() throws Exception {");
                origin.add(0);
            }
            text.add(snippet.lines().get(i));
            origin.add(snippet.firstLine() + i);
        }
        if (declared == null) {
            if (body == snippet.lines().size()) {
                text.add("final class " + className + " { static void snippet() throws Exception {");
                origin.add(0);
            }
            text.add("} }");
            origin.add(0);
        }
        return new Source(className, String.join("\n", text) + "\n", origin);
    }

    /** A source file held in memory, named after its class so that a public class may be in it. */
    private static final class StringSource extends SimpleJavaFileObject {
        private final String text;

        StringSource(Source source) {
            super(URI.create("string:///" + source.className() + ".java"), Kind.SOURCE);
            this.text = source.text();
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
