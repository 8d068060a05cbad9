package org.agentchannels.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.GatewayEndpoints;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.Pairing;

/**
 * The command line's {@code --token-file}: one paired gateway per line, {@code <endpoint> <token>} (with
 * {@code hermes} after the token for a Hermes gateway, which takes the token in its URL), or
 * {@code trust-without-token <endpoint>} for a gateway the person trusts although it asks for no token; blank
 * lines and lines starting with {@code #} are ignored. A gateway in no line is never dialled. A bad line is
 * reported by its number, never by its
 * content, because that content may be a token. A file other users could read is refused, naming the
 * {@code chmod} that fixes it: its tokens must be considered seen.
 */
public final class TokenFile {

    private TokenFile() {
    }

    /** A line that is not {@code <endpoint> <token>}. */
    public static final class TokenFileException extends Exception {
        private static final long serialVersionUID = 1L;

        public TokenFileException(String message) {
            super(message);
        }
    }

    public static InMemoryTokenStore read(Path file) throws TokenFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TokenFileException("cannot read the token file " + file + ": " + e.getClass().getSimpleName());
        }
        try {
            OwnerOnlyFiles.requireOwnerOnly(file, "the token file");
        } catch (IOException e) {
            throw new TokenFileException(e.getMessage());
        }
        return parse(lines, file.toString());
    }

    /**
     * Puts {@code pairing}'s line into {@code file} (created owner-only with its folder when missing), in place of
     * the line of the same endpoint if there is one; every other line, comments included, stays as it was.
     */
    public static void store(Path file, Pairing pairing) throws TokenFileException {
        List<String> lines = new ArrayList<>();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            read(file); // owner-only, every line well formed: a file in any other state is not rewritten
            try {
                lines.addAll(Files.readAllLines(file, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new TokenFileException("cannot read the token file " + file + ": " + e.getClass().getSimpleName());
            }
        }
        String endpoint = GatewayEndpoints.parse(pairing.endpoint()).toString();
        boolean replaced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (GatewayEndpoints.parse(Pairing.parse(line).endpoint()).toString().equals(endpoint)) {
                lines.set(i, replaced ? null : pairing.toLine());
                replaced = true;
            }
        }
        lines.removeIf(java.util.Objects::isNull);
        if (!replaced) {
            lines.add(pairing.toLine());
        }
        try {
            OwnerOnlyFiles.replace(file, String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new TokenFileException("cannot write the token file " + file + ": " + e.getMessage());
        }
    }

    public static InMemoryTokenStore parse(List<String> lines, String origin) throws TokenFileException {
        InMemoryTokenStore store = new InMemoryTokenStore();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Pairing pairing;
            try {
                pairing = Pairing.parse(line);
            } catch (IllegalArgumentException e) {
                throw new TokenFileException(origin + ":" + (i + 1) + ": " + e.getMessage());
            }
            store.put(pairing);
        }
        return store;
    }
}
