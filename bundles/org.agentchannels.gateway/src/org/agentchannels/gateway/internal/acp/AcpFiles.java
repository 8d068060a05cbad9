package org.agentchannels.gateway.internal.acp;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.agentchannels.core.DisplayText;
import org.agentchannels.core.OwnerOnlyFiles;
import org.agentchannels.core.protocol.Json;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * ACP's {@code fs/read_text_file} and {@code fs/write_text_file}, for a gateway that offers them ({@code --acp-fs}),
 * confined to one session's working directory: the agent names a file by its absolute path, and the gateway
 * reads or writes it only when that path, once every link in it is followed, is a regular file inside the
 * directory. Refused, and nothing touched: a relative path, one with {@code ..}, one outside the directory (not
 * even looked at), a link that leads outside or to nothing, a directory or any other file that is not a regular
 * one, a file or a text over {@link #MAX_FILE_BYTES}, text that is not UTF-8, and a session that is not the
 * agent's. A write goes into a new file beside the target, then is renamed over it (a reader sees the old file or
 * the new one, never half of one); an existing file keeps its permissions, a new one is its owner's alone.
 *
 * <p>What this does not close: a folder of the path swapped for a link between the check and the read or the
 * rename (Java opens paths, not a directory's entries). Only a program of this machine's user can do that, as the
 * agent itself can read and write that user's files with its own tools anyway; the confinement keeps the
 * gateway from being the way an agent reaches beyond its session's directory.
 */
public final class AcpFiles {

    public static final String READ = "fs/read_text_file";
    public static final String WRITE = "fs/write_text_file";
    /** The largest file read and the largest text written: one ACP line's bound, as the answer or request is one. */
    public static final int MAX_FILE_BYTES = AcpChannel.MAX_LINE_BYTES;

    /** JSON-RPC's and ACP's codes for what is refused. */
    static final int INVALID_PARAMS = -32602;
    static final int NOT_FOUND = -32002;
    static final int INTERNAL_ERROR = -32603;

    private static final int MAX_SHOWN_PATH = 300;

    /** Why a request is refused: its JSON-RPC error, with a message that names the path and what is wrong with it. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final int code;

        Refused(int code, String message) {
            super(message, null, false, false); // a refusal, not a failure: no stack trace to keep or print
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The directory as the agent was told it (absolute, maybe through links). */
    private final Path cwd;
    private final int maxBytes;

    /**
     * @param cwd the session's working directory, as its agent was told it
     * @param maxBytes the largest file read and text written ({@link #MAX_FILE_BYTES}; tests give less)
     */
    public AcpFiles(Path cwd, int maxBytes) {
        this.cwd = cwd.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    static boolean handles(String method) {
        return READ.equals(method) || WRITE.equals(method);
    }

    /**
     * Answers one request of the agent's session {@code session}.
     *
     * @return the result: {@code {content}} for a read, {@code {}} for a write
     * @throws Refused for anything this gateway does not read or write; then nothing was changed
     */
    public JsonObject answer(String method, String session, JsonObject params) throws Refused {
        String asked = Json.text(params, "sessionId");
        if (session.isEmpty() || !session.equals(asked)) {
            throw new Refused(INVALID_PARAMS, "sessionId '" + DisplayText.oneLine(asked, 100)
                    + "' is not this agent's session" + (session.isEmpty() ? " (its session is not open yet)" : ""));
        }
        return switch (method) {
            case READ -> read(params);
            case WRITE -> {
                write(params);
                yield new JsonObject();
            }
            default -> throw new Refused(-32601, "method not found: " + method);
        };
    }

    /** The path a request names, as a message shows it. */
    static String shown(JsonObject params) {
        return DisplayText.oneLine(Json.text(params, "path"), MAX_SHOWN_PATH);
    }

    private JsonObject read(JsonObject params) throws Refused {
        Path root = realCwd();
        Path path = asked(params, root);
        int line = whole(params, "line", 1, 1);
        int limit = whole(params, "limit", -1, 0);
        String shown = shown(params);
        Path real;
        try {
            real = path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(NOT_FOUND, shown + " does not exist");
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, shown + " cannot be read: " + reason(e));
        }
        if (!real.startsWith(root)) {
            throw outsideThroughLink(shown);
        }
        BasicFileAttributes attributes = attributes(real, shown);
        if (attributes == null) {
            throw new Refused(NOT_FOUND, shown + " does not exist");
        }
        requireRegular(attributes, shown);
        if (attributes.size() > maxBytes) {
            throw tooLarge(shown + " is " + attributes.size() + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(real, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(maxBytes + 1); // it may have grown since it was looked at
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, shown + " cannot be read: " + reason(e));
        }
        if (bytes.length > maxBytes) {
            throw tooLarge(shown + " is over that now");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Refused(INVALID_PARAMS, shown + " is not UTF-8 text");
        }
        JsonObject result = new JsonObject();
        result.addProperty("content", lines(text, line, limit));
        return result;
    }

    private void write(JsonObject params) throws Refused {
        Path root = realCwd();
        Path path = asked(params, root);
        String shown = shown(params);
        if (!(params.get("content") instanceof JsonPrimitive c && c.isString())) {
            throw new Refused(INVALID_PARAMS, "content is missing (the text to write to " + shown + ")");
        }
        byte[] bytes;
        try {
            ByteBuffer encoded = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(c.getAsString()));
            bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
        } catch (CharacterCodingException e) {
            throw new Refused(INVALID_PARAMS, "the content for " + shown + " is not valid Unicode text");
        }
        if (bytes.length > maxBytes) {
            throw tooLarge("the content for " + shown + " is " + bytes.length + " bytes");
        }
        Path folder;
        try {
            folder = path.getParent().toRealPath();
        } catch (NoSuchFileException e) {
            throw new Refused(NOT_FOUND, "the folder of " + shown + " does not exist (a file is created, never a folder)");
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, shown + " cannot be written: " + reason(e));
        }
        if (!folder.startsWith(root)) {
            throw outsideThroughLink(shown);
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new Refused(INVALID_PARAMS, "the folder of " + shown + " is not a directory");
        }
        Path target = folder.resolve(path.getFileName().toString());
        if (Files.isSymbolicLink(target)) {
            // a link inside the directory to a file inside it: that file is written, and the link stays
            try {
                target = target.toRealPath();
            } catch (NoSuchFileException e) {
                throw new Refused(INVALID_PARAMS, shown + " is a link to nothing; it is not followed");
            } catch (IOException e) {
                throw new Refused(INTERNAL_ERROR, shown + " cannot be written: " + reason(e));
            }
            if (!target.startsWith(root)) {
                throw outsideThroughLink(shown);
            }
        }
        BasicFileAttributes attributes = attributes(target, shown);
        if (attributes != null) {
            requireRegular(attributes, shown);
        }
        try {
            OwnerOnlyFiles.replaceKeepingPermissions(target, bytes);
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, shown + " cannot be written: " + reason(e));
        }
    }

    /** The session's directory with every link in it followed. */
    private Path realCwd() throws Refused {
        try {
            return cwd.toRealPath();
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, "the session's working directory " + DisplayText.oneLine(cwd.toString(),
                    MAX_SHOWN_PATH) + " cannot be used: " + reason(e));
        }
    }

    /**
     * The path a request names: absolute, without {@code ..}, and inside the session's directory as it is named
     * (as the agent was told it, or its real path), the directory itself excluded; normalized. Nothing on disk
     * is looked at.
     */
    private Path asked(JsonObject params, Path root) throws Refused {
        String text = Json.text(params, "path");
        String shown = shown(params);
        if (text.isEmpty()) {
            throw new Refused(INVALID_PARAMS, "path is missing (the file's absolute path)");
        }
        Path path;
        try {
            path = Path.of(text);
        } catch (InvalidPathException e) {
            throw new Refused(INVALID_PARAMS, "path " + shown + " is not a valid path");
        }
        if (!path.isAbsolute()) {
            throw new Refused(INVALID_PARAMS, "path " + shown + " is not absolute (ACP names files by absolute paths)");
        }
        for (Path name : path) {
            if (name.toString().equals("..")) {
                throw new Refused(INVALID_PARAMS, "path " + shown + " has '..' in it; name the file without it");
            }
        }
        Path normal = path.normalize();
        if (normal.equals(cwd) || normal.equals(root)) {
            throw new Refused(INVALID_PARAMS, shown + " is the session's working directory, not a file");
        }
        if (!normal.startsWith(cwd) && !normal.startsWith(root)) {
            throw new Refused(INVALID_PARAMS, shown + " is outside the session's working directory "
                    + DisplayText.oneLine(cwd.toString(), MAX_SHOWN_PATH));
        }
        return normal;
    }

    private Refused outsideThroughLink(String shown) {
        return new Refused(INVALID_PARAMS, shown + " leads outside the session's working directory "
                + DisplayText.oneLine(cwd.toString(), MAX_SHOWN_PATH) + " through a link; it is not followed");
    }

    private Refused tooLarge(String what) {
        return new Refused(INVALID_PARAMS, what + ", over the " + describeBytes(maxBytes) + " this gateway reads or writes"
                + " at once");
    }

    private static String describeBytes(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /** Its own attributes (a link's, not its target's); null when it does not exist. */
    private static BasicFileAttributes attributes(Path file, String shown) throws Refused {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new Refused(INTERNAL_ERROR, shown + " cannot be looked at: " + reason(e));
        }
    }

    private static void requireRegular(BasicFileAttributes attributes, String shown) throws Refused {
        if (!attributes.isRegularFile()) {
            throw new Refused(INVALID_PARAMS, shown + " is not a regular file"
                    + (attributes.isDirectory() ? " (it is a directory)" : " (a device, pipe or socket)"));
        }
    }

    /**
     * {@code limit} lines of {@code text} from the 1-based {@code line} (each with its line end); all of them
     * for a negative limit; empty past the end.
     */
    static String lines(String text, int line, int limit) {
        int start = 0;
        for (int n = 1; n < line; n++) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                return "";
            }
            start = end + 1;
        }
        if (limit < 0) {
            return text.substring(start);
        }
        int stop = start;
        for (int n = 0; n < limit; n++) {
            int end = text.indexOf('\n', stop);
            if (end < 0) {
                return text.substring(start);
            }
            stop = end + 1;
        }
        return text.substring(start, stop);
    }

    /** An optional whole number of at least {@code least} ({@code fallback} when absent or null), capped. */
    private static int whole(JsonObject params, String key, int fallback, int least) throws Refused {
        JsonElement value = params.get(key);
        if (value == null || value.isJsonNull()) {
            return fallback;
        }
        if (value instanceof JsonPrimitive p && p.isNumber()) {
            try {
                BigDecimal n = p.getAsBigDecimal();
                if (n.stripTrailingZeros().scale() <= 0 && n.compareTo(BigDecimal.valueOf(least)) >= 0) {
                    return n.min(BigDecimal.valueOf(Integer.MAX_VALUE)).intValue();
                }
            } catch (NumberFormatException e) {
                // not a number after all: refused below
            }
        }
        throw new Refused(INVALID_PARAMS, key + " must be a whole number of at least " + least);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return DisplayText.oneLine(f.getReason(), 200);
        }
        return e.getClass().getSimpleName();
    }
}
