package io.jhttpd.filters;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gzip variants of files the {@link GzipFilter} compressed, so that a file is compressed once, not
 * on every request: a 400 KB stylesheet took a core 8 ms to compress, about 120 requests a second.
 *
 * <p>A variant is known by the file, the slice of it, and the strong entity tag the handler gave the
 * response. A strong tag changes whenever the file's bytes do (RFC 9110 §8.8.1; the static files'
 * tag is the file's size, modification time and identity), so a changed file is compressed anew
 * under its new tag, and the old variant ages out. The variants' bytes are bounded; the least
 * recently used go first, and a variant larger than half the bound is not kept.
 *
 * <p>Requests for a file whose variant is being made wait for it instead of compressing the file too,
 * so a burst of requests for a new file compresses it once. The lock guards only the map; the
 * compressing and the waiting happen outside it.
 */
final class GzipVariantCache {

    /** A slice of a file as one entity-tagged representation. */
    record Key(Path path, String entityTag, long position, long length) {
    }

    /** Makes the gzip variant of a file. */
    interface Compressor {
        byte[] compress() throws IOException;

        /**
         * Asked once the variant is made: whether it may be kept. A file changed a moment ago may change
         * again within its file system's clock tick, with a tag that does not tell (made elsewhere).
         */
        default boolean mayKeep() throws IOException {
            return true;
        }
    }

    /** The largest slice whose variant is kept: 8 MiB. */
    static final long MAX_KEPT_SLICE = 8L * 1024 * 1024;

    private final long capacity;
    private final ReentrantLock lock = new ReentrantLock();
    /** In order of use, least recent first (guarded by the lock). */
    private final LinkedHashMap<Key, Variant> variants = new LinkedHashMap<>(16, 0.75f, true);
    /** The bytes of the variants made and kept (guarded by the lock). */
    private long size;

    /** A cache of at most {@code capacity} bytes of variants. */
    GzipVariantCache(long capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.capacity = capacity;
    }

    /** One variant: made once, by the first request that wanted it. */
    private static final class Variant {
        final CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        /** Counted in the cache's size once made (guarded by the lock). */
        long counted;
    }

    /**
     * Whether a variant of a slice of {@code length} bytes may be kept: up to half the bound (gzip rarely
     * grows a file) and {@link #MAX_KEPT_SLICE}, since a kept slice is compressed whole into memory.
     */
    boolean mayKeep(long length) {
        return length <= Math.min(capacity / 2, MAX_KEPT_SLICE);
    }

    /** The variant of {@code key} if it is kept and made, else null (then {@link #variant} makes or awaits it). */
    byte[] kept(Key key) {
        Variant variant;
        lock.lock();
        try {
            variant = variants.get(key); // counts as a use
        } finally {
            lock.unlock();
        }
        return variant != null && variant.bytes.isDone() && !variant.bytes.isCompletedExceptionally()
                ? variant.bytes.join() : null;
    }

    /**
     * The variant of {@code key}: kept, being made by another request (then this one waits for it), or
     * made now by {@code compressor}. A failure to make it reaches every request that waited, and the
     * next request tries again; one that came of the maker's thread being interrupted says nothing of
     * the file, so the requests that waited try again at once.
     */
    byte[] variant(Key key, Compressor compressor) throws IOException {
        while (true) {
            Variant variant;
            boolean mine = false;
            lock.lock();
            try {
                variant = variants.get(key);
                if (variant == null) {
                    variant = new Variant();
                    variants.put(key, variant);
                    mine = true;
                }
            } finally {
                lock.unlock();
            }
            if (mine) {
                return make(key, variant, compressor);
            }
            byte[] bytes = awaitMadeElsewhere(variant);
            if (bytes != null) {
                return bytes;
            }
        }
    }

    private byte[] make(Key key, Variant variant, Compressor compressor) throws IOException {
        byte[] bytes;
        try {
            bytes = Objects.requireNonNull(compressor.compress(), "a compressor made no variant");
        } catch (Throwable e) { // whatever it was, the requests that wait must hear of it
            forget(key, variant);
            variant.bytes.completeExceptionally(e);
            throw e;
        }
        variant.bytes.complete(bytes);
        boolean keep;
        try {
            keep = compressor.mayKeep();
        } catch (Throwable e) {
            keep = false; // the file is gone or unreadable: its next request finds out
        }
        lock.lock();
        try {
            if (!keep || bytes.length > capacity / 2) {
                variants.remove(key, variant);
            } else if (variants.get(key) == variant) {
                variant.counted = bytes.length;
                size += bytes.length;
                evictOver(capacity);
            }
        } finally {
            lock.unlock();
        }
        return bytes;
    }

    private void forget(Key key, Variant variant) {
        lock.lock();
        try {
            variants.remove(key, variant);
        } finally {
            lock.unlock();
        }
    }

    /** Drops the least recently used variants until at most {@code bound} bytes are kept (lock held). */
    private void evictOver(long bound) {
        Iterator<Map.Entry<Key, Variant>> eldestFirst = variants.entrySet().iterator();
        while (size > bound && eldestFirst.hasNext()) {
            Variant eldest = eldestFirst.next().getValue();
            if (eldest.counted > 0) { // one still being made is not counted yet: it stays
                size -= eldest.counted;
                eldestFirst.remove();
            }
        }
    }

    /** The variant another request made, or null when its thread was interrupted while making it. */
    private static byte[] awaitMadeElsewhere(Variant variant) throws IOException {
        try {
            return variant.bytes.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while another request compressed the file", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InterruptedIOException || cause instanceof ClosedByInterruptException) {
                return null; // the maker forgot the variant: the caller makes it, or waits for another
            }
            if (cause instanceof IOException io) {
                throw new IOException(io.getMessage(), io); // this request's own trace, the maker's cause
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException("compressing the file failed", cause);
        }
    }

    /** The bytes of the variants kept now. */
    long size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** How many variants are kept or being made now. */
    int count() {
        lock.lock();
        try {
            return variants.size();
        } finally {
            lock.unlock();
        }
    }
}
