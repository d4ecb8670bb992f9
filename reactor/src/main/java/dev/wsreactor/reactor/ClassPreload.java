package dev.wsreactor.reactor;

import dev.wsreactor.protocol.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import java.util.stream.Stream;

/**
 * Loads every class of the library before the first connection, when the classes come from directories (as they
 * do for {@code make run} and the tests). Such a class file is opened when the class is first used, and a class
 * that cannot be loaded for want of a file descriptor fails for good where it was referenced (JVMS §5.4.3): under
 * EMFILE, a path taken for the first time (the first handshake timeout, say) would break for the rest of the
 * process. From a jar nothing is needed, as the jar is already open. At most once per process; never throws.
 */
final class ClassPreload {

    private static volatile boolean done;

    private ClassPreload() {
    }

    static void libraryClasses() {
        if (done) {
            return;
        }
        done = true;
        for (Class<?> anchor : List.of(Reactor.class, Connection.class)) {
            loadPackageOf(anchor);
        }
    }

    /** Loads (without initialising) every class in the anchor's package and the packages below it. */
    private static void loadPackageOf(Class<?> anchor) {
        try {
            CodeSource source = anchor.getProtectionDomain().getCodeSource();
            Path root = source == null ? null : Path.of(source.getLocation().toURI());
            if (root == null || !Files.isDirectory(root)) {
                return;
            }
            Path packageDir = root.resolve(anchor.getPackageName().replace('.', '/'));
            try (Stream<Path> files = Files.walk(packageDir)) {
                files.map(file -> root.relativize(file).toString())
                        .filter(name -> name.endsWith(".class"))
                        .forEach(name -> load(name.substring(0, name.length() - ".class".length())
                                .replace(root.getFileSystem().getSeparator(), "."), anchor.getClassLoader()));
            }
        } catch (Throwable ignored) {
            // Preloading is a precaution: without it, only a first use under exhaustion can fail.
        }
    }

    private static void load(String className, ClassLoader loader) {
        try {
            Class.forName(className, false, loader);
        } catch (Throwable ignored) {
            // One class that does not load (a stray file) does not stop the others.
        }
    }
}
