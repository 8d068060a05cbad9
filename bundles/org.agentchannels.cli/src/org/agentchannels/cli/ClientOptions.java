package org.agentchannels.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options every client command shares. Each of the first four can also come from an environment
 * variable, so scripts set them once; the command line wins.
 */
final class ClientOptions {

    static final String ENV_GATEWAY = "AGENTCHANNELS_GATEWAY";
    static final String ENV_PRESENCE_DIR = "AGENTCHANNELS_PRESENCE_DIR";
    static final String ENV_DEVICE_NAME = "AGENTCHANNELS_DEVICE_NAME";
    static final String ENV_TOKEN_FILE = "AGENTCHANNELS_TOKEN_FILE";
    private static final Map<String, String> ENVIRONMENT = Map.of("--gateway", ENV_GATEWAY, "--presence-dir", ENV_PRESENCE_DIR,
            "--device-name", ENV_DEVICE_NAME, "--token-file", ENV_TOKEN_FILE);
    private static final String DEFAULT_TIMEOUT_SECONDS = "120";

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--gateway", paramLabel = "URL", description = "this device's gateway (" + ENV_GATEWAY + ")")
    String gateway;

    @Option(names = "--presence-dir", paramLabel = "DIR", description = "the presence records folder (" + ENV_PRESENCE_DIR + ")")
    String presenceDir;

    @Option(names = "--device-name", paramLabel = "NAME", description = "this device's name (" + ENV_DEVICE_NAME + ")")
    String deviceName;

    @Option(names = "--token-file", paramLabel = "FILE", description = "lines of '<endpoint> <token>' (" + ENV_TOKEN_FILE
            + "; default ~/.agentchannels/tokens, where 'pair' writes)")
    String tokenFile;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    private int timeoutSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = DEFAULT_TIMEOUT_SECONDS,
            description = "how long to wait for a gateway or a turn (default ${DEFAULT-VALUE})")
    void timeout(int seconds) {
        if (seconds <= 0) {
            throw new ParameterException(command.commandLine(), "--timeout needs a number of seconds above 0");
        }
        timeoutSeconds = seconds;
    }

    /** The environment's value for {@code option}, if it is one of ours and set. */
    static String fromEnvironment(OptionSpec option, Map<String, String> env) {
        String variable = ENVIRONMENT.get(option.longestName());
        return variable == null ? null : env.get(variable);
    }

    Optional<String> gateway() {
        return present(gateway);
    }

    Optional<Path> presenceDir() {
        return present(presenceDir).map(Path::of);
    }

    Optional<String> deviceName() {
        return present(deviceName);
    }

    /** The token file given, else {@link #defaultTokenFile()}: where {@code pair} writes. */
    Path tokenFile() {
        return present(tokenFile).map(Path::of).orElseGet(ClientOptions::defaultTokenFile);
    }

    /** The token file to read: the one given (it must exist), else the default one if it exists. */
    Optional<Path> tokenFileToRead() {
        Optional<Path> given = present(tokenFile).map(Path::of);
        return given.isPresent() ? given : Optional.of(defaultTokenFile()).filter(java.nio.file.Files::exists);
    }

    /** {@code ~/.agentchannels/tokens}. */
    static Path defaultTokenFile() {
        return Path.of(System.getProperty("user.home"), ".agentchannels", "tokens");
    }

    boolean json() {
        return json;
    }

    int timeoutSeconds() {
        return timeoutSeconds;
    }

    static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
