import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The screenshots' coding agent (./agentchannels screenshot): an Agent Client Protocol agent on stdin/stdout that
 * plays one scene of a real agent's work, so the chat shows what an agent reports. It offers its commands; a
 * prompt gets a plan, a read that completes, and an edit of Parser.java whose diff it asks permission for; allowed,
 * the edit completes and the plan moves on. Standard library only, run by the JDK's source launcher
 * ({@code java DemoAcpAgent.java}); nothing here is a test.
 */
public class DemoAcpAgent {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+|\"[^\"]*\")");
    static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern OPTION = Pattern.compile("\"optionId\"\\s*:\\s*\"([^\"]+)\"");

    static final String FILE = "/srv/work/parser/src/main/java/demo/Parser.java";
    static final String OLD = "class Parser {\n    private int depth;\n\n    Node parse(String text) {\n"
            + "        depth++;\n        return parseExpression(text, 0);\n    }\n}\n";
    static final String NEW = "class Parser {\n    private static final int MAX_DEPTH = 200;\n    private int depth;\n\n"
            + "    Node parse(String text) {\n        if (++depth > MAX_DEPTH) {\n"
            + "            throw new ParseException(\"nested deeper than \" + MAX_DEPTH);\n        }\n"
            + "        return parseExpression(text, 0);\n    }\n}\n";

    static int prompts;

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        String promptId = null;
        while ((line = in.readLine()) != null) {
            String method = group(METHOD, line);
            String id = group(ID, line);
            switch (method) {
                case "initialize" -> send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":1,"
                        + "\"agentCapabilities\":{\"loadSession\":false},\"authMethods\":[]}}");
                case "session/new" -> {
                    send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"sessionId\":\"demo-1\"}}");
                    update("{\"sessionUpdate\":\"available_commands_update\",\"availableCommands\":["
                            + "{\"name\":\"review\",\"description\":\"Review the changes on a branch\",\"input\":{\"hint\":\"branch\"}},"
                            + "{\"name\":\"test\",\"description\":\"Run the project's tests\",\"input\":null}]}");
                }
                case "session/prompt" -> {
                    promptId = id;
                    scene(++prompts);
                }
                case "session/cancel" -> {
                    if (promptId != null) {
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + promptId + ",\"result\":{\"stopReason\":\"cancelled\"}}");
                        promptId = null;
                    }
                }
                case "" -> { // an answer: the permission asked for the edit
                    if (promptId != null && line.contains("\"perm-" + prompts + "\"")) {
                        boolean allowed = group(OPTION, line).startsWith("allow");
                        update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"edit-" + prompts + "\",\"status\":\""
                                + (allowed ? "completed" : "failed") + "\"}");
                        plan(allowed ? "completed" : "pending", allowed ? "in_progress" : "pending");
                        chunk(allowed ? "The parser now stops at a depth of 200; next, the tests."
                                : "I left Parser.java as it was.");
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + promptId + ",\"result\":{\"stopReason\":\"end_turn\"}}");
                        promptId = null;
                    }
                }
                default -> {
                    if (!id.isEmpty()) {
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"not here\"}}");
                    }
                }
            }
        }
    }

    /** The plan, the read, and the edit waiting for permission. */
    static void scene(int n) {
        chunk("I'll find where the parser recurses and put a limit on it.\n\n");
        plan("in_progress", "pending");
        update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"read-" + n + "\",\"title\":\"Read Parser.java\","
                + "\"kind\":\"read\",\"status\":\"completed\",\"locations\":[{\"path\":\"" + FILE + "\"}]}");
        String diff = "{\"type\":\"diff\",\"path\":\"" + FILE + "\",\"oldText\":\"" + escape(OLD) + "\",\"newText\":\""
                + escape(NEW) + "\"}";
        String edit = "\"toolCallId\":\"edit-" + n + "\",\"title\":\"Edit Parser.java\",\"kind\":\"edit\","
                + "\"status\":\"pending\",\"locations\":[{\"path\":\"" + FILE + "\",\"line\":5}],\"content\":[" + diff + "]";
        update("{\"sessionUpdate\":\"tool_call\"," + edit + "}");
        send("{\"jsonrpc\":\"2.0\",\"id\":\"perm-" + n + "\",\"method\":\"session/request_permission\",\"params\":{"
                + "\"sessionId\":\"demo-1\",\"toolCall\":{" + edit + "},"
                + "\"options\":[{\"optionId\":\"allow\",\"name\":\"Allow once\",\"kind\":\"allow_once\"},"
                + "{\"optionId\":\"allow-all\",\"name\":\"Always allow\",\"kind\":\"allow_always\"},"
                + "{\"optionId\":\"reject\",\"name\":\"Reject\",\"kind\":\"reject_once\"}]}}");
    }

    static void plan(String limit, String tests) {
        update("{\"sessionUpdate\":\"plan\",\"entries\":["
                + "{\"content\":\"Find where the parser recurses\",\"priority\":\"high\",\"status\":\"completed\"},"
                + "{\"content\":\"Limit the nesting depth\",\"priority\":\"high\",\"status\":\"" + limit + "\"},"
                + "{\"content\":\"Run the parser's tests\",\"priority\":\"medium\",\"status\":\"" + tests + "\"}]}");
    }

    static void chunk(String text) {
        update("{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"" + escape(text) + "\"}}");
    }

    static void update(String update) {
        send("{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"demo-1\",\"update\":" + update + "}}");
    }

    static void send(String line) {
        System.out.print(line + "\n");
        System.out.flush();
    }

    static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? m.group(1) : "";
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
