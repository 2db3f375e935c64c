package io.jhttpd.server;

import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;

/**
 * The JDK's way to give virtual threads a scheduler of one's own, where this JVM lets jhttpd use it.
 *
 * <p>Not public API yet: the JDK's virtual-thread builder takes a scheduler through a constructor
 * ({@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)}) that only code allowed into
 * {@code java.lang} can call: {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or
 * {@code =io.jhttpd} on the module path), or {@code Add-Opens: java.base/java.lang} in the manifest of
 * a jar started with {@code java -jar}, as the server's is. Only JDK 25 and later are trusted with it:
 * from 25 on, the JDK pins a virtual thread while it hands a thread to a custom scheduler; before
 * that, a virtual thread could unmount inside the scheduler's lock.
 */
final class SchedulerAccess {

    /** The first JDK that pins the caller of a custom scheduler's {@code execute}. */
    static final int FIRST_TRUSTED_FEATURE = 25;
    private static final Constructor<?> WITH_SCHEDULER = withScheduler();

    private SchedulerAccess() {
    }

    /** Whether {@link #builder} can make builders on this JVM. */
    static boolean available() {
        return WITH_SCHEDULER != null;
    }

    /** A new builder of virtual threads scheduled by {@code scheduler}, or null when not available. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        if (WITH_SCHEDULER == null) {
            return null;
        }
        try {
            return (Thread.Builder.OfVirtual) WITH_SCHEDULER.newInstance(scheduler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Constructor<?> withScheduler() {
        if (Runtime.version().feature() < FIRST_TRUSTED_FEATURE) {
            return null;
        }
        try {
            Constructor<?> constructor = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder")
                    .getDeclaredConstructor(Executor.class);
            constructor.setAccessible(true);
            return constructor;
        } catch (ReflectiveOperationException | RuntimeException notAllowed) {
            return null; // not opened to us (InaccessibleObjectException), or a JDK without it
        }
    }
}
