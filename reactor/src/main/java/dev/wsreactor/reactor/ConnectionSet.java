package dev.wsreactor.reactor;

import dev.wsreactor.protocol.ConnectionState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The loop's open connections, in no order: added and removed in O(1) by the slot each one keeps. */
final class ConnectionSet {

    private SocketDriver[] connections = new SocketDriver[256];
    private int size;

    int size() {
        return size;
    }

    /** The connection at this index, {@code 0 <= index < size()}; removals move the last one into the gap. */
    SocketDriver get(int index) {
        return connections[index];
    }

    void add(SocketDriver connection) {
        if (size == connections.length) {
            connections = Arrays.copyOf(connections, size * 2);
        }
        connection.slot = size;
        connections[size++] = connection;
    }

    /** The sessions whose handshake is done and whose close has not begun. */
    List<Session> openSessions() {
        List<Session> open = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            if (connections[i].protocol.state() == ConnectionState.OPEN) {
                open.add(connections[i].session);
            }
        }
        return open;
    }

    void remove(SocketDriver connection) {
        int slot = connection.slot;
        if (slot < 0) {
            return;
        }
        SocketDriver last = connections[--size];
        connections[slot] = last;
        last.slot = slot;
        connections[size] = null;
        connection.slot = -1;
    }
}
