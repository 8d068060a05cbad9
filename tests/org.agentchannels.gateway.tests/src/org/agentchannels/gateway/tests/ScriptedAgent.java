package org.agentchannels.gateway.tests;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.agentchannels.gateway.agent.Agent;

/** An agent whose turns the test drives: each started turn waits in a queue for the test to take it. */
final class ScriptedAgent implements Agent {

    final BlockingQueue<ScriptedTurn> turns = new LinkedBlockingQueue<>();

    static final class ScriptedTurn implements Agent.Turn {
        final Request request;
        final Sink sink;
        volatile boolean interrupted;

        ScriptedTurn(Request request, Sink sink) {
            this.request = request;
            this.sink = sink;
        }

        @Override
        public void interrupt() {
            interrupted = true;
            sink.complete(Result.interrupted());
        }

        void say(String... deltas) {
            for (String d : deltas) {
                sink.delta(d);
            }
        }

        void finish() {
            sink.complete(Result.complete(null));
        }
    }

    @Override
    public String model() {
        return "scripted";
    }

    @Override
    public Turn start(Request request, Sink sink) {
        ScriptedTurn turn = new ScriptedTurn(request, sink);
        turns.add(turn);
        return turn;
    }

    ScriptedTurn next() throws InterruptedException {
        ScriptedTurn t = turns.poll(20, TimeUnit.SECONDS);
        if (t == null) {
            throw new AssertionError("no turn started within 20 s");
        }
        return t;
    }
}
