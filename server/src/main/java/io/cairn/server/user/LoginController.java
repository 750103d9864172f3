package io.cairn.server.user;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in page. Spring Security handles {@code POST /login} and {@code POST /logout}. */
@Controller
public class LoginController {

    private final SetupService setup;

    public LoginController(SetupService setup) {
        this.setup = setup;
    }

    @GetMapping("/login")
    public String login(HttpServletRequest request, Model model) {
        if (!setup.isComplete()) {
            return "redirect:/setup";
        }
        HttpSession session = request.getSession(false);
        if (request.getParameter("error") != null && session != null
                && session.getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION) instanceof AuthenticationException e) {
            model.addAttribute("error", e.getMessage());
            session.removeAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        } else if (request.getParameter("error") != null) {
            model.addAttribute("error", PasswordAuthenticationProvider.BAD_CREDENTIALS);
        }
        if (request.getParameter("signedOut") != null) {
            model.addAttribute("notice", "You are signed out.");
        } else if (request.getParameter("expired") != null) {
            model.addAttribute("notice", "Your session ended (your account or password changed). Sign in again.");
        } else if (request.getParameter("setup") != null) {
            model.addAttribute("notice", "Your admin account is ready. Sign in to continue.");
        }
        return "login";
    }
}
