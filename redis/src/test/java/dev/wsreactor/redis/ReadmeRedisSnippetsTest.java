package dev.wsreactor.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code ```java redis} blocks compile as written against this module and the library: the reactor's
 * README test compiles the plain {@code ```java} blocks without this module, so these are marked apart.
 */
class ReadmeRedisSnippetsTest {

    private static final Pattern CLASS = Pattern.compile("(?m)^public final class (\\w+)");

    @Test
    void everyRedisBlockCompiles(@TempDir Path classes) throws IOException {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (readme.get(i).strip().equals("```java redis")) {
                StringBuilder block = new StringBuilder();
                for (i++; !readme.get(i).strip().equals("```"); i++) {
                    block.append(readme.get(i)).append('\n');
                }
                Matcher name = CLASS.matcher(block);
                assertTrue(name.find(), "a redis block is a public final class: " + block);
                sources.add(new SimpleJavaFileObject(URI.create("string:///" + name.group(1) + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return block;
                    }
                });
            }
        }
        assertTrue(!sources.isEmpty(), "the README has a java redis block");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StringWriter errors = new StringWriter();
        boolean compiled = javac.getTask(errors, null, null, List.of("-d", classes.toString(), "-classpath",
                System.getProperty("java.class.path"), "-Xlint:all", "-Werror"), null, sources).call();
        assertEquals("", errors.toString());
        assertTrue(compiled);
    }
}
