package org.agentchannels.ui.internal.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a link's file is on this machine, without the workspace (as in the standalone product): an absolute path
 * or file URL that is a regular file; a relative path in the session's directory when it is here, never out of it
 * (by {@code ..} or by a symbolic link); nothing else.
 */
@ExtendWith(NoErrorLoggedExtension.class)
class LinkResolutionTest {

    @TempDir
    Path dir;

    private static Optional<Path> resolve(String target, String sessionDirectory) {
        return LinkOpener.resolve(LinkTarget.parse(target).orElseThrow(), sessionDirectory, false, new NullProgressMonitor())
                .map(LinkOpener.Resolved::path);
    }

    @Test
    void anAbsolutePathOrFileUrlOpensWhenItIsARegularFileHere() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.md"), "one\ntwo\n").toRealPath();
        assertEquals(Optional.of(notes), resolve(notes + ":2", ""));
        assertEquals(Optional.of(notes), resolve(notes.toUri().toString(), ""));
        assertEquals(Optional.empty(), resolve(dir.resolve("missing.md").toString(), ""));
        assertEquals(Optional.empty(), resolve(dir.toString(), ""), "a directory is no file to open");
    }

    @Test
    void aRelativePathIsLookedForInTheSessionsDirectoryAndNeverOutOfIt() throws Exception {
        Path checkout = Files.createDirectories(dir.resolve("checkout/src"));
        Path foo = Files.writeString(checkout.resolve("Foo.java"), "class Foo {}\n").toRealPath();
        Files.writeString(dir.resolve("secret.txt"), "not the agent's\n");
        Path session = dir.resolve("checkout");
        assertEquals(Optional.of(foo), resolve("src/Foo.java:1", session.toString()));
        assertEquals(Optional.of(foo), resolve("./src/Foo.java", session.toString()));
        assertEquals(Optional.empty(), resolve("../secret.txt", session.toString()), "out of the session's directory");
        assertEquals(Optional.empty(), resolve("src/../../secret.txt", session.toString()));
        Files.createSymbolicLink(session.resolve("escape.txt"), dir.resolve("secret.txt"));
        assertEquals(Optional.empty(), resolve("escape.txt:1", session.toString()), "a link out of it is not followed");
        Files.createSymbolicLink(session.resolve("alias.java"), foo);
        assertEquals(Optional.of(foo), resolve("alias.java:1", session.toString()), "a link inside it is");
        assertEquals(Optional.empty(), resolve("src/Foo.java", dir.resolve("not-here").toString()),
                "a session directory that is not on this machine is skipped");
        assertEquals(Optional.empty(), resolve("src/Foo.java", ""), "no session directory, no workspace: nothing");
    }

    @Test
    void theHomeDirectoryIsWrittenAsATilde() {
        Optional<Path> home = LocalPaths.of("~/notes.md");
        assertTrue(home.isPresent());
        assertEquals(Path.of(System.getProperty("user.home"), "notes.md"), home.get());
    }
}
