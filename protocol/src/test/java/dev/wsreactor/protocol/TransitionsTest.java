package dev.wsreactor.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The state table as data: its shape, and the README generated from it. */
class TransitionsTest {

    @Test
    void closedIsAbsorbing() {
        for (Trigger trigger : Trigger.values()) {
            Transition row = Transitions.find(ConnectionState.CLOSED, trigger);
            if (row != null) {
                assertEquals(ConnectionState.CLOSED, row.to(), trigger.name());
            }
        }
    }

    @Test
    void section7_1_4_everyStateCanReachClosedWhenTcpGoes() {
        for (ConnectionState state : ConnectionState.values()) {
            Transition row = Transitions.find(state, Trigger.TRANSPORT_CLOSED);
            assertNotNull(row, state + " must handle TCP going away");
            assertEquals(ConnectionState.CLOSED, row.to());
        }
    }

    @Test
    void everyStateIsReachableFromHandshaking() {
        Set<ConnectionState> seen = EnumSet.of(ConnectionState.HANDSHAKING);
        ArrayDeque<ConnectionState> todo = new ArrayDeque<>(seen);
        while (!todo.isEmpty()) {
            ConnectionState state = todo.poll();
            for (Transition row : Transitions.all()) {
                if (row.from() == state && seen.add(row.to())) {
                    todo.add(row.to());
                }
            }
        }
        assertEquals(EnumSet.allOf(ConnectionState.class), seen);
    }

    @Test
    void everyStateWithADeadlineHandlesTimeout() {
        for (ConnectionState state : ConnectionState.values()) {
            if (state != ConnectionState.CLOSED) {
                assertNotNull(Transitions.find(state, Trigger.TIMEOUT), state.name());
            }
        }
    }

    @Test
    void theApplicationMayAskToCloseInAnyState() {
        for (ConnectionState state : ConnectionState.values()) {
            assertNotNull(Transitions.find(state, Trigger.CLOSE_SENT), state.name());
        }
    }

    @Test
    void inputTriggersOnlyOccurInStatesThatReadInput() {
        for (Transition row : Transitions.all()) {
            if (row.trigger() == Trigger.CLOSE_RECEIVED || row.trigger() == Trigger.PROTOCOL_VIOLATION
                    || row.trigger() == Trigger.HANDSHAKE_ACCEPTED || row.trigger() == Trigger.HANDSHAKE_REJECTED) {
                // AWAITING_DECISION's come from the application, whose decision ends the wait on held input.
                assertTrue(row.from().readsInput() || row.from().holdsInput(), row.toString());
            }
        }
    }

    @Test
    void onlyTheOpeningHandshakeLeadsToOpen() {
        for (Transition row : Transitions.all()) {
            if (row.to() == ConnectionState.OPEN) {
                assertEquals(Trigger.HANDSHAKE_ACCEPTED, row.trigger());
            }
        }
    }

    @Test
    void everyRowCitesTheRfc() {
        for (Transition row : Transitions.all()) {
            assertTrue(row.rfc().matches("§\\d+(\\.\\d+)*"), row.toString());
        }
    }

    @Test
    void aPairThatCannotHappenIsABugThatNamesItself() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Transitions.next(ConnectionState.CLOSED, Trigger.CLOSE_RECEIVED));
        assertEquals("no transition for CLOSE_RECEIVED in state CLOSED", e.getMessage());
    }

    @Test
    void aFaultInsideCanHappenInEveryState() {
        for (ConnectionState state : ConnectionState.values()) {
            assertNotNull(Transitions.find(state, Trigger.INTERNAL_ERROR), state.name());
        }
    }

    @Test
    void theApplicationIsCalledLastInARow() {
        // The application may send or close from onOpen and onClose: nothing of the row may run after it.
        for (Transition row : Transitions.all()) {
            for (Action deliver : List.of(Action.DELIVER_OPEN, Action.DELIVER_CLOSE)) {
                int at = row.actions().indexOf(deliver);
                assertTrue(at < 0 || at == row.actions().size() - 1, row.toString());
            }
        }
    }

    @Test
    void section7_1_4_closedReleasesEverythingAndReportsCloseExactlyWhenTheConnectionHadOpened() {
        for (Transition row : Transitions.all()) {
            if (row.to() == ConnectionState.CLOSED && row.from() != ConnectionState.CLOSED) {
                assertTrue(row.actions().contains(Action.RELEASE), row.toString());
                assertEquals(row.from().hasOpened(), row.actions().contains(Action.DELIVER_CLOSE), row.toString());
            }
        }
    }

    @Test
    void section7_1_1_everyClosingStateIsBoundedByTheClosingTimer() {
        for (Transition row : Transitions.all()) {
            boolean entersClosing = row.to().phase() == ConnectionState.Phase.CLOSING && row.from() != row.to();
            assertEquals(entersClosing, row.actions().contains(Action.START_CLOSING_TIMER), row.toString());
        }
    }

    @Test
    void section5_5_1_aCloseIsSentOnlyFromOpenSoAtMostOnce() {
        for (Transition row : Transitions.all()) {
            for (Action action : row.actions()) {
                if (action.name().startsWith("SEND_CLOSE")) {
                    assertEquals(ConnectionState.OPEN, row.from(), row.toString());
                    assertTrue(action.code() == null || action.code().isAllowedOnWire(), action.name());
                }
            }
        }
    }

    @Test
    void keepaliveRunsOnlyWhileOpen() {
        for (Transition row : Transitions.all()) {
            boolean opens = row.to() == ConnectionState.OPEN;
            assertEquals(opens, row.actions().contains(Action.START_KEEPALIVE), row.toString());
            if (row.from() == ConnectionState.OPEN && row.to() != ConnectionState.OPEN) {
                // Both stop it: the closing timer replaces it, RELEASE stops every timer.
                assertTrue(row.actions().contains(Action.START_CLOSING_TIMER) || row.actions().contains(Action.RELEASE),
                        row.toString());
            }
        }
    }

    @Test
    void whatOnCloseReportsIsNotedBeforeItIsDelivered() {
        for (Transition row : Transitions.all()) {
            int delivered = row.actions().indexOf(Action.DELIVER_CLOSE);
            for (int i = delivered + 1; delivered >= 0 && i < row.actions().size(); i++) {
                assertFalse(row.actions().get(i).name().startsWith("REPORT_"), row.toString());
            }
        }
    }

    @Test
    void everyActionIsUsedAndExplained() {
        Set<Action> used = EnumSet.noneOf(Action.class);
        Transitions.all().forEach(row -> used.addAll(row.actions()));
        assertEquals(EnumSet.allOf(Action.class), used);
        for (Action action : Action.values()) {
            assertFalse(action.meaning().isBlank(), action.name());
        }
    }

    @Test
    void theReadmeShowsTheDiagramGeneratedFromTheTable() throws IOException {
        assertGenerated(Path.of("..", "README.md"), StateDiagram.BEGIN, StateDiagram.END, StateDiagram.markdown());
    }

    @Test
    void connectionStatesJavadocShowsTheDiagramGeneratedFromTheTable() throws IOException {
        assertGenerated(Path.of("src", "main", "java", "dev", "wsreactor", "protocol", "ConnectionState.java"),
                " * " + StateDiagram.JAVADOC_BEGIN, StateDiagram.JAVADOC_END, StateDiagram.javadoc(""));
    }

    /** The file holds {@code generated} from the line with {@code begin} to the end of the line with {@code end}. */
    private static void assertGenerated(Path file, String begin, String end, String generated) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, file + " must hold the generated block; run `make diagram`");
        from = text.lastIndexOf('\n', from) + 1;
        to = text.indexOf('\n', to) + 1;
        if (Boolean.getBoolean("readme.update")) { // `make diagram` rewrites the block instead of checking it
            Files.writeString(file, text.substring(0, from) + generated + text.substring(to), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(generated, text.substring(from, to), file + " is out of date with the state table: run `make diagram`");
    }
}
