package io.cairn.server.system;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The dashboard: the real health of the server at a glance, refreshed in place every 30 seconds. */
@Controller
public class DashboardController {

    private final SystemHealth health;

    public DashboardController(SystemHealth health) {
        this.health = health;
    }

    @GetMapping("/")
    public String dashboard(Model model) {
        model.addAttribute("section", "dashboard");
        model.addAttribute("health", health.check());
        return "dashboard";
    }

    @GetMapping("/dashboard/health")
    public String healthFragment(Model model) {
        model.addAttribute("health", health.check());
        return "dashboard :: health";
    }
}
