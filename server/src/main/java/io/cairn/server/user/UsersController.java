package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Settings for admins: user accounts. */
@Controller
public class UsersController {

    private final UserService users;

    public UsersController(UserService users) {
        this.users = users;
    }

    @GetMapping("/settings")
    public String settings(Model model) {
        model.addAttribute("section", "settings");
        model.addAttribute("users", users.list(0, 500).items());
        model.addAttribute("roles", Role.values());
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        return "settings";
    }

    @PostMapping("/settings/users")
    public String create(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                         @RequestParam(required = false) Role role, HttpServletResponse response, Model model,
                         RedirectAttributes redirect) {
        try {
            User created = users.create(username, password, role);
            redirect.addFlashAttribute("notice", "User " + created.username() + " created as " + created.role().label()
                    + ". Give them their password through a safe channel.");
            return "redirect:/settings";
        } catch (ProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("createErrors", e.fieldErrors());
            model.addAttribute("newUsername", username);
            model.addAttribute("newRole", role);
            return settings(model);
        }
    }

    @PostMapping("/settings/users/{id}/role")
    public String role(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                       @RequestParam(required = false) Role role, RedirectAttributes redirect) {
        return act(redirect, () -> {
            User u = users.changeRole(new UserId(id), role, me.id());
            return u.username() + " is now " + u.role().label() + ".";
        });
    }

    @PostMapping("/settings/users/{id}/enabled")
    public String enabled(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                          @RequestParam boolean enabled, RedirectAttributes redirect) {
        return act(redirect, () -> {
            User u = users.setEnabled(new UserId(id), enabled, me.id());
            return u.username() + (u.enabled() ? " can sign in again." : " is disabled and signed out everywhere.");
        });
    }

    @PostMapping("/settings/users/{id}/password")
    public String resetPassword(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                                @RequestParam(defaultValue = "") String password, RedirectAttributes redirect) {
        return act(redirect, () -> {
            users.resetPassword(new UserId(id), password, me.id());
            return "Password of " + users.get(new UserId(id)).username() + " reset; their sessions ended.";
        });
    }

    private String act(RedirectAttributes redirect, java.util.function.Supplier<String> action) {
        try {
            redirect.addFlashAttribute("notice", action.get());
        } catch (ProblemException e) {
            redirect.addFlashAttribute("failure", e.fieldErrors().isEmpty() ? e.getMessage()
                    : String.join(" ", e.fieldErrors().values()));
        }
        return "redirect:/settings";
    }
}
