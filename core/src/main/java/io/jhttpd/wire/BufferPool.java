package io.jhttpd.wire;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Free byte arrays of one size, shared by the connections of one server: a connection takes its read
 * and write buffers when it starts serving and gives them back when it parks, closes or is trimmed, so
 * that thousands of idle connections hold none and opening them does not allocate (and touch) a fresh
 * 12 KiB each. Keeps at most {@code capacity} arrays; beyond that a returned array is left to the GC.
 *
 * <p>An array must be given back only by its one owner and only once, after the last use: the pool
 * cannot tell, and two connections sharing an array would read each other's bytes. The arrays are not
 * cleared: a connection only ever reads bytes it has put there itself.
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool(4096, 128);
 * byte[] buf = pool.take();   // a pooled array, or a new one
 * ...
 * pool.give(buf);             // kept if the pool has room and it has the pool's size
 * }</pre>
 */
public final class BufferPool {

    private final int size;
    private final byte[][] free;
    private final ReentrantLock lock = new ReentrantLock();
    private int count;

    /** A pool of arrays of {@code size} bytes, keeping at most {@code capacity} of them free. */
    public BufferPool(int size, int capacity) {
        this.size = size;
        this.free = new byte[capacity][];
    }

    /** A pool that keeps nothing: every {@link #take()} makes a new array (tests, one-off writers). */
    public static BufferPool unpooled(int size) {
        return new BufferPool(size, 0);
    }

    /** The length of the arrays this pool hands out. */
    public int size() {
        return size;
    }

    /** A free array of {@link #size()} bytes; a new one when none is free. */
    public byte[] take() {
        if (free.length > 0) {
            lock.lock();
            try {
                if (count > 0) {
                    byte[] b = free[--count];
                    free[count] = null;
                    return b;
                }
            } finally {
                lock.unlock();
            }
        }
        return new byte[size];
    }

    /** Gives back an array its owner will not touch again; one of another length (grown) is dropped. */
    public void give(byte[] b) {
        if (b == null || b.length != size || free.length == 0) {
            return;
        }
        lock.lock();
        try {
            if (count < free.length) {
                free[count++] = b;
            }
        } finally {
            lock.unlock();
        }
    }

    /** How many free arrays the pool holds now. */
    public int free() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }
}
