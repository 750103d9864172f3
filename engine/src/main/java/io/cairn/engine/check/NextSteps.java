package io.cairn.engine.check;

import io.cairn.engine.check.CheckProblem.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns findings into advice: what the user can do next, in order, using only what Cairn can do.
 * Kept in one place so the CLI and the server say the same words.
 */
final class NextSteps {

    /** Findings that leave blobs in the index that cannot be read. */
    private static final Set<Kind> INDEXED_DATA_UNREADABLE = EnumSet.of(Kind.PACK_MISSING, Kind.PACK_UNREADABLE,
            Kind.PACK_TRUNCATED, Kind.PACK_HEADER_MISMATCH, Kind.BLOB_DAMAGED, Kind.BLOB_ID_MISMATCH,
            Kind.BLOB_TYPE_MISMATCH, Kind.TREE_DAMAGED);

    private NextSteps() {
    }

    static List<String> advise(List<CheckProblem> problems, List<AffectedSnapshot> affected) {
        List<CheckProblem> errors = problems.stream().filter(CheckProblem::isError).toList();
        if (errors.isEmpty()) {
            return List.of();
        }
        Set<Kind> kinds = EnumSet.noneOf(Kind.class);
        for (CheckProblem p : errors) {
            kinds.add(p.kind());
        }
        List<String> steps = new ArrayList<>();
        steps.add("Keep a copy of the repository as it is now (copy the whole directory) before changing anything.");
        if (kinds.contains(Kind.CONFIG_DAMAGED)) {
            steps.add("The config object is damaged; without it the repository cannot be opened. Put back 'config' "
                    + "from a copy of the repository if you have one.");
        }
        if (kinds.contains(Kind.KEY_DAMAGED)) {
            steps.add("Damaged key files (" + ids(errors, Kind.KEY_DAMAGED) + "): a password stored only in them no "
                    + "longer opens the repository. With a password that still works, add a new one with 'cairn key add' "
                    + "and remove each damaged key with 'cairn key remove ID'.");
        }
        if (affected.isEmpty()) {
            steps.add("No snapshot needs the damaged data: every snapshot still restores in full.");
        } else {
            steps.add("Snapshots not listed as affected restore in full. In an affected snapshot everything not listed "
                    + "(and not below a listed directory) is intact, but a full restore stops at the first damaged file: "
                    + "restore the intact parts with 'cairn restore SNAPSHOT --target DIR --include PATH' (repeatable).");
        }
        if (kinds.contains(Kind.INDEX_DAMAGED)) {
            steps.add("Damaged index objects (" + ids(errors, Kind.INDEX_DAMAGED) + ") make every command that loads "
                    + "the index fail, backup and restore included. Move them out of the repository's index/ directory "
                    + "(keep the copies) and run 'cairn check' again: the packs they listed then show as unreferenced "
                    + "and the data in them as missing from the index. Do not run 'cairn prune' meanwhile: it deletes "
                    + "unreferenced packs.");
        }
        if (kinds.contains(Kind.SNAPSHOT_DAMAGED)) {
            steps.add("Damaged snapshots (" + ids(errors, Kind.SNAPSHOT_DAMAGED) + ") cannot be restored, and listing "
                    + "snapshots fails while they exist. Move them out of the repository's snapshots/ directory (keep "
                    + "the copies).");
        }
        boolean indexedUnreadable = errors.stream().anyMatch(p -> INDEXED_DATA_UNREADABLE.contains(p.kind()));
        if (indexedUnreadable) {
            steps.add("The index still lists the damaged or missing blobs, so a new backup reuses them instead of "
                    + "storing the data again, and would be damaged too. Once you have restored what you need, remove "
                    + "the affected snapshots with 'cairn forget', then run 'cairn prune' with its maximum unused share "
                    + "set to 0%: once no snapshot uses the damaged data, prune repacks what is still used out of the "
                    + "damaged packs, deletes them, and drops the damaged blobs from the index. After that, "
                    + "'cairn backup' stores the data again from the source.");
        }
        if (kinds.contains(Kind.DATA_BLOB_MISSING) || kinds.contains(Kind.TREE_MISSING)) {
            steps.add("Data that snapshots need is in no index. Run 'cairn backup' of the same paths: whatever is "
                    + "still on the source is stored again under the same ids, which repairs every snapshot that needs "
                    + "it. 'cairn prune' refuses to run while snapshots need data that is in no pack.");
        }
        if (kinds.contains(Kind.PACK_HEADER_DAMAGED) && !indexedUnreadable) {
            steps.add("A damaged pack header alone loses no data while the index is intact (blobs are found through "
                    + "the index), but the pack can no longer be described from itself. 'cairn check --read-data' "
                    + "verifies the blobs in it.");
        }
        steps.add("Run 'cairn check --read-data' again afterwards to confirm the repository is healthy.");
        return steps;
    }

    private static String ids(List<CheckProblem> errors, Kind kind) {
        Set<String> ids = new TreeSet<>();
        for (CheckProblem p : errors) {
            if (p.kind() == kind && p.objectId() != null) {
                ids.add(p.objectId());
            }
        }
        return String.join(", ", ids);
    }
}
