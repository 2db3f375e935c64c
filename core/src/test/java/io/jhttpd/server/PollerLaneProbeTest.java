package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The poller lane of {@link CarrierPool} rests on what this JDK does: its poller helpers are virtual
 * threads, made on the pool of the first thread that needs one, and woken by a platform thread named
 * {@link CarrierPool#JDK_MASTER_POLLER}. A fresh JVM (the helpers are made once per JVM, by whichever
 * thread comes first) reads from a socket on a pool of its own and reports how many helpers the pool
 * met. Should a JDK change any of that, this fails, and the lane needs a new way to know its helpers.
 */
class PollerLaneProbeTest {

    @Test
    void theJdksPollerHelpersAreKnownToThePoolThatCarriesThem() throws Exception {
        assumeTrue(SchedulerAccess.available(), "this run does not open java.lang (SchedulingTest checks which)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), PollerLaneProbeTest.class.getName())
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream in = child.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } finally {
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
        assertThat(output).as("the probe's report").isEqualTo("poller helpers met: 1 or more");
    }

    /** The probe: a virtual thread of a new pool waits for bytes, which come once it waits. */
    public static void main(String[] args) throws Exception {
        CarrierPool pool = new CarrierPool(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CountDownLatch read = new CountDownLatch(1);
            pool.builder().start(() -> {
                try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
                    if (socket.getInputStream().read() == 'x') { // parks: the JDK's poller wakes it
                        read.countDown();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            try (Socket peer = listener.accept(); OutputStream out = peer.getOutputStream()) {
                Thread.sleep(200); // the reader waits by now, and so does the helper, on the master poller
                out.write('x');
                out.flush();
                if (!read.await(10, TimeUnit.SECONDS)) {
                    System.out.println("the reader never got its byte");
                    return;
                }
            }
        }
        int met = pool.pollerHelpers();
        System.out.println(met >= 1 ? "poller helpers met: 1 or more" : "poller helpers met: " + met);
    }
}
