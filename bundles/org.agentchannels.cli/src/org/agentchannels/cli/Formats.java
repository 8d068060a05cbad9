package org.agentchannels.cli;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.List;

import org.agentchannels.core.presence.SessionActivity;
import org.agentchannels.core.protocol.SignIn;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;

/** How the commands print: aligned tables, pretty JSON, status words, ages. */
final class Formats {

    private Formats() {
    }

    static String statusWord(SessionActivity activity) {
        return switch (activity) {
            case WORKING -> "working";
            case NEEDS_INPUT -> "needs input";
            case STARTING -> "starting";
            case NEEDS_SIGN_IN -> "needs sign-in";
            case IDLE -> "idle";
        };
    }

    /** "needs sign-in on DEVICE: what to do", the agent's advice or, when it gives none, ours. */
    static String signIn(SignIn signIn) {
        String device = signIn == null || signIn.device().isEmpty() ? "the gateway's device" : signIn.device();
        String hint = signIn == null || signIn.hint().isEmpty() ? "sign the agent in at a terminal there, then send the prompt again"
                : signIn.hint();
        return "needs sign-in on " + device + ": " + hint;
    }

    /** {@code sign_in} as the JSON output writes it: {@code {device, hint}}, or nothing when none is needed. */
    static void putSignIn(com.google.gson.JsonObject o, SignIn signIn) {
        if (signIn != null) {
            com.google.gson.JsonObject s = new com.google.gson.JsonObject();
            s.addProperty("device", signIn.device());
            s.addProperty("hint", signIn.hint());
            o.add("sign_in", s);
        }
    }

    static String age(double seconds) {
        long s = Math.max(0, Math.round(seconds));
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m";
        }
        if (s < 86_400) {
            return (s / 3600) + "h";
        }
        return (s / 86_400) + "d";
    }

    /** Epoch seconds as JSON writes them best: plain digits, at most milliseconds, no exponent. */
    static BigDecimal epochSeconds(double seconds) {
        BigDecimal b = BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return b.scale() < 0 ? b.setScale(0) : b;
    }

    /** Prints {@code table} in aligned columns, each cell as {@link TerminalText#line} shows it. */
    static void printTable(PrintStream out, List<String[]> table) {
        List<String[]> rows = table.stream().map(row -> Arrays.stream(row).map(TerminalText::line)
                .toArray(String[]::new)).toList();
        int[] widths = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(row[i]);
                if (i < row.length - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    static String pretty(JsonElement e) {
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(e);
    }
}
