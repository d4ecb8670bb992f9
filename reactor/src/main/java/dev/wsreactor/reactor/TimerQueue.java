package dev.wsreactor.reactor;

import java.util.Arrays;

/**
 * The deadlines of the reactor's connections, as a binary min-heap that knows where each entry sits, so an entry
 * can be moved in O(log n). One entry per connection at most.
 *
 * <p>Deadlines are lazy: a connection's entry may fire early (the connection then finds nothing due and is
 * re-scheduled at its real deadline), so the hot path never touches the heap when a deadline only moves later,
 * which is what every received message does to the idle timer. Only a deadline that moves earlier (a Close sent,
 * say) is re-scheduled at once.
 *
 * <p>Not thread-safe: the reactor thread owns it.
 */
final class TimerQueue {

    /** What the queue orders: anything with a deadline and a slot for its heap index. */
    abstract static class Entry {
        long deadline = Long.MAX_VALUE;
        int heapIndex = -1;

        boolean isScheduled() {
            return heapIndex >= 0;
        }
    }

    private Entry[] heap = new Entry[64];
    private int size;

    int size() {
        return size;
    }

    /** The earliest deadline, or {@code Long.MAX_VALUE} when empty. */
    long earliest() {
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Schedules the entry at this deadline, or moves it there if already scheduled. */
    void schedule(Entry entry, long deadline) {
        if (deadline == Long.MAX_VALUE) {
            remove(entry);
            return;
        }
        if (entry.isScheduled()) {
            long old = entry.deadline;
            entry.deadline = deadline;
            if (deadline - old < 0) {
                siftUp(entry.heapIndex);
            } else {
                siftDown(entry.heapIndex);
            }
            return;
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        entry.deadline = deadline;
        entry.heapIndex = size;
        heap[size++] = entry;
        siftUp(entry.heapIndex);
    }

    void remove(Entry entry) {
        int index = entry.heapIndex;
        if (index < 0) {
            return;
        }
        Entry last = heap[--size];
        heap[size] = null;
        entry.heapIndex = -1;
        entry.deadline = Long.MAX_VALUE;
        if (index < size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            siftUp(last.heapIndex);
        }
    }

    /** Removes and returns the earliest entry if its deadline is at or before {@code now}, else null. */
    Entry pollDue(long now) {
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        Entry first = heap[0];
        remove(first);
        return first;
    }

    private void siftUp(int index) {
        Entry entry = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (heap[parent].deadline - entry.deadline <= 0) {
                break;
            }
            place(heap[parent], index);
            index = parent;
        }
        place(entry, index);
    }

    private void siftDown(int index) {
        Entry entry = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].deadline - heap[child].deadline < 0) {
                child = right;
            }
            if (entry.deadline - heap[child].deadline <= 0) {
                break;
            }
            place(heap[child], index);
            index = child;
        }
        place(entry, index);
    }

    private void place(Entry entry, int index) {
        heap[index] = entry;
        entry.heapIndex = index;
    }
}
