package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wsreactor.protocol.CloseCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The futures waiting for output positions complete in order as the written count passes their marks. */
class WriteCompletionsTest {

    @Test
    void futuresCompleteAsTheWrittenCountPassesTheirMarksAndTheRestFailWithTheCode() throws Exception {
        WriteCompletions completions = new WriteCompletions();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 1; i <= 40; i++) { // past the ring's first sizes, to grow it while others wait
            CompletableFuture<Void> future = new CompletableFuture<>();
            futures.add(future);
            completions.add(i * 100L, future);
        }
        completions.writtenUpTo(99);
        assertFalse(futures.get(0).isDone(), "one byte short of its end");
        completions.writtenUpTo(1050);
        for (int i = 0; i < 40; i++) {
            assertEquals(i < 10, futures.get(i).isDone() && !futures.get(i).isCompletedExceptionally(), "#" + i);
        }
        completions.droppedAfter(2000, CloseCode.POLICY_VIOLATION);
        for (int i = 20; i < 40; i++) {
            assertEquals(CloseCode.POLICY_VIOLATION, closeCode(futures.get(i)), "dropped #" + i);
        }
        assertFalse(futures.get(19).isDone(), "its bytes were kept: it may still be written");
        completions.failAll(CloseCode.ABNORMAL_CLOSURE);
        assertEquals(CloseCode.ABNORMAL_CLOSURE, closeCode(futures.get(10)));
        assertTrue(completions.isEmpty());
    }

    private static CloseCode closeCode(CompletableFuture<Void> future) throws InterruptedException {
        try {
            future.get();
        } catch (ExecutionException failed) {
            return assertInstanceOf(SessionClosedException.class, failed.getCause()).closeCode();
        }
        throw new AssertionError("completed normally");
    }
}
