package io.jhttpd;

import io.jhttpd.http.ErrorHandler;
import io.jhttpd.http.Handler;
import io.jhttpd.server.Acceptor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The front door: binds a port and serves every connection on its own virtual thread until closed.
 *
 * <pre>{@code
 * Router router = new Router().get("/", request -> Response.ok().text("Hello, World!"));
 * try (HttpServer server = HttpServer.start(ServerConfig.defaults().withPort(8080), router)) {
 *     server.awaitTermination();
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops gracefully: no new connections, idle ones closed, in-flight requests
 * finished within {@link ServerConfig#shutdownGrace()}. Closing twice is harmless.
 */
public final class HttpServer implements AutoCloseable {

    private final ServerConfig config;
    private final ServerSocketChannel listener;
    private final Acceptor acceptor;
    private final ReentrantLock closeLock = new ReentrantLock();
    private final java.util.concurrent.CountDownLatch terminated = new java.util.concurrent.CountDownLatch(1);
    /** Set when {@link #close} begins; read without the lock, which close holds for the whole grace period. */
    private volatile boolean closed;

    private HttpServer(ServerConfig config, ServerSocketChannel listener, Acceptor acceptor) {
        this.config = config;
        this.listener = listener;
        this.acceptor = acceptor;
    }

    /** Binds and starts serving {@code handler} with the default plain-text error handler. */
    public static HttpServer start(ServerConfig config, Handler handler) throws IOException {
        return start(config, handler, ErrorHandler.PLAIN_TEXT);
    }

    /**
     * Binds {@code config.host():config.port()} (port 0 picks a free one) and starts serving.
     *
     * @throws java.net.BindException when the port is in use
     */
    public static HttpServer start(ServerConfig config, Handler handler, ErrorHandler errorHandler)
            throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(new InetSocketAddress(config.host(), config.port()), config.backlog());
        } catch (IOException | RuntimeException e) { // RuntimeException: an unresolved host, for one
            listener.close();
            throw e;
        }
        Acceptor acceptor;
        try {
            acceptor = Acceptor.start(listener, config.limits(), handler, errorHandler, config.serverName(),
                    config.listener());
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new HttpServer(config, listener, acceptor);
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /**
     * The address and port actually bound.
     *
     * @throws IllegalStateException once the server is closed
     */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("server is closed", e);
        }
    }

    /** The configuration this server was started with. */
    public ServerConfig config() {
        return config;
    }

    /** The number of connections open now. */
    public int openConnections() {
        return acceptor.openConnections();
    }

    /**
     * Whether {@link #close} has begun: the server no longer accepts, and its last requests are finishing
     * (or it has stopped). A readiness check answers "not ready" from this moment, so that a load
     * balancer sends no more traffic while the server drains.
     */
    public boolean isStopping() {
        return closed;
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitTermination() throws InterruptedException {
        terminated.await();
    }

    /** Graceful stop within the configured grace period. */
    @Override
    public void close() {
        close(config.shutdownGrace());
    }

    /**
     * Stops accepting, closes idle connections, lets in-flight requests finish (their responses carry
     * {@code Connection: close}) and aborts what is left after {@code grace}.
     *
     * @return true when every connection ended within the grace period (also on a second call)
     */
    public boolean close(Duration grace) {
        closeLock.lock();
        try {
            if (closed) {
                return true;
            }
            closed = true;
            return acceptor.stop(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            closeLock.unlock();
            terminated.countDown();
        }
    }
}
