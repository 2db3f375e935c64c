package io.jhttpd.wire;

import java.io.IOException;

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

    @Override
    public int available() {
        return (int) Math.min(remaining, input.buffered());
    }

    @Override
    public boolean complete() {
        return remaining == 0;
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
