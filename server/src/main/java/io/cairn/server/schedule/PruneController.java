package io.cairn.server.schedule;

import io.cairn.server.audit.AuditLog;
import io.cairn.server.problem.ProblemException;
import io.cairn.server.repository.RepositoryId;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The prune line of each repository on the Repositories page (loaded into it), and "Prune now". */
@Controller
public class PruneController {

    private final RepositoryPruning pruning;

    public PruneController(RepositoryPruning pruning) {
        this.pruning = pruning;
    }

    @GetMapping("/repositories/{id}/prune")
    public String line(@PathVariable long id, Model model) {
        RepositoryId repo = new RepositoryId(id);
        model.addAttribute("repositoryId", id);
        model.addAttribute("schedule", pruning.schedule(repo));
        model.addAttribute("recent", pruning.recent(repo, 1));
        return "schedules/prune :: line";
    }

    @PostMapping("/repositories/{id}/prune")
    public String pruneNow(@PathVariable long id, RedirectAttributes redirect) {
        try {
            pruning.startNow(new RepositoryId(id), AuditLog.currentActor());
            redirect.addFlashAttribute("notice", "Prune started; it waits for running backups and restores. "
                    + "Its result shows below when it ends.");
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.getMessage());
        }
        return "redirect:/repositories";
    }
}
