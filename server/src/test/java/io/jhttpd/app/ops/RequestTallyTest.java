package io.jhttpd.app.ops;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** Striped sums lose nothing when many threads, platform and virtual, record at once. */
class RequestTallyTest {

    @Test
    void sumsEveryRecordOfManyThreadsExactly() throws Exception {
        RequestTally tally = new RequestTally(3);
        int threads = 16;
        int each = 300_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread.Builder builder = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            started.add(builder.start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < each; i++) {
                    tally.started();
                    tally.completed(i % 3, 7, 11, 13);
                    if (i % 50_000 == 0) {
                        tally.sum(); // a scrape in the middle holds each stripe for a moment
                    }
                }
            }));
        }
        go.countDown();
        for (Thread thread : started) {
            thread.join();
        }
        RequestTally.Stripe sum = tally.sum();
        long n = (long) threads * each;
        assertThat(sum.started).isEqualTo(n);
        assertThat(sum.completed).isEqualTo(n);
        assertThat(sum.durationNanos).isEqualTo(7 * n);
        assertThat(sum.bytesIn).isEqualTo(11 * n);
        assertThat(sum.bytesOut).isEqualTo(13 * n);
        assertThat(sum.buckets[0] + sum.buckets[1] + sum.buckets[2]).isEqualTo(n);
        assertThat(sum.buckets[0]).isEqualTo(threads * (long) ((each + 2) / 3));
    }
}
