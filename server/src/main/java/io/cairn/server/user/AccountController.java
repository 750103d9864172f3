package io.cairn.server.user;

import io.cairn.server.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in user's own account: password and personal API tokens. */
@Controller
public class AccountController {

    private final UserService users;
    private final ApiTokenService tokens;

    public AccountController(UserService users, ApiTokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    @GetMapping("/account")
    public String account(@AuthenticationPrincipal CairnPrincipal me, Model model) {
        model.addAttribute("section", "account");
        model.addAttribute("user", users.get(me.id()));
        model.addAttribute("tokens", tokens.listPersonal(me.id()));
        model.addAttribute("minLength", PasswordPolicy.MIN_LENGTH);
        return "account";
    }

    @PostMapping("/account/password")
    public String changePassword(@AuthenticationPrincipal CairnPrincipal me,
                                 @RequestParam(defaultValue = "") String currentPassword,
                                 @RequestParam(defaultValue = "") String newPassword,
                                 @RequestParam(defaultValue = "") String confirmPassword,
                                 HttpServletRequest request, HttpServletResponse response, Model model,
                                 RedirectAttributes redirect) {
        try {
            users.changeOwnPassword(me.id(), currentPassword, newPassword, confirmPassword,
                    request.getSession().getId());
            redirect.addFlashAttribute("notice", "Your password is changed. Your other sessions and API logins ended.");
            return "redirect:/account";
        } catch (ProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("passwordErrors", e.fieldErrors());
            return account(me, model);
        }
    }

    @PostMapping("/account/tokens")
    public String createToken(@AuthenticationPrincipal CairnPrincipal me, @RequestParam(defaultValue = "") String name,
                              HttpServletResponse response, Model model, RedirectAttributes redirect) {
        try {
            ApiTokenService.IssuedToken issued = tokens.createPersonal(me.id(), name);
            redirect.addFlashAttribute("newToken", issued.secret());
            redirect.addFlashAttribute("newTokenName", issued.token().name());
            return "redirect:/account#tokens";
        } catch (ProblemException e) {
            response.setStatus(e.status().value());
            model.addAttribute("tokenErrors", e.fieldErrors());
            model.addAttribute("tokenName", name);
            return account(me, model);
        }
    }

    @PostMapping("/account/tokens/{id}/revoke")
    public String revokeToken(@AuthenticationPrincipal CairnPrincipal me, @PathVariable long id,
                              RedirectAttributes redirect) {
        tokens.revokePersonal(me.id(), id);
        redirect.addFlashAttribute("notice", "The token is revoked; anything using it is refused from now on.");
        return "redirect:/account#tokens";
    }
}
