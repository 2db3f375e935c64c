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
    /** The last two arrays read into, each wrapped once. */
    private byte[] wrapped;
    private ByteBuffer view;
    private byte[] otherWrapped;
    private ByteBuffer otherView;
    /**
     * Whether the last read left the socket empty (it found nothing, or less than it had room for):
     * then only an arrival the poller reports can bring more, and while the carriers have nothing else
     * to do (so that one waits in the epoll and reports at once) a read before that would find nothing.
     * While they are busy the poller looks only now and then, and bytes are likely there: then the
     * read is tried first. A read that filled its room may have left bytes behind, for which no edge
     * will come; so may one that found the peer's EOF behind its bytes, which {@link SocketReadiness}
     * keeps for good.
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
        ByteBuffer view = viewOf(b).limit(off + len).position(off);
        if (channel.isBlocking()) {
            return firstRead(view, len);
        }
        boolean foundNothing = false;
        while (true) {
            if (foundNothing || drained && !readiness.carriersBusy()) {
                readiness.awaitReadable(); // at once when an arrival was reported since the last read
            }
            readiness.clearReadable();
            int n = channel.read(view);
            drained = n >= 0 && n < len;
            if (n != 0) {
                return n;
            }
            readiness.readFoundNothing();
            foundNothing = true;
        }
    }

    /**
     * The connection's first read, in blocking mode: a virtual thread's first read makes the socket
     * non-blocking underneath (one {@code fcntl}), after which the channel becomes non-blocking at no
     * further cost (switching first would cost a second one). A new connection's first bytes are nearly
     * always there; if not, this one read waits in the JDK's poller.
     */
    private int firstRead(ByteBuffer view, int len) throws IOException {
        int n = channel.read(view);
        channel.configureBlocking(false);
        drained = n >= 0 && n < len;
        return n;
    }

    /** A buffer over {@code b}: the connection reads into two arrays (the first bytes', its buffer) nearly always. */
    private ByteBuffer viewOf(byte[] b) {
        if (b == wrapped) {
            return view;
        }
        if (b != otherWrapped) {
            otherWrapped = b;
            otherView = ByteBuffer.wrap(b);
        }
        byte[] w = wrapped;
        ByteBuffer v = view;
        wrapped = otherWrapped;
        view = otherView;
        otherWrapped = w;
        otherView = v;
        return view;
    }

    @Override
    public int available() throws IOException {
        return socketStream.available();
    }
}
