package io.jhttpd.server;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.channels.SocketChannel;

/**
 * Linux's epoll and eventfd, as the JDK's own NIO calls them ({@code sun.nio.ch.EPoll},
 * {@code sun.nio.ch.EventFD}), for {@link ReadinessPoller}: where this JVM lets jhttpd into
 * {@code sun.nio.ch} ({@code --add-opens java.base/sun.nio.ch}, which the server's jar carries in its
 * manifest) and runs on Linux. Elsewhere {@link #available()} is false and connections wait in the JDK's
 * poller, as before.
 */
final class NativeEpoll {

    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_MOD = 3;
    static final int EEXIST = 17;

    /** {@code -Djhttpd.poller=jdk} leaves the waiting to the JDK's poller even where this one may be had. */
    static final String PROPERTY = "jhttpd.poller";
    private static final Handles HANDLES = Handles.find();

    private NativeEpoll() {
    }

    /** Whether this JVM lets jhttpd use epoll directly. */
    static boolean available() {
        return HANDLES != null;
    }

    static int create() throws IOException {
        try {
            return (int) HANDLES.create.invokeExact();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** epoll_ctl: 0, or the error number. */
    static int ctl(int epfd, int op, int fd, int events) {
        try {
            return (int) HANDLES.ctl.invokeExact(epfd, op, fd, events);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** epoll_wait into the array at {@code events}: the number of events (negative when interrupted by a signal). */
    static int await(int epfd, long events, int max, int timeoutMillis) throws IOException {
        try {
            return (int) HANDLES.await.invokeExact(epfd, events, max, timeoutMillis);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A native array for {@code count} events; never freed (one per carrier, for the JVM's life). */
    static long allocateEvents(int count) {
        try {
            return (long) HANDLES.allocate.invokeExact(count);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int descriptor(long events, int i) {
        try {
            return (int) HANDLES.descriptor.invokeExact((long) HANDLES.event.invokeExact(events, i));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int events(long events, int i) {
        try {
            return (int) HANDLES.events.invokeExact((long) HANDLES.event.invokeExact(events, i));
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The socket's file descriptor number. */
    static int fd(SocketChannel channel) {
        try {
            return (int) HANDLES.fdVal.invokeExact(channel);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A new eventfd, as an object {@link #signal} and {@link #drain} take, and its descriptor. */
    static Object newEventFd() throws IOException {
        try {
            return HANDLES.newEventFd.invoke();
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static int eventFdDescriptor(Object eventFd) {
        try {
            return (int) HANDLES.efd.invoke(eventFd);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes the eventfd readable. */
    static void signal(Object eventFd) throws IOException {
        try {
            HANDLES.set.invoke(eventFd);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private record Handles(MethodHandle create, MethodHandle ctl, MethodHandle await, MethodHandle allocate,
            MethodHandle event, MethodHandle descriptor, MethodHandle events, MethodHandle fdVal,
            MethodHandle newEventFd, MethodHandle efd, MethodHandle set) {

        static Handles find() {
            if (!System.getProperty("os.name", "").startsWith("Linux")
                    || "jdk".equals(System.getProperty(PROPERTY))) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Class<?> epoll = Class.forName("sun.nio.ch.EPoll");
                Class<?> eventFd = Class.forName("sun.nio.ch.EventFD");
                Class<?> selCh = Class.forName("sun.nio.ch.SelChImpl");
                Constructor<?> newEventFd = eventFd.getDeclaredConstructor();
                newEventFd.setAccessible(true);
                Method fdVal = selCh.getDeclaredMethod("getFDVal");
                fdVal.setAccessible(true);
                return new Handles(
                        lookup.unreflect(open(epoll, "create")),
                        lookup.unreflect(open(epoll, "ctl", int.class, int.class, int.class, int.class)),
                        lookup.unreflect(open(epoll, "wait", int.class, long.class, int.class, int.class)),
                        lookup.unreflect(open(epoll, "allocatePollArray", int.class)),
                        lookup.unreflect(open(epoll, "getEvent", long.class, int.class)),
                        lookup.unreflect(open(epoll, "getDescriptor", long.class)),
                        lookup.unreflect(open(epoll, "getEvents", long.class)),
                        lookup.unreflect(fdVal).asType(MethodType.methodType(int.class, SocketChannel.class)),
                        lookup.unreflectConstructor(newEventFd),
                        lookup.unreflect(open(eventFd, "efd")),
                        lookup.unreflect(open(eventFd, "set")));
            } catch (ReflectiveOperationException | RuntimeException notAllowed) {
                return null; // not opened to us (InaccessibleObjectException), or a JDK without them
            }
        }

        private static Method open(Class<?> type, String name, Class<?>... parameters) throws NoSuchMethodException {
            Method method = type.getDeclaredMethod(name, parameters);
            method.setAccessible(true);
            return method;
        }
    }
}
