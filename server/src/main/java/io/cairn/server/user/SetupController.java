package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** First-run setup: the page that creates the first admin account, reachable only until it exists. */
@Controller
public class SetupController {

    private final SetupService setup;

    public SetupController(SetupService setup) {
        this.setup = setup;
    }

    @GetMapping("/setup")
    public String form(Model model) {
        if (setup.isComplete()) {
            return "redirect:/login";
        }
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        return "setup";
    }

    @PostMapping("/setup")
    public String create(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
                         @RequestParam(defaultValue = "") String confirmPassword, Model model,
                         HttpServletResponse response) {
        try {
            setup.createFirstAdmin(username, password, confirmPassword);
            return "redirect:/login?setup";
        } catch (ProblemException e) {
            if (e.status() == HttpStatus.CONFLICT) {
                return "redirect:/login";
            }
            response.setStatus(e.status().value());
            model.addAttribute("errors", e.fieldErrors());
            model.addAttribute("username", username);
            model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
            return "setup";
        }
    }
}
