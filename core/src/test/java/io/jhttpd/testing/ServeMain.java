package io.jhttpd.testing;

import io.jhttpd.HttpServer;
import io.jhttpd.Limits;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The test app in a process of its own, for tests that need to change what the process may use
 * (such as {@code ulimit -n}). Prints {@code port N} once it listens, then serves until killed.
 *
 * <p>It loads every core class first: run from class directories, as tests are, each class loaded
 * later would cost a descriptor (a jar stays open and does not), and a process out of descriptors
 * could not load the classes its error paths need. With the argument {@code log-first} it also logs
 * one line through {@link System.Logger} at start, as a server that logs its start-up would, so that
 * the logging machinery is loaded before descriptors run out. With {@code return}, {@code main}
 * returns once the server listens.
 */
public final class ServeMain {

    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        preloadCoreClasses();
        HttpServer server = TestServers.start(Limits.defaults());
        if (List.of(args).contains("log-first")) {
            System.getLogger("io.jhttpd").log(System.Logger.Level.INFO, "listening on port {0}", server.port());
        }
        System.out.println("port " + server.port());
        System.out.flush();
        if (List.of(args).contains("return")) {
            return; // the server alone must keep the process alive, as in any program that embeds it
        }
        server.awaitTermination();
    }

    private static void preloadCoreClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(HttpServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        if (!Files.isDirectory(classes)) {
            return; // a jar: classes load from the open jar
        }
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class"))
                    .map(p -> classes.relativize(p).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .toList();
        }
        for (String name : names) {
            Class.forName(name, false, ServeMain.class.getClassLoader());
        }
    }
}
