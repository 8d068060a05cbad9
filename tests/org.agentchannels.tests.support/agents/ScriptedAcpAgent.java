import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted Agent Client Protocol agent for tests: started as its own process (java ScriptedAcpAgent.java
 * SCENARIO), it speaks ACP v1 on stdin/stdout as a real agent would, and plays one scenario. Standard library
 * only, so the JDK's source launcher runs it with no class path.
 *
 * Scenarios: text, tool, crash, garbage, hang-init, slow, auth, auth-bare, refusal, ignore-eof, flood, pwd,
 * updates, permission-edit, fs, and the ones that keep their sessions across restarts (in .scripted-agent/ of the
 * directory they run in, one file per session with a line per turn): load-before and load-after (session/load,
 * its replay before or after its answer), load-missing (session/load offered, but it never finds the session),
 * resume-only (session/resume, no replay), no-load (neither: a new session each start); each of them exits at
 * the prompt "crash". slow-init answers initialize only once .scripted-agent/release-init exists; auth (which
 * offers a sign-in method) and auth-bare (which offers none) refuse sessions until .scripted-agent/signed-in does.
 * fs asks its client for files: the prompt "capabilities" is answered with the fs and terminal capabilities the
 * client offered in initialize; any other prompt is "METHOD {PARAMS}" (fs/read_text_file, fs/write_text_file),
 * sent to the client as a request (its own sessionId added unless PARAMS names one), and the client's whole
 * answer line is the turn's answer. context accepts embedded context and answers with the types of the prompt's
 * content blocks and the URIs of its resources ("blocks: text resource uri=file:///...").
 */
public class ScriptedAcpAgent {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+|\"[^\"]*\")");
    static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern TEXT = Pattern.compile("\"text\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern BLOCK = Pattern.compile("\"type\"\\s*:\\s*\"(text|resource|resource_link|image)\"");
    static final Pattern URI = Pattern.compile("\"uri\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern OPTION = Pattern.compile("\"optionId\"\\s*:\\s*\"([^\"]+)\"");
    static final Pattern CWD = Pattern.compile("\"cwd\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern SESSION = Pattern.compile("\"sessionId\"\\s*:\\s*\"([^\"]*)\"");
    static final Pattern READ_CAPABILITY = Pattern.compile("\"readTextFile\"\\s*:\\s*(true|false)");
    static final Pattern WRITE_CAPABILITY = Pattern.compile("\"writeTextFile\"\\s*:\\s*(true|false)");
    static final Pattern TERMINAL_CAPABILITY = Pattern.compile("\"terminal\"\\s*:\\s*(true|false)");
    static final java.nio.file.Path STATE = java.nio.file.Path.of(System.getProperty("user.dir"), ".scripted-agent");

    static final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    static volatile boolean cancelled;
    static String scenario;
    static int prompts;
    static String sessionCwd = "";
    /** The last session/prompt as it arrived, for the context scenario. */
    static String promptLine = "";
    /** What the client offered in initialize, as the fs scenario reports it. */
    static String clientCapabilities = "";
    /** The session of the scenarios that keep theirs, and its earlier turns: "prompt\tanswer" each. */
    static String sessionId = "scripted-1";
    static java.util.List<String> turns = new java.util.ArrayList<>();

    public static void main(String[] args) throws Exception {
        scenario = args.length > 0 ? args[0] : "text";
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.contains("\"session/cancel\"")) {
                        cancelled = true;
                    }
                    inbox.put(line);
                }
            } catch (Exception e) {
                // stdin gone
            }
            try {
                inbox.put("EOF");
            } catch (InterruptedException e) {
                // ending
            }
        });
        reader.setDaemon(true);
        reader.start();
        while (true) {
            String line = inbox.take();
            if (line.equals("EOF")) {
                if (scenario.equals("ignore-eof")) {
                    Thread.sleep(60_000); // an agent that does not exit when its input closes
                }
                return;
            }
            String method = group(METHOD, line);
            String id = group(ID, line);
            switch (method) {
                case "initialize" -> {
                    clientCapabilities = "readTextFile=" + group(READ_CAPABILITY, line) + " writeTextFile="
                            + group(WRITE_CAPABILITY, line) + " terminal=" + group(TERMINAL_CAPABILITY, line);
                    if (scenario.equals("slow-init")) {
                        while (!java.nio.file.Files.exists(STATE.resolve("release-init"))) {
                            Thread.sleep(20);
                        }
                    }
                    if (!scenario.equals("hang-init")) {
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"protocolVersion\":1,"
                                + "\"agentCapabilities\":" + capabilities() + ",\"authMethods\":" + authMethods() + "}}");
                    }
                }
                case "session/new" -> {
                    sessionCwd = group(CWD, line);
                    if (scenario.startsWith("auth") && !java.nio.file.Files.exists(STATE.resolve("signed-in"))) {
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32000,"
                                + "\"message\":\"Authentication required: run 'scripted login' on this machine\"}}");
                    } else {
                        if (keepsSessions()) {
                            sessionId = "scripted-" + Long.toHexString(System.nanoTime());
                            turns = new java.util.ArrayList<>();
                        }
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"sessionId\":\"" + sessionId + "\"}}");
                        if (scenario.equals("updates")) { // as OpenCode does: its commands before any prompt
                            commands("{\"name\":\"init\",\"description\":\"Write AGENTS.md\",\"input\":null},"
                                    + "{\"name\":\"review\",\"description\":\"Review changes\",\"input\":{\"hint\":\"a branch\"}}");
                        }
                    }
                }
                case "session/load", "session/resume" -> reopen(method, id, line);
                case "session/prompt" -> {
                    promptLine = line;
                    prompt(id, unescape(group(TEXT, line)));
                }
                case "session/cancel" -> {
                    // seen by the reader; a turn in progress answers "cancelled"
                }
                default -> {
                    if (!id.isEmpty() && !method.isEmpty()) {
                        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32601,\"message\":\"no\"}}");
                    }
                }
            }
        }
    }

    static void prompt(String id, String text) throws Exception {
        prompts++;
        cancelled = false;
        if (keepsSessions() && text.equals("crash")) {
            System.err.println("scripted agent: told to crash");
            System.exit(3); // its session's file keeps the turns before this one
        }
        switch (scenario) {
            case "tool" -> toolTurn(id, text);
            case "crash" -> {
                chunk("agent_message_chunk", "half an answer");
                System.err.println("scripted agent: starting up");
                System.err.println("fatal: the model exploded");
                System.err.flush();
                System.exit(3);
            }
            case "garbage" -> {
                send("this is not json");
                send("[1,2,3]");
                send("{\"jsonrpc\":\"2.0\",\"id\":999,\"result\":{}}");
                send("x".repeat(9 * 1024 * 1024));
                chunk("agent_message_chunk", "still here");
                end(id, "end_turn");
            }
            case "slow" -> {
                for (int i = 0; i < 600 && !cancelled; i++) {
                    chunk("agent_message_chunk", "word" + i + " ");
                    Thread.sleep(50);
                }
                end(id, cancelled ? "cancelled" : "end_turn");
            }
            case "refusal" -> end(id, "refusal");
            case "pwd" -> {
                chunk("agent_message_chunk", "session/new cwd " + sessionCwd + ", process in " + System.getProperty("user.dir"));
                end(id, "end_turn");
            }
            case "flood" -> flood(id, text);
            case "updates" -> updatesTurn(id, text);
            case "permission-edit" -> permissionEditTurn(id);
            case "fs" -> fileTurn(id, text);
            case "context" -> {
                StringBuilder said = new StringBuilder("blocks:");
                Matcher block = BLOCK.matcher(promptLine);
                while (block.find()) {
                    said.append(' ').append(block.group(1));
                }
                Matcher uri = URI.matcher(promptLine);
                while (uri.find()) {
                    said.append(" uri=").append(uri.group(1));
                }
                chunk("agent_message_chunk", said.toString());
                end(id, "end_turn");
            }
            default -> {
                int turn = keepsSessions() ? turns.size() + 1 : prompts;
                chunk("agent_thought_chunk", "thinking about it");
                chunk("agent_message_chunk", "You said: ");
                chunk("agent_message_chunk", text + " (turn " + turn + ")");
                if (keepsSessions()) {
                    turns.add(text.replace("\t", " ") + "\t" + "You said: " + text + " (turn " + turn + ")");
                    java.nio.file.Files.createDirectories(STATE);
                    java.nio.file.Files.write(STATE.resolve(sessionId), turns);
                }
                end(id, "end_turn");
            }
        }
    }

    static boolean keepsSessions() {
        return scenario.startsWith("load-") || scenario.equals("resume-only") || scenario.equals("no-load");
    }

    static String capabilities() {
        return switch (scenario) {
            case "load-before", "load-after", "load-missing" -> "{\"loadSession\":true}";
            case "resume-only" -> "{\"loadSession\":false,\"sessionCapabilities\":{\"resume\":{}}}";
            case "context" -> "{\"loadSession\":false,\"promptCapabilities\":{\"embeddedContext\":true}}";
            default -> "{\"loadSession\":false}";
        };
    }

    static String authMethods() {
        return scenario.equals("auth") ? "[{\"id\":\"scripted-login\",\"name\":\"Scripted login\","
                + "\"description\":\"Run 'scripted login' in a terminal\"}]" : "[]";
    }

    /** session/load (replaying the earlier turns before or after its answer) and session/resume (no replay). */
    static void reopen(String method, String id, String line) throws Exception {
        String asked = group(SESSION, line);
        java.nio.file.Path file = STATE.resolve(asked);
        if (scenario.equals("load-missing") || asked.isEmpty() || !java.nio.file.Files.exists(file)) {
            send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32002,\"message\":\"no session " + asked + "\"}}");
            return;
        }
        sessionId = asked;
        sessionCwd = group(CWD, line);
        turns = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(file));
        boolean replayFirst = scenario.equals("load-before");
        if (method.equals("session/load") && replayFirst) {
            replay();
        }
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{}}");
        if (method.equals("session/load") && !replayFirst) {
            replay();
        }
    }

    /** Every earlier turn again, as a load replays it: the prompt, the reasoning, a tool call, the answer. */
    static void replay() {
        int n = 0;
        for (String turn : turns) {
            String[] parts = turn.split("\t", 2);
            n++;
            chunk("user_message_chunk", parts[0]);
            chunk("agent_thought_chunk", "thinking about it");
            send(update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"replayed-" + n + "\",\"title\":\"Replayed tool "
                    + n + "\",\"kind\":\"read\",\"status\":\"completed\"}"));
            chunk("agent_message_chunk", parts.length > 1 ? parts[1] : "");
        }
    }

    /** A tool call that needs permission: allowed, it completes; rejected, the agent says so; cancelled, the turn ends. */
    static void toolTurn(String id, String text) throws Exception {
        String call = "call-" + prompts;
        send(update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"" + call + "\",\"title\":\"Run " + text
                + "\",\"kind\":\"execute\",\"status\":\"pending\",\"locations\":[{\"path\":\"/work/project\"}]}"));
        String permission = "\"perm-" + prompts + "\"";
        send("{\"jsonrpc\":\"2.0\",\"id\":" + permission + ",\"method\":\"session/request_permission\",\"params\":{"
                + "\"sessionId\":\"scripted-1\",\"toolCall\":{\"toolCallId\":\"" + call + "\",\"title\":\"Run " + text + "\"},"
                + "\"options\":[{\"optionId\":\"allow\",\"name\":\"Allow once\",\"kind\":\"allow_once\"},"
                + "{\"optionId\":\"allow-all\",\"name\":\"Always allow\",\"kind\":\"allow_always\"},"
                + "{\"optionId\":\"reject\",\"name\":\"Reject\",\"kind\":\"reject_once\"}]}}");
        String answer = answerTo(permission);
        if (answer.contains("\"cancelled\"")) {
            end(id, "cancelled"); // as some agents do, without a word more about the call: the gateway ends it
            return;
        }
        String option = group(OPTION, answer);
        if (option.startsWith("allow")) {
            send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"" + call + "\",\"status\":\"completed\"}"));
            chunk("agent_message_chunk", "ran it (" + option + ")");
        } else {
            send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"" + call + "\",\"status\":\"failed\"}"));
            chunk("agent_message_chunk", "did not run it");
        }
        end(id, "end_turn");
    }

    /**
     * Every kind of session/update in one turn: the prompt echoed, a plan revised, a read that completes with its
     * output, an edit whose diff is shown and that fails, a mode change (twice) and a kind no client knows, usage,
     * a title, and the commands changed mid-turn on the second prompt. The call ids are the same every turn, as
     * some agents' are.
     */
    static void updatesTurn(String id, String text) throws Exception {
        chunk("user_message_chunk", text);
        send(update("{\"sessionUpdate\":\"plan\",\"entries\":[{\"content\":\"Read a.txt\",\"priority\":\"high\","
                + "\"status\":\"in_progress\"},{\"content\":\"Edit a.txt\",\"priority\":\"medium\",\"status\":\"pending\"}]}"));
        send(update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"read\",\"title\":\"Read a.txt\",\"kind\":\"read\","
                + "\"status\":\"pending\",\"locations\":[{\"path\":\"/work/a.txt\",\"line\":3}]}"));
        send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"read\",\"status\":\"in_progress\"}"));
        send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"read\",\"status\":\"completed\","
                + "\"content\":[{\"type\":\"content\",\"content\":{\"type\":\"text\",\"text\":\"line 1\\nline 2\"}}]}"));
        send(update("{\"sessionUpdate\":\"tool_call\",\"toolCallId\":\"edit\",\"title\":\"Edit a.txt\",\"kind\":\"edit\","
                + "\"status\":\"pending\",\"locations\":[{\"path\":\"/work/a.txt\"}]}"));
        send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"edit\",\"status\":\"in_progress\","
                + "\"content\":[{\"type\":\"diff\",\"path\":\"/work/a.txt\",\"oldText\":\"line 1\\nline 2\\n\","
                + "\"newText\":\"line 1\\nline two\\n\"}]}"));
        send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"edit\",\"status\":\"failed\","
                + "\"content\":[{\"type\":\"content\",\"content\":{\"type\":\"text\",\"text\":\"a.txt is read-only\"}},"
                + "{\"type\":\"diff\",\"path\":\"/work/a.txt\",\"oldText\":\"line 1\\nline 2\\n\",\"newText\":\"line 1\\nline two\\n\"}]}"));
        send(update("{\"sessionUpdate\":\"plan\",\"entries\":[{\"content\":\"Read a.txt\",\"priority\":\"high\","
                + "\"status\":\"completed\"},{\"content\":\"Edit a.txt\",\"priority\":\"medium\",\"status\":\"completed\"}]}"));
        send(update("{\"sessionUpdate\":\"current_mode_update\",\"currentModeId\":\"code\"}"));
        send(update("{\"sessionUpdate\":\"current_mode_update\",\"currentModeId\":\"ask\"}"));
        send(update("{\"sessionUpdate\":\"future_kind_update\",\"anything\":[1,2,{\"x\":null}]}"));
        send(update("{\"sessionUpdate\":\"usage_update\",\"used\":1200,\"size\":200000}"));
        send(update("{\"sessionUpdate\":\"session_info_update\",\"title\":\"Edited a.txt (turn " + prompts + ")\"}"));
        if (prompts == 2) {
            commands("{\"name\":\"compact\",\"description\":\"Compact the session\"}");
        }
        chunk("agent_message_chunk", "done " + prompts);
        end(id, "end_turn");
    }

    /** An edit first described inside its permission request (with its diff), then completed once allowed. */
    static void permissionEditTurn(String id) throws Exception {
        String permission = "\"perm-" + prompts + "\"";
        send("{\"jsonrpc\":\"2.0\",\"id\":" + permission + ",\"method\":\"session/request_permission\",\"params\":{"
                + "\"sessionId\":\"scripted-1\",\"toolCall\":{\"toolCallId\":\"edit-" + prompts + "\",\"title\":\"Edit b.txt\","
                + "\"kind\":\"edit\",\"status\":\"pending\",\"locations\":[{\"path\":\"/work/b.txt\"}],"
                + "\"content\":[{\"type\":\"diff\",\"path\":\"/work/b.txt\",\"oldText\":null,\"newText\":\"new file\\n\"}]},"
                + "\"options\":[{\"optionId\":\"allow\",\"name\":\"Allow once\",\"kind\":\"allow_once\"},"
                + "{\"optionId\":\"reject\",\"name\":\"Reject\",\"kind\":\"reject_once\"}]}}");
        String answer = answerTo(permission);
        boolean allowed = group(OPTION, answer).equals("allow");
        send(update("{\"sessionUpdate\":\"tool_call_update\",\"toolCallId\":\"edit-" + prompts + "\",\"status\":\""
                + (allowed ? "completed" : "failed") + "\"}"));
        chunk("agent_message_chunk", allowed ? "created b.txt" : "left b.txt alone");
        end(id, "end_turn");
    }

    /** "capabilities", or "METHOD {PARAMS}": one request to the client, whose answer line is the turn's answer. */
    static void fileTurn(String id, String text) throws Exception {
        if (text.equals("capabilities")) {
            chunk("agent_message_chunk", clientCapabilities);
            end(id, "end_turn");
            return;
        }
        int space = text.indexOf(' ');
        String method = text.substring(0, space);
        String params = text.substring(space + 1).strip();
        if (!params.contains("\"sessionId\"")) {
            String rest = params.substring(1).strip();
            params = "{\"sessionId\":\"" + sessionId + "\"" + (rest.equals("}") ? "" : ",") + rest;
        }
        String request = "\"fs-" + prompts + "\"";
        send("{\"jsonrpc\":\"2.0\",\"id\":" + request + ",\"method\":\"" + method + "\",\"params\":" + params + "}");
        String answer = answerTo(request);
        chunk("agent_message_chunk", answer);
        end(id, "end_turn");
    }

    /** The client's answer to our request {@code id} (as it is written: quoted when a string); exits at the end of input. */
    static String answerTo(String id) throws InterruptedException {
        while (true) {
            String line = inbox.poll(100, TimeUnit.MILLISECONDS);
            if (line == null) {
                continue;
            }
            if (line.equals("EOF")) {
                System.exit(0);
            }
            if (line.contains("\"id\":" + id) && !line.contains("\"method\"")) {
                return line;
            }
        }
    }

    static void commands(String list) {
        send(update("{\"sessionUpdate\":\"available_commands_update\",\"availableCommands\":[" + list + "]}"));
    }

    /**
     * "COUNT RATE": COUNT answer chunks, RATE a second (0: as fast as it can), each the wall-clock time it was
     * written in microseconds ("t1733090000123456 "), for the benchmark's latency.
     */
    static void flood(String id, String text) throws Exception {
        String[] words = text.strip().split("\\s+");
        int count = Integer.parseInt(words[0]);
        int rate = words.length > 1 ? Integer.parseInt(words[1]) : 0;
        long interval = rate > 0 ? 1_000_000_000L / rate : 0;
        long next = System.nanoTime();
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < count && !cancelled; i++) {
            while (rate > 0 && System.nanoTime() < next) {
                java.util.concurrent.locks.LockSupport.parkNanos(Math.max(1, (next - System.nanoTime()) / 2));
            }
            java.time.Instant now = java.time.Instant.now();
            String line = update("{\"sessionUpdate\":\"agent_message_chunk\",\"content\":{\"type\":\"text\",\"text\":\"t"
                    + (now.getEpochSecond() * 1_000_000L + now.getNano() / 1000) + " \"}}");
            if (rate > 0) {
                send(line);
            } else {
                batch.append(line).append('\n'); // as fast as it can: written in large pieces, as a busy agent's pipe is
                if (batch.length() > 60_000) {
                    System.out.print(batch);
                    batch.setLength(0);
                }
            }
            next += interval;
        }
        System.out.print(batch);
        System.out.flush();
        end(id, "end_turn");
    }

    static void chunk(String kind, String text) {
        send(update("{\"sessionUpdate\":\"" + kind + "\",\"content\":{\"type\":\"text\",\"text\":\"" + escape(text) + "\"}}"));
    }

    static String update(String update) {
        return "{\"jsonrpc\":\"2.0\",\"method\":\"session/update\",\"params\":{\"sessionId\":\"" + sessionId + "\",\"update\":"
                + update + "}}";
    }

    static void end(String id, String stopReason) {
        send("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"result\":{\"stopReason\":\"" + stopReason + "\"}}");
    }

    static synchronized void send(String line) {
        System.out.print(line + "\n");
        System.out.flush();
    }

    static String group(Pattern p, String line) {
        Matcher m = p.matcher(line);
        return m.find() ? m.group(1) : "";
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    /** A JSON string's content, its escapes read. */
    static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        return b.toString();
    }
}
