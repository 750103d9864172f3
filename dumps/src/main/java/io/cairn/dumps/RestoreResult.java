package io.cairn.dumps;

import java.util.List;

/**
 * What a restore did.
 *
 * @param target    where it restored to ({@link ConnectionSpec#target()})
 * @param bytesRead dump bytes consumed
 * @param restored  the target as described right after the restore: its tables (keys, documents) with
 *                  their counts, so a user sees "orders: 1,204 rows" rather than "done"
 * @param warnings  things that did not stop the restore but deserve a look (masked), e.g. roles that
 *                  already existed
 */
public record RestoreResult(String target, long bytesRead, DatabaseDescription restored, List<String> warnings) {

    public RestoreResult {
        warnings = List.copyOf(warnings);
    }

    /** Rows (keys, documents) restored over all databases. */
    public long totalCount() {
        return restored.databases().stream().mapToLong(DatabaseInfo::totalCount).sum();
    }
}
