package dev.wsreactor.protocol;

import java.util.List;

/**
 * One row of the state table: in state {@code from}, {@code trigger} leads to {@code to}, and then the connection
 * performs {@code actions} in order.
 *
 * @param from the state the row starts in
 * @param trigger what happened
 * @param to the state the row leads to
 * @param actions what the connection does, in order
 * @param rfc the RFC 6455 section the rule comes from
 */
public record Transition(ConnectionState from, Trigger trigger, ConnectionState to, List<Action> actions, String rfc) {

    /**
     * Copies the actions, so that a row cannot change.
     *
     * @param from the state the row starts in
     * @param trigger what happened
     * @param to the state the row leads to
     * @param actions what the connection does, in order
     * @param rfc the RFC 6455 section the rule comes from
     */
    public Transition {
        actions = List.copyOf(actions);
    }

    /**
     * {@return the actions as the trace and the README write them: {@code SEND_CLOSE, START_CLOSING_TIMER}, or
     * "nothing"}
     */
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
