package io.cairn.engine.check;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The result of a check: every finding, every snapshot the damage reaches, what was looked at, and
 * what the user can do next. Plain data, so a server can store and show it.
 *
 * @param readData          whether pack data was read (all packs or a subset)
 * @param readDataSubset    the subset read, as given ("10%", "2/5"), or null for all packs / none
 * @param problems          errors first, then infos; each names its object by full id
 * @param affectedSnapshots snapshots that cannot be restored in full, oldest first
 * @param stats             what the check looked at
 * @param nextSteps         what to do about the errors, in order; empty when there are none
 */
public record CheckReport(boolean readData, String readDataSubset, List<CheckProblem> problems,
                          List<AffectedSnapshot> affectedSnapshots, CheckStats stats, List<String> nextSteps) {

    public CheckReport {
        problems = List.copyOf(problems);
        affectedSnapshots = List.copyOf(affectedSnapshots);
        nextSteps = List.copyOf(nextSteps);
    }

    /** Whether the repository is damaged or incomplete. */
    public boolean hasErrors() {
        return problems.stream().anyMatch(CheckProblem::isError);
    }

    public List<CheckProblem> errors() {
        return problems.stream().filter(CheckProblem::isError).toList();
    }

    public List<CheckProblem> infos() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    /** Packs with an error of their own or holding a damaged blob: the packs a repair must drop. */
    public Set<String> damagedPackIds() {
        Set<String> out = new LinkedHashSet<>();
        for (CheckProblem p : problems) {
            if (p.isError() && p.packId() != null) {
                out.add(p.packId());
            }
        }
        return out;
    }
}
