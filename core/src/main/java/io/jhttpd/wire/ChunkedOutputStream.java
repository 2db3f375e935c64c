package io.jhttpd.wire;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Frames a streamed response body as chunks (RFC 9112 §7.1). Writes are gathered into chunks of up to
 * 8 KiB; {@link #finish()} writes the last chunk. {@link #close()} does not close the connection.
 */
final class ChunkedOutputStream extends OutputStream {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final ConnectionOutput out;
    private final byte[] chunk = new byte[8192];
    private int count;
    private boolean finished;

    ChunkedOutputStream(ConnectionOutput out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        checkOpen();
        if (count == chunk.length) {
            writeChunk();
        }
        chunk[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        checkOpen();
        while (len > 0) {
            if (count == chunk.length) {
                writeChunk();
            }
            int n = Math.min(len, chunk.length - count);
            System.arraycopy(b, off, chunk, count, n);
            count += n;
            off += n;
            len -= n;
        }
    }

    /** Sends what is gathered so far as a chunk, and pushes it to the client. */
    @Override
    public void flush() throws IOException {
        checkOpen();
        writeChunk();
        out.flush();
    }

    /** Ends the body: the last chunk and an empty trailer section. */
    void finish() throws IOException {
        if (!finished) {
            writeChunk();
            out.write(LAST_CHUNK);
            finished = true;
        }
    }

    @Override
    public void close() {
        // The connection outlives the body; finish() ends it.
    }

    private void writeChunk() throws IOException {
        if (count == 0) {
            return;
        }
        out.writeLatin1(Integer.toHexString(count));
        out.write(CRLF);
        out.write(chunk, 0, count);
        out.write(CRLF);
        count = 0;
    }

    private void checkOpen() throws IOException {
        if (finished) {
            throw new IOException("Response body already finished");
        }
    }
}
