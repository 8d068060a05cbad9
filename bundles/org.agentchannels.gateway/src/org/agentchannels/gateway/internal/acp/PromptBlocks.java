package org.agentchannels.gateway.internal.acp;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.agentchannels.core.protocol.PromptContext;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * A prompt's text as the content blocks of {@code session/prompt}. For an agent that accepts embedded context,
 * each {@link PromptContext} block becomes a resource (its file's URI, its text) between text blocks of what was
 * typed; for any other agent the prompt is one text block, the context fenced in it as it was written.
 */
final class PromptBlocks {

    private PromptBlocks() {
    }

    /**
     * @param cwd the session's directory: a relative path in a context names a file there (the sender's project
     *        and the session's checkout are the same tree as far as the agent can know)
     */
    static JsonArray of(String text, boolean embeddedContext, Path cwd) {
        JsonArray blocks = new JsonArray();
        if (!embeddedContext || !PromptContext.hasContext(text)) {
            blocks.add(textBlock(text));
            return blocks;
        }
        for (PromptContext.Part part : PromptContext.split(text)) {
            switch (part) {
                case PromptContext.TextPart t -> blocks.add(textBlock(t.text()));
                case PromptContext.ContextPart c -> {
                    String uri = uri(c.context().path(), cwd);
                    blocks.add(uri == null ? textBlock(c.context().fenced()) : resourceBlock(c.context(), uri));
                }
            }
        }
        return blocks;
    }

    private static JsonObject textBlock(String text) {
        JsonObject block = new JsonObject();
        block.addProperty("type", "text");
        block.addProperty("text", text);
        return block;
    }

    private static JsonObject resourceBlock(PromptContext context, String uri) {
        JsonObject resource = new JsonObject();
        resource.addProperty("uri", context.isRange() ? uri + "#L" + context.firstLine() + "-L" + context.lastLine() : uri);
        resource.addProperty("text", context.text());
        resource.addProperty("mimeType", "text/plain");
        JsonObject block = new JsonObject();
        block.addProperty("type", "resource");
        block.add("resource", resource);
        return block;
    }

    /** The file's URI: an absolute path as it is, a relative one in {@code cwd}; {@code null} when it is no path. */
    private static String uri(String path, Path cwd) {
        try {
            Path p = Path.of(path);
            Path absolute = p.isAbsolute() || cwd == null ? p : cwd.toAbsolutePath().resolve(p);
            return absolute.isAbsolute() ? absolute.normalize().toUri().toString() : null;
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
