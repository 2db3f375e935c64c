package io.jhttpd.server;

import java.io.IOException;
import java.net.SocketOption;
import java.nio.channels.SocketChannel;

/**
 * Sends the acknowledgement of what a socket has received now, instead of when the kernel's delayed
 * ACK timer fires: Linux's {@code TCP_QUICKACK}, which {@code jdk.net.ExtendedSocketOptions} offers.
 * On a platform without the option, or a runtime built without {@code jdk.net} (the class path of a
 * trimmed image), this does nothing.
 */
final class QuickAck {

    /** The option, or null when this runtime cannot set it. */
    private static final SocketOption<Boolean> OPTION = find();
    /** Cleared the first time a socket refuses the option, so that it is not asked again. */
    private static volatile boolean usable = OPTION != null;

    private QuickAck() {
    }

    /** Acknowledges now what {@code channel} has received; a closed socket is left to its next read. */
    static void send(SocketChannel channel) {
        if (!usable) {
            return;
        }
        try {
            channel.setOption(OPTION, true);
        } catch (UnsupportedOperationException e) {
            usable = false;
        } catch (IOException e) {
            // the socket is closing: the read that follows reports it
        }
    }

    private static SocketOption<Boolean> find() {
        try {
            return Holder.option();
        } catch (LinkageError e) {
            return null; // jdk.net is not in this runtime, or not readable from this module
        }
    }

    /** Loaded only when asked, so that a runtime without jdk.net fails here, where it is caught. */
    private static final class Holder {
        static SocketOption<Boolean> option() {
            return jdk.net.ExtendedSocketOptions.TCP_QUICKACK;
        }
    }
}
