package io.jhttpd.wire;

import java.io.IOException;
import java.io.InputStream;

/** A body of exactly Content-Length bytes (RFC 9112 §6.3 step 6). */
final class FixedLengthBody extends RequestBody {

    private final ConnectionInput input;
    private long remaining;

    FixedLengthBody(ConnectionInput input, long length, ContinueSender continueSender) {
        super(continueSender);
        this.input = input;
        this.remaining = length;
    }

    @Override
    protected int readFramed(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        int n = input.readBody(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw incomplete();
        }
        remaining -= n;
        return n;
    }

    /** Bodies up to this size are read into one array of their declared size. */
    private static final int EXACT_READ_MAX = 64 * 1024;

    /**
     * The rest of the body. A small one is read into one array of its declared size, without
     * {@link InputStream#readAllBytes}'s 8 KiB chunk and final copy; a larger one the usual way, so
     * that memory grows with the bytes that arrive and not with what a client merely declares.
     */
    @Override
    public byte[] readAllBytes() throws IOException {
        if (remaining > EXACT_READ_MAX) {
            return super.readAllBytes();
        }
        byte[] all = new byte[(int) remaining];
        int filled = 0;
        while (filled < all.length) {
            filled += read(all, filled, all.length - filled); // a premature end throws, never returns -1
        }
        return all;
    }

    @Override
    public int available() {
        return (int) Math.min(remaining, input.buffered());
    }

    @Override
    public boolean complete() {
        return remaining == 0;
    }

    @Override
    public void discardBuffered() {
        int n = (int) Math.min(remaining, input.buffered());
        input.consume(n);
        remaining -= n;
    }

    @Override
    public boolean restBuffered() {
        return remaining <= input.buffered();
    }

    @Override
    public boolean discardWouldRefuse(long maxBytes) {
        return remaining > maxBytes;
    }

    @Override
    protected boolean discardFramed(long maxBytes) throws IOException {
        if (remaining > maxBytes) {
            return false;
        }
        while (remaining > 0) {
            long n = input.skipBody(remaining);
            if (n < 0) {
                return false;
            }
            remaining -= n;
        }
        return true;
    }
}
