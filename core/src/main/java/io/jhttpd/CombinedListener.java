package io.jhttpd;

import io.jhttpd.http.Method;
import io.jhttpd.http.Status;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Objects;

/** Several listeners as one ({@link ServerListener#all}): each call goes to every one, in order. */
final class CombinedListener implements ServerListener {

    private final ServerListener[] listeners;

    private CombinedListener(ServerListener[] listeners) {
        this.listeners = listeners;
    }

    static ServerListener of(ServerListener... listeners) {
        ServerListener[] listening = Arrays.stream(listeners)
                .map(listener -> Objects.requireNonNull(listener, "listener"))
                .filter(listener -> listener != ServerListener.NONE)
                .toArray(ServerListener[]::new);
        return switch (listening.length) {
            case 0 -> ServerListener.NONE;
            case 1 -> listening[0];
            default -> new CombinedListener(listening);
        };
    }

    @Override
    public void connectionOpened(InetSocketAddress remote) {
        for (ServerListener listener : listeners) {
            listener.connectionOpened(remote);
        }
    }

    @Override
    public void connectionClosed(InetSocketAddress remote) {
        for (ServerListener listener : listeners) {
            listener.connectionClosed(remote);
        }
    }

    @Override
    public void connectionRejected(InetSocketAddress remote) {
        for (ServerListener listener : listeners) {
            listener.connectionRejected(remote);
        }
    }

    @Override
    public void acceptFailed(IOException failure) {
        for (ServerListener listener : listeners) {
            listener.acceptFailed(failure);
        }
    }

    @Override
    public void requestStarted() {
        for (ServerListener listener : listeners) {
            listener.requestStarted();
        }
    }

    @Override
    public void requestCompleted(Method method, Status status, long durationNanos, long bytesRead, long bytesWritten) {
        for (ServerListener listener : listeners) {
            listener.requestCompleted(method, status, durationNanos, bytesRead, bytesWritten);
        }
    }

    @Override
    public void requestRefused(InetSocketAddress remote, String requestLine, Status status, long bodyBytes,
                               long durationNanos) {
        for (ServerListener listener : listeners) {
            listener.requestRefused(remote, requestLine, status, bodyBytes, durationNanos);
        }
    }
}
