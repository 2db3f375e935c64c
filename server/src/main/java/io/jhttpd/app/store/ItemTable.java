package io.jhttpd.app.store;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The in-memory store's table: it issues ids (1, 2, 3, ...; never one twice) and keeps each item's JSON
 * in the slot its id names, in pages of {@value #PAGE_SIZE} slots. An item costs its JSON array and
 * one reference: no map entry, no boxed key (a {@code ConcurrentSkipListMap<Long, Item>} adds about 80
 * bytes to each). Pages are made as ids reach them and dropped once every item of theirs is deleted and
 * every id of theirs issued, so a store that creates and deletes for ever keeps only the pages its
 * items are in. What that costs: a page is 4 KiB whatever it holds (one survivor in each page keeps
 * 4 KiB per item), and the directory keeps a reference per 1,024 ids ever issued (4 MiB after a
 * billion), which a listing scans.
 *
 * <p>Reads, replaces and deletes take no lock: a slot is an atomic reference. Making or dropping a page
 * (once per {@value #PAGE_SIZE} ids) takes the directory's lock. A page counts its items; a count of
 * {@code DROPPED} means it is gone, and an add that finds it so makes a new one (the id it carries
 * was issued before the page was dropped, and its item must not be lost).
 *
 * <pre>{@code
 * ItemTable table = new ItemTable();
 * long id = table.nextId();
 * table.add(id, json);
 * byte[] same = table.get(id);
 * }</pre>
 */
final class ItemTable {

    static final int PAGE_BITS = 10;
    static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int DROPPED = -1;

    private final AtomicLong lastId = new AtomicLong();
    private final ReentrantLock directoryLock = new ReentrantLock();
    /** Pages by number (id - 1 >>> PAGE_BITS); written under the lock, replaced when it grows. */
    private volatile AtomicReferenceArray<Page> directory = new AtomicReferenceArray<>(16);

    /** Receives items in id order. */
    interface ItemSink {
        void accept(long id, byte[] json);
    }

    /** A new id, never issued before. */
    long nextId() {
        return lastId.incrementAndGet();
    }

    /** Stores the JSON of an item whose id {@link #nextId()} just issued (each id is added once). */
    void add(long id, byte[] json) {
        long index = id - 1;
        Page page = pageToAddTo(pageNumber(index));
        page.slots.set(slot(index), json);
    }

    /** The item's JSON, or null when there is no item with this id. */
    byte[] get(long id) {
        Page page = page(id);
        return page == null ? null : page.slots.get(slot(id - 1));
    }

    /** Replaces an item's JSON; false (and nothing stored) when there is no item with this id. */
    boolean replace(long id, byte[] json) {
        return replace(id, json, null);
    }

    /**
     * Replaces an item's JSON while it is still {@code expected} (the very array {@link #get} gave),
     * or whatever it is when {@code expected} is null; false (and nothing stored) otherwise.
     */
    boolean replace(long id, byte[] json, byte[] expected) {
        Page page = page(id);
        if (page == null) {
            return false;
        }
        int slot = slot(id - 1);
        byte[] old;
        while ((old = page.slots.get(slot)) != null && (expected == null || old == expected)) {
            if (page.slots.compareAndSet(slot, old, json)) {
                return true;
            }
        }
        return false; // deleted (or changed) meanwhile: a replace never creates
    }

    /** Deletes an item; false when there was none. */
    boolean remove(long id) {
        return remove(id, null);
    }

    /** Deletes an item while it is still {@code expected} (as {@link #get} gave it), or whatever it is when null. */
    boolean remove(long id, byte[] expected) {
        Page page = page(id);
        if (page == null) {
            return false;
        }
        int slot = slot(id - 1);
        byte[] old;
        do {
            old = page.slots.get(slot);
            if (old == null || expected != null && old != expected) {
                return false;
            }
        } while (!page.slots.compareAndSet(slot, old, null));
        int number = pageNumber(id - 1);
        if (page.items.decrementAndGet() == 0
                && lastId.get() >= ((long) number + 1) * PAGE_SIZE // no new id will come to this page
                && page.items.compareAndSet(0, DROPPED)) {
            drop(number, page);
        }
        return true;
    }

    /** Every item, in id order. */
    void forEach(ItemSink sink) {
        AtomicReferenceArray<Page> pages = directory;
        for (int number = 0; number < pages.length(); number++) {
            Page page = pages.get(number);
            if (page == null) {
                continue;
            }
            long first = (long) number * PAGE_SIZE + 1;
            for (int slot = 0; slot < PAGE_SIZE; slot++) {
                byte[] json = page.slots.get(slot);
                if (json != null) {
                    sink.accept(first + slot, json);
                }
            }
        }
    }

    /** The number of pages held now (for tests). */
    int pages() {
        AtomicReferenceArray<Page> pages = directory;
        int held = 0;
        for (int i = 0; i < pages.length(); i++) {
            held += pages.get(i) == null ? 0 : 1;
        }
        return held;
    }

    /** The page an existing id would be in, or null. */
    private Page page(long id) {
        if (id < 1) {
            return null;
        }
        AtomicReferenceArray<Page> pages = directory;
        long number = (id - 1) >>> PAGE_BITS;
        return number < pages.length() ? pages.get((int) number) : null;
    }

    /** The page for a new item, counted in: the one there, or a new one if there is none or it was dropped. */
    private Page pageToAddTo(int number) {
        AtomicReferenceArray<Page> pages = directory;
        Page page = number < pages.length() ? pages.get(number) : null;
        if (page != null && page.enter()) {
            return page;
        }
        directoryLock.lock();
        try {
            pages = directoryFor(number);
            page = pages.get(number);
            if (page == null || !page.enter()) {
                page = new Page();
                page.items.set(1);
                pages.set(number, page);
            }
            return page;
        } finally {
            directoryLock.unlock();
        }
    }

    private void drop(int number, Page page) {
        directoryLock.lock();
        try {
            directory.compareAndSet(number, page, null); // else a new page took its place already
        } finally {
            directoryLock.unlock();
        }
    }

    /** The directory, grown to hold {@code number} (under the lock: no write is lost to the copy). */
    private AtomicReferenceArray<Page> directoryFor(int number) {
        AtomicReferenceArray<Page> pages = directory;
        if (number < pages.length()) {
            return pages;
        }
        int length = pages.length();
        while (length <= number) {
            length = length > Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE - 8 : length * 2;
        }
        AtomicReferenceArray<Page> grown = new AtomicReferenceArray<>(length);
        for (int i = 0; i < pages.length(); i++) {
            grown.set(i, pages.get(i));
        }
        directory = grown;
        return grown;
    }

    private static int pageNumber(long index) {
        long number = index >>> PAGE_BITS;
        if (number >= Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("ids past " + (number << PAGE_BITS) + " do not fit in memory");
        }
        return (int) number;
    }

    private static int slot(long index) {
        return (int) (index & (PAGE_SIZE - 1));
    }

    private static final class Page {
        final AtomicReferenceArray<byte[]> slots = new AtomicReferenceArray<>(PAGE_SIZE);
        /** Items in the page, or DROPPED. */
        final AtomicInteger items = new AtomicInteger();

        /** Counts one more item in, unless the page was dropped. */
        boolean enter() {
            int n;
            while ((n = items.get()) != DROPPED) {
                if (items.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
            return false;
        }
    }
}
