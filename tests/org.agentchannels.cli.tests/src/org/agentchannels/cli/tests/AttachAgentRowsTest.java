package org.agentchannels.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PipedReader;
import java.io.PipedWriter;
import java.io.Reader;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agentchannels.cli.AgentChannelsCli.Exit;
import org.agentchannels.cli.Terminal;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.PlanEntry;
import org.agentchannels.core.protocol.SlashCommand;
import org.agentchannels.core.protocol.ToolCall;
import org.agentchannels.tests.support.Await;
import org.agentchannels.tests.support.FakeSessionHost;
import org.agentchannels.tests.support.ScriptedGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What {@code attach} prints of an agent's tool rows, plans and commands, and an approval asked at the terminal,
 * against a scripted gateway.
 */
class AttachAgentRowsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ID = "a0b0c000";

    @RegisterExtension
    final CliRun cli = new CliRun();

    private ScriptedGateway local;
    private FakeSessionHost host;
    private FakeSessionHost.HostedSession session;

    private volatile Runnable turn = () -> {
    };

    private void gateway() throws Exception {
        local = cli.track(new ScriptedGateway().deviceName("laptop"));
        host = new FakeSessionHost(local, true);
        local.start();
        session = host.add(ID, "20261124_120000_abcdef");
        ScriptedGateway.Handler submit = local.handler("prompt.submit");
        local.handle("prompt.submit", (peer, request) -> {
            var result = submit.handle(peer, request);
            new Thread(turn).start();
            return result;
        });
    }

    /** What the session's agent does once a prompt is submitted, on a thread of its own. */
    private void onPrompt(Runnable agent) {
        turn = agent;
    }

    private static final ToolCall.Diff DIFF = new ToolCall.Diff("/w/a.txt", "line 1\nline 2\n", "line 1\nline two\n");

    private static ToolCall call(String id, String kind, String content, List<ToolCall.Diff> diffs) {
        return new ToolCall(id, kind, content, diffs, List.of(new ToolCall.Location("/w/a.txt", 0)), false);
    }

    /** A turn of every agent row: commands, a plan revised, a read that completes, an edit that fails. */
    private void agentTurn() {
        host.emit(session, new GatewayEvent.SessionCommands(List.of(new SlashCommand("init", "Write AGENTS.md", ""),
                new SlashCommand("review", "Review changes", "a branch"))));
        host.emit(session, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read a.txt", "high", "in_progress"),
                new PlanEntry("Edit a.txt", "", "pending"))));
        host.emit(session, new GatewayEvent.ToolStart("read", "Read a.txt", "read: /w/a.txt", ToolCall.PENDING,
                call("read", "read", "", List.of())));
        host.emit(session, new GatewayEvent.ToolUpdate("read", "Read a.txt", "read: /w/a.txt", ToolCall.IN_PROGRESS,
                call("read", "read", "", List.of())));
        host.emit(session, new GatewayEvent.ToolUpdate("read", "Read a.txt", "read: /w/a.txt", ToolCall.COMPLETED,
                call("read", "read", "line 1\nline 2", List.of())));
        host.emit(session, new GatewayEvent.ToolStart("edit", "Edit a.txt", "edit: /w/a.txt", ToolCall.PENDING,
                call("edit", "edit", "", List.of(DIFF))));
        host.emit(session, new GatewayEvent.ToolUpdate("edit", "Edit a.txt", "edit: /w/a.txt", ToolCall.FAILED,
                call("edit", "edit", "a.txt is read-only", List.of(DIFF))));
        host.emit(session, new GatewayEvent.PlanUpdate(List.of(new PlanEntry("Read a.txt", "high", "completed"),
                new PlanEntry("Edit a.txt", "", "completed"))));
        host.delta(ID, "could not edit it");
        host.complete(ID, "", "complete");
    }

    @Test
    void attachPrintsToolRowsAsTheyStartAndChangeWithTheirDiffsAndOutputPlansAndTheCommandsOffered() throws Exception {
        gateway();
        onPrompt(this::agentTurn);
        assertEquals(Exit.OK, cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "edit a"), cli.err());
        String printed = cli.out();
        String expected = """
                commands: /init, /review <a branch>
                plan:
                  [~] Read a.txt
                  [ ] Edit a.txt
                tool Read a.txt [pending]: read: /w/a.txt
                tool Read a.txt [in progress]: read: /w/a.txt
                tool Read a.txt [completed]: read: /w/a.txt
                  line 1
                  line 2
                tool Edit a.txt [pending]: edit: /w/a.txt
                  --- /w/a.txt
                  +++ /w/a.txt
                  @@ -1,2 +1,2 @@
                   line 1
                  -line 2
                  +line two
                tool Edit a.txt [failed]: edit: /w/a.txt
                  a.txt is read-only
                plan:
                  [x] Read a.txt
                  [x] Edit a.txt
                assistant: could not edit it
                """;
        assertTrue(printed.endsWith(expected), printed);
        assertEquals(1, printed.split("--- /w/a.txt", -1).length - 1, "a diff printed again only when it changes");

        // --json: the structured rows, and the commands
        onPrompt(this::agentTurn);
        assertEquals(Exit.OK, cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "again", "--json"), cli.err());
        JsonObject json = JsonParser.parseString(cli.out()).getAsJsonObject();
        List<JsonObject> messages = Json.objects(json, "messages");
        JsonObject edit = messages.stream().filter(m -> Json.text(m, "tool_id").equals("edit")).findFirst().orElseThrow();
        assertEquals(ToolCall.FAILED, Json.text(edit, "status"));
        assertEquals("line two", Json.text(Json.objects(edit, "diffs").get(0), "new").lines().toList().get(1));
        JsonObject plan = messages.stream().filter(m -> Json.text(m, "role").equals("plan")).findFirst().orElseThrow();
        assertEquals(2, Json.objects(plan, "entries").size());
        assertEquals("review", Json.text(Json.objects(json, "commands").get(1), "name"));
    }

    /** A terminal the test types at. */
    private static final class TypedTerminal implements Terminal, AutoCloseable {
        final PipedWriter keys = new PipedWriter();
        private final PipedReader input;

        TypedTerminal() throws IOException {
            input = new PipedReader(keys);
        }

        @Override
        public boolean isInteractive() {
            return true;
        }

        @Override
        public Reader input() {
            return input;
        }

        void type(String line) throws IOException {
            keys.write(line + "\n");
            keys.flush();
        }

        /** The end of the input: its reader's thread ends. */
        @Override
        public void close() throws IOException {
            keys.close();
        }
    }

    private static final InputRequest APPROVAL = new InputRequest(InputRequest.Kind.APPROVAL, ID, "q1", "Run ls",
            List.of("Allow once", "Always allow", "Reject"), false, null);

    @Test
    void onATerminalAnApprovalIsAskedWithItsOptionsNumberedAndTheAnswerSent() throws Exception {
        gateway();
        TypedTerminal terminal = cli.track(new TypedTerminal());
        cli.terminal(terminal);
        onPrompt(() -> host.emit(session, new GatewayEvent.InputRequested(APPROVAL)));
        local.handle("approval.respond", (peer, request) -> {
            String choice = request.params().get("choice").getAsString();
            new Thread(() -> {
                host.emit(session, new GatewayEvent.InputResolved("q1", "laptop", choice));
                host.delta(ID, "ran it: " + choice);
                host.complete(ID, "", "complete");
            }).start();
            return JsonParser.parseString("{\"resolved\":true}");
        });
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "list it"));
        Await.until("the question", WAIT, () -> cli.out().contains("answer (1-3): "));
        assertTrue(cli.out().contains("""
                approval: Run ls
                  1. Allow once
                  2. Always allow
                  3. Reject
                answer (1-3): """), cli.out());
        terminal.type("7");
        Await.until("asked again", WAIT, () -> cli.out().contains("answer with a number from 1 to 3\nanswer (1-3): "));
        terminal.type("2");
        assertEquals(Exit.OK, run.get(WAIT.toSeconds(), TimeUnit.SECONDS), cli.err());
        assertTrue(cli.out().contains("answered: Always allow"), cli.out());
        assertTrue(cli.out().contains("assistant: ran it: Always allow"), cli.out());
        assertEquals(List.of("Always allow"),
                local.requests("approval.respond").stream().map(r -> r.params().get("choice").getAsString()).toList());
    }

    @Test
    void anotherDeviceAnsweringFirstWithdrawsTheQuestionAndWhatIsTypedAfterAnswersNothing() throws Exception {
        gateway();
        TypedTerminal terminal = cli.track(new TypedTerminal());
        cli.terminal(terminal);
        onPrompt(() -> host.emit(session, new GatewayEvent.InputRequested(APPROVAL)));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(
                () -> cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "list it"));
        Await.until("the question", WAIT, () -> cli.out().contains("answer (1-3): "));
        host.emit(session, new GatewayEvent.InputResolved("q1", "phone", "Allow once"));
        Await.until("withdrawn", WAIT, () -> cli.out().contains("(answered on phone: Allow once)"));
        terminal.type("1");
        Await.until("the line taken for no answer", WAIT, () -> cli.out().contains("(no question is waiting for an answer)"));
        host.complete(ID, "done", "complete");
        assertEquals(Exit.OK, run.get(WAIT.toSeconds(), TimeUnit.SECONDS), cli.err());
        assertTrue(local.requests("approval.respond").isEmpty(), "nothing was answered from here");
    }

    @Test
    void withoutATerminalOrWithApproveNothingIsAsked() throws Exception {
        gateway();
        TypedTerminal terminal = cli.track(new TypedTerminal());
        onPrompt(() -> {
            host.emit(session, new GatewayEvent.InputRequested(APPROVAL));
            host.complete(ID, "left it", "complete");
        });
        assertEquals(Exit.OK, cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "list it"), cli.err());
        assertTrue(cli.out().contains("approval: Run ls [Allow once / Always allow / Reject]\n"
                + "(waiting for an answer from another device; --approve once|always|reject answers here)"), cli.out());
        assertFalse(cli.out().contains("answer (1-3)"), cli.out());

        cli.terminal(terminal); // a terminal, but --json: its output is for a program
        assertEquals(Exit.OK, cli.run("attach", ID, "--gateway", local.endpoint(), "--send", "again", "--json"), cli.err());
        assertFalse(cli.out().contains("answer (1-3)"), cli.out());
        assertTrue(local.requests("approval.respond").isEmpty());
    }
}
