package io.jhttpd;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a server listens. Immutable; two servers in one JVM can differ in every setting.
 *
 * <pre>{@code
 * ServerConfig config = ServerConfig.defaults().withPort(0).withLimits(Limits.defaults().withMaxBodyBytes(1 << 20));
 * }</pre>
 *
 * @param host          the address to bind; {@code 0.0.0.0} for every interface
 * @param port          the port; 0 picks a free one
 * @param limits        the bounds put on clients
 * @param serverName    the value of the {@code Server} field
 * @param shutdownGrace how long {@link HttpServer#close()} lets in-flight requests run
 * @param backlog       the listen backlog: how many connections the kernel holds for the accept loop;
 *                      the kernel caps it at its own maximum (Linux: {@code net.core.somaxconn})
 * @param listener      told about connections and requests, for metrics; {@link ServerListener#NONE} by default
 */
public record ServerConfig(String host, int port, Limits limits, String serverName, Duration shutdownGrace,
                           int backlog, ServerListener listener) {

    /**
     * Checks the port and server name; {@link #defaults()} and the {@code with} methods are the usual
     * way to make one.
     *
     * @throws IllegalArgumentException when the port is outside 0..65535 or the server name holds a
     *                                  character other than visible ASCII and space
     */
    public ServerConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, was " + port);
        }
        if (serverName.chars().anyMatch(c -> c < 0x21 && c != ' ' || c > 0x7E)) {
            throw new IllegalArgumentException("server name must be visible ASCII");
        }
        Objects.requireNonNull(listener, "listener (use ServerListener.NONE)");
    }

    /** Without a listener. */
    public ServerConfig(String host, int port, Limits limits, String serverName, Duration shutdownGrace, int backlog) {
        this(host, port, limits, serverName, shutdownGrace, backlog, ServerListener.NONE);
    }

    /**
     * The default backlog, which asks for the system's largest: kernels cap a backlog at their own
     * maximum (Linux at {@code net.core.somaxconn}, 4096 by default since Linux 5.4), and Windows reads
     * this value ({@code SOMAXCONN}) as "the largest reasonable". A burst of thousands of connects fills a
     * smaller queue faster than one thread accepts, and a connection whose handshake overflows it waits a
     * second for the client's retransmission.
     */
    public static final int SYSTEM_MAX_BACKLOG = Integer.MAX_VALUE;

    /**
     * Every interface ({@code 0.0.0.0}), port 8080, {@link Limits#defaults()}, {@code Server: jhttpd},
     * 30 seconds of shutdown grace and the system's largest backlog ({@link #SYSTEM_MAX_BACKLOG}).
     */
    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, Limits.defaults(), "jhttpd", Duration.ofSeconds(30),
                SYSTEM_MAX_BACKLOG);
    }

    /** This configuration bound to {@code newHost}, such as {@code 127.0.0.1} for local clients only. */
    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, limits, serverName, shutdownGrace, backlog, listener);
    }

    /** This configuration on port {@code newPort}; 0 picks a free port ({@link HttpServer#port()} tells which). */
    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, limits, serverName, shutdownGrace, backlog, listener);
    }

    /** This configuration with other bounds on clients. */
    public ServerConfig withLimits(Limits newLimits) {
        return new ServerConfig(host, port, newLimits, serverName, shutdownGrace, backlog, listener);
    }

    /** This configuration with another {@code Server} field value. */
    public ServerConfig withServerName(String newName) {
        return new ServerConfig(host, port, limits, newName, shutdownGrace, backlog, listener);
    }

    /** This configuration with another grace period for {@link HttpServer#close()}. */
    public ServerConfig withShutdownGrace(Duration newGrace) {
        return new ServerConfig(host, port, limits, serverName, newGrace, backlog, listener);
    }

    /** With {@code newListener} told about every connection and request (one listener per server). */
    public ServerConfig withListener(ServerListener newListener) {
        return new ServerConfig(host, port, limits, serverName, shutdownGrace, backlog, newListener);
    }
}
