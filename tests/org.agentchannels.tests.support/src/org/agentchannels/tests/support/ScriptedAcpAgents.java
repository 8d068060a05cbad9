package org.agentchannels.tests.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Launch lines for the scripted ACP agent ({@code agents/ScriptedAcpAgent.java} in this bundle), a real process
 * speaking ACP on its standard streams, run by the JDK's source launcher with the test JVM's own {@code java}.
 */
public final class ScriptedAcpAgents {

    private ScriptedAcpAgents() {
    }

    /** The command that runs {@code scenario}; the source file is copied into {@code dir} first. */
    public static List<String> command(String scenario, Path dir) throws IOException {
        Path source = dir.resolve("ScriptedAcpAgent.java");
        if (!Files.exists(source)) {
            try (InputStream in = ScriptedAcpAgents.class.getResourceAsStream("/agents/ScriptedAcpAgent.java")) {
                if (in == null) {
                    throw new IOException("agents/ScriptedAcpAgent.java is missing from tests.support");
                }
                Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return List.of(java.toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", source.toString(), scenario);
    }

    /** {@link #command} as a gateway's {@code --acp-command} (or {@code --agent NAME=}) line: each word quoted. */
    public static String launchLine(String scenario, Path dir) throws IOException {
        return command(scenario, dir).stream().map(w -> "'" + w + "'").collect(Collectors.joining(" "));
    }
}
