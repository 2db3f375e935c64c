package io.jhttpd.server;

import io.jhttpd.wire.WriteWait;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.net.SocketException;
import java.nio.channels.SocketChannel;

/**
 * Linux's {@code TCP_NOTSENT_LOWAT} for a socket about to carry a long response: the socket takes no more
 * than {@link WriteWait#UNSENT_LIMIT} bytes beyond what it has sent, and reports room again when what it
 * holds unsent falls below half of that.
 *
 * <p>Why: without it, one sendfile queues a whole file (the kernel grows a socket's send buffer up to
 * {@code tcp_wmem}'s 4 MiB), and it waits in kernel memory for as long as the client takes to read it.
 * With it, the rest of the file stays in the page cache until the link has room, a slow download holds
 * at most the limit unsent (beside what is in flight, which the window bounds), and the thread that sends comes back once per 64 KiB. Unlike a fixed
 * {@code SO_SNDBUF}, it caps no connection's throughput: bytes in flight do not count. On loopback it also
 * decides whose core transmits: what is queued beyond the client's window is sent by whoever handles
 * the client's acknowledgement, which is the client's own read; with the limit, the server's next
 * sendfile sends it.
 *
 * <p>The JDK offers no such socket option ({@code jdk.net.ExtendedSocketOptions} has none), so this
 * sets it through the JDK's own {@code sun.nio.ch.Net}, where the JVM opens {@code sun.nio.ch} to
 * jhttpd, as it must for the carriers' own epoll, the only place it is asked. Elsewhere it does nothing.
 */
final class UnsentLimit {

    private static final System.Logger LOG = System.getLogger("io.jhttpd");
    private static final int IPPROTO_TCP = 6;
    private static final int TCP_NOTSENT_LOWAT = 25;
    private static final Handles HANDLES = Handles.find();
    /** Cleared the first time a socket refuses the option (a kernel without it), so that none is asked again. */
    private static volatile boolean usable = HANDLES != null;

    private UnsentLimit() {
    }

    /** Whether this JVM lets jhttpd set the option. */
    static boolean available() {
        return HANDLES != null;
    }

    /** Sets the limit on {@code channel}; a closed socket is left to the write that follows to report. */
    static void apply(SocketChannel channel) {
        if (!usable) {
            return;
        }
        try {
            FileDescriptor fd = (FileDescriptor) HANDLES.fd.invokeExact(channel);
            HANDLES.setInt.invokeExact(fd, false, IPPROTO_TCP, TCP_NOTSENT_LOWAT, WriteWait.UNSENT_LIMIT, false);
        } catch (SocketException e) {
            if (channel.isOpen() && usable) {
                usable = false; // ENOPROTOOPT: a kernel before 3.12, or a platform without the option
                LOG.log(System.Logger.Level.WARNING, "TCP_NOTSENT_LOWAT refused ({0}): long responses go "
                        + "without the bound on unsent bytes", e.toString());
            }
        } catch (IOException e) {
            // the socket is closing: the write that follows reports it
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The socket's descriptor, and {@code Net.setIntOption0(fd, mayNeedConversion, level, name, value, ipv6)}. */
    private record Handles(MethodHandle fd, MethodHandle setInt) {

        static Handles find() {
            if (!System.getProperty("os.name", "").startsWith("Linux")) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Method getFd = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredMethod("getFD");
                getFd.setAccessible(true);
                Method setInt = Class.forName("sun.nio.ch.Net").getDeclaredMethod("setIntOption0",
                        FileDescriptor.class, boolean.class, int.class, int.class, int.class, boolean.class);
                setInt.setAccessible(true);
                return new Handles(
                        lookup.unreflect(getFd).asType(MethodType.methodType(FileDescriptor.class, SocketChannel.class)),
                        lookup.unreflect(setInt));
            } catch (ReflectiveOperationException | RuntimeException notAllowed) {
                return null; // not opened to us (InaccessibleObjectException), or a JDK without them
            }
        }
    }
}
