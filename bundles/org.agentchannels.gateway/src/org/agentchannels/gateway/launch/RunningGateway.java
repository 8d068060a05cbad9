package org.agentchannels.gateway.launch;

import org.agentchannels.core.Fingerprints;
import org.agentchannels.core.protocol.Json;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * What {@code running.json} says about a running gateway: its process, its port, the endpoint this machine
 * dials, the one other devices dial (empty for a loopback gateway), its device name, and its certificate's
 * fingerprint (not a secret; what a client pins).
 */
public record RunningGateway(long pid, int port, String endpoint, String advertised, String deviceName,
        String fingerprint) {

    /** A gateway whose fingerprint is not known (a running file of an older gateway). */
    public RunningGateway(long pid, int port, String endpoint, String advertised, String deviceName) {
        this(pid, port, endpoint, advertised, deviceName, "");
    }

    /** This process, listening as given. */
    public static RunningGateway thisProcess(int port, String endpoint, String advertised, String deviceName,
            String fingerprint) {
        return new RunningGateway(ProcessHandle.current().pid(), port, endpoint, advertised, deviceName, fingerprint);
    }

    public boolean isAlive() {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
    }

    /** The endpoint to hand to a device that pairs: the advertised one, else the local one. */
    public String pairingEndpoint() {
        return advertised.isEmpty() ? endpoint : advertised;
    }

    String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("pid", pid);
        o.addProperty("port", port);
        o.addProperty("endpoint", endpoint);
        o.addProperty("advertised", advertised);
        o.addProperty("device_name", deviceName);
        o.addProperty("fingerprint", fingerprint);
        return o.toString();
    }

    /** @throws RuntimeException when the text is not a running file with a pid and an endpoint */
    static RunningGateway fromJson(String text) {
        JsonObject o = JsonParser.parseString(text).getAsJsonObject();
        long pid = o.get("pid").getAsLong();
        String endpoint = Json.text(o, "endpoint");
        if (endpoint.isEmpty()) {
            throw new IllegalArgumentException("no endpoint");
        }
        return new RunningGateway(pid, (int) Json.number(o, "port", 0), endpoint, Json.text(o, "advertised"),
                Json.text(o, "device_name"), Fingerprints.isValid(Json.text(o, "fingerprint")) ? Json.text(o, "fingerprint") : "");
    }
}
