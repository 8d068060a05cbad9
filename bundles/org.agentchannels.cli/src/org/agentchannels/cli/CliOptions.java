package org.agentchannels.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line: a command, its arguments and the options every command shares. Each option can also come
 * from an environment variable, so scripts set them once; the command line wins.
 */
public record CliOptions(String command, List<String> arguments, Optional<String> gateway, Optional<Path> presenceDir,
        Optional<String> deviceName, Optional<Path> tokenFile, boolean json, Optional<String> send, int timeoutSeconds,
        Optional<String> title) {

    public static final String ENV_GATEWAY = "AGENTCHANNELS_GATEWAY";
    public static final String ENV_PRESENCE_DIR = "AGENTCHANNELS_PRESENCE_DIR";
    public static final String ENV_DEVICE_NAME = "AGENTCHANNELS_DEVICE_NAME";
    public static final String ENV_TOKEN_FILE = "AGENTCHANNELS_TOKEN_FILE";

    /** A command line that cannot be run; the message says what to change. */
    public static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        public UsageException(String message) {
            super(message);
        }
    }

    public static CliOptions parse(String[] args, Map<String, String> env) throws UsageException {
        String command = null;
        List<String> arguments = new ArrayList<>();
        String gateway = env.get(ENV_GATEWAY);
        String presenceDir = env.get(ENV_PRESENCE_DIR);
        String deviceName = env.get(ENV_DEVICE_NAME);
        String tokenFile = env.get(ENV_TOKEN_FILE);
        boolean json = false;
        String send = null;
        String title = null;
        int timeout = 120;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            String name = a;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            }
            switch (name) {
                case "--json" -> json = true;
                case "--gateway", "--presence-dir", "--device-name", "--token-file", "--send", "--timeout", "--title" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--gateway" -> gateway = value;
                        case "--presence-dir" -> presenceDir = value;
                        case "--device-name" -> deviceName = value;
                        case "--token-file" -> tokenFile = value;
                        case "--send" -> send = value;
                        case "--title" -> title = value;
                        default -> {
                            try {
                                timeout = Integer.parseInt(value);
                            } catch (NumberFormatException e) {
                                timeout = -1;
                            }
                            if (timeout <= 0) {
                                throw new UsageException("--timeout needs a number of seconds above 0");
                            }
                        }
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new UsageException("unknown option " + a);
                    }
                    if (command == null) {
                        command = a;
                    } else {
                        arguments.add(a);
                    }
                }
            }
        }
        if (command == null) {
            throw new UsageException("no command given");
        }
        return new CliOptions(command, List.copyOf(arguments), present(gateway), present(presenceDir).map(Path::of),
                present(deviceName), present(tokenFile).map(Path::of), json, Optional.ofNullable(send), timeout,
                present(title));
    }

    private static Optional<String> present(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }
}
