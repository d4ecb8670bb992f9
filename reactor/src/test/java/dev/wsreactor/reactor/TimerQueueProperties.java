package dev.wsreactor.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The timer heap agrees with a trivially correct model (a map of deadlines) under any mix of operations. */
class TimerQueueProperties {

    private static final class Item extends TimerQueue.Entry {
        final int id;

        Item(int id) {
            this.id = id;
        }
    }

    @Property(tries = 500)
    void behavesLikeAMapOfDeadlines(@ForAll @Size(max = 200) List<@IntRange(min = 0, max = 2999) Integer> ops) {
        TimerQueue queue = new TimerQueue();
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            items.add(new Item(i));
        }
        Map<Integer, Long> model = new HashMap<>();
        long now = 0;
        for (int op : ops) {
            Item item = items.get(op % 20);
            long value = op / 20; // 0..149
            switch (op % 3) {
                case 0 -> {
                    queue.schedule(item, value);
                    model.put(item.id, value);
                }
                case 1 -> {
                    queue.remove(item);
                    model.remove(item.id);
                }
                default -> {
                    now = Math.max(now, value);
                    TimerQueue.Entry due;
                    while ((due = queue.pollDue(now)) != null) {
                        Item polled = (Item) due;
                        long expected = model.values().stream().min(Long::compare).orElseThrow();
                        assertEquals(expected, model.get(polled.id), "polled the earliest deadline");
                        assertTrue(expected <= now, "polled only what is due: " + expected + " at " + now);
                        model.remove(polled.id);
                        assertEquals(false, polled.isScheduled());
                    }
                    long earliest = model.values().stream().min(Long::compare).orElse(Long.MAX_VALUE);
                    assertEquals(true, earliest > now, "nothing due is left behind");
                }
            }
            assertEquals(model.size(), queue.size());
            assertEquals(model.values().stream().min(Long::compare).orElse(Long.MAX_VALUE), queue.earliest());
        }
        // What is left comes out in deadline order, and none of it before its time.
        List<Long> left = model.values().stream().sorted().toList();
        List<Long> polled = new ArrayList<>();
        while (queue.size() > 0) {
            long earliest = queue.earliest();
            assertNull(queue.pollDue(earliest - 1), "nothing is due before the earliest deadline");
            Item item = (Item) queue.pollDue(earliest);
            assertEquals(earliest, model.remove(item.id), "the earliest deadline is that entry's");
            polled.add(earliest);
        }
        assertEquals(left, polled);
        assertEquals(Long.MAX_VALUE, queue.earliest());
    }
}
