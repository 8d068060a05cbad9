package org.agentchannels.tests.support;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/**
 * OpenCode, a real ACP agent, run fully offline: the binary {@code ./agentchannels test} installs into
 * {@code .tools/}, a configuration whose only provider is a {@link FakeModelServer} on loopback, and an
 * isolated home. Found by measuring what it reaches for: the models list (switched off), the npm install of
 * its plugin package (skipped when the config folder already holds one), ripgrep (taken from the PATH).
 */
public final class OfflineOpenCode {

    private OfflineOpenCode() {
    }

    /**
     * The binary: {@code AGENTCHANNELS_OPENCODE}, else the one under {@code <root>/.tools/}.
     *
     * @throws IllegalStateException when there is none: run {@code ./agentchannels test}, which installs it
     */
    public static Path binary() throws IOException {
        String given = System.getenv("AGENTCHANNELS_OPENCODE");
        if (given != null && Files.isExecutable(Path.of(given))) {
            return Path.of(given);
        }
        Path tools = Path.of(System.getProperty("agentchannels.root", "."), ".tools");
        if (Files.isDirectory(tools)) {
            try (DirectoryStream<Path> installs = Files.newDirectoryStream(tools, "opencode-*")) {
                for (Path install : installs) {
                    Path bin = install.resolve("node_modules/opencode-linux-x64/bin/opencode");
                    if (Files.isExecutable(bin)) {
                        return bin;
                    }
                }
            }
        }
        throw new IllegalStateException("OpenCode is not installed: ./agentchannels test installs it into .tools/"
                + " (or set AGENTCHANNELS_OPENCODE to its binary)");
    }

    /** The launch line: {@code opencode acp}. */
    public static List<String> command() throws IOException {
        return List.of(binary().toString(), "acp");
    }

    /**
     * Writes an isolated home under {@code dir} whose OpenCode configuration points at {@code baseUrl}, with
     * shell commands and edits set to ask for permission, and returns the environment that uses it.
     */
    public static Map<String, String> environment(Path dir, String baseUrl) throws IOException {
        Path home = Files.createDirectories(dir.resolve("home"));
        Path config = Files.createDirectories(home.resolve(".config"));
        Path opencodeConfig = Files.createDirectories(config.resolve("opencode"));
        // with these present OpenCode does not run 'npm install' of its plugin package at every start
        Files.createDirectories(opencodeConfig.resolve("node_modules"));
        Files.writeString(opencodeConfig.resolve("package.json"), "{\"dependencies\":{\"@opencode-ai/plugin\":\"*\"}}");
        Files.writeString(opencodeConfig.resolve("package-lock.json"),
                "{\"lockfileVersion\":3,\"packages\":{\"\":{\"dependencies\":{\"@opencode-ai/plugin\":\"*\"}}}}");
        Path file = dir.resolve("opencode.json");
        Files.writeString(file, configuration(baseUrl).toString());
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", config.toString());
        env.put("XDG_DATA_HOME", Files.createDirectories(home.resolve(".local/share")).toString());
        env.put("XDG_CACHE_HOME", Files.createDirectories(home.resolve(".cache")).toString());
        env.put("XDG_STATE_HOME", Files.createDirectories(home.resolve(".local/state")).toString());
        env.put("OPENCODE_CONFIG", file.toString());
        env.put("OPENCODE_DISABLE_MODELS_FETCH", "1"); // the one switch that matters: else it asks for a models list
        env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
        env.put("OPENCODE_DISABLE_LSP_DOWNLOAD", "1");
        env.put("OPENCODE_DISABLE_DEFAULT_PLUGINS", "1");
        env.put("OPENCODE_DISABLE_SHARE", "1");
        return env;
    }

    private static JsonObject configuration(String baseUrl) {
        JsonObject limit = new JsonObject();
        limit.addProperty("context", 128_000);
        limit.addProperty("output", 4_096);
        JsonObject model = new JsonObject();
        model.addProperty("name", "Fake Model");
        model.addProperty("tool_call", true);
        model.addProperty("reasoning", true);
        model.add("limit", limit);
        JsonObject models = new JsonObject();
        models.add(FakeModelServer.MODEL, model);
        JsonObject options = new JsonObject();
        options.addProperty("baseURL", baseUrl);
        options.addProperty("apiKey", "fake-key");
        JsonObject fake = new JsonObject();
        fake.addProperty("npm", "@ai-sdk/openai-compatible");
        fake.addProperty("name", "Fake");
        fake.add("options", options);
        fake.add("models", models);
        JsonObject provider = new JsonObject();
        provider.add("fake", fake);
        JsonObject permission = new JsonObject();
        permission.addProperty("bash", "ask");
        permission.addProperty("edit", "ask");
        JsonArray enabled = new JsonArray();
        enabled.add("fake");
        JsonObject c = new JsonObject();
        c.add("provider", provider);
        c.addProperty("model", "fake/" + FakeModelServer.MODEL);
        c.addProperty("small_model", "fake/" + FakeModelServer.MODEL);
        c.add("enabled_providers", enabled);
        c.add("permission", permission);
        c.addProperty("autoupdate", false);
        c.addProperty("share", "disabled");
        c.addProperty("lsp", false);
        c.addProperty("formatter", false);
        return c;
    }
}
