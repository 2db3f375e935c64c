package bench.peers.common;

import java.nio.file.Files;
import java.nio.file.Path;

/** Command line shared by every peer: {@code --port N --static DIR} ({@code --quiet} is accepted, as jhttpd's). */
public record Args(int port, Path staticDir) {

    public static Args parse(String[] args) {
        int port = 8080;
        Path dir = Path.of(".");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--static" -> dir = Path.of(args[++i]);
                case "--quiet" -> { }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (usage: --port N --static DIR)");
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("not a directory: " + dir);
        }
        return new Args(port, dir.toAbsolutePath().normalize());
    }
}
