package dev.wsreactor.protocol;

import java.util.List;

/**
 * One row of the state table: in state {@code from}, {@code trigger} leads to {@code to}, and then the connection
 * performs {@code actions} in order.
 *
 * @param rfc the RFC 6455 section the rule comes from
 */
public record Transition(ConnectionState from, Trigger trigger, ConnectionState to, List<Action> actions, String rfc) {

    public Transition {
        actions = List.copyOf(actions);
    }

    /** The actions as the trace and the README write them: {@code SEND_CLOSE, START_CLOSING_TIMER}, or "nothing". */
    public String actionNames() {
        if (actions.isEmpty()) {
            return "nothing";
        }
        StringBuilder names = new StringBuilder();
        for (Action action : actions) {
            names.append(names.length() == 0 ? "" : ", ").append(action.name());
        }
        return names.toString();
    }
}
