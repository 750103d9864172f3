package io.cairn.engine.browse;

import java.io.IOException;

/** Receives the entries of a {@link SnapshotBrowser#walk walk}, parents before their children. */
@FunctionalInterface
public interface EntryVisitor {

    /**
     * Called once per entry.
     *
     * @return for a directory, whether to descend into it; ignored for other entries
     */
    boolean visit(SnapshotEntry entry) throws IOException;
}
