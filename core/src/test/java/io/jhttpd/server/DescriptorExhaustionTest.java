package io.jhttpd.server;

import io.jhttpd.testing.RawClient;
import io.jhttpd.testing.ServeMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static io.jhttpd.testing.Wire.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Out of file descriptors, the accept loop backs off instead of spinning, logs at most about once a
 * second, and serves again once descriptors are free. The server runs in a child JVM started under
 * {@code ulimit -n 64}; this process opens connections until the child cannot accept any more.
 *
 * <p>The CPU bound is a "does not spin" check, not a speed measurement: a spinning accept loop burns a
 * whole core (100%); the bound is half of one.
 */
class DescriptorExhaustionTest {

    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final long WINDOW_MILLIS = 3_000;

    @Test
    void theAcceptLoopBacksOffLogsAboutOnceASecondAndRecovers(@TempDir Path temp) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")) && new File("/bin/bash").canExecute(), "needs Linux and bash");
        Path stderr = temp.resolve("stderr.txt");
        Process child = startUnderUlimit(64, stderr, "log-first");
        List<Socket> clients = new ArrayList<>();
        try {
            int port = readPort(child);
            awaitServing(port);
            // Fill the child's descriptor table; connects still succeed (the kernel's backlog takes them).
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (acceptFailures(stderr) == 0 && System.nanoTime() < deadline && clients.size() < 500) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                clients.add(s);
                if (clients.size() > 40) {
                    Thread.sleep(20);
                }
            }
            assertThat(acceptFailures(stderr)).as("the child ran out of descriptors and said so").isPositive();

            long cpuBefore = cpuTicks(child.pid());
            int logsBefore = acceptFailures(stderr);
            Thread.sleep(WINDOW_MILLIS);
            long cpuTicks = cpuTicks(child.pid()) - cpuBefore;
            int logs = acceptFailures(stderr) - logsBefore;
            double coreShare = cpuTicks / (double) clockTicksPerSecond() / (WINDOW_MILLIS / 1000.0);
            assertThat(coreShare).as("share of one core used while out of descriptors").isLessThan(0.5);
            assertThat(logs).as("accept failures logged in %d ms", WINDOW_MILLIS).isBetween(1, 5);

            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            awaitServing(port);
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            child.destroyForcibly().waitFor();
        }
    }

    /**
     * When nothing was logged before descriptors ran out, the accept failure is the first record the
     * logging backend formats, and JUL's formatter then needs a descriptor of its own (for the JDK's
     * time-zone rules). That used to throw an Error that ended the accept loop for good, and to leave
     * logging broken, so that a failing handler afterwards dropped its connection instead of a 500.
     */
    @Test
    void withNothingLoggedBeforehandItRecoversAndStillAnswers500s(@TempDir Path temp) throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")) && new File("/bin/bash").canExecute(), "needs Linux and bash");
        Path stderr = temp.resolve("stderr.txt");
        Process child = startUnderUlimit(64, stderr);
        List<Socket> clients = new ArrayList<>();
        try {
            int port = readPort(child);
            awaitServing(port);
            for (int i = 0; i < 100; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                clients.add(s);
            }
            Thread.sleep(1_500); // the child accepts until it runs out, and tries to log that
            for (Socket s : clients) {
                s.close();
            }
            clients.clear();
            awaitServing(port);
            try (RawClient c = new RawClient(port)) {
                assertThat(c.send(get("/boom")).read().status()).as("a handler failure, logged after the episode")
                        .isEqualTo(500);
            }
        } finally {
            for (Socket s : clients) {
                s.close();
            }
            child.destroyForcibly().waitFor();
        }
    }

    private static Process startUnderUlimit(int maxFds, Path stderr, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Only the class directories: every jar on the classpath would cost the child a descriptor.
        String classpath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> Files.isDirectory(Path.of(entry)))
                .collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of("/bin/bash", "-c",
                "ulimit -n " + maxFds + " && exec \"$0\" -Xmx64m -cp \"$1\" \"${@:2}\"",
                java, classpath, ServeMain.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectError(stderr.toFile())
                .start();
    }

    private static int readPort(Process child) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertThat(line).as("the child's first line").startsWith("port ");
        return Integer.parseInt(line.substring(5).strip());
    }

    /** Retries a GET on a fresh connection until it gets 200 or the deadline passes. */
    private static void awaitServing(int port) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (RawClient c = new RawClient(port)) {
                c.setTimeout(2_000);
                assertThat(c.send(get("/")).read().status()).isEqualTo(200);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the server did not serve again within " + DEADLINE, last);
    }

    private static int acceptFailures(Path stderr) throws IOException {
        if (!Files.exists(stderr)) {
            return 0;
        }
        String text = Files.readString(stderr, StandardCharsets.ISO_8859_1);
        int count = 0;
        for (int i = text.indexOf("accept failed"); i >= 0; i = text.indexOf("accept failed", i + 1)) {
            count++;
        }
        return count;
    }

    /** utime + stime of a process, in clock ticks (proc(5), fields 14 and 15). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14, 15 counted from 1
    }

    private static long clockTicksPerSecond() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        p.waitFor();
        return out.isEmpty() ? 100 : Long.parseLong(out);
    }
}
