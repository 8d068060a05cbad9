package org.agentchannels.gateway.internal.presence;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.agentchannels.core.presence.PresenceFolder;
import org.agentchannels.core.presence.PresenceRecord;

/** The presence folder as a {@link PresenceStore}: a file per record, in core's format. */
final class FolderStore implements PresenceStore {

    private final PresenceFolder folder;

    FolderStore(Path folder) {
        this.folder = new PresenceFolder(folder);
    }

    Path folder() {
        return folder.folder();
    }

    @Override
    public String describe() {
        return folder.folder().toString();
    }

    @Override
    public void write(String instanceId, PresenceRecord record) throws IOException {
        folder.write(instanceId, record);
    }

    @Override
    public void delete(String instanceId, String sessionId) throws IOException {
        folder.delete(instanceId, sessionId);
    }

    @Override
    public List<PresenceRecord> read() throws IOException {
        return folder.scan().records();
    }

    @Override
    public void close() {
        // nothing held open
    }
}
