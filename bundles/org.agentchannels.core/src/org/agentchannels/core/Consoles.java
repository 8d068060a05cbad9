package org.agentchannels.core;

import java.io.Console;

/** Whether this process runs at a terminal a person reads (both standard streams), for the gateway and the CLI alike. */
public final class Consoles {

    private Consoles() {
    }

    /** Whether the JVM's console, if any, is a terminal. */
    public static boolean isTerminal() {
        Console console = System.console();
        return console != null && isTerminal(console);
    }

    /**
     * Since Java 22 a console exists with redirected streams too and says whether it is a terminal
     * ({@code Console.isTerminal}); before, it existed only for one.
     */
    public static boolean isTerminal(Console console) {
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
