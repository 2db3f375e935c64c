package io.jhttpd.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A non-blocking socket read as a blocking stream: a read that finds nothing waits for the
 * {@link ReadinessPoller}'s report (see {@link SocketReadiness} for the order that loses no wake-up).
 */
final class PolledSocketInput extends InputStream {

    private final SocketChannel channel;
    private final SocketReadiness readiness;
    /** Asked only for {@link #available()}, which does not care for the channel's blocking mode. */
    private final InputStream socketStream;
    /** The last array read into, wrapped once: the connection reads into one buffer nearly always. */
    private byte[] wrapped;
    private ByteBuffer view;
    /**
     * Whether the last read left the socket empty (it found nothing, or less than it had room for):
     * then only an arrival the poller reports can bring more, and a read before that would find
     * nothing. A read that filled its room may have left bytes behind, for which no edge will come;
     * so may one that found the peer's EOF behind its bytes, which {@link SocketReadiness} keeps for good.
     */
    private boolean drained;

    PolledSocketInput(SocketChannel channel, SocketReadiness readiness, InputStream socketStream) {
        this.channel = channel;
        this.readiness = readiness;
        this.socketStream = socketStream;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (b != wrapped) {
            wrapped = b;
            view = ByteBuffer.wrap(b);
        }
        view.limit(off + len).position(off);
        while (true) {
            if (drained) {
                readiness.awaitReadable(); // at once when an arrival was reported since the last read
            }
            readiness.clearReadable();
            int n = channel.read(view);
            drained = n >= 0 && n < len;
            if (n != 0) {
                return n;
            }
        }
    }

    @Override
    public int available() throws IOException {
        return socketStream.available();
    }
}
