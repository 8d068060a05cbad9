package org.agentchannels.gateway.internal.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.gateway.internal.RpcException;

/**
 * The directories a gateway's sessions may work in ({@code --workspace}). A device asks for one by its path
 * on the gateway's machine; it must be a directory inside a root once every link in it is followed, so a
 * link planted inside a workspace cannot send an agent elsewhere.
 */
public final class Workspaces {

    private final List<Path> roots;

    /** @param roots absolute; the first is where a session that names none works */
    public Workspaces(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    /** The roots as configured, the default first (what {@code gateway.ready} offers). */
    List<Path> roots() {
        return roots;
    }

    /** A gateway that offers no choice: sessions work where their agent decides. */
    public static Workspaces none() {
        return new Workspaces(List.of());
    }

    /**
     * The directory a new session works in.
     *
     * @param requested what the device asked for; empty for the first root (created when missing)
     * @return the real path of that directory, or {@code null} when this gateway has no roots and none was asked
     * @throws RpcException ({@link JsonRpcCodes#BAD_VALUE}) for a relative path, one that is not an existing
     *         directory, or one outside every root
     */
    Path resolve(String requested) throws RpcException {
        if (requested.isBlank()) {
            if (roots.isEmpty()) {
                return null;
            }
            try {
                return Files.createDirectories(roots.get(0)).toRealPath();
            } catch (IOException e) {
                throw new RpcException(JsonRpcCodes.BAD_VALUE, "the gateway's workspace cannot be created: "
                        + e.getClass().getSimpleName());
            }
        }
        if (roots.isEmpty()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "cwd: this gateway offers no working directories to choose");
        }
        Path asked;
        try {
            asked = Path.of(requested);
        } catch (InvalidPathException e) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "cwd is not a path");
        }
        if (!asked.isAbsolute()) {
            throw new RpcException(JsonRpcCodes.BAD_VALUE, "cwd must be an absolute path");
        }
        // one refusal for a path that is missing, not a directory or outside: it says nothing of what exists
        List<String> offered = new ArrayList<>();
        roots.forEach(root -> offered.add(root.toString()));
        RpcException refused = new RpcException(JsonRpcCodes.BAD_VALUE, "cwd must be a directory inside the"
                + " gateway's workspaces (" + String.join(", ", offered) + "): " + requested);
        Path real;
        try {
            real = asked.toRealPath();
        } catch (IOException e) {
            throw refused;
        }
        if (!Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)) {
            throw refused;
        }
        for (Path root : roots) {
            try {
                if (real.startsWith(root.toRealPath())) {
                    return real;
                }
            } catch (IOException e) {
                // a root that does not exist (yet) holds nothing
            }
        }
        throw refused;
    }
}
