package io.jhttpd.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.Channel;
import java.nio.channels.SocketChannel;

/** Closing sockets without losing what was written. */
final class Sockets {

    /** Silence after which a lingering close gives up waiting for the client's EOF. */
    private static final int LINGER_SILENCE_MILLIS = 2_000;
    /** Total time a lingering close may take. */
    private static final long LINGER_TOTAL_NANOS = 5_000_000_000L;

    private Sockets() {
    }

    /**
     * Closes in stages so the client reads the response instead of a TCP reset (RFC 9112 §9.6):
     * half-close the output, read and drop what the client still sends until its EOF, 2 s of silence
     * or 5 s in all, then close. Never {@code SO_LINGER 0}.
     */
    static void lingeringClose(SocketChannel channel, Socket socket) {
        try {
            socket.shutdownOutput();
            if (!channel.isBlocking()) {
                channel.configureBlocking(true); // the socket's stream reads only in blocking mode
            }
            InputStream in = socket.getInputStream();
            socket.setSoTimeout(LINGER_SILENCE_MILLIS);
            byte[] sink = new byte[512];
            long deadline = System.nanoTime() + LINGER_TOTAL_NANOS;
            while (System.nanoTime() < deadline && in.read(sink) >= 0) {
                // drop it
            }
        } catch (SocketTimeoutException e) {
            // the client stayed silent: close now
        } catch (IOException e) {
            // the client is gone already
        } finally {
            closeQuietly(channel);
        }
    }

    /**
     * Half-closes the output, then closes: for a connection whose client said it is done, with nothing
     * of its left unread (unread bytes at the close would make the kernel send a reset).
     */
    static void closeAfterLastResponse(Channel channel, Socket socket) {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            // the client is gone already
        } finally {
            closeQuietly(channel);
        }
    }

    static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with it
        }
    }
}
