package org.agentchannels.core.protocol;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/**
 * Lenient field reads (a field that is absent or of the wrong type gives the fallback, never an exception)
 * and the few writing steps the protocol's writers share.
 */
public final class Json {

    private Json() {
    }

    public static String text(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonPrimitive p && p.isString() ? p.getAsString() : "";
    }

    /** The first of {@code keys} that holds a string, else {@code ""}. */
    public static String firstText(JsonObject o, String... keys) {
        for (String key : keys) {
            String value = text(o, key);
            if (!value.isEmpty()) {
                return value;
            }
        }
        return "";
    }

    public static long number(JsonObject o, String key, long fallback) {
        if (o != null && o.get(key) instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            return Double.isFinite(d) ? (long) d : fallback;
        }
        return fallback;
    }

    public static double decimal(JsonObject o, String key, double fallback) {
        if (o != null && o.get(key) instanceof JsonPrimitive p && p.isNumber()) {
            double d = p.getAsDouble();
            return Double.isFinite(d) ? d : fallback;
        }
        return fallback;
    }

    /** {@code true} only for a JSON {@code true}. */
    public static boolean flag(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonPrimitive p && p.isBoolean() && p.getAsBoolean();
    }

    /** {@code null} when the field is absent or not a boolean. */
    public static Boolean optionalFlag(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonPrimitive p && p.isBoolean() ? p.getAsBoolean() : null;
    }

    public static JsonObject object(JsonObject o, String key) {
        return o != null && o.get(key) instanceof JsonObject child ? child : new JsonObject();
    }

    /** The objects of an array field; other elements are skipped. */
    public static List<JsonObject> objects(JsonObject o, String key) {
        List<JsonObject> out = new ArrayList<>();
        if (o != null && o.get(key) instanceof JsonArray array) {
            for (JsonElement e : array) {
                if (e instanceof JsonObject child) {
                    out.add(child);
                }
            }
        }
        return out;
    }

    /** The strings of an array field; other elements are skipped. */
    public static List<String> texts(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        if (o != null && o.get(key) instanceof JsonArray array) {
            for (JsonElement e : array) {
                if (e instanceof JsonPrimitive p && p.isString()) {
                    out.add(p.getAsString());
                }
            }
        }
        return out;
    }

    /** Puts {@code value} under {@code key} unless it is null or empty: optional fields stay out of frames. */
    public static JsonObject putText(JsonObject o, String key, String value) {
        if (value != null && !value.isEmpty()) {
            o.addProperty(key, value);
        }
        return o;
    }

    public static JsonArray array(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }
}
