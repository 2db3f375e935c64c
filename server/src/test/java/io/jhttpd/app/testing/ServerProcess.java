package io.jhttpd.app.testing;

import io.jhttpd.app.Main;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link Main} in a JVM of its own, as people run it: started with the test class path, its port read
 * from the start line, every later stdout line (the access log) kept, stderr in a file. Closing sends
 * SIGTERM and waits; {@link #kill()} is {@code kill -9}.
 *
 * <pre>{@code
 * try (ServerProcess server = ServerProcess.start(temp, "--store", "sqlite:" + db)) { ... server.port() ... }
 * }</pre>
 */
public final class ServerProcess implements AutoCloseable {

    private static final Pattern START_LINE = Pattern.compile("jhttpd \\S+ serving http://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final int port;
    private final Path stderr;
    private final List<String> stdout = new CopyOnWriteArrayList<>();

    private ServerProcess(Process process, int port, Path stderr) {
        this.process = process;
        this.port = port;
        this.stderr = stderr;
    }

    /** Starts Main on 127.0.0.1, a free port, with {@code args} after; stderr goes to a file in {@code dir}. */
    public static ServerProcess start(Path dir, String... args) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(List.of(args));
        Path stderr = Files.createTempFile(dir, "stderr-", ".txt");
        Process process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String startLine = out.readLine();
        Matcher m = START_LINE.matcher(String.valueOf(startLine));
        if (!m.matches()) {
            process.destroyForcibly();
            throw new IllegalStateException("no start line but '" + startLine + "'; stderr: " + Files.readString(stderr));
        }
        ServerProcess server = new ServerProcess(process, Integer.parseInt(m.group(1)), stderr);
        Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    server.stdout.add(line);
                }
            } catch (IOException e) {
                // the process died; what it wrote is what we have
            }
        });
        return server;
    }

    public int port() {
        return port;
    }

    /** Lines written to stdout after the start line: the access log, unless --quiet. */
    public List<String> stdout() {
        return stdout;
    }

    public String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** {@code kill -9}: no shutdown hook, no flush, no close. Returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the graceful stop; kills after 30 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
