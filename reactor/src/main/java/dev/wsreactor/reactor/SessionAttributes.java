package dev.wsreactor.reactor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A session's attributes: what the handshake decision attached and what the application adds, readable and
 * writable from any thread. The session extends it, so that its map is a field of the session itself, made on
 * first use: a session that never has one costs a null reference, not an object.
 */
abstract class SessionAttributes {

    private static final VarHandle MAP;

    static {
        try {
            MAP = MethodHandles.lookup().findVarHandle(SessionAttributes.class, "map", Map.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile Map<String, Object> map;

    /** {@return the value, or {@code null}} Never makes the map. */
    final Object attributeValue(String name) {
        Map<String, Object> current = map;
        return current == null ? null : current.get(name);
    }

    /** Sets a value; {@code null} removes it. */
    final void attributeValue(String name, Object value) {
        if (value == null) {
            Map<String, Object> current = map;
            if (current != null) {
                current.remove(name);
            }
        } else {
            attributeMap().put(name, value);
        }
    }

    /** {@return the map itself, made now if it was not yet} */
    final Map<String, Object> attributeMap() {
        Map<String, Object> current = map;
        if (current == null) {
            // Once per session at most; of two threads that race here, one map wins and the other is dropped.
            Map<String, Object> made = new ConcurrentHashMap<>(4);
            current = MAP.compareAndSet(this, null, made) ? made : map;
        }
        return current;
    }
}
