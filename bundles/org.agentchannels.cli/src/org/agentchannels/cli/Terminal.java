package org.agentchannels.cli;

import java.io.Console;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;

import org.agentchannels.core.Consoles;

/**
 * The terminal a command runs at, if a person sits at one: where {@code attach} asks the agent's approvals when no
 * {@code --approve} answers them. A test gives its own.
 */
public interface Terminal {

    /** No terminal: nothing is asked, as when the command's input or output is a file or a pipe. */
    Terminal NONE = new Terminal() {
        @Override
        public boolean isInteractive() {
            return false;
        }

        @Override
        public Reader input() {
            return Reader.nullReader();
        }
    };

    /** Whether standard input and output are a terminal a person types at. */
    boolean isInteractive();

    /** What the person types; read a line at a time, on a thread of its own. */
    Reader input();

    /** This process's: interactive when the JVM's console is a terminal (both streams), its input standard input. */
    static Terminal system() {
        Console console = System.console();
        boolean interactive = console != null && Consoles.isTerminal(console);
        Charset charset = console != null ? console.charset() : Charset.defaultCharset();
        return new Terminal() {
            @Override
            public boolean isInteractive() {
                return interactive;
            }

            @Override
            public Reader input() {
                return new InputStreamReader(System.in, charset);
            }
        };
    }
}
