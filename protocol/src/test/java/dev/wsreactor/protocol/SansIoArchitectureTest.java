package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The protocol module is sans-I/O: its sources use no sockets, channels, files, threads or clocks. */
class SansIoArchitectureTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "^import\\s+(static\\s+)?(java\\.net\\.|java\\.nio\\.channels\\.|java\\.nio\\.file\\.|java\\.io\\.|"
                    + "javax\\.net\\.|java\\.util\\.concurrent\\.|java\\.lang\\.Thread|dev\\.wsreactor\\.reactor)"
                    + "|System\\.(nanoTime|currentTimeMillis)\\(|new Thread\\(|Instant\\.now\\(");

    @Test
    void protocolSourcesDoNoIo() throws IOException {
        Path sources = Path.of("src", "main", "java");
        List<String> offences = new ArrayList<>();
        int files;
        try (Stream<Path> walk = Files.walk(sources)) {
            List<Path> javaFiles = walk.filter(p -> p.toString().endsWith(".java")).toList();
            files = javaFiles.size();
            for (Path file : javaFiles) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).trim();
                    boolean comment = line.startsWith("//") || line.startsWith("*") || line.startsWith("/*");
                    if (!comment && FORBIDDEN.matcher(line).find()) {
                        offences.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertTrue(files > 10, "the scan must actually see the sources");
        assertEquals(List.of(), offences);
    }
}
