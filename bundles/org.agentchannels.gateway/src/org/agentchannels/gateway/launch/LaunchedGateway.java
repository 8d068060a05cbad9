package org.agentchannels.gateway.launch;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agentchannels.core.Pairing;

/** A gateway process this JVM started, listening: stop it cleanly (SIGTERM) or kill it (SIGKILL). */
public record LaunchedGateway(Process process, GatewayHome home, RunningGateway running, String token) {

    private static final long STOP_SECONDS = 20;

    public Pairing pairing() {
        return new Pairing(running.endpoint(), token, false, running.fingerprint());
    }

    /** SIGKILL, as a crash or a pulled plug would end it; the commands its agent started die too. */
    public void kill() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        process.waitFor();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * SIGKILL of the gateway alone, as {@code kill -9} or the OOM killer would end it: the commands its agent
     * started live on until the next start on this home stops them.
     */
    public void killAlone() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, the gateway's clean stop (killed when it takes longer than 20 s); returns its exit status. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
            kill();
        }
        return process.exitValue();
    }
}
