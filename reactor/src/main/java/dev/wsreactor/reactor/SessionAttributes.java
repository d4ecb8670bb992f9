package dev.wsreactor.reactor;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's attributes: what the handshake decision attached and what the application adds, readable and
 * writable from any thread. The map is made on first use, so a session that never has one costs a null field.
 */
final class SessionAttributes {

    private volatile Map<String, Object> map;

    /** {@return the value, or {@code null}} Never makes the map. */
    Object get(String name) {
        Map<String, Object> current = map;
        return current == null ? null : current.get(name);
    }

    /** Sets a value; {@code null} removes it. */
    void set(String name, Object value) {
        if (value == null) {
            Map<String, Object> current = map;
            if (current != null) {
                current.remove(name);
            }
        } else {
            map().put(name, value);
        }
    }

    /** {@return the map itself, made now if it was not yet} */
    Map<String, Object> map() {
        Map<String, Object> current = map;
        if (current == null) {
            synchronized (this) { // once per session at most
                if (map == null) {
                    map = new ConcurrentHashMap<>(4);
                }
                current = map;
            }
        }
        return current;
    }
}
