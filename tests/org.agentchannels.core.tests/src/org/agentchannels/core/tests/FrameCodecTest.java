package org.agentchannels.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agentchannels.core.protocol.Frame;
import org.agentchannels.core.protocol.FrameCodec;
import org.agentchannels.core.protocol.GatewayEvent;
import org.agentchannels.core.protocol.GatewayEvents;
import org.agentchannels.core.protocol.InputRequest;
import org.agentchannels.core.protocol.RequestId;
import org.agentchannels.core.protocol.JsonRpcCodes;
import org.agentchannels.core.protocol.ProtocolError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Frames as both Hermes lines write them, and what the codec makes of bad ones. */
class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    @Test
    void readsTheForkReadyFrameWithDeviceName() {
        Frame f = codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":\"gateway.ready\","
                + "\"payload\":{\"skin\":{\"name\":\"default\"},\"device_name\":\"  Omar's\\n  MacBook \"}}}");
        Frame.Event e = assertInstanceOf(Frame.Event.class, f);
        assertEquals("", e.sessionId());
        GatewayEvent.GatewayReady ready = assertInstanceOf(GatewayEvent.GatewayReady.class, GatewayEvents.parse(e));
        assertEquals("Omar's MacBook", ready.deviceName());
        assertFalse(ready.heartbeat());
        assertFalse(ready.eventSeq());
    }

    @Test
    void readsTheNewerReadyFrameWithHeartbeatAndNoDeviceName() {
        // upstream ws.py of the older line appends a newline to every frame
        Frame f = codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":\"gateway.ready\","
                + "\"payload\":{\"skin\":{},\"change_events\":true,\"replay_epoch\":\"e1\",\"heartbeat\":true,"
                + "\"shared_session\":{\"version\":1,\"socket_id\":\"S1\"}}}}\n");
        GatewayEvent.GatewayReady ready = assertInstanceOf(GatewayEvent.GatewayReady.class,
                GatewayEvents.parse((Frame.Event) f));
        assertEquals("", ready.deviceName());
        assertTrue(ready.heartbeat());
        assertEquals("e1", ready.replayEpoch());
    }

    @Test
    void readsAMessageStartWithoutPayloadAndADeltaWithSeq() {
        Frame.Event start = (Frame.Event) codec.decode(
                "{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":\"message.start\",\"session_id\":\"a0b0c000\"}}");
        assertInstanceOf(GatewayEvent.MessageStart.class, GatewayEvents.parse(start));
        assertEquals(-1, start.seq());
        Frame.Event delta = (Frame.Event) codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":"
                + "\"message.delta\",\"session_id\":\"a0b0c000\",\"seq\":17,\"payload\":{\"text\":\" word\"}}}");
        assertEquals(17, delta.seq());
        assertEquals(new GatewayEvent.MessageDelta(" word"), GatewayEvents.parse(delta));
    }

    @Test
    void passesUnknownEventTypesAndFieldsThrough() {
        Frame.Event e = (Frame.Event) codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":"
                + "\"subagent.progress\",\"session_id\":\"s1\",\"turn\":3,\"payload\":{\"goal\":\"x\"}}}");
        assertEquals(new GatewayEvent.Unknown("subagent.progress"), GatewayEvents.parse(e));
        assertEquals(3, e.params().get("turn").getAsInt());
        JsonObject again = codec.toJson(e);
        assertEquals(3, again.getAsJsonObject("params").get("turn").getAsInt());
    }

    @Test
    void readsResponsesAndErrorsAndCorrelatesIds() {
        Frame.Response r = (Frame.Response) codec.decode("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"status\":\"streaming\"}}");
        Frame.Request req = (Frame.Request) codec.decode(codec.request(7, "prompt.submit", new JsonObject()));
        assertEquals(req.idKey(), r.idKey());
        assertEquals("streaming", r.resultObject().get("status").getAsString());
        Frame.Failure err = (Frame.Failure) codec.decode(
                "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":4009,\"message\":\"session busy\"}}");
        assertEquals(JsonRpcCodes.SESSION_BUSY, err.code());
        assertEquals("session busy", err.message());
        Frame.Failure parse = (Frame.Failure) codec.decode(
                "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32700,\"message\":\"parse error\"},\"id\":null}");
        assertEquals(JsonRpcCodes.PARSE_ERROR, parse.code());
    }

    @Test
    void stringAndNumberIdsAreDifferent() {
        Frame.Response n = (Frame.Response) codec.decode("{\"id\":1,\"result\":{}}");
        Frame.Response s = (Frame.Response) codec.decode("{\"id\":\"1\",\"result\":{}}");
        assertFalse(n.idKey().equals(s.idKey()));
    }

    @Test
    void readsAServerToClientApprovalRequestOfTheNewerLine() {
        Frame.Request r = assertInstanceOf(Frame.Request.class, codec.decode("{\"jsonrpc\":\"2.0\",\"id\":\"srv-1\","
                + "\"method\":\"approval\",\"params\":{\"session_id\":\"s1\",\"command\":\"rm -rf build\","
                + "\"description\":\"delete the build\",\"allow_permanent\":false}}"));
        InputRequest request = GatewayEvents.serverRequest(r);
        assertEquals(InputRequest.Kind.APPROVAL, request.kind());
        assertEquals("s1", request.sessionId());
        assertEquals(java.util.List.of("once", "session", "deny"), request.choices());
        assertEquals("delete the build\nrm -rf build", request.prompt());
        assertEquals(RequestId.of(new JsonPrimitive("srv-1")), request.rpcId());
    }

    @Test
    void aRequestIdIsTheIdTheGatewaySentAndGoesBackAsItCame() {
        Frame.Request r = assertInstanceOf(Frame.Request.class,
                codec.decode("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"clarify\",\"params\":{}}"));
        RequestId id = RequestId.of(r);
        assertEquals(RequestId.of(new JsonPrimitive(7)), id);
        assertEquals(id.hashCode(), RequestId.of(new JsonPrimitive(7)).hashCode());
        assertFalse(id.equals(RequestId.of(new JsonPrimitive("7"))), "a string id is another id");
        assertEquals("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{}}",
                codec.encode(new Frame.Response(id.toJson(), new JsonObject())));
        JsonObject structured = new JsonObject();
        structured.addProperty("n", 1);
        RequestId kept = RequestId.of(structured);
        structured.addProperty("n", 2); // the id holds its own copy
        assertEquals(1, kept.toJson().getAsJsonObject().get("n").getAsInt());
    }

    @Test
    void readsAJuneLineClarifyEvent() {
        Frame.Event e = (Frame.Event) codec.decode("{\"jsonrpc\":\"2.0\",\"method\":\"event\",\"params\":{\"type\":"
                + "\"clarify.request\",\"session_id\":\"s1\",\"payload\":{\"question\":\"Which branch?\","
                + "\"choices\":[\"main\",\"dev\"],\"request_id\":\"r9\"}}}");
        GatewayEvent.InputRequested in = assertInstanceOf(GatewayEvent.InputRequested.class, GatewayEvents.parse(e));
        assertEquals("r9", in.request().requestId());
        assertEquals(java.util.List.of("main", "dev"), in.request().choices());
        assertEquals("Which branch?", in.request().prompt());
    }

    @ParameterizedTest
    @ValueSource(strings = { "not json", "{\"id\":1,", "{\"id\":1,\"result\":{}} trailing", "" , "   \n" })
    void garbageBecomesAMalformedFrameNotAnException(String text) {
        Frame f = codec.decode(text);
        Frame.Malformed m = assertInstanceOf(Frame.Malformed.class, f);
        assertEquals(JsonRpcCodes.PARSE_ERROR, m.error().jsonRpcCode());
    }

    @ParameterizedTest
    @ValueSource(strings = { "[1,2]", "42", "{\"method\":5}", "{\"method\":\"x\",\"params\":[1]}", "{\"foo\":1}",
            "{\"id\":{\"a\":1},\"method\":\"x\"}", "{\"result\":{}}" })
    void wellFormedJsonThatIsNoFrameIsAnInvalidRequest(String text) {
        Frame.Malformed m = assertInstanceOf(Frame.Malformed.class, codec.decode(text));
        assertEquals(JsonRpcCodes.INVALID_REQUEST, m.error().jsonRpcCode());
    }

    @Test
    void enforcesTheSizeAndDepthLimits() {
        FrameCodec small = new FrameCodec(100, 8);
        Frame.Malformed big = assertInstanceOf(Frame.Malformed.class,
                small.decode("{\"id\":1,\"result\":{\"text\":\"" + "x".repeat(200) + "\"}}"));
        assertEquals(ProtocolError.Kind.TOO_LARGE, big.error().kind());
        Frame.Malformed deep = assertInstanceOf(Frame.Malformed.class,
                small.decode("{\"id\":1,\"result\":" + "[".repeat(20) + "]".repeat(20) + "}"));
        assertEquals(ProtocolError.Kind.TOO_DEEP, deep.error().kind());
        // the default depth limit also holds against a frame built to overflow a recursive parser
        Frame.Malformed veryDeep = assertInstanceOf(Frame.Malformed.class,
                codec.decode("{\"id\":1,\"result\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}"));
        assertEquals(ProtocolError.Kind.TOO_DEEP, veryDeep.error().kind());
    }

    @Test
    void writesEventsThatReadBackTheSame() {
        JsonObject payload = new JsonObject();
        payload.addProperty("text", "h\u00e9llo \"quoted\" <tag>");
        Frame.Event e = FrameCodec.event("message.delta", "s1", payload, 5);
        String text = codec.encode(e);
        assertTrue(text.contains("<tag>"), text);
        Frame.Event back = (Frame.Event) codec.decode(text);
        assertEquals("message.delta", back.type());
        assertEquals("s1", back.sessionId());
        assertEquals(5, back.seq());
        assertEquals(payload, back.payload());
    }
}
