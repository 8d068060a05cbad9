package org.agentchannels.ui.internal.views;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.agentchannels.connector.GatewayConnector;
import org.agentchannels.connector.TokenStore;
import org.agentchannels.core.presence.RemoteDevice;
import org.agentchannels.core.presence.RemoteSessions;
import org.agentchannels.ui.internal.Messages;
import org.agentchannels.ui.internal.preferences.PairGatewayDialog;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.jface.window.Window;
import org.eclipse.swt.widgets.Shell;

/**
 * Which gateways of the Live view's snapshot this device has paired, asked of the connector in a Job (the token
 * store is Secure Storage, never read on the UI thread), and the Pair... action that pairs one. Until asked, an
 * endpoint's pairing is unknown and the view marks nothing; the connector refuses an unpaired endpoint whatever
 * the view shows.
 */
final class LivePairings {

    private final Map<String, Boolean> paired = new ConcurrentHashMap<>();
    private final Runnable changed;
    private final Job job;
    private volatile GatewayConnector connector;
    private volatile RemoteSessions snapshot = RemoteSessions.empty();

    /** @param changed told, on the Job's thread, when an endpoint's pairing became known or changed */
    LivePairings(Runnable changed) {
        this.changed = changed;
        this.job = Job.create(Messages.Job_checkingPairings, monitor -> {
            check();
        });
        job.setSystem(true);
    }

    /** Asks again for the gateways of {@code next}; any thread. */
    void update(GatewayConnector with, RemoteSessions next) {
        this.connector = with;
        this.snapshot = next;
        job.schedule();
    }

    /** Asks again for the gateways of the last snapshot (a pairing may have been made elsewhere). */
    void recheck() {
        job.schedule();
    }

    void cancel() {
        job.cancel();
    }

    /** Whether this device paired {@code endpoint}: {@code null} while not known yet. */
    Boolean isPaired(String endpoint) {
        return paired.get(endpoint);
    }

    boolean isKnownUnpaired(String endpoint) {
        return Boolean.FALSE.equals(paired.get(endpoint));
    }

    /**
     * Pair... (for {@code endpoint}) and Pair with a Device... (empty): the pairing dialog, which stores what it
     * gives in {@code tokens}; then the gateways are asked again. On the UI thread.
     *
     * @param deviceName the name this device pairs as
     * @return whether a pairing was stored
     */
    boolean pair(Shell shell, TokenStore tokens, String endpoint, String deviceName) {
        if (tokens == null || new PairGatewayDialog(shell, endpoint, tokens, deviceName).open() != Window.OK) {
            return false;
        }
        recheck();
        return true;
    }

    private void check() {
        GatewayConnector c = connector;
        if (c == null) {
            return;
        }
        boolean different = false;
        Set<String> endpoints = new HashSet<>();
        for (RemoteDevice device : snapshot.devices()) {
            endpoints.add(device.endpoint());
            Boolean before = paired.put(device.endpoint(), c.isPaired(device.endpoint()));
            different |= !paired.get(device.endpoint()).equals(before);
        }
        different |= paired.keySet().retainAll(endpoints);
        if (different) {
            changed.run();
        }
    }
}
