package io.jhttpd.app.ops;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The per-request sums of {@link Metrics}: requests started and completed, the latency histogram and its
 * sum, bytes in and out. A request's numbers go into one stripe under one compare-and-set, instead of an
 * atomic add per number (a profile of pipelined requests had a tenth of the time in those adds).
 *
 * <p>A stripe is chosen by the thread's id, so connections spread over the stripes; a stripe is held only
 * for a few plain additions and never across anything that blocks, so a caller that finds it held moves
 * to the next one. A reader sums every stripe, each under its flag, so each stripe's numbers are read as
 * of one moment.
 */
final class RequestTally {

    private static final VarHandle HELD;

    static {
        try {
            HELD = MethodHandles.lookup().findVarHandle(Stripe.class, "held", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** What one stripe (or a sum of them) holds. Plain fields: guarded by {@code held}. */
    static final class Stripe {
        @SuppressWarnings("unused") // through HELD
        private volatile int held;
        long started;
        long completed;
        long durationNanos;
        long bytesIn;
        long bytesOut;
        final long[] buckets;

        Stripe(int buckets) {
            this.buckets = new long[buckets];
        }
    }

    private final Stripe[] stripes;
    private final int mask;
    private final int bucketCount;

    /** @param buckets the histogram's bucket count, the last one for everything above the bounds */
    RequestTally(int buckets) {
        int n = Integer.highestOneBit(Math.clamp(2L * Runtime.getRuntime().availableProcessors() - 1, 1, 63)) * 2;
        this.stripes = new Stripe[n];
        for (int i = 0; i < n; i++) {
            stripes[i] = new Stripe(buckets);
        }
        this.mask = n - 1;
        this.bucketCount = buckets;
    }

    void started() {
        Stripe s = acquire();
        s.started++;
        release(s);
    }

    void completed(int bucket, long durationNanos, long bytesIn, long bytesOut) {
        Stripe s = acquire();
        s.completed++;
        s.buckets[bucket]++;
        s.durationNanos += durationNanos;
        s.bytesIn += bytesIn;
        s.bytesOut += bytesOut;
        release(s);
    }

    /** The sums over every stripe, in a stripe of their own that nobody else sees. */
    Stripe sum() {
        Stripe total = new Stripe(bucketCount);
        for (Stripe s : stripes) {
            while (!HELD.compareAndSet(s, 0, 1)) {
                Thread.onSpinWait();
            }
            total.started += s.started;
            total.completed += s.completed;
            total.durationNanos += s.durationNanos;
            total.bytesIn += s.bytesIn;
            total.bytesOut += s.bytesOut;
            for (int i = 0; i < bucketCount; i++) {
                total.buckets[i] += s.buckets[i];
            }
            release(s);
        }
        return total;
    }

    private Stripe acquire() {
        int i = (int) Thread.currentThread().threadId();
        while (true) {
            Stripe s = stripes[i & mask];
            if (HELD.compareAndSet(s, 0, 1)) {
                return s;
            }
            i++;
            Thread.onSpinWait();
        }
    }

    private static void release(Stripe s) {
        HELD.setRelease(s, 0);
    }
}
