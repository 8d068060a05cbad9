package org.agentchannels.ui.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.agentchannels.connector.AttachedSession;
import org.agentchannels.connector.GatewayConnectors;
import org.agentchannels.connector.StandaloneGatewayConnector;
import org.agentchannels.connector.GatewayConnection;
import org.agentchannels.connector.InMemoryTokenStore;
import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.gateway.Gateway;
import org.agentchannels.gateway.GatewayOptions;
import org.agentchannels.gateway.agent.Agent;
import org.agentchannels.tests.support.NoErrorLoggedExtension;
import org.agentchannels.tests.support.ConnectorExtension;
import org.agentchannels.tests.gateway.GatewayProcess;
import org.agentchannels.ui.AgentChannelsUi;
import org.agentchannels.ui.internal.chat.ChatEditor;
import org.agentchannels.ui.internal.preferences.PairedGatewaysPreferencePage;
import org.agentchannels.ui.internal.views.LiveSessionsView;
import org.agentchannels.core.protocol.TranscriptRow;
import org.eclipse.jface.preference.PreferenceDialog;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Test;

/**
 * The workbench against real gateways: the Live view follows a presence folder, opening a row attaches and
 * shows the transcript and the stream, a prompt typed in the chat reaches the gateway from this device, and
 * a long stream never blocks the UI thread.
 */
@SuppressWarnings("resource") // closed by WorkbenchTestCase
@ExtendWith(NoErrorLoggedExtension.class)
class LiveAndChatTest extends WorkbenchTestCase {

    @RegisterExtension
    final UiWatchdog watchdog = new UiWatchdog();

    private LiveSessionsView openLiveView() throws Exception {
        return (LiveSessionsView) Ui.page().showView(AgentChannelsUi.LIVE_VIEW_ID);
    }

    private static String record(String sessionId, String title, String host, String endpoint, String status, double expiresIn) {
        double now = System.currentTimeMillis() / 1000.0;
        return "{\"version\":1,\"session_id\":\"" + sessionId + "\",\"session_key\":\"k-" + sessionId + "\",\"status\":\""
                + status + "\",\"title\":\"" + title + "\",\"model\":\"echo\",\"endpoint\":\"" + endpoint + "\",\"host\":\""
                + host + "\",\"updated_at\":" + now + ",\"expires_at\":" + (now + expiresIn) + "}";
    }

    private void write(String name, String text) throws Exception {
        Path tmp = presence.resolve("." + name + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, presence.resolve(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void theLiveViewShowsRowsFromThePresenceFolderAndFollowsThemAsTheyChangeAndExpire() throws Exception {
        LiveSessionsView view = openLiveView();
        Ui.await("the empty state", view::isShowingEmptyState);
        write("desk-1.a1.json", record("a1", "Refactor the parser", "desk", "ws://127.0.0.1:9/api/ws", "working", 90));
        write("box-1.b1.json", record("b1", "Nightly build", "buildbox", "ws://127.0.0.1:8/api/ws", "waiting", 4));
        Ui.await("two rows under their devices", () -> !view.isShowingEmptyState() && sessionLabels(view).size() == 2);
        List<String> devices = new ArrayList<>();
        for (TreeItem item : view.viewer().getTree().getItems()) {
            devices.add(item.getText());
        }
        assertTrue(devices.stream().anyMatch(d -> d.startsWith("desk")) && devices.stream().anyMatch(d -> d.startsWith("buildbox")),
                devices.toString());
        assertTrue(sessionLabels(view).stream().anyMatch(l -> l.startsWith("Nightly build") && l.contains("Needs input")),
                sessionLabels(view).toString());

        // a screen reader hears each status mark in words
        TreeItem parser = findItem(view, "Refactor the parser");
        String spoken = view.accessibleName(parser.getData());
        assertTrue(spoken.startsWith("Refactor the parser") && spoken.endsWith(", Working"), spoken);
        String waiting = view.accessibleName(findItem(view, "Nightly build").getData());
        assertTrue(waiting.endsWith(", Needs input"), waiting);

        // select a row; a change of another record must not lose the selection
        view.viewer().getTree().setSelection(parser);
        write("desk-1.a1.json", record("a1", "Refactor the parser, part 2", "desk", "ws://127.0.0.1:9/api/ws", "working", 90));
        Ui.await("the new title", () -> sessionLabels(view).stream().anyMatch(l -> l.startsWith("Refactor the parser, part 2")));
        assertEquals(1, view.viewer().getTree().getSelectionCount());
        assertTrue(view.viewer().getTree().getSelection()[0].getText().startsWith("Refactor the parser, part 2"));

        view.filter().setText("nightly");
        Ui.await("the filter", () -> sessionLabels(view).size() == 1);
        view.filter().setText("");
        Ui.await("no filter", () -> sessionLabels(view).size() == 2);

        // the build box's record is not refreshed: it expires and goes
        Ui.await("the expired record to go", () -> sessionLabels(view).size() == 1);
        Files.delete(presence.resolve("desk-1.a1.json"));
        Ui.await("the empty state again", view::isShowingEmptyState);
    }

    private static TreeItem findItem(LiveSessionsView view, String prefix) {
        TreeItem item = findSession(view, prefix);
        if (item == null) {
            throw new AssertionError("no row " + prefix + " in " + sessionLabels(view));
        }
        return item;
    }

    @Test
    void openingARowAttachesShowsTheTranscriptAndTheStreamAndSendsFromThisDevice() throws Exception {
        int port = freePort();
        String endpoint = "ws://127.0.0.1:" + port + "/api/ws";
        GatewayProcess gateway = GatewayProcess.start(dir.resolve("gateway"), List.of("--port", String.valueOf(port),
                "--advertise", endpoint, "--device-name", "desk", "--presence-dir", presence.toString(), "--agent", "exec",
                "--exec-command", "printf 'Reply to: '; cat; sleep 1; printf ' (done)'"));
        toClose.add(gateway);
        Ui.tokens().put(endpoint, gateway.token()); // paired, as the preference page does

        // on the desk, someone started a session and asked something
        InMemoryTokenStore tokens = new InMemoryTokenStore();
        tokens.put(endpoint, gateway.token());
        StandaloneGatewayConnector desk = GatewayConnectors.standalone(tokens, "desk", ConnectorExtension.fastBackoff());
        toClose.add(desk);
        GatewayConnection c = desk.ensureGatewayForEndpoint(endpoint).get(30, TimeUnit.SECONDS);
        String id = c.createSession("Plan the release", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        AttachedSession deskSession = desk.attach(endpoint, id, "").get(30, TimeUnit.SECONDS);
        deskSession.submit("what is left?").get(30, TimeUnit.SECONDS);

        LiveSessionsView view = openLiveView();
        Ui.await("the desk's session", () -> sessionLabels(view).stream().anyMatch(l -> l.startsWith("Plan the release")));
        view.viewer().getTree().setSelection(findItem(view, "Plan the release"));
        view.viewer().getTree().notifyListeners(org.eclipse.swt.SWT.DefaultSelection, new org.eclipse.swt.widgets.Event());
        Ui.await("the chat editor", () -> Ui.page().getActiveEditor() instanceof ChatEditor);
        ChatEditor chat = (ChatEditor) Ui.page().getActiveEditor();
        assertEquals("Plan the release", chat.getPartName());
        Ui.await("the hydrated transcript", () -> chat.transcriptWidget().getText().contains("From desk\nwhat is left?"));
        Ui.await("the turn to finish", () -> chat.transcriptWidget().getText().contains("Reply to: what is left? (done)"));

        chat.inputWidget().setText("ship it");
        chat.sendPrompt();
        assertEquals("", chat.inputWidget().getText());
        Ui.await("the streamed reply", () -> chat.transcriptWidget().getText().contains("Reply to: ship it"));
        assertTrue(chat.transcriptWidget().getText().contains("You\nship it"), chat.transcriptWidget().getText());
        Ui.await("the end of the turn", () -> chat.transcriptWidget().getText().contains("Reply to: ship it (done)")
                && chat.session().model().activity() == SessionActivity.IDLE);
        assertTrue(chat.statusText().contains("Connected to desk"), chat.statusText());
        org.eclipse.swt.widgets.Menu menu = chat.transcriptWidget().getMenu();
        assertNotNull(menu, "the transcript has a context menu");

        // the gateway stored the prompt as this device's
        List<TranscriptRow> rows = c.history(id).get(30, TimeUnit.SECONDS).messages();
        assertEquals("ship it", rows.get(2).text());
        assertEquals("workbench-test", rows.get(2).senderDevice());
        Ui.await("the desk in the roster", () -> chat.participantsText().contains("desk"));
    }

    /** A gateway in this workbench's runtime, "desk", paired with the workbench through Secure Storage. */
    private Gateway pairedGateway(String home, Agent agent) throws Exception {
        Gateway gateway = Gateway.start(GatewayOptions.parse(List.of("--port", "0", "--device-name", "desk",
                "--presence-dir", dir.resolve("other-presence").toString()), dir.resolve(home)), agent, () -> "desk",
                Clock.systemUTC());
        toClose.add(gateway);
        Ui.tokens().put(gateway.localEndpoint(), gateway.token());
        return gateway;
    }

    /** An agent that streams as many deltas as the prompt says (or {@code n}), as fast as it can. */
    private record Burst(int n) implements Agent {
        @Override
        public String model() {
            return "burst";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            int count = request.prompt().matches("\\d+") ? Integer.parseInt(request.prompt()) : n;
            Thread t = new Thread(() -> {
                for (int i = 0; i < count; i++) {
                    sink.delta("w" + i + " ");
                }
                sink.complete(Result.complete(null));
            });
            t.start();
            return () -> {
            };
        }
    }

    /** Streams a Markdown answer up to a point, then waits to be let go before it writes the rest. */
    private record Held(CompletableFuture<Void> go) implements Agent {
        @Override
        public String model() {
            return "held";
        }

        @Override
        public Turn start(Request request, Sink sink) {
            Thread t = new Thread(() -> {
                for (String piece : List.of("## Plan\n\n", "First **step** ", "done\n\n", "Still *writ")) {
                    sink.delta(piece);
                }
                go.join();
                sink.delta("ing* this.");
                sink.complete(Result.complete(null));
            });
            t.setDaemon(true);
            t.start();
            return () -> {
            };
        }
    }

    @Test
    void aStreamingAnswerShowsItsFinishedMarkdownBlocksRenderedAndFinishingChangesOnlyItsHeader() throws Exception {
        CompletableFuture<Void> go = new CompletableFuture<>();
        Gateway gateway = pairedGateway("held-gateway", new Held(go));
        GatewayConnection c = deskClient(gateway);
        String id = c.createSession("", List.of()).get(30, TimeUnit.SECONDS).sessionId();
        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.localEndpoint(), id, "", "Held", "desk");
        assertNotNull(chat);
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));
        chat.inputWidget().setText("plan it");
        chat.sendPrompt();
        Ui.await("the finished blocks rendered while the turn streams", () -> chat.transcriptWidget().getText()
                .endsWith("Assistant \u2026\nPlan\n\nFirst step done\n\nStill *writ\n\n"));
        assertEquals(SessionActivity.WORKING, chat.session().model().activity());

        // from now on, only the header and the last block may change: the rendered blocks stay as they are
        java.util.concurrent.atomic.AtomicInteger firstChange = new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
        int renderedBlocks = chat.transcriptWidget().getText().indexOf("Still *writ");
        int header = chat.transcriptWidget().getText().lastIndexOf("Assistant \u2026");
        chat.transcriptWidget().addExtendedModifyListener(e -> firstChange.accumulateAndGet(e.start, Math::min));
        chat.transcriptWidget().getContent().addTextChangeListener(new org.eclipse.swt.custom.TextChangeListener() {
            @Override
            public void textChanging(org.eclipse.swt.custom.TextChangingEvent e) {
                if (e.start < renderedBlocks && e.start > header + "Assistant".length()) {
                    throw new AssertionError("the rendered blocks were replaced from " + e.start);
                }
            }

            @Override
            public void textChanged(org.eclipse.swt.custom.TextChangedEvent e) {
            }

            @Override
            public void textSet(org.eclipse.swt.custom.TextChangedEvent e) {
                throw new AssertionError("the whole transcript was set again");
            }
        });
        go.complete(null);
        Ui.await("the finished answer", () -> chat.session().model().activity() == SessionActivity.IDLE
                && chat.transcriptWidget().getText()
                        .endsWith("Assistant\nPlan\n\nFirst step done\n\nStill writing this.\n\n"));
        assertTrue(firstChange.get() >= header, "the transcript changed from " + firstChange.get() + " on, before the answer");
    }

    @Test
    void theUiThreadIsNeverBlockedLongDuringA5000DeltaStream() throws Exception {
        Gateway gateway = pairedGateway("burst-gateway", new Burst(5000));
        GatewayConnection c = deskClient(gateway);
        String id = c.createSession("", List.of()).get(30, TimeUnit.SECONDS).sessionId();

        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.localEndpoint(), id, "", "Burst", "desk");
        assertNotNull(chat);
        Ui.await("attached", () -> chat.session() != null && chat.statusText().contains("Idle"));

        // a first, shorter stream: the code paths are compiled before the one that is measured
        chat.inputWidget().setText("500");
        chat.sendPrompt();
        Ui.await("the warm-up turn", () -> chat.session().model().rowCount() == 2
                && chat.session().model().activity() == SessionActivity.IDLE);

        watchdog.start();
        chat.inputWidget().setText("5000");
        chat.sendPrompt();
        Ui.await("the 5000th delta and the end of the turn", () -> chat.transcriptWidget().getText().contains("w4999")
                && chat.session().model().activity() == SessionActivity.IDLE);
        watchdog.assertNeverBlocked();
        assertEquals(4, chat.session().model().rowCount());
    }

    @Test
    void aTranscriptOfTenThousandMessagesOpensAndScrollsWithoutBlockingTheUiThread() throws Exception {
        Gateway gateway = pairedGateway("long-gateway", new Burst(1));
        GatewayConnection c = deskClient(gateway);
        List<TranscriptRow> seed = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            seed.add(TranscriptRow.user("question " + i, ""));
            seed.add(TranscriptRow.assistant("Answer **" + i + "** with `code` and a [link](http://example.invalid)\n\n- one\n- two",
                    "", ""));
        }
        String id = c.createSession("", seed).get(60, TimeUnit.SECONDS).sessionId();

        watchdog.start();
        ChatEditor chat = ChatEditor.open(Ui.page(), gateway.localEndpoint(), id, "", "Long", "desk");
        Ui.await("the latest messages", () -> chat.transcriptWidget().getText().contains("Answer 4999 with code"));
        assertEquals(10_000, chat.session().model().rowCount());
        // scroll up through the window as a wheel would, a few lines at a time
        for (int step = 0; step < 200; step++) {
            chat.transcriptWidget().setTopIndex(Math.max(0, chat.transcriptWidget().getTopIndex() - 15));
            Ui.pump();
        }
        // older messages come on request, a window at a time
        assertTrue(!chat.transcriptWidget().getText().contains("question 0\n"));
        chat.showEarlier();
        Ui.await("200 more rows", () -> chat.transcriptWidget().getText().contains("question 4800\n"));
        assertTrue(!chat.transcriptWidget().getText().contains("question 4799\n"));
        watchdog.assertNeverBlocked();
    }

    @Test
    void thePairingPageStoresAPastedLineAndRefusesABadOne() {
        InMemoryTokenStore store = new InMemoryTokenStore();
        PairedGatewaysPreferencePage page = new PairedGatewaysPreferencePage(store);
        PreferenceDialog dialog = openPreferencePage(page);
        try {
            assertTrue(page.pair("ws://192.0.2.10:8664/api/ws s3cret-token-value"));
            assertEquals(List.of("ws://192.0.2.10:8664/api/ws"), List.of(page.listedEndpoints()));
            assertEquals("s3cret-token-value", store.token("ws://192.0.2.10:8664/api/ws").orElseThrow());
            assertTrue(!page.pair("http://nowhere token-token"));
            assertTrue(page.getErrorMessage().contains("ws://"), page.getErrorMessage());
            assertEquals(1, page.listedEndpoints().length);
        } finally {
            dialog.close();
        }
    }
}
