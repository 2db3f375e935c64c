package io.jhttpd.files;

import io.jhttpd.http.HttpException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One test per traversal vector; every input is already percent-decoded, as the router hands it over. */
class SafePathTest {

    @TempDir
    Path dir;
    private Path root;
    private SafePath safe;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(dir.resolve("public"));
        Files.writeString(dir.resolve("secret.txt"), "TOPSECRET");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/c.txt"), "c");
        Files.writeString(root.resolve("top.txt"), "top");
        safe = new SafePath(root);
    }

    private void assertStatus(String relative, int status) {
        assertThatThrownBy(() -> safe.resolve(relative))
                .isInstanceOf(HttpException.class)
                .satisfies(e -> assertThat(((HttpException) e).status().code()).isEqualTo(status));
    }

    @Test
    void resolvesANestedFileToItsRealPath() throws IOException {
        assertThat(safe.resolve("a/b/c.txt")).isEqualTo(root.resolve("a/b/c.txt").toRealPath());
    }

    @Test
    void resolvesTheEmptyPathAndATrailingSlashToDirectories() throws IOException {
        assertThat(safe.resolve("")).isEqualTo(root.toRealPath());
        assertThat(safe.resolve("a/")).isEqualTo(root.resolve("a").toRealPath());
    }

    @Test
    void refusesDotDot() {
        assertStatus("..", 404);
    }

    @Test
    void refusesDotDotToTheSecretBesideTheRoot() {
        assertStatus("../secret.txt", 404);
    }

    @Test
    void refusesDoubleDotDot() {
        assertStatus("../../etc/passwd", 404);
    }

    @Test
    void refusesDotDotInTheMiddleEvenWhenItWouldStayInside() {
        assertStatus("a/../top.txt", 404);
        assertStatus("a/../../b", 404);
    }

    @Test
    void refusesDotDotThatArrivedAsPercent2e2eAndPercent2f() {
        // "/static/%2e%2e%2fsecret.txt" reaches us decoded as one joined string.
        assertStatus("../secret.txt", 404);
        assertStatus("a/b/../../../secret.txt", 404);
    }

    @Test
    void refusesASingleDotSegment() {
        assertStatus("./top.txt", 404);
        assertStatus("a/./b/c.txt", 404);
    }

    @Test
    void refusesBackslashes() {
        assertStatus("a\\..\\..\\secret.txt", 404);
        assertStatus("top.txt\\", 404);
    }

    @Test
    void refusesBackslashesEvenWhereTheyAreOrdinaryFileNameCharacters() throws IOException {
        // On Linux "a\\b" is one name, not two: still refused, since on Windows it would be a separator.
        Files.writeString(root.resolve("a\\b.txt"), "x");
        assertStatus("a\\b.txt", 404);
    }

    @Test
    void answers400ToNulAndOtherControlCharacters() {
        assertStatus("top.txt\0.png", 400);
        assertStatus("\0", 400);
        assertStatus("a\r\nb", 400);
        assertStatus("a\u007f", 400);
    }

    @Test
    void refusesAbsolutePaths() {
        assertStatus("/etc/passwd", 404);
        assertStatus(dir.resolve("secret.txt").toString(), 404);
    }

    @Test
    void refusesDriveLettersAndColons() {
        assertStatus("C:/Windows/win.ini", 404);
        assertStatus("c:secret.txt", 404);
        assertStatus("top.txt::$DATA", 404);
    }

    @Test
    void refusesEmptyComponents() {
        assertStatus("a//b/c.txt", 404);
        assertStatus("a//", 404);
    }

    @Test
    void refusesASymlinkThatLeadsOutOfTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("leak.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), dir);
        assertStatus("leak.txt", 404);
        assertStatus("up/secret.txt", 404);
    }

    @Test
    void followsASymlinkThatStaysInsideTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("alias.txt"), root.resolve("a/b/c.txt"));
        assertThat(safe.resolve("alias.txt")).isEqualTo(root.resolve("a/b/c.txt").toRealPath());
    }

    @Test
    void answers404ForAMissingFile() {
        assertStatus("missing.txt", 404);
    }

    @Test
    void refusesARootThatIsNotADirectory() {
        assertThatThrownBy(() -> new SafePath(root.resolve("top.txt"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SafePath(dir.resolve("nope"))).isInstanceOf(IllegalArgumentException.class);
    }
}
