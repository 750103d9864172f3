package io.cairn.server.repository;

import io.cairn.server.problem.ProblemException;
import io.cairn.server.user.CairnPrincipal;
import io.cairn.server.user.PasswordCheck;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.charset.StandardCharsets;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The Repositories page, and the recovery kit: offered to an admin once, until they confirm they
 * stored it; after that it is shown again only to an admin who re-enters their own password.
 */
@Controller
public class RepositoriesController {

    private final RepositoryService repositories;
    private final PasswordCheck passwords;

    public RepositoriesController(RepositoryService repositories, PasswordCheck passwords) {
        this.repositories = repositories;
        this.passwords = passwords;
    }

    @GetMapping("/repositories")
    public String list(Model model) {
        model.addAttribute("section", "repositories");
        model.addAttribute("statuses", repositories.statuses());
        model.addAttribute("problem", repositories.problem());
        return "repositories";
    }

    @GetMapping("/repositories/{id}/recovery-kit")
    public String kit(@PathVariable long id, Model model) {
        ManagedRepository repo = repositories.get(new RepositoryId(id));
        model.addAttribute("section", "repositories");
        model.addAttribute("repository", repo);
        if (repo.recoveryKitSeenAt() == null) {
            model.addAttribute("kit", repositories.recoveryKit(repo.id()));
        }
        return "recovery-kit";
    }

    /** Shows a kit that was already confirmed, after the admin proves their password again. */
    @PostMapping("/repositories/{id}/recovery-kit")
    public String kitAgain(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                           @RequestParam(defaultValue = "") String password, Model model, HttpServletResponse response) {
        ManagedRepository repo = repositories.get(new RepositoryId(id));
        model.addAttribute("section", "repositories");
        model.addAttribute("repository", repo);
        if (!passwords.matches(me.id(), password)) {
            response.setStatus(400);
            model.addAttribute("passwordError", "This is not your password.");
            return "recovery-kit";
        }
        model.addAttribute("kit", repositories.recoveryKit(repo.id()));
        return "recovery-kit";
    }

    @GetMapping("/repositories/{id}/recovery-kit.txt")
    public ResponseEntity<byte[]> download(@PathVariable long id) {
        ManagedRepository repo = repositories.get(new RepositoryId(id));
        if (repo.recoveryKitSeenAt() != null) {
            throw ProblemException.conflict("This recovery kit was already stored; open it on the Repositories page "
                    + "with your password to download it again.");
        }
        RecoveryKit kit = repositories.recoveryKit(repo.id());
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "plain", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename("cairn-recovery-kit-" + repo.name().replaceAll("[^A-Za-z0-9_-]", "_") + ".txt").build()
                        .toString())
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .body(kit.asText().getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/repositories/{id}/recovery-kit/confirm")
    public String confirm(@PathVariable long id, @RequestParam(defaultValue = "false") boolean stored,
                          RedirectAttributes redirect) {
        if (!stored) {
            redirect.addFlashAttribute("failure", "Tick the box once the recovery kit is stored somewhere safe.");
            return "redirect:/repositories/" + id + "/recovery-kit";
        }
        repositories.confirmRecoveryKitStored(new RepositoryId(id));
        redirect.addFlashAttribute("notice", "Recovery kit stored. You can show it again from Repositories with your "
                + "password.");
        return "redirect:/";
    }
}
