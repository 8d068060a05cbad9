package org.agentchannels.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The product's start script, run with a stand-in for {@code java} that writes down its arguments: it keeps its
 * class-data archive in an owner-only cache folder of the user's, one per installation, and starts without one when
 * that folder or the archive is a link someone planted; the user's arguments come last, as given. GTK is kept from
 * loading a GL driver unless the user asks for GL themselves.
 */
class StartScriptTest {

    @TempDir
    Path temp;

    private Path product;
    private Path javaHome;
    private Path said;
    /** What the stand-in java saw as GDK_GL ("unset" when it was not set). */
    private Path saidGl;

    private void install() throws Exception {
        product = Files.createDirectories(temp.resolve("agentchannels"));
        Files.createDirectories(product.resolve("plugins"));
        Files.writeString(product.resolve("plugins/org.eclipse.equinox.launcher_1.7.0.jar"), "");
        Path script = Path.of(System.getProperty("agentchannels.root"), "features", "org.agentchannels.rcp.feature", "rootfiles",
                "agentchannels.sh");
        Files.copy(script, product.resolve("agentchannels.sh"));
        javaHome = Files.createDirectories(temp.resolve("jdk/bin")).getParent();
        said = temp.resolve("said");
        saidGl = temp.resolve("said-gl");
        Path java = javaHome.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done > \"" + said + "\"\n"
                + "printf '%s\\n' \"${GDK_GL-unset}\" > \"" + saidGl + "\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
    }

    /** The stand-in java's arguments for one start with {@code cache} as XDG_CACHE_HOME; null: neither it nor HOME set. */
    private List<String> start(Path cache) throws Exception {
        return start(cache, null);
    }

    /** As {@link #start(Path)}, with {@code gdkGl} as the user's GDK_GL (null: not set). */
    private List<String> start(Path cache, String gdkGl) throws Exception {
        Files.deleteIfExists(said);
        ProcessBuilder pb = new ProcessBuilder("sh", product.resolve("agentchannels.sh").toString(), "-data", "my workspace")
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("HOME");
        pb.environment().remove("XDG_CACHE_HOME");
        pb.environment().remove("GDK_GL");
        if (gdkGl != null) {
            pb.environment().put("GDK_GL", gdkGl);
        }
        if (cache != null) {
            pb.environment().put("HOME", temp.resolve("home").toString());
            pb.environment().put("XDG_CACHE_HOME", cache.toString());
        }
        Process p = pb.start();
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script ended");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return Files.readAllLines(said);
    }

    private static String archiveOption(List<String> args) {
        return args.stream().filter(a -> a.startsWith("-XX:SharedArchiveFile=")).findFirst().orElse(null);
    }

    @Test
    void theArchiveIsTheUsersOwnInAnOwnerOnlyFolderAndTheArgumentsComeLast() throws Exception {
        install();
        Path cache = temp.resolve("cache");
        List<String> args = start(cache);
        Path folder = cache.resolve("agentchannels");
        assertTrue(args.contains("-XX:+AutoCreateSharedArchive"), args.toString());
        String archive = archiveOption(args);
        assertTrue(archive != null && archive.startsWith("-XX:SharedArchiveFile=" + folder + "/workbench-")
                && archive.endsWith(".jsa"), args.toString());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
        assertEquals(List.of("-jar", product.resolve("plugins/org.eclipse.equinox.launcher_1.7.0.jar").toString(), "-install",
                product.toString(), "-data", "my workspace"), args.subList(args.indexOf("-jar"), args.size()));
        assertEquals(archive, archiveOption(start(cache)), "the same archive at the next start");

        // a folder a user left open to others is made owner-only again
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(archive, archiveOption(start(cache)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    }

    @Test
    void aPlantedLinkMeansNoArchiveAndNothingWrittenThroughIt() throws Exception {
        install();
        Path elsewhere = Files.createDirectories(temp.resolve("elsewhere"));
        Path linkedCache = Files.createDirectories(temp.resolve("linked"));
        Files.createSymbolicLink(linkedCache.resolve("agentchannels"), elsewhere);
        List<String> args = start(linkedCache);
        assertEquals(null, archiveOption(args), "a cache folder that is a link: " + args);
        assertTrue(args.contains("-jar"), "the workbench starts all the same: " + args);

        Path cache = temp.resolve("cache");
        String archive = archiveOption(start(cache)).substring("-XX:SharedArchiveFile=".length());
        Files.createSymbolicLink(Path.of(archive), elsewhere.resolve("target.jsa"));
        assertEquals(null, archiveOption(start(cache)), "an archive that is a link");
        assertFalse(Files.exists(elsewhere.resolve("target.jsa")));

        List<String> homeless = start(null);
        assertEquals(null, archiveOption(homeless), "no home and no cache folder named: " + homeless);
        assertTrue(homeless.contains("-jar"), "the workbench starts all the same: " + homeless);
    }

    @Test
    void gtkLoadsNoGlDriverUnlessTheUserAsksForGl() throws Exception {
        install();
        start(temp.resolve("cache"));
        assertEquals(List.of("disable"), Files.readAllLines(saidGl), "no part of the workbench draws with GL");
        start(temp.resolve("cache"), "always");
        assertEquals(List.of("always"), Files.readAllLines(saidGl), "the user's own setting is kept");
        start(temp.resolve("cache"), "");
        assertEquals(List.of(""), Files.readAllLines(saidGl), "an empty one too: GTK's own default");
    }
}
