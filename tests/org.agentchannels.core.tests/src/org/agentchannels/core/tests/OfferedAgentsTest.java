package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.Optional;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.Json;
import org.agentchannels.core.protocol.Methods;
import org.agentchannels.core.protocol.OfferedAgent;
import org.junit.jupiter.api.Test;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

/** What a gateway offers for new sessions: its agents and workspaces in {@code gateway.ready}, and the choice at create. */
class OfferedAgentsTest {

    private final FrameCodec codec = new FrameCodec();

    private GatewayEvent.GatewayReady readBack(GatewayEvent.GatewayReady ready) {
        Frame.Event frame = assertInstanceOf(Frame.Event.class, codec.decode(codec.encode(GatewayEvents.frame("", ready, -1))));
        return assertInstanceOf(GatewayEvent.GatewayReady.class, GatewayEvents.parse(frame));
    }

    @Test
    void theAgentsAndWorkspacesOfAReadyFrameReadBackEqualTheDefaultFirst() {
        GatewayEvent.GatewayReady ready = new GatewayEvent.GatewayReady("desk", true, true, true, true, "e1",
                List.of(new OfferedAgent("opencode", "OpenCode"), new OfferedAgent("gemini", "Gemini CLI")),
                List.of("/srv/work", "/home/omar/src"));
        assertEquals(ready, readBack(ready));
        assertEquals(Optional.of(new OfferedAgent("opencode", "OpenCode")), ready.defaultAgent());
        JsonObject payload = ready.toJson();
        assertEquals("gemini", payload.getAsJsonArray("agents").get(1).getAsJsonObject().get("id").getAsString());

        // a gateway that offers no choice (every Hermes gateway) writes neither key and reads back empty
        GatewayEvent.GatewayReady hermes = new GatewayEvent.GatewayReady("desk", true, false, false, false, "");
        assertFalse(hermes.toJson().has("agents") || hermes.toJson().has("workspaces"));
        assertEquals(List.of(), readBack(hermes).agents());
        assertEquals(Optional.empty(), hermes.defaultAgent());
    }

    @Test
    void whatAHostileGatewayOffersIsCleanedAndBounded() {
        JsonArray agents = new JsonArray();
        agents.add(agent("a\u202Eb", "Evil\u0007 label"));
        agents.add(agent("", "no id"));
        agents.add(agent("a\u202Eb", "the same id again"));
        agents.add("not an object");
        agents.add(agent("plain", ""));
        for (int i = 0; i < 100; i++) {
            agents.add(agent("flood" + i, "x"));
        }
        JsonArray workspaces = new JsonArray();
        workspaces.add("/srv/\u001b[31mwork");
        workspaces.add("");
        workspaces.add(7);
        for (int i = 0; i < 100; i++) {
            workspaces.add("/w" + i);
        }
        JsonObject payload = new JsonObject();
        payload.add("agents", agents);
        payload.add("workspaces", workspaces);
        GatewayEvent.GatewayReady ready = (GatewayEvent.GatewayReady) GatewayEvents
                .parse(FrameCodec.event("gateway.ready", "", payload, -1));
        assertEquals(OfferedAgent.MAX_AGENTS, ready.agents().size());
        assertEquals(new OfferedAgent("ab", "Evil label"), ready.agents().get(0), "control and bidi characters removed");
        assertEquals(new OfferedAgent("plain", "plain"), ready.agents().get(1), "no label: the id");
        assertEquals(GatewayEvent.GatewayReady.MAX_WORKSPACES, ready.workspaces().size());
        assertEquals("/srv/[31mwork", ready.workspaces().get(0));
    }

    private static JsonObject agent(String id, String label) {
        JsonObject o = new JsonObject();
        o.addProperty("id", id);
        o.addProperty("label", label);
        return o;
    }

    @Test
    void sessionCreateNamesTheAgentOnlyWhenOneIsChosen() {
        JsonObject chosen = Methods.sessionCreate("t", List.of(), "/srv/work", "gemini");
        assertEquals("gemini", Json.text(chosen, "agent"));
        assertEquals("/srv/work", Json.text(chosen, "cwd"));
        assertFalse(Methods.sessionCreate("t", List.of(), "", "").has("agent"), "the default: no key");
        assertFalse(Methods.sessionCreate("t", List.of(), "/srv/work").has("agent"));
    }
}
