package io.jhttpd.testing;

import java.io.InputStream;

/**
 * Hands out bytes in reads of at most {@code chunk} bytes, or split once at {@code splitAt}: the ways
 * TCP may group them, so a parser can be checked to give the same result for each.
 */
public final class TrickleInputStream extends InputStream {

    private final byte[] data;
    private final int chunk;
    private final int splitAt;
    private int pos;

    private TrickleInputStream(byte[] data, int chunk, int splitAt) {
        this.data = data;
        this.chunk = chunk;
        this.splitAt = splitAt;
    }

    /** Reads of at most {@code size} bytes each. */
    public static TrickleInputStream ofReadSize(byte[] data, int size) {
        return new TrickleInputStream(data, size, -1);
    }

    /** Two reads: bytes before {@code offset}, then the rest. */
    public static TrickleInputStream splitAt(byte[] data, int offset) {
        return new TrickleInputStream(data, Integer.MAX_VALUE, offset);
    }

    @Override
    public int read() {
        return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos >= data.length) {
            return -1;
        }
        int n = Math.min(Math.min(len, chunk), data.length - pos);
        if (splitAt > pos) {
            n = Math.min(n, splitAt - pos);
        }
        System.arraycopy(data, pos, b, off, n);
        pos += n;
        return n;
    }
}
