package dev.wsreactor.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** One version everywhere a user reads it: every pom, the README's coordinates, the changelog, the consumer check. */
class ReleaseVersionTest {

    private static final Path ROOT = Path.of("..");
    private static final Pattern FIRST_VERSION = Pattern.compile("<version>([^<]+)</version>");

    @Test
    void everyPomTheReadmeAndTheChangelogNameTheVersionBeingBuilt() throws IOException {
        String version = firstVersion(ROOT.resolve("pom.xml"));
        assertTrue(version.matches("\\d+\\.\\d+\\.\\d+"), "a release version, no SNAPSHOT: " + version);
        for (String module : List.of("protocol", "reactor", "server", "conformance", "bench", "examples/seats")) {
            assertEquals(version, firstVersion(ROOT.resolve(module).resolve("pom.xml")), module + "'s parent");
        }
        String readme = read(ROOT.resolve("README.md"));
        String maven = "  <artifactId>wsreactor-reactor</artifactId>\n  <version>" + version + "</version>";
        assertTrue(readme.contains(maven), "README's Maven snippet");
        assertTrue(readme.contains("implementation(\"dev.wsreactor:wsreactor-reactor:" + version + "\")"),
                "README's Gradle snippet");
        assertTrue(read(ROOT.resolve("CHANGELOG.md")).contains("\n## [" + version + "] - "), "CHANGELOG's entry");
        assertTrue(read(ROOT.resolve("server/src/it/consumer/pom.xml"))
                .contains("<wsreactor.version>" + version + "</wsreactor.version>"), "the consumer check's default");
    }

    private static String firstVersion(Path pom) throws IOException {
        Matcher m = FIRST_VERSION.matcher(read(pom));
        assertTrue(m.find(), pom + " has a version");
        return m.group(1);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }
}
