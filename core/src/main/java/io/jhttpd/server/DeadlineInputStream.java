package io.jhttpd.server;

import io.jhttpd.wire.ReadControl;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;

/**
 * A socket's input with read timeouts enforced from outside: each read publishes its deadline, and
 * the server's watchdog shuts the socket's input when one passes, which ends the blocked read. The
 * read then reports {@link SocketTimeoutException}, as a timed read would.
 *
 * <p>Why not {@code SO_TIMEOUT}: a timed read on a socket channel switches the socket to non-blocking
 * mode and back (two {@code fcntl} calls) and arms a timer for every read. Measured on the plaintext
 * benchmark, that doubled the server's CPU per request. Untimed reads park the virtual thread with no
 * timer at all; one watchdog pass a tick is far cheaper than a timer per read.
 */
final class DeadlineInputStream extends InputStream implements ReadControl {

    private final InputStream in;
    private final SocketChannel channel;
    private long timeoutNanos = Long.MAX_VALUE;
    private volatile long deadline;
    private volatile boolean expired;
    /** Every byte read so far, for the server's listener; the connection's thread alone touches it. */
    private long bytesRead;

    DeadlineInputStream(InputStream in, SocketChannel channel) {
        this.in = in;
        this.channel = channel;
    }

    /** The timeout of the reads that follow. */
    @Override
    public void setReadTimeout(long millis) {
        timeoutNanos = millis * 1_000_000L;
    }

    @Override
    public void acknowledgeNow() {
        QuickAck.send(channel);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (expired) {
            throw new SocketTimeoutException("read timed out");
        }
        deadline = Math.max(1, System.nanoTime() + timeoutNanos);
        int n;
        try {
            n = in.read(b, off, len);
        } finally {
            deadline = 0;
        }
        if (n < 0 && expired) {
            throw new SocketTimeoutException("read timed out");
        }
        if (n > 0) {
            bytesRead += n;
        }
        return n;
    }

    /** Every byte read from the socket so far. */
    long bytesRead() {
        return bytesRead;
    }

    /** Bytes the socket has received and not yet given out (one {@code ioctl}, no wait). */
    @Override
    public int available() throws IOException {
        return in.available();
    }

    /** Called by the watchdog: ends a read whose deadline has passed. */
    void expireIfPast(long now) {
        long d = deadline;
        if (d != 0 && now - d > 0) {
            expired = true;
            try {
                channel.shutdownInput(); // the blocked read returns end-of-stream at once
            } catch (IOException e) {
                // already closed: the read has ended anyway
            }
        }
    }
}
