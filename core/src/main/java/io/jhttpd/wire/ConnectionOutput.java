package io.jhttpd.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The write side of one connection: a reused buffer in front of the socket channel, owned by the
 * connection's thread. Responses accumulate here and leave in one write when the connection flushes,
 * so that pipelined responses share packets.
 */
public final class ConnectionOutput {

    /** The size of the buffer, and of the arrays in the server's pool of write buffers. */
    public static final int BUFFER_SIZE = 8192;
    private static final int SIZE = BUFFER_SIZE;
    private static final int MAX_WRITE_SLICE = 64 * 1024;

    private final WritableByteChannel channel;
    private final WriteWait writeWait;
    private final BufferPool pool;
    private byte[] buf;
    private ByteBuffer view;
    private int count;
    private long bytesWritten;
    /** Whether {@link WriteWait#limitUnsentBytes()} was asked (before the first long write). */
    private boolean unsentLimited;
    /** When the write in progress started or last made progress (System.nanoTime), or 0: read by the watchdog. */
    private volatile long writingSince;

    /** An output with a buffer of its own. */
    public ConnectionOutput(WritableByteChannel channel) {
        this(channel, BufferPool.unpooled(BUFFER_SIZE));
    }

    /** An output that takes its buffer from {@code pool} (arrays of {@link #BUFFER_SIZE} bytes). */
    public ConnectionOutput(WritableByteChannel channel, BufferPool pool) {
        this(channel, pool, WriteWait.BLOCKING);
    }

    /**
     * An output on a channel in non-blocking mode when {@code writeWait} is not {@link WriteWait#BLOCKING}:
     * a write that takes nothing waits through it for room.
     */
    public ConnectionOutput(WritableByteChannel channel, BufferPool pool, WriteWait writeWait) {
        if (pool.size() != BUFFER_SIZE) {
            throw new IllegalArgumentException("write buffers are " + BUFFER_SIZE + " bytes, not " + pool.size());
        }
        this.channel = channel;
        this.writeWait = writeWait;
        this.pool = pool;
        restore();
    }

    /**
     * Gives the buffer back to the pool while the connection is idle, or when it parks or ends (nothing
     * buffered: it was flushed); the connection's thread must call {@link #restore()} before writing again.
     */
    public void trim() {
        pool.give(buf);
        buf = null;
        view = null;
    }

    /** Gives a trimmed output a buffer again; does nothing if it has one. */
    public void restore() {
        if (buf == null) {
            buf = pool.take();
            view = ByteBuffer.wrap(buf);
        }
    }

    /**
     * When the socket write now in progress started or last made progress ({@link System#nanoTime()}),
     * or 0 when none is: a client that stops reading leaves this unchanged, and the server closes the
     * connection after its write timeout; one that reads slowly keeps moving it.
     */
    public long writingSince() {
        return writingSince;
    }

    /** Every byte handed to the socket so far, for logs and metrics. */
    public long bytesWritten() {
        return bytesWritten + count;
    }

    void write(int b) throws IOException {
        if (count == SIZE) {
            flush();
        }
        buf[count++] = (byte) b;
    }

    void write(byte[] b) throws IOException {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws IOException {
        if (len <= SIZE - count) {
            System.arraycopy(b, off, buf, count, len);
            count += len;
            return;
        }
        flush();
        if (len <= SIZE / 2) {
            System.arraycopy(b, off, buf, 0, len);
            count = len;
        } else {
            writeFully(ByteBuffer.wrap(b, off, len));
        }
    }

    /** Writes a string whose characters are all below 0x100 (checked by the header API) as bytes. */
    void writeLatin1(String s) throws IOException {
        int len = s.length();
        if (len > SIZE - count) {
            flush();
            if (len > SIZE) {
                write(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
                return;
            }
        }
        latin1Into(s, len, buf, count);
        count += len;
    }

    /**
     * The low byte of each char, which for the Latin-1 text of a header is the byte itself: the JDK copies a
     * compact Latin-1 string's bytes with one arraycopy (a char loop here cost a fifth of the writer's time).
     */
    @SuppressWarnings("deprecation")
    private static void latin1Into(String s, int len, byte[] dst, int at) {
        s.getBytes(0, len, dst, at);
    }

    /** Writes a non-negative number in decimal without making a string. */
    void writeDecimal(long value) throws IOException {
        if (SIZE - count < 20) {
            flush();
        }
        if (value <= Integer.MAX_VALUE) {
            writeDecimal((int) value); // int division: several times cheaper than long on x86
            return;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = count + digits - 1; i >= count; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        count += digits;
    }

    private void writeDecimal(int value) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = count + digits - 1; i >= count; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        count += digits;
    }

    /** Bytes taken and not yet sent. */
    int buffered() {
        return count;
    }

    /** Sends buffered bytes to the socket. */
    public void flush() throws IOException {
        if (count > 0) {
            view.clear().limit(count);
            count = 0;
            writeFully(view);
        }
    }

    /** Sends {@code length} bytes of {@code file} from {@code position} with sendfile, after the buffered bytes. */
    void transferFrom(FileChannel file, long position, long length) throws IOException {
        flush();
        limitUnsentBefore(length);
        writingSince = System.nanoTime();
        try {
            transfer(file, position, length);
        } finally {
            writingSince = 0;
        }
    }

    /**
     * sendfile as far as the socket takes it. On a virtual thread the socket is non-blocking underneath,
     * and the JDK's sendfile does not wait for room: it returns 0 when the socket's buffer is full.
     * With a {@link WriteWait}, a sendfile that took less than it was given (the socket is full, or
     * nearly) clears the room reported so far before the next one, so that when that one takes nothing
     * the thread waits at once; without one, the next slice of the file goes through the buffer in a
     * blocking write, which parks until the client has read enough (trying sendfile again at once would
     * spin a core for as long as a slow client takes to download the file).
     */
    private void transfer(FileChannel file, long position, long length) throws IOException {
        boolean waits = writeWait != WriteWait.BLOCKING;
        boolean socketMayBeFull = false;
        long sent = 0;
        while (sent < length) {
            if (socketMayBeFull) {
                writeWait.clearWriteReadiness(); // room reported from here on ends the wait below
            }
            long asked = length - sent;
            long n = file.transferTo(position + sent, asked, channel);
            if (n == 0 && waits) {
                if (!socketMayBeFull) {
                    socketMayBeFull = true; // full from the start: clear, and try once more
                } else if (position + sent >= file.size()) {
                    throw fileShrank(); // the file ended early, which no room would cure
                } else {
                    writeWait.awaitWritable();
                }
                continue;
            }
            if (n > 0) {
                sent += n;
                bytesWritten += n;
                writingSince = System.nanoTime(); // progress: the client is reading
                socketMayBeFull = waits && n < asked;
                continue;
            }
            view.clear().limit((int) Math.min(SIZE, asked));
            while (view.hasRemaining()) {
                if (file.read(view, position + sent + view.position()) < 0) {
                    throw fileShrank();
                }
            }
            sent += view.flip().remaining();
            writeSlices(view);
        }
    }

    /** Before a write of {@code length} bytes: asks for the bound on unsent bytes if it is the first long one. */
    private void limitUnsentBefore(long length) {
        if (length > WriteWait.UNSENT_LIMIT && !unsentLimited) {
            unsentLimited = true;
            writeWait.limitUnsentBytes();
        }
    }

    private static IOException fileShrank() {
        return new IOException("File shrank while being sent; aborting the response");
    }

    /**
     * Writes in slices of at most 64 KiB: the JDK copies a heap buffer into a temporary direct buffer
     * as large as what is written, and keeps it per carrier thread, so one 32 MiB body would pin
     * 32 MiB of native memory for good.
     */
    private void writeFully(ByteBuffer bytes) throws IOException {
        limitUnsentBefore(bytes.remaining());
        writingSince = System.nanoTime();
        try {
            writeSlices(bytes);
        } finally {
            writingSince = 0;
        }
    }

    /**
     * A write that took less than its slice leaves the socket full, or nearly: the room reported so far
     * is cleared before the next, so that when that one takes nothing the thread waits at once (room
     * reported after the clear ends the wait).
     */
    private void writeSlices(ByteBuffer bytes) throws IOException {
        int end = bytes.limit();
        boolean socketMayBeFull = false;
        try {
            while (bytes.position() < end) {
                bytes.limit(Math.min(end, bytes.position() + MAX_WRITE_SLICE));
                if (socketMayBeFull) {
                    writeWait.clearWriteReadiness();
                }
                int asked = bytes.remaining();
                int n = channel.write(bytes);
                if (n == 0) { // a non-blocking socket, full
                    if (socketMayBeFull) {
                        writeWait.awaitWritable();
                    }
                    socketMayBeFull = true;
                    continue;
                }
                bytesWritten += n;
                socketMayBeFull = n < asked;
                if (bytes.position() < end) {
                    writingSince = System.nanoTime(); // progress: a slow reader is not a stalled one
                }
            }
        } finally {
            bytes.limit(end);
        }
    }
}
