package org.agentchannels.core.presence;

/** A gateway on another device that advertises at least one live session: where to dial and what to call it. */
public record RemoteDevice(String endpoint, String host) {
}
