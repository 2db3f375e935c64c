package io.jhttpd.server;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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

    private static final String MET = "poller helpers met: 1 or more";

    @Test
    void theJdksPollerHelpersAreKnownToThePoolThatCarriesThem() throws Exception {
        assumeTrue(SchedulerAccess.available(), "this run does not open java.lang (SchedulingTest checks which)");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path report = Files.createTempFile("jhttpd-poller-probe", ".txt");
        try {
            Process child = new ProcessBuilder(java, "-Xmx64m", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), PollerLaneProbeTest.class.getName())
                    .redirectOutput(report.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!child.waitFor(60, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            assertThat(Files.readString(report)).as("the probe's report").contains(MET);
            assertThat(child.exitValue()).as("the probe's exit status").isZero();
        } finally {
            Files.deleteIfExists(report);
        }
    }

    /**
     * The probe: a virtual thread of a new pool waits for bytes five times, each sent once it waits
     * (the first wait may find the helper still busy starting; by the next it has parked on the master).
     */
    public static void main(String[] args) throws Exception {
        CarrierPool pool = new CarrierPool(1, null);
        AtomicInteger received = new AtomicInteger();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setSoTimeout(10_000);
            Thread reader = pool.builder().start(() -> {
                try (Socket socket = new Socket(listener.getInetAddress(), listener.getLocalPort());
                     InputStream in = socket.getInputStream()) {
                    while (in.read() == 'x') { // parks: the JDK's poller wakes it
                        received.incrementAndGet();
                    }
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            try (Socket peer = listener.accept(); OutputStream out = peer.getOutputStream()) {
                for (int i = 1; i <= 5; i++) {
                    CarrierPoolTest.awaitParked(reader);
                    Thread.sleep(50); // and the helper, having found nothing more, parks on the master
                    out.write('x');
                    out.flush();
                    while (received.get() < i) {
                        Thread.sleep(1);
                    }
                }
            }
            reader.join(10_000);
        }
        int met = pool.pollerHelpers();
        System.out.println(met >= 1 ? MET : "poller helpers met: " + met);
        System.exit(met >= 1 ? 0 : 1);
    }
}
