package dev.wsreactor.reactor;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which certificate answers which server name, with what each source held when last read; immutable, replaced
 * whole when a source is read again. Source 0 is the default: for a client that names no server, or one we
 * have no certificate for (nginx answers those with its default server's certificate too).
 */
final class CertificateTable {

    private static final String WILDCARD = "*.";

    private final List<CertificateSource> sources;
    /** Lower-case names without a trailing dot, to the index of their source. */
    private final Map<String, Integer> exact;
    /** For {@code *.example.com}: {@code example.com} to the index of its source. */
    private final Map<String, Integer> wildcards;
    private final KeyMaterial[] materials;
    private final Map<String, KeyMaterial> byAlias = new HashMap<>();

    CertificateTable(List<CertificateSource> sources, Map<String, Integer> names, KeyMaterial[] materials) {
        this.sources = List.copyOf(sources);
        this.exact = new HashMap<>();
        this.wildcards = new HashMap<>();
        names.forEach((name, index) -> {
            String normal = normalize(name);
            if (normal.startsWith(WILDCARD)) {
                wildcards.put(normal.substring(WILDCARD.length()), index);
            } else {
                exact.put(normal, index);
            }
        });
        this.materials = materials.clone();
        for (KeyMaterial material : this.materials) {
            byAlias.put(material.alias, material);
        }
    }

    private CertificateTable(CertificateTable table, KeyMaterial[] materials) {
        this.sources = table.sources;
        this.exact = table.exact;
        this.wildcards = table.wildcards;
        this.materials = materials;
        for (KeyMaterial material : materials) {
            byAlias.put(material.alias, material);
        }
    }

    /**
     * The name as it is compared: lower case, without the trailing dot of an absolute name. Checks the form of
     * a configured one: a wildcard stands for exactly one whole label, the leftmost (RFC 6125 §6.4.3).
     */
    static String normalize(String name) {
        String normal = name.toLowerCase(Locale.ROOT);
        if (normal.endsWith(".")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        String rest = normal.startsWith(WILDCARD) ? normal.substring(WILDCARD.length()) : normal;
        if (rest.isEmpty() || rest.contains("*") || rest.startsWith(".") || rest.contains("..")) {
            throw new IllegalArgumentException("not a host name or *.domain wildcard: " + name);
        }
        return normal;
    }

    /**
     * The certificate for a server name from the client's SNI: the exact name's, else the wildcard's for its
     * parent domain ({@code *.example.com} covers {@code a.example.com}, not {@code a.b.example.com} nor
     * {@code example.com}), else the default.
     */
    KeyMaterial forServerName(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return materials[0];
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        Integer index = exact.get(name);
        int dot = name.indexOf('.');
        if (index == null && dot > 0) {
            index = wildcards.get(name.substring(dot + 1));
        }
        return materials[index == null ? 0 : index];
    }

    /** The material an alias named, or null if it is no longer this table's. */
    KeyMaterial byAlias(String alias) {
        return alias == null ? null : byAlias.get(alias);
    }

    int size() {
        return materials.length;
    }

    CertificateSource source(int index) {
        return sources.get(index);
    }

    KeyMaterial material(int index) {
        return materials[index];
    }

    /** {@return every material, the default first} */
    List<KeyMaterial> materials() {
        return List.of(materials);
    }

    /** This table with some sources read again: {@code reloaded[i]} replaces source i's, where not null. */
    CertificateTable with(KeyMaterial[] reloaded) {
        KeyMaterial[] next = materials.clone();
        for (int i = 0; i < next.length; i++) {
            if (reloaded[i] != null) {
                next[i] = reloaded[i];
            }
        }
        return new CertificateTable(this, next);
    }
}
