package io.jhttpd.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An output whose writes block until released, as a stalled disk or a paused terminal would; it keeps
 * what was written once released.
 */
public final class StalledStream extends OutputStream {

    /** Counted down when the first write begins. */
    public final CountDownLatch entered = new CountDownLatch(1);
    /** Count it down to let the writes through (they give up waiting after 30 s). */
    public final CountDownLatch release = new CountDownLatch(1);
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        entered.countDown();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        written.write(b, off, len);
    }

    /** What was written so far, as UTF-8. */
    public String text() {
        return written.toString(StandardCharsets.UTF_8);
    }
}
